"""Year-over-year change: each chapter's headline figures for every survey year.

Each chapter computes its series over the years of the survey data (up to the report
year) with the same definitions as its one-year figures, shows it, and glues it as
``<chapter>.series`` (a list of one dict per year). The 摘要 builds its 主要指标
table (本年, 上年, 变化) from those series with :func:`yoy_rows`; a report whose
previous year is missing says so instead of failing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from . import staffing, training
from .data.selection import select
from .disclosure import DEFAULT_K
from .results import jsonable

__all__ = [
    "HEADLINES",
    "records",
    "staffing_series",
    "training_series",
    "yoy_rows",
]

#: The 主要指标 of the 摘要: (chapter, key, label, unit, kind, digits). ``kind`` says how
#: the change is written: ``level`` (absolute and per cent), ``count`` (absolute only: a
#: per cent of a few townships misleads) or ``share`` (percentage points); ``digits`` are
#: the decimals shown for levels and counts.
HEADLINES: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("staffing", "staff_total", "民政工作人员", "人", "level", 0),
    ("staffing", "fte", "折算全时人员", "人", "level", 1),
    ("staffing", "caseload_per_fte", "人均服务对象", "户（人）", "level", 0),
    ("staffing", "townships_short", "达不到标准下限的乡镇（街道）", "个", "count", 0),
    ("staffing", "gap_fte", "折算全时缺口", "人", "level", 1),
    ("funds", "upper_share", "上级补助占资金来源", "%", "share", 1),
    ("training", "turnover_rate", "人员流动率", "%", "share", 1),
    ("training", "trained_share", "本年参训率", "%", "share", 1),
)


def staffing_series(
    data: pd.DataFrame,
    scope: str,
    norm,
    parttime_weight: float = 0.5,
    caseload_weights: Mapping[str, float] | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Staffing headline figures for every survey year of ``scope``.

    Per year: ``townships``, ``staff_total``, ``fte`` (sum), ``caseload_per_fte`` (sum
    of weighted caseload / sum of FTE), ``townships_short`` (gap > 0) and ``gap_fte``
    (sum of gaps), all as :func:`analysis.staffing.assess` defines them for one year.

    Parameters
    ----------
    data : pandas.DataFrame
        Survey frame of all years.
    scope : str
        County name or ``all``.
    norm : analysis.norms.Norm
        The staffing norm.
    parttime_weight, caseload_weights
        As for :func:`analysis.staffing.assess`.
    until : int, optional
        Last year to include (the report year).

    Returns
    -------
    pandas.DataFrame
        One row per year, sorted.
    """
    scoped = select(data, scope=scope)
    if until is not None:
        scoped = scoped[scoped["year"] <= until]
    rows = []
    for year, frame in scoped.groupby("year", sort=True):
        a = staffing.assess(frame, norm, parttime_weight, caseload_weights)
        fte = float(a["fte"].sum())
        rows.append(
            {
                "year": int(year),
                "townships": len(a),
                "staff_total": int(a["staff_total"].sum()),
                "fte": fte,
                "caseload_per_fte": float(a["caseload"].sum()) / fte if fte > 0 else math.nan,
                "townships_short": int(a["short"].fillna(False).astype(bool).sum()),
                "gap_fte": float(a["gap"].sum()),
            }
        )
    return pd.DataFrame(rows)


def training_series(
    data: pd.DataFrame, roster: pd.DataFrame, scope: str, until: int, k: int = DEFAULT_K
) -> pd.DataFrame:
    """Training headline figures per year, with disclosure control.

    ``turnover_rate`` is :func:`analysis.training.turnover` (survey returns) and is
    withheld (NaN) where fewer than ``k`` workers left; ``trained_share`` is the
    share of year-end workers of the roster trained that year, withheld where fewer
    than ``k`` were in post.

    Returns
    -------
    pandas.DataFrame
        ``year, workers, trained_share, leavers, turnover_rate``.
    """
    flows = training.turnover(select(data, scope=scope).query("year <= @until"))
    history = select(roster, scope=scope)
    history = history[history["year"] <= until]
    in_post = history[~history["left_this_year"].astype(bool)]
    coverage = (
        in_post.groupby("year")["trained_this_year"]
        .agg(workers="size", trained_share=lambda s: float(s.astype(bool).mean()))
        .reset_index()
    )
    out = flows[["year", "leavers", "turnover_rate"]].merge(coverage, on="year", how="outer")
    out.loc[out["leavers"] < k, "turnover_rate"] = math.nan
    out.loc[out["workers"] < k, "trained_share"] = math.nan
    return out[["year", "workers", "trained_share", "leavers", "turnover_rate"]].astype(
        {"year": int}
    )


def records(series: pd.DataFrame) -> list[dict]:
    """Return a series as plain records for ``results.glue`` (NaN written as None).

    Returns
    -------
    list of dict
    """
    return jsonable(series.to_dict(orient="records"))


def yoy_rows(
    series: Mapping[str, Sequence[Mapping]], year: int, items=HEADLINES
) -> tuple[list[dict], bool]:
    """Return the 主要指标 rows: each headline in ``year`` and the year before, and the change.

    Parameters
    ----------
    series : mapping
        Chapter name -> its glued series (records with ``year``).
    year : int
        The report year.
    items : sequence
        ``(chapter, key, label, unit, kind, digits)`` as in :data:`HEADLINES`.

    Returns
    -------
    (list of dict, bool)
        Rows with ``label, unit, kind, digits, current, previous, change, change_pct`` (None
        where unknown or withheld; ``change_pct`` only for ``level`` items with a
        non-zero previous value; for ``share`` items ``change`` is in percentage
        points), and whether any chapter has the previous year at all.
    """
    rows, any_previous = [], False
    for chapter, key, label, unit, kind, digits in items:
        if chapter not in series:
            continue
        by_year = {int(r["year"]): r for r in series[chapter]}
        any_previous = any_previous or year - 1 in by_year
        current = (by_year.get(year) or {}).get(key)
        previous = (by_year.get(year - 1) or {}).get(key)
        change = change_pct = None
        if current is not None and previous is not None:
            change = current - previous
            if kind == "share":
                change *= 100
            elif kind == "level" and previous != 0:
                change_pct = change / previous
        rows.append(
            {
                "label": label,
                "unit": unit,
                "kind": kind,
                "digits": digits,
                "current": current,
                "previous": previous,
                "change": change,
                "change_pct": change_pct,
            }
        )
    return rows, any_previous
