"""Publishing helpers: safe reversible folder names, atomic swap, recovery, index escaping."""

import json
import shutil

import pytest
from conftest import parse_html
from hypothesis import given
from hypothesis import strategies as st

from analysis.pipeline import publish


@pytest.mark.parametrize(
    ("scope", "folder"),
    [
        ("丙县", "丙县"),
        ("all", "all"),
        ("../etc", "%2E%2E%2Fetc"),
        ("a/b", "a%2Fb"),
        ("<b>x</b>", "%3Cb%3Ex%3C%2Fb%3E"),
        ("a b", "a%20b"),
        ("", "%00empty"),
        ("100%", "100%25"),
    ],
)
def test_scope_dir(scope, folder):
    assert publish.scope_dir(scope) == folder
    assert publish.scope_from_dir(folder) == scope


@given(st.text(max_size=30))
def test_scope_dir_is_safe_and_reversible(scope):
    folder = publish.scope_dir(scope)
    assert "/" not in folder and "\\" not in folder and "\x00" not in folder
    assert folder not in {".", ".."} and not folder.startswith(".")
    assert publish.scope_from_dir(folder) == scope


def test_swap_and_recover(tmp_path):
    final = tmp_path / "2024" / "丙县"
    final.mkdir(parents=True)
    (final / "report.html").write_text("old")
    staged = tmp_path / "staged"
    staged.mkdir()
    (staged / "report.html").write_text("new")
    publish.swap_into_place(staged, final)
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in final.parent.iterdir()) == ["丙县"]
    # a build killed between the two renames leaves only the .old folder: it is restored
    final.rename(final.with_name("丙县.old-123"))
    messages = publish.recover(tmp_path)
    assert (final / "report.html").read_text() == "new" and "restored" in messages[0]


def test_index_escapes_everything(tmp_path):
    from analysis.pipeline.plan import Report
    from analysis.pipeline.records import ReportRecord, Status

    scope = "<script>alert(1)</script>"
    report = Report(tmp_path / "x.yml", 2024, scope, "<img src=x onerror=alert(1)>", "", {})
    record = ReportRecord(report, Status.ERROR, reason="bad <b>key</b>", cause="plan")
    publish.write_index(tmp_path, {(2024, scope): record})
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    parser = parse_html(page)
    assert parser.tags.count("script") == 1  # the page's own filter script, nothing injected
    assert "img" not in parser.tags and "b" not in parser.tags
    assert "<script>alert(1)</script>" in "".join(parser.text)


def test_results_are_checked_against_the_schema_before_publishing():
    from analysis.errors import WorkbenchError

    schema = json.loads(publish.RESULTS_SCHEMA.read_text(encoding="utf-8"))
    good = {
        "schema_version": 1,
        "report": {
            "title": "t",
            "year": 2024,
            "scope": "丙县",
            "scope_dir": "丙县",
            "issuer": "",
            "date": "2024年12月1日",
            "synthetic": True,
        },
        "results": {},
        "figures": [],
        "tables": [],
        "disclosure": {
            "k": 3,
            "suppressed_cells": 0,
            "audit": "passed",
            "output_check_csv": "output_check.csv",
            "checks": [],
        },
        "provenance": {
            "git_commit": None,
            "git_dirty": None,
            "inputs": [],
            "parameters": {},
            "packages": {},
            "python": "3.11.7",
            "renderer": "pandoc",
        },
        "build": {"report_key": "k", "jobs": []},
    }
    assert set(good) == set(schema["required"])
    publish.validate_results(good)  # a complete, well-typed document passes
    failed = {**good, "disclosure": {**good["disclosure"], "audit": "unchecked"}}
    with pytest.raises(WorkbenchError, match=r"at disclosure\.audit"):
        publish.validate_results(failed)
    bad = {**good, "report": {**good["report"], "year": "2024"}}
    with pytest.raises(WorkbenchError, match=r"at report\.year: '2024' is not of type 'integer'"):
        publish.validate_results(bad)


def _records(tmp_path):
    from analysis.pipeline.plan import Report
    from analysis.pipeline.records import ReportRecord, Status

    out = {}
    for year, scope, status, reason in [
        (2023, "甲县", Status.SKIPPED, ""),
        (2024, "甲县", Status.OK, ""),
        (2024, "乙县", Status.FAILED, "render: typst failed"),
        (2024, "丙县", Status.ERROR, "key 'colour': unknown parameter"),
    ]:
        report = Report(tmp_path / "p.yml", year, scope, f"{scope}{year}年报告", "", {})
        out[(year, scope)] = ReportRecord(report, status, reason=reason)
    return out


def test_index_groups_by_year_and_counts(tmp_path):
    page = publish.write_index(tmp_path, _records(tmp_path)).read_text(encoding="utf-8")
    text = "".join(parse_html(page).text)
    assert "共4份报告：本次生成1份，未变化1份，失败2份" in text
    assert page.index("<h2>2024年（3份）</h2>") < page.index("<h2>2023年（1份）</h2>")
    assert page.count('data-status="failed"') == 1 and page.count('data-status="error"') == 1


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Debian chromium not installed (make sysdeps installs it as root)",
)
def test_index_filter_in_a_browser(tmp_path):
    from playwright.sync_api import sync_playwright

    index = publish.write_index(tmp_path, _records(tmp_path))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(index.as_uri())
        visible = "() => [...document.querySelectorAll('tbody tr')].filter(r => !r.hidden).length"
        assert page.evaluate(visible) == 4
        page.fill("#filter", "甲县")
        assert page.evaluate(visible) == 2
        page.fill("#filter", "2023")  # a year matches its section's heading
        assert page.evaluate(visible) == 1
        page.fill("#filter", "")
        page.check("#only-failed")
        assert page.evaluate(visible) == 2
        assert page.evaluate("() => document.querySelectorAll('section:not([hidden])').length") == 1
        browser.close()
