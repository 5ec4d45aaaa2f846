"""Feature rows of concepts that have never run, built the way the CTR model sees a new ad.

A concept in a scenario (an ad set, an as-of day) gets exactly the model's feature columns:

* **content** (``f_is_video``, file statistics, CLIP, YOLO) from dbt's
  ``ml_concept_content_features``, keyed by the file's content hash — the same extractor rows
  ``int_creatives_enriched`` gives the ad once it runs;
* **copy** (``f_title_length``, ``f_body_length``, ``f_body_has_question``,
  ``fc_call_to_action_type``) from an optional sidecar ``<file>.json`` with ``title``,
  ``body`` and ``call_to_action_type``; without one they are missing;
* **scenario** (ad set, campaign and account history, targeting, optimisation goal,
  objective, weekday) copied from a row of another ad of the same ad set on the as-of day in
  ``ml_ctr_scoring_features`` (tomorrow) or ``ml_ctr_training_examples`` (a past day): those
  columns depend only on the ad set and the day, so the concept gets what dbt computes;
* **ad history** set to a brand-new ad's: no prior impressions, clicks or days, no creative
  history, and the ad's age on its launch day.

Any model feature not covered by these groups stops the forecast, so a new feature cannot
silently reach concepts as missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from aelp.config import Settings
from aelp.creative.hashing import file_sha256
from aelp.creative.runner import find_media
from aelp.modeling.features import FeatureSpec
from aelp.warehouse import sql
from aelp.warehouse.base import Warehouse
from aelp.warehouse.marts import (
    AD_DAILY_LINK_CTR,
    SCORING_FEATURES,
    TRAINING_EXAMPLES,
    MissingInputError,
    column_names,
    mart_ref,
)

CONTENT_FEATURES = "ml_concept_content_features"
SCENARIO_PREFIXES = ("f_adset_", "f_campaign_", "f_account_", "f_targeting_")
SCENARIO_COLUMNS = ("f_weekday", "fc_optimization_goal", "fc_campaign_objective")
COPY_COLUMNS = ("f_title_length", "f_body_length", "f_body_has_question", "fc_call_to_action_type")
NEW_AD_VALUES: dict[str, Any] = {
    "f_days_since_first_delivery": None,
    "f_ad_prior_days_delivered": 0,
    "f_ad_prior_impressions": 0,
    "f_ad_prior_unique_link_clicks": 0,
    "f_ad_ctr_u_prior_1d": None,
    "f_ad_ctr_u_prior_7d": None,
    "f_ad_ctr_u_prior_28d": None,
    "f_ad_impressions_prior_7d": 0,
    "f_creative_ctr_u_prior_28d": None,
}
"""A brand-new ad's history features (``f_ad_age_days`` is the launch age, set apart)."""
DEFAULT_LAUNCH_AGE_DAYS = 1.0
ECONOMICS_CPM_DAYS = 7
ECONOMICS_CONVERSION_DAYS = 28


@dataclass(frozen=True)
class Concept:
    """A media file that has not run: its name, content hash and optional copy."""

    file: str
    content_sha256: str
    title: str | None = None
    body: str | None = None
    call_to_action_type: str | None = None

    def copy_features(self) -> dict[str, Any]:
        """The copy feature values, as ``int_creatives_enriched`` computes them (or missing)."""
        if self.title is None and self.body is None:
            return {name: None for name in COPY_COLUMNS}
        body = self.body or ""
        return {
            "f_title_length": len(self.title or ""),
            "f_body_length": len(body),
            "f_body_has_question": int("?" in body),
            "fc_call_to_action_type": self.call_to_action_type,
        }


def scan_concepts(folder: Path) -> list[Concept]:
    """Every image and video under ``folder`` with its content hash and sidecar copy.

    Two files with the same bytes are one concept (the first name is kept).
    """
    media, _ = find_media(folder)
    seen: dict[str, Concept] = {}
    for path in media:
        digest = file_sha256(path)
        if digest in seen:
            continue
        sidecar = path.with_name(path.name + ".json")
        copy: dict[str, Any] = json.loads(sidecar.read_text()) if sidecar.exists() else {}
        seen[digest] = Concept(
            file=path.relative_to(folder).as_posix(),
            content_sha256=digest,
            title=copy.get("title"),
            body=copy.get("body"),
            call_to_action_type=copy.get("call_to_action_type"),
        )
    return list(seen.values())


