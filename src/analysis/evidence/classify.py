"""Classifying quantities into the indicator taxonomy from the words around them.

The context of a quantity is its *segment*: the words between the previous
quantity (or the clause start) and this one, plus the noun phrase right after
its unit (up to 中/的/，). Rules are tried in order; the first that matches
gives the indicator, and anything else is ``other``. Some rules look at the
whole sentence (e.g. office area, tenure), and a share (占50%) right after a
staff sub-group count takes that count's indicator.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..errors import InputFileError
from ..safeyaml import YamlRefused, load_text

__all__ = [
    "INDICATORS",
    "LEXICON",
    "classify",
    "explain",
    "lexicon",
    "load_lexicon",
    "rate_period",
]

#: The cue words of the indicators, as data (see the file's comments).
LEXICON = Path(__file__).with_name("lexicon.yml")

INDICATORS = (
    "staff_total",
    "staff_fulltime",
    "staff_parttime",
    "staff_established",
    "staff_tenure",
    "staff_norm",
    "functions_count",
    "population",
    "dibao_households",
    "dibao_persons",
    "tekun_persons",
    "temp_assistance",
    "youfu_persons",
    "poor_persons",
    "fund_share",
    "fund_amount",
    "training",
    "office_area",
    "units_count",
    "assistance_standard",
    "subsidy_level",
    "other",
)

_KINDS = ("persons", "households", "person_times")
RATES = frozenset({"assistance_standard", "subsidy_level"})
DIVISIONS = frozenset({"街道", "乡", "镇", "区", "县"})


def lexicon() -> dict:
    """Return the lexicon of :data:`LEXICON` (read once per file).

    Returns
    -------
    dict
        See :func:`load_lexicon`.
    """
    return load_lexicon(LEXICON)


@cache
def load_lexicon(path: Path) -> dict:
    """Read and check a lexicon file: programmes, money words, rate words.

    Parameters
    ----------
    path : Path
        The YAML file.

    Returns
    -------
    dict
        ``programmes`` (name -> cues and the indicator per kind of count),
        ``money`` (words), ``rates`` (``month``, ``year``, ``standard``, ``subsidy`` words).

    Raises
    ------
    InputFileError
        When the file cannot be read or a key is missing or of the wrong kind,
        naming the key.
    """
    try:
        data = load_text(path.read_text(encoding="utf-8"), 1 << 20, "lexicon files")
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    except YamlRefused as exc:
        raise InputFileError(str(path), str(exc)) from None

    def words(value, where: str) -> list[str]:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(w, str) and w.strip() for w in value)
        ):
            raise InputFileError(str(path), f"{where}: expected a list of words")
        return [w.strip() for w in value]

    if not isinstance(data, dict):
        raise InputFileError(str(path), "expected keys programmes, money and rates")
    programmes = data.get("programmes")
    if not isinstance(programmes, dict) or not programmes:
        raise InputFileError(str(path), "programmes: expected a mapping of programmes")
    checked = {}
    for name, entry in programmes.items():
        if not isinstance(entry, dict):
            raise InputFileError(str(path), f"programmes.{name}: expected cues and indicators")
        item = {"cues": words(entry.get("cues"), f"programmes.{name}.cues")}
        for kind in _KINDS:
            ind = entry.get(kind)
            if ind is not None and ind not in INDICATORS:
                raise InputFileError(
                    str(path), f"programmes.{name}.{kind}: {ind!r} is not an indicator"
                )
            item[kind] = ind
        unknown = set(entry) - {"cues", *_KINDS}
        if unknown:
            raise InputFileError(
                str(path), f"programmes.{name}: unknown key {sorted(unknown)[0]!r}"
            )
        checked[name] = item
    rates = data.get("rates")
    if not isinstance(rates, dict):
        raise InputFileError(str(path), "rates: expected month, year, standard and subsidy")
    return {
        "programmes": checked,
        "parts": words(data.get("parts"), "parts"),
        "assist_verbs": words(data.get("assist_verbs"), "assist_verbs"),
        "money": words(data.get("money"), "money"),
        "rates": {
            k: words(rates.get(k), f"rates.{k}") for k in ("month", "year", "standard", "subsidy")
        },
    }


_CONNECTORS = sorted(
    [
        "、",
        "，",
        ",",
        "和",
        "及",
        "与",
        "共计",
        "共",
        "计",
        "累计保障",
        "累计救助",
        "累计",
        "合计",
        "其中",
        "新增",
        "退出",
        "取消",
        "增补",
        "降补",
        "提标",
        "降标",
        "停保",
        "自然减员",
        "减员",
        "减少",
        "增加到",
        "增加至",
        "扩大到",
        "扩大至",
        "减少到",
        "减少至",
        "上升到",
        "下降到",
        "增加",
        "调出",
        "调入",
        "调进",
        "纳入",
        "比去年同期",
        "比上年同期",
        "较去年同期",
        "较上年同期",
        "比去年",
        "比上年",
        "较去年",
        "较上年",
        "同比",
        "分别为",
        "分别",
        "达到",
        "达",
        "为",
        "有",
        "保障",
        "救助",
        "人数",
        "户数",
        "(",
        ")",
        "（",
        "）",
    ],
    key=len,
    reverse=True,
)


@cache
def _linking_words(path: Path) -> dict[str, tuple[tuple[int, str], ...]]:
    """Return the connectors, then the part words of the lexicon at ``path``, by first character.

    Returns
    -------
    dict
        First character -> ``(rank, word)`` of each word starting with it. Removing
        the words in order of rank (the connectors, then the part words longest first)
        is what :func:`_without_linking_words` does after its ``first`` words.
    """
    words = (*_CONNECTORS, *sorted(load_lexicon(path)["parts"], key=len, reverse=True))
    index: dict[str, list[tuple[int, str]]] = {}
    for rank, word in enumerate(words):
        index.setdefault(word[0], []).append((rank, word))
    return {first: tuple(ranked) for first, ranked in index.items()}


@cache
def _cue_patterns(path: Path) -> tuple[tuple[re.Pattern, dict], ...]:
    """Return one pattern per programme of the lexicon at ``path``, matching any of its cues.

    Returns
    -------
    tuple of (re.Pattern, dict)
        The pattern and the programme's entry, in the lexicon's order.
    """
    return tuple(
        (re.compile("|".join(map(re.escape, entry["cues"]))), entry)
        for entry in load_lexicon(path)["programmes"].values()
    )


@cache
def _any_cue(path: Path) -> re.Pattern:
    """Return a pattern matching any cue of any programme of the lexicon at ``path``.

    Words without one name no programme: :func:`programme` then needs one search, not one
    per programme (the search skips to the cues' first characters).

    Returns
    -------
    re.Pattern
    """
    cues = (cue for entry in load_lexicon(path)["programmes"].values() for cue in entry["cues"])
    return re.compile("|".join(map(re.escape, cues)))


_NOT_LINKING = re.compile(r"[\sA-Za-z0-9.]+")


def carried(prev, kind: str) -> str | None:
    """Return the programme indicator a count inherits from the previous count, or None.

    In ``城市低保新增276户462人，退出374户714人`` the counts after 退出 name no
    programme; they belong to the one named before them, since only connecting
    words (、 共 其中 新增 退出 累计 …) lie between.

    Parameters
    ----------
    prev : (indicator, unit, between) or None
        The previous quantity of the sentence.
    kind : str
        ``persons``, ``households`` or ``person_times``.

    Returns
    -------
    str or None
    """
    if prev is None or prev[0] == "other":
        return None
    if _without_linking_words(_NOT_LINKING.sub("", prev[2])):
        return None
    entry = _programme_of(prev[0])
    if entry is None:
        return None
    if kind == "person_times" and prev[1] in {"人次", "户次"}:
        return prev[0]  # 救济91934户次,407875人次: relief counted the same way
    return entry[kind]


def _programme_of(indicator: str) -> dict | None:
    # the lexicon's first programme that labels its counts with ``indicator``
    for entry in lexicon()["programmes"].values():
        if indicator in {entry[k] for k in _KINDS}:
            return entry
    return None


_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道|社区|村)")
_SPACE_OR_BAR = re.compile(r"[\s|]")


def _without_linking_words(text: str, first: list[str] | None = None) -> str:
    """Return ``text`` without the words ``first``, the connectors and the part words.

    Returns
    -------
    str
        What is left: empty when the text only links a count to the one before it.
    """
    for word in first or ():
        text = text.replace(word, "")
    # Only a word whose first character is in the text can be in it, now or once other
    # words are gone (removing one adds no character): those are removed, in order.
    index = _linking_words(LEXICON)
    for _, word in sorted(ranked for c in set(text) for ranked in index.get(c, ())):
        text = text.replace(word, "")
    return text


def _place_only(local: str) -> bool:
    rest = _without_linking_words(_PLACE.sub("", _SPACE_OR_BAR.sub("", local)))
    return not rest and bool(_PLACE.search(local))


def named_earlier(lead: str, local: str, kind: str) -> str | None:
    """Return the programme indicator of the last programme named in ``lead``, or None.

    Used for a count whose own words have an assistance verb but no programme
    (``发放城市低保金301.6万元，累计保障16813人次``: the sentence's last programme),
    or name only a place (``临时救助24户77人。其中保华镇2户10人；大河镇8户17人``: the
    paragraph's last programme).

    Parameters
    ----------
    lead : str
        The paragraph up to the number.
    local : str
        The count's own words.
    kind : str
        ``persons``, ``households`` or ``person_times``.

    Returns
    -------
    str or None
    """
    lex = lexicon()
    scoped = _in_scope(lead, kind)
    if scoped and not STAFF.search(local):
        return scoped  # 现有低保户中: a类家庭65户 … 残疾人家庭41户99人: its categories
    if _any(lex["assist_verbs"], local):
        # a verb: the programme named last in the sentence, else earlier in the paragraph
        found = _last_programme(_sentence_lead(lead), kind)
        return found or (_last_programme(lead, kind) if _bare(local) else None)
    if _place_only(local) or _bare(local):
        # 其中保华镇2户10人, 二档(部分丧失生活自理能力)人数213人: named earlier in the paragraph
        return _last_programme(lead, kind)
    return None


def _in_scope(lead: str, kind: str) -> str | None:
    """Return the programme whose recipients the paragraph breaks down (低保户中: …), or None.

    ``现有低保户中: a类家庭65户 …, 其中: 残疾人家庭41户99人`` counts categories of 低保
    households: every later count of the paragraph that names no programme of its own is
    one of them.

    Returns
    -------
    str or None
    """
    if "中" not in lead:
        return None
    # the markers 中: from the last back, the first after a programme's name (其中, is none)
    for at in reversed([m.start() for m in _SCOPE_MARK.finditer(lead)]):
        named = _scope_pattern(LEXICON).search(lead, max(0, at - 16), at)
        if named:
            return _any_cue_pattern(LEXICON)[1][named.group(1)].get(kind)
    return None


# 低保户1386户2385人，其中常补45户、非常补1329户; 对129户低保新申报人员进行听证，其中33户
# 未能通过: the parts after 其中, named by a few words or none, are of the total before.
_PART_AFTER_TOTAL = re.compile(
    r"[^。；;]{0,30}?[,，]\s*其中\s*[:：]?\s*[\u4e00-\u9fff]{0,4}\s*|\s*、\s*[\u4e00-\u9fff]{1,4}\s*"
)


def _part_of_total(prev, lead: str, kind: str) -> str | None:
    """Return the programme of a total that a count after 其中 is a part of, or None.

    Returns
    -------
    str or None
    """
    if prev is None or prev[0] not in _PROGRAMME_COUNTS or not _PART_AFTER_TOTAL.fullmatch(prev[2]):
        return None
    if re.search(r"人口|居民|常住|户籍", prev[2][-8:]):
        return None  # 其中农业人口32000人: the population, not a part of the recipients
    if "其中" not in prev[2] and "其中" not in _sentence_lead(lead[-40:]):
        return None  # 、 continues a list of parts only after 其中
    entry = _programme_of(prev[0])
    return entry[kind] if entry is not None and entry[kind] != "other" else None


_INSURED = re.compile(r"保险|参保|医保|参加新型农村合作医疗|参加合作医疗|参加新农合")
_ESTABLISHMENT_SCOPE = re.compile(r"编制(?:中|情况)\s*[,，:：]|核定编制|编制核定|核定\s*$")
_RAISED_TO = re.compile(
    r"\s*(?:提高到|提高至|增加到|增加至|增长到|增至|上升到|上升至|扩大到|减少到|减少至|下降到|下降至|降至)"
    r"\s*(?:\d{4}年(?:底|末)?|今年|去年|目前|现在)?的?\s*"
)
_BREAKDOWN = re.compile(r"\s*其中\s*[:：]")


def _breakdown_of_total(lead: str, kind: str) -> str | None:
    """Return the programme a sentence opening with 其中: breaks down, or None.

    ``季度末城市低保对象28482户40847人。其中：女性19976人，残疾人3649人，三无人员646人``:
    the sentence before counts 低保 (or 特困) recipients and ends the count; every count of
    the breakdown is one of them, whatever group it names.

    Returns
    -------
    str or None
    """
    sentence = _sentence_lead(lead)
    if not _BREAKDOWN.match(sentence):
        return None
    before = lead[: len(lead) - len(sentence)].rstrip()
    prior = _sentence_lead(before[:-1][-120:])  # the sentence before, without its stop
    if not re.search(r"\d\s*万?人", prior):
        return None
    found = _last_programme(prior, kind)
    return found if found in {"dibao_persons", "dibao_households", "tekun_persons"} else None


# (中 first, the check of 其 after it, so that a search skips to 中 at once)
_SCOPE_MARK = re.compile(r"中(?<!其中)\s*[:：,，]")


@cache
def _scope_pattern(path: Path) -> re.Pattern:
    # a programme's recipients right before a marker 中: (低保户中: 在特困供养人员中,)
    cues = sorted(_any_cue_pattern(path)[1], key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, cues)) + r")(?:户|对象|人员|家庭|群众){0,2}$")


_TOWNSHIP_OF = re.compile(r"^(?:全|我)[镇乡县市区省]")


def under_heading(heading: str, local: str, kind: str) -> str | None:
    """Return the programme of a section's heading for a count that names none, or None.

    ``一、农村低保`` then ``全镇保障户数1200户``: a count whose own words are only a verb, a
    time or 户数 (see :func:`_bare`) belongs to the programme its section is about.

    Returns
    -------
    str or None
    """
    words = _TOWNSHIP_OF.sub("", local)  # 全镇保障户数
    if not heading or not _bare(words) or not _COUNTED_AS.search(words):
        return None  # 共有8820户3.8万人 under 一、农村特困户现状 is the township, not its poor
    return _last_programme(heading, kind)


# Pay of the workers themselves (the annotators count it as money spent, not as a standard)
_PAY = re.compile(r"工资|报酬|薪酬|奖金|绩效|职务年限补贴|职业水平补贴|职称补贴|岗位补贴")
_WORKERS = re.compile(r"社区工作者|工作人员|协理员|社工|网格员|专干")


_AVERAGE = re.compile(r"平均(?!年龄|工龄|年限|学历)")


def _per_head(before: str, noun: str) -> bool:
    """Tell whether a count is a per-capita statement (平均每个乡镇1.5人, 一名工作人员平均要联系…).

    An average of an attribute after the count (社工349人平均年龄38岁) does not make it one.

    Returns
    -------
    bool
    """
    return "平均" in before or bool(_AVERAGE.search(noun))


# Households given relief that names no programme (需衣被救助952户, 为74.26万户发放取暖
# 救助金) are poor households, as the annotators read them (not 救助一户，影响千家, a slogan).
_RELIEVED = re.compile(r"救助|救济|帮扶|慰问|扶持|帮助")
# Persons given relief: 救济 alone, or relief, visits or help given to people in hardship
# (救助困难劳模300名); 救助 alone also names the staff who give it (社会救助经办人员).
_RELIEF_OF_POOR = re.compile(r"救济|(?:救助|慰问|帮扶)困难|各类救助对象")
# The words that make a bare count one of a section's programme: 保障户数, 在册人员, 享受 …
_COUNTED_AS = re.compile(r"户数|人数|人员|对象|在册|保障|救助|供养|纳入|享受|救济")


_WHEN = re.compile(
    r"第?[一二三四1-4]季度|[上下]半年|全年|本月|当月|截至|截止|\d+(?:年|月)份?|[0-9xX]+年|人员|对象|"
    r"人数|户数|[一二三四五六]档|共|计|从|到|的|现在|目前|在册|现有|实有"
)


_NOT_WORDS = re.compile(r"[\s|:：]|[(（][^()（）]*[)）]")


def _bare(local: str) -> bool:
    """Tell whether a count's words are only a verb, a time, a part and 人员 (第三季度享受人员).

    Such a count belongs to the programme its paragraph is about; one that names a group
    of its own (孤儿累计保障, 医疗救助) does not.

    Returns
    -------
    bool
    """
    words = _NOT_WORDS.sub("", local)
    if not words:
        return False  # nothing before the number: it follows another figure, not a label
    return not _without_linking_words(_WHEN.sub("", words), lexicon()["assist_verbs"])


_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _sentence_lead(lead: str) -> str:
    # the part of a paragraph's lead that is in the number's own sentence: after its last
    # stop, found first in the lead reversed (not by cutting the whole lead at every stop)
    last = _SENTENCE_END.search(lead[::-1])
    return lead[len(lead) - last.start() :] if last else lead


def _last_programme(lead: str, kind: str) -> str | None:
    # The programme whose cue starts last in ``lead`` (at one place, the one listed first).
    # (Each start is found by a search for any cue from the character after the one before:
    # the search skips to the cues' first characters, which one finding every start with a
    # look-ahead cannot; at one place both report the cue listed first.)
    pattern, owner = _any_cue(LEXICON), _any_cue_pattern(LEXICON)[1]
    last = None
    pos = 0
    while (found := pattern.search(lead, pos)) is not None:
        last, pos = found, found.start() + 1
    return owner[last.group()].get(kind) if last else None


@cache
def _any_cue_pattern(path: Path) -> tuple[re.Pattern, dict[str, dict]]:
    """Return a pattern finding every start of a cue of the lexicon at ``path``, and cue -> entry.

    At each place the pattern tries the programmes' cues in the lexicon's order, so the
    cue it reports there is that of the first programme with one starting there.

    Returns
    -------
    (re.Pattern, dict)
    """
    owner: dict[str, dict] = {}
    for entry in load_lexicon(path)["programmes"].values():
        for cue in entry["cues"]:
            owner.setdefault(cue, entry)  # in the lexicon's order, as the pattern tries them
    return re.compile("(?=(" + "|".join(map(re.escape, owner)) + "))"), owner


_LISTED = re.compile(r"[、和及与]")
_TOTALLED = re.compile(r"共计|合计|总计|共有|共")


def _combined(local: str) -> bool:
    """Tell whether a count totals two programmes named together (低保、五保对象共计N人).

    Returns
    -------
    bool
    """
    if not _LISTED.search(local) or not _TOTALLED.search(local):
        return False
    named = {
        entry["persons"]
        for entry in lexicon()["programmes"].values()
        if entry.get("persons") not in {None, "other", "poor_persons"}
        and any(cue in local for cue in entry["cues"])
    }
    return len(named) >= 2


def _described(after: str, kind: str) -> str | None:
    # the group named after a 的 right after the count: 33名丧失生活自理能力的城市特困人员
    described = _DESCRIBED_END.split(after, maxsplit=1)[0][:20]
    return programme(described, kind) if "的" in described else None


def named_after(after: str) -> str | None:
    """Return the persons' indicator of the programme named right after a count of persons.

    ``530人享受分类救助`` names it; ``530人，`` does not.

    Returns
    -------
    str or None
    """
    return programme(_after_phrase(after), "persons") if after[:1].strip() else None


def programme(local: str, kind: str) -> str | None:
    """Return the indicator of a count of ``kind`` whose words name a programme, or None.

    Returns
    -------
    str or None
    """
    if _any_cue(LEXICON).search(local) is None:
        return None  # no cue of any programme (most words): one search says so
    for cues, entry in _cue_patterns(LEXICON):
        if cues.search(local):
            return entry[kind]
    return None


def _any(words: list[str], text: str) -> bool:
    # any(w in text for w in words), without making a generator at each call
    for w in words:
        if w in text:
            return True
    return False


_PER_PERIOD = re.compile(r"\s*(?:/|每)\s*(?:人|户)?\s*[·.•/、]?\s*(?:每)?\s*([月年])")
_UNIT_PERIOD = re.compile(r"元\s*/\s*(?:人|户)?\s*[·.•/、]?\s*([月年])\s*$")


def rate_period(before: str, after: str) -> str:
    """Return 月 or 年 when an amount in 元 is a rate per person and period, else "".

    Parameters
    ----------
    before : str
        The words before the number in its clause.
    after : str
        The text right after the unit (``/人·月``, ``/年`` …).

    Returns
    -------
    str
    """
    m = _PER_PERIOD.match(after)
    if m:
        return m.group(1)
    m = _UNIT_PERIOD.search(before)
    if m:  # a table row's label that ends with its unit: 平均标准 元/人·月
        return m.group(1)
    rates = lexicon()["rates"]
    if _any(rates["month"], before):
        return "月"
    if _any(rates["year"], before):
        return "年"
    return ""


_PROGRAMME_COUNTS = frozenset(
    {
        "dibao_households",
        "dibao_persons",
        "tekun_persons",
        "temp_assistance",
        "poor_persons",
        "youfu_persons",
    }
)

PERSON = {"人"}
STAFF = re.compile(
    r"民政(?:工作)?(?:人员|助理员?|员|专干|干部|干事|协理员|所长|站长)|工作人员|助理员|专干|站长|"
    r"监督员|联络员|信息员|协理员|社工|社会工作(?:专业人才|者|从业人员)|工作师|干部职工|经办人员|核对人员|配备(?:了)?人员|在编|编制|专职|兼职|兼有|兼任|"
    r"民政办|民政所|民政站|工作站|社区干部|(?<=有)干部|社区工作者|编外人员|从业人员|在职人员|职工人数|职工数"
)
_STAFF_HEAD = re.compile(rf"(?:{STAFF.pattern})$")
_NOUN_HEAD = re.compile(r"[^等的、和及与,，;；。]{1,12}")


def _staff_head(noun: str) -> bool:
    """Tell whether the noun after a count ends in a staff word (117名救助管理信息员等).

    Returns
    -------
    bool
    """
    head = _NOUN_HEAD.match(noun)
    return head is not None and _STAFF_HEAD.search(head.group()) is not None


NORM = re.compile(
    r"定编|编制标准|配备标准|按标准|标准配备|应(?:当)?配备|配齐|不少于|至少|不低于|建议|要求|确保|原则上|"
    r"不超过|不得超过|每个[^，,。；;]{0,12}配备"
)
#: Amounts that are not funds: sales, incomes, output.
NOT_FUNDS = r"销售|收入|创收|产值|生产总值|GDP|利润|营业|价值|消费"
TENURE_SENTENCE = re.compile(r"从事民政工作|民政工作年限|工作年限|任职|连续工作|从事.{0,6}工作")
FUND_SHARE = re.compile(
    r"向上争取|上级|中央|省级|省里|地方财政|本级财政|县级财政|财政投入|社会投入|社会捐赠|"
    r"社会力量|资金|投入|经费|配套|救助金|总额|财政支出|事业费"
)
TRAINING = re.compile(r"培训|参训|受训|轮训|培训班")
OFFICE = re.compile(r"办公|用房|场所|阵地|服务中心|服务站|活动室|站所|会议室|救助站|救助管理站")
# The words for units: kinds of body and place (named anywhere), and the one-character
# divisions (县, 区, 办 …: only as the first word after a count, 12个县).
_UNIT_PREFIX = r"(?:(?:城市|农村|城镇|农业)(?=社区|村|街道|行政村|合作小组))?"
_UNIT_KINDS = (
    r"乡镇|乡|镇|街道|社区|村|行政村|居委会|村委会|民政所|民政办公室|"
    r"民政办|民政站|工作站|社工站|社工中心|敬老院|儿童福利院|福利院|光荣院|救助管理站|救助站|股室|科室|内设机构|"
    r"养老院|服务中心|服务站|中心|机构|单位|区划|办事处|居民小组|村民小组|社会组织|社会团体|基金会|"
    r"居民委员会|村民委员会|合作小组|居民组|自治组织|服务组织|服务网点|网点|服务设施|养老设施|设施|代养点|庇护点|"
    r"登记处|福利企业|家园|点位|建设项目|项目|省份"
)
_UNIT_DIVISIONS = r"县|区|市|省|办"
UNITS_NOUN = re.compile(rf"^{_UNIT_PREFIX}(?:{_UNIT_KINDS}|{_UNIT_DIVISIONS})")

# 乡镇级区划总数为40828个, 全县共有乡镇12个: the unit noun before the number
UNITS_TAIL = re.compile(
    rf"{_UNIT_PREFIX}(?:{_UNIT_KINDS}|{_UNIT_DIVISIONS})(?:总数|数)?(?:共有|共|为|是|达|有)?$"
)
# Homes built, begun or finished (开工122所, 竣工4所, 重建6所, 计划目标数122所): the kind of
# unit is named earlier in the sentence.
_BUILT = re.compile(r"(?:开工|竣工|完工|重建|新建|建成|改造|改扩建|维修|目标数|计划数)\s*$")
UNITS_ANYWHERE = re.compile(rf"{_UNIT_PREFIX}(?:{_UNIT_KINDS})")
# The last word of a table row that names a kind of institution (counted in 个 or 家).
_INSTITUTION = re.compile(r"(?:院|所|站|企业|团体|协会|组织|医院|公墓|殡仪馆|单位|机构|中心)$")
# 5000余家社会工作服务机构: a kind of unit named before its word for units.
_UNITS_NAMED = re.compile(
    r"[\u4e00-\u9fff]{1,6}(?:机构|服务中心|服务站|社工站|工作室|县)|[\u4e00-\u9fff]{0,6}事业单位"
    r"|[\u4e00-\u9fff]{1,12}(?:敬老院|福利院|养老院)"
)
# 比上年减少68个 right after a count of units: the change is a count of the same units.
_KIND_OF = re.compile(r"\s*[()（）]?\s*[(（,，、]\s*(?:其中)?[:：]?\s*[\u4e00-\u9fff]{1,5}\s*")
_CHANGE = re.compile(
    r"\s*[()（）]?\s*[,，、]?\s*(?:比上年|较上年|同比|比去年|较去年)?(?:减少|增加|新增|净增|净减)了?\s*"
)


# 新建的村级服务站共219个，已进驻的有30个，正在装修的187个: a part of the units before,
# named by what is said of it (…的), with no noun after 个.
_PART_OF_UNITS = re.compile(r"\s*[,，、;；]\s*[^，,。;；:：\d]{0,30}?的(?:有|为|是|共有)?\s*")


_LEAD_BRACKET = re.compile(r"^\s*[(（][^()（）]{0,8}[)）]")
_LEAD_DE = re.compile(r"^\s*的")
_LEAD_FIRST = frozenset("(（的")
_PHRASE_END = re.compile(r"中|的|,|，|;|；|。|：|:|（|\(|其中")  # (words: see extract._NOUN_END)


def _after_phrase(after: str) -> str:
    # (both patterns need a blank, a bracket or 的 first: most words start with neither)
    if after[:1] in _LEAD_FIRST or after[:1].isspace():
        after = _LEAD_BRACKET.sub("", after)  # 15个(社区)居委会
        after = _LEAD_DE.sub("", after)  # 每人每月15元的物价补贴
    return _PHRASE_END.split(after, maxsplit=1)[0][:14]


_HOUSEHOLDS_NOUN = re.compile(r"[\u4e00-\u9fff]{0,8}户")
_BRACKETED = re.compile(r"[(（][^()（）]{0,8}[)）]")
_TRAILING_BRACKET = re.compile(r"[(（][^()（）]{0,6}[)）]\s*$")
_YEAR_COLUMN = re.compile(r"\d{4}年[底末]?")
_SIZE_BEFORE = re.compile(r"(?:成员|家庭人口|家庭人数)为?\s*$")
_GROUP_OF = re.compile(r"一(?:组|队|班)")
_DESCRIBED_END = re.compile(r"[中,，;；。：:（(]|其中|发放|享受|领取")
_INSURED_WITH_HELP = re.compile(
    r"资助[^，,。；;]{0,14}参加[^，,。；;]{0,10}(?:保险|新农合|合作医疗)|资助参保|代缴"
)
_BRACKET_PART = re.compile(r"\s*[(（]\s*(?:其中)?[:：]?[^()（）,，。;；\d]{0,8}")
# People a home took in (收养397人, 收养孤老残423人): 特困 people in care.
_TAKEN_IN = re.compile(r"收养(?:孤老|孤寡|老人|孤老残)?[^，,。；;\d]{0,2}$")
_POSTS_NAMED = re.compile(r"(?:财政|行政|事业|全额拨款|参公|公务员)?编制")
_DUTY_LIST = re.compile(r"(?:事务|事项|职责|职能|权力|服务)清单")
_AFFECTED = re.compile(r"受灾|灾民|困难|转移|安置|服务对象")


def classify(
    unit: str,
    before: str,
    after: str,
    sentence: str,
    prev: tuple[str, str, str] | None,
    paragraph: str = "",
    value: float = 0.0,
    table: bool = False,
    lead: str = "",
    heading: str = "",
) -> str:
    """Return the indicator of a quantity.

    Parameters
    ----------
    unit : str
        Normalised unit (人, 户, 人次, 项, 平方米, %, 万元, …).
    before : str
        Text between the previous quantity (or clause start) and the number.
    after : str
        Text from the unit to the next quantity or clause end.
    sentence : str
        The whole sentence.
    paragraph : str
        The whole paragraph (line), for rules that need a wider view (tenure).
    value : float
        The number (after 万/亿), to tell populations from head-counts.
    prev : (indicator, unit, between) or None
        The previous quantity in the sentence and the text between it and this one.
    table : bool
        The quantity is a cell of a table row and ``before`` is the row's label.
    lead : str
        The paragraph up to the number (for a programme named earlier in it).
    heading : str
        The heading of the number's section (一、农村低保, 各街道低保数据一览表), if any.

    Returns
    -------
    str
        One of :data:`INDICATORS`.
    """
    noun = _after_phrase(after)
    local = before + "|" + noun
    paragraph = paragraph or sentence
    if unit in {"平方米", "方米", "平米"}:  # 方米: 平方米 with its first character lost
        return "office_area" if OFFICE.search(sentence) else "other"
    if unit == "%":
        return _share(local, sentence, prev)
    if unit in {"元", "万元", "亿元"}:
        return _money(unit, before, after, local, prev, table, sentence, lead)
    if unit in {"人次", "户次"}:
        if _MEDICAL.search(local):
            return "poor_persons"  # 城乡医疗救助70258人次，临时救助5629人次: medical aid's own
        if "临时救助" in sentence and "救助" in local:
            return "temp_assistance"
        if prev is not None and prev[0] == "fund_amount" and not prev[2].strip():
            # 累计发放资金357.56万元18299人次: the people the fund paid, of the sentence's programme
            found = _last_programme(_sentence_lead(lead), "person_times")
            if found:
                return _dibao_times(found, unit)
        found = (
            programme(local, "person_times")
            or carried(prev, "person_times")
            or named_earlier(lead, local, "person_times")
            or under_heading(heading, local, "person_times")
        )
        if found:
            return _dibao_times(found, unit)
        if _RELIEVED.search(local) and re.search(r"(?:居民|群众|人口)\s*$", before) and value > 1:
            return "poor_persons"  # 累计救助城市居民2077万人次: relief of residents
        if _RELIEVED.search(local) and _bare(local) and value > 1:
            # 救济91934户次: relief given to no group named (困境儿童累计救助 names one)
            return "poor_persons"
        return "training" if TRAINING.search(local) else "other"
    if unit == "项":
        if re.search(r"职能|职责|业务|工作|任务|事项", local):
            return "functions_count"
        # 民政事务清单规定的事项，其中乡镇32项，村级28项: the items of a list of duties
        return "functions_count" if _DUTY_LIST.search(sentence) else "other"
    if unit == "年":
        duration = re.match(r"(?:以下|以上|以内)?的", after) or re.search(
            r"(?:工作|任职|从事民政工作|不满|不足|满|超过|连续工作|至)$", before
        )
        if (
            duration
            and TENURE_SENTENCE.search(paragraph)
            and not re.search(r"年度|规划|计划|期间", noun)
        ):
            return "staff_tenure"
        return "other"
    if unit in {"人天"}:
        return "training" if "培训" in sentence else "other"
    if unit in DIVISIONS:
        return "units_count"  # 辖4镇9乡 (numbers.py reads these only as counts of divisions)
    if unit == "个" and STAFF.match(noun) and not UNITS_NOUN.match(noun):  # 个社工站: units
        return _person(local, before, noun, sentence, prev)  # 一个民政助理员
    if unit == "个" and _HOUSEHOLDS_NOUN.match(noun):
        found = programme(noun, "households")  # 13664个城乡低保户, 35个五保分散供养户
        if found:
            return found
    if (
        unit == "个"
        and POSTS_AFTER.match(noun)
        and (NORM.search(sentence) or re.search(r"按|标准", sentence))
    ):
        return "staff_norm"  # 3万人以下的乡镇设1个岗位 (按…的标准): posts a rule sets
    if unit == "个" and POSTS_BEFORE.search(before):
        return "staff_established"  # 全局共有编制76个, 事业编制58个: posts, not units
    if unit in {"个", "所", "家", "处", "座"}:  # 乡镇中心敬老院11座
        named = _BRACKETED.sub("", after)  # 社会办(公建民营)养老机构
        units = (
            UNITS_NOUN.match(noun)
            or _UNITS_NAMED.match(named)
            or UNITS_TAIL.search(
                _TRAILING_BRACKET.sub("", before)  # 民政所(办)157个
            )
        )
        if not units and _BUILT.search(before):
            # 敬老院计划目标数122所，开工122所，竣工115所: the homes of the clause, built
            units = UNITS_ANYWHERE.search(_sentence_lead(lead[-60:]))
        if table and not units:
            # a row's label: its own last word names the units (乡镇级合计; a year column such
            # as 街道 2001年 is not a word of it), or counts the units its section names
            # (社会福利院 个数); 社会福利院 床位 counts beds
            words = [w for w in before.split() if not _YEAR_COLUMN.fullmatch(w)] or [""]
            units = (
                re.search(UNITS_NOUN.pattern[1:], words[-1])
                or (
                    re.fullmatch(r"个数|数量|总数|数|合计|小计", words[-1])
                    and re.search(UNITS_NOUN.pattern[1:], before)
                )
                or _INSTITUTION.search(words[-1])  # 荣誉军人康复医院, 社会福利企业, 干休所
            )
        if prev is not None and prev[0] == "units_count" and prev[1] == unit:
            # 比上年减少68个; 养老机构22家(公办7家,社会办6家,公建民营9家): the same units
            units = (
                units
                or _CHANGE.fullmatch(prev[2])
                or _KIND_OF.fullmatch(prev[2])
                or (not noun and _PART_OF_UNITS.fullmatch(prev[2]))
            )
        return "units_count" if units else "other"
    if _per_head(before, noun) and unit in {"户", "人"}:
        return "other"  # a per-capita statement, not a count
    if unit == "户":
        return (
            _in_scope(_sentence_lead(lead), "households")  # 低保户中: 三无人员7户
            or _last_year(lead, "households")
            # 354户受灾低保户、困难户和81户受灾五保户: the group right after a count is its own
            or (programme(noun, "households") if after[:1].strip() else None)
            or programme(local, "households")
            or _described(after, "households")  # 43户因灾不能过冬群众的临时救助
            or _part_of_total(prev, lead, "households")
            or carried(prev, "households")
            or named_earlier(lead, local, "households")
            or under_heading(heading, local, "households")
            or ("poor_persons" if _RELIEVED.search(local) and value > 1 else "other")
        )
    if unit in PERSON and (_SIZE_BEFORE.search(before) or _GROUP_OF.match(after)):
        # 共同生活成员为2-3人的低保户, 分为4人一组: the size of a household or a group
        return "other"
    if (
        unit in PERSON
        and _ESTABLISHMENT_SCOPE.search(_sentence_lead(lead[-80:]))
        and not programme(local, "persons")
    ):
        return "staff_established"  # 人员编制中，市殡仪馆核定11人、市社会福利院5人: posts approved
    if unit in PERSON and _POSTS_NAMED.match(after) and not NORM.search(before):
        return "staff_established"  # 编办核定了115名财政编制: posts approved, not a rule
    if unit in PERSON and _IN_ESTABLISHMENT.search(lead[-120:]):
        # 行政编制18个(包含局长1名、副局长2名), 编制10个,其中主任1名: posts inside it
        return "staff_established"
    if (
        unit in PERSON
        and _INSURED.search(local)
        and not re.search(r"资助|代缴|救助", _sentence_lead(lead[-80:]) + local)
    ):
        return "other"  # 基本医疗保险参保人数598346人, 参加养老保险职工人数: insured, not relieved
    if unit in PERSON:
        if prev is not None and prev[1] == "户" and re.fullmatch(r"\s*[、,，和及]?\s*", prev[2]):
            own = named_after(after)  # 517户530人享受分类救助: the pair is of what follows it
            if own:
                return own
        paired = _paired(prev)
        if paired:
            return paired
        last_year = _last_year(lead, "persons")
        if last_year:
            return last_year
        if (
            prev is not None
            and prev[0] in _PROGRAMME_COUNTS
            and prev[1] == unit
            and _RAISED_TO.fullmatch(prev[2])
        ):
            return prev[0]  # 低保人数由2009年的5900人提高到2012年的7905人: the same count later
        if _combined(local):
            return "poor_persons"  # 低保、五保对象共计177940人: a total over programmes
        if _INSURED_WITH_HELP.search(local):
            return "poor_persons"  # 资助城乡低保对象参加城镇居民医疗保险2.47万人: medical aid
        if (
            prev is not None
            and prev[0] in _PROGRAMME_COUNTS
            and prev[1] == unit
            and _BRACKET_PART.fullmatch(prev[2])
            and not programme(local, "persons")
        ):
            return prev[0]  # 安置城镇退役士兵1178人(市直安置234人: a part in brackets
        if _TAKEN_IN.search(before) and not programme(local, "persons"):
            return "tekun_persons"  # 敬老院15个，收养397人; 收养孤老残423人: people in care homes
        # 3700名农村五保对象和16400名优抚对象: the group right after a count is its own
        found = (
            _in_scope(_sentence_lead(lead), "persons")  # 低保对象中: 三无人员7人
            or _breakdown_of_total(lead, "persons")  # …低保对象40847人。其中：女性19976人
            or (programme(noun, "persons") if after[:1].strip() else None)  # not 18人 农村低保8人
            or _described(after, "persons")  # 33名丧失生活自理能力的城市特困人员
            or programme(local, "persons")
        )
        if found and not STAFF.search(local):
            return found
        if (
            prev is not None
            and prev[0].startswith("staff_")
            and re.fullmatch(r"\s*(?:和|及|与|、|或)\s*", prev[2])
            and value < 10000  # 2万至5万人的: a population band, not staff
        ):  # 配备工作人员不超过4人和3人: the second count is of the same staff
            return _person(local, before, noun, sentence, prev)
        found = (
            _part_of_total(prev, lead, "persons")
            or carried(prev, "persons")
            or named_earlier(lead, local, "persons")
            or under_heading(heading, local, "persons")
            if not STAFF.search(local)
            else None
        )
        if found:
            return found
        if _RELIEF_OF_POOR.search(local) and value > 1 and not STAFF.search(local):
            # 救济1.2万人: persons given relief that names no programme (救助 also names the
            # staff who give it: 社会救助经办人员不少于5人)
            return "poor_persons"
        if value >= 10000 and _AFFECTED.search(local):
            return "other"  # 118万人受灾, 服务对象18万人: people affected or served, not staff
        if (
            value >= 10000
            and (STAFF.search(before) or STAFF.match(noun))
            and not after.startswith("口")
        ):  # 社会工作从业人员6.8万人, 4万名社工
            return _person(local, before, noun, sentence, prev)
        if value >= 10000:  # 3万人: a population, never a head-count of staff
            return (
                "population"
                if re.search(r"人口|常住|户籍|乡镇|县|全市|全区", local + sentence)
                or re.search(r"[乡镇]\s*$", before)  # 杨成庄乡2.6万人: a township's people
                else "other"
            )
        return _person(local, before, noun, sentence, prev)
    if unit in {"期", "天", "次", "场"} and TRAINING.search(local):  # 集中业务培训2次
        return "training"
    return "other"


# An establishment counts posts (编制76个, in 个 as stated, not people), and so do posts a rule
# sets (设2个岗位); an establishment's count, then a bracket or 包含 …, lists its posts.
_ESTABLISHMENT_LINK = r"(?:数|总数)?(?:共|为|是|有)?\s*"
POSTS_BEFORE = re.compile(rf"编制{_ESTABLISHMENT_LINK}$")
POSTS_AFTER = re.compile(r"\s*(?:工作|专职|公益性)?岗位")
_IN_ESTABLISHMENT = re.compile(
    rf"(?:编制|定编){_ESTABLISHMENT_LINK}\d+\s*[个名人]\s*(?:[(（]|[,，:：]\s*(?:包含|包括|含|其中))"
    r"[^()（）。;；]*$"
)


# A rate whose clause is only a verb (由, 达到, 提高到) is named by the clause before it:
# 月人均实际救助水平，由400元提高到410元; 提高农村低保保障标准22.6%，达到3500元.
_BARE_RATE_CLAUSE = re.compile(
    r"\s*(?:并|均|分别|已|又)?(?:由|从|达到了?|达|提高到|提高至|提升到|提升至|增至|增加到|调整为|"
    r"调整到|调整至|上调至|上调到)\s*(?:原来的?)?\s*"
)
_CLAUSE_MARK = re.compile(r"[,，;；:：]")
# The next part of a rate raised (…由135元提高到157元，农村低保由2010年52元提高到62元): the part
# names no rate of its own, so the rate is the one before it.
_PARALLEL_RAISE = re.compile(
    r"\s*[,，;；、]\s*(?:而|同时)?(?:城市|农村|城镇|城乡|集中供养|分散供养|集中|分散)(?:居民)?"
    r"(?:低保|特困|五保|供养)?(?:对象|人员)?(?:也|则|分别)?(?:由|从)\s*(?:\d{4}\s*年(?:底|初)?的?)?\s*"
)


def _named_by_prior_clause(lead: str) -> str | None:
    """Return the rate a verb-only clause's previous clause names (标准 or 水平), or None.

    The previous clause names a standard (保障标准22.6%, 低保标准的1.3倍) or a subsidy
    level (月人均实际救助水平) and states no amount in 元 of its own.

    Returns
    -------
    str or None
    """
    clauses = _CLAUSE_MARK.split(_sentence_lead(lead[-160:]))  # the two clauses before
    if len(clauses) < 2 or not _BARE_RATE_CLAUSE.fullmatch(clauses[-1]):
        return None
    prior = clauses[-2]
    if re.search(r"\d\s*(?:万|亿)?元", prior):
        return None
    if "标准" in prior:
        return "assistance_standard"
    if re.search(r"(?:救助|补助|保障|供养)水平", prior):
        return "subsidy_level"
    return None


# A target met (完成57元目标任务, 完成目标任务170元的113.7%、72元的123%) is the level or
# standard its sentence reports, the rate aimed at.
_TARGET_BEFORE = re.compile(r"完成(?:年|年度|全年)?(?:目标任务|目标|任务)(?:为|是)?\s*$|完成\s*$")
_TARGET_AFTER = re.compile(
    r"\s*(?:目标任务|目标|任务)|\s*的\s*(?:\d+(?:\.\d+)?\s*%|$)"
)  # (the % is next)
_TARGET_LIST = re.compile(r"完成(?:年|年度|全年)?(?:目标任务|目标|任务)[^。；;]*[、和]\s*$")


def _target_met(before: str, after: str, lead: str) -> str | None:
    """Return the rate a target met states (subsidy level or standard), or None.

    Returns
    -------
    str or None
    """
    sentence = _sentence_lead(lead[-160:])
    if _TARGET_BEFORE.search(before):
        if before.rstrip().endswith("完成") and not _TARGET_AFTER.match(after):
            return None  # 完成120元: not a target
    elif not (_TARGET_AFTER.match(after) and _TARGET_LIST.search(sentence)):
        return None
    if re.search(r"人均|补差|(?:补助|救助)水平", sentence):
        return "subsidy_level"
    return "assistance_standard" if "标准" in sentence else None


# A sentence about standards raised (连续5年提高低保标准，…): its 月人均 rates are standards.
_STANDARDS_RAISED = re.compile(r"(?:提高|调整|上调|提升)[^，,。；;]{0,6}标准[^。；;]*[,，]")
# A list of standards opened by a colon (补助标准是:每月,城市1人6~8元,2人8~10元).
_STANDARD_HEAD = re.compile(r"标准(?:是|为|如下|分为)?\s*[:：][^。！？!?]*$")  # (over ；)
_EACH_FOR = re.compile(r"(?:每户|每人)(?:全年|每年|每月|月|年)?(?:为|是)\s*$")
# Pay-outs of a month follow a count of recipients (城市低保7719人,3256户,916059元/月).
_PAYROLL = re.compile(r"\d\s*[人户]\s*[,，、]?\s*$")

# 分类施保, 补助标准上分为三个类别: the rates of classes after it are levels paid.
_GRADED_PAY = re.compile(r"分类施保|补助标准|补助水平|补差")
# Incomes, spending and output of households and the economy (统计公报's 人民生活 section):
# not money of civil affairs, unless relief words name it.
_HOUSEHOLD_ECONOMY = re.compile(
    r"可支配收入|纯收入|工资性收入|经营净收入|财产性|转移性|消费(?!券)|食品支出|衣着|居住支出|"
    r"交通通信|教育文化|医疗保健支出|生活用品|商品|储蓄|存款|生产总值|GDP|产值|销售|利润|营业"
)
_RELIEF_MONEY = re.compile(r"救助|救济|低保|最低生活|供养|优抚|抚恤|补助|补贴|保障金|慰问|发放")
# The most relief may give (最高救助金额由原, 一户年最高) is a standard of the programme.
_CEILING = re.compile(r"最高[^，,。；;：:\d]{0,8}$")
_CEILING_HEAD = re.compile(
    r"(?:封顶线?|最高(?:救助|补助)?(?:限额|额度|金额|标准)?)\s*[:：][^:：。；;]*$"
)
# Income below the line (家庭人均月收入不足510元的) states the standard itself.
_INCOME_LINE = re.compile(r"收入(?:不足|低于|少于|未达到|未达)\s*(?:每人每[月年])?\s*$")
# An amount paid to each person (每人下发100元, 每月每人发给15元生活费, 每人慰问金500元,
# 按每人30元筹措资金) is a subsidy level, not a standard.
_PAID_PER_HEAD = re.compile(
    r"(?:每人|人均|各|每户|每个[\u4e00-\u9fff]{0,6}户|每个(?:院民|老人|对象|人))"
    r"(?:每个?[年月季]度?)?\s*(?=[发下可领慰生送赠])"
    r"(?:发放|发给|下发|可领|领取|送上|赠送|送去|送)?\s*"
    r"(?:慰问金|慰问|生活费|补助金)?\s*$"
    r"|按每人\s*$"  # (按每人每月920元保障孤儿 is a standard)
)
# Subsidies of disabled people (困难残疾人生活补贴, 重度残疾人护理补贴, 重残人员): the
# annotators read their rates as subsidy levels (batches 30-31), when the sentence's last
# programme word before the rate is theirs and the rate's own words name no other.
_DISABILITY = re.compile(r"残疾人?(?:生活|护理)?补贴|两项补贴|重残|残疾人")
_OTHER_RATE_OWNER = re.compile(r"低保|最低生活|特困|五保|供养|优抚|孤儿|临时救助")
_RATE_OWNER = re.compile(_DISABILITY.pattern + "|" + _OTHER_RATE_OWNER.pattern)


def _disability_pay(sentence_lead: str, local: str) -> bool:
    if _OTHER_RATE_OWNER.search(local):
        return False
    last = None
    for last in _RATE_OWNER.finditer(sentence_lead):  # noqa: B007 (the last one is wanted)
        pass
    return last is not None and _DISABILITY.fullmatch(last.group(0)) is not None


_MEDICAL = re.compile(r"医疗救助|大病救助|住院救助|门诊救助|药物救助")
_LAST_YEAR = re.compile(r"[(（]\s*(?:去年|上年|上年同期|去年同期)\s*$")
_CLAUSE_BEFORE = re.compile(r"[，,。；;、]")


def _last_year(lead: str, kind: str) -> str | None:
    """Return the programme of last year's count given in brackets after this year's change.

    ``低保户数削减38%(去年19.44万户)、保障人数削减44%(去年29.9万人)``: the words before the
    bracket name the programme, or else the sentence's last programme before them.

    Returns
    -------
    str or None
    """
    m = _LAST_YEAR.search(lead[-12:])  # (only the end of the lead: no scan of a long one)
    if m is None:
        return None
    sentence = _sentence_lead(lead[: len(lead) - 12 + m.start()])
    clause = _CLAUSE_BEFORE.split(sentence)[-1]
    return programme(clause, kind) or _last_programme(sentence[: len(sentence) - len(clause)], kind)


def _dibao_times(found: str, unit: str) -> str:
    # 回访低保户3000户次, 低保6448户(次)11448人(次): 低保 counted in 户次 counts households
    if found in {"dibao_persons", "dibao_households"}:
        return "dibao_households" if unit == "户次" else "dibao_persons"
    return found


# The rest of a rate's unit after 元: /人月, /人·年, /月, /人
_PER_UNIT = r"/\s*(?:(?:人|户)\s*(?:[·.•/、]?\s*[月年])?|[月年])"
_RATE_TO_RATE = re.compile(
    rf"\s*(?:{_PER_UNIT}\s*)?"  # 由335元/人月提高到350元/人月, 由2760元/人和1810元/人
    r"(?:[,，]\s*(?=[提调增上达]))?(?:统一|再|进一步|又)?"  # ,提高到现在的; 统一提高到
    r"(?:提标到|提标至|提高到|提高至|提高为|提升到|提升至|调整为|调整到|调整至|增加到|增至|上调至|上调到|"
    r"上调为|达到了?|到|至|和|及|、|，|,|—|–|~|～)\s*(?:目前|现在|现行|当前|今年|本年)?的?"
    r"(?:[月年]?人均)?"  # 提高到今年的人均3036元
    r"(?:(?:每|一)[年月])?\s*"
    r"|\s*[(（][^()（）]{0,8}"
    # 一档210元/人、月、二档180元: graded rates in a row
    rf"|\s*(?:{_PER_UNIT})?\s*[、，,；;和及]\s*"
    r"(?:[A-Za-z一二三四五六七八九十\d]{1,2}[类档级])?\s*"
)
_RATE_RISE = re.compile(
    r"(?:\s*/\s*(?:人|户)?\s*[·.•/、]?\s*[月年])?"  # 2067.8元/人、年，比上年提高349.4元
    r"\s*[,，]?\s*(?:分别|均)?(?:比|较)[^，,。；;]{0,16}(?:提高|增加|上调|增长|提升|高出|超出|多出)了?\s*"
    # 由每人每月180元提高到230元，月增加50元: the rise of the rate just stated
    r"|\s*[,，]\s*(?:每月|每年|月|年|人均|每人)?(?:增加|提高|增长|上调)了?\s*"
    # 人均救助标准提高到1556元的目标高出584元: a gap above a benchmark, in the rate's terms
    r"|[^，,。；;\d]{0,12}?(?:高出|超出|多出)\s*"
)
# 月人均补助标准365元, 医疗救助人均救助标准2140元: the average paid, a level
_AVERAGE_PAID_STANDARD = re.compile(r"人均(?:医疗)?(?:补助|救助)标准")
_PER_HEAD_AMOUNT = re.compile(r"(?:人|户)次?[均平]")  # 人平7元: 人均 as Hunan writes it
_TOTAL_WORD = re.compile(r"总|合计|共计|累计")
_INCOME = re.compile(r"收入|可支配|消费|产值|生产总值|GDP")
_COLON = re.compile(r"[:：]")
_STANDARD_RAISED_TO = re.compile(r"标准[^,，。;；]{0,12}(?:提高|提升|上调|调整)(?:到|至|为)\s*$")
_STANDARD_IS = re.compile(r"标准(?:为|是|达到|达|不低于|不少于|不得低于)?\s*$")
_PROGRAMME_WORD = re.compile(r"低保|特困|五保|供养|救助|保障|优待|优抚|抚恤")
_SUBSIDY_WORD = re.compile(r"补助|补贴")
_LEVEL_IS = re.compile(r"(?:(?:救助|补助|保障|供养)(?:平均)?|平均)水平(?:为|是|达到|达)?\s*$")
# 集中供养水平和分散供养水平分别由2011年的3679元和3134元: levels raised from a year's
_LEVEL_FROM = re.compile(
    r"(?:救助|补助|保障|供养)水平[^,，。;；\d]{0,12}(?:分别)?(?:由|从)\s*(?:\d{4}\s*年)?的?\s*$"
)
_STANDARD_FROM = re.compile(r"标准[^,，。;；\d]{0,12}(?:分别)?(?:由|从)\s*(?:\d{4}\s*年)?的?\s*$")
_ALLOWANCE_RAISED_TO = re.compile(
    r"(?:优待金|抚恤金|定补|生活费)(?:标准)?(?:提高|调整|上调|提升)(?:到|至|为)\s*$"
)
# 补助标准提高180元, 照料护理补助标准提高 50 元: the rise of a standard
_ANY_STANDARD_RISE = re.compile(r"标准[^,，。;；\d]{0,4}(?:分别)?(?:提高|增加|上调|提升)了?\s*$")
_RAISED_FROM = re.compile(
    r"(?:从|由)(?:原来|原先|过去|以前|原)?的?(?:保障|供养|救助)?(?:标准)?"
    r"(?:(?:每|一)[年月])?\s*$"  # 由一年420元提高到620元
)
_RAISE_AFTER = re.compile(r"\s*(?:提高|提升|上调|调整|增加)")
# 保障标准在原基础上增加30元: the standard's rise
_STANDARD_RISE = re.compile(
    r"(?:保障|供养|救助|低保)标准[^,，。;；\d]{0,10}(?:提高|增加|上调|提升)了?\s*$"
)


def _money(
    unit: str,
    before: str,
    after: str,
    local: str,
    prev,
    table: bool = False,
    sentence: str = "",
    lead: str = "",
) -> str:
    # 元, 万元, 亿元: a rate (standard or subsidy level), a total (fund_amount), or other.
    between = prev[2] if prev is not None else None
    if _HOUSEHOLD_ECONOMY.search(local) and not _RELIEF_MONEY.search(local):
        return "other"  # 人均可支配收入16740元, 食品支出4758元: households' incomes and spending
    if (_CEILING.search(before) or _CEILING_HEAD.search(_sentence_lead(lead[-60:]))) and (
        "救助" in sentence
    ):
        return "assistance_standard"  # 最高救助金额由原1.5万元提高到, 一户年最高5300元
    if (
        unit != "元"
        and prev is not None
        and prev[0] in RATES
        and prev[1] == unit
        and re.fullmatch(r"\s*(?:提高到|提高至|增加到|增至|调整为|上调至|上调到)\s*", between)
    ):
        return prev[0]  # 由原1.5万元提高到2万元: the ceiling raised
    if unit == "元" and _PAY.search(_sentence_lead(lead)) and _WORKERS.search(lead + sentence):
        return "fund_amount"  # 社区工作者的工资…基本工资正职每月720元: workers' pay, not relief
    if unit == "元":
        if prev is not None and prev[0] in RATES and _RATE_TO_RATE.fullmatch(between):
            return prev[0]  # 从100元提高到150元
        if prev is not None and prev[0] in RATES and _RATE_RISE.fullmatch(between):
            return prev[0]  # 月低保标准为1301元，比2020年底提高260元: the rise of the rate
        if prev is not None and prev[0] in RATES and _PARALLEL_RAISE.fullmatch(between):
            return prev[0]  # 城市低保月人均补助由135元提高到157元，农村低保由52元: a part's
        rates = lexicon()["rates"]
        if (
            re.match(r"\s*的(?:保障|供养|救助)?标准", after)
            and not _any(rates["subsidy"], before)
            and not re.search(r"预算|经费|资金", after[:16])  # 不低于15元的标准纳入财政预算: funds
        ):
            return "assistance_standard"  # 集中供养每人每年8000元和分散供养每人4738元的标准
        if ("补差" in local or _AVERAGE_PAID_STANDARD.search(local)) and (
            rate_period(before, after) or re.search(r"人均|每人|标准", local)
        ):  # 人均补差标准, 月人均补助标准365元: the level paid on average
            return "subsidy_level"  # 人均月补差标准由172元提高到231元: the top-up paid, a level
        if _STANDARD_HEAD.search(lead[-120:]) and (
            # 补助标准是:每月,城市1人6~8元,每多1人增加3元: standards by household size
            prev is not None
            and prev[1] == "人"
            and re.fullmatch(r"\s*(?:增加|增发|加)?\s*", prev[2])
            or _EACH_FOR.search(before)  # 供给标准分为:有部分劳动收入者，每户全年为48元
        ):
            return "assistance_standard"
        target = _target_met(before, after, lead)
        if target:
            return target  # 人均补差73.5元，完成57元目标任务: the level aimed at
        if (
            prev is not None
            and prev[0] not in RATES
            and rate_period(before, after) == "月"
            and not _any(rates["standard"] + rates["subsidy"], local)
            and _PAYROLL.search(_sentence_lead(lead[-80:]))
        ):
            return "fund_amount"  # 城市低保7719人,3256户,916059元/月: paid out each month
        named_before = _named_by_prior_clause(lead)
        if named_before:
            return named_before  # 月人均救助水平，由400元提高到410元: the clause before names it
        if _INCOME_LINE.search(before):
            return "assistance_standard"  # 家庭人均月收入不足510元的: the line is the standard
        if (rate_period(before, after) or "每人" in before) and _disability_pay(
            _sentence_lead(lead), local
        ):
            return "subsidy_level"  # 重残人员647人，每人每月115元: a disability subsidy
        if (
            rate_period(before, after)
            and not _OTHER_RATE_OWNER.search(local)
            and _last_programme(_sentence_lead(lead), "persons") == "youfu_persons"
        ):
            return "assistance_standard"  # 复员军人生活补助金每人每月2320元: 优抚 allowances
        if _PAID_PER_HEAD.search(before) and not _any(rates["standard"], local):
            return "subsidy_level"  # 每人下发100元春节补助, 其中市按每人6元: paid per head
        if (
            re.search(r"(?:每户|每人)\s*$", before)
            and not rate_period(before, after)
            and re.search(r"慰问|走访", _sentence_lead(lead[-80:]))
        ):
            return "subsidy_level"  # 走访慰问低保户2965户，每户1000元: a visit's gift per head
        # 分散供养标准年人均2200元，集中供养年人均3000元: a rate parallel to a standard before it
        paid_words = [w for w in rates["subsidy"] if w != "人均"]
        sentence_lead = _sentence_lead(lead[-120:])
        parallel = (
            prev is not None
            and prev[0] == "assistance_standard"
            # 连续5年提高低保标准，城镇低保从当时的月人均270元: a sentence of standards raised
            or _STANDARDS_RAISED.search(sentence_lead) is not None
            and not _any(paid_words, sentence_lead)
        ) and not _any(paid_words, local)
        per_head = _PER_HEAD_AMOUNT.search(before)
        if (
            per_head
            and not _TOTAL_WORD.search(before[per_head.end() :])
            and not _INCOME.search(local)
        ):
            # 人均补助达到560元, 人次均救助水平1290元: an amount per head, with or without a period
            if _any(rates["standard"], local) or parallel:
                return "assistance_standard"
            return "subsidy_level"
        if rate_period(before, after):
            # 补助水平:A类162元/人、月: the words before the colon name the rates after it
            head = re.split(r"[。；;！？!?]", lead)[-1]
            named = local
            tail = _COLON.split(head)[-1]  # the words between the colon and the number
            if (
                not _any(rates["standard"] + rates["subsidy"], local)
                and tail != head
                and not re.search(r"\d", tail)  # no other figure since the colon
            ):
                named = head
            if (
                not _any(rates["standard"] + rates["subsidy"], named)
                and not parallel
                and (
                    (prev is not None and prev[1] in {"类", "档", "级"} and not prev[2].strip())
                    or re.search(r"[A-Za-z一二三四五六七八九十\d][类档级]\s*$", before)
                )
                and _GRADED_PAY.search(_sentence_lead(lead[-60:]))
            ):
                return "subsidy_level"  # 在补助标准上分为三个类别，一类924元/年/人: graded pay
            if _any(rates["standard"], named) or parallel:
                return "assistance_standard"
            return "subsidy_level" if _any(rates["subsidy"], named) else "assistance_standard"
        if _STANDARD_RAISED_TO.search(before):
            return "assistance_standard"  # 城市低保标准分别提高到240元
        if _STANDARD_RISE.search(before):
            return "assistance_standard"  # 保障标准在原基础上增加30元: the standard's rise
        if _STANDARD_IS.search(before) and _PROGRAMME_WORD.search(before):
            # 月低保标准为1301元, 基本生活供养标准为2255元 (no period after the amount)
            return "subsidy_level" if _SUBSIDY_WORD.search(before) else "assistance_standard"
        if _LEVEL_IS.search(before) or _LEVEL_FROM.search(before):
            return "subsidy_level"  # 平均救助水平为2337.5元/人次, 供养水平分别由2011年的3679元
        if _STANDARD_FROM.search(before) or _ALLOWANCE_RAISED_TO.search(before):
            # 供养标准分别由2008年的2760元; 义务兵家庭优待金提高到1600元: a standard
            return "assistance_standard"
        if _ANY_STANDARD_RISE.search(before):
            return "assistance_standard"  # 照料护理补助标准提高180元: the standard's rise
        if (
            _RAISED_FROM.search(before)
            and _RAISE_AFTER.match(after)
            and "标准" in sentence
            and not _any(lexicon()["money"], local)
        ):
            return "assistance_standard"  # 标准提高，从原来的560元提高到600元
    if _any(lexicon()["money"], local) or (table and unit != "元"):
        return "fund_amount"
    if (
        prev is not None
        and prev[:2] == ("fund_amount", unit)
        and unit != "元"
        and re.fullmatch(r"\s*[、,，;；]\s*[\u4e00-\u9fff]{1,14}\s*", between)
        and not re.search(NOT_FUNDS, between)
    ):
        return "fund_amount"  # 用于A类单位45.2亿元，用于B类单位7.2亿元: a list of amounts
    if (
        prev is not None
        and prev[:2] == ("fund_amount", unit)
        and re.fullmatch(
            r"\s*(?:增加|提高|增长|上升|减少|下降)(?:到|至|为)\s*(?:[0-9xX]+年|今年|去年|现在|目前)?的?\s*",
            between,
        )
    ):
        return "fund_amount"  # 投入从436万元增加到2019年的630万元
    if (
        unit == "元"
        and prev is not None
        and prev[:2] == ("fund_amount", unit)
        and _MONEY_PART.fullmatch(between)
        and programme(between, "persons")
    ):
        return "fund_amount"  # 发放低保金4395880.6元(农村低保3762075.4元,城镇低保633805.2元)
    if unit != "元" and programme(local, "persons"):
        return "fund_amount"
    if (
        prev is not None
        and (prev[0] in _PROGRAMME_COUNTS or prev[1] in {"人次", "户次", "人", "户"})
        and re.fullmatch(r"\s*[、,，]?\s*(?:共|计|累计|合计|金额)?\s*", between)
    ):
        return "fund_amount"  # 城市低保累计保障11402人次389.71万元; 孤儿累计保障298人次26.82万元
    if unit != "元" and _any(lexicon()["money"], lead) and not re.search(NOT_FUNDS, local):
        return "fund_amount"  # 资金支出1.3亿元(…；医疗救助2531万元；孤儿252万元): parts of a fund
    if unit != "元" and _ALLOTTED.search(local) and not re.search(NOT_FUNDS, local):
        # 老年人福利类项目3215万元, 安排10.89万元用于, 殡仪馆40万元: money allotted
        return "fund_amount"
    return "other"


_MONEY_PART = re.compile(r"\s*[(（、,，;；]+\s*(?:其中)?[:：]?\s*[\u4e00-\u9fff]{1,10}\s*")
# Money in 万元/亿元 given to a project, a use or an institution: an amount allotted.
_ALLOTTED = re.compile(r"项目|安排|用于|分配|下达|拨|补助|奖励|建设|(?:院|馆|所|站|中心|机构)\|?$")


_SHARE_OF_PREVIOUS = re.compile(
    r"\s*[)）]?\s*[,，、]?\s*(?:[\u4e00-\u9fff]{0,6}(?:占|约占|共占|仅占))?\s*"
)


def _share(local: str, sentence: str, prev) -> str:
    if (
        prev is not None
        and prev[0] == "fund_amount"
        and re.fullmatch(r"\s*[,，]?\s*(?:约|共|仅)?占[^，,。；;\d]{0,10}\s*", prev[2])
        and not re.search(r"人口|人数|户数|人员|对象|群众", prev[2])  # 占全县总人口的2.3%
    ):
        return "fund_share"  # 中央补助资金431.4亿元，占总支出的60.1%: a part of the funds
    if (
        prev is not None
        and prev[1] == "%"
        and prev[0] == "fund_share"
        and re.fullmatch(r"\s*(?:[、和及]|至|到)\s*", prev[2])
    ):
        return "fund_share"  # 分别按1.5%、5%安排
    if prev is not None and _SHARE_OF_PREVIOUS.fullmatch(prev[2]) and prev[1] != "%":
        if prev[0] in {"staff_fulltime", "staff_parttime", "staff_established", "staff_tenure"}:
            return prev[0]
        return "other"
    if FUND_SHARE.search(local) and not re.search(r"人员|人口|干部|群众|对象", local):
        return "fund_share"
    return "other"


_PAIR_LINK = re.compile(r"\s*[、,，和及与]?\s*(?:共|计|共计)?\s*")


def _paired(prev) -> str | None:
    """低保对象6954户、1.2万人: persons right after households of the same group.

    Returns
    -------
    str or None
        The persons indicator of the group when ``prev`` is its households figure
        and only a separator (、 和 及 …) lies between them; else None.
    """
    if prev is not None and prev[1] == "户" and _PAIR_LINK.fullmatch(prev[2]):
        return {
            "dibao_households": "dibao_persons",
            "tekun_persons": "tekun_persons",
            "poor_persons": "poor_persons",
            "temp_assistance": "temp_assistance",
        }.get(prev[0])
    return None


_ACTUAL = re.compile(r"目前|现有|已经?|实有|共配备|共有|现配备")
_SET_PER_UNIT = re.compile(
    r"每个[^，,。；;]{0,12}(?:确定|设置|安排|聘用)\s*$|口(?:以内|以上|以下)?配\s*$|各配备\s*$"
)
_BY_EACH = re.compile(r"按(?:每[^，,。；;]{0,8})?$")
_RESIDENTS = re.compile(r"人口|常住|户籍|居民")
_RULED = re.compile(r"配备标准|编制标准|应(?:当)?配备|配齐")
_STAFFING_RULE = re.compile(
    r"(?:至少|不少于|不低于|应当?|原则上|均)配备\s*$|每个[^，,。；;]{0,12}配备\s*$"
    r"|每个[^，,。；;]{0,20}(?:确定|明确|指定)\s*$"  # 每个村从两委成员中确定1名
    r"|配备(?:至少|不少于|不低于|不超过)\s*$"
)
_ALSO_HOLDS = re.compile(r"兼有|兼任|兼管")
_ESTABLISHED = re.compile(r"在编|编制")


def _person(local: str, before: str, noun: str, sentence: str, prev) -> str:
    actual = _ACTUAL.search(before)  # a count, not a rule
    if not actual and (
        _SET_PER_UNIT.search(before) or (_BY_EACH.search(before) and noun.startswith("配备"))
    ):
        return "staff_norm"  # 每个村居确定1-2名协理员; 1万人口以内配2名; 按3-5人配备; 各配备4名
    if (
        prev is not None
        and prev[0] == "staff_tenure"
        and prev[1] == "年"
        and re.fullmatch(r"\s*(?:以下|以上|以内)?(?:的|的有|者)?(?:有|共)?\s*", prev[2])
    ):
        return "staff_tenure"
    if (
        prev is not None
        and prev[0] == "staff_norm"
        and re.fullmatch(r"\s*(?:和|及|与|、|或)\s*", prev[2])
    ):
        return "staff_norm"  # 分别配备不超过4人和3人
    found = programme(local, "persons")
    if found and not _staff_head(noun):  # 从退役军人中招收362名民政协理员, 117名救助管理信息员
        return found
    if TRAINING.search(local):
        return "training"
    if _per_head(before, noun):
        return "other"  # a per-capita statement, not a head-count
    if _RESIDENTS.search(local) and not STAFF.search(local):
        return "population"
    ruled = _RULED.search(local)
    if (
        "定编" in local
        and not ruled
        and not re.search(r"按|每个|每[一1]|应|标准|建议|要求|不少于|不低于|至少|原则上", sentence)
    ):
        return "staff_established"  # 民政局定编19人: an office's establishment, not a rule
    if (
        "定编" in local
        or ruled
        or (
            not actual
            and re.search(NORM.pattern + "|配备|核定", before + "|" + noun)
            and STAFF.search(sentence)
            and re.search(r"建议|标准|要求|应|不少于|不低于|至少|确保|必须|不超过|每个", sentence)
        )
    ):
        return "staff_norm"
    if _STAFFING_RULE.search(before):
        return "staff_norm"  # 至少配备10人, 每个村配备1名, 人员配备不低于3人: a staffing rule
    if _POSTS_TO_SET.search(before) and _NEEDED.search(sentence):
        return "staff_norm"  # 有必要在村成立联络组，并设立1名专职的民政联络员: a post to set up
    if not STAFF.search(local) and not re.search(r"民政", local):
        return "other"
    if (
        NORM.search(before)
        and re.search(r"定编|配备|乡镇|每个|民政办|民政所|工作站", sentence)
        and re.search(r"建议|标准|定编|应|要", sentence)
    ):
        return "staff_norm"
    if "兼职" in local or _ALSO_HOLDS.search(local):
        return "staff_parttime"
    if "专职" in local:
        return "staff_fulltime"
    if _ESTABLISHED.search(local):
        return "staff_established"
    return "staff_total"


_POSTS_TO_SET = re.compile(r"(?:设立|设置|配备|配齐)\s*$")
_NEEDED = re.compile(r"(?:有必要|必须|需要|拟)[^。；;]{0,30}(?:设立|设置|配备|配齐)")


_WHY_PATTERNS = {
    "staff_total": STAFF,
    "staff_fulltime": re.compile(r"专职"),
    "staff_parttime": re.compile(r"兼职|兼有|兼任|兼管"),
    "staff_established": re.compile(r"在编|编制"),
    "staff_norm": NORM,
    "staff_tenure": TENURE_SENTENCE,
    "functions_count": re.compile(r"职能|职责|业务|工作|任务|事项"),
    "population": re.compile(r"人口|常住|户籍|居民|乡镇|县|全市|全区"),
    "fund_share": FUND_SHARE,
    "training": TRAINING,
    "office_area": OFFICE,
    "units_count": re.compile(UNITS_NOUN.pattern[1:]),
}


def explain(indicator: str, unit: str, before: str, after: str, prev) -> tuple[str, str]:
    """Return the cue behind a label and the words the classifier read (for ``--explain``).

    The cue is found with the same lexicon and patterns the rules use: the
    programme, money or rate word in the quantity's words, the previous count a
    count was carried from, or the staff, unit or share word of its rule.

    Parameters
    ----------
    indicator : str
        The label :func:`classify` gave.
    unit, before, after : str
        As given to :func:`classify`.
    prev : (indicator, unit, between) or None
        As given to :func:`classify`.

    Returns
    -------
    (str, str)
        The cue (empty when nothing named the label: ``other``) and the words read,
        ``before|noun after the unit``.
    """
    local = before + "|" + _after_phrase(after)
    if indicator == "other":
        return "", local
    lex = lexicon()
    for name, entry in lex["programmes"].items():
        if indicator in {entry[k] for k in _KINDS}:
            cue = next((c for c in entry["cues"] if c in local), None)
            if cue:
                return f"{cue} ({name})", local
    if (
        prev is not None
        and indicator != "fund_amount"
        and prev[0] in {indicator, *_PROGRAMME_COUNTS}
    ):
        return f"carried from the previous {prev[0]} ({prev[1]})", local
    if indicator in RATES:
        period = rate_period(before, after)
        words = [w for w in lex["rates"]["standard"] + lex["rates"]["subsidy"] if w in local]
        return " ".join(filter(None, [f"per {period}" if period else "", *words[:1]])), local
    if indicator == "fund_amount":
        word = next((w for w in lex["money"] if w in local), None)
        return word or ("after a programme count" if prev else unit), local
    pattern = _WHY_PATTERNS.get(indicator)
    noun = _after_phrase(after)
    m = (pattern.search(noun) or pattern.search(before)) if pattern is not None else None
    return (m.group(0) if m else unit), local
