"""Finding quantities in cleaned Chinese text: numbers, ranges, units and qualifiers.

A quantity is a number (Arabic, with decimals and thousands separators, or
Chinese: 两名, 十一项, 三万人, 十几项), optionally a range (2-3人, 2—3人,
2至3人, 2 — 3 人), followed by a unit (人, 户, 人次, 项, 平方米, 万元, %, …).
万/亿 before a money unit stay in the unit (3.5万元); before any other unit
they multiply the value (3万人 -> 30000 人). Years, dates, document numbers
(〔2011〕49号), ordinals (第三, 一、) and placeholders (X户) are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Quantity", "find_quantities"]

# Longest first, so 人次 wins over 人 and 平方米 over 米.
UNITS = (
    "平方米",
    "人次",
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
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = rf"[{_CN_DIGITS}]+几?|几[十百千万]"
_NUM = rf"(?:{_AR}|{_CN})"
_QUANTITY = re.compile(
    rf"(?P<low>{_NUM})(?P<lmult>[万亿](?=\s*[-—–~～至到]))?(?:\s*(?P<dash>[-—–~～至到])\s*(?P<high>{_NUM}))?"
    rf"\s*(?P<mult>[万亿](?!元))?(?P<more>多|余)?\s*(?P<unit>{_UNIT_RE})"
    r"|百分之(?P<pct>[零〇一二两三四五六七八九十百点\d.]+)"
)
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


@dataclass
class Quantity:
    """A quantity found in the text; ``start``/``end`` span the number and unit."""

    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _cn_value(text: str) -> float | None:
    import cn2an

    text = text.replace("几", "")
    if not text:
        return None
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _value(text: str) -> float | None:
    if re.fullmatch(_AR, text):
        return float(text.replace(",", ""))
    return _cn_value(text)


def _qualifier(text: str, start: int, end: int, has_ji: bool) -> str:
    before = text[max(0, start - 4) : start]
    after = text[end : end + 2]
    if after.startswith(_AFTER_AT_LEAST) or has_ji:
        return "at_least"
    if after.startswith(_AFTER_BELOW):
        return "below"
    if after.startswith(_AFTER_APPROX):
        return "approx"
    for word, q in _BEFORE:
        if before.endswith(word) or before.endswith(word + "占"):
            return q
    return ""


def _not_a_quantity(text: str, m: re.Match, unit: str) -> bool:
    start = m.start()
    prev = text[start - 1] if start else ""
    low = m.group("low") or ""
    if prev and (prev.isascii() and prev.isalnum() or prev in "第Xx×某"):
        return True  # part of a code, an ordinal (第三), or a placeholder (XX万元)
    if unit == "年" and re.fullmatch(r"(19|20)\d\d", low) and not m.group("high"):
        return True  # a calendar year
    if unit == "年" and _DATE_AFTER.match(text[m.end() : m.end() + 3]):
        return True
    if (
        unit in {"个", "项", "条", "类"}
        and text[m.end() : m.end() + 1] in {"一", "二", "三"}
        and low in "一二三四五六七八九十"
    ):
        return True  # 五个一, 三个代表 …
    if re.search(r"[〔\[【(（]\s*$", text[max(0, start - 2) : start]) or re.match(
        r"\s*[〕\]】]", text[m.end() :]
    ):
        return True  # document numbers 〔2011〕49号
    return False


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
    for m in _QUANTITY.finditer(text):
        if m.group("pct") is not None:
            v = _value(m.group("pct").replace("点", "."))
            if v is not None:
                q = _qualifier(text, m.start(), m.end(), False)
                found.append(Quantity(v, v, v, "%", q, m.start(), m.end()))
            continue
        unit = m.group("unit")
        if _not_a_quantity(text, m, unit):
            continue
        if (
            not re.search(r"[\d零〇一二两三四五六七八九十]", m.group("low"))
            or m.group("low") in _IDIOMS
        ):
            continue  # 千家万户, 百姓 …: magnitude words alone are not numbers
        low, high = _value(m.group("low")), _value(m.group("high")) if m.group("high") else None
        if low is None or (m.group("high") and high is None):
            continue
        mult = m.group("mult") or m.group("lmult")
        if mult and unit not in MONEY:
            factor = 10000.0 if mult == "万" else 1e8
            low, high = low * factor, (high * factor if high is not None else None)
        elif mult:
            unit = mult + unit
        if m.group("dash") in {"-", "—", "–", "~", "～"} and high is not None and high <= low:
            continue  # "2 - 1" is not a range (page numbers, dates)
        unit = UNIT_ALIASES.get(unit, unit)
        has_ji = "几" in m.group("low") or bool(m.group("more"))
        q = _qualifier(text, m.start(), m.end(), has_ji)
        found.append(
            Quantity(low, low, high if high is not None else low, unit, q, m.start(), m.end())
        )
    return found
