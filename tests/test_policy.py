"""Policy scenarios, worked by hand on a 6-township frame."""

import math

import pandas as pd
import pytest

from analysis.policy import DEFAULT_POST_COSTS, allocate, closing_cost, posts_for_budget


@pytest.fixture
def six():
    # caseload per FTE: A 150, B 200, C 100, D 120, E 180, F 50
    return pd.DataFrame(
        {
            "township": list("ABCDEF"),
            "fte": [2.0, 1.0, 4.0, 0.5, 3.0, 2.0],
            "caseload": [300.0, 200.0, 400.0, 60.0, 540.0, 100.0],
            "gap": [1.0, 2.5, 0.0, 1.5, 0.0, 0.5],
        }
    )


def by_town(out, col):
    return dict(zip(out["township"], out[col], strict=True))


def test_largest_caseload_first(six):
    # B (200) -> 100; E (180) -> 135; A (150) -> 100; E (135) -> 108
    out = allocate(six, 4, "caseload")
    assert by_town(out, "new_posts") == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 2, "F": 0}
    assert by_town(out, "fte_after") == {"A": 3, "B": 2, "C": 4, "D": 0.5, "E": 5, "F": 2}
    after = by_town(out, "caseload_per_fte_after")
    assert after == {"A": 100, "B": 100, "C": 100, "D": 120, "E": 108, "F": 50}
    assert out.attrs == {"rule": "caseload", "posts": 4, "unallocated": 0}


def test_largest_gap_first_ties_to_the_first_listed(six):
    # B 2.5 -> 1.5; B and D tie at 1.5: B (listed first) -> 0.5; D 1.5 -> 0.5; A 1.0 -> 0
    out = allocate(six, 4, "gap")
    assert by_town(out, "new_posts") == {"A": 1, "B": 2, "C": 0, "D": 1, "E": 0, "F": 0}
    assert by_town(out, "gap_after") == {"A": 0, "B": 0.5, "C": 0, "D": 0.5, "E": 0, "F": 0.5}


def test_a_budget_that_runs_out_mid_township(six):
    posts = posts_for_budget(250_000, DEFAULT_POST_COSTS["编制内"])  # 250000 / 120698 = 2.07
    assert posts == 2
    out = allocate(six, posts, "gap")
    # B needs 3 whole posts to close 2.5 FTE; the budget pays for 2, so B stays 0.5 short
    assert by_town(out, "new_posts") == {"A": 0, "B": 2, "C": 0, "D": 0, "E": 0, "F": 0}
    assert by_town(out, "gap_after")["B"] == 0.5


def test_gap_rule_stops_when_every_gap_is_closed(six):
    # whole posts needed: A 1, B 3, D 2, F 1 = 7; three of ten are left over
    out = allocate(six, 10, "gap")
    assert by_town(out, "new_posts") == {"A": 1, "B": 3, "C": 0, "D": 2, "E": 0, "F": 1}
    assert out.attrs["unallocated"] == 3
    assert (out["gap_after"] == 0).all()


def test_closing_cost_by_hand(six):
    got = closing_cost(six, {"编制内": 0.6, "购买服务": 0.4})
    # 7 whole posts; 0.6 * 120698 + 0.4 * 68340 = 99754.8 yuan per post
    assert got["posts"] == 7
    assert math.isclose(got["cost_per_post"], 99754.8)
    assert math.isclose(got["cost"], 698283.6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda f: allocate(f, 1, "random"), "unknown allocation rule 'random'"),
        (lambda f: allocate(f, -1), "posts must be >= 0"),
        (lambda f: allocate(f.drop(columns="gap"), 1), r"needs the columns \['gap'\]"),
        (lambda f: closing_cost(f, {"编制内": 0.5}), "sum to 1"),
        (lambda f: closing_cost(f, {"临时工": 1.0}), r"no cost per post for \['临时工'\]"),
        (lambda f: posts_for_budget(100, 0), "cost per post > 0"),
    ],
)
def test_bad_inputs_say_what_is_wrong(six, call, message):
    with pytest.raises(ValueError, match=message):
        call(six)


def test_sensitivity_to_the_parttime_weight_by_hand():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from frames import six_townships

    from analysis import norms
    from analysis.policy import sensitivity, sensitivity_sentence

    # Fujian norm: <20000 -> 1, [20000, 50000) -> 2, >= 50000 -> 3; fte = ft + w * (total - ft)
    # 一镇 1 (needs 1); 二镇 1+2w (2): short when w < 0.5; 三乡 2w (2): always short;
    # 四镇 3+w (2): never; 五街道 2 (3): always; 六乡 w (2): always
    grid, towns = sensitivity(six_townships(), norms.resolve("fujian_2018"), (0.3, 0.5, 0.7))
    assert grid["townships_short"].tolist() == [4, 3, 3]
    # gaps: w=0.3: 0.4+1.4+1+1.7 = 4.5; w=0.5: 1+1+1.5 = 3.5; w=0.7: 0.6+1+1.3 = 2.9
    assert [round(g, 6) for g in grid["gap_total"]] == [4.5, 3.5, 2.9]
    assert dict(zip(towns["township"], towns["short_in"], strict=True)) == {
        "一镇": 0, "二镇": 1, "三乡": 3, "四镇": 0, "五街道": 3, "六乡": 3,
    }  # fmt: skip
    assert sensitivity_sentence(towns) == (
        "在全部3种假设下，三乡、五街道、六乡均低于配备标准；二镇（1种）是否短缺取决于假设。"
    )


def test_working_conditions_by_hand():
    from frames import six_townships

    from analysis import norms, staffing
    from analysis.policy import working_conditions

    frame = six_townships().assign(
        office_area_m2=[160, 40, 60, 150, 30, 90], functions_count=[10, 12, 9, 14, 8, 6]
    )
    assessed = staffing.assess(frame, norms.resolve("fujian_2018"))
    area = {
        "office": norms.resolve("seed_sanhe_office_2009"),  # 150 m² for 镇, 乡 and 街道
        "station": norms.resolve("seed_station_office"),  # 50 m²
    }
    out = working_conditions(assessed, area).set_index("county")
    # FTE 1, 2, 1, 3.5, 2, 0.5 -> functions per FTE 10, 6, 9, 4, 4, 12
    # 甲县 = 一镇, 二镇, 三乡: areas 160, 40, 60; 乙县 = 四镇, 五街道, 六乡: 150, 30, 90
    assert out.loc["甲县"].to_dict() == {
        "townships": 3, "area_median": 60.0, "area_min": 40, "functions_median": 10.0,
        "functions_per_fte": 9.0, "short_office": 2, "short_station": 1,
    }  # fmt: skip
    assert out.loc["乙县"].to_dict() == {
        "townships": 3, "area_median": 90.0, "area_min": 30, "functions_median": 8.0,
        "functions_per_fte": 4.0, "short_office": 2, "short_station": 1,
    }  # fmt: skip
    overall = working_conditions(assessed.assign(all="all"), area, by="all").iloc[0]
    assert overall["functions_per_fte"] == 7.5  # median of 4, 4, 6, 9, 10, 12
