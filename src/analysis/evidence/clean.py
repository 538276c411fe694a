"""Reading survey-report files and cleaning their text.

Cleaning, in order: HTML tags, scripts, navigation and share boilerplate are
removed (also from .txt files that are saved web pages); the pinyin that
garbles many web copies is dropped (``區(qū)`` -> ``區``); traditional
characters become simplified (OpenCC ``t2s``); full-width digits, letters and
ASCII punctuation become half-width (Chinese 。、“” stay); web-spam lines are
dropped. Offsets of extracted rows refer to the cleaned text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache
from pathlib import Path

from ..errors import InputFileError
from ..textio import detect_encoding

__all__ = ["SUFFIXES", "clean_text", "read_document", "MAX_BYTES"]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx")
#: Larger files are refused (a survey report is rarely over 1 MB).
MAX_BYTES = 16 * 1024 * 1024

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A CJK character followed by its pinyin in parentheses: 區(qū), 鎮（zhèn）. (The
# parenthesis comes first, and the look back checks it and the character before it, so
# that the search skips to the next parenthesis at once.)
_PINYIN = re.compile(rf"[(（](?<=[\u3400-\u9fff][(（])\s*[a-z{_TONED}]{{1,7}}\s*[)）]")
_HTML_HINT = re.compile(
    r"<(?:html|body|div|p|span|br|tt|li|ul|table|td|font|strike|option|a)\b[^>]*>", re.I
)
# Boilerplate lines of web copies: dropped when short and matching anywhere, or when
# starting with a label such as "责任编辑：".
_SPAM_ANYWHERE = re.compile(
    r"分享到|扫一扫|扫码关注|二维码|关注微信|公众号|版权所有|免责声明|我要投稿|加入收藏|阅读时长|预计阅读|"
    r"转载请|原文链接|文章地址|上一篇|下一篇|打印本页|关闭窗口|返回顶部|相关文章|相关推荐|热门推荐|"
    r"由互联网用户分享|本文来自|https?://|www\.[a-z0-9-]+\."
)
_SPAM_START = re.compile(
    r"^(?:责任编辑|编辑|来源|作者|发布时间|发布日期|时间|字号|浏览次数|点击数)\s*[:：]"
)
_FULLWIDTH = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x2215: "/", 0x2044: "/"})  # 122元∕人、月: division and fraction slashes
_FULLWIDTH[0x3000] = " "
# The same mapping by character, and a pattern finding them, for _half_width (which needs
# every character mapped to be non-ASCII and to become one ASCII character).
_FULLWIDTH_HALF = {chr(cp): half for cp, half in _FULLWIDTH.items()}
_FULLWIDTH_CHARS = re.compile("[" + "".join(map(re.escape, _FULLWIDTH_HALF)) + "]")
# (a class first, not a repeat, so that the search skips to the next blank at once)
_BLANKS = re.compile(r"[ \t\u00a0][ \t\u00a0]*")


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _strip_html(text: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(
        [
            "script",
            "style",
            "noscript",
            "nav",
            "header",
            "footer",
            "aside",
            "form",
            "iframe",
            "head",
        ]
    ):
        tag.decompose()
    for tag in soup.find_all(
        attrs={"class": re.compile(r"share|nav|menu|footer|breadcrumb|sidebar|comment", re.I)}
    ):
        tag.decompose()
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")  # 1200 and 2300 in cells side by side are not 12002300
    for br in soup.find_all(["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"]):
        br.insert_after("\n")
    return soup.get_text()


def clean_text(text: str) -> str:
    """Return the cleaned text of a document (see the module docstring for the steps).

    Parameters
    ----------
    text : str
        Raw text, possibly HTML, traditional, pinyin-garbled or full-width.

    Returns
    -------
    str
        Simplified, half-width text with one paragraph per line and no boilerplate.
    """
    if _HTML_HINT.search(text):
        text = _strip_html(text)
    text = _PINYIN.sub("", text)
    text = _converter().convert(text)
    text = text.replace("毎", "每")  # the Japanese form of 每 (每人毎月): OpenCC keeps it
    text = _half_width(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(元\s*/\s*[人户])。(?=[年月])", r"\1·", text)  # 700元/人。年: a garbled ·
    # (runs of blanks become one space: a text whose blanks are all single spaces has none)
    spaced = "\t" in text or "\u00a0" in text or "  " in text
    lines = [ln.strip() for ln in (_BLANKS.sub(" ", text) if spaced else text).split("\n")]
    # a Markdown table's rule (|---|:--|) only separates its header from its rows
    kept = [ln for ln in lines if ln and not _is_spam(ln) and not _RULE.fullmatch(ln)]
    boxed = any(c in text for c in _BOX_VERTICALS)  # (faster than a search for the class)
    if boxed:
        kept = _box_tables(kept)  # (its rows come out between bars)
    if _ENGLISH_PHRASE.search(text):
        kept = _without_translations(kept)
    if boxed or "|" in text:
        # a table's cells are put back into rows: each reader needs bars
        kept = _join_cells(_join_bar_cells(_join_lead_bar_rows(kept)))
    return "\n".join(_join_wrapped(kept))


# A line of prose (it has a comma or a stop inside) that a printed page broke in mid-sentence:
# it ends without closing its sentence, and the next line goes on with words.
_PROSE_INSIDE = re.compile(r"[\u4e00-\u9fff],|[。;]")  # (after half-width: not 1,245.0)
_OPEN_END = re.compile(r"[\u4e00-\u9fff\d、]$")
_HEADING_START = r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)|第[一二三四五六七八九十])"
_GOES_ON = re.compile(rf"(?!{_HEADING_START})[\u4e00-\u9fff\d]")
_HEADING_LINE = re.compile(_HEADING_START)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join the lines of a paragraph a printed page broke at its width (gazetteers, PDFs).

    ``供养6764人,其中温岭、椒`` then ``江、黄岩、临海4所社会福利院收`` are one sentence: a line
    of prose that ends without closing its sentence is joined to a next line that goes on
    with words (not a heading, a table row or a list item), when the page shows its width:
    the line is about as long as the one before it or the one after. Lines of a table have
    no prose inside and stay as they are.

    Returns
    -------
    list of str
        The lines, each broken paragraph on one line.
    """
    out: list[str] = []
    before = ""  # the line (as it came) before the last one
    for k, line in enumerate(lines):
        last = lines[k - 1] if k else ""
        if (
            out
            and "|" not in line
            and "|" not in last
            and len(last) >= 12
            and not _HEADING_LINE.match(last)
            and _OPEN_END.search(last[-1:])  # (the pattern ends the line: its last character)
            and _PROSE_INSIDE.search(last)
            and _GOES_ON.match(line)
            and (_as_wide(last, line) or _as_wide(last, before))
        ):
            out[-1] += line
        else:
            out.append(line)
        before = last
    return out


