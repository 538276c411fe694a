"""Executing jobs: one papermill run per job, in its own kernel, folder and process.

Each job runs in a worker process started by a thread of the build: a new
``python -m analysis.pipeline.execute SPEC`` (plain papermill, the reference),
or a process forked from a warm template (:mod:`.warm`). Either way jobs are
isolated, can be timed out, and report their status as they start and end. The worker writes into a
private temporary folder and renames it to the job's key when it succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Ended",
    "JobOutcome",
    "die_with_parent",
    "execute_notebook",
    "kernel_name",
    "launch_process",
    "main",
    "run_job",
    "write_outcome",
]

KERNEL_NAME = "minzheng-workbench"


@dataclass
class JobOutcome:
    """What happened to a job: ``ok``, ``failed`` (in a cell) or ``error`` (before or outside cells)."""

    status: str
    seconds: float = 0.0
    cell: int | None = None
    ename: str = ""
    evalue: str = ""
    attempts: int = 1

    def describe(self) -> str:
        """Return a one-line reason.

        Returns
        -------
        str
            ``cell N: ename: evalue``, without the cell when it is unknown.
        """
        where = f"cell {self.cell}: " if self.cell is not None else ""
        return f"{where}{self.ename}: {self.evalue}".strip(": ")


def kernel_name() -> str:
    """Return the project kernel when registered, else the interpreter's own ``python3``.

    Returns
    -------
    str
        ``minzheng-workbench`` or ``python3``.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


@dataclass
class Ended:
    """How a job's worker process ended: its exit code (``None`` if unknown), last log line, timeout."""

    code: int | None
    tail: str
    timed_out: bool = False


Launch = Callable[[Path, "float | None"], Ended]


def run_job(spec: dict, timeout: float | None = None, launch: Launch | None = None) -> JobOutcome:
    """Run one job in a worker process and wait for it.

    Parameters
    ----------
    spec : dict
        ``notebook, parameters, target (final folder), cwd, kernel``.
    timeout : float, optional
        Seconds before the worker is killed and the job marked failed.
    launch : callable, optional
        ``(spec file, timeout) -> Ended``: how to run the worker. Default: a new
        process ``python -m analysis.pipeline.execute SPEC`` (plain papermill);
        :meth:`.warm.WarmPool.launch` forks it from a warm template instead.

    Returns
    -------
    JobOutcome

    Raises
    ------
    OSError
        When the job's folder cannot be created, or the finished job cannot be
        moved to its target and no other run has finished it there meanwhile.
    """
    target = Path(spec["target"])
    work = target.parent / f".{target.name}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    work.mkdir(parents=True)
    spec = {**spec, "work": str(work)}
    (work / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    ended = (launch or launch_process)(work / "spec.json", timeout)
    if ended.timed_out:
        outcome = JobOutcome(
            "failed",
            time.perf_counter() - start,
            None,
            "Timeout",
            f"job did not finish within {timeout:g} s and was stopped",
        )
        _keep_failure(work, target)
        return outcome
    result_file = work / "outcome.json"
    if result_file.exists():
        outcome = JobOutcome(**json.loads(result_file.read_text(encoding="utf-8")))
    else:
        tail = ended.tail or f"exit code {ended.code}"
        outcome = JobOutcome("error", time.perf_counter() - start, None, "WorkerDied", tail)
    if outcome.status == "ok":
        (work / "done.json").write_text(
            json.dumps({"status": "ok", "seconds": outcome.seconds}), encoding="utf-8"
        )
        if (target / "done.json").exists():
            shutil.rmtree(work)  # the same job finished elsewhere meanwhile (same key, same result)
            return outcome
        if target.exists():
            shutil.rmtree(target)  # an unfinished leftover of a killed build
        try:
            os.replace(work, target)
        except OSError:
            if not (target / "done.json").exists():
                raise
            shutil.rmtree(work, ignore_errors=True)
    else:
        _keep_failure(work, target)
    return outcome


def launch_process(spec_file: Path, timeout: float | None) -> Ended:
    """Run the job in a new worker process with plain papermill (the reference executor).

    Parameters
    ----------
    spec_file : Path
        The job's ``spec.json``.
    timeout : float, optional
        Seconds before the worker is killed.

    Returns
    -------
    Ended
    """
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.pipeline.execute", str(spec_file)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return Ended(None, "", timed_out=True)
    lines = (proc.stderr or "").strip().splitlines()
    return Ended(proc.returncode, lines[-1] if lines else "")


def _keep_failure(work: Path, target: Path) -> None:
    failed = target.parent / f"{target.name}.failed"
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(work, failed)


def execute_notebook(
    spec: dict, kernel_manager_class: type | None = None, engine: str | None = None
) -> JobOutcome:
    """Execute the job's notebook with papermill into its work folder (in the worker process).

    Parameters
    ----------
    spec : dict
        The job specification, with ``work``.
    kernel_manager_class : type, optional
        A jupyter_client kernel manager class for nbclient (default: its own).
    engine : str, optional
        A registered papermill engine (default: papermill's own).

    Returns
    -------
    JobOutcome
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    work = Path(spec["work"])
    out = work / "executed.ipynb"
    params = {**spec["parameters"], "output_dir": str(work / "out")}
    start = time.perf_counter()
    attempt = 1
    while True:
        try:
            pm.execute_notebook(
                spec["notebook"],
                str(out),
                parameters=params,
                kernel_name=spec["kernel"],
                cwd=spec["cwd"],
                progress_bar=False,
                log_output=False,
                **({"kernel_manager_class": kernel_manager_class} if kernel_manager_class else {}),
                **({"engine_name": engine} if engine else {}),
            )
            return JobOutcome("ok", time.perf_counter() - start, attempts=attempt)
        except PapermillExecutionError as exc:
            return JobOutcome(
                "failed",
                time.perf_counter() - start,
                exc.exec_count,
                exc.ename,
                str(exc.evalue),
                attempt,
            )
        except Exception as exc:  # kernel start-up and transport failures
            if attempt == 1 and not _any_cell_ran(out):
                attempt = 2  # a kernel that failed to start is retried once
                continue
            return JobOutcome(
                "error",
                time.perf_counter() - start,
                None,
                type(exc).__name__,
                str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
                attempt,
            )


def _any_cell_ran(path: Path) -> bool:
    if not path.exists():
        return False
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any(c.get("execution_count") for c in nb.get("cells", []))


def write_outcome(spec: dict, outcome: JobOutcome) -> None:
    """Write the outcome where :func:`run_job` reads it (``outcome.json`` in the work folder).

    Parameters
    ----------
    spec : dict
        The job specification, with ``work``.
    outcome : JobOutcome
        How the job ended.
    """
    (Path(spec["work"]) / "outcome.json").write_text(
        json.dumps(outcome.__dict__, ensure_ascii=False), encoding="utf-8"
    )


def die_with_parent() -> None:
    """Ask Linux to kill this worker when the build that started it dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent is already gone
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    """Worker entry point: execute the job described by the spec file.

    Returns
    -------
    int
        The exit code: 0 when the job succeeded, else 1.
    """
    if os.environ.get("MINZHENG_DIE_WITH_PARENT", "1") == "1":
        die_with_parent()
    spec_path = Path((argv or sys.argv[1:])[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    outcome = execute_notebook(spec)
    write_outcome(spec, outcome)
    return 0 if outcome.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
