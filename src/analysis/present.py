"""Publishing figures and tables from notebooks, in the house conventions.

- A table has its title above ("表1 …"), the unit at the right above it
  ("单位：人"), and "资料来源：…" and "注：…" below. Every table passes
  through :func:`analysis.disclosure.suppress`; blanked cells show "—".
- A figure has its caption below ("图1 …").
- The data behind each figure or table is written as CSV (UTF-8 with BOM, so
  Excel opens it) into ``output_dir``, next to the figure PNG.

Numbers are per notebook; the report build renumbers them across chapters
using the metadata each output carries (:data:`META_KEY`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from . import style
from .disclosure import DEFAULT_K, suppress
from .textio import atomic_write

__all__ = [
    "META_KEY",
    "TABLE_MIME",
    "Publisher",
    "count_text",
    "md_escape",
    "pct",
    "safe_name",
]

#: Key of the output metadata that marks a published figure or table.
META_KEY = "minzheng"
#: MIME type of the machine-readable copy of a published table (read by the report build).
TABLE_MIME = "application/vnd.minzheng.table+json"


def pct(x: float | None, digits: int = 1) -> str:
    """Format a share in [0, 1] as a percentage with one decimal, e.g. ``90.4%``; ``—`` when missing.

    Returns
    -------
    str
        The percentage; ``—`` when ``x`` is None or missing.
    """
    if x is None or pd.isna(x):
        return "—"
    return f"{100 * x:.{digits}f}%"


def count_text(n: int | None, k: int = DEFAULT_K) -> str:
    """Write a count of people for narrative text, withholding 1..k-1 as "少于k" (disclosure control).

    Returns
    -------
    str
        ``n`` with thousands separators, ``少于k`` when ``0 < n < k``, ``—`` when None.
    """
    if n is None:
        return "—"
    return f"少于{k}" if 0 < n < k else f"{n:,}"


def safe_name(text: str) -> str:
    """Return a file-name-safe version of ``text`` (ASCII letters, digits, ``_``, ``-``; CJK kept).

    Returns
    -------
    str
        ``text`` with every run of other characters replaced by ``_``; ``item``
        when nothing is left.
    """
    cleaned = re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE).strip("_")
    return cleaned or "item"


class Publisher:
    """Numbers, captions, saves and displays the figures and tables of one notebook.

    Parameters
    ----------
    output_dir : str or Path
        Folder for PNG and CSV files (created when missing).
    synthetic : bool
        Adds the synthetic-data remark to every table note.
    """

    def __init__(self, output_dir: str | Path, synthetic: bool = False):
        self.output_dir = Path(output_dir)
        self.synthetic = synthetic
        self.figures = 0
        self.tables = 0
        self.published: dict[str, pd.DataFrame] = {}
        self._names: set[str] = set()

    def figure(
        self,
        fig,
        name: str,
        caption: str,
        data: pd.DataFrame | None = None,
        source: str | None = None,
    ) -> None:
        """Save ``fig`` (PNG) and its data (CSV), then show it with the caption below.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            The figure; it is closed after saving.
        name : str
            File stem, e.g. ``"fund_sources"``.
        caption : str
            Caption without the number, e.g. ``"2019—2024年资金来源结构"``.
        data : pandas.DataFrame, optional
            The numbers drawn, written next to the PNG.
        source : str, optional
            "资料来源" line.

        The PNG and CSV are written to ``output_dir`` as ``name.png`` / ``name.csv``.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image, Markdown, display

        self.figures += 1
        png = style.save(fig, self.output_dir / f"{safe_name(name)}.png")
        plt.close(fig)
        if data is not None:
            self._csv(data, name)
        meta = {
            META_KEY: {
                "kind": "figure",
                "number": self.figures,
                "name": name,
                "caption": caption,
                "file": png.name,
            }
        }
        display(Image(filename=str(png)), metadata=meta)
        lines = [f"**图{self.figures}　{md_escape(caption)}**"]
        if source:
            lines.append(f"资料来源：{md_escape(source)}")
        display(
            Markdown("\n\n".join(lines)),
            metadata={META_KEY: {"kind": "figure-caption", "number": self.figures}},
        )

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        caption: str,
        *,
        count_cols: Sequence[str],
        k: int = DEFAULT_K,
        dependent: Mapping[str, Sequence[str]] | None = None,
        labels: Mapping[str, str] | None = None,
        formats: Mapping[str, str] | None = None,
        unit: str | None = None,
        source: str | None = None,
        note: str | None = None,
    ) -> None:
        """Suppress small cells, save the CSV, and show a captioned table.

        Parameters
        ----------
        df : pandas.DataFrame
            The table (English column names).
        name : str
            File stem of the CSV.
        caption : str
            Title without the number.
        count_cols : sequence of str
            Columns counting workers or households, for disclosure control;
            empty when the table rests on none (e.g. model coefficients).
        k : int
            Disclosure threshold.
        dependent : mapping, optional
            Count column -> columns resting on it (see :func:`analysis.disclosure.suppress`).
        labels : mapping, optional
            Column -> Chinese header.
        formats : mapping, optional
            Column -> format, e.g. ``"{:.1f}"`` or ``"pct"``.
        unit, source, note : str, optional
            "单位：", "资料来源：" and "注：" lines.

        The published (suppressed) table, with Chinese headers, is kept in
        :attr:`published` under ``name``.
        """
        from IPython.display import display

        self.tables += 1
        safe = suppress(df, list(count_cols), k=k, dependent=dependent) if count_cols else df.copy()
        notes = [
            n
            for n in (
                note,
                safe.attrs.get("note", "").removeprefix("注："),
                "示例数据（合成），不代表真实情况。" if self.synthetic else None,
            )
            if n
        ]
        shown = safe.rename(columns=dict(labels or {}))
        self._csv(shown, name)
        meta = {
            META_KEY: {
                "kind": "table",
                "number": self.tables,
                "name": name,
                "caption": caption,
                "unit": unit,
                "source": source,
                "notes": notes,
                "suppressed": len(safe.attrs.get("suppressed", [])),
            }
        }
        spec = {
            "columns": [str((labels or {}).get(c, c)) for c in safe.columns],
            "numeric": [
                not pd.api.types.is_string_dtype(safe[c])
                and not pd.api.types.is_object_dtype(safe[c])
                for c in safe.columns
            ],
            "rows": [
                [_cell(v, (formats or {}).get(c)) for c, v in row.items()]
                for _, row in safe.iterrows()
            ],
        }
        shown_md = _markdown_table(
            spec, self.tables, caption, unit=unit, source=source, notes=notes
        )
        display({"text/markdown": shown_md, TABLE_MIME: spec}, raw=True, metadata=meta)
        self.published[name] = shown

    def _csv(self, df: pd.DataFrame, name: str) -> Path:
        if name in self._names:
            raise ValueError(
                f"{name!r} is already published in this notebook; give each figure and table its own name"
            )
        self._names.add(name)
        path = self.output_dir / f"{safe_name(name)}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = df.to_csv(index=False, lineterminator="\n", float_format="%.6g")
        return atomic_write(path, text, encoding="utf-8-sig")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "；", ".")) else text + "。"


