"""Finding quantities in cleaned Chinese text: numbers, ranges, units and qualifiers.

A quantity is a number (Arabic, with decimals and thousands separators, or
Chinese: 两名, 十一项, 三万人, 十几项), optionally a range (2-3人, 2—3人,
2至3人, 2 — 3 人), followed by a unit (人, 户, 人次, 项, 平方米, 万元, %, …).
万/亿 before a money unit stay in the unit (3.5万元); before any other unit
they multiply the value (3万人 -> 30000 人). Years, dates, document numbers
(〔2011〕49号), ordinals (第三, 一、) and placeholders (X户) are not quantities.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

__all__ = ["Quantity", "find_quantities"]

# Longest first, so 人次 wins over 人 and 平方米 over 米.
UNITS = (
    "平方米",
    "方米",
    "平米",
    "人次",
    "户次",
    "人天",
    "人日",
    "万元",
    "亿元",
    "元",
    "户",
    "人",
    "名",
    "位",
    "项",
    "个",
    "所",
    "家",
    "处",
    "张",
    "间",
    "次",
    "期",
    "年",
    "天",
    "岁",
    "%",
    "套",
    "台",
    "辆",
    "条",
    "件",
    "类",
    "倍",
    "公里",
    "千米",
    "米",
    "对",
    "批",
    "座",
)
UNIT_ALIASES = {"名": "人", "位": "人", "人日": "人天"}
MONEY = {"元", "万元", "亿元"}
# 628007人 次: a line wrapped or a space typed inside 人次 / 户次; 6448户(次): the 次 in brackets.
_UNIT_RE = r"[人户][ \t]次|[人户][(（]次[)）]|" + "|".join(
    re.escape(u) for u in sorted(UNITS, key=len, reverse=True)
)
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
# _AR for scanning: it starts only where a run of digits starts. A number found from inside a
# run would also be found from the run's start, which a scan tries first, so the matches are
# the same; but the engine no longer tries every digit of every run (3x faster on statistics
# tables). The check comes after the first digit so that the scan still skips to digits.
# Its runs are possessive (\d*+): giving back digits, a group or the decimals would leave a
# digit, "," or "." next, which none of the patterns using it accepts after a number, so
# the engine need not try them (a figure with no unit after it fails once, not once per digit).
# Nor does it start at a thousands group (the 456 of 123,456: three digits after a digit and a
# comma): the number that group belongs to starts earlier, and a scan from there ends where a
# scan from the group would; trying each group made a line of ",123" quadratic.
# (_AR_SCAN after its first digit)
_AR_SCAN_REST = r"(?<!\d\d)(?!(?<=\d,\d)\d\d(?!\d))\d*+(?:,\d{3})*+(?:\.\d+)?+"
_AR_SCAN = rf"\d{_AR_SCAN_REST}"
_CN = rf"[{_CN_DIGITS}]+几?|几[十百千万]"
# _CN for scanning: a run of Chinese numerals is read only from its start. The number read from
# inside a run ends where one read from its start can (the rest of a pattern then sees the
# same text), so a scan that found none from the start finds none inside; trying each start
# and each length made a line of 三 (or 万) quadratic. (No unit ends in a numeral: a match
# never ends inside a run.)
_CN_SCAN = rf"(?<![{_CN_DIGITS}])[{_CN_DIGITS}]+几?|几[十百千万]"
_NUM = rf"(?:{_AR_SCAN}|{_CN_SCAN})"
_AR_RE = re.compile(_AR)
_AR_CELL = re.compile(rf"\s*{_AR}\s*")  # a cell (or a line) that is one number


def _joined_unit(unit: str) -> str:
    # 人 次, 户(次): a blank or brackets inside 人次 / 户次 (the only units with one)
    return unit[0] + "次" if len(unit) >= 3 and unit[0] in "人户" and "次" in unit else unit


_DIGIT = re.compile(r"[\d零〇一二两三四五六七八九十]")
_QUANTITY_TAIL = (
    rf"(?P<pre>余(?=[万亿]))?(?P<lmult>[万亿](?=\s*[-—–~～至到]))?(?:\s*(?P<dash>[-—–~～至到])\s*(?P<high>{_NUM}))?"
    rf"\s*(?P<mult>[万亿](?!元))?(?P<more>多|余)?\s*(?P<unit>{_UNIT_RE})"
)
_QUANTITY = re.compile(
    rf"(?P<low>{_NUM}){_QUANTITY_TAIL}|百分之(?P<pct>[零〇一二两三四五六七八九十百点\d.]+)"
)
# _QUANTITY for a text without 百分之, where its second alternative cannot match: the number
# is written to start with a class of the characters that can start one (the check of which
# alternative comes after it), so that a search skips to those characters at once instead of
# trying the pattern at every character. Same matches, the same groups but pct.
_NUM_FIRST = (
    rf"[\d{_CN_DIGITS}几](?:(?<=\d){_AR_SCAN_REST}"
    rf"|(?<=[{_CN_DIGITS}])(?<![{_CN_DIGITS}]{{2}})[{_CN_DIGITS}]*几?|(?<=几)[十百千万])"
)
_QUANTITY_NUMBERS = re.compile(rf"(?P<low>{_NUM_FIRST}){_QUANTITY_TAIL}")
_BEFORE_APPROX = ("大约", "约为", "约", "将近", "接近", "近", "大概")
_BEFORE_AT_LEAST = ("不少于", "不低于", "至少", "超过", "多于", "逾", "达到", "达")
_BEFORE_BELOW = ("不超过", "不足", "不到", "少于", "低于", "未满", "不满")
# Longest first, so 不少于 is not read as 少于.
_BEFORE = sorted(
    [(w, "approx") for w in _BEFORE_APPROX]
    + [(w, "at_least") for w in _BEFORE_AT_LEAST]
    + [(w, "below") for w in _BEFORE_BELOW],
    key=lambda wq: -len(wq[0]),
)
_AFTER_AT_LEAST = ("以上", "多", "余")
_AFTER_BELOW = ("以下", "以内")
_AFTER_APPROX = ("左右", "上下")
_IDIOMS = {"一一", "万一"}
_DATE_AFTER = re.compile(
    r"^(?:度|底|初|末|[0-9一二三四五六七八九十]+月|月|代|春|夏|秋|冬|间|后|前|起|来)"
)


@dataclass(slots=True)
class Quantity:
    """A quantity found in the text; ``start``/``end`` span the number and unit.

    ``value``, ``low`` and ``high`` are floats for comparisons; ``text_low`` and
    ``text_high`` are the same numbers written exactly: the digits the text
    has (``1,234,567.89`` -> ``1234567.89``, ``190.20`` stays ``190.20``), or
    the exact product when 万/亿 multiply (``3.2万人`` -> ``32000``).
    """

    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    start: int
    end: int
    text_low: str = ""
    text_high: str = ""
    label: str = ""  # the row label when the quantity is a cell of a table row

    def __post_init__(self) -> None:
        self.text_low = self.text_low or _plain(Decimal(repr(self.low)))
        self.text_high = self.text_high or _plain(Decimal(repr(self.high)))


def _plain(d: Decimal) -> str:
    # A decimal without exponent or trailing zeros after the point (32000, 0.5).
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _exact(literal: str | None, value: float | None, factor: int) -> str:
    # The exact text of a number: its Arabic digits as written, times ``factor``.
    if literal is not None and _AR_RE.fullmatch(literal):
        digits = literal.replace(",", "")
        return digits if factor == 1 else _plain(Decimal(digits) * factor)
    return _plain(Decimal(repr(value)) * factor) if value is not None else ""


_CN_ONES = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_BELOW_100 = re.compile(r"(?P<tens>[一二三四五六七八九]?十)?(?P<ones>[一二三四五六七八九])?")


def _small_cn(text: str) -> float | None:
    # 一 … 九十九 (两 alone is 2), which most Chinese numerals in reports are, read directly:
    # cn2an gives the same, at 30 times the cost.
    if text in _CN_ONES:
        return float(_CN_ONES[text])
    m = _CN_BELOW_100.fullmatch(text)
    if not m or not m.group("tens"):
        return None
    tens = _CN_ONES.get(m.group("tens")[:-1], 1)
    return float(10 * tens + _CN_ONES.get(m.group("ones") or "", 0))


@lru_cache(maxsize=4096)
def _cn_value(text: str) -> float | None:
    import cn2an

    text = text.replace("几", "")
    if not text:
        return None
    small = _small_cn(text)
    if small is not None:
        return small
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


_MAGNITUDES = {"百": 100.0, "千": 1000.0, "万": 10000.0}  # 千余人: a magnitude word alone


def _value(text: str) -> float | None:
    if _AR_RE.fullmatch(text):
        return float(text.replace(",", ""))
    return _MAGNITUDES.get(text) or _cn_value(text)


# The last characters of the words of _BEFORE: a text ending otherwise (and not in 占)
# ends with none of them.
_BEFORE_LAST = frozenset(w[-1] for w, _ in _BEFORE) | {"占"}


def _qualifier(text: str, start: int, end: int, has_ji: bool) -> str:
    # (the words after are of at most two characters: read in place, not cut out)
    if has_ji or text.startswith(_AFTER_AT_LEAST, end):
        return "at_least"
    if text.startswith(_AFTER_BELOW, end):
        return "below"
    if text.startswith(_AFTER_APPROX, end):
        return "approx"
    if (text[start - 1] if start else "") not in _BEFORE_LAST:
        return ""
    before = text[max(0, start - 4) : start]
    for word, q in _BEFORE:
        if before.endswith(word) or before.endswith(word + "占"):
            return q
    return ""


_CLOSING = re.compile(r"\s*[〕\]】]")
# The brackets of document numbers (民发〔2019〕12号, [2020]3号). A figure in round brackets
# is one like any other: 低保对象(412人), A档(765元/人·月).
_OPENERS = frozenset("〔[【")


def _after_opening(text: str, start: int) -> bool:
    # One of _OPENERS, then only blanks, in the two characters before ``start`` (〔2011〕).
    return text[max(0, start - 2) : start].rstrip()[-1:] in _OPENERS


_CLOSERS = frozenset("〕]】")


def _in_brackets(text: str, start: int, end: int) -> bool:
    # _after_opening(text, start) or _CLOSING.match(text, end), each looked for only when the
    # character next to the number is one of its brackets or a blank (most are neither).
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 1]
    return bool(
        (before in _OPENERS or before.isspace())
        and _after_opening(text, start)
        or (after in _CLOSERS or after.isspace())
        and _CLOSING.match(text, end)
    )


_YEAR = re.compile(r"(19|20)\d\d")


def _not_a_quantity(text: str, m: re.Match, unit: str) -> bool:
    start = m.start()
    prev = text[start - 1] if start else ""
    low = m.group("low") or ""
    if prev and (prev.isascii() and prev.isalnum() or prev in "第Xx×某"):
        return True  # part of a code, an ordinal (第三), or a placeholder (XX万元)
    if unit == "年" and _YEAR.fullmatch(low) and not m.group("high"):
        return True  # a calendar year
    if unit == "年" and _DATE_AFTER.match(text[m.end() : m.end() + 3]):
        return True
    if unit in {"年", "月"} and low == "一" and text[m.end() : m.end() + 1].isdigit():
        return True  # 标准由一年420元: the period of the amount after it
    if unit == "户" and text[m.end() : m.end() + 1] in {"籍", "村", "屯", "庄"}:
        return True  # 12.3万户籍人口: a population; 八户村: a village's name
    if "\n" in text[m.end("low") : m.start("unit")] and _CJK_WORD.match(text, m.end()):
        return True  # 1200 | 人数 …: a table's next cell, not this figure's unit
    if (
        unit in {"个", "项", "条", "类"}
        and text[m.end() : m.end() + 1] in {"一", "二", "三"}
        and low in "一二三四五六七八九十"
    ):
        return True  # 五个一, 三个代表 …
    if unit == "次" and low in {"二", "两"} and text[m.end() : m.end() + 2] in {"救助", "报销"}:
        return True  # 二次救助: a second round of medical aid, a term, not two times
    if unit == "项" and low == "一":
        return True  # 一项重要工作: a phrase, not a count of one duty
    if low == "一" and prev in {"漏", "落", "少", "掉", "丢"}:
        return True  # 不漏一户、不落一人: a pledge, not a count
    if _in_brackets(text, start, m.end()):
        return True  # document numbers 〔2011〕49号
    return False


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]")
_TABLE_ROW = re.compile(
    r"^(?=[^\n]*\|)"  # only a line with a bar can be a row: the others are skipped at once
    rf"[ \t]*\|?(?P<label>[^|\n]*?)(?:\||[ \t]|^)[ \t]*(?P<mult>[万亿](?![元]))?(?P<unit>{_UNIT_RE})[ \t]*\|"
    r"(?:[ \t]*[A-Z]{2,5}\d{6,14}[ \t]*\|)?"  # an indicator's code column (JZH011110000)
    rf"[ \t]*(?P<num>{_AR})"
    # more columns after the figure (上季度, 环比, 上月): numbers or empty cells
    rf"[ \t]*(?:\|[ \t]*(?:-?{_AR}%?)?[ \t]*)*$",
    re.M,
)
# 最低生活保障人数 |  on one line and  人 | 59,395 | |||  on the next: a row whose label
# the page put on the line before.
_LABEL_LINE = re.compile(r"([^|\n]+?)[ \t]*\|[ \t]*\n[^\n]*\Z")
# 支出低保金3347万， : 万/亿 with no 元, after words of money, is an amount in 万元/亿元.
_BARE_MONEY = re.compile(rf"(?P<num>{_AR_SCAN})\s*(?P<mult>[万亿])(?=[,，。;；、)）\s]|$)")
# 行政编制数151 : a count right after a label of a count, with no unit.
_LABELLED_COUNT = re.compile(
    r"(?P<label>编制数|人数|户数|职数)[ \t]*(?:为|是|共|有)?[ \t]*(?P<num>\d+)(?![\d.,%万亿])"
)
_LABEL_UNIT = {"编制数": "人", "人数": "人", "户数": "户", "职数": "人"}
# 全区总人口50.4万 : a population in 万 with no 人 after it.
# (two patterns, so that each scan skips ahead: to 人口, to digits; their matches cannot
# overlap, as the first needs no word after 万 and the second 人口 after it)
_BARE_POPULATION = (
    re.compile(
        rf"人口(?:数)?(?:总数)?(?:为|达|达到|约|有|共|计)?\s*(?P<num>{_AR})\s*(?:余|多)?万"
        r"(?![\u4e00-\u9fff])"
    ),
    re.compile(  # 70万的常住人口
        rf"(?P<num>{_AR_SCAN})\s*万(?:多|余)?的?(?=(?:常住|户籍|总|农业|城镇)?人口)"
    ),
)
# 18.16万绝对贫困人口, 1.2万优抚对象, 3.5万低保户 : a group in 万 named after the number, with no
# unit between (the words between name the group: no verb of giving, which would make the
# 万 money, 投入5万帮助困难群众); households when the group is of households.
_GROUP_IN_WAN = re.compile(
    rf"(?P<num>{_AR_SCAN})\s*万(?:多|余)?(?![元人户名个次位])"
    r"(?!的?(?:常住|户籍|总|农业|城镇)?人口)"  # (those are _BARE_POPULATION's)
    r"(?=(?:(?![帮慰救资用发补为给向拨投])[\u4e00-\u9fff、]){1,16}?"
    r"(?P<noun>人口|对象|人员|群众|居民|老人|儿童|家庭|户))"
)
# What follows the number of _BARE_MONEY, found first: most texts have none (their 万 are
# followed by 元, 人 …), and a search for it skips to 万 and 亿 at once, not to every digit.
_BARE_MONEY_END = re.compile(r"[万亿](?=[,，。;；、)）\s]|$)")
# The words every match of _BARE_POPULATION has: a text without them is not scanned.
_POPULATION_WORDS = ("万", "人口")
_MONEY_BEFORE = re.compile(r"(?:金|资金|经费|支出|投入|拨付|筹集|募集|发放)[^,，。;；]{0,4}$")


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    # ``taken`` is sorted and its spans do not overlap: look at the neighbours only.
    i = bisect.bisect_left(taken, (end, end))
    return any(a < end and start < b for a, b in taken[max(0, i - 1) : i + 1])


_HEADER_UNITS = (
    ("万元", "万元"),
    ("亿元", "亿元"),
    ("人次", "人次"),
    ("户数", "户"),
    ("人数", "人"),
    ("（元）", "元"),
    ("(元)", "元"),
    ("（户）", "户"),
    ("(户)", "户"),
    ("（人）", "人"),
    ("(人)", "人"),
)


_BARE_UNITS = {"户", "人", "人次", "户次", "元", "万元", "亿元", "个", "家", "所"}
# A row's label that names only a part (其中 | 城市, 农村): the group is the row above's.
_PART_LABEL = re.compile(r"(?:其中)?\s*(?:城市|农村|城镇|城区|乡村|市本级|县本级|区本级|本级)?")


# 单位:个 (or 单位：万元) on the line above a table: the unit of every column without one.
_UNIT_LINE = re.compile(r"[(（]?单位\s*[:：]\s*([^\s|)）]{1,3})[)）]?")


def _header_unit(cell: str, label: str = "") -> str:
    if cell.strip() in _BARE_UNITS:
        return cell.strip()  # 单位 | 户 | 人 | 元 | 万元 |
    m = _EITHER_UNIT.fullmatch(cell.strip())
    if m:  # 人/人次: persons for the counts of a programme, person-times for relief given
        return m.group(1) + "次" if _FLOW.search(label) else m.group(1)
    return next((unit for key, unit in _HEADER_UNITS if key in cell), "")


_EITHER_UNIT = re.compile(r"([人户])\s*/\s*[人户]次")
_FLOW = re.compile(r"临时救助|救助人次|救急难|人次")


def _header_tables(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    # | 类别 | 户数 | 人数 | 资金支出（万元） |  then  | 城市低保 | 890 | 1296 | 124.94 |
    # A number alone in a cell takes its unit from the column's header.
    found: list[Quantity] = []
    header: list[str] | None = None
    group = ""
    pos = 0
    stated = ""  # the unit of a 单位:个 line right above the table
    caption = ""  # the table's title above it (2019年3季度特困集中供养资金表): what it counts
    money = ""  # the unit of money a 单位:人、元 row names
    for line in text.split("\n"):
        start_of_line, pos = pos, pos + len(line) + 1
        if line.count("|") < 2:
            header = None
            money = ""
            m = _UNIT_LINE.fullmatch(line.strip())
            if _TABLE_TITLE.fullmatch(line.strip(" |")):
                caption = line.strip(" |")
            elif m or line.strip() != "|":
                stated = _header_unit(m.group(1)) if m else ""
                caption = ""
            continue
        cells, offsets, at = [], [], 0
        for part in line.split("|"):
            cells.append(part)
            offsets.append(at)
            at += len(part) + 1
        numeric = [_AR_CELL.fullmatch(c) is not None for c in cells]
        if not any(numeric):
            units = [_header_unit(c) for c in cells]
            filled = [c.strip() for c in cells if c.strip()]
            if len(filled) == 1 and not any(units) and _TABLE_TITLE.fullmatch(filled[0]):
                caption = filled[0]  # the title in a row of its own, over the whole table
                continue
            listed = _UNITS_LISTED.fullmatch(filled[0]) if len(filled) == 1 else None
            if listed:  # 单位:人、元 in a row of its own: money columns that name none are in 元
                money = next((u for u in re.split(r"[、,，/]", listed.group(1)) if "元" in u), "")
                continue
            if any(units) or stated:
                header = cells
            elif header is None or len(filled) > len([c for c in header if c.strip()]):
                header = None
            # else: a line of sub-heads under a header with units (集中供养救助金额 | …): the
            # header above still names the columns
            continue
        extra = len(cells) - len(header) if header is not None else -1
        if extra == -1 and cells[0].strip() in _TOTAL_HEAD and not numeric[0]:
            # 合计 | 82 | 443 | … under 序号 | 地区 | …: the totals row's label spans two
            # columns; its figures line up with the header from the right
            cells, offsets, numeric = ["", *cells], [0, *offsets], [False, *numeric]
            extra = 0
        if extra < 0 or any(numeric[:extra]):
            continue
        # 其中 | 城市 | 268397 | … under 单位 | 户 | …: a label spread over more cells
        # than the header's one; the numbers line up with the header from the right.
        first = numeric.index(True)
        label = " ".join(
            c.strip() for c in cells[:first] if c.strip()
        )  # the cells before the numbers
        if _PART_LABEL.fullmatch(" ".join(c.strip() for c in cells[: extra + 1])):
            label = f"{group} {label}"
        else:
            group = label
        previous = ""  # the unit of the column before
        heads_labels = next((k for k, h in enumerate(header) if h.strip()), 0)
        for j, (cell, is_num) in enumerate(zip(cells, numeric, strict=True)):
            head = header[j - extra].strip() if j >= extra else ""
            unit = (_header_unit(head, label) or stated) if is_num and j >= extra else ""
            if is_num and j - extra > heads_labels and not unit:  # (its first cell: labels)
                unit = _unstated_unit(head, cell, previous)
                if not unit and money and _MONEY_HEAD.search(head):
                    unit = money  # 供养资金 under 单位:人、元
            previous = unit
            if not unit:
                continue
            # 保障户数 after 分散供养保障户数: a total of the columns before, of their programme
            before = header[j - extra - 1].strip() if j - extra >= 1 else ""
            named = before if before != head and head and before.endswith(head) else head
            if head in _TOTAL_HEAD or head.endswith(tuple(_TOTAL_HEAD)):
                named = (
                    f"{before} {head}"  # 集中+分散合计: a total of what the column before counts
                )
            lead = len(cell) - len(cell.lstrip())
            start = start_of_line + offsets[j] + lead
            end = start + len(cell.strip())
            if _overlaps(taken, start, end):
                continue
            exact = _exact(cell.strip(), None, 1)
            v = float(exact)
            found.append(
                Quantity(
                    v,
                    v,
                    v,
                    unit,
                    "",
                    start,
                    end,
                    exact,
                    exact,
                    f"{caption} {label} {named}".strip(),
                )
            )
    return found


# 单位:人、元 (a table's units listed in a row of its own)
_UNITS_LISTED = re.compile(
    r"[(（]?单位\s*[:：]\s*((?:万?元|人|户|个)(?:[、,，/](?:万?元|人|户|个))+)[)）]?"
)
# A table's title: words ending in 表, 情况, 统计, 一览 or 公示, no sentence.
_TABLE_TITLE = re.compile(r"[^。，,；;！？!?|]{2,40}(?:表|情况|统计|一览|公示)")
# A column of money that names no unit (特困供养金, 护理补贴) and a column of totals.
_MONEY_HEAD = re.compile(r"(?:金|补贴|补助|资金|金额|经费)$")
_TOTAL_HEAD = {"合计", "小计", "总计"}


def _unstated_unit(head: str, cell: str, previous: str) -> str:
    # The unit of a figure whose column states none: 元 for a whole amount under a head of
    # money (amounts in 万元 have decimals, and a table in 万元 says so); a total takes the
    # unit of the column before it.
    if head in _TOTAL_HEAD or head.endswith(tuple(_TOTAL_HEAD)):  # 集中+分散合计
        return previous
    if _MONEY_HEAD.search(head) and "." not in cell:
        return "元"
    return ""


def _table_and_bare_money(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    # Quantities the main pattern cannot see: cells of ``| label | unit | number |`` rows,
    # and amounts written 3347万 (no 元) after words of money.
    found = []
    for m in _TABLE_ROW.finditer(text) if "|" in text else ():  # (rows have bars)
        start, end = m.span("num")
        if _overlaps(taken, start, end):
            continue
        unit = _joined_unit(m.group("unit"))
        unit = UNIT_ALIASES.get(unit, unit)
        factor = {"万": 10000, "亿": 100000000}.get(m.group("mult") or "", 1)  # | 人口数 | 万人 |
        exact = _exact(m.group("num"), None, factor)
        v = float(exact)
        label = m.group("label").strip()
        if not label:
            above = _LABEL_LINE.search(text[max(0, m.start() - 200) : m.start("unit")])
            label = above.group(1).strip() if above else ""
        found.append(Quantity(v, v, v, unit, "", start, end, exact, exact, label))
    for m in _LABELLED_COUNT.finditer(text):
        start, end = m.span("num")
        if _overlaps(taken, start, end) or re.match(
            r"\s*[\u4e00-\u9fff]?[人户名个项]", text[end : end + 2]
        ):
            continue
        v = float(m.group("num"))
        lead = re.search(r"[\u4e00-\u9fff]{0,8}$", text[max(0, m.start() - 8) : m.start()])
        label = (lead.group(0) if lead else "") + m.group("label")
        found.append(Quantity(v, v, v, _LABEL_UNIT[m.group("label")], "", start, end, label=label))
    stated, before = _BARE_POPULATION
    needed = all(word in text for word in _POPULATION_WORDS)
    found_pop = [*stated.finditer(text), *before.finditer(text)] if needed else []
    # counts in 万 with no unit after them: populations (人), then groups named after the 万
    in_wan = [(m, "人", m.end("num") + 1) for m in sorted(found_pop, key=lambda m: m.start())]
    in_wan += [
        (m, "户" if m.group("noun") in {"户", "家庭"} else "人", m.end())
        for m in (_GROUP_IN_WAN.finditer(text) if "万" in text else ())
    ]
    for m, unit, stop in in_wan:
        start, end = m.span("num")
        if _overlaps(taken, start, end + 1):
            continue
        exact = _exact(m.group("num"), None, 10000)
        v = float(exact)
        found.append(Quantity(v, v, v, unit, "", start, stop, exact, exact))
    for m in _BARE_MONEY.finditer(text) if _BARE_MONEY_END.search(text) else ():
        start, end = m.start(), m.end()
        if _overlaps(taken, start, end) or not _MONEY_BEFORE.search(
            text[max(0, start - 12) : start]
        ):
            continue
        if start and (text[start - 1].isascii() and text[start - 1].isalnum()):
            continue
        exact = _exact(m.group("num"), None, 1)
        v = float(exact)
        found.append(Quantity(v, v, v, m.group("mult") + "元", "", start, end, exact, exact))
    return found


# A statistics table whose separators were lost: 指标名称单位数量, then rows such as
# 最低生活保障人数万人7.1, 平均标准元/人·月1,245.0 and 镇143 (label, unit, value).
_GLUED_HEADER = re.compile(r"^[ \t]*指标(?:名称)?[ \t|]*(?:计量)?单位.*$", re.M)
_GLUED_UNITS = (
    "元/人·月|元/人·年|元/人/月|元/人/年|元/月|元/年|亿元|万元|元|万人次|人次|万户次|户次|万人|万户|"
    "万张|万个|人|户|个|家|所|张|名|项|%"
)
_GLUED_ROW = re.compile(
    r"[ \t]*(?:[一二三四五六七八九十]+、|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|#)?[ \t]*"
    r"(?:其中[:：])?[ \t]*"
    rf"(?P<label>[\u4e00-\u9fff（）()、·]{{1,30}}?)[ \t]*(?P<unit>{_GLUED_UNITS})?[ \t]*(?P<num>{_AR})"
    rf"(?:[ \t]+-?{_AR}%?)*[ \t]*"  # more columns (上期, 环比): the first is the figure
)
# A row with no unit of its own: the label's last word says what it counts.
_LABEL_UNITS = (("人次", "人次"), ("户数", "户"), ("人数", "人"), ("户", "户"))


def _glued_rows(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    for header in _GLUED_HEADER.finditer(text):
        pos = header.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            if re.search(r"[。，；;]|,(?!\d{3})", line) or len(line.strip()) > 60:
                break  # prose again: the table has ended
            m = _GLUED_ROW.fullmatch(line)
            if m and not _overlaps(taken, pos + m.start("num"), pos + m.end("num")):
                label = m.group("label")
                unit = m.group("unit") or next(
                    (u for key, u in _LABEL_UNITS if label.endswith(key)), "个"
                )
                factor = 1
                if unit.startswith("万") and unit != "万元":
                    factor, unit = 10000, unit[1:]
                base = unit.split("/")[0]
                exact = _exact(m.group("num"), None, factor)
                v = float(exact)
                label += f" {unit}" if "/" in unit else ""
                start, stop = pos + m.start("num"), pos + m.end("num")
                found.append(Quantity(v, v, v, base, "", start, stop, exact, exact, label))
            pos = end + 1
    return found


# 人数 alone on a line, then one figure per line: a column of a table copied column by
# column (row labels first). The figures count what the header says; the caption above
# (表1.从低保人员身份来看分布情况) names the group.
_COLUMN_HEADS = {"人数": "人", "户数": "户", "人次": "人次", "户次": "户次"}
_CAPTION = re.compile(r"^\s*表\s*\d+[.、．:：\s]*(?P<caption>.{2,40})$")


def _column_runs(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    caption = ""
    for i, line in enumerate(lines):
        m = _CAPTION.match(line)
        if m:
            caption = m.group("caption").strip()
            continue
        unit = _COLUMN_HEADS.get(line.strip())
        if unit is None:
            continue
        j = i + 1
        while j < len(lines) and _AR_CELL.fullmatch(lines[j]):
            j += 1
        if j - i - 1 < 3:
            continue  # fewer than three figures: not a column
        for k in range(i + 1, j):
            cell = lines[k].strip()
            start = starts[k] + lines[k].index(cell)
            end = start + len(cell)
            if _overlaps(taken, start, end):
                continue
            exact = _exact(cell, None, 1)
            v = float(exact)
            label = f"{caption} {line.strip()}"
            found.append(Quantity(v, v, v, unit, "", start, end, exact, exact, label))
    return found


# 辖4镇9乡, 岷县1区6县: counts of divisions written without 个, two or more in a row (or one
# after 辖); each keeps its own kind as unit.
# (each starts at a digit not after 第, a digit or a point; the check after the first digit
# lets the scan skip to digits, as in _AR_SCAN; the digits are possessive, as there)
_DIVISION = re.compile(r"(?P<num>\d(?<![第\d.]\d)\d*+)(?P<unit>街道|乡|镇|区|县)")
_DIVISION_ITEM = r"\d(?<![第\d.]\d)\d*+(?:街道|乡|镇|区|县)[、和及]?"
_DIVISION_RUN = re.compile(rf"{_DIVISION_ITEM}(?:{_DIVISION_ITEM}){{0,5}}")
# A division's word right after a digit, found first: most texts have none, and a search for
# it skips to 街 乡 镇 区 县, not to every digit.
_DIVISION_WORD = re.compile(r"[街乡镇区县](?<=\d[街乡镇区县])")


def _divisions(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    found: list[Quantity] = []
    for run in _DIVISION_RUN.finditer(text) if _DIVISION_WORD.search(text) else ():
        items = list(_DIVISION.finditer(text, run.start(), run.end()))
        if len(items) < 2 and text[max(0, run.start() - 1) : run.start()] != "辖":
            continue
        for m in items:
            if not _overlaps(taken, m.start(), m.end()):
                v = float(m.group("num"))
                found.append(Quantity(v, v, v, m.group("unit"), "", m.start(), m.end()))
    return found


def find_quantities(text: str) -> list[Quantity]:
    """Return the quantities in ``text``, in order.

    Parameters
    ----------
    text : str
        Cleaned text.

    Returns
    -------
    list of Quantity
        ``value`` is the stated number (the low end of a range) in ``unit``
        (名/位 written 人); ``qualifier`` is ``approx``, ``at_least``, ``below`` or "".
    """
    found = []
    scan = _QUANTITY if "百分之" in text else _QUANTITY_NUMBERS
    percents = scan is _QUANTITY
    for m in scan.finditer(text):
        start, end = m.span()
        if percents and m.group("pct") is not None:
            v = _value(m.group("pct").replace("点", "."))
            if v is not None:
                q = _qualifier(text, start, end, False)
                found.append(Quantity(v, v, v, "%", q, start, end))
            continue
        low_text, high_text, more, dash = m.group("low", "high", "more", "dash")
        unit = m.group("unit")
        unit = _joined_unit(unit)
        if _not_a_quantity(text, m, unit):
            continue
        if (
            not _DIGIT.search(low_text) and not (low_text in {"百", "千", "万"} and more)  # 千余人
        ) or low_text in _IDIOMS:
            continue  # 千家万户, 百姓 …: magnitude words alone are not numbers
        low, high = _value(low_text), _value(high_text) if high_text else None
        if low is None or (high_text and high is None):
            continue
        stated_low, stated_high = low, high  # before 万/亿 multiply them
        mult = m.group("mult") or m.group("lmult")
        factor = 1
        if mult and unit not in MONEY:
            factor = 10000 if mult == "万" else 100000000
            low, high = low * factor, (high * factor if high is not None else None)
        elif mult:
            unit = mult + unit
        text_low = _exact(low_text, stated_low, factor)
        text_high = _exact(high_text, stated_high, factor) if high else text_low
        if dash in {"-", "—", "–", "~", "～"} and high is not None and high <= low:
            continue  # "2 - 1" is not a range (page numbers, dates)
        unit = UNIT_ALIASES.get(unit, unit)
        has_ji = "几" in low_text or bool(more) or m.group("pre") is not None  # 17.61余万名
        q = _qualifier(text, start, end, has_ji)
        found.append(
            Quantity(
                low,
                low,
                high if high is not None else low,
                unit,
                q,
                start,
                end,
                text_low,
                text_high,
            )
        )
    found += _table_and_bare_money(text, [(q.start, q.end) for q in found])
    found.sort(key=lambda q: q.start)
    if "指标" in text:
        found += _glued_rows(text, [(q.start, q.end) for q in found])
        found.sort(key=lambda q: q.start)
    if "|" in text:
        found += _header_tables(text, [(q.start, q.end) for q in found])
        found.sort(key=lambda q: q.start)
    if "数\n" in text or "次\n" in text:
        found += _column_runs(text, [(q.start, q.end) for q in found])
        found.sort(key=lambda q: q.start)
    found += _divisions(text, [(q.start, q.end) for q in found])
    found.sort(key=lambda q: q.start)
    if "\n" in text:
        from .tables import grid_quantities  # it builds on this module

        found += grid_quantities(text, [(q.start, q.end) for q in found])
        found.sort(key=lambda q: q.start)
    return found
