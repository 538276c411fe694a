"""Year-over-year change: chapter series and the 主要指标 table, worked out by hand."""

import math

import pandas as pd
import pytest
from frames import six_townships

from analysis import norms, trends
from analysis.pipeline.summary import key_figures


def two_years() -> pd.DataFrame:
    later = six_townships().assign(year=2024)
    earlier = six_townships().assign(year=2023)
    earlier.loc[earlier["township"] == "三乡", "staff_fulltime"] = (
        2  # both of its 2 workers full-time
    )
    return pd.concat([earlier, later], ignore_index=True)


def test_staffing_series_by_hand():
    series = trends.staffing_series(two_years(), "甲县", norms.resolve("fujian_2018"))
    # 甲县 = 一镇, 二镇, 三乡. 2024: staff 1+3+2 = 6; FTE 1 + 2 + 1 = 4 (fulltime + 0.5 *
    # parttime); caseload 170 + 210 + 105 = 485, per FTE 121.25; Fujian minimum by
    # population 1, 2, 2, so only 三乡 is short, by 2 - 1 = 1.
    # 2023: 三乡 has 2 full-time workers, FTE 2, no gap: FTE 5, 485 / 5 = 97.
    assert series.to_dict(orient="records") == [
        {"year": 2023, "townships": 3, "staff_total": 6, "fte": 5.0, "caseload_per_fte": 97.0,
         "townships_short": 0, "gap_fte": 0.0},
        {"year": 2024, "townships": 3, "staff_total": 6, "fte": 4.0, "caseload_per_fte": 121.25,
         "townships_short": 1, "gap_fte": 1.0},
    ]  # fmt: skip
    only_2023 = trends.staffing_series(
        two_years(), "甲县", norms.resolve("fujian_2018"), until=2023
    )
    assert only_2023["year"].tolist() == [2023]


def test_yoy_rows_by_hand():
    staffing = trends.records(
        trends.staffing_series(two_years(), "甲县", norms.resolve("fujian_2018"))
    )
    funds = [{"year": 2023, "upper_share": 0.55}, {"year": 2024, "upper_share": 0.6}]
    rows, has_previous = trends.yoy_rows({"staffing": staffing, "funds": funds}, 2024)
    assert has_previous
    by_label = {r["label"]: r for r in rows}
    assert set(by_label) == {
        "民政工作人员",
        "折算全时人员",
        "人均服务对象",
        "达不到标准下限的乡镇（街道）",
        "折算全时缺口",
        "上级补助占资金来源",
    }  # no training series given: no training rows
    fte = by_label["折算全时人员"]
    assert (fte["current"], fte["previous"], fte["change"]) == (4.0, 5.0, -1.0)
    assert fte["change_pct"] == pytest.approx(-0.2)  # -1 / 5
    per = by_label["人均服务对象"]
    assert per["change"] == pytest.approx(24.25) and per["change_pct"] == pytest.approx(0.25)
    short = by_label["达不到标准下限的乡镇（街道）"]
    assert (short["change"], short["change_pct"]) == (1, None)  # a count: no per cent
    gap = by_label["折算全时缺口"]
    assert (gap["change"], gap["change_pct"]) == (1.0, None)  # from 0: no per cent
    upper = by_label["上级补助占资金来源"]
    assert upper["change"] == pytest.approx(5.0) and upper["change_pct"] is None  # points


def test_a_missing_previous_year_is_said_not_failed():
    only = [{"year": 2024, "fte": 4.0, "staff_total": 6}]
    rows, has_previous = trends.yoy_rows({"staffing": only}, 2024)
    assert not has_previous
    fte = next(r for r in rows if r["label"] == "折算全时人员")
    assert (fte["current"], fte["previous"], fte["change"]) == (4.0, None, None)
    text = key_figures({"staffing.series": only}, 2024)
    assert "没有2023年的记录" in text
    assert "| 折算全时人员 | 人 | 4.0 | — | — |" in text