def _as_wide(a: str, b: str) -> bool:
    # two lines of one printed width: their widths differ by at most 15 % (or 2 characters);
    # a Chinese character is printed twice as wide as a digit (金4461 户7153 人3057.63 万元,
    # 40 characters, is as wide as 的对象纳入社会救助保障范围。1-10 月份,发放农村低保, 28)
    wa, wb = _width(a), _width(b)
    return abs(wa - wb) <= max(4, 0.15 * max(wa, wb))


_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def _width(line: str) -> int:
    # the printed width in half-width cells (East Asian wide characters count two)
    return len(line) + len(_WIDE.findall(line))


_RULE = re.compile(r"\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*")

# An English phrase of a bilingual table (number of persons receiving lowest cost- of -living,
# donated funds (10000 yuan)): words, and bracketed units that may hold a figure.
_EN_TOKEN = r"(?:[A-Za-z][A-Za-z'’]*|\((?=[^()]*[A-Za-z])[^()\u3400-\u9fff]{1,30}\))"
_EN_SEP = r"(?:[ ,/&.\-]+|(?=\())"  # rural(person-times): a bracket needs no space
# The phrase's first token, its first character a class (the check of which alternative comes
# after it), so that a search skips to letters and brackets at once instead of trying the
# pattern at every character.
_EN_FIRST = (
    r"[A-Za-z(](?:(?<=[A-Za-z])[A-Za-z'’]*|(?<=\()(?=[^()]*[A-Za-z])[^()\u3400-\u9fff]{1,30}\))"
)
# (a number inside the phrase, persons under age 18 (person), is part of it)
_ENGLISH_PHRASE = re.compile(
    rf"{_EN_FIRST}(?:{_EN_SEP}(?:{_EN_TOKEN}|\d+(?={_EN_SEP}{_EN_TOKEN})))+\.?"
)
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")  # other, item: not GDP
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_BILINGUAL_LINES = 3


