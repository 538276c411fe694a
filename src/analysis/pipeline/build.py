"""``workbench build``: plan, skip what is unchanged, execute, render, publish.

This module only orchestrates the five stages; each lives in its own module:

1. plan (:mod:`.plan`): parameter sets -> reports -> jobs, validated;
2. cache (:mod:`.cache`): job and report keys; what is unchanged is skipped;
3. execute (:mod:`.runners`, :mod:`.execute`): the remaining jobs, locally or on Dask;
4. render (:mod:`.document`, :mod:`.render`): one document per report, to HTML and PDF;
5. publish (:mod:`.publish`): results.json, tables, the atomic swap, the index.

It changes the records of :mod:`.records` and emits events that :mod:`.view` draws.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from ..errors import RenderError
from . import cache, publish, render
from .facts import FactStore
from .lock import BuildLock
from .plan import Report, plan
from .records import FAILURES, BuildResult, Event, JobRecord, ReportRecord, Status
from .runners import Runner, run_jobs
from .view import ConsoleView

__all__ = ["BuildOptions", "BuildResult", "Event", "build"]

Listener = Callable[[Event], None]


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
    verbose: bool = False


@dataclass
class _Context:
    """What every stage of one build needs."""

    opts: BuildOptions
    renderer: render.Renderer
    store: cache.JobStore
    listeners: list[Listener] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)

    def final_dir(self, report: Report) -> Path:
        return self.opts.reports / str(report.year) / publish.scope_dir(report.scope)


def build(
    opts: BuildOptions, console: Console | None = None, on_event: Listener | None = None
) -> BuildResult:
    """Run a build; its progress and summary go to ``console``, its events to ``on_event``.

    Parameters
    ----------
    opts : BuildOptions
        What to build and how.
    console : rich.console.Console, optional
        Where the console view prints (default: standard output).
    on_event : callable, optional
        Also called with every :class:`~.records.Event`.

    Returns
    -------
    BuildResult
        Exit non-zero when :attr:`BuildResult.failed`.
    """
    listeners = [ConsoleView(console or Console(), dry_run=opts.dry_run, verbose=opts.verbose)]
    listeners += [on_event] if on_event is not None else []
    opts.reports.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        for listener in listeners:
            listener(Event("note", message))

    if opts.dry_run:
        return _build(opts, listeners)
    with BuildLock(opts.reports, wait=opts.wait, say=say):
        return _build(opts, listeners)


def _build(opts: BuildOptions, listeners: list[Listener]) -> BuildResult:
    templates = _early_templates(opts)  # first: its imports overlap everything below
    try:
        store = cache.JobStore(opts.reports / ".cache")
        ctx = _Context(opts, render.choose(opts.renderer), store, listeners)
        for message in publish.recover(opts.reports):
            ctx.emit(Event("note", message))
        ctx.emit(Event("renderer", f"{ctx.renderer.name} ({ctx.renderer.version})"))
        return _plan_run_publish(opts, ctx, BuildResult(), templates)
    finally:
        if templates is not None:
            templates.close()


def _early_templates(opts: BuildOptions):
    # Start the warm templates now, so their imports overlap with planning (local
    # executor); a build with nothing to run stops them unused (they run no notebook code).
    if opts.dry_run or opts.executor != "local":
        return None
    from .warm import WarmPool

    notebooks = sorted(opts.notebooks.glob("*.ipynb"))
    if not notebooks:
        return None
    pool = WarmPool(notebooks, opts.reports / ".cache" / ".warm.log")
    pool.start()
    return pool


def _plan_run_publish(opts: BuildOptions, ctx: _Context, result: BuildResult, templates):
    digests = (cache.sources_digest(), cache.sources_digest(cache.TEMPLATE_SUFFIXES))
    facts = FactStore(opts.reports / ".cache" / "facts.json", salt=digests[0])
    reports = plan(
        opts.params,
        opts.notebooks,
        opts.defaults,
        opts.root,
        year=opts.year,
        scope=opts.scope,
        facts=facts,
    )
    facts.save()
    for report in reports:
        result.add(_plan_report(ctx, report, *digests))
    ctx.emit(Event("planned", result=result))
    if opts.dry_run:
        return result
    pending = [r for r in result.reports.values() if r.status == Status.PENDING]
    todo = [j for r in pending for j in r.jobs if j.status == Status.NOT_RUN]
    runner = Runner(opts.executor, opts.jobs, opts.timeout, opts.scheduler, templates=templates)
    kernel = _kernel_name() if todo else ""
    with ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as renderers:
        # A report is rendered as soon as its last job has ended, while the others still run.
        rendering, emit = _render_when_ready(ctx, pending, renderers)
        try:
            run_jobs(todo, lambda rec: _job_spec(ctx, rec, kernel), runner, emit)
        finally:
            ctx.emit(Event("jobs-done"))
            if templates is not None:
                templates.close()  # free their memory for rendering
        for done in rendering:
            done.result()  # an OSError (disk full, unwritable folder) stops the build
    shutil.rmtree(opts.reports / ".staging", ignore_errors=True)
    publish.write_index(opts.reports, result.reports)
    ctx.emit(Event("finished", result=result))
    return result


def _render_when_ready(ctx: _Context, pending: list[ReportRecord], renderers: ThreadPoolExecutor):
    """Submit each pending report to ``renderers`` once none of its jobs is left to run.

    Returns
    -------
    (list of Future, callable)
        The render futures (reports with nothing to run are submitted at once, the
        others as their last job ends), and the event sink to give the runner.
    """
    left = {id(r): sum(j.status == Status.NOT_RUN for j in r.jobs) for r in pending}
    owner = {id(j): r for r in pending for j in r.jobs}
    rendering = [renderers.submit(_finish_report, ctx, r) for r in pending if not left[id(r)]]
    lock = threading.Lock()

    def emit(event: Event) -> None:
        ctx.emit(event)
        if event.kind != "job-finished" or id(event.job) not in owner:
            return
        report = owner[id(event.job)]
        with lock:
            left[id(report)] -= 1
            if left[id(report)] == 0:
                rendering.append(renderers.submit(_finish_report, ctx, report))

    return rendering, emit


def _plan_report(ctx: _Context, report: Report, code: str, templates: str) -> ReportRecord:
    """Stage 2: key every job and the report; mark what is unchanged as skipped.

    Returns
    -------
    ReportRecord
        ``error`` when planning failed; else ``pending`` with its keyed jobs, or
        ``skipped`` when the published report has the same key (without ``--force``).
    """
    if report.error is not None:
        return ReportRecord(report, Status.ERROR, reason=str(report.error), cause="plan")
    record = ReportRecord(report, Status.PENDING)
    for job in report.jobs:
        key, inputs = cache.job_key(job, ctx.opts.root, ctx.renderer.version, code)
        done = ctx.store.done(key) and not ctx.opts.force
        record.jobs.append(JobRecord(job, key, Status.SKIPPED if done else Status.NOT_RUN))
        record.inputs.update(inputs)
    record.key = cache.report_key([j.key for j in record.jobs], ctx.renderer.version, templates)
    if cache.published_key(ctx.final_dir(report)) == record.key and not ctx.opts.force:
        record.status = Status.SKIPPED
        for job in record.jobs:
            job.status = Status.SKIPPED
    return record


def _kernel_name() -> str:
    from .execute import kernel_name

    return kernel_name()


def _job_spec(ctx: _Context, rec: JobRecord, kernel: str) -> dict:
    return {
        "notebook": str(rec.job.notebook),
        "parameters": rec.job.parameters,
        "target": str(ctx.store.path(rec.key)),
        "cwd": str(rec.job.notebook.parent),
        "kernel": kernel,
    }


def _finish_report(ctx: _Context, record: ReportRecord) -> None:
    """Stages 4 and 5 for one report: assemble, render and publish it, or say why not.

    Raises
    ------
    OSError
        When the report cannot be written (a full disk, an unwritable folder):
        it stops the build, and the CLI reports it.
    """
    report, start = record.report, time.perf_counter()
    failed = [j for j in record.jobs if j.status in FAILURES]
    if failed:
        saved = publish.save_failures(ctx.opts.reports, report, failed, ctx.store)
        reasons = "; ".join(f"{j.job.notebook.stem}: {j.reason}" for j in failed)
        record.fail("jobs", f"{reasons} (executed notebook: {saved})")
        ctx.emit(Event("report-failed", report=record))
        return
    name = f"{report.year}-{publish.scope_dir(report.scope)}-{os.getpid()}"
    staging = ctx.opts.reports / ".staging" / name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _assemble(ctx, record, staging)
    except RenderError as exc:
        record.fail("render", str(exc))
    except OSError:
        raise  # a full disk or an unwritable folder stops the build (reported by the CLI)
    except Exception as exc:  # any other report-level failure: report it, build the others
        record.fail("assemble", f"{type(exc).__name__}: {exc}")
    if record.status == Status.FAILED:
        shutil.rmtree(staging, ignore_errors=True)
        ctx.emit(Event("report-failed", report=record))
        return
    record.folder = ctx.final_dir(report)
    publish.swap_into_place(staging, record.folder)
    record.status, record.seconds = Status.OK, time.perf_counter() - start
    ctx.emit(Event("published", report=record))


def _assemble(ctx: _Context, record: ReportRecord, staging: Path) -> None:
    """Build a report in ``staging``: document, HTML and PDF, tables, results.json."""
    from .. import results as results_mod
    from . import document
    from .summary import summary_markdown

    report, chapters, glued = record.report, [], {}
    (staging / "notebooks").mkdir()
    for job in record.jobs:
        folder, stem = ctx.store.path(job.key), job.job.notebook.stem
        chapters.append(document.Chapter(stem, folder / "executed.ipynb", folder / "out"))
        glued.update(results_mod.collect(folder / "executed.ipynb"))
        shutil.copyfile(folder / "executed.ipynb", staging / "notebooks" / f"{stem}.ipynb")
    params = {k: cache.portable(v, ctx.opts.root) for k, v in report.parameters.items()}
    renderer = f"{ctx.renderer.name}: {ctx.renderer.version}"
    prov = publish.provenance(ctx.opts.root, params, record.inputs, renderer)
    summary = summary_markdown(glued, report.year, report.place, int(report.parameters["k_min"]))
    doc = document.assemble(chapters, summary, document.appendix(prov), staging)
    (staging / "report.md").write_text(doc.markdown, encoding="utf-8")
    meta = {
        "title": report.title,
        "date": render.report_date(),
        "issuer": report.issuer,
        "year": report.year,
        "scope_label": report.place,
        "synthetic": bool(glued.get("data.synthetic")),
    }
    ctx.renderer.render(staging, meta)
    publish.copy_tables(chapters, staging)
    publish.write_output_check(staging, doc.checks)
    jobs = [{"notebook": j.job.notebook.stem, "key": j.key} for j in record.jobs]
    build = {"report_key": record.key, "jobs": jobs}
    data = publish.results_document(
        report, meta, glued, doc, staging=staging, build=build, prov=prov
    )
    publish.validate_results(data)  # before the report can be swapped into place
    publish.write_json(staging / "results.json", data)
