"""Executing jobs: one papermill run per job, in its own kernel, folder and process.

Each job runs in a worker process (``python -m analysis.pipeline.execute
SPEC``) started by a thread of the build, so jobs are isolated, can be timed
out, and report their status as they start and end. The worker writes into a
private temporary folder and renames it to the job's key when it succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "JobOutcome",
    "run_job",
    "main",
    "kernel_name",
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


def run_job(spec: dict, timeout: float | None = None) -> JobOutcome:
    """Run one job in a worker process and wait for it.

    Parameters
    ----------
    spec : dict
        ``notebook, parameters, target (final folder), cwd, kernel``.
    timeout : float, optional
        Seconds before the worker is killed and the job marked failed.

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
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.pipeline.execute", str(work / "spec.json")],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
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
        tail = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        outcome = JobOutcome("error", time.perf_counter() - start, None, "WorkerDied", tail[0])
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


def _keep_failure(work: Path, target: Path) -> None:
    failed = target.parent / f"{target.name}.failed"
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(work, failed)


def _execute(spec: dict) -> JobOutcome:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    work = Path(spec["work"])
    out = work / "executed.ipynb"
    params = {**spec["parameters"], "output_dir": str(work / "out")}
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                spec["notebook"],
                str(out),
                parameters=params,
                kernel_name=spec["kernel"],
                cwd=spec["cwd"],
                progress_bar=False,
                log_output=False,
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
                continue  # a kernel that failed to start is retried once
            return JobOutcome(
                "error",
                time.perf_counter() - start,
                None,
                type(exc).__name__,
                str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
                attempt,
            )
    raise AssertionError("unreachable")


def _any_cell_ran(path: Path) -> bool:
    if not path.exists():
        return False
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any(c.get("execution_count") for c in nb.get("cells", []))


def _die_with_parent() -> None:
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
        _die_with_parent()
    spec_path = Path((argv or sys.argv[1:])[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    outcome = _execute(spec)
    (Path(spec["work"]) / "outcome.json").write_text(
        json.dumps(outcome.__dict__, ensure_ascii=False), encoding="utf-8"
    )
    return 0 if outcome.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
