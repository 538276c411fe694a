"""One build at a time per reports folder.

The lock is an ``flock`` on ``reports/.build.lock``. The kernel releases it when
the holder exits, however it exits (even SIGKILL), so a killed build never
blocks the next one; the holder's pid stays in the file, so the next build can
say that it cleared a stale lock.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import socket
from pathlib import Path

from ..errors import BuildLockedError

__all__ = ["BuildLock"]


class BuildLock:
    """Context manager holding the build lock of ``reports``.

    Parameters
    ----------
    reports : Path
        The reports folder.
    wait : bool
        Wait for a running build instead of refusing.
    say : callable
        Receives messages (stale lock cleared, waiting).
    """

    def __init__(self, reports: Path, wait: bool = False, say=print):
        self.path = reports / ".build.lock"
        self.wait, self.say = wait, say
        self._fh = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder(fh)
            if not self.wait:
                fh.close()
                raise BuildLockedError(
                    f"another build is running on {self.path.parent} ({holder}); "
                    "wait for it to finish, or run with --wait"
                ) from None
            self.say(f"waiting for the running build to finish ({holder}) …")
            fcntl.flock(fh, fcntl.LOCK_EX)
        previous = self._holder(fh)
        if previous != "unknown":
            self.say(f"cleared a stale build lock ({previous}, no longer running)")
        fh.seek(0)
        fh.truncate()
        fh.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "started": _dt.datetime.now().isoformat(timespec="seconds"),
                }
            )
        )
        fh.flush()
        self._fh = fh
        return self

    @staticmethod
    def _holder(fh) -> str:
        fh.seek(0)
        text = fh.read().strip()
        try:
            info = json.loads(text)
            return f"pid {info['pid']} on {info['host']}, started {info['started']}"
        except (ValueError, KeyError, TypeError):
            return "unknown"

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
