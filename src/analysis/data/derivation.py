"""The derived columns of the data model."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..dictionary import DEFAULT_CASELOAD_WEIGHTS

__all__ = ["derive"]


def derive(
    df: pd.DataFrame,
    parttime_weight: float = 0.5,
    caseload_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Add the derived columns of the data model.

    - ``staff_parttime = staff_total - staff_fulltime``
    - ``fte = staff_fulltime + parttime_weight * staff_parttime``
    - ``assistance_households = dibao_households + tekun_persons``
    - ``caseload = sum(weight_c * count_c)`` over the programme counts
    - ``caseload_per_fte = caseload / fte`` (missing when fte is 0)

    A derived value is missing when any of its inputs is missing.

    Parameters
    ----------
    df : pandas.DataFrame
        Survey frame with columns named by code.
    parttime_weight : float
        FTE of one part-time worker, in [0, 1].
    caseload_weights : mapping, optional
        Column -> weight; defaults to
        :data:`analysis.dictionary.DEFAULT_CASELOAD_WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        A copy with the derived columns.

    Raises
    ------
    ValueError
        When ``parttime_weight`` is outside [0, 1] or a weight names a column
        the frame lacks.
    """
    if not 0.0 <= parttime_weight <= 1.0:
        raise ValueError(f"parttime_weight must be within [0, 1], got {parttime_weight}")
    weights = dict(DEFAULT_CASELOAD_WEIGHTS if caseload_weights is None else caseload_weights)
    out = df.copy()

    def col(name: str) -> pd.Series:
        if name in out.columns:
            return out[name].astype("float64")
        return pd.Series(np.nan, index=out.index)

    out["staff_parttime"] = (
        (col("staff_total") - col("staff_fulltime")).astype("Float64").round().astype("Int64")
    )
    out["fte"] = col("staff_fulltime") + parttime_weight * out["staff_parttime"].astype("float64")
    out["assistance_households"] = (
        (col("dibao_households") + col("tekun_persons")).astype("Float64").round().astype("Int64")
    )
    caseload = pd.Series(0.0, index=out.index)
    for name, weight in weights.items():
        if name not in out.columns and caseload_weights is not None:
            raise ValueError(f"caseload weight given for unknown column {name!r}")
        caseload = caseload + weight * col(name)
    out["caseload"] = caseload
    fte = out["fte"].where(out["fte"] > 0)
    out["caseload_per_fte"] = out["caseload"] / fte
    return out
