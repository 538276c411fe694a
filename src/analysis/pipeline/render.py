"""Rendering the report document to HTML and PDF: pandoc+typst, or Quarto.

- ``pandoc``: pandoc from the ``pypandoc-binary`` wheel turns the Markdown into
  self-contained HTML (template, CSS and images embedded) and into typst; typst
  from the ``typst`` wheel compiles the PDF with the Noto CJK fonts shipped in
  ``mplfonts`` (and system fonts). Nothing is downloaded at run time.
- ``quarto``: when ``quarto`` is on PATH, the same Markdown is rendered as a
  ``.qmd`` with the project's Quarto format extension (``minzheng-html`` and
  ``minzheng-typst`` in ``_extensions/minzheng/``). Quarto never executes
  anything here: papermill already did.

Both backends take the look from ``_extensions/minzheng/``: the CSS, the Lua
filter, the HTML title block and the typst house style are the same files, so
the two backends print the same report.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..errors import RenderError

__all__ = [
    "Renderer",
    "choose",
    "STYLE",
    "chinese_date",
    "report_date",
]

ROOT = Path(__file__).resolve().parents[3]
#: The house style: a Quarto format extension, whose files the pandoc backend uses too.
STYLE = ROOT / "_extensions" / "minzheng"
# Markdown in: raw HTML/LaTeX is never passed through, so names from the data stay text.
READER = "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars"


def _shipped_font_files() -> list[Path]:
    from ..style import shipped_font_files  # imports matplotlib: only when rendering

    return shipped_font_files()


@dataclass(frozen=True)
class Renderer:
    """A rendering backend: ``name`` is ``pandoc`` or ``quarto``; ``version`` identifies it for the cache."""

    name: str
    version: str

    def render(self, workdir: Path, meta: dict) -> tuple[Path, Path]:
        """Render ``workdir/report.md`` to ``report.html`` and ``report.pdf`` in ``workdir``.

        Returns
        -------
        (Path, Path)
            The HTML and PDF files.

        Raises
        ------
        RenderError
            When the backend fails; the message carries its output.
        """
        if self.name == "quarto":
            return _render_quarto(workdir, meta)
        return _render_pandoc(workdir, meta)


@cache
def _pandoc_version() -> str:
    import pypandoc
    import typst

    return f"pandoc {pypandoc.get_pandoc_version()}; typst-py {getattr(typst, '__version__', '?')}"


def quarto_version() -> str | None:
    """Return ``quarto --version``, or None when Quarto is not on PATH.

    Returns
    -------
    str or None
        The version; None when Quarto is not on PATH or does not answer.
    """
    exe = shutil.which("quarto")
    if not exe:
        return None
    try:
        return subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def choose(requested: str = "auto") -> Renderer:
    """Pick the backend: ``quarto`` when asked for or when on PATH under ``auto``; else ``pandoc``.

    Returns
    -------
    Renderer
        The backend with its version.

    Raises
    ------
    RenderError
        When ``requested`` is not ``auto``, ``quarto`` or ``pandoc``, or when
        ``quarto`` is requested but not on PATH.
    """
    if requested not in {"auto", "quarto", "pandoc"}:
        raise RenderError(f"unknown renderer {requested!r}; use auto, quarto or pandoc")
    if requested in {"auto", "quarto"}:
        version = quarto_version()
        if version:
            return Renderer("quarto", f"quarto {version}")
        if requested == "quarto":
            raise RenderError(
                "renderer 'quarto' requested but quarto is not on PATH "
                "(conda: mamba env create -f environment.yml; or pip install quarto-cli)"
            )
    return Renderer("pandoc", _pandoc_version())


def _metadata(meta: dict) -> dict:
    return {
        "title": meta["title"],
        "lang": "zh-Hans",
        "date": chinese_date(meta["date"]),
        "issuer": meta.get("issuer", ""),
        "year": str(meta["year"]),
        "scope-label": meta["scope_label"],
        "synthetic": bool(meta["synthetic"]),
        "pagetitle": meta["title"],
        "toc-title": "目录",
        "toc-depth": 2,
    }


def _pandoc(args: list[str], cwd: Path) -> None:
    import pypandoc

    exe = pypandoc.get_pandoc_path()
    proc = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"pandoc failed ({' '.join(args[:3])} …): {last_lines(proc.stderr)}")


def _render_pandoc(workdir: Path, meta: dict) -> tuple[Path, Path]:
    import typst

    (workdir / "metadata.yml").write_text(
        yaml.safe_dump(_metadata(meta), allow_unicode=True), encoding="utf-8"
    )
    common = ["report.md", "-f", READER, "--metadata-file=metadata.yml", "--columns=1000"]
    _pandoc(
        [
            *common,
            "-t",
            "html5",
            "-s",
            "--toc",
            "--toc-depth=2",
            "--embed-resources",
            f"--template={STYLE / 'pandoc-report.html'}",
            f"--css={STYLE / 'style.css'}",
            f"--lua-filter={STYLE / 'filters.lua'}",
            "-o",
            "report.html",
        ],
        workdir,
    )
    _pandoc(
        [
            *common,
            "-t",
            "typst",
            "-s",
            "--toc",
            "--toc-depth=2",
            f"--template={STYLE / 'pandoc-report.typ'}",
            f"--lua-filter={STYLE / 'filters.lua'}",
            "-o",
            "report.typ",
        ],
        workdir,
    )
    fonts = sorted({str(p.parent) for p in _shipped_font_files()})
    stamp = _timestamp()
    try:
        typst.compile(
            str(workdir / "report.typ"),
            output=str(workdir / "report.pdf"),
            root=str(workdir),
            font_paths=fonts,
            timestamp=stamp,
        )
    except Exception as exc:  # typst raises TypstError (and RuntimeError on older wheels)
        raise RenderError(f"typst failed: {exc}") from None
    for scratch in ("report.typ", "metadata.yml"):
        (workdir / scratch).unlink()
    return workdir / "report.html", workdir / "report.pdf"


def _timestamp() -> int | None:
    """Return SOURCE_DATE_EPOCH when set, so PDFs are reproducible.

    Returns
    -------
    int or None
        Seconds since the epoch; None when the variable is unset or not all digits.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None


