"""Secondary suppression, its audit, withheld averages and models (analysis.sdc).

Every expected pattern and interval below is worked out by hand in the comments.
"""

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis import sdc
from analysis.pipeline import document
from analysis.present import Publisher

# A 2x3 table of workers with all margins published:
#
#            x    y    z  | total
#      A     2   10   20  |   32
#      B     8   12   30  |   50
#   total   10   22   50  |   82
COUNTS = {
    ("A", "x"): 2,
    ("A", "y"): 10,
    ("A", "z"): 20,
    ("B", "x"): 8,
    ("B", "y"): 12,
    ("B", "z"): 30,
}


def units(counts=COUNTS):
    rows = [{"row": r, "col": c} for (r, c), n in counts.items() for _ in range(n)]
    return pd.DataFrame(rows)


def statuses(prot):
    cells = prot.cells[(prot.cells["row"] != sdc.TOTAL) & (prot.cells["col"] != sdc.TOTAL)]
    return {(r, c): s for r, c, s in zip(cells["row"], cells["col"], cells["status"], strict=True)}


def test_one_primary_cell_forces_the_hand_derived_secondaries():
    # A:x = 2 < 3 is primary. Row A's total is published, so one more cell of row A
    # must go; column x's total is published, so B:x must go; then row B has one blank
    # and needs a second, in the column of A's second blank (a rectangle). The two
    # rectangles are {A:x, A:y, B:x, B:y} (suppressed total 2+10+8+12 = 32) and
    # {A:x, A:z, B:x, B:z} (2+20+8+30 = 60): the optimum blanks y.
    prot = sdc.protect_counts(units(), ["row", "col"], name="t", k=3, protection=2)
    assert statuses(prot) == {
        ("A", "x"): "primary",
        ("A", "y"): "secondary",
        ("A", "z"): "safe",
        ("B", "x"): "secondary",
        ("B", "y"): "secondary",
        ("B", "z"): "safe",
    }
    assert prot.passed and prot.failures == []
    blanked = prot.cells[prot.cells["status"].isin(["primary", "secondary"])]
    assert (blanked["lower"] <= blanked["count"]).all()
    assert (blanked["upper"] >= blanked["count"]).all()
    primary = blanked[blanked["status"] == "primary"].iloc[0]
    assert primary["upper"] - primary["lower"] >= 2
    # The same pattern audited by the LP: with t = A:x, A:y = 12 - t, B:x = 10 - t,
    # B:y = 10 + t, all >= 0, so t lies in [0, 10].
    values = {f"{r}{c}": float(n) for (r, c), n in COUNTS.items()}
    values |= {"A": 32.0, "B": 50.0, "x": 10.0, "y": 22.0, "z": 50.0}
    rel = [
        {"A": 1, "Ax": -1, "Ay": -1, "Az": -1},
        {"B": 1, "Bx": -1, "By": -1, "Bz": -1},
        {"x": 1, "Ax": -1, "Bx": -1},
        {"y": 1, "Ay": -1, "By": -1},
        {"z": 1, "Az": -1, "Bz": -1},
    ]
    audit, failures = sdc.audit_linear(values, ["Ax", "Ay", "Bx", "By"], rel, name="t", k=3)
    got = audit.set_index("cell")
    assert failures == []
    assert (got.loc["Ax", "lower"], got.loc["Ax", "upper"]) == (0, 10)
    assert (got.loc["By", "lower"], got.loc["By", "upper"]) == (10, 20)
    assert got.loc["Ax", "status"] == "primary" and got.loc["Ay", "status"] == "secondary"


def test_the_pattern_is_the_same_on_the_same_data():
    first = sdc.protect_counts(units(), ["row", "col"], name="t", k=3)
    again = sdc.protect_counts(
        units().sample(frac=1, random_state=7), ["row", "col"], name="t", k=3
    )
    assert first.cells.to_csv(index=False) == again.cells.to_csv(index=False)


def test_audit_catches_primary_suppression_only():
    # Only A:x blanked: row A's total 32 minus 10 and 20 gives it back, [2, 2].
    audited = sdc.audit_pattern(units(), ["row", "col"], [{"row": "A", "col": "x"}], name="t", k=3)
    assert not audited.passed
    assert any("row=A、col=x" in f and "[2, 2]" in f for f in audited.failures)
    with pytest.raises(sdc.DisclosureError, match="row=A、col=x"):
        audited.require()
    # A primary cell left out of the pattern fails too.
    left_out = sdc.audit_pattern(units(), ["row", "col"], [], name="t", k=3)
    assert any("row=A、col=x" in f and "published" in f for f in left_out.failures)
    # The full pattern passes.
    full = [{"row": "A", "col": "x"}, {"row": "A", "col": "y"}, {"row": "B", "col": "x"}]
    full.append({"row": "B", "col": "y"})
    assert sdc.audit_pattern(units(), ["row", "col"], full, name="t", k=3).passed


