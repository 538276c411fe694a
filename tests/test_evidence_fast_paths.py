"""Evidence extraction's fast paths give what the plain forms they replace give.

Each shortcut taken for speed (replacing only the characters or words that can occur,
skipping jieba when its cut cannot change the subject, a pattern reordered so that its
search skips ahead) is checked here against the plain form, on random texts made of the
words and characters that matter.
"""

import platform
import re
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.evidence import classify as classify_mod
from analysis.evidence import clean as clean_mod
from analysis.evidence import extract as extract_mod
from analysis.evidence import numbers as numbers_mod
from analysis.evidence import tables as tables_mod


def texts(pieces, max_size=10):
    return st.lists(st.sampled_from(sorted(set(pieces))), max_size=max_size).map("".join)


BLANKS = [" ", "\t", "\u3000", "\u00a0", "\u2028", "\r\n", "\x1c"]


@settings(max_examples=300, deadline=None)
@given(texts([chr(cp) for cp in clean_mod._FULLWIDTH] + list("aZ1,。、“中") + BLANKS, 30))
def test_half_width_is_translate(text):
    assert clean_mod._half_width(text) == text.translate(clean_mod._FULLWIDTH)


def test_every_half_width_character_is_one_ascii_character():
    for cp, half in clean_mod._FULLWIDTH.items():
        assert cp > 127 and len(half) == 1 and half.isascii()


def plain_without_linking_words(text, first=None):
    lex = classify_mod.lexicon()
    parts = sorted(lex["parts"], key=len, reverse=True)
    for word in [*(first or []), *classify_mod._CONNECTORS, *parts]:
        text = text.replace(word, "")
    return text


LINKING = [
    *classify_mod._CONNECTORS,
    *classify_mod.lexicon()["parts"],
    *classify_mod.lexicon()["assist_verbs"],
    *"共和计其中城市农村人户数ab1 。",
]
LINKING += [w[i:] for w in LINKING for i in range(1, len(w))]


@settings(max_examples=500, deadline=None)
@given(texts(LINKING), st.booleans())
def test_without_linking_words_is_the_plain_loop(text, verbs):
    first = classify_mod.lexicon()["assist_verbs"] if verbs else None
    assert classify_mod._without_linking_words(text, first) == plain_without_linking_words(
        text, first
    )


CUES = [c for e in classify_mod.lexicon()["programmes"].values() for c in e["cues"]]


@settings(max_examples=300, deadline=None)
@given(texts([*CUES, *(c[i:] for c in CUES for i in range(1, len(c))), "人", "|", " "], 6))
def test_programme_is_any_cue(local):
    for kind in ("persons", "households", "person_times"):
        expected = next(
            (
                e[kind]
                for e in classify_mod.lexicon()["programmes"].values()
                if any(cue in local for cue in e["cues"])
            ),
            None,
        )
        assert classify_mod.programme(local, kind) == expected


def plain_pick(tail):
    picked = ""
    words = [w for w in extract_mod._jieba().lcut(tail[-16:]) if w.strip()]
    for word in reversed(words):
        if (
            word in extract_mod._STOP_WORDS
            or word.startswith(("全", "我", "本"))
            or len(picked) + len(word) > 10
        ):
            break
        picked = word + picked
    return picked


SUBJECT_PIECES = [
    *extract_mod._STOP_WORDS,
    *"全我本()（）A1.·/|镇户数",
    "全县",
    "本级",
    "城市低保",
    "对象",
    "民政",
    "工作人员",
    "专职",
    "乡镇",
    "特困人员",
    "街道办事处",
    "累计发放",
    *BLANKS,
]


def plain_subject(before):
    # _subject(before, "") as it was: the tail of the clause, trimmed, cut by jieba
    tail = re.split(r"[,，;；。：:、]", before)[-1].strip()
    tail = extract_mod._TRAILING_VERBS.sub("", re.sub(r"(?:的有|的|者)$", "", tail))
    tail = re.sub(r"^(?:设有|设立|设|有|共有|其中)", "", tail)
    tail = re.sub(r"(?:不少于|不低于|不足|不超过|至少|超过|大约|接近|将近|近|约)$", "", tail)
    return plain_pick(tail) if tail else ""


