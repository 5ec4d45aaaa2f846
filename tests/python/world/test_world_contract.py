"""The world's tables follow the raw contract: schemas, keys, references and Graph API shapes."""

from __future__ import annotations

import json
import re
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from aelp import schemas
from aelp.world import World

RAW_SPECS = (*schemas.RAW_META_TABLES, schemas.CREATIVE_ASSETS)


def _non_nullable(schema: pa.Schema) -> list[str]:
    return [f.name for f in schema if not f.nullable]


@pytest.mark.parametrize("spec", RAW_SPECS, ids=lambda s: s.name)
def test_every_raw_table_has_exactly_the_contract_schema(tiny: World, spec: schemas.TableSpec):
    table = tiny.tables[spec.name]
    assert table.schema.equals(spec.schema)
    assert table.num_rows > 0
    for name in _non_nullable(spec.schema):
        assert table.column(name).null_count == 0, name


def test_world_holds_the_seven_raw_tables_in_contract_order(tiny: World):
    assert list(tiny.tables) == [spec.name for spec in RAW_SPECS]


def test_truth_has_the_contract_schema_and_one_row_per_insights_row(mid: World):
    assert mid.truth.schema.equals(schemas.SIM_TRUTH.schema)
    insights = mid.insights
    assert mid.truth.num_rows == insights.num_rows
    assert mid.truth.column("ad_id").equals(insights.column("ad_id"))
    assert mid.truth.column("date_day").equals(insights.column("date_start"))


def test_primary_keys_are_unique(mid: World):
    for spec in RAW_SPECS:
        table = mid.tables[spec.name]
        keys = list(zip(*(table.column(k).to_pylist() for k in spec.key), strict=True))
        assert len(keys) == len(set(keys)), spec.name


def test_every_reference_points_to_an_existing_parent(mid: World):
    t = {name: table.to_pandas() for name, table in mid.tables.items()}
    account_ids = set(t["ad_accounts"].account_id)
    assert set(t["campaigns"].account_id) <= account_ids
    assert set(t["adsets"].campaign_id) <= set(t["campaigns"].id)
    assert set(t["ads"].adset_id) <= set(t["adsets"].id)
    assert set(t["ads"].creative_id) <= set(t["adcreatives"].id)
    assert set(t["insights"].ad_id) <= set(t["ads"].id)
    assert set(t["creative_assets"].creative_id) == set(t["adcreatives"].id)
    ads = t["ads"].set_index("id")
    adsets = t["adsets"].set_index("id")
    assert (adsets.loc[ads.adset_id, "campaign_id"].to_numpy() == ads.campaign_id.to_numpy()).all()
    joined = t["insights"].join(ads[["adset_id", "campaign_id"]], on="ad_id", rsuffix="_ad")
    assert (joined.adset_id == joined.adset_id_ad).all()
    assert (joined.campaign_id == joined.campaign_id_ad).all()


def test_ids_look_like_graph_api_ids(mid: World):
    accounts = mid.tables["ad_accounts"]
    for act, digits in zip(
        accounts.column("id").to_pylist(), accounts.column("account_id").to_pylist(), strict=True
    ):
        assert act == f"act_{digits}"
        assert re.fullmatch(r"\d{15}", digits)
    for name in ("campaigns", "adsets", "ads", "adcreatives"):
        assert all(re.fullmatch(r"\d{18}", i) for i in mid.tables[name].column("id").to_pylist())


def test_accounts_have_currency_and_time_zone(mid: World):
    rows = mid.tables["ad_accounts"].to_pylist()
    assert [(r["currency"], r["timezone_name"]) for r in rows] == [
        ("USD", "America/Los_Angeles"),
        ("EUR", "Europe/Berlin"),
    ]
    currency = {r["account_id"]: r["currency"] for r in rows}
    insights = mid.insights.select(["account_id", "account_currency"]).to_pylist()
    assert all(currency[r["account_id"]] == r["account_currency"] for r in insights)


def test_entity_enumerations_use_graph_api_values(mid: World):
    def values(table: str, column: str) -> set[str]:
        return set(mid.tables[table].column(column).drop_null().to_pylist())

    assert values("campaigns", "objective") == {"OUTCOME_TRAFFIC", "OUTCOME_SALES", "OUTCOME_LEADS"}
    assert values("campaigns", "status") <= {"ACTIVE", "PAUSED"}
    assert values("adsets", "optimization_goal") == {
        "LINK_CLICKS",
        "OFFSITE_CONVERSIONS",
        "LANDING_PAGE_VIEWS",
    }
    assert values("adsets", "billing_event") == {"IMPRESSIONS"}
    assert values("ads", "status") == {"ACTIVE", "PAUSED", "DELETED", "ARCHIVED"}
    assert values("adcreatives", "object_type") == {"PHOTO", "VIDEO"}
    assert values("adcreatives", "call_to_action_type") >= {"SHOP_NOW", "LEARN_MORE", "SIGN_UP"}


