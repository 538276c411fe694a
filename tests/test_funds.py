"""Fund shares, HHI, matching shortfall and trends, worked out by hand."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from frames import six_townships

from analysis import funds


def test_overall_shares():
    row = funds.shares(six_townships(), by=None).iloc[0]
    # receipts: upper 707, local 65, social 28 -> 800
    assert row["receipts"] == 800
    assert row["upper_share"] == pytest.approx(707 / 800)  # 0.88375
    assert row["local_share"] == pytest.approx(65 / 800)  # 0.08125
    assert row["social_share"] == pytest.approx(28 / 800)  # 0.035
    # HHI = 0.88375^2 + 0.08125^2 + 0.035^2 = 0.7810140625 + 0.0066015625 + 0.001225
    assert row["hhi"] == pytest.approx(0.78884125)
    # spending: relief 550, services 120, admin 83, other 47 -> 800
    assert row["spending"] == 800
    assert [
        row["relief_share"],
        row["services_share"],
        row["admin_share"],
        row["other_share"],
    ] == pytest.approx([0.6875, 0.15, 0.10375, 0.05875])


def test_matching_shortfall_is_floored_per_township():
    row = funds.shares(six_townships(), by=None).iloc[0]
    # required - received per township: 6, -5 -> 0, 5, 0, 2, 0  => 13 (not 78 - 70 = 8)
    assert row["matching_shortfall"] == 13
    assert row["matching_required"] == 78
    assert row["shortfall_rate"] == pytest.approx(13 / 78)


def test_shares_by_county():
    by = funds.shares(six_townships(), by=["county"]).set_index("county")
    # 甲县: upper 90+180+45 = 315 of 350
    assert by.loc["甲县", "upper_share"] == pytest.approx(0.9)
    # 乙县: upper 392, local 40, social 18 of 450
    assert by.loc["乙县", "upper_share"] == pytest.approx(392 / 450)
    assert by.loc["乙县", "matching_shortfall"] == 2  # only 五街道 falls short


def test_trend_slope_by_hand():
    frame = pd.DataFrame({"year": [2019, 2020, 2021, 2022, 2023], "v": [10, 12, 13, 15, 18]})
    res = funds.trend(frame, "v", "year", horizon=2)
    # centred t = -2..2, mean y = 13.6, sum(t*y) = -20 - 12 + 0 + 15 + 36 = 19, sum(t^2) = 10
    assert res.slope == pytest.approx(1.9)
    assert res.intercept + res.slope * 2021 == pytest.approx(13.6)
    assert res.projection["time"].tolist() == [2024, 2025]
    assert res.projection["mean"].tolist() == pytest.approx([13.6 + 1.9 * 3, 13.6 + 1.9 * 4])
    assert (res.projection["pi_low"] < res.projection["mean_low"]).all()
    assert res.maxlags == 2  # Newey-West rule: floor(4 * (5/100)^(2/9)) = floor(2.056) = 2


def test_trend_hac_ci_matches_statsmodels():
    frame = pd.DataFrame(
        {
            "year": np.arange(2010, 2022),
            "v": [90.1, 89.8, 90.3, 89.5, 89.9, 89.2, 89.4, 88.9, 89.1, 88.6, 88.8, 88.2],
        }
    )
    res = funds.trend(frame, "v", "year")
    X = sm.add_constant(frame["year"].astype(float).to_numpy())
    ref = sm.OLS(frame["v"].to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": res.maxlags})
    assert res.slope_ci == pytest.approx(tuple(ref.conf_int()[1]))
    assert res.slope_se == pytest.approx(ref.bse[1])


def test_trend_needs_three_points():
    with pytest.raises(ValueError, match="at least 3 periods"):
        funds.trend(pd.DataFrame({"year": [2020, 2021], "v": [1.0, 2.0]}), "v")


def test_national_context_from_reference():
    ctx = funds.national_context()
    rural = ctx[ctx["series"] == "农村低保资金"].set_index("year")
    assert rural.index.tolist() == [2010, 2011, 2012, 2014]
    assert rural.loc[2010, "central_share"] == pytest.approx(269.0 / 445.0)  # 60.4 %
    service = ctx[ctx["series"] == "社会服务事业费"].set_index("year")
    assert service.index.tolist() == [2015, 2020]
    assert service.loc[2015, "central_share"] == pytest.approx(2270.3 / 4926.4)  # 46.1 %
    assert service.loc[2020, "central_share"] == pytest.approx(1704.2 / 4808.2)  # 35.4 %
