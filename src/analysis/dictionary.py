"""The data dictionary: column codes, Chinese labels, kinds and units.

Survey returns and staff rosters may carry either the English code or the
Chinese label of a column in their header row. :func:`resolve_header` maps any
accepted spelling to the code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DEFAULT_CASELOAD_WEIGHTS",
    "KINDS",
    "ROSTER_FIELDS",
    "SURVEY_FIELDS",
    "Field",
    "label",
    "labels",
    "normalize_header",
    "resolve_header",
    "scope_label",
]

#: Kinds of column, which decide parsing and validation.
#: year: calendar year; name: free text, required where marked;
#: category: one of ``choices``; count: non-negative integer;
#: money: non-negative amount in 万元; measure: non-negative real (area, days);
#: flag: yes/no.
KINDS = ("year", "name", "category", "count", "money", "measure", "flag")


@dataclass(frozen=True)
class Field:
    """One column of the data dictionary.

    Attributes
    ----------
    code : str
        English identifier used in code.
    label : str
        Chinese label used in files and reports.
    kind : str
        One of :data:`KINDS`.
    unit : str
        Unit shown in reports ("" when none).
    required : bool
        Whether the column must be present and non-empty.
    aliases : tuple of str
        Other accepted Chinese spellings.
    choices : tuple of str
        Allowed values for ``category`` columns.
    """

    code: str
    label: str
    kind: str
    unit: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.code!r}: unknown kind {self.kind!r}; kinds: {KINDS}")


SURVEY_FIELDS: tuple[Field, ...] = (
    Field("year", "年度", "year", "年", True, ("年份", "调查年度")),
    Field("province", "省", "name", aliases=("省份", "省(区、市)")),
    Field("prefecture", "市", "name", aliases=("地市", "市(州)")),
    Field("county", "县(市、区)", "name", required=True, aliases=("县", "县区", "县市区")),
    Field(
        "township", "乡镇(街道)", "name", required=True, aliases=("乡镇", "乡镇街道", "乡镇名称")
    ),
    Field("township_type", "类型", "category", aliases=("乡镇类型",), choices=("镇", "乡", "街道")),
    Field("population", "户籍人口", "count", "人", aliases=("户籍人口数",)),
    Field("staff_total", "民政工作人员数", "count", "人", True, ("民政工作人员", "工作人员数")),
    Field("staff_fulltime", "专职人数", "count", "人", aliases=("专职",)),
    Field("staff_established", "在编人数", "count", "人", aliases=("在编",)),
    Field("staff_joined", "本年新进", "count", "人", aliases=("本年新进人数",)),
    Field("staff_left", "本年离岗", "count", "人", aliases=("本年离岗人数",)),
    Field("functions_count", "承担职能项数", "count", "项", aliases=("职能项数",)),
    Field("dibao_households", "低保户数", "count", "户"),
    Field("dibao_persons", "低保人数", "count", "人"),
    Field("tekun_persons", "特困供养人数", "count", "人", aliases=("特困人数", "五保人数")),
    Field("temp_assistance_cases", "临时救助人次", "count", "人次"),
    Field("youfu_persons", "优抚对象人数", "count", "人"),
    Field("fund_upper", "上级补助", "money", "万元", aliases=("上级补助资金",)),
    Field("fund_local", "本级财政", "money", "万元", aliases=("本级财政投入",)),
    Field("fund_social", "社会投入", "money", "万元", aliases=("社会捐赠",)),
    Field("spend_relief", "救助", "money", "万元", aliases=("救助支出",)),
    Field("spend_services", "公共服务", "money", "万元", aliases=("公共服务支出",)),
    Field("spend_admin", "管理", "money", "万元", aliases=("管理支出",)),
    Field("spend_other", "其他", "money", "万元", aliases=("其他支出",)),
    Field("matching_required", "应配套", "money", "万元", aliases=("应配套资金",)),
    Field("matching_received", "实到配套", "money", "万元", aliases=("实到配套资金",)),
    Field("office_area_m2", "办公面积", "measure", "平方米", aliases=("办公用房面积",)),
    Field("staff_trained", "本年参训人数", "count", "人", aliases=("参训人数",)),
    Field("training_days", "培训人天", "measure", "人天", aliases=("培训人日",)),
    Field("synthetic", "示例数据", "flag", aliases=("是否合成数据",)),
)

ROSTER_FIELDS: tuple[Field, ...] = (
    Field("year", "年度", "year", "年", True, ("年份",)),
    Field("county", "县(市、区)", "name", required=True, aliases=("县", "县区", "县市区")),
    Field("township", "乡镇(街道)", "name", required=True, aliases=("乡镇", "乡镇街道")),
    Field("staff_id", "人员编号", "name", required=True, aliases=("编号",)),
    Field(
        "employment_type",
        "用工类型",
        "category",
        aliases=("编制类型",),
        choices=("行政编制", "事业编制", "企业", "临聘", "公益性岗位"),
    ),
    Field("fulltime", "是否专职", "flag", aliases=("专职",)),
    Field("years_in_post", "从事民政工作年限", "measure", "年", aliases=("民政工作年限",)),
    Field(
        "education",
        "学历",
        "category",
        aliases=("文化程度",),
        choices=("初中及以下", "高中", "中专", "大专", "本科", "研究生"),
    ),
    Field("age", "年龄", "count", "岁"),
    Field("trained_this_year", "本年是否参训", "flag", aliases=("本年参训",)),
    Field("training_hours", "培训学时", "measure", "学时"),
    Field("left_this_year", "本年是否离岗", "flag", aliases=("本年离岗",)),
    Field("synthetic", "示例数据", "flag", aliases=("是否合成数据",)),
)

#: Programme counts that make up the caseload, with default weights.
#: A household or person whose case is reviewed and paid monthly counts 1; a
#: one-off temporary-assistance case or an entitled-group member, whose files
#: need far less recurring work, counts half. Weights are a report parameter.
DEFAULT_CASELOAD_WEIGHTS: dict[str, float] = {
    "dibao_households": 1.0,
    "tekun_persons": 1.0,
    "temp_assistance_cases": 0.5,
    "youfu_persons": 0.5,
}

_PARENS = re.compile(r"\([^)]*\)")


def normalize_header(text: str) -> str:
    """Return the comparable form of a header cell.

    Full-width characters become half-width (NFKC), whitespace is removed and
    letters are lower-cased, so ``" 户籍人口（人） "`` and ``"户籍人口(人)"``
    compare equal.

    Returns
    -------
    str
        The text in NFKC form, without whitespace, lower-cased.
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def _lookup(fields: tuple[Field, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in fields:
        for spelling in (f.code, f.label, *f.aliases):
            key = normalize_header(spelling)
            table[key] = f.code
            table.setdefault(_PARENS.sub("", key), f.code)
    return table


_SURVEY_LOOKUP = _lookup(SURVEY_FIELDS)
_ROSTER_LOOKUP = _lookup(ROSTER_FIELDS)


def resolve_header(text: str, fields: tuple[Field, ...] = SURVEY_FIELDS) -> str | None:
    """Map a header cell to its column code, or None when it is unknown.

    A trailing unit in parentheses is ignored, so ``上级补助（万元）`` is
    ``fund_upper``.

    Parameters
    ----------
    text : str
        The header cell as written.
    fields : tuple of Field
        The dictionary to use (:data:`SURVEY_FIELDS` or :data:`ROSTER_FIELDS`).

    Returns
    -------
    str or None
        The code, or None.
    """
    lookup = (
        _SURVEY_LOOKUP
        if fields is SURVEY_FIELDS
        else (_ROSTER_LOOKUP if fields is ROSTER_FIELDS else _lookup(fields))
    )
    key = normalize_header(text)
    return lookup.get(key) or lookup.get(_PARENS.sub("", key))


_LABELS = {f.code: f.label for f in (*ROSTER_FIELDS, *SURVEY_FIELDS)}


def label(code: str) -> str:
    """Return the Chinese label of a survey or roster column.

    Returns
    -------
    str
        The label, e.g. ``年度`` for ``year``.

    Raises
    ------
    KeyError
        When ``code`` is not in the dictionary.
    """
    return _LABELS[code]


def labels(*codes: str, **headers: str) -> dict[str, str]:
    """Return table headers: the dictionary label of each of ``codes``, and ``headers`` as given.

    For the ``labels`` of :meth:`analysis.present.Publisher.table`, where a
    column is headed by its label in the data dictionary or by a (usually
    shorter) header of the table's own, e.g.
    ``labels("year", receipts="资金合计")`` is
    ``{"year": "年度", "receipts": "资金合计"}``.

    Returns
    -------
    dict of str to str
        Column -> header: the labels of ``codes``, then ``headers`` (which win
        for a column in both).

    Raises
    ------
    KeyError
        When one of ``codes`` is not in the dictionary.
    """
    return {**{code: label(code) for code in codes}, **headers}


def scope_label(scope: str) -> str:
    """Return a report scope as the reports write it: the county, or 全部县 for ``all``.

    Returns
    -------
    str
        ``全部县`` when ``scope`` is ``all``, else ``scope`` unchanged.
    """
    return "全部县" if scope == "all" else scope
