"""One report document from a report's executed notebooks, as pandoc Markdown.

Code is never shown. Markdown cells and Markdown outputs become the text;
figures and tables published with :class:`analysis.present.Publisher` are
renumbered across chapters (图1, 图2 … / 表1, 表2 …) and rebuilt from their
metadata: table title above, unit at the right above, source and notes below;
figure caption below. Chapters are numbered 一、二、… and sections （一）（二）….
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..present import META_KEY, TABLE_MIME, md_escape
from ..results import MIME as RESULT_MIME
from .chapters import APPENDIX, CHAPTERS

__all__ = [
    "CHAPTERS",
    "Chapter",
    "Document",
    "appendix",
    "assemble",
    "md_escape",
    "output_check_markdown",
    "output_check_rows",
]

_NUMERALS = "一二三四五六七八九十"


@dataclass
class Chapter:
    """An executed notebook to include."""

    stem: str
    notebook: Path
    output_dir: Path


@dataclass
class Document:
    """The assembled report."""

    markdown: str
    figures: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    #: Output-checking records (:func:`analysis.sdc.record`) of every checked table,
    #: figure and withheld model, with ``label`` (表n, 图n or 不予公布),
    #: ``caption`` and ``chapter``.
    checks: list[dict] = field(default_factory=list)


def _section_heading(line: str, counter: list[int]) -> str:
    level = len(line) - len(line.lstrip("#"))
    text = line.lstrip("#").strip()
    if level == 2:
        counter[0] += 1
        return f"## （{_NUMERALS[counter[0] - 1] if counter[0] <= 10 else counter[0]}）{text}"
    return "#" * max(level, 3) + " " + text


def _markdown_cell(source: str, counter: list[int], first: bool) -> list[str]:
    lines = []
    for line in source.splitlines():
        if re.match(r"^#\s", line):
            if first:
                continue  # the notebook's title is replaced by the chapter title
            line = "#" + line
        if re.match(r"^#{2,6}\s", line):
            line = _section_heading(line, counter)
        lines.append(line)
    return lines


def _breakable(text: str) -> str:
    """Let long ASCII tokens (file names) wrap inside table cells: a zero-width space after _ . / -.

    Returns
    -------
    str
        ``text`` with the breaks inserted; unchanged when 16 characters or fewer.
    """
    return re.sub(r"(?<=[_./-])(?=[A-Za-z0-9])", "\u200b", text) if len(text) > 16 else text


def _table_markdown(spec: dict, number: int, meta: dict) -> list[str]:
    cols = [md_escape(c) for c in spec["columns"]]
    align = ["---:" if n else ":---" for n in spec["numeric"]]
    out = []
    if meta.get("unit"):
        out += ["::: {.mz-unit}", f"单位：{md_escape(meta['unit'])}", ":::", ""]
    out.append("| " + " | ".join(cols) + " |")
    out.append("|" + "|".join(align) + "|")
    for row in spec["rows"]:
        out.append("| " + " | ".join(md_escape(_breakable(c)) for c in row) + " |")
    out += ["", f": 表{number}　{md_escape(meta['caption'])}", ""]
    tail = []
    if meta.get("source"):
        tail.append(f"资料来源：{md_escape(meta['source'])}")
    if meta.get("notes"):
        notes = "".join(n if n.endswith(("。", "；")) else n + "。" for n in meta["notes"])
        tail.append(f"注：{md_escape(notes)}")
    if tail:
        out += ["::: {.mz-note}", "\\\n".join(tail), ":::", ""]
    return out


def assemble(chapters: list[Chapter], summary_md: str, appendix_md: str, assets: Path) -> Document:
    """Assemble the report Markdown from executed notebooks.

    Parameters
    ----------
    chapters : list of Chapter
        Executed notebooks in report order (missing chapters are noted in the text).
    summary_md : str
        The 摘要 chapter body.
    appendix_md : str
        Extra Markdown for the end of the appendix (parameters, provenance).
    assets : Path
        Folder where figure PNGs are copied (``figures/``) next to the document.

    Returns
    -------
    Document
    """
    doc = Document("")
    parts = ["# 摘要 {#summary}", "", summary_md, ""]
    present = {c.stem: c for c in chapters}
    number = 0
    for stem, title in CHAPTERS.items():
        if stem == APPENDIX:
            heading = f"# 附录：{title} {{#ch-{stem}}}"
        else:
            number += 1
            heading = f"# {_NUMERALS[number - 1]}、{title} {{#ch-{stem}}}"
        parts += [heading, ""]
        counter = [0]
        if stem not in present:
            parts += [
                f"本章所需的笔记本 notebooks/{stem}.ipynb 尚未建立，本年度报告暂无此部分内容。",
                "",
            ]
        else:
            parts += _chapter(present[stem], doc, assets, counter)
        if stem == APPENDIX:
            parts += _markdown_cell(appendix_md, counter, first=False) + [""]
            parts += _markdown_cell(output_check_markdown(doc.checks), counter, first=False)
            parts += [""]
    doc.markdown = "\n".join(parts)
    return doc


def _chapter(ch: Chapter, doc: Document, assets: Path, counter: list[int]) -> list[str]:
    nb = json.loads(ch.notebook.read_text(encoding="utf-8"))
    lines, first = [], True
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            lines += _markdown_cell("".join(cell.get("source", "")), counter, first) + [""]
            first = False
            continue
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            lines += _output(out, ch, doc, assets)
    return lines


def _output(out: dict, ch: Chapter, doc: Document, assets: Path) -> list[str]:
    data = out.get("data", {})
    meta = (out.get("metadata") or {}).get(META_KEY, {})
    kind = meta.get("kind")
    if RESULT_MIME in data or kind == "figure-caption" or out.get("output_type") == "stream":
        return []
    if kind == "figure":
        n = len(doc.figures) + 1
        src = ch.output_dir / meta["file"]
        dest = assets / "figures" / f"{ch.stem}-{meta['file']}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        doc.figures.append(
            {
                "number": n,
                "caption": meta["caption"],
                "name": meta["name"],
                "chapter": ch.stem,
                "png": f"figures/{dest.name}",
            }
        )
        if meta.get("sdc"):
            doc.checks.append(
                {**meta["sdc"], "label": f"图{n}", "caption": meta["caption"], "chapter": ch.stem}
            )
        return [
            f"![图{n}　{md_escape(meta['caption'])}](figures/{dest.name}){{#f-{n} width=92%}}",
            "",
        ]
    if kind == "table" and TABLE_MIME in data:
        n = len(doc.tables) + 1
        checked = meta.get("sdc")
        doc.tables.append(
            {
                "number": n,
                "caption": meta["caption"],
                "name": meta["name"],
                "chapter": ch.stem,
                "suppressed_cells": meta.get("suppressed", 0),
                "audit": checked["audit"] if checked else "not applicable",
            }
        )
        if checked:
            doc.checks.append(
                {**checked, "label": f"表{n}", "caption": meta["caption"], "chapter": ch.stem}
            )
        return _table_markdown(data[TABLE_MIME], n, meta)
    if kind == "withheld" and meta.get("sdc"):
        doc.checks.append(
            {**meta["sdc"], "label": "不予公布", "caption": meta["caption"], "chapter": ch.stem}
        )
    if "text/markdown" in data:
        text = data["text/markdown"]
        return ["".join(text) if isinstance(text, list) else text, ""]
    return []


_REASONS = {
    "primary": "少于阈值（主隐藏）",
    "secondary": "可由合计推算（次级隐藏）",
    "small group": "组内人数过少",
    "model": "模型自由度不足",
}


def _interval(c: dict) -> str:
    if c.get("lower") is None or c.get("upper") is None:
        return ""
    return f"[{c['lower']:g}, {c['upper']:g}]"


def output_check_rows(checks: list[dict]) -> list[dict]:
    """Return the output-checking summary as rows, one per withheld cell (or per clean table).

    Parameters
    ----------
    checks : list of dict
        :attr:`Document.checks`.

    Returns
    -------
    list of dict
        ``label, chapter, table, caption, rule, row, column, reason, lower,
        upper, audit, note``; a table that withheld nothing has one row with empty
        cell fields.
    """
    rows = []
    for chk in checks:
        base = {
            "label": chk["label"],
            "chapter": chk["chapter"],
            "table": chk["table"],
            "caption": chk["caption"],
            "rule": chk["rule"],
        }
        tail = {"audit": chk["audit"], "note": chk.get("note", "")}
        cells = chk.get("cells") or [{}]
        for c in cells:
            rows.append(
                {
                    **base,
                    "row": c.get("row", ""),
                    "column": c.get("column", ""),
                    "reason": c.get("reason", ""),
                    "lower": c.get("lower"),
                    "upper": c.get("upper"),
                    **tail,
                }
            )
    return rows


def output_check_markdown(checks: list[dict]) -> str:
    """Return the appendix section 输出核查: what was withheld, by which rule, and the audit.

    Parameters
    ----------
    checks : list of dict
        :attr:`Document.checks`.

    Returns
    -------
    str
        Markdown: a summary table per checked output and a table of withheld cells
        with their feasibility intervals.
    """
    esc = md_escape
    lines = ["## 输出核查", ""]
    if not checks:
        return "\n".join(lines + ["本报告没有依据工作人员或住户个体数据的表格，无需输出核查。", ""])
    failed = [c for c in checks if c["audit"] != "passed"]
    lines += [
        "下表列出本报告中依据工作人员或住户个体数据的每张表格、图和模型所适用的披露控制规则、"
        "不予公布的单元格数及审核结果。审核对每个被隐藏的单元格求出读者综合全部已公布数字"
        "（含合计及其他章节表格）所能推得的取值区间（可行区间），区间宽度须不小于保护区间。"
        + ("全部通过审核。" if not failed else f"有{len(failed)}项未通过审核。"),
        "",
        "| 表/图 | 内容 | 规则 | 主隐藏 | 次级隐藏 | 小组/模型 | 审核 |",
        "|:---|:---|:---|---:|---:|---:|:---|",
    ]
    for c in checks:
        w = c["withheld"]
        lines.append(
            f"| {c['label']} | {esc(c['caption'])} | {esc(c['rule'])} | {w.get('primary', 0)} "
            f"| {w.get('secondary', 0)} | {w.get('small group', 0) + w.get('model', 0)} "
            f"| {'通过' if c['audit'] == 'passed' else '未通过'} |"
        )
    lines += ["", ": 输出核查汇总", ""]
    cells = [r for r in output_check_rows(checks) if r["reason"]]
    if cells:
        lines += [
            "| 表/图 | 行 | 列 | 原因 | 可行区间 |",
            "|:---|:---|:---|:---|:---|",
        ]
        for r in cells:
            label = r["label"] if r["label"] != "不予公布" else esc(r["caption"])
            lines.append(
                f"| {label} | {esc(str(r['row']))} | {esc(str(r['column']))} "
                f"| {_REASONS.get(r['reason'], esc(r['reason']))} | {_interval(r)} |"
            )
        lines += ["", ": 不予公布的单元格及其可行区间", ""]
    return "\n".join(lines)


def appendix(prov: dict) -> str:
    """Return the appendix sections 报告参数 and 来源与可复现信息 as Markdown.

    Parameters
    ----------
    prov : dict
        The provenance block (see :func:`.publish.provenance`).

    Returns
    -------
    str
    """
    esc = md_escape
    lines = ["## 报告参数", "", "| 参数 | 取值 |", "|:---|:---|"]
    for key, value in sorted(prov["parameters"].items()):
        shown = (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        )
        lines.append(f"| {esc(key)} | {esc(shown)} |")
    lines += ["", ": 报告参数", "", "## 来源与可复现信息", ""]
    commit = prov["git_commit"] or "（不在 git 仓库中）"
    dirty = "，工作区有未提交的修改" if prov["git_dirty"] else ""
    lines += [
        f"本报告由代码版本 {esc(commit)}{dirty} 生成，渲染：{esc(prov['renderer'])}，Python {esc(prov['python'])}。",
        "",
    ]
    lines += ["| 输入文件 | SHA-256 |", "|:---|:---|"]
    lines += [f"| {esc(i['path'])} | {esc(i['sha256'][:16])}… |" for i in prov["inputs"]]
    lines += ["", ": 输入文件及其摘要", "", "| 软件包 | 版本 |", "|:---|:---|"]
    lines += [f"| {esc(k)} | {esc(v)} |" for k, v in sorted(prov["packages"].items())]
    lines += ["", ": 软件版本", ""]
    return "\n".join(lines)
