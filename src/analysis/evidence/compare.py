"""Extracted figures beside the survey data: which county a report is about, and how they compare."""

from __future__ import annotations

import pandas as pd

from ..funds import shares
from .extract import COLUMNS

__all__ = [
    "INDICATOR_LABELS",
    "QUALIFIER_LABELS",
    "compare_with_survey",
    "match_county",
    "rows_frame",
]

INDICATOR_LABELS = {
    "staff_total": "民政工作人员",
    "staff_fulltime": "专职人员",
    "staff_parttime": "兼职人员",
    "staff_established": "在编人员",
    "staff_tenure": "任职年限",
    "staff_norm": "配备标准",
    "functions_count": "承担职能",
    "population": "人口",
    "dibao_households": "低保户",
    "dibao_persons": "低保人数",
    "tekun_persons": "特困供养",
    "temp_assistance": "临时救助",
    "youfu_persons": "优抚对象",
    "poor_persons": "贫困人口",
    "fund_share": "资金占比",
    "fund_amount": "资金数额",
    "training": "培训",
    "office_area": "办公面积",
    "units_count": "机构数",
    "assistance_standard": "保障标准",
    "subsidy_level": "补助水平",
    "other": "其他",
}
QUALIFIER_LABELS = {"approx": "约", "at_least": "不少于", "below": "不足", "": ""}


def rows_frame(rows: list[dict]) -> pd.DataFrame:
    """Return extracted rows as a frame with numeric ``value``, ``low``, ``high``, ``start``, ``end``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, in the columns of :data:`~analysis.evidence.extract.COLUMNS`.
    """
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("value", "low", "high"):
        df[col] = pd.to_numeric(df[col])
    return df


def match_county(text: str, counties: list[str]) -> str | None:
    """Return the county named most often in ``text`` (None when none is named).

    Returns
    -------
    str or None
        The county with the most mentions (the first listed on a tie); None when
        no county occurs in ``text``.
    """
    counts = {c: text.count(c) for c in counties if c}
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else None


def _share_source(subject: str, quote: str) -> str | None:
    for source, words in (
        ("upper_share", ("上级", "向上", "中央", "省级")),
        ("local_share", ("本级", "地方财政", "县级财政", "县级", "财政")),
        ("social_share", ("社会",)),
    ):
        if any(w in subject for w in words):
            return source
    return None


def compare_with_survey(
    rows: pd.DataFrame, cleaned: dict[str, str], survey: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Put figures extracted from each report beside the survey data of the county it describes.

    For each document naming a county of the survey: the largest stated
    head-count (staff_total, staff_fulltime) and 低保 households, against the
    county's survey totals for ``year``; and the fund shares (upper / local /
    social, told apart by their subject), against the county's shares.

    Returns
    -------
    pandas.DataFrame
        ``doc, county, measure, reported, survey, difference`` (reported − survey).
    """
    counties = sorted(survey["county"].dropna().unique())
    this = survey[survey["year"] == year]
    out = []
    for path, text in cleaned.items():
        name = path.rsplit("/", 1)[-1]
        county = match_county(text, counties)
        if county is None:
            continue
        mine = rows[rows["doc"] == name]
        town = this[this["county"] == county]
        if town.empty:
            continue
        for ind, col, label in (
            ("staff_total", "staff_total", "民政工作人员（人）"),
            ("staff_fulltime", "staff_fulltime", "专职人员（人）"),
            ("dibao_households", "dibao_households", "低保户（户）"),
        ):
            found = mine[mine["indicator"] == ind]
            if len(found) and col in town:
                out.append(
                    (name, county, label, float(found["value"].max()), float(town[col].sum()))
                )
        fs = shares(town, by=None).iloc[0]
        for _, r in mine[mine["indicator"] == "fund_share"].iterrows():
            source = _share_source(str(r["subject"]), str(r["quote"]))
            if source:
                label = {
                    "upper_share": "上级补助占比（%）",
                    "local_share": "本级财政占比（%）",
                    "social_share": "社会投入占比（%）",
                }[source]
                out.append(
                    (name, county, label, float(r["value"]), round(100 * float(fs[source]), 1))
                )
    df = pd.DataFrame(out, columns=["doc", "county", "measure", "reported", "survey"])
    df = df.drop_duplicates(subset=["doc", "measure"], keep="first")
    df["difference"] = df["reported"] - df["survey"]
    return df.reset_index(drop=True)
