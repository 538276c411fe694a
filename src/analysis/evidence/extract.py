"""Extraction: every quantitative claim of a document as a cited row."""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputFileError
from .classify import (
    POSTS_AFTER,
    POSTS_BEFORE,
    RATES,
    classify,
    explain,
    named_after,
    rate_period,
)
from .clean import SUFFIXES, read_document
from .numbers import find_quantities

__all__ = [
    "COLUMNS",
    "ILLUSTRATIVE_MARK",
    "ExtractResult",
    "expand",
    "extract_paths",
    "extract_text",
    "illustrative_files",
    "is_illustrative",
    "to_csv",
]

#: The mark an invented (illustrative) text carries at its start: such a text is never
#: evidence. A report on real survey data refuses it unless asked, and then labels it.
ILLUSTRATIVE_MARK = "【示例材料】"

COLUMNS = (
    "doc",
    "indicator",
    "value",
    "low",
    "high",
    "unit",
    "period",
    "qualifier",
    "subject",
    "quote",
    "start",
    "end",
)
_SENTENCE_STOPS = "。！？!?；;\n"
_CLAUSE_STOPS = ",，;；。！？!?\n:："
_SENTENCE_END = re.compile(rf"[{_SENTENCE_STOPS}]")
# 金额:1113912元 stays one clause. (The check comes after the character, so that the search
# skips to the next stop or colon at once.)
_CLAUSE_END = re.compile(rf"[{_CLAUSE_STOPS}](?!(?<=[:：])\s*\d)")
# The characters each can match, to find the last one before a number in the reversed text.
_SENTENCE_STOP = re.compile(f"[{_SENTENCE_STOPS}]")
_CLAUSE_STOP = re.compile(f"[{_CLAUSE_STOPS}]")
_STOP_WORDS = {
    "共有",
    "有",
    "现有",
    "只有",
    "仅有",
    "其中",
    "共",
    "达到",
    "达",
    "为",
    "是",
    "各有",
    "设有",
    "设立",
    "设",
    "配备",
    "还有",
    "目前",
    "当前",
    "截至",
    "截止",
    "已",
    "约",
    "和",
    "及",
    "等",
    "中",
    "了",
}
_NEXT_ITEM = re.compile(r"、(?![月年])")  # 、 before the next item (not 元/人、月)
# Counts of staff that, given as a range, are a norm rather than a count.
_STAFF_COUNTS = frozenset({"staff_total", "staff_fulltime", "staff_parttime", "staff_established"})
_JOINED = re.compile(r"\s*[、,，和及]?\s*")  # households, then their persons
# 35个五保分散供养户: households counted with 个 keep it
_HOUSEHOLD_AFTER = re.compile(r"\s*[\u4e00-\u9fff]{0,8}户")
# The households indicator of a programme whose persons follow a bare households count.
_HOUSEHOLDS_OF = {
    "dibao_persons": "dibao_households",
    "tekun_persons": "tekun_persons",
    "poor_persons": "poor_persons",
    "youfu_persons": "youfu_persons",
    "temp_assistance": "temp_assistance",
}
_PEOPLE = {
    "staff_total",
    "staff_fulltime",
    "staff_parttime",
    "staff_established",
    "staff_tenure",
    "staff_norm",
    "dibao_persons",
    "tekun_persons",
    "youfu_persons",
    "poor_persons",
    "population",
}
_VERB = r"(?:共有|只有|仅有|还有|现有|设有|共计|合计|其中|约占|占|约|达到|达|为|有|共|计|设|配备|增加|减少|新增)"
# (a verb, then any more: not (?:…)+, so that a search skips to the verbs' first characters)
_TRAILING_VERBS = re.compile(rf"{_VERB}{_VERB}*$")


@cache
def _jieba():
    # jieba's segmenter: jieba_fast_dat (the same dictionary and cut, in C++, 10x faster)
    # where it has wheels, else jieba itself (see pyproject.toml)
    import logging

    try:
        import jieba_fast_dat as jieba
    except ImportError:
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


