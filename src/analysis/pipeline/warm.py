"""Warm kernels: pay the analysis stack's imports once per build, not once per notebook.

A plain job starts a Python worker, imports papermill, starts a kernel and lets
the notebook import pandas, statsmodels and matplotlib: 3–5 s before its first
line of analysis. Here a build (or a Dask worker process) keeps one *template*
process (``python -m analysis.pipeline.warm``) that has imported all of that once
and then never runs user code. For each job, however many run at once, the
template forks:

1. a *driver* (its own process group), which runs papermill exactly as the
   plain worker does (:func:`.execute.execute_notebook`), and
2. from the driver, before anything else happens in it, a *kernel* process
   that waits on a pipe. When papermill asks jupyter_client to launch the
   kernel, :class:`.forked.ForkedKernelProvisioner` hands that process the kernel
   command, environment and folder, and it becomes an ``ipykernel`` as
   ``python -m ipykernel_launcher -f CONNECTION_FILE`` would.

A module may define ``__warm_up__()`` to load its own caches in the template too
(:mod:`analysis.evidence` loads its dictionaries).

Isolation: every job's kernel is a fresh copy of the template, so whatever a
notebook does to module globals or ``matplotlib.rcParams`` dies with its
kernel. The template only imports (with ``MPLBACKEND`` set as ipykernel sets it
before a notebook runs, so matplotlib starts in the same state); it never
creates an event loop, a ZeroMQ context or a thread of its own, so forking it
is safe. Random generators are re-seeded in each kernel, as a new process
would be. Outputs are byte-identical to plain papermill
(``tests/test_warm.py``).

Timeouts kill the driver's process group (driver and kernel). Every process
asks Linux to kill it when its parent dies (``PR_SET_PDEATHSIG``), so a build
killed with SIGKILL leaves nothing behind. A kernel spec that is not this
interpreter's ipykernel is launched the ordinary way (a new process).
"""

from __future__ import annotations

import ast
import gc
import importlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

from . import execute

__all__ = [
    "WarmPool",
    "notebook_modules",
    "run_job",
    "main",
]

#: What every job needs besides the notebooks' own imports.
BASE_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "jupyter_client",
    "nbclient",
    "nbformat",
    "papermill",
    "IPython",
    "ipykernel.debugger",  # ipykernel imports it (and debugpy) while starting every kernel
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class TemplateDied(RuntimeError):
    """The template process ended or stopped answering."""


# ------------------------------------------------------------------ what to import


def notebook_modules(notebooks: list[Path]) -> list[str]:
    """Return the modules the notebooks' code cells import, in order of first appearance.

    ``from pkg import a, b`` yields ``pkg``, ``pkg.a`` and ``pkg.b`` (the names
    may be submodules; those that are not are skipped when importing). Lines of
    IPython magics are ignored; a cell that still does not parse is skipped.

    Parameters
    ----------
    notebooks : list of Path
        ``.ipynb`` files.

    Returns
    -------
    list of str
    """
    seen: dict[str, None] = {}
    for path in notebooks:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
            try:
                tree = ast.parse("\n".join(lines))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    seen.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    seen[node.module] = None
                    seen.update((f"{node.module}.{a.name}", None) for a in node.names)
    return list(seen)


