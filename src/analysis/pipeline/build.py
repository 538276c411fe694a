"""``workbench build``: plan, skip what is unchanged, execute in parallel, render, publish."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import results as results_mod
from ..errors import RenderError, WorkbenchError
from . import cache, document, execute, publish, render
from .lock import BuildLock
from .plan import Job, Report, plan
from .summary import summary_markdown

__all__ = ["BuildOptions", "BuildResult", "build"]


@dataclass
class BuildOptions:
    """Options of one build (see ``workbench build --help``)."""

    root: Path
    params: list[Path]
    notebooks: Path
    reports: Path
    defaults: Path | None
    year: int | None = None
    scope: str | None = None
    jobs: int = os.cpu_count() or 1
    renderer: str = "auto"
    force: bool = False
    dry_run: bool = False
    timeout: float | None = None
    wait: bool = False
    executor: str = "local"
    scheduler: str | None = None


@dataclass
class JobRecord:
    """How one job ended in this build."""

    job: Job
    key: str
    status: str  # ok | skipped | failed | error | not-run
    reason: str = ""
    seconds: float = 0.0


@dataclass
class BuildResult:
    """Jobs and reports of a build, split by outcome."""

    jobs: list[JobRecord] = field(default_factory=list)
    reports: dict[tuple[int, str], dict] = field(default_factory=dict)
    plan_errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Return the number of jobs with ``status``."""
        return sum(1 for j in self.jobs if j.status == status)

    @property
    def executed(self) -> int:
        """Number of notebooks executed (successfully or not)."""
        return sum(1 for j in self.jobs if j.status in {"ok", "failed", "error"})

    @property
    def failed(self) -> bool:
        """True when any job, report or parameter set failed."""
        return (
            bool(self.plan_errors)
            or any(j.status in {"failed", "error"} for j in self.jobs)
            or any(r["status"] in {"failed", "error"} for r in self.reports.values())
        )


def _report_key(keys: list[str], renderer: render.Renderer, templates: str) -> str:
    return hashlib.sha256(json.dumps([keys, renderer.version, templates]).encode()).hexdigest()[:32]


def _final_dir(opts: BuildOptions, report: Report) -> Path:
    return opts.reports / str(report.year) / publish.scope_dir(report.scope)


def build(opts: BuildOptions, console: Console | None = None) -> BuildResult:
    """Run a build and print its progress and summary.

    Returns
    -------
    BuildResult
        Exit non-zero when :attr:`BuildResult.failed`.
    """
    console = console or Console()
    opts.reports.mkdir(parents=True, exist_ok=True)
    if opts.dry_run:
        return _build(opts, console)
    with BuildLock(opts.reports, wait=opts.wait, say=lambda m: console.print(f"[yellow]{m}[/]")):
        return _build(opts, console)


def _build(opts: BuildOptions, console: Console) -> BuildResult:
    result = BuildResult()
    for message in publish.recover(opts.reports):
        console.print(f"[yellow]{message}[/]")
    renderer = render.choose(opts.renderer)
    console.print(f"renderer: {renderer.name} ({renderer.version})")
    reports = plan(opts.params, opts.notebooks, opts.defaults, opts.root, opts.year, opts.scope)
    code = cache.sources_digest()
    templates = cache.sources_digest(cache.TEMPLATE_SUFFIXES)
    store = cache.JobStore(opts.reports / ".cache")
    todo: list[JobRecord] = []
    per_report: dict[tuple, list[JobRecord]] = {}
    inputs: dict[tuple, dict] = {}
    for report in reports:
        if report.error is not None:
            result.plan_errors.append(str(report.error))
            result.reports[report.key] = {
                "status": "error",
                "reason": str(report.error),
                "title": report.title,
            }
            continue
        records, digests = [], {}
        for job in report.jobs:
            key, d = cache.job_key(job, opts.root, renderer.version, code)
            digests.update(d)
            rec = JobRecord(
                job, key, "skipped" if (store.done(key) and not opts.force) else "not-run"
            )
            records.append(rec)
        rkey = _report_key([r.key for r in records], renderer, templates)
        published = _published_key(_final_dir(opts, report))
        if published == rkey and not opts.force:
            for rec in records:
                rec.status = "skipped"
            result.reports[report.key] = {
                "status": "skipped",
                "title": report.title,
                "report_key": rkey,
            }
        else:
            result.reports[report.key] = {
                "status": "pending",
                "title": report.title,
                "report_key": rkey,
            }
            todo += [r for r in records if r.status == "not-run"]
        per_report[report.key] = records
        inputs[report.key] = digests
        result.jobs += records
    if opts.dry_run:
        _print_plan(console, reports, per_report, result)
        return result
    _execute(todo, opts, store, console)
    for report in reports:
        if report.error is None:
            _finish_report(
                report,
                per_report[report.key],
                inputs[report.key],
                opts,
                store,
                renderer,
                result,
                console,
            )
    shutil.rmtree(opts.reports / ".staging", ignore_errors=True)
    publish.write_index(opts.reports, result.reports)
    _print_summary(console, result)
    return result