def read_content_features(
    settings: Settings, warehouse: Warehouse, hashes: list[str]
) -> dict[str, dict[str, Any]]:
    """The content feature row of each hash found in ``ml_concept_content_features``."""
    if not hashes:
        return {}
    ref = mart_ref(settings, warehouse, CONTENT_FEATURES)
    listed = ", ".join(sql.text(h) for h in hashes)
    table = warehouse.query(f"select * from {ref} where content_sha256 in ({listed})")
    return {row["content_sha256"]: row for row in table.to_pylist()}


def scenario_source(
    settings: Settings, warehouse: Warehouse, as_of: date | None
) -> tuple[date, str]:
    """The as-of day (default: the scoring mart's day) and the mart holding its rows."""
    scoring = mart_ref(settings, warehouse, SCORING_FEATURES)
    latest = warehouse.query(f"select max(date_day) as d from {scoring}").column("d")[0].as_py()
    if as_of is None:
        if latest is None:
            raise MissingInputError(f"{SCORING_FEATURES} is empty: no day to forecast for")
        return latest, scoring
    if latest is not None and as_of == latest:
        return as_of, scoring
    return as_of, mart_ref(settings, warehouse, TRAINING_EXAMPLES)


def read_scenario_context(
    settings: Settings,
    warehouse: Warehouse,
    as_of: date | None,
    spec: FeatureSpec,
    adset_ids: list[str] | None = None,
) -> tuple[date, pa.Table]:
    """One row per ad set with an ad on the as-of day: ids and the scenario feature columns."""
    as_of, ref = scenario_source(settings, warehouse, as_of)
    available = set(column_names(warehouse, ref))
    wanted = [c for c in spec.columns if is_scenario_column(c)]
    missing = [c for c in wanted if c not in available]
    if missing:
        raise MissingInputError(f"{ref} lacks the scenario columns {missing}: rebuild the marts")
    where = [f"date_day = {sql.day(as_of)}"]
    if adset_ids:
        where.append("adset_id in (" + ", ".join(sql.text(a) for a in adset_ids) + ")")
    rows = warehouse.query(
        f"select adset_id, campaign_id, account_id, ad_id, {sql.columns(wanted)} from {ref} "
        f"where {' and '.join(where)} order by adset_id, ad_id"
    ).to_pylist()
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(str(row["adset_id"]), row)
    if adset_ids:
        absent = sorted(set(adset_ids) - set(first))
        if absent:
            raise MissingInputError(
                f"no ad of ad set(s) {absent} has a feature row on {as_of}: pick an ad set "
                "with a running ad (or another --as-of day)"
            )
    if not first:
        raise MissingInputError(f"no ad set has a feature row on {as_of}")
    context = pa.Table.from_pylist([first[k] for k in sorted(first)]).drop_columns(["ad_id"])
    return as_of, context


def is_scenario_column(name: str) -> bool:
    """Whether a feature depends only on the ad set and the day."""
    return name.startswith(SCENARIO_PREFIXES) or name in SCENARIO_COLUMNS


def is_content_column(name: str) -> bool:
    """Whether a feature describes the creative itself: content or copy, not scenario or history."""
    return not (is_scenario_column(name) or name in NEW_AD_VALUES or name == "f_ad_age_days")