@settings(max_examples=1000, deadline=None)
@given(texts(SUBJECT_PIECES, 12))
def test_subject_is_what_jieba_gives(before):
    assert "".join(extract_mod._jieba().lcut(before)) == before  # a cut gives the text back
    assert extract_mod._subject(before, "") == plain_subject(before)


def plain_qualifier(text, start, end, has_ji):
    before, after = text[max(0, start - 4) : start], text[end : end + 2]
    if after.startswith(numbers_mod._AFTER_AT_LEAST) or has_ji:
        return "at_least"
    if after.startswith(numbers_mod._AFTER_BELOW):
        return "below"
    if after.startswith(numbers_mod._AFTER_APPROX):
        return "approx"
    for word, q in numbers_mod._BEFORE:
        if before.endswith(word) or before.endswith(word + "占"):
            return q
    return ""


@settings(max_examples=500, deadline=None)
@given(
    texts(
        [w for w, _ in numbers_mod._BEFORE] + ["占", "以上", "多", "以下", "左右", "人", "于"], 5
    ),
    st.integers(0, 12),
    st.integers(0, 12),
    st.booleans(),
)
def test_qualifier_is_the_plain_loop(text, start, length, has_ji):
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert numbers_mod._qualifier(text, start, end, has_ji) == plain_qualifier(
        text, start, end, has_ji
    )


PINYIN_PLAIN = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*[a-z{clean_mod._TONED}]{{1,7}}\s*[)）]")


@settings(max_examples=500, deadline=None)
@given(texts([*"區鎮中㐀a bqūzhèn()（）\t1Z", "\u9fff", "\u4dff"], 14))
def test_pinyin_pattern_is_the_plain_one(text):
    assert clean_mod._PINYIN.sub("", text) == PINYIN_PLAIN.sub("", text)


TABLE_ROW_PLAIN = re.compile(numbers_mod._TABLE_ROW.pattern.replace(r"^(?=[^\n]*\|)", "^", 1), re.M)


@settings(max_examples=300, deadline=None)
@given(texts([*"|人户元个万 \t\n12.,", "城市低保", "JZH011110000", "万人", "-"], 16))
def test_table_row_pattern_is_the_plain_one(text):
    def found(pattern):
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]

    assert TABLE_ROW_PLAIN.pattern != numbers_mod._TABLE_ROW.pattern
    assert found(numbers_mod._TABLE_ROW) == found(TABLE_ROW_PLAIN)


def plain_spans(pattern, text):
    spans, start = [], 0
    for m in pattern.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@settings(max_examples=300, deadline=None)
@given(texts([*"。；;\n,，:：a1 "], 12))
def test_the_piece_around_a_number_is_the_plain_loops(text):
    # the sentence (clause) of a position, found around it, is the piece of the plain loop
    # that holds it
    backwards = text[::-1]
    for pattern, stops in (
        (extract_mod._SENTENCE_END, extract_mod._SENTENCE_STOP),
        (extract_mod._CLAUSE_END, extract_mod._CLAUSE_STOP),
    ):
        spans = plain_spans(pattern, text)
        for at in range(len(text)):
            expected = next(span for span in spans if span[0] <= at < span[1])
            assert extract_mod._piece(pattern, stops, text, backwards, at) == expected