def test_a_table_with_primary_suppression_only_is_refused(tmp_path):
    pub = Publisher(tmp_path)
    table = pd.DataFrame({"township": ["A", "B", "C"], "workers": [2, 10, 12]})
    with pytest.raises(sdc.DisclosureError, match="'t'.*row 0, column 工作人员"):
        pub.table(table, "t", "表", count_cols=["workers"], labels={"workers": "工作人员"})
    fine = pd.DataFrame({"township": ["A", "B"], "workers": [0, 10]})
    pub.table(fine, "fine", "表", count_cols=["workers"])
    assert pub.checks[-1]["audit"] == "passed" and pub.checks[-1]["cells"] == []


def test_a_table_whose_audit_failed_is_refused_naming_the_cell(tmp_path):
    flows = pd.DataFrame(
        {"year": [2020], "leavers": [1], "joiners": [2], "start": [2], "end": [3]}
    ).assign(turnover_rate=0.4)
    # Two at the start (published), three at the end: joiners = leavers + 1. Leavers
    # lie in [0, 2] (at most the two at the start: their whole range, enough); joiners
    # in [1, 3], 2 units wide where protection 3 asks for 3 (joiners can be up to 3).
    # The small stocks themselves are head-counts, published: no failure.
    out = sdc.protect_flows(flows, k=3, protection=3)
    assert out.attrs["sdc"]["audit"] == "failed"
    assert out.attrs["failures"] == [
        "turnover: cell 2020年新进 (count 2) can be narrowed to [1, 3], narrower than 3 units"
    ]
    with pytest.raises(sdc.DisclosureError, match="'turnover'.*2020年新进.*\\[1, 3\\]"):
        Publisher(tmp_path).table(out, "turnover", "流动", count_cols=[])


def test_an_average_over_three_workers_is_withheld():
    table = pd.DataFrame({"office": ["a", "b"], "workers": [3, 5], "mean_need": [0.4, 0.6]})
    out = sdc.withhold_small_means(table, ["mean_need"], "workers", min_group=5)
    assert np.isnan(out.loc[0, "mean_need"]) and out.loc[1, "mean_need"] == 0.6
    assert out.attrs["withheld"] == [(0, "mean_need")]
    with pytest.raises(ValueError, match="min_group"):
        sdc.withhold_small_means(table, ["mean_need"], "workers", min_group=0)


def roster(offices):
    """Workers in post: office -> (county, workers, high-need workers)."""
    rows, scores = [], []
    for office, (county, n, high) in offices.items():
        for i in range(n):
            rows.append({"county": county, "township": office})
            scores.append(0.9 if i < high else 0.1)
    return pd.DataFrame(rows), pd.Series(scores)


def test_needs_apply_the_frequency_rule_to_both_sides_of_a_published_head_count():
    # County C: a (1 worker, 0 high-need), b (4 workers, 3 high: the other 1 is a
    # complement under 3), c (6 workers, 0 high), d (6 workers, 6 high).
    # County total 9, published. Primary: a (a zero in an office of one), b (its
    # complement). a + b = 9 - 0 - 6 = 3 is known; a in [0, 1] (its whole range),
    # b = 3 - a in [2, 3]: narrower than 2 units, so a secondary must join them.
    # The cheapest is c (0 is empty, Tau-Argus cannot blank it) or d (6): d goes;
    # then a + b + d = 9 with a <= 1, b <= 4, d <= 6: b in [9 - 1 - 6, 4] = [2, 4],
    # a in [0, 1] (its whole range), d in [9 - 1 - 4, 6] = [4, 6].
    frame, scores = roster({"a": ("C", 1, 0), "b": ("C", 4, 3), "c": ("C", 6, 0), "d": ("C", 6, 6)})
    table, audit = sdc.protect_needs(frame, scores, 0.5, k=3, protection=2, min_group=5)
    got = table.set_index("township")
    assert got["workers"].to_dict() == {"a": 1, "b": 4, "c": 6, "d": 6}  # head-counts stay
    assert got["high_need"].isna().to_dict() == {"a": True, "b": True, "c": False, "d": True}
    assert got.loc["c", "high_need"] == 0
    assert got["mean_need"].isna().to_dict() == {"a": True, "b": True, "c": False, "d": False}
    iv = audit.set_index("cell")
    assert (iv.loc["C／b", "lower"], iv.loc["C／b", "upper"]) == (2, 4)
    assert (iv.loc["C／a", "lower"], iv.loc["C／a", "upper"]) == (0, 1)
    assert (iv.loc["C／d", "lower"], iv.loc["C／d", "upper"]) == (4, 6)
    assert iv.loc["C／b", "status"] == "primary" and iv.loc["C／d", "status"] == "secondary"
    assert table.attrs["sdc"]["audit"] == "passed"
    assert table.attrs["total_blanked"] is False