def concept_feature_rows(
    concepts: list[Concept],
    content: dict[str, dict[str, Any]],
    context: pa.Table,
    spec: FeatureSpec,
    launch_age_days: float = DEFAULT_LAUNCH_AGE_DAYS,
) -> pa.Table:
    """Concepts × scenario ad sets: ids and every model feature, as for a brand-new ad."""
    rows = []
    for scenario in context.to_pylist():
        for concept in concepts:
            found = content.get(concept.content_sha256)
            if found is None:
                raise MissingInputError(
                    f"{concept.file}: no content features for {concept.content_sha256[:12]}; "
                    "extract the folder and rebuild ml_concept_content_features"
                )
            copy = concept.copy_features()
            row: dict[str, Any] = {
                "content_sha256": concept.content_sha256,
                "concept_file": concept.file,
                "media_type": found.get("media_type"),
                "adset_id": str(scenario["adset_id"]),
                "campaign_id": str(scenario["campaign_id"]),
                "account_id": str(scenario["account_id"]),
                "creative_extractor_version": found.get("extractor_version"),
                "creative_clip_weights": found.get("clip_weights"),
                "creative_yolo_weights": found.get("yolo_weights"),
            }
            for name in spec.columns:
                if name == "f_ad_age_days":
                    row[name] = launch_age_days
                elif name in NEW_AD_VALUES:
                    row[name] = NEW_AD_VALUES[name]
                elif is_scenario_column(name):
                    row[name] = scenario[name]
                elif name in COPY_COLUMNS:
                    row[name] = copy[name]
                elif name in found:
                    row[name] = found[name]
                else:
                    raise MissingInputError(
                        f"feature {name!r} has no source for a concept: add it to "
                        "ml_concept_content_features or to aelp.concepts.features"
                    )
            rows.append(row)
    return _typed(rows, spec)


def _typed(rows: list[dict[str, Any]], spec: FeatureSpec) -> pa.Table:
    fields = [pa.field(c, pa.string()) for c in ("content_sha256", "concept_file", "media_type")]
    fields += [pa.field(c, pa.string()) for c in ("adset_id", "campaign_id", "account_id")]
    fields += [
        pa.field(c, pa.string())
        for c in ("creative_extractor_version", "creative_clip_weights", "creative_yolo_weights")
    ]
    fields += [pa.field(c, pa.float64()) for c in spec.numeric]
    fields += [pa.field(c, pa.string()) for c in spec.categorical]
    schema = pa.schema(fields)
    floats = {f.name for f in schema if f.type == pa.float64()}
    cleaned = [
        {k: (float(v) if k in floats and v is not None else v) for k, v in r.items()} for r in rows
    ]
    return pa.Table.from_pylist(cleaned, schema=schema)


@dataclass(frozen=True)
class AdsetEconomics:
    """What a planned day costs and converts in an ad set, from its recent delivery."""

    cpm: float | None
    click_to_conversion_rate: float | None
    currency: str | None


def read_adset_economics(
    settings: Settings, warehouse: Warehouse, as_of: date
) -> dict[str, AdsetEconomics]:
    """CPM over the last 7 days and conversions per unique link click over 28, per ad set.

    An ad set without conversions falls back to its account's rate.
    """
    ref = mart_ref(settings, warehouse, AD_DAILY_LINK_CTR)
    start = as_of - timedelta(days=ECONOMICS_CONVERSION_DAYS)
    recent = as_of - timedelta(days=ECONOMICS_CPM_DAYS)
    rows = warehouse.query(
        "select account_id, adset_id, max(account_currency) as currency, "
        f"sum(case when date_day >= {sql.day(recent)} then cast(spend as {_float(warehouse)}) "
        "else 0 end) as spend_7d, "
        f"sum(case when date_day >= {sql.day(recent)} then impressions else 0 end) "
        "as impressions_7d, "
        "sum(conversions) as conversions, sum(unique_inline_link_clicks) as unique_link_clicks "
        f"from {ref} where date_day >= {sql.day(start)} and date_day < {sql.day(as_of)} "
        "group by account_id, adset_id"
    ).to_pylist()
    account_conv: dict[str, list[float]] = {}
    for row in rows:
        totals = account_conv.setdefault(str(row["account_id"]), [0.0, 0.0])
        totals[0] += float(row["conversions"] or 0)
        totals[1] += float(row["unique_link_clicks"] or 0)
    out = {}
    for row in rows:
        imps = float(row["impressions_7d"] or 0)
        conv, clicks = float(row["conversions"] or 0), float(row["unique_link_clicks"] or 0)
        if conv <= 0:
            conv, clicks = account_conv[str(row["account_id"])]
        out[str(row["adset_id"])] = AdsetEconomics(
            cpm=float(row["spend_7d"]) * 1000.0 / imps if imps > 0 else None,
            click_to_conversion_rate=conv / clicks if clicks > 0 and conv > 0 else None,
            currency=row["currency"],
        )
    return out


def _float(warehouse: Warehouse) -> str:
    return "float64" if warehouse.engine == "bigquery" else "double"
