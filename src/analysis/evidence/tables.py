"""Reading statistics tables that a web copy flattened into a stream of cells.

Copied from a web page, a table often loses its grid: each cell comes on a line
of its own, with or without ``|`` lines between them, and a header of several
levels (a group such as 城镇低保 over 户数 and 人数) comes out level by level before
all the figures. The other readers of :mod:`.numbers` know particular layouts;
this one recovers the grid from the cells themselves:

1. A *region* is a run of short lines without sentence punctuation: cells, ``|``
   lines, or rows set in spaces. Its cells are split out: between bars a part is
   one cell (its padding, 本月 人数, dropped); a line without bars is split at its
   spaces (single characters in a row, 指 标, are one cell); English words of a
   bilingual table are dropped; two separators with nothing between them are an
   empty cell; a line ``(户)`` is the unit of the cell before it. Two tables set
   side by side (lines of two rows each) are read one after the other.
2. Cells before a run of figures are that run's header.

   - **Long tables** (指标 | 单位 | 数量, then one row per indicator): a row is a
     label, its unit (a unit cell, its own ``(人)`` before or after the figures,
     its section heading's ``(万人)``, its last word 人数, or 单位:X above the
     table) and its figures; the first figure is the current one (later ones are
     上期, 环比 …), unless the header is a series of years (2010 2015 2020), when
     each is read. A row without figures names the section.
   - **Column heads** (类别 户数 人数 资金(万元); 指标 2021年 2022年; 项目 城市低保
     农村低保): each figure is read in its column's unit, or in the row's when the
     column is a year or a programme; a 序号 column's numbers are skipped, and the
     cells before the label column (各街道低保数据一览表) name the rows' programme.
   - **Wide tables** (a header of units, then a run of at least three figures):
     the header is a tree whose leaves carry units. Its levels are recovered by
     search: each group has the same number of children (at least two) on the
     next level, and the leaves, in depth-first order, must be as many as the
     figures (or one more: a last column left blank). Among the trees that fit,
     the one with the widest first level wins (a copy lists first every cell that
     spans all the header's rows), then the one whose groups fit their children
     (城镇低保 over 城镇低保户数; 城镇 and 农村 each over 户数, 人数). A long header
     cell wrapped over two lines, its unit on a third (本月低保 / 资金发放数 /
     (万元)), may be one cell or two; the search tries both. Later rows (a label,
     then fewer figures) fill the count columns with whole numbers and the money
     columns with decimals. When no tree fits, the header is read as column heads.

Negative figures (net changes) are no counts. Each figure becomes a
:class:`~.numbers.Quantity` whose ``label`` is the table's caption, the row's
section and label, and the column's path, so that the classifier reads it like a
table row of any other layout. A figure that another reader already took is left
to it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import classify
from .classify import UNITS_TAIL
from .numbers import _AR, MONEY, UNIT_ALIASES, Quantity, _exact, _overlaps

__all__ = ["grid_quantities"]

# (a comma not before three digits: 1,245 is a figure. The check comes after the character,
# so that a search skips to the next stop or comma at once.)
_PROSE = re.compile(r"[。；;！？!?，,](?!(?<=,)\d{3})")
_MAX_CELL = 40
_NUMBER = re.compile(rf"-?{_AR}")
# A unit alone in a cell (万人, 亿元, 元/人、月, 户) or in brackets after a header (户).
_UNIT_WORD = (
    r"(?:[万亿]?(?:元|人次|户次|人天|人|户|个|家|所|张|件|具|名|项|次)"
    r"(?:\s*/\s*(?:人|户)\s*[·、./。]?\s*[月年季])?|元\s*/\s*(?:人|户)?\s*[·、./。]?\s*[月年季])"
)
_UNIT_CELL = re.compile(rf"[(（]?\s*(?P<unit>{_UNIT_WORD})\s*[)）]?")
_INLINE_UNIT = re.compile(rf"(?P<name>.+?)\s*[(（]\s*(?P<unit>{_UNIT_WORD})\s*[)）]")
# The last word of a label that says what a row without a unit counts.
_LABEL_UNITS = (("人次", "人次"), ("户次", "户次"), ("户数", "户"), ("人数", "人"))
# A line wrapped inside a header cell is a long one (本月低保 / 资金发放数); 城镇, 农村 are not.
_WRAP_MIN = 4
_NUMBERED = re.compile(
    r"^(?:\d+[.、．]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）])\s*"
)
_STATED = re.compile(r"[(（]?单位\s*[:：]\s*([^\s)）]{1,6})[)）]?")
_YEAR_HEAD = re.compile(r"(?:19|20)\d\d\s*年?(?:底|末|度)?")
_SERIAL = re.compile(r"序号|编号|序|No\.?")
_COUNTED = {"个", "户", "人", "家", "所", "名", "件", "具"}  # whole things: no decimals
_MAX_LEVELS = 4
_MAX_SPLITS = 20000
_MAX_HEADER = 24  # more header cells than this is not a header tree worth searching


@dataclass(slots=True)
class _Cell:
    text: str
    start: int
    end: int
    kind: str  # "num", "unit", "text" or "empty"
    unit: str = ""  # the unit a header or label carries: (户) after it, or 数(万元)
    wrapped: bool = False  # a text line that may be the second half of the cell above
    unit_below: bool = False  # its unit is the next line's (户), as when a long cell wraps
    line: int = 0  # the line of the text it is on


def _kind(text: str) -> str:
    if not text:
        return "empty"
    if _NUMBER.fullmatch(text):
        return "num"
    if _UNIT_CELL.fullmatch(text):
        return "unit"
    return "text"


def _unit_of(text: str) -> str:
    m = _UNIT_CELL.fullmatch(text)
    return _BLANK.sub("", m.group("unit")) if m else ""


# A cell of a line: words without spaces, or a bracketed unit that may hold one (元/人 月).
_TOKEN = re.compile(r"(?:[(（][^()（）]*[)）]|[^\s(（|])+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z]")
_BLANK = re.compile(r"\s")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PADDING = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _is_english(word: str) -> bool:
    # The English of a bilingual table (Number of Persons …, (10000 persons)).
    return bool(_LETTER.search(word)) and not _CJK.search(word)


def _tokens(part: str, barred: bool) -> list[tuple[int, int, str]]:
    # The cells of one part of a line: (start, end, text). Between bars the part is one cell,
    # its padding between characters (本月 人数, 大 坪) dropped. A line without bars is set in
    # spaces: each word is a cell, and single characters in a row that are not units (指 标,
    # 床 位) are one cell.
    if barred:
        body = part.strip()
        if not body or _is_english(body):
            return []
        lead = len(part) - len(part.lstrip())
        return [(lead, lead + len(body), _PADDING.sub("", body))]
    spans: list[tuple[int, int, str]] = []
    single = False  # the last span is made of single characters
    for m in _TOKEN.finditer(part):
        word = m.group(0)
        if _is_english(word):
            continue
        one = len(word) == 1 and bool(_CJK.match(word)) and not _UNIT_CELL.fullmatch(word)
        if word == "年" and spans and _YEAR.fullmatch(spans[-1][2]):
            spans[-1] = (spans[-1][0], m.end(), spans[-1][2] + word)  # 2001 年: a year's head
            single = False
            continue
        if one and single:
            spans[-1] = (spans[-1][0], m.end(), spans[-1][2] + word)
        else:
            spans.append((m.start(), m.end(), word))
        single = one
    return spans


def _is_cell_line(line: str) -> bool:
    letters = _LETTER.search(line) is not None
    if not letters:
        if _PROSE.search(line):
            return False  # a sentence (most lines): no need to look at its words
        if len(line) <= _MAX_CELL:
            return True  # a short line: its words joined are no longer, and have no stop either
    words = line.replace("|", " ").split()
    # (only a word with a letter can be English: most lines have none)
    body = " ".join([w for w in words if not _is_english(w)] if letters else words)
    if _PROSE.search(body):
        return False
    if len(body) <= _MAX_CELL:
        return True
    # a row of a table set in spaces (城镇居民最低生活保障人数 人 44209 48843 结婚登记 件 …),
    # or a long row between bars, its header of years included (项目 | 2006年 | 2007年 | …)
    words = body.split()
    return (
        all(len(w) <= _MAX_CELL for w in words)
        and sum(bool(_NUMBER.fullmatch(w) or _YEAR_HEAD.fullmatch(w)) for w in words) >= 2
    )


def _regions(text: str) -> list[list[_Cell]]:
    # Runs of cell lines with at least two figures, each split into its cells (with offsets
    # into ``text``). Runs are found first and only those with figures are split: most
    # lines of a text are sentences, and most runs of short lines are headings.
    regions: list[list[_Cell]] = []
    run: list[tuple[int, int, str]] = []  # (line number, start, line)
    pos = 0
    for number, line in enumerate([*text.split("\n"), "。"]):  # a sentence ends the last run
        start, pos = pos, pos + len(line) + 1
        if _is_cell_line(line):
            run.append((number, start, line))
            continue
        if run and len(_FIGURES.findall("\n".join(r[2] for r in run))) >= 2:
            cells = _cells(run)
            if sum(c.kind == "num" for c in cells) >= 2:
                regions.append(cells)
        run = []
    return regions


_FIGURES = re.compile(r"\d(?<![\d.]\d)")  # the start of a number (not a digit inside one)


def _cells(run: list[tuple[int, int, str]]) -> list[_Cell]:
    # The cells of a run of lines: two separators with nothing between are an empty cell.
    cells: list[_Cell] = []
    pending_sep = 0  # separators seen since the last cell
    closed = False  # the last line ended  cell |  : a bar opening this line is the same one
    for number, at, line in run:
        parts = line.split("|")
        for k, part in enumerate(parts):
            spans = _tokens(part, len(parts) > 1)
            for a, b, body in spans:
                if pending_sep >= 2 and cells:
                    cells += [
                        _Cell("", at, at, "empty", line=number) for _ in range(pending_sep - 1)
                    ]
                cell = _Cell(body, at + a, at + b, _kind(body), line=number)
                cell.wrapped = len(parts) == 1 and len(spans) == 1  # maybe half of a wrapped cell
                cells.append(cell)
                pending_sep = 0
            if k < len(parts) - 1 and not (k == 0 and not spans and closed and len(parts) > 2):
                pending_sep += 1
            at += len(part) + 1
        closed = bool(line.replace("|", "").strip()) and line.rstrip().endswith("|")
    return cells


def _rows_of_line(cells: list[_Cell]) -> list[list[_Cell]]:
    # A line's rows. A text cell starts one after a figure, after another text cell (二、养老机构
    # 六、公墓), or after the unit of a row without figures (一、救济对象总人数 人 五、婚姻情况).
    rows: list[list[_Cell]] = []
    for cell in cells:
        row = rows[-1] if rows else []
        starts = (
            cell.kind == "text"
            and bool(row)
            and (
                row[-1].kind in {"num", "text"}
                or (row[0].kind == "text" and all(c.kind != "num" for c in row))
            )
        )
        if not row or starts:
            rows.append([cell])
        else:
            row.append(cell)
    return rows


def _unfold_sides(cells: list[_Cell]) -> list[_Cell]:
    # Two tables set side by side (指标 单位 2021 2020 | 指标 单位 2021 2020) come as lines of
    # two rows each: read the left table's rows, then the right one's.
    lines: dict[int, list[_Cell]] = {}
    for cell in cells:
        lines.setdefault(cell.line, []).append(cell)
    rows = {n: _rows_of_line(line) for n, line in lines.items()}
    double = sum(
        len(r) == 2 and all(any(c.kind == "num" for c in row) for row in r) for r in rows.values()
    )
    if double < 2:
        return cells
    left = [c for r in rows.values() for c in r[0]]
    right = [c for r in rows.values() for row in r[1:] for c in row]
    return left + right


def _attach_units(cells: list[_Cell]) -> list[_Cell]:
    # (户) after a header: the header's unit. 资金发放数(万元): the unit is in the cell.
    out: list[_Cell] = []
    for cell in cells:
        if cell.kind == "text":
            m = _INLINE_UNIT.fullmatch(cell.text)
            if m:
                cell.text, cell.unit = m.group("name").strip(), _BLANK.sub("", m.group("unit"))
        bracketed = cell.kind == "unit" and cell.text[0] in "(（"
        if bracketed and out and out[-1].kind == "text" and not out[-1].unit:
            out[-1].unit, out[-1].unit_below = _unit_of(cell.text), True
            continue
        out.append(cell)
    return out


def _scaled(unit: str) -> tuple[str, int, str]:
    # (unit as scored, factor, the rate's period for the label): 万人 -> 人 x 10000.
    unit = _BLANK.sub("", unit)
    if "/" in unit:
        return "元", 1, " " + unit
    if unit[0] in "万亿" and unit not in MONEY:
        return UNIT_ALIASES.get(unit[1:], unit[1:]), 10000 if unit[0] == "万" else 10**8, ""
    return UNIT_ALIASES.get(unit, unit), 1, ""


def _quantity(cell: _Cell, unit: str, label: str) -> Quantity | None:
    if not unit or cell.text.startswith("-"):
        return None  # no unit; or a net change (-10), which no indicator counts
    base, factor, period = _scaled(unit)
    exact = _exact(cell.text, None, factor)
    if base in _COUNTED and "." in exact:
        return None  # 14.8 个: a count in 万 whose scale the table did not say, not 14.8 units
    v = float(exact)
    return Quantity(v, v, v, base, "", cell.start, cell.end, exact, exact, label + period)


# -- wide tables: a header tree, then the figures ------------------------------------------


@dataclass(slots=True)
class _Node:
    name: str
    unit: str
    children: list[_Node]


def _name_score(group: str, child: str) -> int:
    return int(len(group) >= 2 and group in child)  # 城镇低保 over 城镇低保户数


def _trees(cells: list[_Cell], figures: int) -> list[tuple[tuple, list[str], list[str]]]:
    # Every reading of the header as a tree that fits ``figures``: (rank, paths, units); the
    # rank is the width of the first level (a copy lists first every cell that spans all the
    # header's rows), then how well groups fit their children (children repeating the group's
    # name, groups with the same columns), then the fewer wrapped cells joined.
    found = []
    wraps = [
        i
        for i in range(len(cells) - 1)
        if not cells[i].unit
        and cells[i].wrapped
        and len(cells[i].text) >= _WRAP_MIN
        and cells[i + 1].wrapped
        and cells[i + 1].unit_below
    ]
    for merge in itertools.product((False, True), repeat=min(len(wraps), 4)):
        merged = set(itertools.compress(wraps, merge))
        nodes: list[_Node] = []
        skip = False
        for i, cell in enumerate(cells):
            if skip:
                skip = False
                continue
            if i in merged:
                nxt = cells[i + 1]
                nodes.append(_Node(cell.text + nxt.text, nxt.unit, []))
                skip = True
            else:
                nodes.append(_Node(cell.text, cell.unit, []))
        for levels in _level_splits(nodes):
            built = _build(levels, figures)
            if built is not None:
                score, paths, units = built
                found.append(((len(levels[0]), score, -len(merged)), paths, units))
    return found


def _level_splits(nodes: list[_Node]) -> list[list[list[_Node]]]:
    # Ways to cut ``nodes`` into at most _MAX_LEVELS levels: a level's groups share the next
    # level evenly. A header that would take more than _MAX_SPLITS tries is not read.
    out: list[list[list[_Node]]] = []
    tries = 0

    def split(rest: list[_Node], levels: list[list[_Node]]) -> None:
        nonlocal tries
        tries += 1
        groups = sum(not n.unit for n in levels[-1]) if levels else 0
        if levels and groups == 0:
            if not rest:
                out.append(levels)
            return
        if not rest or len(levels) == _MAX_LEVELS or tries > _MAX_SPLITS:
            return
        for size in range(1, len(rest) + 1):
            if levels and (size % groups or size // groups < 2):
                continue
            split(rest[size:], [*levels, rest[:size]])

    split(nodes, [])
    return out if tries <= _MAX_SPLITS else []


def _build(levels: list[list[_Node]], figures: int) -> tuple[int, list[str], list[str]] | None:
    score = 0
    nodes = [[_Node(n.name, n.unit, []) for n in level] for level in levels]
    for upper, lower in itertools.pairwise(nodes):
        groups = [n for n in upper if not n.unit]
        share = len(lower) // len(groups)
        for g, group in enumerate(groups):
            group.children = lower[g * share : (g + 1) * share]
            score += sum(_name_score(group.name, c.name) for c in group.children)
        # groups of one level whose columns repeat (城镇: 户数, 人数 and 农村: 户数, 人数)
        kinds = [tuple(c.name.removeprefix(g.name) for c in g.children) for g in groups]
        score += sum(kinds.count(kind) > 1 for kind in kinds)
    paths: list[str] = []
    units: list[str] = []

    def walk(node: _Node, path: str) -> None:
        here = f"{path} {node.name}".strip()
        if node.unit:
            paths.append(here)
            units.append(node.unit)
        for child in node.children:
            walk(child, here)

    for top in nodes[0]:
        walk(top, "")
    if not figures <= len(paths) <= figures + 1:
        return None
    return score, paths, units


def _wide(
    caption: str, trees: list, figures: list[_Cell], rows: list[tuple[_Cell, list[_Cell]]]
) -> list[Quantity]:
    _, paths, units = max(trees, key=lambda t: t[0])
    found = [
        q
        for cell, path, unit in zip(figures, paths, units, strict=False)
        if (q := _quantity(cell, unit, f"{caption} {path}".strip()))
    ]
    money = [k for k, u in enumerate(units) if u in MONEY]
    counts = [k for k, u in enumerate(units) if u not in MONEY and "/" not in u]
    for label, cells in rows:
        whole = [c for c in cells if "." not in c.text]
        parts = [c for c in cells if "." in c.text]
        if len(cells) == len(paths):
            pairs = list(zip(cells, range(len(paths)), strict=True))
        else:
            pairs = list(zip(whole, counts, strict=False)) + list(zip(parts, money, strict=False))
        for cell, k in pairs:
            q = _quantity(cell, units[k], f"{caption} {label.text} {paths[k]}".strip())
            if q:
                found.append(q)
    return found


# -- reading a region -------------------------------------------------------------------------


def _read_region(cells: list[_Cell], taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    i, n = 0, len(cells)
    section = caption = ""
    columns: list[_Cell] = []  # a long table's column heads, when they carry units or years
    stated = ""  # 单位:万元 above the table: the unit of what names none
    section_unit = ""  # the unit the section's heading names
    width = 0  # figures in a row, when a 序号 column numbers the rows
    years = 0  # the columns of a series of years, when the header has them
    year_groups: list[_Cell] = []  # heads over a series of years repeated under each
    while i < n:
        j = i
        while j < n and cells[j].kind != "num":
            j += 1
        if j == n:
            break
        k = j
        while k < n and cells[k].kind == "num":
            k += 1
        header = [c for c in cells[i:j] if c.kind != "empty"]
        figures = cells[j:k]
        trailing = ""
        if k < n and cells[k].kind == "unit" and cells[k].text[0] in "(（":
            trailing = _unit_of(cells[k].text)  # 2234.2 2240.1 (万人): the label's unit, wrapped
            k += 1
        if any(_overlaps(taken, c.start, c.end) for c in figures):
            i = k  # another reader has this part of the table
            continue
        leaves = [c for c in header if c.unit]
        first = header.index(leaves[0]) if leaves else 0
        wide = len(figures) >= 3 and len(leaves) >= 2 and len(header) <= _MAX_HEADER
        trees = _trees(header[first:], len(figures)) if wide else []
        if trees:  # a header tree fits the figures; else a long table whose heads carry units
            caption = header[first - 1].text if first else caption
            rows: list[tuple[_Cell, list[_Cell]]] = []
            while k < n and cells[k].kind == "text":
                m = k + 1
                while m < n and cells[m].kind == "num":
                    m += 1
                if m == k + 1:
                    break  # text then text: the next table's caption
                rows.append((cells[k], cells[k + 1 : m]))
                k = m
            found += _wide(caption, trees, figures, rows)
            i = k
            continue
        for cell in header:
            m = _STATED.fullmatch(cell.text)
            stated = _unit_of(m.group(1)) if m and _UNIT_CELL.fullmatch(m.group(1)) else stated
        if not found and not years and _years(figures):
            # 项目 2010 2015 2020 2021: the columns are years. Figures right after them belong
            # to a row whose label was English only (total 1970 1847 1990): not read.
            years = _years(figures)
            # 单位数(个) 工作人员(人), then 2008 2009 2010 2008 2009 2010: each head with a unit
            # is a group of the year columns, read in its own unit
            groups = [c for c in header if c.unit]
            year_groups = groups if len(groups) >= 2 and len(figures) == len(groups) * years else []
            i = k
            continue
        label = _label(header)
        heads = [c for c in header[: header.index(label)] if c.kind == "text"] if label else []
        heads = [c for c in heads if not _STATED.fullmatch(c.text)]
        if not found and not columns and sum(_is_column(c) for c in heads) >= 2:
            # cells on lines after the heads' own are rows without figures (社会救济)
            line = heads[max(n for n, c in enumerate(heads) if _is_column(c))].line
            rows_before = [c for c in heads if c.line > line]
            heads = [c for c in heads if c.line <= line]
            columns = heads  # 项目 户数 人数 资金(万元), 指标 2022年 2023年: a quantity per column
            section = rows_before[-1].text if rows_before else section  # 社会救济 (no figures)
            serial = next((c for c in heads if _SERIAL.fullmatch(c.text)), None)
            width = len(heads) - heads.index(serial) - 2 if serial else 0
            # the cells before the label column name the table (各街道低保数据一览表)
            before = heads[: len(heads) - (width or len(figures)) - 1 - bool(serial)]
            caption = " ".join(_NUMBERED.sub("", c.text) for c in before)
        elif label is not None:
            for cell in heads:
                section = cell.text  # a row of no figures before this one: the section
                if cell.unit or _NUMBERED.match(cell.text):
                    section_unit = cell.unit  # 二、优抚安置(万人): the unit of its rows
        if width and len(figures) == width + 1 and k < n and cells[k].kind == "text":
            figures = figures[:-1]  # 解放碑 1102 … -2678 3 菜园坝: 3 is the next row's 序号
        own_unit = label is not None and any(
            c.kind == "unit" for c in header[header.index(label) + 1 :]
        )
        units = (trailing, section_unit, stated)
        if columns and not own_unit and 2 <= len(figures) <= len(columns):
            unit = _row_unit(header, units)
            named = f"{caption} {section}".strip()
            found += _column_row(label, figures, columns[-len(figures) :], named, unit)
        else:
            if year_groups and label is not None and len(figures) == len(year_groups) * years:
                for g, head in enumerate(year_groups):
                    for figure in figures[g * years : (g + 1) * years]:
                        name = f"{_NUMBERED.sub('', section)} {label.text} {head.text}".strip()
                        q = _quantity(figure, head.unit, name)
                        found += [q] if q else []
            else:
                # each year of a series; otherwise the first figure (later ones are 上期, 环比 …)
                for figure in figures[: max(years, 1)]:
                    found += _long_row(header, figure, section, units)
            if label is not None and label.unit and _NUMBERED.match(label.text):
                # (一)城镇低保人数(人) 201772: the rows after it without a number of their own
                # (在职人员 8517, 下岗人员 40327) are its parts, counted in its unit
                section, section_unit = label.text, label.unit
        i = k
    return found


def _years(figures: list[_Cell]) -> int:
    # How many figures at the head of a run are years in ascending order, two or more
    # (2010 2015 2020 2021): a series, every year read; else 0. (2021 2020, this year before
    # the last, is a comparison: only its first column counts.)
    count = 0
    for previous, cell in zip([None, *figures], figures, strict=False):
        if not _YEAR.fullmatch(cell.text) or (previous and int(cell.text) <= int(previous.text)):
            break
        count += 1
    if count < 2 or (count < len(figures) and len(figures) != 2 * count):
        return 0  # years then as many figures (a row whose label was dropped), or years only
    return count


def _label(header: list[_Cell]) -> _Cell | None:
    # The row's label: the last text cell before the figures.
    return next((c for c in reversed(header) if c.kind == "text"), None)


def _head_unit(head: _Cell) -> str:
    # The unit a column head names: 资金(万元), 户数, 人数, 人次.
    return head.unit or _suffix_unit(head.text)


def _suffix_unit(text: str) -> str:
    # The unit the last word of a label or head names (户数 -> 户, 人数 -> 人), or "".
    return next((unit for key, unit in _LABEL_UNITS if text.endswith(key)), "")


def _is_column(head: _Cell) -> bool:
    return bool(_head_unit(head) or _YEAR_HEAD.fullmatch(head.text) or _names_group(head))


def _names_group(head: _Cell) -> bool:
    # A column named after a programme (城市低保, 特困供养): the row label says what it counts.
    return not head.unit and _group_cues(classify.LEXICON).search(head.text) is not None


@cache
def _group_cues(path: Path) -> re.Pattern:
    # Any cue of a programme whose persons the lexicon at ``path`` names.
    cues = {
        cue
        for entry in classify.load_lexicon(path)["programmes"].values()
        if entry.get("persons") not in {None, "other"}
        for cue in entry["cues"]
    }
    return re.compile("|".join(map(re.escape, sorted(cues, key=len, reverse=True))))


def _row_unit(header: list[_Cell], units: tuple[str, str, str]) -> str:
    # The unit of a row: its unit cell, its label's (人) before or after the figures, its
    # section's (二、优抚安置(万人)), the label's last word (人数), or 单位:X above the table.
    label = _label(header)
    if label is None:
        return ""
    trailing, section_unit, stated = units
    after = header[header.index(label) + 1 :]
    unit = next((_unit_of(c.text) for c in after if c.kind == "unit"), "")
    unit = unit or label.unit or trailing or section_unit
    unit = unit or _suffix_unit(label.text) or stated
    return unit or ("个" if _names_units(label.text) else "")


def _names_units(label: str) -> bool:
    # 社区居委会, 村委会, 乡镇: a row that counts units, in 个 when no unit is given
    return bool(UNITS_TAIL.search(_NUMBERED.sub("", label)))


def _column_row(
    label: _Cell | None, figures: list[_Cell], heads: list[_Cell], section: str, unit: str
) -> list[Quantity]:
    # A row under column heads: a head with a unit gives it; a year's column takes the row's,
    # and so does a programme's (户数 under 城市低保), named before the row's label.
    found = []
    row = label.text if label else ""
    for figure, head in zip(figures, heads, strict=True):
        if _head_unit(head):
            own, name = _head_unit(head), f"{row} {head.text}"
        elif _YEAR_HEAD.fullmatch(head.text):
            own, name = unit, f"{row} {head.text}"
        else:
            own, name = (unit, f"{head.text} {row}") if _names_group(head) else ("", "")
        q = _quantity(figure, own, f"{_NUMBERED.sub('', section)} {name}".strip())
        if q:
            found.append(q)
    return found


def _long_row(
    header: list[_Cell], figure: _Cell, section: str, units: tuple[str, str, str]
) -> list[Quantity]:
    label = _label(header)
    if label is None:
        return []
    at = header.index(label)
    name = label.text
    if len(name) == 1 and at and len(header[at - 1].text) == 1:
        name = header[at - 1].text + name  # 个 数: a label padded with a space
    unit = _row_unit(header, units)
    if _NUMBERED.match(name):
        section = ""  # 七、村民委员会数: a heading of its own, under no section
    q = _quantity(figure, unit, f"{_NUMBERED.sub('', section)} {name}".strip())
    return [q] if q else []


def grid_quantities(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    """Return the figures of flattened tables in ``text`` that no other reader took.

    Parameters
    ----------
    text : str
        Cleaned text (see :func:`.clean.clean_text`).
    taken : list of (int, int)
        Sorted spans of the quantities already found; a table part with a figure
        among them is left alone.

    Returns
    -------
    list of Quantity
        One per figure read, its ``label`` naming caption, row and column.
    """
    found: list[Quantity] = []
    for region in _regions(text):
        found += _read_region(_attach_units(_unfold_sides(region)), taken)
    return found
