"""The report notebooks run with other parameters, publish their results, and fail clearly."""

import json

import nbformat
import papermill as pm
import pytest
import yaml
from conftest import ROOT

from analysis import results

NOTEBOOKS = ROOT / "notebooks"
KEYS = {
    "02_staffing": {
        "staffing.townships_short",
        "staffing.gap_fte",
        "staffing.caseload_per_fte",
        "staffing.model_family",
        "staffing.series",
    },
    "03_funds": {
        "funds.upper_share",
        "funds.local_share",
        "funds.social_share",
        "funds.upper_trend",
        "funds.shortfall_rate",
        "funds.series",
    },
    "04_training": {
        "training.turnover_rate",
        "training.median_tenure",
        "training.demand_person_days",
        "training.series",
    },
    "05_policy": {
        "policy.scenarios",
        "policy.allocation",
        "policy.office",
        "policy.sensitivity",
        "policy.training_plan",
    },
}


def run(name, tmp_path, **params):
    out = tmp_path / f"{name}.ipynb"
    params.setdefault("output_dir", str(tmp_path / "out"))
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    return out


@pytest.mark.parametrize("name", sorted(KEYS))
def test_runs_for_a_county_and_year(tmp_path, name):
    out = run(name, tmp_path, year=2023, scope="乙县")
    found = results.collect(out)
    assert KEYS[name] <= set(found)
    pngs = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    csvs = list((tmp_path / "out").glob("*.csv"))
    assert len(pngs) >= 2 and len(csvs) >= 3
    for csv in csvs:
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    text = json.dumps(nbformat.read(out, as_version=4), ensure_ascii=False)
    assert "2023年乙县" in text


def test_a_first_year_report_says_there_is_no_previous_year(tmp_path):
    out = run("02_staffing", tmp_path, year=2019, scope="乙县")  # 2019: the sample's first year
    text = json.dumps(nbformat.read(out, as_version=4), ensure_ascii=False)
    assert "调查数据中没有2018年乙县的记录" in text
    series = results.collect(out)["staffing.series"]
    assert [r["year"] for r in series] == [2019]


def test_policy_chapter_with_no_new_posts_and_with_a_budget(tmp_path):
    (tmp_path / "none").mkdir()
    (tmp_path / "budget").mkdir()
    out = run("05_policy", tmp_path / "none", scope="乙县", new_posts=0)
    text = json.dumps(nbformat.read(out, as_version=4), ensure_ascii=False)
    assert "不作分配" in text and results.collect(out)["policy.allocation"]["posts"] == 0
    # 250,000 yuan a year at the default mix (0.5 x 120,698 + 0.5 x 68,340 = 94,519) pays 2 posts
    out = run(
        "05_policy", tmp_path / "budget", scope="乙县", budget=250000.0, allocation_rule="gap"
    )
    alloc = results.collect(out)["policy.allocation"]
    assert (alloc["posts"], alloc["rule"]) == (2, "gap")


def test_staffing_scope_really_restricts(tmp_path):
    found = results.collect(run("02_staffing", tmp_path, year=2023, scope="乙县"))
    assert found["staffing.townships"] == 12  # 乙县 has 12 townships in the sample


def error_of(tmp_path, name, **params):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(name, tmp_path, **params)
    return info.value


def test_overlapping_norm_is_named(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        yaml.safe_dump(
            {
                "name": "x",
                "source": "t",
                "basis": "population",
                "tiers": [{"below": 30000, "min_staff": 2}, {"from": 20000, "min_staff": 3}],
            }
        ),
        encoding="utf-8",
    )
    err = error_of(tmp_path, "02_staffing", norm=str(bad))
    assert err.ename == "NormError"
    assert str(bad) in err.evalue and "overlap" in err.evalue


@pytest.mark.parametrize("name", sorted(KEYS))
def test_unknown_scope_is_named(tmp_path, name):
    err = error_of(tmp_path, name, scope="丁县")
    assert err.ename == "SelectionError"
    assert "丁县" in err.evalue and "甲县" in err.evalue  # says what exists


def test_year_without_rows_is_named(tmp_path):
    err = error_of(tmp_path, "02_staffing", year=2010)
    assert err.ename == "SelectionError"
    assert "2010" in err.evalue and "2019" in err.evalue