def _without_translations(lines: list[str]) -> list[str]:
    """Drop the English of a bilingual table (yearbooks set each label in both languages).

    ``在职人员 employed persons 8517 6058`` becomes ``在职人员 8517 6058``; a line of English
    alone (a translation wrapped onto the next line) is dropped. Only in a text where at
    least three lines pair Chinese with an English phrase of three words or more: English
    in a Chinese sentence (GDP, A类) stays.

    Returns
    -------
    list of str
        The lines without their English.
    """
    paired = sum(
        1
        for line in lines
        if _CJK_CHAR.search(line)
        and any(len(m.group().split()) >= 3 for m in _ENGLISH_PHRASE.finditer(line))
    )
    if paired < _BILINGUAL_LINES:
        return lines
    out = []
    for line in lines:
        bare = _ENGLISH_WORD.sub(" ", _ENGLISH_PHRASE.sub(" ", line))
        bare = _BLANKS.sub(" ", bare).strip()
        if bare.strip(" |"):
            out.append(bare)
    return out


# Tables drawn with box characters (gazetteers, yearbooks set in type): ┃ or │ between
# cells, rule lines of ━ or ─ with junctions (┏┳┓┣╋┫, ┌┬┐├┼┤) between rows.
_BOX_VERTICALS = "│┃║"
_BOX_VERTICAL = re.compile(f"[{_BOX_VERTICALS}]")
_BOX_RULE_LINE = re.compile("[\u2500-\u257f ]+")
_BOX_HORIZONTAL = "─━═╌╍┄┅┈┉╼╾"
_BOX_HEADER_LINES = 8  # more lines before the first figure are no header
_SPACED_DIGITS = re.compile(r"\d+(?: \d+)+")
_CJK_PADDING = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _box_tables(lines: list[str]) -> list[str]:
    """Turn tables drawn with box characters into rows of cells between bars.

    A run of lines with ┃ (or │, ║) and rule lines is one table. Its rule lines are
    dropped, each other line becomes ``| cell | cell |``. A header set over several
    lines (五保 / 户数, 其中 over 老人 孤儿 残疾人) becomes one row: each column's head
    is the text of the header cells above it, top to bottom (五保户数, 其中老人(人)).
    A header cell spans the columns below it as its rule line shows: the ━ of the
    rule with as many parts as that line has cells measure where each cell starts
    and ends. The header is the lines before the first with a figure in a cell. A
    figure the typesetting broke (``42 4`` alone in its cell) is one figure.

    Returns
    -------
    list of str
        The lines, each table as a header row and one row per line of figures.
    """
    out: list[str] = []
    for boxed, group in itertools.groupby(lines, _is_box_line):
        run = list(group)
        out += _box_rows(run) if boxed else run
    return out


def _is_box_line(line: str) -> bool:
    return bool(_BOX_VERTICAL.search(line) or _BOX_RULE_LINE.fullmatch(line))


