"""Staffing against caseload: FTE, norms, a count model of staff, and aggregates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np  # noqa: F401 - the patsy formula (FORMULA) calls np.log
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

from ._stats import exp_coefficients
from .data.derivation import derive
from .errors import NormError
from .norms import STAFF, Norm

__all__ = [
    "StaffModel",
    "aggregate",
    "assess",
    "fit_staff_model",
    "flag_below_peers",
    "OVERDISPERSION_LIMIT",
]

#: Pearson dispersion above which the Poisson model is replaced by a negative binomial.
OVERDISPERSION_LIMIT = 1.5


def assess(
    df: pd.DataFrame,
    norm: Norm,
    parttime_weight: float = 0.5,
    caseload_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Compare each township's staffing with a norm.

    Adds (re-computing the derived columns with the given weights):

    - ``fte = staff_fulltime + parttime_weight * (staff_total - staff_fulltime)``
    - ``caseload = sum(weight_c * count_c)`` and ``caseload_per_fte = caseload / fte``
    - ``required_staff``: the norm's minimum for the row's basis value
    - ``required_max``: the upper end of the norm's range, where it gives one
    - ``gap = max(required_staff - fte, 0)``: FTE missing to reach the minimum
    - ``short``: ``gap > 0``

    Parameters
    ----------
    df : pandas.DataFrame
        Survey frame (from :func:`analysis.surveys.load`).
    norm : Norm
        The staffing norm.
    parttime_weight : float
        FTE of one part-time worker.
    caseload_weights : mapping, optional
        Caseload weights; see :func:`analysis.surveys.derive`.

    Returns
    -------
    pandas.DataFrame
        A copy with the columns above.

    Raises
    ------
    NormError
        When the norm's basis column is absent, or the norm sets another resource.
    """
    if norm.resource != STAFF:
        raise NormError(
            norm.path,
            "resource",
            f"this norm sets {norm.resource}, not staff; compare it with norms.compare",
        )
    out = derive(df, parttime_weight, caseload_weights)
    out["required_staff"] = norm.required(out)
    out["required_max"] = norm.required_max(out)
    required = out["required_staff"].astype("float64")
    out["gap"] = (required - out["fte"]).clip(lower=0)
    out["short"] = (out["gap"] > 0).astype("boolean").where(out["gap"].notna())
    return out


@dataclass
class StaffModel:
    """A fitted count model of staff.

    Attributes
    ----------
    family : str
        ``"Poisson"`` or ``"NegativeBinomial"``.
    dispersion : float
        Pearson chi-squared / residual df of the Poisson fit, which chose the family.
    alpha : float or None
        Negative-binomial dispersion parameter, when used.
    table : pandas.DataFrame
        Tidy coefficients: ``term, rate_ratio, ci_low, ci_high, p_value``.
    predicted : pandas.Series
        Expected staff for every row used in the fit (index of the input).
    result : statsmodels GLMResults
        The underlying fit.
    """

    family: str
    dispersion: float
    alpha: float | None
    table: pd.DataFrame
    predicted: pd.Series
    result: object


FORMULA = "staff_total ~ np.log(population) + np.log1p(caseload) + C(township_type)"


def fit_staff_model(df: pd.DataFrame, formula: str = FORMULA) -> StaffModel:
    """Fit a GLM of staff counts on log population, log caseload and township type.

    A Poisson GLM is fitted first. When its Pearson dispersion exceeds
    :data:`OVERDISPERSION_LIMIT`, the model is refitted as a negative binomial
    GLM with ``alpha`` estimated by maximum likelihood; otherwise Poisson is
    kept (staff counts of 1-6 are usually *under*-dispersed, for which
    Poisson gives conservative intervals).

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with staff_total, population, caseload and township_type.
    formula : str
        Patsy formula; the default is :data:`FORMULA`.

    Returns
    -------
    StaffModel

    Raises
    ------
    ValueError
        When fewer than 10 complete rows are available.
    """
    data = df.copy()
    for col in ("staff_total", "population", "caseload"):
        data[col] = pd.to_numeric(data[col], errors="coerce").astype("float64")
    data = data.dropna(subset=["staff_total", "population", "caseload", "township_type"])
    data = data[data["population"] > 0]
    if len(data) < 10:
        raise ValueError(f"the staff model needs at least 10 complete rows, got {len(data)}")
    if data["township_type"].nunique() < 2:
        formula = formula.replace(" + C(township_type)", "")
    poisson = smf.glm(formula, data, family=sm.families.Poisson()).fit()
    dispersion = float(poisson.pearson_chi2 / poisson.df_resid)
    result, family, alpha = poisson, "Poisson", None
    if dispersion > OVERDISPERSION_LIMIT:
        nb = smf.negativebinomial(formula, data).fit(disp=0)
        alpha = float(nb.params["alpha"])
        result = smf.glm(formula, data, family=sm.families.NegativeBinomial(alpha=alpha)).fit()
        family = "NegativeBinomial"
    table = exp_coefficients(result, "rate_ratio")
    predicted = pd.Series(result.fittedvalues, index=data.index, name="predicted_staff")
    return StaffModel(family, dispersion, alpha, table, predicted, result)


def flag_below_peers(df: pd.DataFrame, model: StaffModel, threshold: float = 0.6) -> pd.DataFrame:
    """Flag townships staffed far below what the model predicts for their peers.

    Rule: ``ratio = staff_total / predicted_staff``; a township is flagged
    when ``ratio < threshold``. Peers are townships of the same type with
    similar population and caseload, as the model sees them. With the default
    0.6, a township the model expects to have 3 workers is flagged at 1.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows the model was fitted on (same index).
    model : StaffModel
        From :func:`fit_staff_model`.
    threshold : float
        Flag below this ratio, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        A copy with ``predicted_staff``, ``staff_ratio`` and ``below_peers``.

    Raises
    ------
    ValueError
        When ``threshold`` is not in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be within (0, 1], got {threshold}")
    out = df.copy()
    out["predicted_staff"] = model.predicted.reindex(out.index)
    out["staff_ratio"] = out["staff_total"].astype("float64") / out["predicted_staff"]
    out["below_peers"] = (out["staff_ratio"] < threshold).where(out["staff_ratio"].notna())
    return out


def aggregate(assessed: pd.DataFrame, by: Sequence[str] = ("county", "year")) -> pd.DataFrame:
    """Aggregate an assessed frame by county and/or year.

    Ratios are of sums, not means of ratios: ``caseload_per_fte = sum(caseload)
    / sum(fte)``; ``parttime_share = sum(staff_parttime) / sum(staff_total)``.

    Parameters
    ----------
    assessed : pandas.DataFrame
        Output of :func:`assess`.
    by : sequence of str
        Grouping columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``townships, staff_total, staff_fulltime, fte,
        caseload, caseload_per_fte, parttime_share, required_staff, gap,
        townships_short``.
    """
    g = assessed.groupby(list(by), observed=True)
    out = pd.DataFrame(
        {
            "townships": g.size(),
            "staff_total": g["staff_total"].sum(),
            "staff_fulltime": g["staff_fulltime"].sum(),
            "fte": g["fte"].sum(),
            "caseload": g["caseload"].sum(),
            "required_staff": g["required_staff"].sum(),
            "gap": g["gap"].sum(),
            "townships_short": g["short"].sum(),
        }
    )
    out["caseload_per_fte"] = out["caseload"] / out["fte"].where(out["fte"] > 0)
    staff = out["staff_total"].astype("float64")
    out["parttime_share"] = (staff - out["staff_fulltime"].astype("float64")) / staff.where(
        staff > 0
    )
    return out.reset_index()