def _published_key(folder: Path) -> str | None:
    marker = folder / "results.json"
    if not (
        marker.exists() and (folder / "report.html").exists() and (folder / "report.pdf").exists()
    ):
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8"))["build"]["report_key"]
    except (ValueError, KeyError):
        return None


def _execute(
    todo: list[JobRecord], opts: BuildOptions, store: cache.JobStore, console: Console
) -> None:
    if not todo:
        return
    kernel = execute.kernel_name()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=20),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
    )

    def spec(rec: JobRecord) -> dict:
        return {
            "notebook": str(rec.job.notebook),
            "parameters": rec.job.parameters,
            "target": str(store.path(rec.key)),
            "cwd": str(rec.job.notebook.parent),
            "kernel": kernel,
        }

    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {id(r): progress.add_task(r.job.name, total=1, status="queued") for r in todo}

        def done(rec: JobRecord, outcome: execute.JobOutcome) -> None:
            rec.status, rec.reason, rec.seconds = (
                outcome.status,
                outcome.describe(),
                outcome.seconds,
            )
            label = {"ok": "[green]ok[/]", "failed": "[red]failed[/]", "error": "[red]error[/]"}[
                rec.status
            ]
            progress.update(tasks[id(rec)], completed=1, status=f"{label} {outcome.seconds:.1f}s")

        if opts.executor == "dask":
            _execute_dask(todo, opts, spec, done, progress, tasks)
            return

        def run(rec: JobRecord) -> None:
            progress.update(tasks[id(rec)], status="running")
            done(rec, execute.run_job(spec(rec), timeout=opts.timeout))

        with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
            for future in as_completed([pool.submit(run, r) for r in todo]):
                future.result()