def _rule_bounds(line: str) -> list[int]:
    # where the columns of a rule line start and end: the positions of its junctions
    line = line.strip()
    return [k for k, ch in enumerate(line) if ch not in _BOX_HORIZONTAL]


def _box_cells(line: str) -> list[str]:
    parts = _BOX_VERTICAL.split(line.strip())
    if parts and not parts[0].strip():
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    cells = []
    for part in parts:
        cell = part.strip()
        if _BOX_RULE_LINE.fullmatch(cell):
            cell = ""  # a piece of rule inside a line of cells
        elif _SPACED_DIGITS.fullmatch(cell):
            cell = cell.replace(" ", "")
        else:
            cell = _CJK_PADDING.sub("", cell)  # 其 中: a head spaced out to its cell's width
        cells.append(cell)
    return cells


def _box_rows(block: list[str]) -> list[str]:
    rules = [(k, _rule_bounds(ln)) for k, ln in enumerate(block) if _BOX_RULE_LINE.fullmatch(ln)]
    rows = [(k, _box_cells(ln)) for k, ln in enumerate(block) if not _BOX_RULE_LINE.fullmatch(ln)]
    rows = [(k, cells) for k, cells in rows if any(cells)]
    if not rows:
        return []
    width = max(len(cells) for _, cells in rows)
    columns = next((b for _, b in rules if len(b) == width + 1), None)

    def spans(k: int, cells: list[str]) -> list[tuple[int, int]] | None:
        # the columns each cell covers, from the nearest rule line with as many parts
        if len(cells) == width:
            return [(c, c + 1) for c in range(width)]
        if columns is None:
            return None
        near = sorted((abs(k - r), bounds) for r, bounds in rules if len(bounds) == len(cells) + 1)
        if not near:
            return None
        bounds = near[0][1]
        return [
            (
                sum(1 for b in columns[:-1] if b < bounds[c]),
                sum(1 for b in columns[:-1] if b < bounds[c + 1]),
            )
            for c in range(len(cells))
        ]

    first_figures = next(
        (n for n, (_, cells) in enumerate(rows) if any(_NUMBER_CELL.fullmatch(c) for c in cells)),
        len(rows),
    )
    out: list[str] = []
    if 1 < first_figures <= _BOX_HEADER_LINES:  # a header over several lines: one head a column
        heads = [""] * width
        ok = True
        for k, cells in rows[:first_figures]:
            cover = spans(k, cells)
            if cover is None:
                ok = False
                break
            for cell, (a, b) in zip(cells, cover, strict=True):
                for c in range(a, b):
                    heads[c] += cell
        if ok:
            out.append("| " + " | ".join(heads) + " |")
            rows = rows[first_figures:]
    for _, cells in rows:
        out.append("| " + " | ".join(cells) + " |")
    return out


def _half_width(text: str) -> str:
    """Return ``text`` with full-width characters half-width: ``text.translate(_FULLWIDTH)``.

    Each character mapped is non-ASCII and becomes one ASCII character, so no replacement
    makes or undoes another, and replacing the characters one after the other gives the
    same text, in any order; it is faster, as a search finds the first character to map,
    which is then replaced everywhere in one pass, and the search goes on from there (none
    is left before it): only the few that occur are looked at and replaced.

    Returns
    -------
    str
    """
    found = _FULLWIDTH_CHARS.search(text)
    while found:
        full = found.group()
        text = text.replace(full, _FULLWIDTH_HALF[full])  # (one character for one)
        found = _FULLWIDTH_CHARS.search(text, found.start())
    return text


_CELL_LINE = re.compile(r"[^|]{1,40} \|")
_ROW_END = re.compile(r"\|+")


