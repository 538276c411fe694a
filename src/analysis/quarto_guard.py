"""Keep notebooks unchanged when researchers render them with Quarto.

``quarto render notebooks/02_staffing.ipynb --execute -P scope:丙县`` executes the
notebook in place: Quarto writes the outputs and an ``injected-parameters`` cell
back into the ``.ipynb``. That would leave the researcher's notebook dirty,
change the build's job keys, and overwrite the reference outputs nbval checks.
``_quarto.yml`` therefore runs this script around every render:

- ``pre-render``: copy each notebook about to be rendered to ``_preview/.sources/``;
- ``post-render``: put each copy back (byte for byte) and delete it (Quarto tells
  post-render scripts only the output files, so every copy found is put back).

When a render failed after Quarto had written the notebook, the post-render step
did not run. The next ``pre-render`` notices the ``injected-parameters`` cell:
it restores the copy when the cells' sources are otherwise unchanged, and
otherwise (the researcher edited the notebook since) only removes the injected
cell and keeps the edits.

Standard library only: Quarto runs it with the ``python3`` on PATH, which need
not be the project's environment. Usage: ``python3 src/analysis/quarto_guard.py
pre-render|post-render``; Quarto passes the files in ``QUARTO_PROJECT_INPUT_FILES``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

__all__ = [
    "main",
    "post_render",
    "pre_render",
]

BACKUP = Path("_preview") / ".sources"
INJECTED = "injected-parameters"


def _notebooks() -> list[Path]:
    listed = os.environ.get("QUARTO_PROJECT_INPUT_FILES", "")
    listing_file = os.environ.get("QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES")
    if listing_file and Path(listing_file).exists():
        listed = Path(listing_file).read_text(encoding="utf-8")
    files = [Path(line.strip()) for line in listed.splitlines() if line.strip()]
    return [f for f in files if f.suffix == ".ipynb" and f.exists()]


def _backup_path(notebook: Path) -> Path:
    resolved = notebook.resolve()
    try:
        rel = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        rel = Path(resolved.name)
    return BACKUP / rel


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def _injected(cell: dict) -> bool:
    return INJECTED in cell.get("metadata", {}).get("tags", [])


def _sources(cells: list[dict]) -> list[tuple[str, str]]:
    return [
        (c.get("cell_type", ""), "".join(c.get("source", ""))) for c in cells if not _injected(c)
    ]


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _repair(nb: Path, backup: Path) -> str:
    """Undo Quarto's write-back: restore the copy, or keep edits made since and drop the injected cell.

    Returns
    -------
    str
        A message saying which of the two was done.
    """
    if _sources(_cells(nb)) == _sources(_cells(backup)):
        _replace(nb, backup.read_bytes())
        return f"{nb}: kept as it was before the render (Quarto's executed copy is not saved)"
    doc = json.loads(nb.read_text(encoding="utf-8"))
    doc["cells"] = [c for c in doc["cells"] if not _injected(c)]
    _replace(nb, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode())
    return f"{nb}: edited during the render; kept the edits, removed the injected-parameters cell"


def pre_render() -> list[str]:
    """Back up each notebook to be rendered; first repair one a failed render left behind.

    Returns
    -------
    list of str
        A message per notebook repaired first.
    """
    said = []
    for nb in _notebooks():
        backup = _backup_path(nb)
        cells = _cells(nb)
        if backup.exists() and any(_injected(c) for c in cells):
            said.append(_repair(nb, backup) + " (left by an earlier render that stopped half-way)")
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(nb, backup)
    return said


def post_render() -> list[str]:
    """Put every backed-up notebook back as it was before the render.

    Returns
    -------
    list of str
        A message per notebook that differed from its copy and was repaired.
    """
    said = []
    for backup in sorted(BACKUP.rglob("*.ipynb")):
        nb = backup.relative_to(BACKUP)
        if not nb.exists():
            continue
        if nb.read_bytes() != backup.read_bytes():
            said.append(_repair(nb, backup))
        backup.unlink()
    return said


def main(argv: list[str]) -> int:
    """Run ``pre-render`` or ``post-render``.

    Returns
    -------
    int
        The exit code: 0, or 2 for a wrong argument.
    """
    actions = {"pre-render": pre_render, "post-render": post_render}
    if len(argv) != 1 or argv[0] not in actions:
        print("usage: quarto_guard.py pre-render|post-render", file=sys.stderr)
        return 2
    for line in actions[argv[0]]():
        print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
