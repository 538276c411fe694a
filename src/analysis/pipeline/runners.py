"""Running a build's jobs: a local pool of worker processes, or an existing Dask cluster.

Both take the same job records and emit the same events (``job-submitted``,
``job-started``, ``job-finished``); each job runs :func:`.execute.run_job`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from ..errors import WorkbenchError
from . import execute
from .records import Event, JobRecord, Status

__all__ = ["Runner", "run_jobs"]

Emit = Callable[[Event], None]


@dataclass(frozen=True)
class Runner:
    """How to run jobs: ``executor`` is ``local`` (``jobs`` at a time) or ``dask`` (``scheduler``)."""

    executor: str = "local"
    jobs: int = 1
    timeout: float | None = None
    scheduler: str | None = None


def run_jobs(
    todo: list[JobRecord], spec: Callable[[JobRecord], dict], runner: Runner, emit: Emit
) -> None:
    """Run every job in ``todo`` and record how each ended.

    Parameters
    ----------
    todo : list of JobRecord
        The jobs to run; their status, reason and seconds are set here.
    spec : callable
        Job record -> the worker's job specification (see :func:`.execute.run_job`).
    runner : Runner
        Where and how to run them.
    emit : callable
        Receives the events.

    Raises
    ------
    WorkbenchError
        When the Dask executor cannot be used (package missing, no or unreachable scheduler).
    """
    if not todo:
        return

    def done(rec: JobRecord, outcome: execute.JobOutcome) -> None:
        rec.status = Status(outcome.status)
        rec.reason, rec.seconds = outcome.describe(), outcome.seconds
        emit(Event("job-finished", job=rec))

    if runner.executor == "dask":
        _run_dask(todo, spec, runner, emit, done)
        return

    def run(rec: JobRecord) -> None:
        emit(Event("job-started", job=rec))
        done(rec, execute.run_job(spec(rec), timeout=runner.timeout))

    with ThreadPoolExecutor(max_workers=max(1, runner.jobs)) as pool:
        for future in as_completed([pool.submit(run, r) for r in todo]):
            future.result()


def _run_dask(todo, spec, runner: Runner, emit: Emit, done) -> None:
    """Run the jobs on an existing Dask cluster; its workers must see the same paths (shared disk).

    Raises
    ------
    WorkbenchError
        When ``distributed`` is not installed, no scheduler is given, or the
        scheduler cannot be reached.
    """
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise WorkbenchError(
            "--executor dask needs the 'distributed' package (pip install distributed)"
        ) from None
    if not runner.scheduler:
        raise WorkbenchError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(runner.scheduler, timeout=30)
    except OSError as exc:
        raise WorkbenchError(
            f"cannot reach the Dask scheduler at {runner.scheduler}: {exc}"
        ) from None
    with client:
        futures = {}
        for rec in todo:
            fut = client.submit(
                execute.run_job, spec(rec), runner.timeout, pure=False, key=f"minzheng-{rec.key}"
            )
            futures[fut] = rec
            emit(Event("job-submitted", runner.scheduler, job=rec))
        for fut in dask_completed(list(futures)):
            rec = futures[fut]
            try:
                done(rec, fut.result())
            except Exception as exc:  # a worker lost, or an error raised on the worker
                done(rec, execute.JobOutcome("error", 0.0, None, type(exc).__name__, str(exc)))