# The scanning patterns start a number only where a run of digits starts, and never give back
# its digits (possessive runs); the plain forms below (written out here, as they were before)
# start at any digit and backtrack. Same matches expected.
_PLAIN_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_PLAIN_NUM = rf"(?:{_PLAIN_AR}|{numbers_mod._CN})"
PLAIN_SCANS = {
    "_QUANTITY": re.compile(
        rf"(?P<low>{_PLAIN_NUM})(?P<pre>余(?=[万亿]))?(?P<lmult>[万亿](?=\s*[-—–~～至到]))?"
        rf"(?:\s*(?P<dash>[-—–~～至到])\s*(?P<high>{_PLAIN_NUM}))?"
        rf"\s*(?P<mult>[万亿](?!元))?(?P<more>多|余)?\s*(?P<unit>{numbers_mod._UNIT_RE})"
        r"|百分之(?P<pct>[零〇一二两三四五六七八九十百点\d.]+)"
    ),
    "_BARE_MONEY": re.compile(rf"(?P<num>{_PLAIN_AR})\s*(?P<mult>[万亿])(?=[,，。;；、)）\s]|$)"),
    "_DIVISION_RUN": re.compile(r"(?:(?<![第\d.])\d+(?:街道|乡|镇|区|县)[、和及]?){1,6}"),
    "_DIVISION": re.compile(r"(?<![第\d.])(?P<num>\d+)(?P<unit>街道|乡|镇|区|县)"),
}
PLAIN_POPULATION = re.compile(
    rf"人口(?:数)?(?:总数)?(?:为|达|达到|约|有|共|计)?\s*(?P<num>{_PLAIN_AR})\s*(?:余|多)?万"
    r"(?![\u4e00-\u9fff])"
    rf"|(?P<num2>{_PLAIN_AR})\s*万(?:多|余)?的?(?=(?:常住|户籍|总|农业|城镇)?人口)"
)
NUMBER_PIECES = list("0123456789,.,. 第十三万亿人户元-至多余、和") + [
    "万元",
    "人口",
    "常住人口",
    "街道",
    "乡",
    "镇",
    "区",
    "县",
    "。",
    "1,234",
    "12.5",
]


@settings(max_examples=600, deadline=None)
@given(texts(NUMBER_PIECES, 24))
@example("1,2345人 12.5.6万元 1,234.人 3,4万 12,345,67户 2.5-3.5万人 1.2乡3.4镇 56 镇")
@example("1,234,567人 ,123,456万元 12,345.6万 8,123户 4,123 ,567人 12,34,567元")
def test_scanning_patterns_find_what_their_plain_forms_find(text):
    for name, plain in PLAIN_SCANS.items():
        fast = getattr(numbers_mod, name)
        assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == [
            (m.span(), m.groupdict()) for m in plain.finditer(text)
        ], name


def test_scanning_patterns_keep_a_number_that_starts_after_a_comma_or_point():
    # 12,34万人 is no thousands group: the number is 34万人, as the plain form reads it
    got = [m.group(0) for m in numbers_mod._QUANTITY.finditer("12,34万人 1.2.3人 第12人")]
    assert got == ["34万人", "2.3人", "12人"]


# A text without 百分之 is scanned with _QUANTITY's first alternative alone, written to start
# with a class: the same matches and groups as the plain form's (whose second alternative
# cannot match there), and find_quantities gives the same as with _QUANTITY itself.
QUANTITY_PIECES = [*NUMBER_PIECES, *"零〇一二两三四五六七八九十百千几分之点%项个名", "百分", "几十"]


@settings(max_examples=800, deadline=None)
@given(texts(QUANTITY_PIECES, 24))
@example("十几人 几十户 几百人 两三万人 一百零五名 3至五人 九百分 百户 千余人 几人 1,234几万元")
@example(
    "三三三人 一二三四五 十万万人 万万户 1三人 第三三人 百分 三百分之五十人 三-四五六人 二十几十人"
)
@example("12,34万人 1.2.3人 第12人 5-8人 2万至3万户 三-五名 12,345.6万元 百分之五十")
def test_the_scan_of_numbers_finds_what_the_plain_pattern_finds_without_percents(text):
    plain = PLAIN_SCANS["_QUANTITY"]
    if "百分之" in text:
        return  # (scanned with _QUANTITY itself)
    got = [(m.span(), m.groupdict()) for m in numbers_mod._QUANTITY_NUMBERS.finditer(text)]
    assert got == [
        (m.span(), {k: v for k, v in m.groupdict().items() if k != "pct"})
        for m in plain.finditer(text)
    ]
    fast = numbers_mod.find_quantities(text)
    with pytest.MonkeyPatch.context() as mp:  # the plain form: _QUANTITY on every text
        mp.setattr(numbers_mod, "_QUANTITY_NUMBERS", numbers_mod._QUANTITY)
        assert numbers_mod.find_quantities(text) == fast