def _render_quarto(workdir: Path, meta: dict) -> tuple[Path, Path]:
    """Render with Quarto's own CLI and the house-style format extension.

    The document is rendered in a temporary folder outside the project (Quarto
    looks upwards for ``_quarto.yml``), with the extension copied beside it.
    Quarto wants an ISO date; ``date-format`` in the extension prints it the
    Chinese way. Both formats come from one ``quarto render`` call.

    Returns
    -------
    (Path, Path)
        The HTML and PDF files, copied into ``workdir``.

    Raises
    ------
    RenderError
        When ``quarto render`` fails or does not write both files; the message
        carries its output.
    """
    fonts = sorted({str(p.parent) for p in _shipped_font_files()})
    front = {
        **_metadata(meta),
        "date": meta["date"].isoformat(),
        "format": {"minzheng-html": {}, "minzheng-typst": {"font-paths": fonts}},
        "execute": {"enabled": False},
    }
    with tempfile.TemporaryDirectory(prefix="mz-quarto-") as tmp:
        tmpdir = Path(tmp)
        shutil.copytree(workdir, tmpdir, dirs_exist_ok=True)
        shutil.copytree(STYLE, tmpdir / "_extensions" / STYLE.name)
        body = (tmpdir / "report.md").read_text(encoding="utf-8")
        (tmpdir / "report.qmd").write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body, encoding="utf-8"
        )
        proc = subprocess.run(
            ["quarto", "render", "report.qmd"],
            cwd=tmpdir,
            capture_output=True,
            text=True,
            env={**os.environ, "QUARTO_PRINT_STACK": "false"},
        )
        missing = [n for n in ("report.html", "report.pdf") if not (tmpdir / n).exists()]
        if proc.returncode != 0 or missing:
            raise RenderError(f"quarto render failed: {last_lines(proc.stderr + proc.stdout)}")
        for name in ("report.html", "report.pdf"):
            shutil.copyfile(tmpdir / name, workdir / name)
    return workdir / "report.html", workdir / "report.pdf"


def last_lines(text: str, n: int = 12) -> str:
    """Return the part of a renderer's output that explains a failure, for error messages.

    From the first line that reports an error (Quarto prints the document's
    metadata before it), at most ``n`` lines; without one, the last ``n`` lines.

    Returns
    -------
    str
        The lines, joined; ``(no output)`` when ``text`` is blank.
    """
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    first = next((i for i, line in enumerate(lines) if re.search(r"\berror\b", line, re.I)), None)
    shown = lines[first : first + n] if first is not None else lines[-n:]
    return "\n".join(shown) or "(no output)"


def report_date() -> _dt.date:
    """Return the report date: SOURCE_DATE_EPOCH (UTC) when set, else today.

    Returns
    -------
    datetime.date
        The UTC date of SOURCE_DATE_EPOCH when it is set (all digits), else today's.
    """
    stamp = _timestamp()
    return (
        _dt.datetime.fromtimestamp(stamp, _dt.UTC).date() if stamp is not None else _dt.date.today()
    )


def chinese_date(d: _dt.date) -> str:
    """Return ``d`` written as 2024年12月1日.

    Returns
    -------
    str
        The date, without zero padding (``2024年1月5日``).
    """
    return f"{d.year}年{d.month}月{d.day}日"
