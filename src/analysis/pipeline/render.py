"""Rendering the report document to HTML and PDF: pandoc+typst, or Quarto.

- ``pandoc``: pandoc from the ``pypandoc-binary`` wheel turns the Markdown into
  self-contained HTML (template, CSS and images embedded) and into typst; typst
  from the ``typst`` wheel compiles the PDF with the Noto CJK fonts shipped in
  ``mplfonts`` (and system fonts). Nothing is downloaded at run time.
- ``quarto``: when ``quarto`` is on PATH, the same Markdown is rendered as a
  ``.qmd`` with the formats of the project's ``_quarto.yml`` (HTML and typst
  PDF). Quarto never executes anything here: papermill already did.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..errors import RenderError
from ..plots import shipped_font_files

__all__ = ["Renderer", "choose"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Markdown in: raw HTML/LaTeX is never passed through, so names from the data stay text.
READER = "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars"


@dataclass(frozen=True)
class Renderer:
    """A rendering backend: ``name`` is ``pandoc`` or ``quarto``; ``version`` identifies it for the cache."""

    name: str
    version: str

    def render(self, workdir: Path, meta: dict) -> tuple[Path, Path]:
        """Render ``workdir/report.md`` to ``report.html`` and ``report.pdf`` in ``workdir``.

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
    """Return ``quarto --version``, or None when Quarto is not on PATH."""
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

    Raises
    ------
    RenderError
        When ``quarto`` is requested but not installed.
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
        "lang": "zh-CN",
        "date": meta["date"],
        "issuer": meta.get("issuer", ""),
        "year": str(meta["year"]),
        "scope-label": meta["scope_label"],
        "synthetic": bool(meta["synthetic"]),
        "pagetitle": meta["title"],
        "toc-title": "目录",
    }


def _pandoc(args: list[str], cwd: Path) -> None:
    import pypandoc

    exe = pypandoc.get_pandoc_path()
    proc = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"pandoc failed ({' '.join(args[:3])} …): {proc.stderr.strip()[-2000:]}")


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
            f"--template={TEMPLATES / 'report.html'}",
            f"--css={TEMPLATES / 'style.css'}",
            f"--lua-filter={TEMPLATES / 'filters.lua'}",
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
            f"--template={TEMPLATES / 'report.typ'}",
            f"--lua-filter={TEMPLATES / 'filters.lua'}",
            "-o",
            "report.typ",
        ],
        workdir,
    )
    fonts = sorted({str(p.parent) for p in shipped_font_files()})
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
    return workdir / "report.html", workdir / "report.pdf"


def _timestamp() -> int | None:
    """Return SOURCE_DATE_EPOCH when set, so PDFs are reproducible."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None


def _render_quarto(workdir: Path, meta: dict) -> tuple[Path, Path]:
    project = Path(__file__).resolve().parents[3] / "_quarto.yml"
    config = yaml.safe_load(project.read_text(encoding="utf-8")) if project.exists() else {}
    fonts = sorted({str(p.parent) for p in shipped_font_files()})
    formats = config.get("format", {})
    formats.setdefault("html", {}).update(
        {"embed-resources": True, "toc": True, "css": str(TEMPLATES / "style.css")}
    )
    formats.setdefault("typst", {}).update({"font-paths": fonts, "toc": True})
    front = {
        **{k: v for k, v in config.items() if k not in {"project", "format"}},
        **_metadata(meta),
        "format": formats,
        "execute": {"enabled": False},
    }
    # Quarto looks upwards for _quarto.yml; render outside the project so this is a plain document.
    with tempfile.TemporaryDirectory(prefix="mz-quarto-") as tmp:
        tmpdir = Path(tmp)
        shutil.copytree(workdir, tmpdir, dirs_exist_ok=True)
        body = (tmpdir / "report.md").read_text(encoding="utf-8")
        (tmpdir / "report.qmd").write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body, encoding="utf-8"
        )
        for fmt in ("html", "typst"):
            proc = subprocess.run(
                ["quarto", "render", "report.qmd", "--to", fmt],
                cwd=tmpdir,
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise RenderError(f"quarto render --to {fmt} failed: {proc.stderr.strip()[-2000:]}")
        for name in ("report.html", "report.pdf"):
            shutil.copyfile(tmpdir / name, workdir / name)
    return workdir / "report.html", workdir / "report.pdf"


def today() -> str:
    """Return the report date (SOURCE_DATE_EPOCH when set), as 2024年12月1日."""
    stamp = _timestamp()
    d = _dt.datetime.fromtimestamp(stamp, _dt.UTC).date() if stamp is not None else _dt.date.today()
    return f"{d.year}年{d.month}月{d.day}日"