def test_adset_targeting_is_a_graph_api_targeting_spec(mid: World):
    adsets = mid.tables["adsets"]
    specs = [json.loads(s) for s in adsets.column("targeting").to_pylist()]
    for spec in specs:
        assert 18 <= spec["age_min"] < spec["age_max"] <= 65
        assert spec["genders"] in ([1, 2], [1], [2])
        assert spec["geo_locations"]["countries"]
        assert set(spec["publisher_platforms"]) <= {"facebook", "instagram"}
        for flex in spec.get("flexible_spec", []):
            assert all(re.fullmatch(r"\d{13}", i["id"]) and i["name"] for i in flex["interests"])
    assert any("flexible_spec" in s for s in specs)
    assert any("flexible_spec" not in s for s in specs)
    budgets = adsets.column("daily_budget").to_numpy()
    assert (budgets >= 500).all()
    assert (budgets % 100 == 0).all()


def test_some_creatives_are_reused_by_ads_in_several_adsets(mid: World):
    ads = mid.tables["ads"].to_pandas()
    adsets_per_creative = ads.groupby("creative_id").adset_id.nunique()
    assert (adsets_per_creative > 1).mean() > 0.05
    assert adsets_per_creative.max() >= 3


def test_creatives_carry_image_hash_for_photos_and_video_id_for_videos(mid: World):
    rows = mid.tables["adcreatives"].to_pylist()
    for row in rows:
        if row["object_type"] == "PHOTO":
            assert re.fullmatch(r"[0-9a-f]{32}", row["image_hash"])
            assert row["video_id"] is None
        else:
            assert row["image_hash"] is None
            assert re.fullmatch(r"\d+", row["video_id"])
    bodies = [r["body"] for r in rows]
    assert any("?" in b for b in bodies)
    assert any(re.search(r"\d+%", b) for b in bodies)
    assert any(not b.isascii() for b in bodies)


def test_loader_columns_are_fixed_by_the_config(tiny: World):
    loaded = tiny.config.loaded_at
    assert loaded.isoformat() == "2026-01-21T06:00:00+00:00"
    for name, table in tiny.tables.items():
        assert set(table.column("_loaded_at").to_pylist()) == {loaded}, name
        assert set(table.column("_batch_id").to_pylist()) == {"world-seed11"}, name
    insights = tiny.insights
    assert set(insights.column("_requested_action_windows").to_pylist()) == {
        "1d_click,7d_click,1d_view"
    }
    assert set(insights.column("attribution_setting").to_pylist()) == {"7d_click_1d_view"}


def test_timestamps_fall_before_the_load_and_ads_deliver_after_creation(mid: World):
    loaded = pa.scalar(mid.config.loaded_at, pa.timestamp("us", tz="UTC"))
    for name in ("campaigns", "adsets", "ads"):
        for column in ("created_time", "updated_time"):
            col = mid.tables[name].column(column)
            assert pc.all(pc.less(col, loaded)).as_py(), (name, column)
    ads = mid.tables["ads"].to_pandas().set_index("id")
    insights = mid.insights.select(["ad_id", "date_start"]).to_pandas()
    first_day = insights.groupby("ad_id").date_start.min()
    created = ads.loc[first_day.index, "created_time"].dt.tz_convert("UTC").dt.date
    assert (created.to_numpy() <= first_day.to_numpy()).all()


def test_ads_start_late_stop_and_vary_in_status(mid: World):
    insights = mid.insights.select(["ad_id", "date_start"]).to_pandas()
    first = insights.groupby("ad_id").date_start.min()
    last = insights.groupby("ad_id").date_start.max()
    start, end = mid.config.start_date, mid.config.end_date
    assert (first > start).mean() > 0.3
    assert (last < end).mean() > 0.3
    status = Counter(mid.tables["ads"].column("status").to_pylist())
    assert status["ACTIVE"] > 0 and status["PAUSED"] > status["ARCHIVED"] > 0
    never = set(mid.tables["ads"].column("id").to_pylist()) - set(insights.ad_id)
    assert 0 < len(never) < 0.1 * mid.config.n_ads