def md_escape(text: str) -> str:
    """Escape text for literal use in (pandoc) Markdown: no markup, no raw HTML.

    Returns
    -------
    str
        One line, with every Markdown punctuation character backslash-escaped.
    """
    text = str(text).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~^$@%&=\"'])", r"\\\1", text)


def _cell(value, fmt: str | None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if fmt == "pct":
        return pct(value)
    if fmt:
        return fmt.format(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _markdown_table(
    spec: dict, number: int, caption: str, *, unit: str | None, source: str | None, notes: list[str]
) -> str:
    """Return the table as Markdown, for JupyterLab and for Quarto renders of one notebook.

    Markdown rather than HTML: Quarto adds CDN scripts (require.js, jQuery) to any
    HTML page rendered from a notebook with ``text/html`` outputs. The house-style
    filter (``_extensions/minzheng/filters.lua``) turns the bold "表N" line and the
    "单位：" line above a table into its caption, as the report build does.

    Returns
    -------
    str
        The Markdown, ending with a newline.
    """
    lines = [f"**表{number}　{md_escape(caption)}**", ""]
    if unit:
        lines += [f"单位：{md_escape(unit)}", ""]
    lines.append("| " + " | ".join(md_escape(c) for c in spec["columns"]) + " |")
    lines.append("|" + "|".join("---:" if n else ":---" for n in spec["numeric"]) + "|")
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in spec["rows"]]
    tail = []
    if source:
        tail.append(f"资料来源：{md_escape(source)}")
    if notes:
        tail.append(f"注：{md_escape(''.join(_sentence(n) for n in notes))}")
    if tail:
        lines += ["", "  \n".join(tail)]
    return "\n".join(lines) + "\n"
