"""New-concept forecasts: score images and videos that have never run, then check the forecasts.

``aelp concepts forecast`` extracts a folder's content features, builds one feature row per
concept and scenario the way the CTR model sees a brand-new ad (:mod:`.features`), predicts
``ctr_u`` with the latest model run, widens it with residuals of ads held out by creative
(:mod:`.calibration`), compares it with a benchmark from the account's running ads
(:mod:`.benchmark`) and writes ``ml.concept_forecasts`` (:mod:`.tables`). Once concepts run,
dbt's ``rpt_concept_hit_rate`` scores the forecasts; :mod:`.metrics` holds the same metrics in
Python for the benchmark (:mod:`.bench`).
"""

from aelp.concepts.forecast import ForecastResult, Scenario, forecast_concepts

__all__ = ["ForecastResult", "Scenario", "forecast_concepts"]
