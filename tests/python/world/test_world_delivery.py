"""Every insights row keeps Meta's invariants, and the levels look like Meta's."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from aelp.world import World

PURCHASE = "offsite_conversion.fb_pixel_purchase"
WINDOWS = ["default", "1d_click", "7d_click", "1d_view"]


@pytest.fixture(scope="module")
def rows(mid: World) -> pd.DataFrame:
    cols = [
        "ad_id",
        "date_start",
        "date_stop",
        "impressions",
        "reach",
        "frequency",
        "clicks",
        "inline_link_clicks",
        "unique_inline_link_clicks",
        "cpm",
    ]
    df = mid.insights.select(cols).to_pandas()
    spend = mid.insights.column("spend").cast(pa.float64()).to_numpy()
    df["spend_cents"] = np.rint(spend * 100).astype(np.int64)
    return df


@pytest.fixture(scope="module")
def truth(mid: World) -> pd.DataFrame:
    return mid.truth.to_pandas()


def test_click_counts_nest_inside_impressions_and_reach(rows: pd.DataFrame):
    assert (rows.impressions > 0).all()
    assert (rows.unique_inline_link_clicks <= rows.inline_link_clicks).all()
    assert (rows.inline_link_clicks <= rows.clicks).all()
    assert (rows.clicks <= rows.impressions).all()
    assert (rows.unique_inline_link_clicks <= rows.reach).all()
    assert ((rows.reach >= 1) & (rows.reach <= rows.impressions)).all()
    assert (rows.date_start == rows.date_stop).all()


def test_frequency_is_impressions_over_reach(rows: pd.DataFrame):
    np.testing.assert_allclose(rows.frequency, rows.impressions / rows.reach, rtol=1e-12)
    assert rows.frequency.median() < 1.4
    assert rows.frequency.quantile(0.99) < 5.0


def test_spend_is_impressions_times_cpm_in_whole_cents(mid: World, rows: pd.DataFrame):
    spend = mid.insights.column("spend").to_pylist()
    assert all(s == s.quantize(Decimal("0.01")) for s in spend[:2000])
    np.testing.assert_allclose(
        rows.spend_cents / 100.0, rows.impressions * rows.cpm / 1000.0, rtol=1e-9, atol=1e-9
    )


def test_spend_rounds_the_true_cpm_to_cents(rows: pd.DataFrame, truth: pd.DataFrame):
    expected = np.rint(rows.impressions * truth.true_cpm / 10.0)
    assert (rows.spend_cents == expected).all()


def _actions(mid: World, column: str) -> pd.DataFrame:
    """One row per (insights row, action type, window): ``row`` is the insights row number."""
    col = mid.insights.column(column).combine_chunks()
    flat = pc.list_flatten(col)
    return pd.DataFrame(
        {
            "row": pc.list_parent_indices(col).to_numpy(),
            "action_type": flat.field("action_type").to_numpy(zero_copy_only=False),
            "action_window": flat.field("action_window").to_numpy(zero_copy_only=False),
            "value": flat.field("value").to_numpy(),
        }
    )


def test_actions_hold_each_window_and_default_is_7d_click_plus_1d_view(mid: World):
    actions = _actions(mid, "actions")
    assert set(actions.action_type) == {"link_click", "landing_page_view", PURCHASE, "lead"}
    assert set(actions.action_window) == {"default", "1d_click", "7d_click", "1d_view"}
    types = pd.Categorical(actions.action_type)
    windows = pd.Categorical(actions.action_window, categories=WINDOWS).codes
    key = actions.row.to_numpy() * len(types.categories) + types.codes
    keys, group = np.unique(key, return_inverse=True)
    wide = np.zeros((len(keys), len(WINDOWS)))
    seen = np.zeros((len(keys), len(WINDOWS)), dtype=np.int64)
    wide[group, windows] = actions.value.to_numpy()
    np.add.at(seen, (group, windows), 1)
    assert seen.max() == 1
    default, one_day, seven_day, view = wide.T
    assert (one_day <= seven_day).all()
    np.testing.assert_array_equal(default, seven_day + view)
    assert (default > 0).all()
    is_link = types.categories[keys % len(types.categories)] == "link_click"
    assert (view[is_link] == 0).all()
    assert (view[~is_link] > 0).any()


def test_link_click_action_equals_inline_link_clicks_and_rows_without_actions_are_null(
    mid: World,
):
    actions = _actions(mid, "actions")
    link = actions[(actions.action_type == "link_click") & (actions.action_window == "default")]
    clicks = mid.insights.column("inline_link_clicks").to_numpy()
    assert list(link.row) == list(np.flatnonzero(clicks > 0))
    np.testing.assert_array_equal(link.value, clicks[clicks > 0])
    no_action = mid.insights.column("actions").is_null().to_numpy(zero_copy_only=False)
    assert no_action.any()
    assert (clicks[no_action] == 0).all()


def test_conversions_never_exceed_unique_link_clicks_plus_view_throughs(mid: World):
    actions = _actions(mid, "actions")
    conv = actions[actions.action_type.isin([PURCHASE, "lead"])]
    seven = conv[conv.action_window == "7d_click"]
    unique = mid.insights.column("unique_inline_link_clicks").to_numpy()
    assert len(seven) > 1000
    assert (seven.value.to_numpy() <= unique[seven.row]).all()


def test_action_values_are_purchases_times_one_order_value(mid: World):
    values = _actions(mid, "action_values")
    counts = _actions(mid, "actions")
    assert set(values.action_type) == {PURCHASE}
    key = ["row", "action_type", "action_window"]
    merged = values.merge(counts, on=key, suffixes=("_value", "_count"))
    assert len(merged) == len(values)
    merged["per_order"] = merged.value_value / merged.value_count
    spread = merged.groupby("row").per_order.agg(["min", "max"])
    assert ((spread["max"] - spread["min"]) <= 0.01).all()
    assert 20 < merged.per_order.median() < 200


def test_true_rates_nest_like_the_counts(truth: pd.DataFrame):
    assert (truth.true_ctr_u > 0).all()
    assert (truth.true_ctr_u <= truth.true_link_ctr).all()
    assert (truth.true_link_ctr <= truth.true_ctr).all()
    assert (truth.true_ctr < 1).all()
    assert ((truth.true_c2s > 0) & (truth.true_c2s < 1)).all()
    ratio = truth.true_link_ctr / truth.true_ctr_u
    assert 1.03 < ratio.median() < 1.25


def test_rates_sit_in_meta_like_bands(truth: pd.DataFrame):
    link = truth.true_link_ctr.quantile([0.1, 0.5, 0.9])
    assert 0.002 < link[0.1] < 0.006
    assert 0.007 < link[0.5] < 0.013
    assert 0.015 < link[0.9] < 0.035
    assert truth.true_ctr_u.median() < link[0.5]
    c2s = truth.true_c2s.quantile([0.1, 0.5, 0.9])
    assert c2s[0.1] > 0.01
    assert 0.02 < c2s[0.5] < 0.06
    assert c2s[0.9] < 0.15
    cpm = truth.true_cpm.quantile([0.05, 0.5, 0.95])
    assert cpm[0.05] > 3
    assert 7 < cpm[0.5] < 16
    assert cpm[0.95] < 45


def test_observed_unique_ctr_matches_the_true_rate_in_aggregate(
    rows: pd.DataFrame, truth: pd.DataFrame
):
    observed = rows.unique_inline_link_clicks.sum() / rows.impressions.sum()
    expected = (truth.true_ctr_u * rows.impressions).sum() / rows.impressions.sum()
    assert observed == pytest.approx(expected, rel=0.02)


def test_noise_shrinks_with_impressions(rows: pd.DataFrame, truth: pd.DataFrame):
    error = rows.unique_inline_link_clicks / rows.impressions - truth.true_ctr_u
    small = error[(rows.impressions >= 100) & (rows.impressions < 400)].std()
    large = error[rows.impressions >= 5000].std()
    assert large < small / 3


def test_delivery_is_heavy_tailed_across_ads(rows: pd.DataFrame):
    per_ad = rows.groupby("ad_id").impressions.sum().sort_values(ascending=False)
    top_decile = per_ad.head(len(per_ad) // 10).sum() / per_ad.sum()
    assert top_decile > 0.4
    assert per_ad.max() > 50 * per_ad.median()


def test_logit_ctr_variance_splits_into_creative_audience_quality_and_day_parts(mid: World):
    assert mid.ad_effects is not None
    df = mid.truth.to_pandas().merge(mid.ad_effects.to_pandas(), on="ad_id")
    logit = np.log(df.true_ctr_u / (1 - df.true_ctr_u))
    total = logit.var()
    shares = {
        "creative": df.creative_effect.var() / total,
        "audience": df.audience_effect.var() / total,
        "quality": df.quality_effect.var() / total,
        "day": (logit - df.ad_ctr_logit).var() / total,
    }
    assert 0.33 < shares["creative"] < 0.47
    assert 0.10 < shares["audience"] < 0.22
    assert 0.22 < shares["quality"] < 0.38
    assert 0.05 < shares["day"] < 0.22


def test_ctr_is_higher_at_weekends_and_fades_with_ad_age(mid: World):
    assert mid.ad_effects is not None
    df = mid.truth.to_pandas().merge(mid.ad_effects.to_pandas(), on="ad_id")
    resid = np.log(df.true_ctr_u / (1 - df.true_ctr_u)) - df.ad_ctr_logit
    weekday = pd.to_datetime(df.date_day).dt.weekday
    assert resid[weekday >= 5].mean() > resid[weekday < 5].mean() + 0.03
    age = (pd.to_datetime(df.date_day) - pd.Timestamp(mid.config.start_date)).dt.days
    age = age - df.start_day + df.pre_age_days
    assert resid[age > 30].mean() < resid[age < 5].mean() - 0.15


def test_conditional_click_rate_stays_a_probability_at_the_edges() -> None:
    from aelp.world.delivery import _conditional_rate

    outer = np.array([0.05, 1.02, 0.3, 0.2])
    inner = np.array([0.01, 0.5, 1.0, 0.3])
    rate = _conditional_rate(outer, inner)
    assert rate[0] == pytest.approx((0.05 - 0.01) / (1 - 0.01))  # the plain formula in range
    assert rate[1] == 1.0  # an outer rate pushed past 1 by its noise
    assert rate[2] == 0.0  # a saturated inner rate: nothing left to click
    assert rate[3] == 0.0  # outer below inner
    assert np.all((rate >= 0) & (rate <= 1)) and not np.isnan(rate).any()
