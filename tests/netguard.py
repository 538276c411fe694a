"""A proxy on 127.0.0.1 that records every request and forwards none.

Point HTTP_PROXY/HTTPS_PROXY/ALL_PROXY (both cases) at it and run a program:
Deno (Quarto) and pandoc send every outgoing request through the proxy, so
``requests`` lists what the program tried to fetch. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import socket
import threading

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


class RecordingProxy:
    """Answer every connection with 403 and keep its first request line."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1") or "(empty)")
                try:
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def env(self, base: dict | None = None) -> dict:
        """Return ``base`` (default: os.environ) with every proxy variable pointing here."""
        env = dict(os.environ if base is None else base)
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
        env.update({k: self.url for k in PROXY_VARS})
        return env

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()

    def __enter__(self) -> RecordingProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
