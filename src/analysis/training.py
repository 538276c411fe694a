"""Training needs: need scores, demand in person-days, turnover, tenure survival, a logit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.duration.survfunc import SurvfuncRight

from ._stats import exp_coefficients

__all__ = [
    "DEFAULT_MODULES",
    "DEFAULT_WEIGHTS",
    "LOW_EDUCATION",
    "SurvivalResult",
    "TARGET_LABELS",
    "demand",
    "need_indicators",
    "need_score",
    "plan",
    "township_needs",
    "trained_logit",
    "turnover",
    "tenure_survival",
]

#: Yuan per participant and day of training (accommodation, meals, venue, teaching): the
#: ceiling for 三类培训 in 《中央和国家机关培训费管理办法》(财行〔2016〕540号). It is a
#: central-government ceiling; provinces and counties set lower ones, and a report should
#: use its own.
COST_PER_PERSON_DAY = 350.0

#: Participants per class.
CLASS_SIZE = 40

#: Weights of the need indicators.
DEFAULT_WEIGHTS: dict[str, float] = {
    "short_tenure": 2.0,
    "untrained": 2.0,
    "parttime": 1.0,
    "low_education": 1.0,
}
#: Education levels counted as "below the level" (below 大专).
LOW_EDUCATION = ("初中及以下", "高中", "中专")
#: Training modules: days per worker and which indicator makes a worker need it ("all": everyone).
DEFAULT_MODULES: dict[str, dict] = {
    "岗前与业务基础": {"days": 5, "target": "short_tenure"},
    "社会救助政策与审核": {"days": 3, "target": "untrained"},
    "民政信息系统操作": {"days": 2, "target": "low_education"},
    "兼职人员专项轮训": {"days": 2, "target": "parttime"},
    "年度政策更新": {"days": 1, "target": "all"},
}

#: Chinese names of the module targets, for reports.
TARGET_LABELS: dict[str, str] = {
    "short_tenure": "任职年限短",
    "untrained": "本年未参训",
    "parttime": "兼职人员",
    "low_education": "大专以下学历",
    "all": "全体人员",
}


def need_indicators(
    roster: pd.DataFrame, tenure_threshold: float = 3, low_education: Sequence[str] = LOW_EDUCATION
) -> pd.DataFrame:
    """Return the 0/1 need indicators of each worker.

    ``short_tenure = years_in_post < tenure_threshold``; ``untrained = not
    trained_this_year``; ``parttime = not fulltime``; ``low_education =
    education in low_education``.

    Returns
    -------
    pandas.DataFrame
        Columns ``short_tenure``, ``untrained``, ``parttime`` and ``low_education``
        (0 or 1), with the index of ``roster``.
    """
    return pd.DataFrame(
        {
            "short_tenure": (roster["years_in_post"].astype("float64") < tenure_threshold).astype(
                int
            ),
            "untrained": (~roster["trained_this_year"].astype(bool)).astype(int),
            "parttime": (~roster["fulltime"].astype(bool)).astype(int),
            "low_education": roster["education"].isin(list(low_education)).astype(int),
        },
        index=roster.index,
    )


def need_score(
    roster: pd.DataFrame,
    tenure_threshold: float = 3,
    weights: Mapping[str, float] | None = None,
    low_education: Sequence[str] = LOW_EDUCATION,
) -> pd.Series:
    """Compute each worker's training-need score in [0, 1].

    ``score = sum(w_i * x_i) / sum(w_i)`` over the indicators of
    :func:`need_indicators` (short tenure, no training this year, part-time,
    education below 大专). Default weights: 2, 2, 1, 1, so a new, untrained
    worker scores at least 4/6 = 0.67.

    Parameters
    ----------
    roster : pandas.DataFrame
        Staff roster rows.
    tenure_threshold : float
        Years in post below which tenure counts as short.
    weights : mapping, optional
        Indicator -> weight; defaults to :data:`DEFAULT_WEIGHTS`.
    low_education : sequence of str
        Education levels counted as low.

    Returns
    -------
    pandas.Series
        ``need_score`` per worker.

    Raises
    ------
    ValueError
        When ``weights`` names an unknown indicator, or the weights add up to 0 or less.
    """
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(w) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(
            f"unknown need indicator(s) {sorted(unknown)}; known: {sorted(DEFAULT_WEIGHTS)}"
        )
    if sum(w.values()) <= 0:
        raise ValueError("need weights must add up to more than 0")
    x = need_indicators(roster, tenure_threshold, low_education)
    score = sum(weight * x[name] for name, weight in w.items()) / sum(w.values())
    return score.rename("need_score")


def township_needs(
    roster: pd.DataFrame, high: float = 0.5, by: Sequence[str] = ("county", "township"), **score_kw
) -> pd.DataFrame:
    """Roll need scores up to townships: workers, mean score, workers with score >= ``high``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``workers``, ``mean_need`` and ``high_need``.
    """
    data = roster.assign(need_score=need_score(roster, **score_kw))
    g = data.groupby(list(by), observed=True)["need_score"]
    return pd.DataFrame(
        {
            "workers": g.size(),
            "mean_need": g.mean(),
            "high_need": g.apply(lambda s: int((s >= high).sum())),
        }
    ).reset_index()


def demand(
    roster: pd.DataFrame,
    modules: Mapping[str, Mapping] | None = None,
    tenure_threshold: float = 3,
    low_education: Sequence[str] = LOW_EDUCATION,
) -> pd.DataFrame:
    """Training demand in person-days by module.

    ``person_days(module) = days(module) * number of workers whose indicator
    ``target`` is 1`` (every worker for target ``"all"``).

    Returns
    -------
    pandas.DataFrame
        ``module, target, days, workers, person_days``.

    Raises
    ------
    ValueError
        When a module's ``target`` is neither an indicator nor ``all``.
    """
    spec = DEFAULT_MODULES if modules is None else modules
    targets, days = module_targets(roster, spec, tenure_threshold, low_education)
    rows = []
    for module, who in targets.items():
        workers = int(who.sum())
        rows.append(
            {
                "module": module,
                "target": spec[module]["target"],
                "days": days[module],
                "workers": workers,
                "person_days": days[module] * workers,
            }
        )
    return pd.DataFrame(rows)


def module_targets(
    roster: pd.DataFrame,
    modules: Mapping[str, Mapping] | None = None,
    tenure_threshold: float = 3,
    low_education: Sequence[str] = LOW_EDUCATION,
) -> tuple[dict[str, pd.Series], dict[str, float]]:
    """Return, per module, which workers need it (as :func:`demand` counts them) and its days.

    Returns
    -------
    (dict, dict)
        Module -> boolean Series aligned with ``roster``; module -> days per worker.

    Raises
    ------
    ValueError
        When a module's ``target`` is neither an indicator nor ``all``.
    """
    spec = DEFAULT_MODULES if modules is None else modules
    x = need_indicators(roster, tenure_threshold, low_education)
    targets, days = {}, {}
    for module, m in spec.items():
        target = m["target"]
        if target != "all" and target not in x.columns:
            raise ValueError(f"module {module!r}: unknown target {target!r}")
        targets[module] = (
            pd.Series(True, index=roster.index) if target == "all" else x[target].astype(bool)
        )
        days[module] = float(m["days"])
    return targets, days


def plan(
    demand_table: pd.DataFrame,
    class_size: int = CLASS_SIZE,
    cost_per_person_day: float = COST_PER_PERSON_DAY,
) -> pd.DataFrame:
    """Turn demand (person-days by module, from :func:`demand`) into classes and cost.

    ``classes = ceil(workers / class_size)`` (every class of a module runs the module's
    ``days``), ``class_days = classes * days`` (days of teaching to organise) and
    ``cost = person_days * cost_per_person_day`` (yuan).

    Parameters
    ----------
    demand_table : pandas.DataFrame
        ``module, days, workers, person_days`` (and any other columns, kept).
    class_size : int
        Most participants per class, at least 1.
    cost_per_person_day : float
        Yuan per participant and day, at least 0.

    Returns
    -------
    pandas.DataFrame
        The demand with ``classes``, ``class_days`` and ``cost``.

    Raises
    ------
    ValueError
        For a class size below 1 or a negative cost.
    """
    if class_size < 1 or cost_per_person_day < 0:
        raise ValueError(
            f"class_size must be >= 1 and cost_per_person_day >= 0 "
            f"(got {class_size}, {cost_per_person_day})"
        )
    out = demand_table.copy()
    workers = out["workers"].astype("int64")
    out["classes"] = (workers + class_size - 1) // class_size
    out["class_days"] = out["classes"] * out["days"].astype("float64")
    out["cost"] = out["person_days"].astype("float64") * cost_per_person_day
    return out


def turnover(df: pd.DataFrame, by: Sequence[str] = ("year",)) -> pd.DataFrame:
    """Annual turnover rate from survey returns.

    ``end = staff_total`` (year end), ``start = end - staff_joined + staff_left``,
    ``rate = sum(staff_left) / ((sum(start) + sum(end)) / 2)``.

    Returns
    -------
    pandas.DataFrame
        ``by..., leavers, joiners, start, end, turnover_rate``.
    """
    data = df.assign(
        end=df["staff_total"].astype("float64"),
        start=df["staff_total"].astype("float64")
        - df["staff_joined"].astype("float64")
        + df["staff_left"].astype("float64"),
    )
    g = data.groupby(list(by), observed=True)
    out = pd.DataFrame(
        {
            "leavers": g["staff_left"].sum().astype("float64"),
            "joiners": g["staff_joined"].sum().astype("float64"),
            "start": g["start"].sum(),
            "end": g["end"].sum(),
        }
    )
    mean_staff = (out["start"] + out["end"]) / 2
    out["turnover_rate"] = out["leavers"] / mean_staff.where(mean_staff > 0)
    return out.reset_index()


@dataclass
class SurvivalResult:
    """Kaplan-Meier tenure curve: ``curve`` (years, survival, ci_low, ci_high) and ``median``.

    ``median`` is the first time at which survival falls to 0.5 or below, or
    None when fewer than half of the workers have left by the last time seen.
    """

    curve: pd.DataFrame
    median: float | None
    workers: int
    leavers: int


def tenure_survival(roster: pd.DataFrame) -> SurvivalResult:
    """Estimate how long workers stay in post (statsmodels ``SurvfuncRight``).

    Each worker contributes one spell: years in post at his or her last
    record, with the event "left" when that record says ``left_this_year``
    and censored otherwise (still in post).

    Returns
    -------
    SurvivalResult
    """
    last = roster.sort_values("year").groupby("staff_id", observed=True).tail(1)
    time = last["years_in_post"].astype("float64").to_numpy() + 0.5  # left during the year
    event = last["left_this_year"].astype(bool).astype(int).to_numpy()
    sf = SurvfuncRight(time, event)
    with np.errstate(divide="ignore", invalid="ignore"):  # the band is undefined where S = 0
        low, high = sf.simultaneous_cb() if event.sum() > 0 else (sf.surv_prob, sf.surv_prob)
    curve = pd.DataFrame(
        {"years": sf.surv_times, "survival": sf.surv_prob, "ci_low": low, "ci_high": high}
    )
    # Median: the first time the curve reaches 0.5 or below (statsmodels'
    # quantile() asks for strictly below, which misses a curve landing on 0.5).
    reached = curve.loc[curve["survival"] <= 0.5 + 1e-12, "years"]
    median = float(reached.iloc[0]) if len(reached) else None
    return SurvivalResult(curve, median, len(last), int(event.sum()))


def trained_logit(
    roster: pd.DataFrame,
    formula: str = "trained ~ fulltime + established + short_tenure + low_education",
    tenure_threshold: float = 3,
) -> pd.DataFrame:
    """Logit of ``trained_this_year`` on worker traits, as odds ratios with 95 % CIs.

    Traits: full-time, on an established post (行政/事业编制), short tenure
    (< ``tenure_threshold`` years), education below 大专.

    Returns
    -------
    pandas.DataFrame
        ``term, odds_ratio, ci_low, ci_high, p_value`` (intercept excluded);
        ``attrs["model"]`` is the fitted statsmodels model.

    Raises
    ------
    ValueError
        When every worker was trained, or none was.
    """
    data = pd.DataFrame(
        {
            "trained": roster["trained_this_year"].astype(bool).astype(int),
            "fulltime": roster["fulltime"].astype(bool).astype(int),
            "established": roster["employment_type"].isin(["行政编制", "事业编制"]).astype(int),
            "short_tenure": (roster["years_in_post"].astype("float64") < tenure_threshold).astype(
                int
            ),
            "low_education": roster["education"].isin(list(LOW_EDUCATION)).astype(int),
        }
    )
    if data["trained"].nunique() < 2:
        raise ValueError("the training logit needs both trained and untrained workers")
    res = smf.logit(formula, data).fit(disp=0)
    table = exp_coefficients(res, "odds_ratio")
    table = table[table["term"] != "Intercept"].reset_index(drop=True)
    table.attrs["model"] = res.model  # for the output check (analysis.sdc.check_model)
    return table