def _execute_dask(todo, opts, spec, done, progress, tasks) -> None:
    """Run the jobs on an existing Dask cluster; its workers must see the same paths (shared disk)."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise WorkbenchError(
            "--executor dask needs the 'distributed' package (pip install distributed)"
        ) from None
    if not opts.scheduler:
        raise WorkbenchError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(opts.scheduler, timeout=30)
    except OSError as exc:
        raise WorkbenchError(
            f"cannot reach the Dask scheduler at {opts.scheduler}: {exc}"
        ) from None
    with client:
        futures = {}
        for rec in todo:
            fut = client.submit(
                execute.run_job, spec(rec), opts.timeout, pure=False, key=f"minzheng-{rec.key}"
            )
            futures[fut] = rec
            progress.update(tasks[id(rec)], status=f"submitted to {opts.scheduler}")
        for fut in dask_completed(list(futures)):
            rec = futures[fut]
            try:
                done(rec, fut.result())
            except Exception as exc:  # a worker lost, or an error raised on the worker
                done(rec, execute.JobOutcome("error", 0.0, None, type(exc).__name__, str(exc)))


def _finish_report(report, records, digests, opts, store, renderer, result, console) -> None:
    state = result.reports[report.key]
    if state["status"] == "skipped":
        return
    bad = [r for r in records if r.status in {"failed", "error"}]
    if bad:
        saved = _save_failures(report, bad, opts, store)
        reasons = "; ".join(f"{r.job.notebook.stem}: {r.reason}" for r in bad)
        state.update(
            status="failed", cause="jobs", reason=f"{reasons} (executed notebook: {saved})"
        )
        return
    start = time.perf_counter()
    staging = (
        opts.reports / ".staging" / f"{report.year}-{publish.scope_dir(report.scope)}-{os.getpid()}"
    )
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _assemble(report, records, digests, opts, store, renderer, staging, state["report_key"])
    except RenderError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        state.update(status="failed", cause="render", reason=str(exc))
        return
    except OSError:
        raise  # a full disk or an unwritable folder stops the build (reported by the CLI)
    except Exception as exc:  # any other report-level failure: report it, build the others
        shutil.rmtree(staging, ignore_errors=True)
        state.update(status="failed", cause="assemble", reason=f"{type(exc).__name__}: {exc}")
        return
    publish.swap_into_place(staging, _final_dir(opts, report))
    state["status"] = "ok"
    console.print(
        f"[green]published[/] {_final_dir(opts, report)} ({time.perf_counter() - start:.1f}s)"
    )


def _save_failures(report, bad, opts, store) -> Path:
    folder = opts.reports / "_failed" / str(report.year) / publish.scope_dir(report.scope)
    folder.mkdir(parents=True, exist_ok=True)
    for rec in bad:
        executed = store.path(rec.key).with_name(f"{rec.key}.failed") / "executed.ipynb"
        if executed.exists():
            shutil.copyfile(executed, folder / f"{rec.job.notebook.stem}.ipynb")
    return folder


def _assemble(
    report, records, digests, opts, store, renderer, staging: Path, report_key: str
) -> None:
    chapters, glued = [], {}
    for rec in records:
        folder = store.path(rec.key)
        chapters.append(
            document.Chapter(rec.job.notebook.stem, folder / "executed.ipynb", folder / "out")
        )
        glued.update(results_mod.collect(folder / "executed.ipynb"))
        nb_dir = staging / "notebooks"
        nb_dir.mkdir(exist_ok=True)
        shutil.copyfile(folder / "executed.ipynb", nb_dir / f"{rec.job.notebook.stem}.ipynb")
    place = "全部县" if report.scope == "all" else report.scope
    params = {k: cache.portable(v, opts.root) for k, v in report.parameters.items()}
    prov = publish.provenance(opts.root, params, digests, f"{renderer.name}: {renderer.version}")
    k_min = int(report.parameters["k_min"])
    doc = document.assemble(
        chapters, summary_markdown(glued, report.year, place, k_min), _appendix(prov), staging
    )
    (staging / "report.md").write_text(doc.markdown, encoding="utf-8")
    synthetic = bool(glued.get("data.synthetic"))
    meta = {
        "title": report.title,
        "date": render.report_date(),
        "issuer": report.issuer,
        "year": report.year,
        "scope_label": place,
        "synthetic": synthetic,
    }
    renderer.render(staging, meta)
    tables_dir = staging / "tables"
    tables_dir.mkdir()
    for ch in chapters:
        for csv in sorted(ch.output_dir.glob("*.csv")):
            shutil.copyfile(csv, tables_dir / f"{ch.stem}-{csv.name}")
    figures = [{**f, "csv": _csv_for(tables_dir, f)} for f in doc.figures]
    tables = [{**t, "csv": f"tables/{t['chapter']}-{t['name']}.csv"} for t in doc.tables]
    data = {
        "schema_version": publish.SCHEMA_VERSION,
        "report": {
            "title": report.title,
            "year": report.year,
            "scope": report.scope,
            "scope_dir": publish.scope_dir(report.scope),
            "issuer": report.issuer,
            "date": render.chinese_date(meta["date"]),
            "synthetic": synthetic,
        },
        "results": glued,
        "figures": figures,
        "tables": tables,
        "disclosure": {
            "k": k_min,
            "suppressed_cells": sum(t["suppressed_cells"] for t in tables),
        },
        "provenance": prov,
        "build": {
            "report_key": report_key,
            "jobs": [{"notebook": r.job.notebook.stem, "key": r.key} for r in records],
        },
    }
    for name in ("report.typ", "metadata.yml"):
        (staging / name).unlink(missing_ok=True)
    publish.validate_results(data)  # before the report can be swapped into place
    publish.write_json(staging / "results.json", data)


def _csv_for(tables_dir: Path, fig: dict) -> str | None:
    name = f"{fig['chapter']}-{fig['name']}.csv"
    return f"tables/{name}" if (tables_dir / name).exists() else None


def _appendix(prov: dict) -> str:
    esc = document.md_escape
    lines = ["## 报告参数", "", "| 参数 | 取值 |", "|:---|:---|"]
    for key, value in sorted(prov["parameters"].items()):
        shown = (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        )
        lines.append(f"| {esc(key)} | {esc(shown)} |")
    lines += ["", ": 报告参数", "", "## 来源与可复现信息", ""]
    commit = prov["git_commit"] or "（不在 git 仓库中）"
    dirty = "，工作区有未提交的修改" if prov["git_dirty"] else ""
    lines += [
        f"本报告由代码版本 {esc(commit)}{dirty} 生成，渲染：{esc(prov['renderer'])}，Python {esc(prov['python'])}。",
        "",
    ]
    lines += ["| 输入文件 | SHA-256 |", "|:---|:---|"]
    lines += [f"| {esc(i['path'])} | {esc(i['sha256'][:16])}… |" for i in prov["inputs"]]
    lines += ["", ": 输入文件及其摘要", "", "| 软件包 | 版本 |", "|:---|:---|"]
    lines += [f"| {esc(k)} | {esc(v)} |" for k, v in sorted(prov["packages"].items())]
    lines += ["", ": 软件版本", ""]
    return "\n".join(lines)


def _print_plan(
    console: Console, reports: list[Report], per_report: dict, result: BuildResult
) -> None:
    table = Table(title="build plan (dry run)")
    for col in ("report", "notebook", "action"):
        table.add_column(col)
    for report in reports:
        label = f"{report.year}/{report.scope} ({report.source.name})"
        if report.error is not None:
            table.add_row(label, "—", f"[red]plan error[/]: {report.error}")
            continue
        for rec in per_report[report.key]:
            action = "skip (unchanged)" if rec.status == "skipped" else "run"
            table.add_row(label, rec.job.notebook.stem, action)
    console.print(table)
    run = sum(1 for j in result.jobs if j.status == "not-run")
    console.print(
        f"{run} job(s) would run, {result.count('skipped')} would be skipped, "
        f"{len(result.plan_errors)} parameter set(s) with errors."
    )


def _print_summary(console: Console, result: BuildResult) -> None:
    failures = [j for j in result.jobs if j.status in {"failed", "error"}]
    # Reports that failed after their jobs succeeded (render, assemble); those failed by a
    # job are already listed through the job.
    broken = [
        (key, r)
        for key, r in sorted(result.reports.items())
        if r["status"] == "failed" and r.get("cause") != "jobs"
    ]
    if failures or result.plan_errors or broken:
        table = Table(title="failures", show_lines=True)
        table.add_column("job or report")
        table.add_column("reason", overflow="fold")
        # Reasons are the tools' own words (e.g. "[typst]: …"): shown as text, never as markup.
        for err in result.plan_errors:
            table.add_row("(failed before running)", escape(err))
        for j in failures:
            table.add_row(escape(j.job.name), escape(j.reason))
        for (year, scope), r in broken:
            label = f"report {year}/{scope} ({r.get('cause', 'report')})"
            table.add_row(escape(label), escape(r["reason"]))
        console.print(table)
    reps = result.reports.values()
    console.print(
        f"jobs: {result.count('ok')} succeeded, {len(failures)} failed, {result.count('skipped')} skipped "
        f"(unchanged); parameter sets failing before running: {len(result.plan_errors)}; "
        f"reports: {sum(r['status'] == 'ok' for r in reps)} published, "
        f"{sum(r['status'] == 'skipped' for r in reps)} unchanged, "
        f"{sum(r['status'] in {'failed', 'error'} for r in reps)} failed"
    )
