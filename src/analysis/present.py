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
        self.checks: list[dict] = []  # output-checking records (see analysis.sdc.record)
        self._names: set[str] = set()

    def withheld(self, name: str, caption: str, check) -> None:
        """Say in the text that a model's results are withheld, and record why.

        Parameters
        ----------
        name : str
            The name the table would have had.
        caption : str
            What was withheld, e.g. ``"工作人员数回归结果"``.
        check : analysis.sdc.ModelCheck
            The failed check.
        """
        from IPython.display import Markdown, display

        from .sdc import record

        rec = record(
            name,
            rule=f"模型残差自由度不少于{check.min_dof}（ACRO）",
            cells=[{"row": caption, "column": "全部估计值", "reason": "model", "dof": check.dof}],
            passed=True,
            note=check.summary,
        )
        self.checks.append(rec)
        display(
            Markdown(f"**{md_escape(caption)}不予公布。** {md_escape(check.text())}"),
            metadata={META_KEY: {"kind": "withheld", "name": name, "caption": caption, "sdc": rec}},
        )

    def figure(
        self,
        fig,
        name: str,
        caption: str,
        data: pd.DataFrame | None = None,
        source: str | None = None,
        *,
        count_cols: Sequence[str] = (),
        k: int = DEFAULT_K,
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
        count_cols : sequence of str
            Columns of ``data`` counting workers or households: no bar or point
            may rest on 1 to ``k - 1`` of them (blanked values are not drawn).
        k : int
            Disclosure threshold.

        Raises
        ------
        analysis.sdc.DisclosureError
            When a count behind the figure rests on fewer than ``k`` units.
        ValueError
            When ``count_cols`` is given without ``data``.

        The PNG and CSV are written to ``output_dir`` as ``name.png`` / ``name.csv``.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image, Markdown, display

        checked = None
        if count_cols:
            from .sdc import DisclosureError, record

            if data is None:
                raise ValueError(f"figure {name!r}: count_cols needs the figure's data")
            for col in count_cols:
                counts = pd.to_numeric(data[col], errors="coerce")
                small = counts[(counts > 0) & (counts < k)]
                if not small.empty:
                    plt.close(fig)
                    raise DisclosureError(
                        f"figure {name!r} ({caption}): row {small.index[0]}, column {col} "
                        f"rests on {small.iloc[0]:g} units, fewer than {k}; blank it first"
                    )
            checked = record(name, rule=f"频数规则（少于{k}人/户不绘制）", cells=[], passed=True)
            self.checks.append(checked)
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
                "sdc": checked,
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
        model=None,
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
        model : analysis.sdc.ModelCheck, optional
            The output check of the regression whose estimates the table shows; a
            table of a model that failed it is refused (use :meth:`withheld`).

        Raises
        ------
        analysis.sdc.DisclosureError
            When the table's disclosure audit failed, when a cell resting on fewer
            than ``k`` units is protected by primary suppression only, or when
            ``model`` failed its check; the message names the table and the cell.

        The published (suppressed) table, with Chinese headers, is kept in
        :attr:`published` under ``name``.
        """
        from IPython.display import display

        checked = df.attrs.get("sdc")
        if checked is not None and checked["audit"] != "passed":
            from .sdc import DisclosureError

            raise DisclosureError(
                f"table {name!r} ({caption}) failed its disclosure audit: {checked['note']}"
            )
        if model is not None:
            from .sdc import DisclosureError, record

            if not model.passed:
                raise DisclosureError(f"table {name!r} ({caption}): {model.summary}")
            checked = record(
                name,
                rule=f"模型残差自由度不少于{model.min_dof}（ACRO）",
                cells=[],
                passed=True,
                note=f"残差自由度{model.dof}",
            )
        self.tables += 1
        safe = suppress(df, list(count_cols), k=k, dependent=dependent) if count_cols else df.copy()
        if checked is None and count_cols:
            checked = _primary_record(name, safe, k, labels or {})
            if checked["audit"] != "passed":
                from .sdc import DisclosureError

                first = checked["cells"][0]
                raise DisclosureError(
                    f"table {name!r} ({caption}): cell row {first['row']}, column "
                    f"{first['column']} rests on fewer than {k} units and only primary "
                    "suppression protects it; its totals would give it back. Protect the "
                    "table with analysis.sdc (secondary suppression and an audit)."
                )
        if checked is not None:
            checked = {**checked, "table": name}
            self.checks.append(checked)
        sdc_note = _sdc_note(checked, k) if checked is not None and df.attrs.get("sdc") else ""
        notes = [
            n
            for n in (
                note,
                sdc_note,
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
                "suppressed": len(safe.attrs.get("suppressed", []))
                + sum(1 for c in (df.attrs.get("sdc") or {}).get("cells", [])),
                "sdc": checked,
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


def _primary_record(name: str, safe: pd.DataFrame, k: int, labels: Mapping[str, str]) -> dict:
    """Return the output-checking record of a table with primary suppression only.

    Such a table passes only when nothing was blanked: a blanked cell next to
    published values and totals could come back by subtraction, so it needs the
    table-set protection of :mod:`analysis.sdc`.

    Returns
    -------
    dict
        The record (:func:`analysis.sdc.record`).
    """
    from .sdc import record

    blanked = safe.attrs.get("suppressed", [])
    cells = [
        {"row": str(row), "column": str(labels.get(col, col)), "reason": "primary"}
        for row, col in blanked
    ]
    return record(
        name,
        rule=f"频数规则（少于{k}人/户不公布）",
        cells=cells,
        passed=not cells,
        note="" if not cells else "只有主隐藏：被隐藏的单元格可由合计推算",
    )


def _sdc_note(checked: dict, k: int) -> str:
    k = checked.get("k", k)  # the threshold the table set was protected with
    n = sum(checked["withheld"].values())
    if not n:
        return ""
    parts = []
    w = checked["withheld"]
    if w.get("primary") or w.get("secondary"):
        parts.append(
            f"依据少于{k}人的单元格及可由合计、其他表格推算出它们的单元格不予公布"
            f"（共{w.get('primary', 0) + w.get('secondary', 0)}个）"
        )
    if w.get("small group"):
        parts.append(f"人数过少的组的平均值不予公布（{w['small group']}个）")
    return "，".join(parts) + "，以“—”表示；隐藏方案经审核，见附录输出核查"


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
