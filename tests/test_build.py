"""End-to-end build on the sample: reports, cache, failures, PDF and browser checks."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml
from conftest import ROOT, workbench_exe

from analysis.pipeline import build as build_mod
from analysis.pipeline import publish

CHAPTERS = [
    "摘要",
    "人员配备与服务对象",
    "资金结构与趋势",
    "培训需求",
    "调研报告证据摘录",
    "数据、方法与参数",
]


def options(params_dir: Path, reports: Path, **kw) -> build_mod.BuildOptions:
    return build_mod.BuildOptions(
        root=ROOT,
        params=sorted(p for p in params_dir.glob("*.yml")),
        notebooks=ROOT / "notebooks",
        reports=reports,
        defaults=ROOT / "params" / "defaults.yml",
        jobs=2,
        renderer="pandoc",
        **kw,
    )


def quiet():
    from rich.console import Console

    return Console(file=open("/dev/null", "w"), width=200)  # noqa: SIM115


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("build")
    params = base / "params"
    params.mkdir()
    for name in ("2024_bingxian.yml", "2024_all.yml"):
        shutil.copyfile(ROOT / "params" / name, params / name)
    reports = base / "reports"
    result = build_mod.build(options(params, reports), console=quiet())
    return base, params, reports, result


def clone(built, tmp_path):
    base, params, reports, _ = built
    shutil.copytree(params, tmp_path / "params")
    shutil.copytree(reports, tmp_path / "reports", symlinks=True)
    return tmp_path / "params", tmp_path / "reports"


def test_every_report_is_published(built):
    _, _, reports, result = built
    # The tests run inside a git checkout (CI: a fresh clone), so HEAD is the built commit.
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert not result.failed and result.count("ok") == 12  # 2 reports x 6 notebooks
    schema = json.loads(publish.RESULTS_SCHEMA.read_text(encoding="utf-8"))
    for scope in ("丙县", "all"):
        folder = reports / "2024" / scope
        for name in ("report.html", "report.pdf", "results.json"):
            assert (folder / name).stat().st_size > 0, name
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data["report"]["synthetic"] is True and data["report"]["scope"] == scope
        assert data["provenance"]["inputs"]
        commit = data["provenance"]["git_commit"]
        assert commit is not None and re.fullmatch(r"[0-9a-f]{40}", commit), commit
        assert commit == head, (commit, head)
        for item in data["figures"] + data["tables"]:
            csv = folder / item["csv"] if item["csv"] else None
            assert csv is None or csv.read_bytes().startswith(b"\xef\xbb\xbf")
        assert [f["number"] for f in data["figures"]] == list(range(1, len(data["figures"]) + 1))
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "2024/丙县/report.html" in index and "2024/all/report.pdf" in index


def test_every_report_passes_its_disclosure_audit(built):
    _, _, reports, _ = built
    for scope in ("丙县", "all"):
        folder = reports / "2024" / scope
        data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        checks = data["disclosure"]["checks"]
        assert data["disclosure"]["audit"] == "passed"
        assert {"townships", "turnover", "township_needs", "staff_model"} <= {
            c["table"] for c in checks
        }
        raw = (folder / "output_check.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = raw.decode("utf-8-sig").strip().splitlines()
        assert len(rows) - 1 == sum(max(1, len(c["cells"])) for c in checks)
        md = (folder / "report.md").read_text(encoding="utf-8")
        assert "输出核查汇总" in md and "不予公布的单元格及其可行区间" in md
        needs = pd.read_csv(folder / "tables/04_training-township_needs.csv", encoding="utf-8-sig")
        heads = dict(zip(needs["县"] + " " + needs["乡镇（街道）"], needs["在岗人数"], strict=True))
        assert needs["平均需求得分"].isna().sum() == (needs["在岗人数"] < 5).sum()
        (needs_check,) = [c for c in checks if c["table"] == "township_needs"]
        for cell in needs_check["cells"]:
            if cell["reason"] == "primary":
                # each blanked count can be narrowed no further than 2, or its whole office
                assert cell["upper"] - cell["lower"] >= min(2, heads[cell["row"]]), cell


def test_summary_sentences_carry_the_results(built):
    _, _, reports, _ = built
    data = json.loads((reports / "2024/丙县/results.json").read_text(encoding="utf-8"))
    r = data["results"]
    md = (reports / "2024/丙县/report.md").read_text(encoding="utf-8")
    summary = md.split("# 一、")[0]
    assert f"有{r['staffing.townships_short']}个乡镇（街道）达不到标准下限" in summary
    assert f"上级补助占{100 * r['funds.upper_share']:.1f}%" in summary
    assert f"全年培训需求约{r['training.demand_person_days']:,.0f}人天" in summary


def test_unchanged_rebuild_executes_nothing(built, tmp_path):
    params, reports = clone(built, tmp_path)
    events = []
    result = build_mod.build(options(params, reports), console=quiet(), on_event=events.append)
    assert [e.kind for e in events] == ["renderer", "planned", "jobs-done", "finished"]
    assert result.executed == 0 and result.count("skipped") == 12
    assert {r.status for r in result.reports.values()} == {"skipped"}


def test_changing_one_parameter_set_reruns_only_its_jobs(built, tmp_path):
    params, reports = clone(built, tmp_path)
    path = params / "2024_bingxian.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["peer_threshold"] = 0.5  # read only by 02_staffing
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = (reports / "2024/all/results.json").read_bytes()
    events = []
    result = build_mod.build(options(params, reports), console=quiet(), on_event=events.append)
    # the events say the same, in order: one job ran, one report was published
    kinds = [e.kind for e in events]
    assert kinds == [
        "renderer",
        "planned",
        "job-started",
        "job-finished",
        "jobs-done",
        "published",
        "finished",
    ]
    assert events[3].job.job.name == "2024/丙县/02_staffing" and events[3].job.status == "ok"
    assert events[5].report.report.key == (2024, "丙县")
    assert events[5].report.folder == reports / "2024/丙县"
    ran = [j.job.name for j in result.jobs if j.status == "ok"]
    assert ran == ["2024/丙县/02_staffing"]
    assert result.reports[(2024, "丙县")].status == "ok"
    assert result.reports[(2024, "all")].status == "skipped"
    assert (reports / "2024/all/results.json").read_bytes() == before
    new = json.loads((reports / "2024/丙县/results.json").read_text(encoding="utf-8"))
    assert new["provenance"]["parameters"]["peer_threshold"] == 0.5


def test_failures_are_reported_and_last_good_report_kept(built, tmp_path):
    params, reports = clone(built, tmp_path)
    good_html = (reports / "2024/丙县/report.html").read_bytes()
    overlapping = tmp_path / "overlap.yml"
    overlapping.write_text(
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
    (params / "2024_bingxian.yml").write_text(
        f"year: 2024\nscope: 丙县\nnorm: {overlapping}\n", encoding="utf-8"
    )
    (params / "2024_yixian.yml").write_text(
        "year: 2024\nscope: 乙县\ncolour: red\n", encoding="utf-8"
    )
    res = subprocess.run(
        [
            workbench_exe(),
            "build",
            "--out",
            str(reports),
            "--renderer",
            "pandoc",
            "--jobs",
            "2",
            "--params",
            str(params / "2024_bingxian.yml"),
            "--params",
            str(params / "2024_yixian.yml"),
            "--params",
            str(params / "2024_all.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COLUMNS": "250", "PATH": "/usr/bin:/bin"},
    )
    out = res.stdout
    assert res.returncode == 1, out + res.stderr
    assert "2024/丙县/02_staffing" in out and "NormError" in out and "overlap" in out
    assert "cell " in out  # the failing cell is named
    assert "colour" in out and "2024_yixian.yml" in out
    # the norm is used by 02_staffing and 05_policy: both fail, the other 10 jobs are unchanged
    assert "jobs: 0 succeeded, 2 failed, 10 skipped" in out.replace("\n", " ")
    assert (reports / "2024/丙县/report.html").read_bytes() == good_html  # last good report kept
    failed = reports / "_failed/2024/丙县/02_staffing.ipynb"
    nb = json.loads(failed.read_text(encoding="utf-8"))
    assert any("papermill-error-cell-tag" in json.dumps(c.get("metadata", {})) for c in nb["cells"])
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "失败（保留上次结果）" in index and "失败（未生成）" in index


def test_dry_run_prints_plan(built, tmp_path):
    params, reports = clone(built, tmp_path)
    res = subprocess.run(
        [
            workbench_exe(),
            "build",
            "--dry-run",
            "--out",
            str(reports),
            "--renderer",
            "pandoc",
            "--params",
            str(params / "2024_bingxian.yml"),
            "--params",
            str(ROOT / "params/2024_jiaxian.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COLUMNS": "250", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "6 job(s) would run, 6 would be skipped" in res.stdout
    assert not (reports / "2024/甲县").exists()


# ---------------------------------------------------------------- PDF checks

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils not installed (make sysdeps installs it as root)",
)


@needs_poppler
def test_pdf_fonts_headings_and_pages(built, tmp_path):
    _, _, reports, _ = built
    pdf = reports / "2024/丙县/report.pdf"
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [ln for ln in fonts.splitlines() if "CJK" in ln]
    assert cjk and all(" yes " in ln for ln in cjk)  # embedded
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in CHAPTERS:
        assert heading in text, heading
    assert "示例数据（合成），不代表真实情况" in text
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "p")], check=True)
    from PIL import Image

    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 8
    for page in pages:
        gray = Image.open(page).convert("L")
        dark = sum(gray.histogram()[:200])
        assert dark / (gray.width * gray.height) > 0.002, f"{page.name} looks blank"


# ---------------------------------------------------------------- browser checks

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium not installed (make sysdeps installs it as root)"
)
def test_html_in_headless_chromium(built, tmp_path):
    from playwright.sync_api import sync_playwright  # a dev dependency: missing is a failure

    _, _, reports, _ = built
    page_path = reports / "2024/丙县/report.html"
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.as_uri())
        widths = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
        )
        links = page.eval_on_selector_all("nav#TOC a", "as => as.map(a => a.getAttribute('href'))")
        missing = page.evaluate(
            "hrefs => hrefs.filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))",
            links,
        )
        banner = page.inner_text(".mz-banner")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        browser.close()
    assert len(widths) >= 6 and all(w > 0 for w in widths), widths
    assert errors == []
    assert len(links) >= 10 and missing == []
    assert banner == "示例数据（合成），不代表真实情况"


# ---------------------------------------------------------------- quarto backend


def test_quarto_requested_but_absent_is_a_clear_error(monkeypatch):
    from analysis.errors import RenderError
    from analysis.pipeline import render

    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render.choose("quarto")
    assert render.choose("auto").name == "pandoc"


def test_table_conventions_in_html(built):
    _, _, reports, _ = built
    page = (reports / "2024/丙县/report.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>(.*?)</caption>", page, re.S)
    assert captions and all(
        c.startswith("表")
        for c in captions
        if not any(a in c for a in ("报告参数", "输入文件", "软件版本", "输出核查", "可行区间"))
    )
    assert any(
        '<span class="mz-unit">单位：' in c for c in captions
    )  # unit at the right, above the table
    assert "资料来源：" in page and "注：" in page
    figures = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)
    assert figures and all(f.startswith("图") for f in figures)


def test_a_report_is_rendered_as_soon_as_its_last_job_ends():
    from analysis.pipeline.records import Event, JobRecord, ReportRecord, Status

    class Submitted:
        def __init__(self):
            self.reports = []

        def submit(self, fn, ctx, report):
            assert fn is build_mod._finish_report
            self.reports.append(report)
            return report

    seen = []

    class Ctx:
        def emit(self, event):
            seen.append(event.kind)

    def report(name, *statuses):
        jobs = [JobRecord(job=None, key=f"{name}{i}", status=s) for i, s in enumerate(statuses)]
        return ReportRecord(report=name, status=Status.PENDING, jobs=jobs)

    run, skip = Status.NOT_RUN, Status.SKIPPED
    a, b, cached = report("a", run, run), report("b", skip, run), report("c", skip, skip)
    pool = Submitted()
    rendering, emit = build_mod._render_when_ready(Ctx(), [a, b, cached], pool)
    assert pool.reports == [cached]  # nothing of it runs: rendered at once
    emit(Event("job-finished", job=a.jobs[0]))
    emit(Event("job-started", job=b.jobs[1]))
    assert pool.reports == [cached]
    emit(Event("job-finished", job=a.jobs[1]))  # a's last job
    assert pool.reports == [cached, a]
    emit(Event("job-finished", job=b.jobs[1]))
    assert pool.reports == [cached, a, b] and rendering == [cached, a, b]
    assert seen == ["job-finished", "job-started", "job-finished", "job-finished"]
