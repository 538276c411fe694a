"""Choosing rows of a loaded survey frame or roster, and describing what it holds."""

from __future__ import annotations

import pandas as pd

from ..dictionary import SURVEY_FIELDS
from ..errors import SelectionError

__all__ = ["completeness", "is_synthetic", "select", "summary"]


def select(df: pd.DataFrame, year: int | None = None, scope: str = "all") -> pd.DataFrame:
    """Return the rows of one year (or all years) and one county (or ``"all"``).

    Parameters
    ----------
    df : pandas.DataFrame
        A loaded survey frame or roster.
    year : int, optional
        Survey year; None keeps every year.
    scope : str
        County name, or ``"all"``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    SelectionError
        When the county or the year has no rows, naming what the data holds.
    """
    out = df
    if scope != "all":
        if scope not in set(df["county"].dropna()):
            raise SelectionError("scope", scope, sorted(df["county"].dropna().unique()))
        out = out[out["county"] == scope]
    if year is not None:
        if int(year) not in set(out["year"].dropna().astype(int)):
            raise SelectionError(
                "year", year, sorted(int(y) for y in out["year"].dropna().unique())
            )
        out = out[out["year"] == int(year)]
    return out.copy()


def is_synthetic(df: pd.DataFrame) -> bool:
    """Return True when any row of ``df`` is marked synthetic (column ``synthetic``).

    Returns
    -------
    bool
        True when the frame has a ``synthetic`` column with any true value.
    """
    return "synthetic" in df.columns and bool(df["synthetic"].fillna(False).astype(bool).any())


def summary(df: pd.DataFrame) -> dict[str, object]:
    """Summarise a loaded survey frame: rows, townships, counties and years.

    Returns
    -------
    dict
        ``rows``, ``townships`` (distinct county/township pairs), ``counties``,
        ``years`` (sorted list) and ``synthetic``.
    """
    towns = df[["county", "township"]].drop_duplicates()
    return {
        "rows": int(len(df)),
        "townships": int(len(towns)),
        "counties": int(df["county"].nunique()),
        "years": sorted(int(y) for y in df["year"].dropna().unique()),
        "synthetic": is_synthetic(df),
    }


def completeness(df: pd.DataFrame) -> pd.DataFrame:
    """Tabulate missing values per dictionary column present in ``df``.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``label`` (Chinese), ``missing`` (count) and
        ``complete_pct`` (share of non-missing rows, per cent, one decimal).
    """
    rows = []
    for f in SURVEY_FIELDS:
        if f.code in df.columns and f.code != "synthetic":
            missing = int(df[f.code].isna().sum())
            pct = round(100.0 * (len(df) - missing) / len(df), 1) if len(df) else float("nan")
            rows.append((f.code, f.label, missing, pct))
    return pd.DataFrame(rows, columns=["column", "label", "missing", "complete_pct"])