@settings(max_examples=600, deadline=None)
@given(texts(NUMBER_PIECES, 24))
@example("全区人口50.4万，70万的常住人口，1,2万多人口")
def test_the_two_population_scans_find_what_the_one_plain_pattern_finds(text):
    stated, before = numbers_mod._BARE_POPULATION
    fast = sorted([*stated.finditer(text), *before.finditer(text)], key=lambda m: m.start())
    assert [(m.span(), m.span("num")) for m in fast] == [
        (m.span(), m.span("num") if m.group("num") else m.span("num2"))
        for m in PLAIN_POPULATION.finditer(text)
    ]


# jieba_fast_dat is jieba's cut in C++; pyproject.toml asks for it where it has wheels.
FAST_JIEBA_PLATFORM = (sys.platform, platform.machine()) in {
    ("linux", "x86_64"),
    ("darwin", "arm64"),
}


def test_the_fast_segmenter_is_used_where_it_is_a_dependency():
    if not FAST_JIEBA_PLATFORM:
        pytest.skip(f"jieba_fast_dat is no dependency on {sys.platform}/{platform.machine()}")
    assert extract_mod._jieba().__name__ == "jieba_fast_dat"


def test_the_fast_segmenter_cuts_subjects_as_jieba_does():
    import logging

    import jieba

    if not FAST_JIEBA_PLATFORM:
        pytest.skip(f"jieba_fast_dat is no dependency on {sys.platform}/{platform.machine()}")
    jieba.setLogLevel(logging.WARNING)
    fast = extract_mod._jieba()
    phrases = [
        "全县共有城乡低保对象",
        "其中农村特困供养人员",
        "今年以来累计发放临时救助金",
        "二是慰问城乡低保对象",
        "我县新增城乡低保",
        "各乡镇民政办配备专职工作人员",
        "城市低保保障标准由每人每月",
        "1-10月累计保障城市低保",
        "全区社会工作服务站共有社工",
        "三是及时发放救灾款",
    ]
    assert [fast.lcut(p) for p in phrases] == [jieba.lcut(p) for p in phrases]


@settings(max_examples=400, deadline=None)
@given(texts(list("〔[【(（)x人 \n\t") + ["\u00a0", "\u3000", "\x1c"], 6))
def test_an_opening_bracket_before_a_number_is_found_as_the_plain_pattern_finds_it(text):
    start = len(text)
    plain = re.compile(r"[〔\[【]\s*$").search(text[max(0, start - 2) : start]) is not None
    assert numbers_mod._after_opening(text, start) == plain


def test_small_chinese_numerals_are_read_as_cn2an_reads_them():
    import itertools

    import cn2an

    chars = "一二两三四五六七八九十百零"
    for n in (1, 2, 3):
        for combo in itertools.product(chars, repeat=n):
            text = "".join(combo)
            fast = numbers_mod._small_cn(text)
            if fast is None:
                continue  # left to cn2an
            assert fast == float(cn2an.cn2an(text, "smart")), text
    # the forms reports use are all read directly
    for text, value in [("两", 2), ("十", 10), ("十五", 15), ("二十八", 28), ("九十九", 99)]:
        assert numbers_mod._small_cn(text) == value