def _warm_up(modules: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in [*BASE_MODULES, *modules]:
        try:
            module = importlib.import_module(name)
            warm = getattr(module, "__warm_up__", None)
            if callable(warm):
                warm()  # a package's own caches (dictionaries, converters), loaded once here
        except Exception:  # noqa: BLE001, S112 - not a module, or broken: the notebook will say so
            continue
    if "matplotlib_inline.backend_inline" in sys.modules:
        # Importing the inline backend hooks it into the running IPython; with none running
        # here it would stay unhooked in every kernel. Say so rather than differ silently.
        print("warning: the inline backend was imported while warming", file=sys.stderr)


def _compile_validators(notebooks: list[Path]) -> None:
    """Compile nbformat's JSON-schema validators once, for the notebooks' format versions.

    papermill validates the notebook it reads and every copy it writes; compiling the
    schema costs each job about 50 ms where it has not been done before the fork.
    """
    import nbformat

    for path in notebooks:
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception:  # noqa: BLE001, S112 - an unreadable notebook fails in its job
            continue


# ------------------------------------------------------------------ in the driver process


def _drive(spec_file: str) -> None:
    """In the forked driver: run one job as the plain worker does; never returns."""
    code = 1
    try:
        os.setpgid(0, 0)
        execute.die_with_parent()
        spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
        work = Path(spec["work"])
        log = os.open(work / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        from .forked import PREFORKED, WarmKernelManager, become_kernel, register_engine

        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(write)
            become_kernel(read)
        os.close(read)
        PREFORKED.update(pid=pid, pipe=write)
        outcome = execute.execute_notebook(
            spec, kernel_manager_class=WarmKernelManager, engine=register_engine()
        )
        execute.write_outcome(spec, outcome)
        code = 0 if outcome.status == "ok" else 1
    except BaseException:  # noqa: BLE001 - the build reads worker.log
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


# ------------------------------------------------------------------ the template process


def main(argv: list[str] | None = None) -> int:
    """Template entry point: import, say ``ready``, then fork a driver per job read on stdin.

    The protocol is one line each way, and jobs overlap: the build writes a spec file's
    path; the template forks a driver for it at once and answers ``started PID PATH``
    and, when that driver has ended, ``exit CODE PATH``. One template serves every
    worker slot of a build.

    Parameters
    ----------
    argv : list of str, optional
        Notebooks whose imports to load (default: ``sys.argv[1:]``; options are ignored).

    Returns
    -------
    int
        0 when the build closes stdin.
    """
    if os.environ.get("MINZHENG_DIE_WITH_PARENT", "1") == "1":
        execute.die_with_parent()
    args = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--")]
    answer = os.dup(1)
    os.dup2(2, 1)  # anything printed while importing goes to the log, not the protocol
    notebooks = [Path(a) for a in args]
    _warm_up(notebook_modules(notebooks))
    _compile_validators(notebooks)
    # Keep the garbage collector off the imported objects: a forked job that collects
    # them writes to every page they sit on, copying the whole template into the job.
    gc.collect()
    gc.freeze()
    _serve(answer)
    return 0


def _serve(answer: int) -> None:
    """Fork a driver for every spec path read on stdin; report starts and exits on ``answer``.

    A single thread waits on stdin and on SIGCHLD (through a wake-up pipe), so nothing is
    locked when it forks and drivers run side by side.
    """
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    running: dict[int, str] = {}
    pending = b""
    os.write(answer, b"ready\n")
    while True:
        try:
            readable = select.select([0, wake_r], [], [])[0]
        except InterruptedError:
            continue
        if wake_r in readable:
            os.read(wake_r, 4096)
        _reap(running, answer)
        if 0 not in readable:
            continue
        data = os.read(0, 65536)
        if not data:
            return
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            spec_file = line.decode("utf-8").strip()
            if not spec_file:
                continue
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                for fd in (wake_r, wake_w, answer):
                    os.close(fd)
                _drive(spec_file)
            running[pid] = spec_file
            os.write(answer, f"started {pid} {spec_file}\n".encode())


def _reap(running: dict[int, str], answer: int) -> None:
    while running:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        spec_file = running.pop(pid, None)
        if spec_file is not None:
            code = os.waitstatus_to_exitcode(status)
            os.write(answer, f"exit {code} {spec_file}\n".encode())


# ------------------------------------------------------------------ in the build


class _Template:
    """The template process and its protocol; any number of jobs may run on it at once.

    A reader thread takes the template's answers and hands each to the job it names.
    """

    def __init__(self, notebooks: list[Path], log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-Xfrozen_modules=off",  # as the project kernel runs (for the debugger)
                    "-m",
                    "analysis.pipeline.warm",
                    f"--log={log}",
                    *map(str, notebooks),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._waiting: dict[str, queue.SimpleQueue] = {}
        self.dead: str | None = None
        threading.Thread(target=self._read, daemon=True, name="warm-template").start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            kind, _, rest = line.strip().partition(" ")
            if kind == "ready":
                self._ready.set()
                continue
            number, _, spec_file = rest.partition(" ")
            with self._lock:
                waiting = self._waiting.get(spec_file)
            if waiting is not None and kind in {"started", "exit"}:
                waiting.put((kind, int(number)))
        with self._lock:
            self.dead = f"template process ended (exit code {self.proc.poll()})"
            waiting = list(self._waiting.values())
        self._ready.set()
        for q in waiting:
            q.put(("died", 0))

    def _answer(self, answers: queue.SimpleQueue, kind: str, timeout: float | None) -> int | None:
        try:
            got, number = answers.get(timeout=timeout)
        except queue.Empty:
            return None
        if got != kind:
            raise TemplateDied(self.dead or f"unexpected answer {got!r}")
        return number

    def run(self, spec_file: Path, timeout: float | None) -> execute.Ended:
        self._ready.wait()
        answers: queue.SimpleQueue = queue.SimpleQueue()
        key = str(spec_file)
        with self._lock:
            if self.dead:
                raise TemplateDied(self.dead)
            self._waiting[key] = answers
            try:
                self.proc.stdin.write(f"{key}\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                del self._waiting[key]
                raise TemplateDied(f"template process ended ({exc})") from None
        try:
            pid = self._answer(answers, "started", None)
            code = self._answer(answers, "exit", timeout)
            timed_out = code is None
            if timed_out:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                code = self._answer(answers, "exit", None)
        finally:
            with self._lock:
                self._waiting.pop(key, None)
        log = Path(spec_file).parent / "worker.log"
        return execute.Ended(code, _last_line(log), timed_out)

    def close(self) -> None:
        # An idle template holds nothing worth a clean exit: stop it at once.
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.kill()
        self.proc.wait()


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


class WarmPool:
    """The template process for one set of notebooks, started when first needed.

    One template serves every job of the pool, however many run at once: the analysis
    stack is imported once per build (per Dask worker process), not once per worker slot.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks whose imports the template loads.
    log : Path
        Where templates write their standard error.
    """

    def __init__(self, notebooks: list[Path], log: Path) -> None:
        self.notebooks, self.log = sorted(notebooks), log
        self._current: _Template | None = None
        self._all: list[_Template] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the template now, so it imports while the build does other work."""
        self._template()

    def _template(self, dead: _Template | None = None) -> _Template:
        with self._lock:
            if self._current is None or self._current is dead:
                self._current = _Template(self.notebooks, self.log)
                self._all.append(self._current)
            return self._current

    def launch(self, spec_file: Path, timeout: float | None) -> execute.Ended:
        """Run one job (its spec file written by :func:`.execute.run_job`) on the template.

        A template that died before the job started is replaced once.

        Parameters
        ----------
        spec_file : Path
            The job's ``spec.json`` in its work folder.
        timeout : float, optional
            Seconds before the job's driver and kernel are killed.

        Returns
        -------
        execute.Ended
        """
        template = self._template()
        try:
            return template.run(spec_file, timeout)
        except TemplateDied as exc:
            if (Path(spec_file).parent / "worker.log").exists():
                return execute.Ended(None, str(exc))  # it died running the job
            template = self._template(dead=template)
            try:
                return template.run(spec_file, timeout)
            except TemplateDied as again:
                return execute.Ended(None, str(again))

    def close(self) -> None:
        """Stop every template."""
        with self._lock:
            templates, self._all, self._current = self._all, [], None
        for template in templates:
            template.close()


# One pool per notebook folder in a long-lived process (a Dask worker).
_POOLS: dict[str, WarmPool] = {}
_POOLS_LOCK = threading.Lock()


def run_job(spec: dict, timeout: float | None = None) -> execute.JobOutcome:
    """Run one job on a warm template of this process (used on Dask workers).

    Parameters
    ----------
    spec : dict
        As for :func:`.execute.run_job`.
    timeout : float, optional
        Seconds before the job is stopped.

    Returns
    -------
    execute.JobOutcome
    """
    folder = Path(spec["notebook"]).parent
    with _POOLS_LOCK:
        pool = _POOLS.get(str(folder))
        if pool is None:
            log = Path(spec["target"]).parent / ".warm.log"
            pool = _POOLS[str(folder)] = WarmPool(sorted(folder.glob("*.ipynb")), log)
    return execute.run_job(spec, timeout, launch=pool.launch)


if __name__ == "__main__":
    sys.exit(main())