# (written as words, not a class and words, so that a search skips to their first characters)
_NOUN_END = re.compile(r"中|的|,|，|;|；|。|：|:|（|\(|其中|是")
_TAIL_START = re.compile(r"[,，;；。：:、]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_A_NOUN = re.compile(r"(?:以上|以下|左右|以内|多|余)")
_TRAILING_DE = re.compile(r"(?:的有|的|者)$")
_LEADING_VERBS = re.compile(r"^(?:设有|设立|设|有|共有|其中)")
_TRAILING_QUALIFIERS = re.compile(r"(?:不少于|不低于|不足|不超过|至少|超过|大约|接近|将近|近|约)$")
# A stop word, or a character a word that ends the subject starts with (see _subject). (All
# words, so that a search skips to their first characters.)
_SUBJECT_STOPS = re.compile("|".join(map(re.escape, sorted(_STOP_WORDS))) + "|全|我|本")


def _subject(before: str, after: str) -> str:
    noun = _NOUN_END.split(after, maxsplit=1)[0].strip()
    if _HAN.match(noun) and not _NOT_A_NOUN.match(noun):
        return noun[:12]
    tail = _TAIL_START.split(before)[-1].strip()
    tail = _TRAILING_VERBS.sub("", _TRAILING_DE.sub("", tail))
    tail = _LEADING_VERBS.sub("", tail)
    tail = _TRAILING_QUALIFIERS.sub("", tail)
    if not tail:
        return ""
    # The words of a cut put together give the text back, each blank a word of its own. So
    # when the text holds no stop word, no 全/我/本 and at most 10 other characters, no
    # word can end the subject: every cut picks all of it, and jieba need not be asked.
    whole = "".join(tail[-16:].split())
    if len(whole) <= 10 and not _SUBJECT_STOPS.search(tail[-16:]):
        return whole
    picked = ""
    for word in reversed([w for w in _jieba().lcut(tail[-16:]) if w.strip()]):
        if (
            word in _STOP_WORDS
            or word.startswith(("全", "我", "本"))
            or len(picked) + len(word) > 10
        ):
            break
        picked = word + picked
    return picked


def _subject_of(subjects: dict[tuple[str, str], str], before: str, after: str) -> str:
    # _subject(before, after), once per document for the same words (a text repeats its
    # labels: 城市低保 in each of its sections)
    key = (before, after)
    found = subjects.get(key)
    if found is None:
        found = subjects[key] = _subject(before, after)
    return found


def _piece(
    pattern: re.Pattern, stops: re.Pattern, text: str, backwards: str, at: int
) -> tuple[int, int]:
    # (start, end) of the piece of ``text`` holding ``at``, where the pieces are the text up
    # to and including each match of ``pattern`` (one character), and the rest after the
    # last: it ends after the first match at or after ``at``, and starts after the last match
    # before it, found in ``backwards`` (the text reversed) among the characters of ``stops``.
    # Only the pieces holding numbers are looked for, not every piece of the text.
    found = pattern.search(text, at)
    end = found.end() if found else len(text)
    pos = len(text) - at
    while (back := stops.search(backwards, pos)) is not None:
        start = len(text) - back.start()  # (right after the character)
        if pattern.match(text, start - 1):
            return start, end
        pos = back.end()  # (a colon before a figure: no clause ends there)
    return 0, end


#: The two columns ``--explain`` adds: the cue behind each label and the words read.
EXPLAIN_COLUMNS = ("cue", "clause")


def extract_text(text: str, doc: str = "", explained: bool = False) -> list[dict]:
    """Extract every quantity of a cleaned text as a row of :data:`COLUMNS`.

    ``quote`` is the sentence holding the quantity and ``text[start:end] ==
    quote``; ``value`` is the stated number (the low end of a range) in
    ``unit``; ``indicator`` is one of the taxonomy or ``other``.

    Parameters
    ----------
    text : str
        Cleaned text (see :func:`analysis.evidence.clean.clean_text`).
    doc : str
        Document name written in the ``doc`` column.
    explained : bool
        Also fill :data:`EXPLAIN_COLUMNS` (see :func:`.classify.explain`).

    Returns
    -------
    list of dict
    """
    rows = []
    quantities = find_quantities(text)
    if not quantities:
        return rows
    backwards = text[::-1]
    headings = _headings(text)  # (start, heading) of each section heading, in order
    s_start = s_end = c_start = c_end = 0  # the sentence and the clause of the number
    prev_in_sentence = None  # (indicator, unit, end)
    prev_period = ""
    subjects: dict[tuple[str, str], str] = {}  # the document's subjects, by words around them
    for qi, q in enumerate(quantities):  # (in order)
        if q.start >= s_end:
            s_start, s_end = _piece(_SENTENCE_END, _SENTENCE_STOP, text, backwards, q.start)
            prev_in_sentence = None
        if q.start >= c_end:
            c_start, c_end = _piece(_CLAUSE_END, _CLAUSE_STOP, text, backwards, q.start)
        begin = max(c_start, prev_in_sentence[2] if prev_in_sentence else c_start)
        nxt = quantities[qi + 1].start if qi + 1 < len(quantities) else len(text)
        before = q.label or text[begin : q.start]
        after = "" if q.label else text[q.end : min(c_end, nxt)]
        # 孤儿79人、特困供养对象81人: what follows 、 is the next item's (but 元/人、月 is a rate)
        after = _NEXT_ITEM.split(after, maxsplit=1)[0]
        sentence = text[s_start:s_end]
        prev = (
            (prev_in_sentence[0], prev_in_sentence[1], text[prev_in_sentence[2] : q.start])
            if prev_in_sentence
            else None
        )
        line_start = text.rfind("\n", 0, q.start) + 1
        line_end = text.find("\n", q.end)
        paragraph = text[line_start : line_end if line_end >= 0 else len(text)]
        indicator = classify(
            q.unit,
            before,
            after,
            sentence,
            prev,
            paragraph,
            q.value,
            table=bool(q.label),
            lead=text[line_start : q.start],
            heading=_heading_of(headings, q.start),
        )
        if indicator in _STAFF_COUNTS and q.high > q.low and not q.label:
            indicator = "staff_norm"  # 配备2至5名工作人员, 明确1-2名兼职协理员: a range is a norm
        if (
            q.unit == "个"
            and indicator in _PEOPLE
            and not _HOUSEHOLD_AFTER.match(after)
            and not (
                indicator == "staff_established"
                and POSTS_BEFORE.search(text, q.start - 12, q.start)
            )
            and not POSTS_AFTER.match(after)  # 编制76个, 设2个岗位: posts, in 个 as stated
        ):
            q.unit = "人"  # 一个民政助理员: 个 is the classifier of a count of people
        households = _HOUSEHOLDS_OF.get(indicator) if q.unit == "人" else None
        if (
            households
            and rows
            and prev is not None
            and prev[1] == "户"
            and _JOINED.fullmatch(prev[2])
            and (prev[0] == "other" or (prev[0] != households and named_after(after) == indicator))
        ):  # 2357户3702人享受城乡低保: the households are of the persons' programme
            rows[-1]["indicator"] = households
            if explained:
                rows[-1]["cue"] = f"the persons after it ({indicator})"
        period = ""
        if indicator in RATES:  # 从每人每月100元提高到150元: the second rate keeps the period
            period = rate_period(before, after) or (
                prev_period if prev and prev[0] in RATES else ""
            )
        prev_period = period
        prev_in_sentence = (indicator, q.unit, q.end)
        lead = len(sentence) - len(sentence.lstrip())
        trail = len(sentence.rstrip(" \n"))
        start, end = s_start + lead, s_start + trail
        row = {
            "doc": doc,
            "indicator": indicator,
            "value": q.text_low,
            "low": q.text_low,
            "high": q.text_high,
            "unit": q.unit,
            "period": period,
            "qualifier": q.qualifier,
            "subject": _subject_of(subjects, before, after) if indicator != "other" else "",
            "quote": text[start:end],
            "start": start,
            "end": end,
        }
        if explained:
            row["cue"], row["clause"] = explain(indicator, q.unit, before, after, prev)
        rows.append(row)
    return rows


# A section's heading: numbered (一、 （二） 3. 第四部分) or a table's title (…统计表, …情况),
# short, without sentence punctuation or figures of its own (60年代 is no figure).
_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)"
    r"|第[一二三四五六七八九十]+[章节部分])[^。，,；;！？!?|]{1,28}"
    r"|[^。，,；;！？!?|]{2,28}(?:表|情况|统计|一览)"
)
_FIGURE = re.compile(r"\d\s*(?:[万亿]|户|人|元|个|名|%)")