# Patterns that start with a character class, not an alternative, a lookbehind or a repeat, so
# that a search skips ahead to the characters that can start a match; the plain forms below
# are as they were written before. Same matches expected.
PLAIN_LEADING_CLASS = {
    (clean_mod, "_BLANKS"): re.compile(r"[ \t\u00a0]+"),
    (extract_mod, "_CLAUSE_END"): re.compile(r"[,，;；。！？!?\n]|[:：](?!\s*\d)"),
    (tables_mod, "_PROSE"): re.compile(r"[。；;！？!?，]|,(?!\d{3})"),
    (tables_mod, "_FIGURES"): re.compile(r"(?<![\d.])\d"),
    (classify_mod, "_SCOPE_MARK"): re.compile(r"(?<!其)中\s*[:：,，]"),
    (clean_mod, "_ENGLISH_PHRASE"): re.compile(
        rf"{clean_mod._EN_TOKEN}(?:{clean_mod._EN_SEP}"
        rf"(?:{clean_mod._EN_TOKEN}|\d+(?={clean_mod._EN_SEP}{clean_mod._EN_TOKEN})))+\.?"
    ),
}
LEADING_CLASS_PIECES = [
    *",，;；。！？!?\n:：.|1234 \t\u00a0\u3000aZ中()/&-'’",
    " 5",
    ",123",
    ":12",
    "of",
    "persons",
    "(10000 yuan)",
    "(person-times)",
    "其中",
    "中",
    "其",
]


@settings(max_examples=600, deadline=None)
@given(texts(LEADING_CLASS_PIECES, 20))
@example(",123,12,1234 ：\t7 ：x 。 1.23 a,b")
@example("number of persons (10000 yuan) rural(person-times) (12 中) under age 18 (person).")
@example("ab) cd of-1 ab(c d) (x)")
def test_patterns_leading_with_a_class_find_what_their_plain_forms_find(text):
    for (module, name), plain in PLAIN_LEADING_CLASS.items():
        fast = getattr(module, name)
        assert fast.pattern != plain.pattern
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], name
        assert fast.sub("_", text) == plain.sub("_", text), name


# The same for patterns of words, written so that a search skips to their first characters.
PLAIN_WORDS = {
    (extract_mod, "_TRAILING_VERBS"): re.compile(
        r"(?:共有|只有|仅有|还有|现有|设有|共计|合计|其中|约占|占|约|达到|达|为|有|共|计|设|配备|增加|减少|新增)+$"
    ),
    (extract_mod, "_NOUN_END"): re.compile(r"[中的,，;；。：:（(]|其中|是"),
    (classify_mod, "_PHRASE_END"): re.compile(r"[中的,，;；。：:（(]|其中"),
    (extract_mod, "_SUBJECT_STOPS"): re.compile(
        "|".join(map(re.escape, sorted(extract_mod._STOP_WORDS))) + "|[全我本]"
    ),
}
WORD_PIECES = [
    *extract_mod._STOP_WORDS,
    *"共有只仅还现设计合其中约占达到为配备增加减少新是的,，;；。：:（(全我本人户",
    "新增",
    "共计",
]


@settings(max_examples=600, deadline=None)
@given(texts(WORD_PIECES, 12))
@example("共有其中约占共计为")
def test_patterns_of_words_find_what_their_plain_forms_find(text):
    for (module, name), plain in PLAIN_WORDS.items():
        fast = getattr(module, name)
        assert fast.pattern != plain.pattern
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], name
        assert fast.sub("_", text) == plain.sub("_", text), name
        assert fast.split(text, maxsplit=1) == plain.split(text, maxsplit=1), name


def plain_is_cell_line(line):
    if tables_mod._PROSE.search(line) and not tables_mod._LETTER.search(line):
        return False
    body = " ".join(w for w in line.replace("|", " ").split() if not tables_mod._is_english(w))
    if tables_mod._PROSE.search(body):
        return False
    if len(body) <= tables_mod._MAX_CELL:
        return True
    words = body.split()
    return all(len(w) <= tables_mod._MAX_CELL for w in words) and (
        sum(
            bool(tables_mod._NUMBER.fullmatch(w) or tables_mod._YEAR_HEAD.fullmatch(w))
            for w in words
        )
        >= 2
    )


