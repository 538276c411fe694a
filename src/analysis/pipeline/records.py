"""What a build knows about its jobs and reports, and the events it emits.

The build (:mod:`.build`) only changes records and emits :class:`Event` objects;
whoever listens draws them: the console view (:mod:`.view`) for ``workbench
build``, a list in tests. Local and Dask execution emit the same events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .plan import Job, Report

__all__ = ["FAILURES", "BuildResult", "Event", "JobRecord", "ReportRecord", "Status"]


class Status(StrEnum):
    """Where a job or report stands (equal to its string value, e.g. ``"ok"``)."""

    NOT_RUN = "not-run"  # a job that has to run
    PENDING = "pending"  # a report waiting for its jobs and render
    SKIPPED = "skipped"  # unchanged since the last build
    OK = "ok"
    FAILED = "failed"  # a notebook cell, or the report's render or assembly, failed
    ERROR = "error"  # a job failed outside its cells, or a parameter set before running


FAILURES = frozenset({Status.FAILED, Status.ERROR})


@dataclass
class JobRecord:
    """One notebook of one report in this build."""

    job: Job
    key: str
    status: Status
    reason: str = ""
    seconds: float = 0.0


@dataclass
class ReportRecord:
    """One report in this build: its jobs, its cache key and how it ended.

    ``cause`` says where a failure came from: ``plan``, ``jobs``, ``render`` or
    ``assemble``.
    """

    report: Report
    status: Status
    key: str = ""
    jobs: list[JobRecord] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    cause: str = ""
    folder: Path | None = None
    seconds: float = 0.0

    @property
    def title(self) -> str:
        """Return the report's title."""
        return self.report.title

    def fail(self, cause: str, reason: str) -> None:
        """Mark the report failed, with where and why."""
        self.status, self.cause, self.reason = Status.FAILED, cause, reason


@dataclass
class BuildResult:
    """Jobs and reports of a build, by outcome."""

    jobs: list[JobRecord] = field(default_factory=list)
    reports: dict[tuple[int, str], ReportRecord] = field(default_factory=dict)
    plan_errors: list[str] = field(default_factory=list)

    def add(self, record: ReportRecord) -> None:
        """Add a planned report and its jobs."""
        self.reports[record.report.key] = record
        self.jobs += record.jobs
        if record.cause == "plan":
            self.plan_errors.append(record.reason)

    def count(self, status: str) -> int:
        """Return the number of jobs with ``status``.

        Returns
        -------
        int
            How many of :attr:`jobs` have that status.
        """
        return sum(1 for j in self.jobs if j.status == status)

    @property
    def executed(self) -> int:
        """Return the number of notebooks executed (successfully or not)."""
        return sum(1 for j in self.jobs if j.status in FAILURES | {Status.OK})

    @property
    def failed(self) -> bool:
        """Return True when any job, report or parameter set failed."""
        return any(j.status in FAILURES for j in self.jobs) or any(
            r.status in FAILURES for r in self.reports.values()
        )


@dataclass(frozen=True)
class Event:
    """Something that happened in a build.

    ``kind`` is one of ``note`` (a message, e.g. a recovered swap or a stale
    lock), ``renderer``, ``planned``, ``job-submitted``, ``job-started``,
    ``job-finished``, ``jobs-done``, ``published``, ``report-failed`` and
    ``finished``; ``job``, ``report`` or ``result`` carry what it is about.
    """

    kind: str
    message: str = ""
    job: JobRecord | None = None
    report: ReportRecord | None = None
    result: BuildResult | None = None
