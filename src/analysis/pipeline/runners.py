"""Running a build's jobs: local worker processes, or an existing Dask cluster.

Executors:

- ``local`` (the default): ``jobs`` at a time, each forked from a warm template
  that has imported the analysis stack once (:mod:`.warm`);
- ``papermill``: ``jobs`` at a time, each a new Python process running plain
  papermill in a new kernel (the reference the warm executor is tested against);
- ``dask``: an existing Dask cluster; each worker process keeps its own warm template.

All take the same job records and emit the same events (``job-submitted``,
``job-started``, ``job-finished``); each job runs :func:`.execute.run_job`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbenchError
from .records import Event, JobRecord, Status

__all__ = ["EXECUTORS", "Runner", "run_jobs"]

#: Executor names and what they are, for the CLI's help and its error message.
EXECUTORS = {
    "local": "warm kernels forked from one template process (default)",
    "papermill": "a new process and kernel per job, plain papermill (the reference)",
    "dask": "an existing Dask cluster (--scheduler)",
}

Emit = Callable[[Event], None]


@dataclass(frozen=True)
class Runner:
    """How to run jobs: ``executor`` is one of :data:`EXECUTORS`.

    ``local`` and ``papermill`` run ``jobs`` at a time, ``dask`` sends them to
    ``scheduler``; ``templates`` is a started :class:`.warm.WarmPool` to run on
    (otherwise ``local`` starts its own).
    """

    executor: str = "local"
    jobs: int = 1
    timeout: float | None = None
    scheduler: str | None = None
    templates: object = None  # a started warm.WarmPool to use (local executor)


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
    from . import execute, warm  # not needed (nor imported) when nothing runs

    def done(rec: JobRecord, outcome: execute.JobOutcome) -> None:
        rec.status = Status(outcome.status)
        rec.reason, rec.seconds = outcome.describe(), outcome.seconds
        emit(Event("job-finished", job=rec))

    if runner.executor == "dask":
        _run_dask(todo, spec, runner, emit, done)
        return

    workers = max(1, min(runner.jobs, len(todo)))
    specs = {id(rec): spec(rec) for rec in todo}
    templates = runner.templates
    own = templates is None and runner.executor != "papermill"
    if own:
        notebooks = sorted({Path(s["notebook"]) for s in specs.values()})
        log = Path(specs[id(todo[0])]["target"]).parent / ".warm.log"
        templates = warm.WarmPool(notebooks, log)
        templates.start()  # from this thread, which outlives every job

    def run(rec: JobRecord) -> None:
        emit(Event("job-started", job=rec))
        launch = templates.launch if templates else None
        done(rec, execute.run_job(specs[id(rec)], timeout=runner.timeout, launch=launch))

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in as_completed([pool.submit(run, r) for r in todo]):
                future.result()
    finally:
        if own:
            templates.close()


def _run_dask(todo, spec, runner: Runner, emit: Emit, done) -> None:
    """Run the jobs on an existing Dask cluster; its workers must see the same paths (shared disk).

    Raises
    ------
    WorkbenchError
        When ``distributed`` is not installed, no scheduler is given, or the
        scheduler cannot be reached.
    """
    from . import execute, warm

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
                warm.run_job, spec(rec), runner.timeout, pure=False, key=f"minzheng-{rec.key}"
            )
            futures[fut] = rec
            emit(Event("job-submitted", runner.scheduler, job=rec))
        for fut in dask_completed(list(futures)):
            rec = futures[fut]
            try:
                done(rec, fut.result())
            except Exception as exc:  # a worker lost, or an error raised on the worker
                done(rec, execute.JobOutcome("error", 0.0, None, type(exc).__name__, str(exc)))