CELL_LINE_PIECES = [
    *"|，,。 1a",
    "城镇居民最低生活保障人数",
    "人数",
    "44209",
    "2006年",
    "Number",
    "of Persons",
    "(10000 persons)",
    "B超",
    ",123",
]


@settings(max_examples=600, deadline=None)
@given(texts(CELL_LINE_PIECES, 16))
@example("城镇居民最低生活保障人数" * 3 + "人数人数人")  # 41 characters, one word
@example("城镇居民最低生活保障人数" * 3 + "人数人数")  # 40
@example("城镇居民最低生活保障人数 |" * 3)
def test_a_cell_line_is_found_as_the_plain_test_finds_it(line):
    assert tables_mod._is_cell_line(line) == plain_is_cell_line(line)


# Scans run only on a text that has what every match of theirs needs: 万 and 人口 for a
# population without 人, 万 or 亿 before a stop for a bare amount, a division's word right
# after a digit for divisions. The plain forms run the scans on every text: a scan may be
# skipped only where it finds nothing.
GUARD_PIECES = [*NUMBER_PIECES, *",，。;；、)）\n\t", "亿", "街道", "人口", "辖", "资金", "支出"]


def scanned(text):
    return [*numbers_mod._table_and_bare_money(text, []), *numbers_mod._divisions(text, [])]


@settings(max_examples=600, deadline=None)
@given(texts(GUARD_PIECES, 24))
@example("全区人口50.4万,")
@example("70万的户籍人口")
@example("支出3347万，")
@example("辖4镇")
@example("岷县1区6县")
def test_scans_are_skipped_only_on_texts_where_they_find_nothing(text):
    if numbers_mod._BARE_MONEY.search(text):
        assert numbers_mod._BARE_MONEY_END.search(text)
    if numbers_mod._DIVISION_RUN.search(text):
        assert numbers_mod._DIVISION_WORD.search(text)
    if any(p.search(text) for p in numbers_mod._BARE_POPULATION):
        assert all(word in text for word in numbers_mod._POPULATION_WORDS)
    with pytest.MonkeyPatch.context() as mp:  # the plain forms: every scan runs
        mp.setattr(numbers_mod, "_BARE_MONEY_END", re.compile(""))
        mp.setattr(numbers_mod, "_DIVISION_WORD", re.compile(""))
        mp.setattr(numbers_mod, "_POPULATION_WORDS", ())
        plain = scanned(text)
    assert scanned(text) == plain


def plain_join_wrapped(lines):
    out, before = [], ""
    for k, line in enumerate(lines):
        last = lines[k - 1] if k else ""
        if (
            out
            and "|" not in line
            and "|" not in last
            and len(last) >= 12
            and not clean_mod._HEADING_LINE.match(last)
            and clean_mod._PROSE_INSIDE.search(last)
            and clean_mod._OPEN_END.search(last)
            and clean_mod._GOES_ON.match(line)
            and (clean_mod._as_wide(last, line) or clean_mod._as_wide(last, before))
        ):
            out[-1] += line
        else:
            out.append(line)
        before = last
    return out