def _join_cells(lines: list[str]) -> list[str]:
    """Put a table copied one cell per line back into one line per row.

    Web copies of tables often come as ``城乡低保 |``, ``620087 |``, ``902528 |``, ``||``
    (each cell on its line, a line of bars ending the row). They become
    ``城乡低保 | 620087 | 902528 |``, the form the table readers know. Runs without at
    least two rows are left as they are.

    Returns
    -------
    list of str
        The lines, with each such table's rows on one line each.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:  # neither a cell nor a row's end: no table starts here
            out.append(lines[i])
            i += 1
            continue
        j, rows, cells = i, [], []
        while j < len(lines):
            if _ROW_END.fullmatch(lines[j]):
                if cells:
                    rows.append(" | ".join(c[:-1].strip() for c in cells) + " |")
                cells = []
            elif _CELL_LINE.fullmatch(lines[j]):
                cells.append(lines[j])
            else:
                break
            j += 1
        if len(rows) >= 2:
            out += rows
            out += cells  # a last row without its closing bars stays as it was
            i = j
        else:
            # Not two rows: nor from any later line of the run, as each of its rows would be
            # the end of one of these. The run stays as it was.
            out += lines[i : max(j, i + 1)]
            i = max(j, i + 1)
    return out


_NUMBER_CELL = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
_LEAD_ROW = re.compile(r"\| ([^|]{1,40}) \|")  # | 乡镇级合计 |  opens a row
_TAIL_CELL = re.compile(r"([^|]{1,40}) \|")  # 32 |  is the row's next cell
_NO_VALUE = re.compile(r"[-—–…. ]*")
_CODE_CELL = re.compile(r"[A-Z]{2,5}\d{6,14}")  # an indicator's code (JZH011110000): not a value
_UNIT_CELL = re.compile(r"(?:万|亿)?(?:元|人|户|个|人次|户次|家|所|张|床|元/人·?[月年])")


def _join_lead_bar_rows(lines: list[str]) -> list[str]:
    """Put a table copied as ``| label |``, ``unit |``, ``number |`` … back into rows.

    Statistics tables (指标名称 | 单位 | 数量 | 上季度 …) are often copied with each
    row opening on a line ``| label |`` and each further cell on a line of its own
    (``个 |``, ``32 |``, a bare ``|`` for an empty cell). A label without its opening
    bar after the unit also opens a row. The rows come out as
    ``| label | unit | 32 | 32 | | |``; a row with figures but a blank unit cell takes
    the unit of the row above (a sub-item of the same section). Runs of fewer than
    three rows, or without a figure, are left as they were.

    Returns
    -------
    list of str
        The lines, with each such table's rows on one line each.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:  # not a cell: no row opens here
            out.append(lines[i])
            i += 1
            continue
        first = _TAIL_CELL.fullmatch(lines[i])
        opens = _LEAD_ROW.fullmatch(lines[i]) or (
            first is not None
            and not _NUMBER_CELL.fullmatch(first.group(1).strip())
            and i + 1 < len(lines)
            and _UNIT_CELL.fullmatch(lines[i + 1].removesuffix("|").strip())
        )  # 1.社会福利 |  then  万元 |: a row whose opening bar the copy lost
        if not opens:
            out.append(lines[i])
            i += 1
            continue
        j, rows = i, []
        while j < len(lines):
            line = lines[j]
            lead, tail = _LEAD_ROW.fullmatch(line), _TAIL_CELL.fullmatch(line)
            if lead:
                rows.append([lead.group(1).strip()])
            elif not rows:
                rows.append([tail.group(1).strip()])
            elif line == "|":
                rows[-1].append("")
            elif tail:
                cell = tail.group(1).strip()
                if _CODE_CELL.fullmatch(cell):
                    pass  # the indicator's code column
                elif len(rows[-1]) >= 2 and not (
                    _NUMBER_CELL.fullmatch(cell) or _NO_VALUE.fullmatch(cell)
                ):
                    rows.append([cell])  # a label whose opening bar the copy lost
                else:
                    rows[-1].append(cell)
            else:
                break
            j += 1
        figures = any(_NUMBER_CELL.fullmatch(c) for row in rows for c in row[1:])
        if len(rows) < 3 or not figures:
            # Not a table: nor from any later line of the run, which ends at the same line
            # and gives no more rows (a figure never opens one) and no figure not seen here.
            out += lines[i:j]
            i = j
            continue
        unit = ""
        for row in rows:
            has_figure = any(_NUMBER_CELL.fullmatch(c) for c in row[2:])
            if len(row) > 2 and not row[1] and has_figure and unit:
                row[1] = unit
            elif len(row) > 1 and row[1] and not _NUMBER_CELL.fullmatch(row[1]):
                unit = row[1]
            out.append("| " + " | ".join(row) + " |")
        i = j
    return out