def test_flows_tied_by_published_stocks_are_blanked_together():
    # 2020: 31 at the start and the end, 1 leaver and 1 joiner. With 年末 = 年初 + 新进
    # - 离岗 the two are equal, so blanking one alone gives it back; both go, and
    # each lies in [0, 31] (leavers <= 年初 31, joiners <= 年末 31).
    flows = pd.DataFrame(
        {
            "year": [2019, 2020],
            "leavers": [6, 1],
            "joiners": [5, 1],
            "start": [32, 31],
            "end": [31, 31],
            "turnover_rate": [6 / 31.5, 1 / 31],
        }
    )
    out = sdc.protect_flows(flows, k=3, protection=2)
    assert out.attrs["blanked_years"] == [2020]
    assert out.loc[1, ["leavers", "joiners", "turnover_rate"]].isna().all()
    assert out.loc[0, "leavers"] == 6 and out.loc[1, "start"] == 31
    cells = {(c["row"], c["column"]): c for c in out.attrs["sdc"]["cells"]}
    assert (cells[("2020年", "离岗")]["lower"], cells[("2020年", "离岗")]["upper"]) == (0, 31)
    assert out.attrs["sdc"]["audit"] == "passed"


def ols(n):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 2))
    y = x @ [1.0, -0.5] + rng.normal(size=n)
    return sm.OLS(y, sm.add_constant(x)).fit()


def test_a_regression_with_too_few_residual_degrees_of_freedom_is_withheld(tmp_path):
    # 8 observations, 3 parameters: 5 residual degrees of freedom, under 10.
    check = sdc.check_model(ols(8), min_dof=10)
    assert not check.passed and check.dof == 5
    assert "残差自由度为5" in check.text() and "10" in check.text()
    # 40 observations: 37.
    good = sdc.check_model(ols(40), min_dof=10)
    assert good.passed and good.dof == 37 and good.text() == ""
    pub = Publisher(tmp_path)
    coef = pd.DataFrame({"term": ["x1"], "coef": [1.0]})
    with pytest.raises(sdc.DisclosureError, match="'m'"):
        pub.table(coef, "m", "模型", count_cols=[], model=check)
    pub.withheld("m", "模型结果", check)
    assert pub.checks[-1]["withheld"] == {"model": 1} and pub.checks[-1]["table"] == "m"
    pub.table(coef, "m2", "模型", count_cols=[], model=good)
    assert pub.checks[-1]["rule"].startswith("模型残差自由度不少于10")


def test_a_figure_resting_on_few_workers_is_refused(tmp_path):
    import matplotlib.pyplot as plt

    pub = Publisher(tmp_path)
    data = pd.DataFrame({"module": ["a", "b"], "workers": [2, 9]})
    with pytest.raises(sdc.DisclosureError, match="'bars'.*column workers rests on 2"):
        pub.figure(plt.figure(), "bars", "图", data=data, count_cols=["workers"], k=3)
    data.loc[0, "workers"] = np.nan  # blanked upstream: not drawn
    pub.figure(plt.figure(), "bars", "图", data=data, count_cols=["workers"], k=3)
    assert pub.checks[-1]["audit"] == "passed"


def test_the_output_check_appendix_lists_rules_cells_and_intervals():
    checks = [
        {
            **sdc.record(
                "needs",
                rule="频数规则",
                cells=[
                    {
                        "row": "丙县 甲镇",
                        "column": "高需求人数",
                        "reason": "primary",
                        "lower": 0.0,
                        "upper": 4.0,
                    },
                    {"row": "丙县 乙镇", "column": "平均需求得分", "reason": "small group"},
                ],
                passed=True,
            ),
            "label": "表11",
            "caption": "各乡镇培训需求得分",
            "chapter": "04_training",
        },
        {
            **sdc.record("clean", rule="频数规则", cells=[], passed=True),
            "label": "表1",
            "caption": "配备情况",
            "chapter": "02_staffing",
        },
    ]
    md = document.output_check_markdown(checks)
    assert "| 表11 | 各乡镇培训需求得分 | 频数规则 | 1 | 0 | 1 | 通过 |" in md
    assert "| 表11 | 丙县 甲镇 | 高需求人数 | 少于阈值（主隐藏） | [0, 4] |" in md
    assert "全部通过审核" in md
    rows = document.output_check_rows(checks)
    assert len(rows) == 3 and rows[2]["label"] == "表1" and rows[2]["reason"] == ""
    failed = [{**checks[1], "audit": "failed"}]
    assert "有1项未通过审核" in document.output_check_markdown(failed)
    json.dumps(rows)  # JSON-ready for results.json