def plain_clean_text(text):
    # clean_text's last steps as they were: every line through every reader of tables
    text = clean_mod._PINYIN.sub("", text)
    text = clean_mod._converter().convert(text)
    text = text.translate(clean_mod._FULLWIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(元\s*/\s*[人户])。(?=[年月])", r"\1·", text)
    lines = [ln.strip() for ln in clean_mod._BLANKS.sub(" ", text).split("\n")]
    kept = [
        ln
        for ln in lines
        if ln and not clean_mod._is_spam(ln) and not clean_mod._RULE.fullmatch(ln)
    ]
    joined = clean_mod._join_cells(clean_mod._join_bar_cells(clean_mod._join_lead_bar_rows(kept)))
    return "\n".join(plain_join_wrapped(joined))


CLEAN_PIECES = [
    *"|\n 、,。;：\t\u00a0",
    "  ",
    "城乡低保",
    "供养6764人,其中温岭、椒",
    "江、黄岩、临海4所社会福利院收",
    "一、农村低保",
    "620087",
    "32",
    "万元",
    "人 |",
    "| 城市 |",
    "指标",
    "2001年",
    "１２",
    "（",
]


@settings(max_examples=500, deadline=None)
@given(texts(CLEAN_PIECES, 30))
@example("供养6764人,其中温岭、椒\n江、黄岩、临海4所社会福利院收\n养老人")
@example("指标\n|\n2001年\n|\n2002年\n|\n乡\n|\n19341\n|\n18639\n|\n镇\n|\n1\n|\n2\n|")
def test_clean_text_is_the_plain_one(text):
    assert clean_mod.clean_text(text) == plain_clean_text(text)


# clean's reader of tables copied as | label |, then a cell a line: when a run is no table,
# the fast form passes over the whole run at once (no later line of it opens a table); the
# plain form below (written out here, as it was before) tried again from each next line.
def plain_join_lead_bar_rows(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:  # not a cell: no row opens here
            out.append(lines[i])
            i += 1
            continue
        first = clean_mod._TAIL_CELL.fullmatch(lines[i])
        opens = clean_mod._LEAD_ROW.fullmatch(lines[i]) or (
            first is not None
            and not clean_mod._NUMBER_CELL.fullmatch(first.group(1).strip())
            and i + 1 < len(lines)
            and clean_mod._UNIT_CELL.fullmatch(lines[i + 1].removesuffix("|").strip())
        )  # 1.社会福利 |  then  万元 |: a row whose opening bar the copy lost
        if not opens:
            out.append(lines[i])
            i += 1
            continue
        j, rows = i, []
        while j < len(lines):
            line = lines[j]
            lead, tail = clean_mod._LEAD_ROW.fullmatch(line), clean_mod._TAIL_CELL.fullmatch(line)
            if lead:
                rows.append([lead.group(1).strip()])
            elif not rows:
                rows.append([tail.group(1).strip()])
            elif line == "|":
                rows[-1].append("")
            elif tail:
                cell = tail.group(1).strip()
                if clean_mod._CODE_CELL.fullmatch(cell):
                    pass  # the indicator's code column
                elif len(rows[-1]) >= 2 and not (
                    clean_mod._NUMBER_CELL.fullmatch(cell) or clean_mod._NO_VALUE.fullmatch(cell)
                ):
                    rows.append([cell])  # a label whose opening bar the copy lost
                else:
                    rows[-1].append(cell)
            else:
                break
            j += 1
        figures = any(clean_mod._NUMBER_CELL.fullmatch(c) for row in rows for c in row[1:])
        if len(rows) < 3 or not figures:
            out.append(lines[i])
            i += 1
            continue
        unit = ""
        for row in rows:
            has_figure = any(clean_mod._NUMBER_CELL.fullmatch(c) for c in row[2:])
            if len(row) > 2 and not row[1] and has_figure and unit:
                row[1] = unit
            elif len(row) > 1 and row[1] and not clean_mod._NUMBER_CELL.fullmatch(row[1]):
                unit = row[1]
            out.append("| " + " | ".join(row) + " |")
        i = j
    return out


LEAD_BAR_LINES = [
    "| 城市低保 |",
    "| 1 |",
    "户 |",
    "万元 |",
    "32 |",
    "12.5 |",
    "|",
    "甲村 |",
    "-- |",
    "说明文字",
    "JZH011110000 |",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(LEAD_BAR_LINES), max_size=14))
def test_lead_bar_rows_pass_over_a_run_that_is_no_table_as_the_plain_form_does(lines):
    assert clean_mod._join_lead_bar_rows(lines) == plain_join_lead_bar_rows(lines)


def test_subjects_remembered_in_a_document_are_the_ones_found_each_time():
    text = (
        "一、城市低保\n城市低保对象共有120户230人，城市低保对象共有120户230人。\n"
        "二、农村低保\n全县农村低保对象共有4500户8200人；全县农村低保对象共有4500户8200人。\n"
        "民政办配备专职工作人员3人，民政办配备专职工作人员3人。\n"
        "全县共有120户低保家庭，全县共有120户五保家庭。"
    )
    fast = extract_mod.extract_text(text, "d")
    with pytest.MonkeyPatch.context() as mp:  # the plain form: each subject found anew
        mp.setattr(
            extract_mod, "_subject_of", lambda _, before, after: extract_mod._subject(before, after)
        )
        assert extract_mod.extract_text(text, "d") == fast
    assert any(row["subject"] for row in fast)


def plain_after_phrase(after):
    after = classify_mod._LEAD_BRACKET.sub("", after)
    after = classify_mod._LEAD_DE.sub("", after)
    return classify_mod._PHRASE_END.split(after, maxsplit=1)[0][:14]


@settings(max_examples=500, deadline=None)
@given(texts([*BLANKS, *"(（)）的中,，人户a1", "(社区)", "的的", "居委会"], 8))
@example(" (社区)居委会")
@example("\u3000的物价补贴")
def test_the_phrase_after_a_number_is_the_plain_ones(after):
    assert classify_mod._after_phrase(after) == plain_after_phrase(after)


@settings(max_examples=500, deadline=None)
@given(
    texts([*"〔[【〕]】(（)）人x1 \t", "\u3000", "\u00a0", "\x1c"], 8),
    st.integers(0, 8),
    st.integers(0, 8),
)
@example("〔 2011 〕", 2, 6)
@example("[\u30002011\t]", 2, 6)
def test_brackets_around_a_number_are_found_as_the_plain_checks_find_them(text, start, length):
    start = min(start, len(text))
    end = min(start + length, len(text))
    plain = numbers_mod._after_opening(text, start) or numbers_mod._CLOSING.match(text, end)
    assert numbers_mod._in_brackets(text, start, end) == bool(plain)


def plain_headings(text):
    found = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0).strip()
        if (
            len(line) <= 30
            and extract_mod._HEADING.fullmatch(line)
            and not extract_mod._FIGURE.search(line)
        ):
            found.append((m.start(), line))
    return found


