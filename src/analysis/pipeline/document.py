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

from ..present import META_KEY, TABLE_MIME
from ..results import MIME as RESULT_MIME

__all__ = ["CHAPTERS", "Chapter", "Document", "assemble", "md_escape"]

#: Chapter titles by notebook, in report order; 00_data is the appendix.
CHAPTERS = {
    "02_staffing": "人员配备与服务对象",
    "03_funds": "资金结构与趋势",
    "04_training": "培训需求",
    "01_evidence": "调研报告证据摘录",
    "00_data": "数据、方法与参数",
}
APPENDIX = "00_data"
_NUMERALS = "一二三四五六七八九十"


def md_escape(text: str) -> str:
    """Escape text for literal use in pandoc Markdown (no markup, no raw HTML)."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~^$@%&=\"'])", r"\\\1", text)


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
    """Let long ASCII tokens (file names) wrap inside table cells: a zero-width space after _ . / -."""
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
        return [
            f"![图{n}　{md_escape(meta['caption'])}](figures/{dest.name}){{#f-{n} width=92%}}",
            "",
        ]
    if kind == "table" and TABLE_MIME in data:
        n = len(doc.tables) + 1
        doc.tables.append(
            {
                "number": n,
                "caption": meta["caption"],
                "name": meta["name"],
                "chapter": ch.stem,
                "suppressed_cells": meta.get("suppressed", 0),
            }
        )
        return _table_markdown(data[TABLE_MIME], n, meta)
    if "text/markdown" in data:
        text = data["text/markdown"]
        return ["".join(text) if isinstance(text, list) else text, ""]
    return []
