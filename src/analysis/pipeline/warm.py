"""Warm kernels: pay the analysis stack's imports once per worker, not once per notebook.

A plain job starts a Python worker, imports papermill, starts a kernel and lets
the notebook import pandas, statsmodels and matplotlib: 3–5 s before its first
line of analysis. Here each worker slot keeps a *template* process
(``python -m analysis.pipeline.warm``) that has imported all of that once and
then never runs user code. For each job the template forks:

1. a *driver* (its own process group), which runs papermill exactly as the
   plain worker does (:func:`.execute.execute_notebook`), and
2. from the driver, before anything else happens in it, a *kernel* process
   that waits on a pipe. When papermill asks jupyter_client to launch the
   kernel, :class:`ForkedKernelProvisioner` hands that process the kernel
   command, environment and folder, and it becomes an ``ipykernel`` as
   ``python -m ipykernel_launcher -f CONNECTION_FILE`` would.

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
import importlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from . import execute

__all__ = [
    "ForkedKernelProvisioner",
    "WarmKernelClient",
    "WarmKernelManager",
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
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_TEMPLATE_CWD = os.getcwd()


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
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - not a module, or broken: the notebook will say so
            continue
    if "matplotlib_inline.backend_inline" in sys.modules:
        # Importing the inline backend hooks it into the running IPython; with none running
        # here it would stay unhooked in every kernel. Say so rather than differ silently.
        print("warning: the inline backend was imported while warming", file=sys.stderr)


# ------------------------------------------------------------------ in the kernel process


class _ForkedProcess:
    """The pre-forked kernel, with the part of :class:`subprocess.Popen` jupyter_client uses."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


_PREFORKED: dict[str, int] = {}