_BAR_CELL = re.compile(r"[^|:：]{1,30}")  # a cell; 单位:个 is the table's caption


def _join_bar_cells(lines: list[str]) -> list[str]:
    """Put a table copied as ``cell``, ``|``, ``cell``, ``|`` … (one cell per line) back into rows.

    Here no line of bars ends a row: the rows are found from the cells themselves.
    The header is the run of words before the first number, less the first row's label;
    each later word starts a row, and every row must have one number per header column.
    ``指标 | 2001年 | 2002年 |`` and ``乡 | 19341 | 18639 |`` come out. A run that does
    not fit (ragged rows, fewer than two rows) is left as it was.

    Returns
    -------
    list of str
        The lines, with each such table's rows on one line each.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _BAR_CELL.fullmatch(lines[i]):  # not a cell: no table starts here
            out.append(lines[i])
            i += 1
            continue
        j, cells = i, []
        while j < len(lines) and _BAR_CELL.fullmatch(lines[j]):
            if j + 1 < len(lines) and lines[j + 1] == "|":
                cells.append(lines[j])
                j += 2
                continue
            if cells and _NUMBER_CELL.fullmatch(lines[j]):
                cells.append(lines[j])  # the last cell may lack its bar
                j += 1
            break
        rows = _cell_rows(cells)
        if rows:
            out += [" | ".join(row) + " |" for row in rows]
        else:
            out += lines[i : max(j, i + 1)]  # not a table: kept as it was
        i = max(j, i + 1)
    return out


def _cell_rows(cells: list[str]) -> list[list[str]] | None:
    numeric = [_NUMBER_CELL.fullmatch(c) is not None for c in cells]
    if True not in numeric or len(cells) < 6:
        return None
    first = numeric.index(True)
    if first < 3:  # a header of at least two columns, then the first row's label
        return None
    header, rows = cells[: first - 1], []
    for cell, is_num in zip(cells[first - 1 :], numeric[first - 1 :], strict=True):
        if is_num:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    if len(rows) < 2 or any(len(row) != len(header) for row in rows):
        return None
    return [header, *rows]


def _is_spam(line: str) -> bool:
    if _SPAM_START.match(line) and len(line) < 120:
        return True
    return len(line) < 120 and bool(_SPAM_ANYWHERE.search(line))


def _read_docx(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(str(path), f"not a readable .docx file ({exc})") from None
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" ".join(c.text for c in row.cells))
    return "\n".join(parts)


def read_document(path: str | Path) -> str:
    """Read a .txt, .md, .html or .docx file and return its cleaned text.

    Returns
    -------
    str
        The cleaned text (see :func:`clean_text`).

    Raises
    ------
    InputFileError
        For an unsupported, empty, binary, oversized or undecodable file.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputFileError(
            str(p), f"unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}"
        )
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputFileError(str(p), "file not found") from None
    if size > MAX_BYTES:
        raise InputFileError(
            str(p), f"file is {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit"
        )
    if suffix == ".docx":
        raw = _read_docx(p)
    else:
        data = p.read_bytes()
        raw = data.decode(detect_encoding(data, str(p)))
    cleaned = clean_text(raw)
    if not cleaned.strip():
        raise InputFileError(str(p), "no text left after cleaning (empty document)")
    return cleaned
