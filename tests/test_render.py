"""Rendering and publishing a report: Quarto (house-style format extension) beside pandoc+typst.

The parity tests build the same report (2024, 丙县) with each backend and compare
what a reader sees: headings, captions, 摘要, appendix, page count, fonts, banner
and date. They run whenever ``quarto`` is on PATH and skip with the reason
otherwise. Without Quarto, the pandoc half of the broken-template test and the
tests of the notebook guard still run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from netguard import RecordingProxy
from typer.testing import CliRunner

from analysis import cli, quarto_guard
from analysis.pipeline import build as build_mod
from analysis.pipeline import cache, render

QUARTO = shutil.which("quarto")
needs_quarto = pytest.mark.skipif(
    QUARTO is None,
    reason="quarto is not on PATH (conda users get it from environment.yml; offline it can be "
    "built with ../shared/tools/quarto-offline/rebuild.sh); the pandoc backend is tested without it",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils not installed (make sysdeps installs it as root)",
)
# The report date both builds use, and how the report must print it.
EPOCH = int(dt.datetime(2024, 12, 1, 8, 0, tzinfo=dt.UTC).timestamp())
DATE = "2024年12月1日"
BANNER = "示例数据（合成），不代表真实情况"


def _options(params: Path, reports: Path, renderer: str) -> build_mod.BuildOptions:
    return build_mod.BuildOptions(
        root=ROOT,
        params=[params],
        notebooks=ROOT / "notebooks",
        reports=reports,
        defaults=ROOT / "params" / "defaults.yml",
        jobs=2,
        renderer=renderer,
    )


def _quiet():
    from rich.console import Console

    return Console(file=open(os.devnull, "w"), width=200)  # noqa: SIM115


@pytest.fixture(scope="module")
def pandoc_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("pandoc")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        result = build_mod.build(
            _options(ROOT / "params/2024_bingxian.yml", base / "reports", "pandoc"), _quiet()
        )
    assert not result.failed, result.reports
    return base / "reports"


@pytest.fixture(scope="module")
def quarto_build(tmp_path_factory):
    if QUARTO is None:
        pytest.skip("quarto is not on PATH")
    base = tmp_path_factory.mktemp("quarto")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        result = build_mod.build(
            _options(ROOT / "params/2024_bingxian.yml", base / "reports", "quarto"), _quiet()
        )
    return base / "reports", result


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def _outline(page: str) -> dict:
    """What a reader sees of an HTML report, independent of the markup around it."""
    body = page[page.index("<body") :]
    summary = body[body.index('id="summary"') :]
    appendix = body[body.index('id="ch-00_data"') :]
    return {
        "headings": [
            (t, _text(x)) for t, x in re.findall(r"<(h[123])[^>]*>(.*?)</\1>", body, re.S)
        ],
        "captions": [_text(x) for x in re.findall(r"<caption[^>]*>(.*?)</caption>", body, re.S)],
        "figures": [
            _text(x) for x in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", body, re.S)
        ],
        "summary": _text(summary[: summary.index("<h1")]),
        # the appendix names the renderer; everything else in it must agree
        "appendix": re.sub(r"渲染：.*?，Python", "渲染：…，Python", _text(appendix)),
    }


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


# ---------------------------------------------------------------- parity


@needs_quarto
def test_quarto_build_publishes_the_report(quarto_build):
    reports, result = quarto_build
    assert not result.failed, result.reports
    folder = reports / "2024/丙县"
    for name in ("report.html", "report.pdf", "results.json"):
        assert (folder / name).stat().st_size > 0, name
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert data["provenance"]["renderer"].startswith("quarto: quarto 1.")
    assert data["report"]["date"] == DATE


@needs_quarto
def test_html_has_the_same_headings_captions_summary_and_appendix(pandoc_build, quarto_build):
    pandoc = _outline((pandoc_build / "2024/丙县/report.html").read_text(encoding="utf-8"))
    quarto = _outline((quarto_build[0] / "2024/丙县/report.html").read_text(encoding="utf-8"))
    assert len(pandoc["captions"]) >= 10 and len(pandoc["figures"]) >= 5
    assert ("h1", "一、人员配备与服务对象") in pandoc["headings"]
    for key in ("headings", "captions", "figures", "summary", "appendix"):
        assert quarto[key] == pandoc[key], key


@needs_quarto
def test_html_banner_date_and_no_unpublished_links(quarto_build):
    page = (quarto_build[0] / "2024/丙县/report.html").read_text(encoding="utf-8")
    assert f'<div class="mz-banner" role="note">{BANNER}</div>' in page
    assert f'<span class="date">{DATE}</span>' in page
    assert "Invalid Date" not in page and "发布于" not in page
    assert "其他格式" not in page and "Other Formats" not in page
    linked = re.findall(r'(?:href|src)="([^"#][^"]*)"', page)
    assert [u for u in linked if not u.startswith("data:")] == []  # everything embedded
    assert "<caption>表1　" in page and '<span class="mz-unit">单位：人</span>' in page


@needs_quarto
@needs_poppler
def test_pdf_parity_pages_fonts_captions_banner_date(pandoc_build, quarto_build):
    p_pdf = pandoc_build / "2024/丙县/report.pdf"
    q_pdf = quarto_build[0] / "2024/丙县/report.pdf"
    p_pages, q_pages = _pages(p_pdf), _pages(q_pdf)
    assert abs(q_pages - p_pages) <= 0.15 * p_pages, (q_pages, p_pages)
    fonts = subprocess.run(["pdffonts", str(q_pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("NotoSerifCJK" in r for r in rows) and any("NotoSansCJK" in r for r in rows)
    assert all(" yes " in r for r in rows), fonts  # every font embedded
    p_text, q_text = _pdf_text(p_pdf), _pdf_text(q_pdf)
    order = re.compile(r"^((?:图|表)\d+)(?=\s|$)", re.M)  # caption numbers begin lines
    assert order.findall(q_text) == order.findall(p_text) and len(order.findall(q_text)) >= 15
    heads = re.compile(r"^([一二三四五六七八九十]、\S+|摘要|附录：\S+|目录)$", re.M)
    assert heads.findall(q_text) == heads.findall(p_text)
    for text in (q_text, p_text):
        flat = re.sub(r"\s+", "", text)  # pdftotext spaces out digits between CJK
        assert BANNER in flat and DATE in flat
        assert "InvalidDate" not in flat
        assert not re.search(r"(图\d+)[:：.]?\1", flat)  # no "图1 图1"


# ---------------------------------------------------------------- offline


@needs_quarto
def test_quarto_render_sends_no_request(pandoc_build, tmp_path, monkeypatch):
    """Render a published report's Markdown with Quarto behind a recording proxy."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(pandoc_build / "2024/丙县/report.md", work / "report.md")
    shutil.copytree(pandoc_build / "2024/丙县/figures", work / "figures")
    meta = {
        "title": "丙县2024年报告",
        "date": dt.date(2024, 12, 1),
        "issuer": "",
        "year": 2024,
        "scope_label": "丙县",
        "synthetic": True,
    }
    with RecordingProxy() as proxy:
        for key, value in proxy.env({}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        render.choose("quarto").render(work, meta)
    assert proxy.requests == []
    assert (work / "report.pdf").stat().st_size > 0


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@needs_quarto
@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare for a network namespace")
def test_quarto_render_in_a_network_namespace(pandoc_build, tmp_path):
    """With no network at all (a new network namespace), the Quarto render still succeeds."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(pandoc_build / "2024/丙县/report.md", work / "report.md")
    shutil.copytree(pandoc_build / "2024/丙县/figures", work / "figures")
    code = (
        "import datetime, sys; from pathlib import Path; from analysis.pipeline import render; "
        "render.choose('quarto').render(Path(sys.argv[1]), {'title': 't', 'date': "
        "datetime.date(2024, 12, 1), 'issuer': '', 'year': 2024, 'scope_label': '丙县', "
        "'synthetic': True})"
    )
    res = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, str(work)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr[-3000:]
    assert (work / "report.pdf").stat().st_size > 0 and (work / "report.html").stat().st_size > 0


# ---------------------------------------------------------------- failures are explained


def _build_bingxian(reports: Path, renderer: str):
    """``workbench build`` of 2024/丙县 in this process (so monkeypatches apply)."""
    args = ["build", "--params", str(ROOT / "params/2024_bingxian.yml"), "--out", str(reports)]
    return CliRunner().invoke(cli.app, [*args, "--renderer", renderer], env={"COLUMNS": "200"})


def _broken_style(tmp_path: Path, monkeypatch) -> None:
    style = tmp_path / "_extensions" / "minzheng"
    shutil.copytree(render.STYLE, style)
    template = style / "typst-template.typ"
    template.write_text(
        template.read_text(encoding="utf-8").replace("#let mz-report(", "#let mz-report(((", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(render, "STYLE", style)
    monkeypatch.setattr(cache, "_STYLE", style.parent)  # the report key sees the change


@pytest.mark.parametrize("renderer", ["pandoc", pytest.param("quarto", marks=needs_quarto)])
def test_broken_template_fails_the_report_with_its_reason(
    renderer, pandoc_build, tmp_path, monkeypatch, request
):
    source = pandoc_build if renderer == "pandoc" else request.getfixturevalue("quarto_build")[0]
    reports = tmp_path / "reports"
    shutil.copytree(source, reports)  # executed jobs are cached: only the render runs
    before = (reports / "2024/丙县/report.html").read_bytes()
    _broken_style(tmp_path, monkeypatch)
    res = _build_bingxian(reports, renderer)
    out = res.output
    assert res.exit_code == 1, out
    assert "report 2024/丙县 (render)" in out
    assert ("typst failed" if renderer == "pandoc" else "quarto render failed: [typst]") in out
    assert "unclosed delimiter" in out  # the renderer's own words
    assert "reports: 0 published, 0 unchanged, 1 failed" in out.replace("\n", " ")
    assert (reports / "2024/丙县/report.html").read_bytes() == before  # last good report kept
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "失败（保留上次结果）" in index and "unclosed delimiter" in index


def test_any_other_report_failure_is_printed_with_its_reason(pandoc_build, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    shutil.copytree(pandoc_build, reports)
    monkeypatch.setattr(cache, "_STYLE", tmp_path / "no-style")  # new report key: re-assemble

    def broken(*args, **kwargs):
        raise KeyError("caption")

    from analysis.pipeline import document

    monkeypatch.setattr(document, "assemble", broken)
    res = _build_bingxian(reports, "pandoc")
    assert res.exit_code == 1, res.output
    assert "report 2024/丙县 (assemble)" in res.output and "KeyError: 'caption'" in res.output
    assert "KeyError: &#x27;caption&#x27;" in (reports / "index.html").read_text(encoding="utf-8")


def test_results_json_that_breaks_the_schema_is_not_published(pandoc_build, tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    shutil.copytree(pandoc_build, reports)
    before = (reports / "2024/丙县/results.json").read_bytes()
    monkeypatch.setattr(cache, "_STYLE", tmp_path / "no-style")  # new report key: re-assemble
    monkeypatch.setattr(build_mod.publish, "SCHEMA_VERSION", 2)  # the schema says const 1
    res = _build_bingxian(reports, "pandoc")
    assert res.exit_code == 1, res.output
    assert "results.json does not match results.schema.json at schema_version" in res.output
    assert (reports / "2024/丙县/results.json").read_bytes() == before


# ---------------------------------------------------------------- researchers' Quarto workflow


def _mini_project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    for name in ("_quarto.yml", "_extensions", "data", "src/analysis/quarto_guard.py"):
        src = ROOT / name
        (proj / name).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, proj / name)
    (proj / "notebooks").mkdir()
    shutil.copyfile(ROOT / "notebooks/02_staffing.ipynb", proj / "notebooks/02_staffing.ipynb")
    return proj


@needs_quarto
def test_quarto_render_of_one_notebook_offline_in_house_style(tmp_path):
    proj = _mini_project(tmp_path)
    notebook = proj / "notebooks/02_staffing.ipynb"
    before = notebook.read_bytes()
    with RecordingProxy() as proxy:
        env = proxy.env()
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # the activated env
        res = subprocess.run(
            [
                QUARTO,
                "render",
                "notebooks/02_staffing.ipynb",
                "--execute",
                "-P",
                "year:2024",
                "-P",
                "scope:丙县",
            ],
            cwd=proj,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
    assert res.returncode == 0, res.stderr[-3000:]
    assert proxy.requests == []
    assert notebook.read_bytes() == before  # Quarto's write-back is undone
    assert not (proj / "reports").exists()
    page = (proj / "_preview/notebooks/02_staffing.html").read_text(encoding="utf-8")
    assert (proj / "_preview/notebooks/02_staffing.pdf").stat().st_size > 0
    assert '<header id="title-block-header" class="mz-title">' in page
    assert ".mz-banner" in page  # the house CSS is embedded
    assert "<caption>表1　2024年丙县" in page  # the notebook's own table, captioned by the filter
    assert "Unable to display output" not in page
    assert "NBVAL_CHECK_OUTPUT" not in page and "乡镇 13 个" not in page


# ---------------------------------------------------------------- the notebook guard (no Quarto needed)


def _notebook(cells: list[dict]) -> str:
    return json.dumps(
        {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


CELLS = [
    {
        "cell_type": "code",
        "source": "year = 2024",
        "metadata": {"tags": ["parameters"]},
        "outputs": [],
    },
    {"cell_type": "code", "source": "print(year)", "metadata": {}, "outputs": []},
]
INJECTED = {
    "cell_type": "code",
    "source": "year = 2023",
    "metadata": {"tags": ["injected-parameters"]},
    "outputs": [],
}


def _executed(cells: list[dict]) -> str:
    """What Quarto writes back after --execute: an injected cell and outputs."""
    out = [cells[0], INJECTED] + [
        {**c, "outputs": [{"output_type": "stream", "name": "stdout", "text": "2023\n"}]}
        for c in cells[1:]
    ]
    return _notebook(out)


def test_guard_restores_the_notebook_after_a_render(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = Path("notebooks/a.ipynb")
    nb.parent.mkdir()
    nb.write_text(_notebook(CELLS), encoding="utf-8")
    original = nb.read_bytes()
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", "notebooks/a.ipynb\nnotebooks/missing.ipynb")
    assert quarto_guard.main(["pre-render"]) == 0
    nb.write_text(_executed(CELLS), encoding="utf-8")  # Quarto executes in place
    monkeypatch.delenv("QUARTO_PROJECT_INPUT_FILES")  # post-render is not told the inputs
    assert quarto_guard.main(["post-render"]) == 0
    assert nb.read_bytes() == original
    assert not list(Path("_preview/.sources").rglob("*.ipynb"))


def test_guard_repairs_a_notebook_left_by_a_failed_render(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = Path("a.ipynb")
    nb.write_text(_notebook(CELLS), encoding="utf-8")
    original = nb.read_bytes()
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", "a.ipynb")
    quarto_guard.main(["pre-render"])
    nb.write_text(_executed(CELLS), encoding="utf-8")  # then pandoc failed: no post-render
    quarto_guard.main(["pre-render"])  # the next render starts
    assert nb.read_bytes() == original


def test_guard_keeps_edits_made_after_a_failed_render(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = Path("a.ipynb")
    nb.write_text(_notebook(CELLS), encoding="utf-8")
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", "a.ipynb")
    quarto_guard.main(["pre-render"])
    edited = json.loads(_executed(CELLS))
    edited["cells"].append({"cell_type": "markdown", "source": "新的分析", "metadata": {}})
    nb.write_text(json.dumps(edited), encoding="utf-8")
    quarto_guard.main(["pre-render"])
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    assert [c["source"] for c in cells] == ["year = 2024", "print(year)", "新的分析"]


def test_guard_usage(capsys):
    assert quarto_guard.main(["render"]) == 2
    assert "pre-render|post-render" in capsys.readouterr().err
