"""Facts about input files that planning needs, remembered by the files' content.

Planning a build needs a few facts: the parameters each notebook declares, the
years and counties a survey file holds and whether it is synthetic, which texts
of an evidence folder are marked 示例材料. Working them out imports papermill,
pandas and the evidence reader, which takes seconds; a build with nothing to do
should take well under one. So each fact is kept in ``<cache>/facts.json``
under the SHA-256 of the bytes it comes from and of the code that derives it:
a changed file, or changed code, is read again; an unchanged one is not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..textio import atomic_write

__all__ = ["FactStore", "file_digest"]

#: Facts kept at most (the least recently used go first).
MAX_FACTS = 2000


def file_digest(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class FactStore:
    """Facts derived from files, looked up by the files' content.

    Parameters
    ----------
    path : Path or None
        The JSON file; ``None`` keeps nothing between builds.
    salt : str
        The digest of the code that derives the facts (the ``src/analysis`` sources).
    """

    def __init__(self, path: Path | None, salt: str = "") -> None:
        self.path, self.salt = path, salt
        self._facts: dict[str, Any] = {}
        self._changed = False
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                self._facts = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self._facts = {}  # unreadable: every fact is worked out again

    def get(self, kind: str, files: list[Path], compute: Callable[[], Any]) -> Any:
        """Return the ``kind`` fact about ``files``, computing it when they or the code changed.

        Parameters
        ----------
        kind : str
            What the fact is (``parameters``, ``survey``, …).
        files : list of Path
            The files it is derived from (their names and bytes form the key).
        compute : callable
            Works the fact out; it must return JSON-serialisable data.

        Returns
        -------
        object
            The fact; ``compute()`` when a file cannot be read.
        """
        h = hashlib.sha256(f"{kind}\0{self.salt}".encode())
        try:
            for f in files:
                h.update(f"\0{Path(f).name}\0{file_digest(f)}".encode())
        except OSError:
            return compute()
        key = f"{kind}:{h.hexdigest()}"
        if key in self._facts:
            self._facts[key] = self._facts.pop(key)  # most recently used last
        else:
            self._facts[key] = compute()
            self._changed = True
        return self._facts[key]

    def save(self) -> None:
        """Write the facts when something new was learnt (at most :data:`MAX_FACTS`)."""
        if self.path is None or not self._changed:
            return
        kept = dict(list(self._facts.items())[-MAX_FACTS:])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(kept, ensure_ascii=False))
        self._changed = False
