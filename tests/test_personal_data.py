"""Personal data never reaches outputs, and small cells are withheld with a note."""

import warnings

import nbformat
import pandas as pd
import pytest
from conftest import SAMPLE_ROSTER, run_notebook

from analysis import results, surveys


@pytest.fixture
def roster_with_names(tmp_path):
    df = pd.read_csv(SAMPLE_ROSTER, encoding="utf-8-sig", dtype=str)
    df.insert(3, "姓名", [f"测试姓名{i:04d}" for i in range(len(df))])
    df.insert(4, "身份证号", [f"11010119900101{i:04d}" for i in range(len(df))])
    path = tmp_path / "roster_with_names.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_loader_drops_personal_columns(roster_with_names):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = surveys.load_roster(roster_with_names)
    assert "姓名" not in df.columns and "身份证号" not in df.columns
    assert not df.astype(str).apply(lambda c: c.str.contains("测试姓名")).any().any()
    msgs = [str(w.message) for w in caught if issubclass(w.category, surveys.PersonalDataWarning)]
    assert len(msgs) == 2 and "'姓名' holds personal data" in msgs[0]


def test_names_never_reach_outputs_and_small_cells_are_withheld(roster_with_names, tmp_path):
    out = run_notebook("04_training", tmp_path, scope="丙县", roster_path=str(roster_with_names))
    texts = [out.read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8-sig") for p in (tmp_path / "out").glob("*.csv")
    ]
    assert not any("测试姓名" in t or "110101199001" in t for t in texts)
    needs = pd.read_csv(tmp_path / "out/township_needs.csv", encoding="utf-8-sig")
    roster = surveys.select(surveys.load_roster(SAMPLE_ROSTER), 2024, "丙县")
    in_post = roster[~roster["left_this_year"]].groupby("township").size()
    small = set(in_post[(in_post > 0) & (in_post < 3)].index)
    assert small, "the sample has townships with 1-2 workers"
    for _, row in needs.iterrows():
        # the head-count is the staffing chapter's, published; what rests on the
        # workers (their high-need count, their mean score) is not, in a small office
        assert row["在岗人数"] == in_post[row["乡镇（街道）"]]
        assert pd.isna(row["平均需求得分"])  # every office of 丙县 has fewer than 5 workers
        if row["乡镇（街道）"] in small:
            assert pd.isna(row["高需求人数"]), row["乡镇（街道）"]
    nb = nbformat.read(out, as_version=4)
    shown = "".join(
        o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "依据少于3人的单元格及可由合计、其他表格推算出它们的单元格不予公布" in shown
    assert "人数过少的组的平均值不予公布（13个）" in shown


def test_glue_withholds_values_resting_on_few_units(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    results.glue("a", 2, units=2)
    results.glue("b", 7, units=7)
    results.glue("c", 0.5, units=0)
    values = {d[results.MIME]["name"]: d[results.MIME]["value"] for d in shown}
    assert values == {"a": None, "b": 7, "c": 0.5}


def test_k_min_is_the_threshold_everywhere(tmp_path):
    """With k_min 5, cells and key figures resting on 3 or 4 workers are withheld too."""
    out = run_notebook("04_training", tmp_path, scope="丙县", k_min=5)
    roster = surveys.select(surveys.load_roster(SAMPLE_ROSTER), 2024, "丙县")
    in_post = roster[~roster["left_this_year"]].groupby("township").size()
    three_or_four = set(in_post[in_post.isin([3, 4])].index)
    assert three_or_four, "the sample has townships with 3-4 workers"
    needs = pd.read_csv(tmp_path / "out/township_needs.csv", encoding="utf-8-sig")
    for _, row in needs.iterrows():
        if row["乡镇（街道）"] in three_or_four:
            # 1-4 high-need workers rest on fewer than 5, and so does a complement of 1-4
            assert pd.isna(row["高需求人数"]), row["乡镇（街道）"]
    glued = results.collect(out)
    leavers = int(roster["left_this_year"].sum())
    assert (glued["training.turnover_rate"] is None) == (0 < leavers < 5)
    shown = "".join(
        o.get("data", {}).get("text/markdown", "")
        for c in nbformat.read(out, as_version=4).cells
        for o in c.get("outputs", [])
    )
    assert "依据少于5人的单元格及可由合计" in shown and "少于3人" not in shown


def test_summary_names_the_threshold_in_force():
    from analysis.pipeline.summary import summary_markdown

    text = summary_markdown(
        {
            "training.workers": 12,
            "training.high_need": None,
            "training.trained_share": 0.5,
            "training.turnover_rate": 0.1,
            "training.median_tenure": 4.0,
            "training.demand_person_days": 30.0,
        },
        2024,
        "丙县",
        k=5,
    )
    assert "高需求人员（少于5人或可由其他数字推算，不公布）人" in text and "少于3人" not in text
