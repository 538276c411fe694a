"""Small helpers shared by the model modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def exp_coefficients(result, name: str, alpha: float = 0.05) -> pd.DataFrame:
    """Tidy table of exponentiated coefficients (rate or odds ratios) with their CI and p-value.

    Parameters
    ----------
    result : statsmodels results
        A fitted GLM or discrete model on the log or logit scale.
    name : str
        Column name of the ratio, e.g. ``"rate_ratio"`` or ``"odds_ratio"``.
    alpha : float
        1 - confidence level.

    Returns
    -------
    pandas.DataFrame
        ``term, <name>, ci_low, ci_high, p_value``.
    """
    ci = result.conf_int(alpha)
    return pd.DataFrame(
        {
            "term": result.params.index,
            name: np.exp(result.params.values),
            "ci_low": np.exp(ci[0].values),
            "ci_high": np.exp(ci[1].values),
            "p_value": result.pvalues.values,
        }
    )
