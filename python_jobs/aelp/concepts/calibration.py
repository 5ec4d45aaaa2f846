"""Cold-start uncertainty, calibrated on ads held out by creative.

The CTR model's own Beta interval is sized on the validation window, where most rows belong to
ads with history; a concept has none, and its creative has never been seen. So the forecast's
uncertainty comes from past launches instead:

1. A *launch* is an ad's first delivered day in ``ml_ctr_training_examples`` (no prior
   impressions) whose creative had no history either (``f_creative_ctr_u_prior_28d`` missing),
   whose first ``horizon_days`` days all lie before the as-of day.
2. The training rows before the as-of day are split into folds **by creative**; for each fold a
   model with the run's parameters and boosting rounds is trained on the other folds and
   predicts the fold's launch rows: predictions for creatives the model has never seen.
3. In the same folds a content model (``aelp.concepts.content``: one row per creative, how
   its ads did against their ad sets, from its content and copy features) predicts each
   held-out launch's creative. A least-squares stack ``a + b·logit(model) + c·content`` of
   the two held-out predictions on the launches' realised logit gives the cold-start logit:
   the ad set's level from the CTR model, the creative's from its content.
4. Each launch gives a residual ``logit(realised ctr_u over its first horizon days) −
   cold-start logit``. A new concept's predictive distribution is its cold-start logit plus
   the residuals (split-conformal predictive distribution): its quantiles are the interval,
   its mean the calibrated ctr_u, and the share of residuals that lift it to the benchmark is
   ``P(ctr_u ≥ benchmark)``.

The residuals carry the model's error on new creatives and the binomial noise of the volume
new ads actually get in their first days, so the probability is of the realised rate.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
from scipy import special

from aelp.concepts.content import ContentFit, fit_content
from aelp.config import Settings
from aelp.modeling.artifact import ModelArtifact
from aelp.modeling.features import model_frame
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import TRAINING_EXAMPLES, MissingInputError, mart_ref

log = logging.getLogger(__name__)

DEFAULT_FOLDS = 5
MIN_LAUNCHES = 20
RATE_FLOOR = 1e-5
METHOD = "split-conformal logit residuals of launches held out by creative"
STACKED = "content-stacked"


@dataclass(frozen=True)
class ColdStartCalibration:
    """Residuals of held-out launches and what a launch looks like on its first day."""

    residuals: npt.NDArray[np.float64]
    horizon_days: int
    launch_age_days: float
    folds: int
    content: ContentFit | None = None
    content_columns: tuple[str, ...] = ()
    stack: tuple[float, ...] = (0.0, 1.0, 0.0, 0.0)
    """``(a, b, c, d)``: cold-start logit = a + b·logit(model ctr_u) + c·content prediction
    + d·ad set's audience level."""

    @property
    def launches(self) -> int:
        """How many held-out launches the residuals come from."""
        return int(self.residuals.size)

    @property
    def method(self) -> str:
        """A label recorded on every forecast row."""
        stacked = f", {STACKED}" if self.content is not None else ""
        return f"{METHOD} ({self.folds} folds, {self.horizon_days}-day realised ctr_u{stacked})"

    def cold_start_rate(
        self,
        model_p: npt.ArrayLike,
        frame: pd.DataFrame | None = None,
        adsets: list[Any] | None = None,
    ) -> npt.NDArray[np.float64]:
        """The stacked cold-start ctr_u of rows with CTR-model prediction ``model_p``.

        ``frame`` is the rows' model frame (``model_frame``) and ``adsets`` their ad sets;
        without a content fit only ``a + b·logit(model_p)`` applies.
        """
        a, b, c, d = self.stack
        logit = a + b * special.logit(
            np.clip(np.asarray(model_p, dtype=np.float64), RATE_FLOOR, 1 - RATE_FLOOR)
        )
        if self.content is not None and frame is not None and adsets is not None:
            logit = (
                logit
                + c * self.content.predict(frame[list(self.content_columns)])
                + d * self.content.adset_effect(adsets)
            )
        return np.asarray(special.expit(logit), dtype=np.float64)

    def _draws(self, p: npt.ArrayLike) -> npt.NDArray[np.float64]:
        logit = special.logit(np.clip(np.asarray(p, dtype=np.float64), RATE_FLOOR, 1 - RATE_FLOOR))
        return np.asarray(logit[:, None] + self.residuals[None, :], dtype=np.float64)

    def mean_rate(self, p: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The calibrated ctr_u: the mean of the predictive distribution."""
        return np.asarray(special.expit(self._draws(p)).mean(axis=1), dtype=np.float64)

    def interval(
        self, p: npt.ArrayLike, level: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Central ``level`` interval of the realised ctr_u."""
        tail = (1.0 - level) / 2.0
        draws = special.expit(self._draws(p))
        return (
            np.asarray(np.quantile(draws, tail, axis=1), dtype=np.float64),
            np.asarray(np.quantile(draws, 1.0 - tail, axis=1), dtype=np.float64),
        )

    def p_at_least(self, p: npt.ArrayLike, benchmark: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """``P(realised ctr_u ≥ benchmark)``, smoothed by half a launch at each end."""
        b = special.logit(
            np.clip(np.asarray(benchmark, dtype=np.float64), RATE_FLOOR, 1 - RATE_FLOOR)
        )
        draws = self._draws(p)
        above = (draws >= np.broadcast_to(b, draws.shape[:1])[:, None]).sum(axis=1)
        return np.asarray((above + 0.5) / (self.launches + 1.0), dtype=np.float64)


def read_history(
    settings: Settings, warehouse: Warehouse, as_of: date, spec_columns: list[str]
) -> pa.Table:
    """Delivered training-mart rows before ``as_of`` with ids, counts and the model's features."""
    ref = mart_ref(settings, warehouse, TRAINING_EXAMPLES)
    wanted = [
        "ad_id",
        "date_day",
        "adset_id",
        "creative_id",
        "impressions",
        "unique_inline_link_clicks",
        *spec_columns,
    ]
    extra = [
        c
        for c in ("f_ad_prior_impressions", "f_creative_ctr_u_prior_28d", "f_ad_age_days")
        if c not in wanted
    ]
    return warehouse.query(
        f"select {sql.columns([*wanted, *extra])} from {ref} "
        f"where impressions > 0 and date_day < {sql.day(as_of)} order by date_day, ad_id"
    )


def find_launches(history: pa.Table, as_of: date, horizon_days: int) -> dict[str, npt.NDArray[Any]]:
    """Launch rows (index into ``history``) and their realised clicks and impressions.

    A launch is an ad's row with no prior impressions whose creative has no history either,
    on a day at least ``horizon_days`` before ``as_of`` and after the first day of
    ``history``: on that day every running ad looks new (nothing before it is known), while
    most are weeks old. Its outcome sums the ad's first ``horizon_days`` days.
    """
    ads = np.asarray(history.column("ad_id").to_pylist(), dtype=object)
    days = np.asarray(history.column("date_day").to_pylist(), dtype=object)
    prior = np.asarray(history.column("f_ad_prior_impressions").to_pylist(), dtype=object)
    creative_prior = history.column("f_creative_ctr_u_prior_28d").to_pylist()
    clicks = np.asarray(history.column("unique_inline_link_clicks").to_pylist(), dtype=np.float64)
    imps = np.asarray(history.column("impressions").to_pylist(), dtype=np.float64)
    last_launch = as_of - timedelta(days=horizon_days)
    opening = min(days) if days.size else None
    first: dict[str, int] = {}
    for i, (ad, day, before, creative) in enumerate(
        zip(ads, days, prior, creative_prior, strict=True)
    ):
        if (
            ad in first
            or (before or 0) > 0
            or creative is not None
            or day > last_launch
            or day == opening
        ):
            continue
        first[ad] = i
    index = np.array(sorted(first.values()), dtype=np.int64)
    launch_day = {ads[i]: days[i] for i in index}
    k = dict.fromkeys(launch_day, 0.0)
    n = dict.fromkeys(launch_day, 0.0)
    for ad, day, c, m in zip(ads, days, clicks, imps, strict=True):
        start = launch_day.get(ad)
        if start is not None and start <= day < start + timedelta(days=horizon_days):
            k[ad] += c
            n[ad] += m
    return {
        "index": index,
        "clicks": np.array([k[ads[i]] for i in index]),
        "impressions": np.array([n[ads[i]] for i in index]),
    }


def creative_folds(creatives: list[Any], folds: int) -> npt.NDArray[np.int64]:
    """A stable fold per creative id (CRC32 of the id), so one creative never spans folds."""
    return np.array([zlib.crc32(str(c).encode()) % folds for c in creatives], dtype=np.int64)


def fit_cold_start(
    artifact: ModelArtifact,
    history: pa.Table,
    as_of: date,
    *,
    horizon_days: int,
    folds: int = DEFAULT_FOLDS,
    num_threads: int = 1,
    content_columns: list[str] | None = None,
) -> ColdStartCalibration:
    """Cross-fit by creative on ``history`` and collect held-out launch residuals.

    With ``content_columns`` a content model is cross-fitted in the same folds and stacked
    with the CTR model (a launch's creative is never in the data of either prediction).
    """
    launches = find_launches(history, as_of, horizon_days)
    index = launches["index"]
    if index.size < MIN_LAUNCHES:
        raise MissingInputError(
            f"only {index.size} launches of new creatives with {horizon_days} days of delivery "
            f"before {as_of}: at least {MIN_LAUNCHES} are needed to calibrate cold-start forecasts"
        )
    spec = artifact.features
    frame = model_frame(history, spec)
    clicks = np.asarray(history.column("unique_inline_link_clicks").to_pylist(), dtype=np.float64)
    imps = np.asarray(history.column("impressions").to_pylist(), dtype=np.float64)
    fold = creative_folds(history.column("creative_id").to_pylist(), folds)
    params = _params(artifact.metadata, num_threads)
    rounds = max(1, int(artifact.best_iteration))
    predicted = np.full(index.size, np.nan)
    content_held = np.zeros(index.size)
    adset_held = np.zeros(index.size)
    ad_ids = history.column("ad_id").to_pylist()
    creative_ids = history.column("creative_id").to_pylist()
    adset_ids = history.column("adset_id").to_pylist()
    content = frame[content_columns] if content_columns else None
    for f in range(folds):
        held = fold[index] == f
        if not held.any():
            continue
        train = fold != f
        if content is not None:
            fit = _fit_content(
                ad_ids, creative_ids, adset_ids, clicks, imps, content, train, num_threads
            )
            content_held[held] = fit.predict(content.iloc[index[held]])
            adset_held[held] = fit.adset_effect([adset_ids[i] for i in index[held]])
        data = lgb.Dataset(
            frame[train],
            label=np.clip(clicks[train] / imps[train], 0.0, 1.0),
            weight=imps[train],
            categorical_feature=list(spec.categorical) or "auto",
        )
        booster = lgb.train(params, data, num_boost_round=rounds)
        predicted[held] = booster.predict(frame.iloc[index[held]])
    realised = special.logit(
        np.clip(launches["clicks"] / launches["impressions"], RATE_FLOOR, 1 - RATE_FLOOR)
    )
    model_logit = special.logit(np.clip(predicted, RATE_FLOOR, 1 - RATE_FLOOR))
    stack: tuple[float, ...] = (0.0, 1.0, 0.0, 0.0)
    content_fit = None
    if content is not None:
        launch_days = [history.column("date_day")[int(i)].as_py() for i in index]
        stack = fit_stack(
            np.column_stack([model_logit, content_held, adset_held]), realised, launch_days
        )
        everything = np.ones(len(creative_ids), dtype=bool)
        content_fit = _fit_content(
            ad_ids, creative_ids, adset_ids, clicks, imps, content, everything, num_threads
        )
    residuals = realised - (
        stack[0] + stack[1] * model_logit + stack[2] * content_held + stack[3] * adset_held
    )
    ages = np.asarray(history.column("f_ad_age_days").to_pylist(), dtype=object)[index]
    age_values = np.array([a for a in ages if a is not None], dtype=np.float64)
    calibration = ColdStartCalibration(
        residuals=np.sort(np.asarray(residuals, dtype=np.float64)),
        horizon_days=horizon_days,
        launch_age_days=float(np.median(age_values)) if age_values.size else 1.0,
        folds=folds,
        content=content_fit,
        content_columns=tuple(content_columns or ()),
        stack=stack,
    )
    log.info(
        "cold-start calibration: %d held-out launches, stack %s, "
        "residual median %.3f, 10-90%% %.3f..%.3f",
        calibration.launches,
        " ".join(f"{x:.3f}" for x in stack),
        float(np.median(residuals)),
        float(np.quantile(residuals, 0.1)),
        float(np.quantile(residuals, 0.9)),
    )
    return calibration


def fit_stack(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], groups: list[Any]
) -> tuple[float, ...]:
    """Least-squares ``y ≈ a + x·w`` with ``w`` fitted within groups (one intercept each).

    The weights come from the variation between launches of one day, as a forecast compares
    concepts launched on one day; ``a`` is the mean intercept over all launches.
    """
    keys, inverse = np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)
    counts = np.bincount(inverse, minlength=keys.size).astype(np.float64)

    def demean(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return v - (np.bincount(inverse, weights=v, minlength=keys.size) / counts)[inverse]

    xd = np.column_stack([demean(x[:, j]) for j in range(x.shape[1])])
    w, *_ = np.linalg.lstsq(xd, demean(y), rcond=None)
    a = float(np.mean(y - x @ w))
    return (a, *(float(v) for v in w))


def _fit_content(
    ads: list[Any],
    creatives: list[Any],
    adsets: list[Any],
    clicks: npt.NDArray[np.float64],
    impressions: npt.NDArray[np.float64],
    content: pd.DataFrame,
    rows: npt.NDArray[np.bool_],
    num_threads: int,
) -> ContentFit:
    keep = np.flatnonzero(rows)
    return fit_content(
        [ads[i] for i in keep],
        [creatives[i] for i in keep],
        [adsets[i] for i in keep],
        clicks[keep],
        impressions[keep],
        content.iloc[keep],
        num_threads=num_threads,
    )


def _params(metadata: Mapping[str, Any], num_threads: int) -> dict[str, Any]:
    params = dict((metadata.get("params") or {}).get("lightgbm") or {})
    if not params:
        from aelp.modeling.train import lightgbm_params

        params = lightgbm_params(0, num_threads)
    params.update({"num_threads": num_threads, "verbosity": -1})
    params.pop("early_stopping_round", None)
    return params
