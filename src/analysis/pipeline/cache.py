"""Job keys and the content-addressed store of executed jobs.

A job's key hashes everything that can change its output: the notebook's
cells (type and source, not outputs), the canonical parameters, the bytes of
every data or reference file it reads, the ``src/analysis`` sources, and the
renderer with its version. A finished job lives in ``<cache>/<key>/`` with a
``done.json`` marker written last, so a killed build leaves no finished-looking
job behind and the next build resumes with the rest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .facts import file_digest
from .plan import Job, canonical
from .render import STYLE

__all__ = [
    "TEMPLATE_SUFFIXES",
    "JobStore",
    "file_digest",
    "input_files",
    "job_key",
    "portable",
    "published_key",
    "report_key",
    "sources_digest",
]

TEMPLATE_SUFFIXES = (".typ", ".html", ".css", ".lua", ".json", ".yml")

_PACKAGE = Path(__file__).resolve().parents[1]
#: The folder of the house-style format extension (both backends render with it).
_STYLE = STYLE.parent


def notebook_digest(path: Path) -> str:
    """Hash a notebook's cell types and sources (outputs and metadata are ignored).

    Returns
    -------
    str
        The SHA-256 hex digest of the cells' types and sources.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [[c.get("cell_type"), "".join(c.get("source", ""))] for c in nb.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode("utf-8")).hexdigest()


def sources_digest(suffixes: tuple[str, ...] = (".py",)) -> str:
    """Hash the ``src/analysis`` files (and ``_extensions/``) with these suffixes.

    Python sources go into every job key; the rendering templates
    (``.typ .html .css .lua .json .yml``, including the house-style extension
    in ``_extensions/``) only into the report key, so a change of style
    re-renders reports without re-executing notebooks.

    Returns
    -------
    str
        The SHA-256 hex digest of the files' relative paths and bytes, in path order.
    """
    h = hashlib.sha256()
    for base in (_PACKAGE, _STYLE):
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix in suffixes:
                h.update(str(p.relative_to(base.parent)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def input_files(job: Job, reference_dir: Path) -> list[Path]:
    """Files a job reads: every file (or file in a folder) named by a parameter, plus the reference data.

    Returns
    -------
    list of Path
        The files, sorted, each once.
    """
    files: set[Path] = set()
    for value in job.parameters.values():
        if (
            isinstance(value, str) and Path(value).is_absolute()
        ):  # plan() made path parameters absolute
            p = Path(value)
            if p.is_file():
                files.add(p)
            elif p.is_dir():  # a folder of inputs, e.g. the survey reports
                files |= {f for f in p.rglob("*") if f.is_file()}
    if reference_dir.is_dir():
        files |= {p for p in reference_dir.rglob("*") if p.is_file()}
    return sorted(files)


def job_key(job: Job, root: Path, renderer: str, code_digest: str) -> tuple[str, dict[str, str]]:
    """Return the job's key and the digests of its input files (path relative to root -> sha256).

    Returns
    -------
    (str, dict)
        The key (32 hexadecimal characters) and the SHA-256 digest of each input
        file, keyed by its path relative to ``root`` (absolute outside it).
    """
    digests = {}
    for f in input_files(job, root / "data" / "reference"):
        try:
            name = str(f.resolve().relative_to(root))
        except ValueError:
            name = str(f)
        digests[name] = file_digest(f)
    relative = {k: portable(v, root) for k, v in job.parameters.items()}
    material = {
        "notebook": notebook_digest(job.notebook),
        "parameters": canonical(relative),
        "inputs": digests,
        "code": code_digest,
        "renderer": renderer,
    }
    key = hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    return key, digests


def report_key(job_keys: list[str], renderer_version: str, templates: str) -> str:
    """Return a report's key: its jobs' keys, the renderer and the templates' digest.

    Returns
    -------
    str
        32 hexadecimal characters.
    """
    material = json.dumps([job_keys, renderer_version, templates])
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def published_key(folder: Path) -> str | None:
    """Return the report key of the complete report published in ``folder``, if any.

    Returns
    -------
    str or None
        ``build.report_key`` of its ``results.json``; None when the report is
        incomplete or the key cannot be read.
    """
    marker = folder / "results.json"
    if not all((folder / n).exists() for n in ("results.json", "report.html", "report.pdf")):
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8"))["build"]["report_key"]
    except (ValueError, KeyError):
        return None


def portable(value, root: Path):
    """Return a path inside ``root`` as a root-relative string; anything else unchanged.

    ``<root>-data/x.csv`` is not inside ``root`` even though its name starts with it.

    Returns
    -------
    object
        ``value`` relative to ``root`` when it is an absolute path string inside it;
        else ``value`` unchanged.
    """
    if isinstance(value, str) and Path(value).is_absolute() and Path(value).is_relative_to(root):
        return str(Path(value).relative_to(root))
    return value


class JobStore:
    """Finished jobs, one folder per key under ``folder``."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        """Folder of a finished job.

        Returns
        -------
        Path
            ``folder / key``, whether or not the job has run.
        """
        return self.folder / key

    def done(self, key: str) -> bool:
        """Return True when the job finished successfully (its marker exists).

        Returns
        -------
        bool
            True when ``done.json`` exists in the job's folder.
        """
        return (self.folder / key / "done.json").exists()
