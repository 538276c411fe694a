"""The console view of a build: draws its events with rich (plan, progress, summary)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from .records import FAILURES, BuildResult, Event, Status

__all__ = ["ConsoleView"]

_LABELS = {
    Status.OK: "[green]ok[/]",
    Status.FAILED: "[red]failed[/]",
    Status.ERROR: "[red]error[/]",
}


class ConsoleView:
    """Listen to a build's events and print them: call it with each :class:`Event`.

    By default one progress bar counts the jobs (done/total, failures, elapsed, ETA) and a
    failing job is printed as it fails, so hundreds of jobs stay readable; ``verbose``
    shows a line per job and per published report instead.
    """

    def __init__(self, console: Console, dry_run: bool = False, verbose: bool = False):
        self.console, self.dry_run, self.verbose = console, dry_run, verbose
        self.progress: Progress | None = None
        self.tasks: dict[int, int] = {}
        self.overall: int | None = None
        self.failed = 0

    def __call__(self, event: Event) -> None:
        """Draw one event."""
        handler = getattr(self, "_" + event.kind.replace("-", "_"), None)
        if handler is not None:
            handler(event)

    def _note(self, event: Event) -> None:
        self.console.print(f"[yellow]{escape(event.message)}[/]")

    def _renderer(self, event: Event) -> None:
        self.console.print(f"renderer: {escape(event.message)}")

    def _planned(self, event: Event) -> None:
        if self.dry_run:
            self._plan_table(event.result)
            return
        todo = [j for j in event.result.jobs if j.status == Status.NOT_RUN]
        if not todo:
            return
        if self.verbose:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=20),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self.tasks = {
                id(j): self.progress.add_task(j.job.name, total=1, status="queued") for j in todo
            }
        else:
            self.progress = Progress(
                TextColumn("notebooks"),
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
            )
            self.overall = self.progress.add_task("jobs", total=len(todo), failed="")
        self.progress.start()

    def _update(self, event: Event, **fields) -> None:
        if self.progress is not None and self.verbose and id(event.job) in self.tasks:
            self.progress.update(self.tasks[id(event.job)], **fields)

    def _job_submitted(self, event: Event) -> None:
        self._update(event, status=f"submitted to {escape(event.message)}")

    def _job_started(self, event: Event) -> None:
        self._update(event, status="running")

    def _job_finished(self, event: Event) -> None:
        job = event.job
        self._update(event, completed=1, status=f"{_LABELS[job.status]} {job.seconds:.1f}s")
        if self.overall is not None and self.progress is not None:
            if job.status in FAILURES:
                self.failed += 1
                line = f"[red]{job.status}[/] {escape(job.job.name)}: {escape(job.reason)}"
                self.progress.console.print(line, soft_wrap=True)
            shown = f"[red]{self.failed} failed[/]" if self.failed else ""
            self.progress.update(self.overall, advance=1, failed=shown)

    def _jobs_done(self, event: Event) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def _published(self, event: Event) -> None:
        if not self.verbose:
            return
        rec = event.report
        self.console.print(f"[green]published[/] {escape(str(rec.folder))} ({rec.seconds:.1f}s)")

    def _finished(self, event: Event) -> None:
        self._summary(event.result)

    def _plan_table(self, result: BuildResult) -> None:
        table = Table(title="build plan (dry run)")
        for col in ("report", "notebook", "action"):
            table.add_column(col)
        for rec in result.reports.values():
            report = rec.report
            label = escape(f"{report.year}/{report.scope} ({report.source.name})")
            if rec.cause == "plan":
                table.add_row(label, "—", f"[red]plan error[/]: {escape(rec.reason)}")
                continue
            for job in rec.jobs:
                action = "skip (unchanged)" if job.status == Status.SKIPPED else "run"
                table.add_row(label, job.job.notebook.stem, action)
        self.console.print(table)
        run = result.count(Status.NOT_RUN)
        self.console.print(
            f"{run} job(s) would run, {result.count(Status.SKIPPED)} would be skipped, "
            f"{len(result.plan_errors)} parameter set(s) with errors."
        )

    def _summary(self, result: BuildResult) -> None:
        failures = [j for j in result.jobs if j.status in FAILURES]
        # Reports that failed after their jobs succeeded (render, assemble); those failed by
        # a job are listed through the job, those failed before running as plan errors.
        broken = [
            r
            for _, r in sorted(result.reports.items())
            if r.status == Status.FAILED and r.cause not in {"jobs", "plan"}
        ]
        if failures or result.plan_errors or broken:
            table = Table(title="failures", show_lines=True)
            table.add_column("job or report")
            table.add_column("reason", overflow="fold")
            # Reasons are the tools' own words (e.g. "[typst]: …"): text, never markup.
            for err in result.plan_errors:
                table.add_row("(failed before running)", escape(err))
            for j in failures:
                table.add_row(escape(j.job.name), escape(j.reason))
            for r in broken:
                label = f"report {r.report.year}/{r.report.scope} ({r.cause})"
                table.add_row(escape(label), escape(r.reason))
            self.console.print(table)
        reps = result.reports.values()
        self.console.print(
            f"jobs: {result.count(Status.OK)} succeeded, {len(failures)} failed, "
            f"{result.count(Status.SKIPPED)} skipped (unchanged); parameter sets failing "
            f"before running: {len(result.plan_errors)}; "
            f"reports: {sum(r.status == Status.OK for r in reps)} published, "
            f"{sum(r.status == Status.SKIPPED for r in reps)} unchanged, "
            f"{sum(r.status in FAILURES for r in reps)} failed"
        )