def test_key_figures_table_by_hand():
    staffing = trends.records(
        trends.staffing_series(two_years(), "甲县", norms.resolve("fujian_2018"))
    )
    funds = [{"year": 2023, "upper_share": 0.55}, {"year": 2024, "upper_share": 0.6}]
    text = key_figures({"staffing.series": staffing, "funds.series": funds}, 2024)
    assert "| 指标 | 单位 | 2024年 | 2023年 | 变化 |" in text
    assert "| 折算全时人员 | 人 | 4.0 | 5.0 | -1.0（-20.0%） |" in text
    assert "| 人均服务对象 | 户（人） | 121 | 97 | +24（+25.0%） |" in text
    assert "| 民政工作人员 | 人 | 6 | 6 | +0（+0.0%） |" in text
    assert "| 上级补助占资金来源 | % | 60.0% | 55.0% | +5.0个百分点 |" in text
    assert "没有2023年" not in text
    assert key_figures({}, 2024) == ""
    tiny = [{"year": 2023, "upper_share": 0.89102}, {"year": 2024, "upper_share": 0.89099}]
    assert "| -0.0个百分点" not in key_figures({"funds.series": tiny}, 2024)  # -0.003 points
    assert "| +0.0个百分点 |" in key_figures({"funds.series": tiny}, 2024)


def test_training_series_withholds_small_counts():
    survey = two_years()
    roster = pd.DataFrame(
        {
            "year": [2024] * 4 + [2023] * 2,
            "county": ["甲县"] * 6,
            "township": ["一镇", "二镇", "二镇", "三乡", "一镇", "二镇"],
            "staff_id": ["A", "B", "C", "D", "A", "B"],
            "left_this_year": [False, False, False, True, False, False],
            "trained_this_year": [True, False, True, False, True, True],
        }
    )
    wide = trends.training_series(survey, roster, "甲县", until=2024, k=1)
    # 2024 survey, 甲县: end 1+3+2 = 6, joined 1, left 1, start 6 - 1 + 1 = 6: rate 1/6.
    # roster 2024: 3 in post (D left), 2 of them trained: 2/3; 2023: 2 in post, both trained.
    row = wide.set_index("year").loc[2024]
    assert row["turnover_rate"] == pytest.approx(1 / 6)
    assert (row["workers"], row["trained_share"]) == (3, pytest.approx(2 / 3))
    assert wide.set_index("year").loc[2023, "trained_share"] == 1.0
    strict = trends.training_series(survey, roster, "甲县", until=2024, k=3)
    row = strict.set_index("year").loc[2024]
    assert math.isnan(row["turnover_rate"])  # 1 leaver < k = 3: withheld
    assert row["trained_share"] == pytest.approx(2 / 3)  # 3 workers: shown
    assert math.isnan(strict.set_index("year").loc[2023, "trained_share"])  # 2 workers < 3
    assert trends.records(strict)[0]["turnover_rate"] is None  # NaN glued as None


def test_policy_paragraph_of_the_summary_by_hand():
    from analysis.pipeline.summary import summary_markdown

    glued = {
        "policy.scenarios": [
            {"norm": "甲标准", "gap": 7.5, "short": 10, "posts": 11, "cost_wan": 104.0},
            {"norm": "乙标准", "gap": 17.0, "short": 16, "posts": 22, "cost_wan": 207.9},
        ],
        "policy.allocation": {
            "rule": "gap",
            "posts": 10,
            "median_before": 480.4,
            "median_after": 420,
        },
        "policy.sensitivity": {
            "assumptions": 15,
            "short_min": 8,
            "short_max": 13,
            "always_short": 8,
        },
        "policy.training_plan": {"classes": 15, "person_days": 555.0, "cost_wan": 19.425},
    }
    text = summary_markdown(glued, 2024, "全部县")
    assert text.startswith(
        "**政策测算。**按2种配备标准测算，缺口最大为17.0个折算全时岗位（《乙标准》）"
    )
    assert "需22个岗位，每年约207.9万元" in text
    assert "新增10个岗位按“缺口最大的乡镇优先”分配后，人均服务对象中位数由480降至420" in text
    assert "在15种假设组合下，达不到标准的乡镇为8至13个，其中8个在所有假设下都不足" in text
    assert "培训班15期、555人天，费用约19.4万元" in text
    glued["policy.allocation"] = {**glued["policy.allocation"], "posts": 0}
    assert "分配后" not in summary_markdown(glued, 2024, "全部县")  # no posts: nothing allocated