@settings(max_examples=400, deadline=None)
@given(texts([*"\n \t\u3000一、表3人", "（二）", "低保情况", "统计", "城市低保对象共有"], 14))
@example("一、农村低保\n\n  （二）统计表 \n\u3000\n3人")
def test_headings_are_found_as_the_plain_loop_finds_them(text):
    assert extract_mod._headings(text) == plain_headings(text)


def plain_last_programme(lead, kind):
    pattern, owner = classify_mod._any_cue_pattern(classify_mod.LEXICON)
    last = None
    for last in pattern.finditer(lead):  # noqa: B007
        pass
    return owner[last.group(1)].get(kind) if last else None


CUES = [cue for e in classify_mod.lexicon()["programmes"].values() for cue in e["cues"]]
CUE_PIECES = [*CUES, *[c[:k] for c in CUES for k in range(1, len(c))], *"，。人户中其"]


@settings(max_examples=600, deadline=None)
@given(texts(CUE_PIECES, 8), st.sampled_from(["persons", "households", "person_times"]))
@example("申请低保边缘", "persons")  # cues of two programmes overlapping
@example("特困难群众", "persons")
@example("临时救济对象", "households")
def test_the_last_programme_named_is_the_plain_loops(lead, kind):
    assert classify_mod._last_programme(lead, kind) == plain_last_programme(lead, kind)


@settings(max_examples=400, deadline=None)
@given(texts([*"。！？!?；;，,\n 中人", "低保", "其中"], 12))
@example("一。二；三")
@example("")
@example("。")
def test_the_sentence_lead_is_what_the_plain_split_gives(lead):
    assert classify_mod._sentence_lead(lead) == classify_mod._SENTENCE_END.split(lead)[-1]