def _headings(text: str) -> list[tuple[int, str]]:
    # (start of its line, heading) of each line that is a heading
    found = []
    start = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if len(line) <= 30 and _HEADING.fullmatch(line) and not _FIGURE.search(line):
            found.append((start, line))
        start += len(raw) + 1
    return found


def _heading_of(headings: list[tuple[int, str]], at: int) -> str:
    i = bisect.bisect_right(headings, (at, "\uffff")) - 1
    return headings[i][1] if i >= 0 else ""


@dataclass
class ExtractResult:
    """Rows of every readable file, the cleaned texts, and a clear error per unreadable file."""

    rows: list[dict]
    cleaned: dict[str, str]
    errors: list[InputFileError]
    illustrative: list[str] = field(default_factory=list)  # paths of texts marked 示例材料


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Return the files named, with folders replaced by their supported files (recursively, sorted).

    Returns
    -------
    list of Path
        The files in the order named; each folder's files sorted.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            files.append(p)
    return files


def extract_paths(paths: Iterable[str | Path], explained: bool = False) -> ExtractResult:
    """Extract from files and folders; a file that cannot be read is reported and skipped.

    Parameters
    ----------
    paths : iterable of path
        Files (.txt .md .html .docx) or folders.
    explained : bool
        Add the cue and the words read to every row (``--explain``).

    Returns
    -------
    ExtractResult
    """
    result = ExtractResult([], {}, [])
    for path in expand(paths):
        try:
            text = read_document(path)
        except InputFileError as exc:
            result.errors.append(exc)
            continue
        result.cleaned[str(path)] = text
        if is_illustrative(text):
            result.illustrative.append(str(path))
        result.rows += extract_text(text, path.name, explained)
    return result


def is_illustrative(text: str) -> bool:
    """Return True when a cleaned text carries :data:`ILLUSTRATIVE_MARK` in its first lines.

    Returns
    -------
    bool
        True when the mark occurs in the first 500 characters.
    """
    return ILLUSTRATIVE_MARK in text[:500]


def illustrative_files(paths: Iterable[str | Path]) -> list[Path]:
    """Return the readable files among ``paths`` (files or folders) marked as illustrative.

    Returns
    -------
    list of Path
        The marked files in the order of :func:`expand`; unreadable files are skipped.
    """
    marked = []
    for path in expand(paths):
        try:
            if is_illustrative(read_document(path)):
                marked.append(path)
        except InputFileError:
            continue
    return marked


def to_csv(rows: list[dict], explained: bool = False) -> str:
    """Return rows as CSV text (the caller adds the BOM when writing a file).

    Returns
    -------
    str
        A header line and one line per row, in the columns :data:`COLUMNS`.
    """
    buf = io.StringIO()
    columns = COLUMNS + EXPLAIN_COLUMNS if explained else COLUMNS
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
