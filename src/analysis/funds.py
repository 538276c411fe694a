"""Fund structure and its trend: source and use shares, dependence, matching, trends."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

__all__ = ["SOURCES", "USES", "TrendResult", "national_context", "shares", "trend"]

SOURCES = ("fund_upper", "fund_local", "fund_social")
USES = ("spend_relief", "spend_services", "spend_admin", "spend_other")
REFERENCE_CSV = (
    Path(__file__).resolve().parents[2] / "data" / "reference" / "national_reference.csv"
)


def shares(df: pd.DataFrame, by: Sequence[str] | str | None = ("year",)) -> pd.DataFrame:
    """Compute fund source and use shares per group (shares of sums, in [0, 1]).

    - ``upper_share, local_share, social_share = fund_x / receipts`` where
      ``receipts = fund_upper + fund_local + fund_social``; ``upper_share`` is
      the upper-level dependence.
    - ``relief_share, services_share, admin_share, other_share = spend_x / spending``.
    - ``hhi = upper_share² + local_share² + social_share²`` (1 = a single source).
    - ``matching_shortfall = sum(max(matching_required - matching_received, 0))``
      over townships (one township's surplus does not cover another's
      shortfall), and ``shortfall_rate = matching_shortfall / sum(matching_required)``.

    Parameters
    ----------
    df : pandas.DataFrame
        Survey rows with the fund columns (万元).
    by : sequence of str, str or None
        Grouping columns; None for one overall row.

    Returns
    -------
    pandas.DataFrame
        Sums (``receipts``, ``spending``, each source and use) and the shares above.
    """
    data = df.copy()
    if "matching_required" in data and "matching_received" in data:
        gap = data["matching_required"] - data["matching_received"]
        data["matching_shortfall"] = gap.clip(lower=0)
    cols = [
        c
        for c in (*SOURCES, *USES, "matching_required", "matching_received", "matching_shortfall")
        if c in data.columns
    ]
    if by is None or (not isinstance(by, str) and len(by) == 0):
        sums = data[cols].sum(min_count=1).to_frame().T
    else:
        keys = [by] if isinstance(by, str) else list(by)
        sums = data.groupby(keys, observed=True)[cols].sum(min_count=1)
    sums["receipts"] = sums[list(SOURCES)].sum(axis=1, min_count=len(SOURCES))
    receipts = sums["receipts"].where(sums["receipts"] > 0)
    for src in SOURCES:
        sums[src.replace("fund_", "") + "_share"] = sums[src] / receipts
    sums["hhi"] = sum(sums[s.replace("fund_", "") + "_share"] ** 2 for s in SOURCES)
    if set(USES) <= set(sums.columns):
        sums["spending"] = sums[list(USES)].sum(axis=1, min_count=len(USES))
        spending = sums["spending"].where(sums["spending"] > 0)
        for use in USES:
            sums[use.replace("spend_", "") + "_share"] = sums[use] / spending
    if "matching_shortfall" in sums:
        required = sums["matching_required"].where(sums["matching_required"] > 0)
        sums["shortfall_rate"] = sums["matching_shortfall"] / required
    return sums.reset_index() if by else sums.reset_index(drop=True)


@dataclass
class TrendResult:
    """An OLS linear trend with HAC (Newey-West) standard errors.

    Attributes
    ----------
    slope, intercept : float
        Change per time unit, and the level at time 0.
    slope_ci : (float, float)
        95 % (or ``1 - alpha``) confidence interval of the slope, HAC errors.
    slope_se, p_value : float
        HAC standard error and p-value of the slope.
    maxlags : int
        HAC lag truncation.
    n : int
        Observations.
    projection : pandas.DataFrame
        ``time, mean, mean_low, mean_high, pi_low, pi_high`` for the projected
        periods: the fitted line, its confidence band, and prediction intervals
        for a new observation.
    result : statsmodels RegressionResults
    """

    slope: float
    intercept: float
    slope_ci: tuple[float, float]
    slope_se: float
    p_value: float
    maxlags: int
    n: int
    projection: pd.DataFrame
    result: object


def trend(
    frame: pd.DataFrame,
    value_col: str,
    time_col: str = "year",
    horizon: int = 3,
    alpha: float = 0.05,
    maxlags: int | None = None,
) -> TrendResult:
    """Fit ``value = a + b * time`` by OLS with HAC errors, and project it.

    The lag truncation defaults to the Newey-West rule
    ``floor(4 * (n / 100) ** (2 / 9))``, at least 1.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per period (e.g. the output of :func:`shares` by year).
    value_col, time_col : str
        Columns of the series and of time.
    horizon : int
        Number of periods to project after the last one.
    alpha : float
        1 - confidence level.
    maxlags : int, optional
        HAC lags.

    Returns
    -------
    TrendResult

    Raises
    ------
    ValueError
        With fewer than 3 observations.
    """
    data = frame[[time_col, value_col]].dropna().sort_values(time_col)
    n = len(data)
    if n < 3:
        raise ValueError(f"a trend needs at least 3 periods of {value_col!r}, got {n}")
    lags = maxlags if maxlags is not None else max(1, math.floor(4 * (n / 100) ** (2 / 9)))
    t = data[time_col].astype("float64").to_numpy()
    y = data[value_col].astype("float64").to_numpy()
    X = sm.add_constant(t)
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    low, high = res.conf_int(alpha)[1]
    future = np.arange(1, horizon + 1, dtype="float64") + t.max()
    pred = res.get_prediction(sm.add_constant(future, has_constant="add")).summary_frame(alpha)
    projection = pd.DataFrame(
        {
            "time": future.astype(int) if np.all(t == np.round(t)) else future,
            "mean": pred["mean"].to_numpy(),
            "mean_low": pred["mean_ci_lower"].to_numpy(),
            "mean_high": pred["mean_ci_upper"].to_numpy(),
            "pi_low": pred["obs_ci_lower"].to_numpy(),
            "pi_high": pred["obs_ci_upper"].to_numpy(),
        }
    )
    return TrendResult(
        float(res.params[1]),
        float(res.params[0]),
        (float(low), float(high)),
        float(res.bse[1]),
        float(res.pvalues[1]),
        lags,
        n,
        projection,
        res,
    )


def national_context(path: str | Path = REFERENCE_CSV) -> pd.DataFrame:
    """Central-government shares from the real national reference series.

    - 低保 funds, 2010-2014: ``dibao_fund_{urban,rural}_central / _total``.
    - All social-service spending, 2015 and 2020:
      ``spending_central_transfer / spending_total``.

    Parameters
    ----------
    path : path
        The national reference CSV (``data/reference/national_reference.csv``).

    Returns
    -------
    pandas.DataFrame
        ``year, series, total, central, central_share, unit, source``, sorted.
    """
    ref = pd.read_csv(path, encoding="utf-8")
    pairs = {
        "城市低保资金": ("dibao_fund_urban_total", "dibao_fund_urban_central"),
        "农村低保资金": ("dibao_fund_rural_total", "dibao_fund_rural_central"),
        "社会服务事业费": ("spending_total", "spending_central_transfer"),
    }
    rows = []
    for series, (total_ind, central_ind) in pairs.items():
        total = ref[ref["indicator"] == total_ind].set_index("year")
        central = ref[ref["indicator"] == central_ind].set_index("year")
        for year in sorted(set(total.index) & set(central.index)):
            rows.append(
                {
                    "year": int(year),
                    "series": series,
                    "total": float(total.at[year, "value"]),
                    "central": float(central.at[year, "value"]),
                    "central_share": float(central.at[year, "value"])
                    / float(total.at[year, "value"]),
                    "unit": total.at[year, "unit"],
                    "source": central.at[year, "source"],
                }
            )
    return pd.DataFrame(rows).sort_values(["series", "year"]).reset_index(drop=True)
