"""Training needs, demand, turnover, tenure survival and the training logit, by hand."""

import pandas as pd
import pytest
from conftest import SAMPLE_ROSTER
from frames import six_townships

from analysis import surveys, training


def roster():
    return pd.DataFrame(
        {
            "county": ["甲县"] * 5,
            "township": ["一镇", "一镇", "一镇", "二镇", "二镇"],
            "staff_id": ["S1", "S2", "S3", "S4", "S5"],
            "years_in_post": [1, 5, 2, 3, 0],
            "trained_this_year": [False, True, True, False, False],
            "fulltime": [False, True, True, False, True],
            "education": ["高中", "本科", "中专", "大专", "研究生"],
        }
    )


def test_need_score_by_hand():
    # weights short 2, untrained 2, parttime 1, low education 1; sum 6
    # S1: all four -> 6/6; S2: none -> 0; S3: short + low edu -> 3/6;
    # S4: untrained + parttime (3 years is not < 3) -> 3/6; S5: short + untrained -> 4/6
    assert training.need_score(roster()).tolist() == pytest.approx([1, 0, 0.5, 0.5, 4 / 6])


def test_need_score_parameters():
    score = training.need_score(roster(), tenure_threshold=4)
    assert score.iloc[3] == pytest.approx(5 / 6)  # S4 now counts as short tenure
    equal = training.need_score(roster(), weights={"untrained": 1, "parttime": 1})
    assert equal.tolist() == pytest.approx([1, 0, 0, 1, 0.5])
    with pytest.raises(ValueError, match="unknown need indicator"):
        training.need_score(roster(), weights={"age": 1})


def test_township_rollup():
    t = training.township_needs(roster()).set_index("township")
    assert t.loc["一镇", "mean_need"] == pytest.approx(0.5)  # (1 + 0 + 0.5) / 3
    assert t.loc["二镇", "mean_need"] == pytest.approx((0.5 + 4 / 6) / 2)
    assert t["high_need"].tolist() == [2, 2] and t["workers"].tolist() == [3, 2]


def test_demand_person_days():
    d = training.demand(roster()).set_index("module")
    # short tenure: S1, S3, S5 -> 3 x 5 days; untrained: S1, S4, S5 -> 3 x 3;
    # low education: S1, S3 -> 2 x 2; part-time: S1, S4 -> 2 x 2; everyone: 5 x 1
    assert d["person_days"].tolist() == [15, 9, 4, 4, 5]
    assert d["person_days"].sum() == 37
    custom = training.demand(roster(), {"政策": {"days": 1.5, "target": "untrained"}})
    assert custom["person_days"].tolist() == [4.5]


def test_turnover_rate_by_hand():
    overall = training.turnover(six_townships()).iloc[0]
    # end 13, joined 4, left 3 -> start 12; rate = 3 / ((12 + 13) / 2) = 0.24
    assert (overall["end"], overall["start"], overall["leavers"]) == (13, 12, 3)
    assert overall["turnover_rate"] == pytest.approx(0.24)
    by = training.turnover(six_townships(), by=["county"]).set_index("county")
    assert by.loc["甲县", "turnover_rate"] == pytest.approx(1 / 6)  # start 6, end 6
    assert by.loc["乙县", "turnover_rate"] == pytest.approx(2 / 6.5)  # start 6, end 7


def test_tenure_survival_by_hand():
    spells = pd.DataFrame(
        {
            "staff_id": ["a", "b", "c", "d"],
            "year": 2023,
            "years_in_post": [0, 2, 2, 5],
            "left_this_year": [True, True, False, False],
        }
    )
    res = training.tenure_survival(spells)
    # Kaplan-Meier at t = 0.5: 4 at risk, 1 leaves -> 0.75; at 2.5: 3 at risk, 1 leaves -> 0.5
    assert res.curve["years"].tolist() == [0.5, 2.5]
    assert res.curve["survival"].tolist() == pytest.approx([0.75, 0.5])
    assert res.median == 2.5 and (res.workers, res.leavers) == (4, 2)


def test_logit_odds_ratio_equals_cross_product():
    # fulltime: 6 trained, 2 not; part-time: 3 trained, 5 not -> OR = (6/2) / (3/5) = 5
    r = pd.DataFrame(
        {
            "trained_this_year": [True] * 6 + [False] * 2 + [True] * 3 + [False] * 5,
            "fulltime": [True] * 8 + [False] * 8,
            "employment_type": "临聘",
            "years_in_post": 5,
            "education": "本科",
        }
    )
    table = training.trained_logit(r, formula="trained ~ fulltime").set_index("term")
    assert table.loc["fulltime", "odds_ratio"] == pytest.approx(5.0, rel=1e-6)
    assert table.loc["fulltime", "ci_low"] < 5 < table.loc["fulltime", "ci_high"]


def test_logit_on_sample_roster():
    r = surveys.load_roster(SAMPLE_ROSTER)
    table = training.trained_logit(r).set_index("term")
    assert set(table.index) == {"fulltime", "established", "short_tenure", "low_education"}
    # the generator raises the training probability for full-time and established workers
    assert table.loc["fulltime", "odds_ratio"] > 1 and table.loc["established", "odds_ratio"] > 1
    res = training.tenure_survival(r)
    # Worked out from the sample roster's CSV (639 rows, 177 staff; each staff member's last
    # record gives one spell of years_in_post + 0.5, "left" if left_this_year, else censored).
    # Kaplan-Meier steps, at risk n and leavers d at each time (staff censored at 0.5 drop out):
    #   t    1.5  2.5  3.5  4.5  5.5  6.5  7.5  8.5
    #   n    158  129  105   92   77   71   56   44
    #   d     17   14    9    9    5    6    3    4
    # S(7.5) = 141/158 * 115/129 * 96/105 * 83/92 * 72/77 * 65/71 * 53/56 = 0.53165 > 0.5
    # S(8.5) = S(7.5) * 40/44 = 0.48332 <= 0.5, so the median is 8.5 years.
    s75 = 141 / 158 * 115 / 129 * 96 / 105 * 83 / 92 * 72 / 77 * 65 / 71 * 53 / 56
    assert (res.workers, res.leavers) == (177, 79)
    curve = res.curve.set_index("years")["survival"]
    assert curve[7.5] == pytest.approx(s75) and s75 == pytest.approx(0.53165, abs=1e-5)
    assert curve[8.5] == pytest.approx(s75 * 40 / 44)
    assert res.median == 8.5


def test_training_plan_by_hand():
    demand = pd.DataFrame(
        {
            "module": ["岗前", "政策", "年度"],
            "days": [5.0, 3.0, 1.0],
            "workers": [41, 40, 0],
            "person_days": [205.0, 120.0, 0.0],
        }
    )
    out = training.plan(demand, class_size=40, cost_per_person_day=300)
    # 41 workers in classes of 40: 2 classes of 5 days = 10 class-days; 40: 1 class, 3 days
    assert out["classes"].tolist() == [2, 1, 0]
    assert out["class_days"].tolist() == [10.0, 3.0, 0.0]
    assert out["cost"].tolist() == [61500.0, 36000.0, 0.0]  # person-days x 300
    with pytest.raises(ValueError, match="class_size"):
        training.plan(demand, class_size=0)