class ForkedKernelProvisioner(LocalProvisioner):
    """Launch the kernel by waking the pre-forked process instead of starting a new one.

    The first launch in a driver uses the pre-forked process when the kernel
    command is this interpreter's ``-m ipykernel_launcher`` and the kernel spec sets no
    environment of its own (the template imported without it); any other kernel,
    and any later launch (a restart, the retry after a failed start), falls back
    to :class:`~jupyter_client.provisioning.LocalProvisioner`.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs):  # noqa: D102 - see the class
        pid, pipe = _PREFORKED.pop("pid", None), _PREFORKED.pop("pipe", None)
        if pid is None or not _is_this_ipykernel(cmd) or self.kernel_spec.env:
            if pipe is not None:
                os.close(pipe)  # the waiting process sees EOF and exits
            return await super().launch_kernel(cmd, **kwargs)
        order = {
            "argv": cmd,
            # jupyter_client's launcher adds JPY_PARENT_PID: the kernel exits when we do.
            "env": {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())},
            "cwd": str(kwargs.get("cwd") or os.getcwd()),
        }
        with os.fdopen(pipe, "w", encoding="utf-8") as fh:
            json.dump(order, fh)
        self.process = _ForkedProcess(pid)
        self.pid, self.pgid = pid, None  # signals go to the kernel only, never the driver
        self.cwd = order["cwd"]
        return self.connection_info


class WarmKernelClient(AsyncKernelClient):
    """jupyter_client's client, waiting for a new kernel without its fixed 0.2 s pause.

    :meth:`wait_for_ready` follows jupyter_client's protocol (``kernel_info``
    until the shell reply and an IOPub message arrive), then drains IOPub until
    it has been quiet for 20 ms rather than 200 ms. Nothing is lost by the
    shorter wait: nbclient keeps only messages whose parent is the cell it runs.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:  # noqa: D102
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.02)
            except Empty:
                break


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose first kernel is the driver's pre-forked process.

    It also notices a kernel's exit every 10 ms instead of every 100 ms.
    """

    client_class = DottedObjectName("analysis.pipeline.warm.WarmKernelClient")
    client_factory = Type(default_value=WarmKernelClient, klass=AsyncKernelClient)

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = ForkedKernelProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)

    async def _async_finish_shutdown(self, waittime=None, pollinterval=0.01, restart=False):
        return await super()._async_finish_shutdown(waittime, pollinterval, restart)


def _is_this_ipykernel(cmd: list[str]) -> bool:
    """Tell whether ``cmd`` is ``THIS_PYTHON [-X...] -m ipykernel_launcher ...``.

    ``-X`` options (the project kernel sets ``-Xfrozen_modules=off`` for the
    debugger) change nothing a notebook computes, so they do not prevent forking.

    Returns
    -------
    bool
    """
    rest = cmd[1:]
    while rest and rest[0].startswith("-X"):
        rest = rest[1:]
    if len(rest) < 2 or rest[0] != "-m" or rest[1] not in {"ipykernel_launcher", "ipykernel"}:
        return False
    try:
        return Path(cmd[0]).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


def _become_kernel(pipe: int) -> None:
    """In the pre-forked process: wait for the launch order, then run ipykernel; never returns."""
    code = 0
    try:
        execute.die_with_parent()
        with os.fdopen(pipe, encoding="utf-8") as fh:
            text = fh.read()
        if not text:
            os._exit(0)
        order = json.loads(text)
        os.chdir(order["cwd"])
        os.environ.clear()
        os.environ.update(order["env"])
        _reseed()
        # As `python -m ipykernel_launcher -f FILE` would run: the launcher takes its own
        # folder off sys.path, so neither the template's nor the kernel's folder is on it.
        if sys.path and sys.path[0] in {"", os.getcwd(), _TEMPLATE_CWD}:
            del sys.path[0]
        argv = order["argv"]
        # ipykernel reads JPY_PARENT_PID into a default when imported, i.e. in the template.
        parent = f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}"
        sys.argv = ["ipykernel_launcher", *argv[argv.index("-m") + 2 :], parent]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - reported on stderr, the kernel dies
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - closed by the kernel
                pass
        os._exit(code)


def _reseed() -> None:
    """Give numpy's global generator fresh state, as a new process would have.

    (The standard library's ``random`` re-seeds itself in a forked child.)
    """
    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed()


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
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(write)
            _become_kernel(read)
        os.close(read)
        _PREFORKED.update(pid=pid, pipe=write)
        outcome = execute.execute_notebook(spec, kernel_manager_class=WarmKernelManager)
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

    The protocol is one line each way: the build writes a spec file's path; the
    template answers ``started PID`` and, when that driver has ended,
    ``exit CODE``.

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
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything printed while importing goes to the log, not the protocol
    _warm_up(notebook_modules([Path(a) for a in args]))
    answer.write("ready\n")
    for line in sys.stdin:
        spec_file = line.strip()
        if not spec_file:
            continue
        pid = os.fork()
        if pid == 0:
            answer.close()
            _drive(spec_file)
        answer.write(f"started {pid}\n")
        _, status = os.waitpid(pid, 0)
        answer.write(f"exit {os.waitstatus_to_exitcode(status)}\n")
    return 0


# ------------------------------------------------------------------ in the build


class _Template:
    """One template process and its protocol."""

    def __init__(self, notebooks: list[Path], log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
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
        self.ready = False

    def _line(self, timeout: float | None) -> str | None:
        """Return the next answer line.

        Returns
        -------
        str or None
            The line, or ``None`` when ``timeout`` seconds passed without one.

        Raises
        ------
        TemplateDied
            At the end of the template's output.
        """
        out = self.proc.stdout
        if timeout is not None and not select.select([out], [], [], max(timeout, 0))[0]:
            return None
        line = out.readline()
        if not line:
            raise TemplateDied(f"template process ended (exit code {self.proc.poll()})")
        return line.strip()

    def run(self, spec_file: Path, timeout: float | None) -> execute.Ended:
        if not self.ready:
            if self._line(None) != "ready":
                raise TemplateDied("template process did not start")
            self.ready = True
        try:
            self.proc.stdin.write(f"{spec_file}\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise TemplateDied(f"template process ended ({exc})") from None
        started = self._line(None)
        if not started.startswith("started "):
            raise TemplateDied(f"unexpected answer {started!r}")
        pid = int(started.split()[1])
        answer = self._line(timeout)
        timed_out = answer is None
        if timed_out:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            answer = self._line(None)
        code = int(answer.split()[1])
        log = Path(spec_file).parent / "worker.log"
        return execute.Ended(code, _last_line(log), timed_out)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


class WarmPool:
    """Template processes for one set of notebooks, started as jobs need them.

    Parameters
    ----------
    notebooks : list of Path
        The notebooks whose imports every template loads.
    log : Path
        Where the templates write their standard error.
    """

    def __init__(self, notebooks: list[Path], log: Path) -> None:
        self.notebooks, self.log = sorted(notebooks), log
        self._idle: queue.SimpleQueue[_Template] = queue.SimpleQueue()
        self._all: list[_Template] = []
        self._lock = threading.Lock()

    def start(self, count: int) -> None:
        """Start ``count`` templates now, so they import while the build does other work."""
        for _ in range(count):
            self._idle.put(self._new())

    def _new(self) -> _Template:
        template = _Template(self.notebooks, self.log)
        with self._lock:
            self._all.append(template)
        return template

    def launch(self, spec_file: Path, timeout: float | None) -> execute.Ended:
        """Run one job (its spec file written by :func:`.execute.run_job`) on a template.

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
        try:
            template = self._idle.get_nowait()
        except queue.Empty:
            template = self._new()
        try:
            ended = template.run(spec_file, timeout)
        except TemplateDied as exc:
            template.close()
            if (Path(spec_file).parent / "worker.log").exists():
                return execute.Ended(None, str(exc))  # it died running the job
            template = self._new()
            try:
                ended = template.run(spec_file, timeout)
            except TemplateDied as again:
                template.close()
                return execute.Ended(None, str(again))
        self._idle.put(template)
        return ended

    def close(self) -> None:
        """Stop every template."""
        with self._lock:
            templates, self._all = self._all, []
        for template in templates:
            template.close()

    def __enter__(self) -> WarmPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class _ProcessPools:
    """One pool per notebook folder in a long-lived process (a Dask worker)."""

    pools: dict[str, WarmPool]
    lock: threading.Lock


_POOLS = _ProcessPools({}, threading.Lock())


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
    with _POOLS.lock:
        pool = _POOLS.pools.get(str(folder))
        if pool is None:
            log = Path(spec["target"]).parent / ".warm.log"
            pool = _POOLS.pools[str(folder)] = WarmPool(sorted(folder.glob("*.ipynb")), log)
    return execute.run_job(spec, timeout, launch=pool.launch)


if __name__ == "__main__":
    sys.exit(main())
