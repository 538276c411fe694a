"""Policy scenarios: what closing the staffing gap costs, and where new posts go first.

The inputs are townships assessed against a norm (:func:`analysis.staffing.assess`:
``fte``, ``caseload``, ``gap``). New posts are whole posts of one FTE each.

Costs per post and year default to real national wage figures (国家统计局, 2023年
城镇单位就业人员年平均工资, released 2024-05-17): an established post (编制内) at the
average wage of urban non-private units, 120,698 元; a government-purchased service post
(政府购买服务岗位) at the average wage of urban private units, 68,340 元. They are wages
only (no social insurance or office costs) and national averages; a report for a region
should set its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

__all__ = [
    "DEFAULT_POST_COSTS",
    "PARTTIME_GRID",
    "RULES",
    "allocate",
    "closing_cost",
    "posts_for_budget",
    "sensitivity",
    "sensitivity_sentence",
    "working_conditions",
]

#: Part-time weights tried by :func:`sensitivity` (nobody can pin the weight down).
PARTTIME_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)

#: Yuan per post and year, by kind of post (see the module's notes for the source).
DEFAULT_POST_COSTS = {"编制内": 120698.0, "购买服务": 68340.0}

#: Allocation rules: which township gets the next post.
RULES = {
    "caseload": "the largest caseload per FTE (after the posts it already got)",
    "gap": "the largest remaining gap to the norm (townships without a gap get none)",
}


def posts_for_budget(budget: float, cost_per_post: float) -> int:
    """Return how many whole posts a yearly budget pays for.

    Parameters
    ----------
    budget : float
        Yuan per year, at least 0.
    cost_per_post : float
        Yuan per post and year, more than 0.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        For a negative budget or a cost that is not positive.
    """
    if budget < 0 or not cost_per_post > 0:
        raise ValueError(
            f"budget must be >= 0 and cost per post > 0 (got {budget}, {cost_per_post})"
        )
    return math.floor(budget / cost_per_post + 1e-9)


def allocate(assessed: pd.DataFrame, posts: int, rule: str = "caseload") -> pd.DataFrame:
    """Give ``posts`` new posts (1 FTE each) to townships, one at a time, greedily.

    Each post goes to the township that ranks first under ``rule`` at that moment
    (see :data:`RULES`); the ranking is recomputed after every post, so a township
    can get several. Ties go to the township listed first. Under ``gap``, posts
    stop when every gap is closed; the ones left over are reported in
    ``attrs["unallocated"]``.

    Parameters
    ----------
    assessed : pandas.DataFrame
        With ``fte``, ``caseload`` and ``gap`` (from :func:`analysis.staffing.assess`).
    posts : int
        New posts to place, at least 0.
    rule : str
        ``caseload`` or ``gap``.

    Returns
    -------
    pandas.DataFrame
        The frame with ``new_posts``, ``fte_after``, ``caseload_per_fte_after`` and
        ``gap_after``; ``attrs`` holds ``rule``, ``posts`` and ``unallocated``.

    Raises
    ------
    ValueError
        For an unknown rule, a negative number of posts, or missing columns.
    """
    if rule not in RULES:
        raise ValueError(f"unknown allocation rule {rule!r}; use one of {', '.join(RULES)}")
    if posts < 0:
        raise ValueError(f"posts must be >= 0, got {posts}")
    missing = {"fte", "caseload", "gap"} - set(assessed.columns)
    if missing:
        raise ValueError(f"allocate needs the columns {sorted(missing)} (run staffing.assess)")
    fte = assessed["fte"].astype("float64").fillna(0.0).to_numpy().copy()
    caseload = assessed["caseload"].astype("float64").fillna(0.0).to_numpy()
    gap = assessed["gap"].astype("float64").fillna(0.0).to_numpy().copy()
    given = [0] * len(assessed)
    left = posts
    while left > 0 and len(given):
        if rule == "gap":
            best = max(range(len(gap)), key=lambda i: (gap[i], -i))
            if gap[best] <= 0:
                break
        else:
            load = [
                (c / f if f > 0 else math.inf) if c > 0 else 0.0
                for c, f in zip(caseload, fte, strict=True)
            ]
            best = max(range(len(load)), key=lambda i: (load[i], -i))
        given[best] += 1
        fte[best] += 1.0
        gap[best] = max(gap[best] - 1.0, 0.0)
        left -= 1
    out = assessed.copy()
    out["new_posts"] = given
    out["fte_after"] = fte
    out["caseload_per_fte_after"] = [
        c / f if f > 0 else math.nan for c, f in zip(caseload, fte, strict=True)
    ]
    out["gap_after"] = gap
    out.attrs.update(rule=rule, posts=posts, unallocated=left)
    return out


def closing_cost(
    assessed: pd.DataFrame,
    mix: Mapping[str, float],
    costs: Mapping[str, float] = DEFAULT_POST_COSTS,
) -> dict:
    """Return the posts and the yearly cost of closing every township's gap.

    Each township's gap is closed with whole posts (``ceil(gap)``); the posts are
    paid at the cost of each kind in proportion to ``mix``.

    Parameters
    ----------
    assessed : pandas.DataFrame
        With ``gap``.
    mix : mapping
        Share of each kind of post (e.g. ``{"编制内": 0.6, "购买服务": 0.4}``), summing to 1.
    costs : mapping
        Yuan per post and year, by kind (default :data:`DEFAULT_POST_COSTS`).

    Returns
    -------
    dict
        ``posts`` (int), ``cost_per_post`` (the mix's average, yuan) and ``cost`` (yuan per year).

    Raises
    ------
    ValueError
        When the mix does not sum to 1, has a negative share, or names a kind without a cost.
    """
    if any(v < 0 for v in mix.values()) or not math.isclose(sum(mix.values()), 1.0, abs_tol=1e-9):
        raise ValueError(
            f"the shares of the kinds of post must be >= 0 and sum to 1, got {dict(mix)}"
        )
    unknown = set(mix) - set(costs)
    if unknown:
        raise ValueError(f"no cost per post for {sorted(unknown)}; known: {sorted(costs)}")
    gaps = assessed["gap"].astype("float64").fillna(0.0)
    posts = int(sum(math.ceil(g - 1e-9) for g in gaps if g > 0))
    per_post = sum(share * costs[kind] for kind, share in mix.items())
    return {"posts": posts, "cost_per_post": per_post, "cost": posts * per_post}


def sensitivity(
    frame: pd.DataFrame,
    norm,
    parttime_weights=PARTTIME_GRID,
    caseload_grid: Mapping[str, Mapping[str, float] | None] | None = None,
    key: str = "township",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assess the townships under every combination of uncertain assumptions.

    Parameters
    ----------
    frame : pandas.DataFrame
        Survey rows (one year, one scope).
    norm : analysis.norms.Norm
        The staffing norm.
    parttime_weights : sequence of float
        FTE of a part-time worker to try.
    caseload_grid : mapping, optional
        Named sets of caseload weights to try (default: the default weights only).
    key : str
        Column naming a township.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        One row per assumption (``parttime_weight``, ``weights``, ``townships_short``,
        ``gap_total``, ``caseload_per_fte_median``), and one row per township with
        ``short_in`` (assumptions under which it is short) and ``of`` (assumptions tried).
    """
    from .staffing import assess

    grid = caseload_grid or {"默认": None}
    rows, short_count = [], pd.Series(0, index=frame.index, dtype="int64")
    for pw in parttime_weights:
        for label, weights in grid.items():
            a = assess(frame, norm, pw, weights)
            short = a["short"].fillna(False).astype(bool)
            short_count += short.astype("int64")
            rows.append(
                {
                    "parttime_weight": pw,
                    "weights": label,
                    "townships_short": int(short.sum()),
                    "gap_total": float(a["gap"].sum()),
                    "caseload_per_fte_median": float(a["caseload_per_fte"].median()),
                }
            )
    n = len(rows)
    per_town = pd.DataFrame({key: frame[key], "short_in": short_count, "of": n})
    return pd.DataFrame(rows), per_town.reset_index(drop=True)


def sensitivity_sentence(per_town: pd.DataFrame, key: str = "township") -> str:
    """Say in one sentence which shortfalls hold under every assumption and which do not.

    Returns
    -------
    str
    """
    n = int(per_town["of"].max()) if len(per_town) else 0
    always = per_town.loc[per_town["short_in"] == n, key].tolist()
    some = per_town.loc[(per_town["short_in"] > 0) & (per_town["short_in"] < n)]
    parts = []
    if always:
        parts.append(f"在全部{n}种假设下，{'、'.join(always)}均低于配备标准")
    else:
        parts.append(f"没有一个乡镇在全部{n}种假设下都低于配备标准")
    if len(some):
        shown = "、".join(f"{t}（{k}种）" for t, k in zip(some[key], some["short_in"], strict=True))
        parts.append(f"{shown}是否短缺取决于假设")
    else:
        parts.append("其余乡镇在任何假设下都不短缺")
    return "；".join(parts) + "。"


def working_conditions(
    assessed: pd.DataFrame, area_norms: Mapping[str, object], by: str = "county"
) -> pd.DataFrame:
    """Office area and functions per FTE by group, and townships below each area norm.

    Per township ``functions_per_fte = functions_count / fte`` (missing where FTE is 0);
    per group ``townships``, ``area_median``, ``area_min``, ``functions_median``,
    ``functions_per_fte`` (the median of the townships' values) and, for every norm,
    ``short_<name>``: townships whose ``office_area_m2`` is below the norm's minimum
    (:func:`analysis.norms.compare`; unknown areas are not counted).

    Parameters
    ----------
    assessed : pandas.DataFrame
        Townships with ``fte`` (from :func:`analysis.staffing.assess`), ``office_area_m2``,
        ``functions_count``, ``township_type`` and ``by``.
    area_norms : mapping
        Name -> :class:`analysis.norms.Norm` setting ``office_area_m2``.
    by : str
        Grouping column.

    Returns
    -------
    pandas.DataFrame
        One row per group.
    """
    from .norms import compare

    data = assessed.assign(
        functions_per_fte=assessed["functions_count"] / assessed["fte"].where(assessed["fte"] > 0)
    )
    for name, norm in area_norms.items():
        data[f"short_{name}"] = compare(data, norm)["short"].fillna(False).astype(bool)
    agg = {
        "townships": ("township", "size"),
        "area_median": ("office_area_m2", "median"),
        "area_min": ("office_area_m2", "min"),
        "functions_median": ("functions_count", "median"),
        "functions_per_fte": ("functions_per_fte", "median"),
        **{f"short_{n}": (f"short_{n}", "sum") for n in area_norms},
    }
    return data.groupby(by, observed=True).agg(**agg).reset_index()
