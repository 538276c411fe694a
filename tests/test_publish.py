"""Publishing helpers: safe reversible folder names, atomic swap, recovery, index escaping."""

import json

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
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
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
        "disclosure": {"k": 3, "suppressed_cells": 0},
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
    bad = {**good, "report": {**good["report"], "year": "2024"}}
    with pytest.raises(WorkbenchError, match=r"at report\.year: '2024' is not of type 'integer'"):
        publish.validate_results(bad)
