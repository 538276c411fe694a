"""The kernel side of warm execution: a provisioner that wakes a pre-forked ipykernel.

Imported only in the template and the job drivers it forks (it needs
jupyter_client); the build process itself uses :mod:`.warm` alone. See
:mod:`.warm` for how the pieces fit together.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from queue import Empty

from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from . import execute

__all__ = [
    "ENGINE",
    "PREFORKED",
    "ForkedKernelProvisioner",
    "WarmKernelClient",
    "WarmKernelManager",
    "become_kernel",
    "is_this_ipykernel",
]

#: The folder the template started in (taken off ``sys.path`` in a kernel).
TEMPLATE_CWD = os.getcwd()


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


PREFORKED: dict[str, int] = {}


class ForkedKernelProvisioner(LocalProvisioner):
    """Launch the kernel by waking the pre-forked process instead of starting a new one.

    The first launch in a driver uses the pre-forked process when the kernel
    command is this interpreter's ``-m ipykernel_launcher`` and the kernel spec sets no
    environment of its own (the template imported without it); any other kernel,
    and any later launch (a restart, the retry after a failed start), falls back
    to :class:`~jupyter_client.provisioning.LocalProvisioner`.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs):  # noqa: D102 - see the class
        pid, pipe = PREFORKED.pop("pid", None), PREFORKED.pop("pipe", None)
        if pid is None or not is_this_ipykernel(cmd) or self.kernel_spec.env:
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

    def _create_connected_socket(self, channel: str, identity: bytes | None = None):
        # The client connects while the kernel is still binding its ports; zmq then
        # retries after RECONNECT_IVL, 100 ms by default. Retry every 5 ms instead.
        import zmq

        self.context.setsockopt(zmq.RECONNECT_IVL, 5)
        return super()._create_connected_socket(channel, identity)

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

    client_class = DottedObjectName("analysis.pipeline.forked.WarmKernelClient")
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


def is_this_ipykernel(cmd: list[str]) -> bool:
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


def become_kernel(pipe: int) -> None:
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
        if sys.path and sys.path[0] in {"", os.getcwd(), TEMPLATE_CWD}:
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


# ------------------------------------------------------------------ saving the executed notebook
#: The papermill engine the warm driver runs notebooks with (registered by :func:`register_engine`).
ENGINE = "warm-sparse-saves"

#: Seconds a change to the executed notebook may wait before it is written out while cells run.
SAVE_EVERY = 0.5


def register_engine() -> str:
    """Register the warm driver's papermill engine and return its name.

    It is papermill's nbclient engine, but while cells run the executed notebook is
    written at most every :data:`SAVE_EVERY` seconds instead of twice per cell (two
    writes per cell, with figures in them, cost a fast notebook about 0.15 s a job).
    Nothing is lost: the notebook is written when the first cell ends (so a retry can
    tell whether any cell ran), a skipped write happens at the latest ``SAVE_EVERY``
    seconds later from the event loop that runs the cell (so a cell that hangs until
    the timeout is seen as running), and the end of the run, error or not, is written
    as papermill writes it. The final notebook is the same as papermill's.

    Returns
    -------
    str
        The engine's name, for ``papermill.execute_notebook(engine_name=...)``.
    """
    from jupyter_core.utils import ensure_event_loop
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SparseSaves(NotebookExecutionManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._ran, self._final, self._last, self._timer = False, False, 0.0, None

        def save(self, **kwargs) -> None:
            now = time.monotonic()
            if self._final or not self._ran or now - self._last >= SAVE_EVERY:
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
                super().save(**kwargs)
                self._last = time.monotonic()
            elif self._timer is None:
                wait = SAVE_EVERY - (now - self._last)
                self._timer = ensure_event_loop().call_later(wait, self._flush)

        def _flush(self) -> None:
            self._timer = None
            self.save()

        def cell_complete(self, cell, cell_index=None, **kwargs) -> None:
            super().cell_complete(cell, cell_index=cell_index, **kwargs)
            self._ran = True

        def notebook_complete(self, **kwargs) -> None:
            self._final = True
            super().notebook_complete(**kwargs)

    class SparseSaveEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):  # papermill's Engine.execute_notebook, with the manager above
            nb_man = SparseSaves(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE, SparseSaveEngine)
    return ENGINE
