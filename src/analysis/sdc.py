"""Disclosure control as statistical offices do it: secondary suppression, an audit, model checks.

Primary suppression alone protects no one when the margins around a blanked cell are
published: the cell comes back by subtraction. Here every table of counts of workers
is protected as a *table set*, with its margins and every figure about the same
workers published elsewhere in the report:

- :func:`protect_counts` runs Tau-Argus (``pytauargus``: the frequency rule, then
  optimal secondary suppression on the HiGHS solver) on the microdata, one row per
  worker, with a hierarchy (townships within counties) and the margins that other
  chapters publish marked as public (they are never blanked, and the audit treats them
  as known). Then it audits the pattern: the feasibility interval of every blanked
  cell, the range an intruder can narrow it to from everything published, must be
  at least ``protection`` units wide for a primary cell, and Tau-Argus must not flag
  it unsafe.
- :func:`audit_pattern` audits a pattern made elsewhere (primary suppression alone,
  for example) the same way.
- :func:`withhold_small_means` withholds averages and scores over groups smaller
  than ``min_group``; :func:`check_model` withholds a regression with fewer residual
  degrees of freedom than ``min_dof`` (ACRO's check, from the ``acro`` package).

The result of each is a frame whose ``attrs["sdc"]`` is the record the report's
output-checking appendix and ``results.json`` are built from (:func:`record`);
:class:`analysis.present.Publisher` refuses to publish a table whose audit failed,
naming the table and the cell.

Codes sent to Tau-Argus are ASCII (``C01``, ``T0001``); names never leave Python.
The result is deterministic: the same data give the same pattern.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "DEFAULT_MIN_DOF",
    "DEFAULT_MIN_GROUP",
    "DEFAULT_PROTECTION",
    "DisclosureError",
    "Protected",
    "audit_linear",
    "audit_pattern",
    "check_model",
    "protect_counts",
    "record",
    "withhold_small_means",
]

#: Fewest units a blanked primary cell's feasibility interval must span (upper - lower).
#: With 2, an intruder who combines every published figure is left with at least three
#: possible counts (0, 1, 2 for a cell of 1), never one or two.
DEFAULT_PROTECTION = 2
#: Fewest workers behind a published average or score (an insider who knows his own
#: score and those of some colleagues must not be able to work out another's).
DEFAULT_MIN_GROUP = 5
#: Fewest residual degrees of freedom of a published regression (ACRO's default).
DEFAULT_MIN_DOF = 10

TOTAL = "合计"
_STATUS = {"S": "safe", "P": "public", "U": "primary", "M": "secondary", "E": "empty", "Z": "empty"}


class DisclosureError(ValueError):
    """A table failed its disclosure audit; the message names the table and the cell."""


@dataclass
class Protected:
    """A protected table set: every cell with its count, status and feasibility interval.

    ``cells`` has the dimension columns (``合计`` for a margin; a hierarchy's
    upper level appears in the lower dimension's column, e.g. a county in the
    township column with ``level`` 1), ``level``, ``count``, ``status`` (safe,
    public, primary, secondary, empty), ``lower``, ``upper`` (the audit's
    feasibility interval of a blanked cell) and ``unsafe`` (Tau-Argus's own verdict).
    """

    name: str
    dims: list[str]
    k: int
    protection: int
    cells: pd.DataFrame
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every blanked cell passed the audit."""
        return not self.failures

    def require(self) -> Protected:
        """Raise :class:`DisclosureError` when the audit failed; else return self.

        Returns
        -------
        Protected

        Raises
        ------
        DisclosureError
            Naming the table and every failing cell.
        """
        if self.failures:
            raise DisclosureError(
                f"disclosure audit failed for table set {self.name!r}: " + "; ".join(self.failures)
            )
        return self


def _codes(values: Sequence[str], prefix: str) -> dict[str, str]:
    return {v: f"{prefix}{i:04d}" for i, v in enumerate(sorted(set(map(str, values))), 1)}


def _run(
    units: pd.DataFrame,
    dims: Sequence[str],
    k: int,
    *,
    hierarchy: Mapping[str, str] | None,
    public: Sequence[Mapping[str, str]],
    pattern: Sequence[Mapping[str, str]] | None,
    workdir: str | Path | None,
    unsafe: Sequence[Mapping[str, str]] = (),
):
    import pytauargus
    from pytauargus.engine import run_batch
    from pytauargus.result import TableResult

    hierarchy = dict(hierarchy or {})
    columns = list(dims) + [hierarchy[d] for d in dims if d in hierarchy]
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise KeyError(f"column(s) {missing} not in the units")
    if units.empty:
        raise ValueError("no units to protect")
    maps = {c: _codes(units[c].astype(str), f"{chr(65 + i)}") for i, c in enumerate(columns)}
    micro = pd.DataFrame({c: units[c].astype(str).map(maps[c]) for c in columns})
    micro["n_units"] = 1.0
    back = {c: {code: name for name, code in m.items()} for c, m in maps.items()}
    for lower, upper in hierarchy.items():
        back[lower].update(back[upper])  # a county code shows up in the township column
    forward = {c: dict(m) for c, m in maps.items()}
    for lower, upper in hierarchy.items():
        forward[lower].update(maps[upper])
    hrc = {d: f"{d} > {hierarchy[d]}" for d in dims if d in hierarchy} or None
    with tempfile.TemporaryDirectory(prefix="sdc_", dir=workdir) as tmp:
        res = pytauargus.protect(
            micro,
            [list(dims)],
            response="n_units",
            safety_rules=f"FREQ({k},10)",
            suppress="OPT(1)",
            hrc=hrc,
            workdir=tmp,
            run=False,
        )
        lines = []
        for cell in public:
            lines.append(";".join(_code(cell, d, forward) for d in dims) + ";P")
        for cell in unsafe:
            lines.append(";".join(_code(cell, d, forward) for d in dims) + ";U")
        if pattern is not None:
            for cell in pattern:
                lines.append(";".join(_code(cell, d, forward) for d in dims) + ";M")
        arb = Path(res.files["arb"]).read_text()
        if lines:
            hst = Path(tmp) / "apriori.hst"
            hst.write_text("\n".join(lines) + "\n")
            arb = arb.replace("<SUPPRESS>", f'<APRIORI> "{hst}",1,";",0,0\n<SUPPRESS>', 1)
        if pattern is not None:  # audit a given pattern: no suppression of our own
            arb = "\n".join(ln for ln in arb.splitlines() if not ln.startswith("<SUPPRESS>"))
        Path(res.files["arb"]).write_text(arb)
        with contextlib.chdir(tmp):  # the solvers write their logs into the working folder
            engine = run_batch(res.files["arb"])
        table = TableResult(
            path=res.files["tab1"], exp_vars=list(dims), response="n_units", is_freq=False
        ).dataframe()
        audit = engine.audit(0)
    table = table.reset_index(drop=True)
    out = pd.DataFrame(
        {d: table[d].astype(str).map(lambda c, d=d: back[d].get(c, TOTAL)) for d in dims}
    )
    out["level"] = 0
    for lower, upper in hierarchy.items():
        out.loc[table[lower].astype(str).isin(set(maps[upper].values())), "level"] = 1
    out["count"] = table["n_units"].astype("int64")
    out["status"] = table["status"].map(_STATUS).fillna("safe")
    out["lower"] = float("nan")
    out["upper"] = float("nan")
    out["unsafe"] = False
    for row in audit:
        out.loc[row["cell"], ["lower", "upper"]] = [abs(row["min"]), row["max"]]
        out.loc[row["cell"], "unsafe"] = bool(row["unsafe"])
    return out


def _code(cell: Mapping[str, str], dim: str, forward) -> str:
    value = str(cell.get(dim, TOTAL))
    if value == TOTAL:
        return "Total"
    try:
        return forward[dim][value]
    except KeyError:
        raise KeyError(f"{dim}={value!r} is not in the units") from None


def _judge(name: str, dims, cells: pd.DataFrame, k: int, protection: int) -> list[str]:
    failures = []
    for _, c in cells.iterrows():
        where = "、".join(f"{d}={c[d]}" for d in dims)
        if c["status"] == "primary":
            width = c["upper"] - c["lower"]
            if c["unsafe"] or not width >= protection:
                failures.append(
                    f"cell {where} (count {c['count']}) can be narrowed to "
                    f"[{c['lower']:g}, {c['upper']:g}], narrower than {protection} units"
                )
        elif c["status"] == "public" and 0 < c["count"] < k:
            continue  # published on purpose elsewhere (a head-count of an office)
        elif c["status"] == "safe" and 0 < c["count"] < k:
            failures.append(f"cell {where} rests on {c['count']} units and is published")
    return failures


def protect_counts(
    units: pd.DataFrame,
    dims: Sequence[str],
    *,
    name: str,
    k: int,
    protection: int = DEFAULT_PROTECTION,
    hierarchy: Mapping[str, str] | None = None,
    public: Sequence[Mapping[str, str]] = (),
    unsafe: Sequence[Mapping[str, str]] = (),
    workdir: str | Path | None = None,
) -> Protected:
    """Protect the counts of ``units`` by ``dims`` with their margins, and audit the result.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per worker (or household), with the ``dims`` columns.
    dims : sequence of str
        The table's dimensions (one or two).
    name : str
        The table set's name, used in messages and the output-checking record.
    k : int
        Fewest units behind a published cell (the frequency rule; zeros are kept).
    protection : int
        Fewest units each blanked primary cell's feasibility interval must span.
    hierarchy : mapping, optional
        Lower dimension -> its upper level column, e.g. ``{"township": "county"}``.
    public : sequence of mapping
        Cells published elsewhere that must stay published (dimension -> value,
        missing dimensions meaning ``合计``), e.g. each township's head-count.
    unsafe : sequence of mapping
        Cells to protect as primary although they pass the frequency rule (their
        complement in a published total rests on fewer than ``k`` units, say).
    workdir : path, optional
        Where Tau-Argus writes its files (a temporary folder inside it, removed after).

    Returns
    -------
    Protected
        Every cell with its status and interval; ``failures`` lists audit failures.
    """
    cells = _run(
        units,
        dims,
        k,
        hierarchy=hierarchy,
        public=public,
        pattern=None,
        workdir=workdir,
        unsafe=unsafe,
    )
    return Protected(
        name, list(dims), k, protection, cells, _judge(name, dims, cells, k, protection)
    )


def audit_pattern(
    units: pd.DataFrame,
    dims: Sequence[str],
    blanked: Sequence[Mapping[str, str]],
    *,
    name: str,
    k: int,
    protection: int = DEFAULT_PROTECTION,
    hierarchy: Mapping[str, str] | None = None,
    public: Sequence[Mapping[str, str]] = (),
    workdir: str | Path | None = None,
) -> Protected:
    """Audit a suppression pattern made elsewhere, with the same rule and interval as :func:`protect_counts`.

    Cells under ``k`` are primary whether or not ``blanked`` names them (a primary
    cell left out of the pattern fails the audit, as does one that can be
    narrowed below ``protection``); the others in ``blanked`` are secondary.

    Parameters
    ----------
    units, dims, name, k, protection, hierarchy, public, workdir
        As for :func:`protect_counts`.
    blanked : sequence of mapping
        The cells the pattern blanks (dimension -> value; missing means ``合计``).

    Returns
    -------
    Protected
    """
    cells = _run(
        units, dims, k, hierarchy=hierarchy, public=public, pattern=list(blanked), workdir=workdir
    )
    small = cells["status"].eq("secondary") & cells["count"].between(1, k - 1)
    cells.loc[small, "status"] = "primary"  # the a-priori mark hid the frequency rule's verdict
    named = {tuple(str(c.get(d, TOTAL)) for d in dims) for c in blanked}
    unnamed = cells["status"].eq("primary") & ~cells[list(dims)].apply(tuple, axis=1).isin(named)
    failures = _judge(name, dims, cells, k, protection)
    for _, c in cells[unnamed].iterrows():
        where = "、".join(f"{d}={c[d]}" for d in dims)
        failures.append(f"cell {where} rests on {c['count']} units and is published")
    return Protected(name, list(dims), k, protection, cells, failures)


def audit_linear(
    values: Mapping[str, float],
    blanked: Sequence[str],
    equations: Sequence[Mapping[str, float]],
    *,
    name: str,
    k: int,
    protection: int = DEFAULT_PROTECTION,
    upper: Mapping[str, float] | None = None,
    primary: Sequence[str] = (),
    public: Sequence[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Audit blanked cells tied to published ones by linear relations (an LP, solved by HiGHS).

    For relations Tau-Argus cannot express (``年末 = 年初 + 新进 - 离岗``; a total of
    person-days, ``Σ 天数 × 人数``), every blanked cell's feasibility interval is
    found by minimising and maximising it subject to every relation, with the
    published cells fixed and each cell between 0 and its ``upper`` bound.

    Parameters
    ----------
    values : mapping
        Cell name -> its true value (published and blanked cells).
    blanked : sequence of str
        The blanked cells.
    equations : sequence of mapping
        Each relation as cell name -> coefficient, summing to 0.
    name : str
        The table set's name, for messages.
    k : int
        Cells with ``0 < value < k`` are primary.
    protection : int
        Fewest units a blanked primary cell's interval must span.
    upper : mapping, optional
        Cell name -> largest value it can take (a priori; default unbounded).
    primary : sequence of str
        Blanked cells that are primary whatever their value (a cell whose
        complement in a published total rests on fewer than ``k`` units).
    public : sequence of str
        Published cells that are facts about an office rather than about its
        workers (a head-count): never a failure, however small.

    Returns
    -------
    (pandas.DataFrame, list of str)
        One row per blanked cell (``cell, value, status, lower, upper``) and the
        failures (a primary cell published, or narrowed below ``protection``).

    Raises
    ------
    ValueError
        When the relations do not hold for the true values.
    """
    import numpy as np
    from scipy.optimize import linprog

    hidden = list(dict.fromkeys(blanked))
    index = {c: i for i, c in enumerate(hidden)}
    forced = set(primary)
    a_eq, b_eq = [], []
    for eq in equations:
        total = sum(coef * values[c] for c, coef in eq.items())
        if abs(total) > 1e-6:
            raise ValueError(f"{name}: relation {dict(eq)} does not hold ({total:g})")
        row = np.zeros(len(hidden))
        known = 0.0
        for c, coef in eq.items():
            if c in index:
                row[index[c]] += coef
            else:
                known += coef * values[c]
        if row.any():
            a_eq.append(row)
            b_eq.append(-known)
    bounds = [(0, (upper or {}).get(c)) for c in hidden]
    rows, failures = [], []
    for c in hidden:
        lo_hi = []
        for sign in (1, -1):
            cost = np.zeros(len(hidden))
            cost[index[c]] = sign
            res = linprog(
                cost,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=np.array(b_eq) if b_eq else None,
                bounds=bounds,
                method="highs",
            )
            lo_hi.append(sign * res.fun if res.status == 0 else float("inf") * sign)
        is_primary = 0 < values[c] < k or c in forced
        rows.append(
            {
                "cell": c,
                "value": values[c],
                "status": "primary" if is_primary else "secondary",
                "lower": round(lo_hi[0], 6) + 0.0,
                "upper": round(lo_hi[1], 6) + 0.0,
            }
        )
        # a cell of an office of two can be hidden within [0, 2] at best
        needed = min(protection, (upper or {}).get(c, protection))
        if is_primary and not lo_hi[1] - lo_hi[0] >= needed - 1e-9:
            failures.append(
                f"{name}: cell {c} (count {values[c]:g}) can be narrowed to "
                f"[{lo_hi[0]:g}, {lo_hi[1]:g}], narrower than {protection} units"
            )
    for c, v in values.items():
        if c not in index and c not in set(public) and 0 < v < k:
            failures.append(f"{name}: cell {c} rests on {v:g} units and is published")
    return pd.DataFrame(rows, columns=["cell", "value", "status", "lower", "upper"]), failures


def withhold_small_means(
    table: pd.DataFrame,
    value_cols: Sequence[str],
    size_col: str,
    min_group: int = DEFAULT_MIN_GROUP,
) -> pd.DataFrame:
    """Blank averages and scores over groups of fewer than ``min_group`` units.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group.
    value_cols : sequence of str
        The averages or scores to withhold.
    size_col : str
        The column holding each group's number of units.
    min_group : int
        Fewest units behind a published average.

    Returns
    -------
    pandas.DataFrame
        A copy; ``attrs["withheld"]`` lists the blanked cells as (row position, column).

    Raises
    ------
    ValueError
        When ``min_group`` is below 1.
    """
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, got {min_group}")
    out = table.copy()
    small = pd.to_numeric(out[size_col], errors="coerce").fillna(0) < min_group
    withheld = []
    for col in value_cols:
        out[col] = out[col].astype("float64").where(~small.to_numpy())
        withheld += [(i, col) for i in range(len(out)) if small.iloc[i]]
    out.attrs["withheld"] = withheld
    return out


@dataclass
class ModelCheck:
    """ACRO's residual degrees-of-freedom check of one regression."""

    dof: int
    min_dof: int
    status: str  # pass / fail
    summary: str

    @property
    def passed(self) -> bool:
        """True when the model may be published."""
        return self.status == "pass"

    def text(self) -> str:
        """Return the sentence a report prints when the model is withheld (empty when it passes).

        Returns
        -------
        str
        """
        if self.passed:
            return ""
        return (
            f"模型残差自由度为{self.dof}，少于输出核查要求的{self.min_dof}，"
            "为防止由模型结果推算个体信息，本报告不公布该模型的估计结果。"
        )


def check_model(model, min_dof: int = DEFAULT_MIN_DOF) -> ModelCheck:
    """Check a fitted statsmodels model's residual degrees of freedom with ACRO.

    Parameters
    ----------
    model : statsmodels model or results
        The model (``results.model`` is used for a results object).
    min_dof : int
        Fewest residual degrees of freedom (ACRO's ``safe_dof_threshold``).

    Returns
    -------
    ModelCheck
    """
    from acro.sdcchecks import SDCChecks, SDCEvidence

    model = getattr(model, "model", model)
    evidence = SDCEvidence()
    evidence.populate_dof(model)
    status, summary, dof = SDCChecks({"safe_dof_threshold": min_dof}).check_model_dof(
        "regression", evidence, model
    )
    return ModelCheck(int(dof), int(min_dof), status, summary)


def record(
    name: str,
    *,
    rule: str,
    cells: Sequence[Mapping],
    passed: bool,
    note: str = "",
    k: int | None = None,
) -> dict:
    """Return the output-checking record of one published table (JSON-ready).

    Parameters
    ----------
    name : str
        The published table's name.
    rule : str
        What was applied, in Chinese (shown in the appendix).
    cells : sequence of mapping
        One entry per withheld cell: ``row``, ``column``, ``reason`` (primary,
        secondary, small group, model) and, for an audited cell, ``lower``/``upper``.
    passed : bool
        The audit result.
    note : str
        Anything the reviewer should know.
    k : int, optional
        The frequency threshold applied (the table note names it).

    Returns
    -------
    dict
    """
    counts: dict[str, int] = {}
    for c in cells:
        counts[c["reason"]] = counts.get(c["reason"], 0) + 1
    return {
        "table": name,
        "rule": rule,
        "withheld": counts,
        "cells": [dict(c) for c in cells],
        "audit": "passed" if passed else "failed",
        "note": note,
        **({"k": int(k)} if k is not None else {}),
    }


# --------------------------------------------------------------------- the report's table sets


def _office(frame: pd.DataFrame) -> pd.Series:
    return frame["county"].astype(str) + "／" + frame["township"].astype(str)


def protect_needs(
    roster: pd.DataFrame,
    scores: pd.Series,
    high: float,
    *,
    k: int,
    protection: int = DEFAULT_PROTECTION,
    min_group: int = DEFAULT_MIN_GROUP,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Protect the township table of training needs: workers, mean score and high-need workers.

    Each office's head-count is published by the staffing chapter (a fact about the
    office, not about a worker), and so are the counties' and the place's. The
    high-need counts are a table of offices within counties whose county and place
    totals are published too: Tau-Argus (frequency rule, optimal secondary
    suppression, the hierarchy of offices within counties) chooses the pattern, and
    a linear programme audits it with everything an intruder knows: the published
    high-need counts and totals, and that an office's count lies between 0 and its
    head-count. Since the head-count is published, a high-need count also gives the
    count of the office's other workers, so a cell whose complement rests on 1 to
    ``k - 1`` workers is primary too (a zero in an office of one or two included).
    A blanked primary cell must span ``protection`` units, or its whole
    range when the office has fewer workers. Mean scores over fewer than
    ``min_group`` workers are withheld.

    Parameters
    ----------
    roster : pandas.DataFrame
        The workers in post (``county``, ``township``).
    scores : pandas.Series
        Each worker's need score (aligned with ``roster``).
    high : float
        Score from which a worker counts as high-need.
    k, protection, min_group : int
        Disclosure thresholds (see the module's constants).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The table to publish (``county, township, workers, mean_need, high_need``;
        blanked cells missing; ``attrs["sdc"]`` its output-checking record) and the
        audit (one row per blanked cell: ``cell, value, status, lower, upper``).
    """
    data = roster.assign(
        need_score=scores.to_numpy(),
        office=_office(roster).to_numpy(),
        high=(scores >= high).to_numpy(),
    )
    g = data.groupby(["county", "township", "office"], observed=True)
    table = pd.DataFrame(
        {"workers": g.size(), "mean_need": g["need_score"].mean(), "high_need": g["high"].sum()}
    ).reset_index()
    table["county"] = table["county"].astype(str)
    counties = table.groupby("county")[["workers", "high_need"]].sum()
    # The head-count is published, so each office's high-need count also gives its
    # other workers' count: the frequency rule applies to both. A cell whose
    # complement rests on 1..k-1 workers is primary too (Tau-Argus's a-priori
    # "unsafe"), and so is a zero in an office of fewer than k workers (a zero
    # cannot enter Tau-Argus, so it is blanked here and audited with the rest).
    other = table["workers"] - table["high_need"]
    complement = (other > 0) & (other < k)
    forced = table.loc[complement, "office"].tolist()
    zeros = table.loc[complement & (table["high_need"] == 0), "office"].tolist()
    status: dict[str, str] = {}
    highs = data[data["high"]]
    if not highs.empty:
        prot = protect_counts(
            pd.DataFrame(
                {
                    "office": highs["office"].to_numpy(),
                    "county": highs["county"].astype(str).to_numpy(),
                }
            ),
            ["office"],
            name="township_needs",
            k=k,
            protection=protection,
            hierarchy={"office": "county"},
            unsafe=[{"office": o} for o in forced if o not in set(zeros)],
        )
        status = dict(zip(prot.cells["office"], prot.cells["status"], strict=True))
    status.update({o: "primary" for o in zeros})
    values, upper, equations = {}, {}, []
    for _, row in table.iterrows():
        values[row["office"]] = float(row["high_need"])
        upper[row["office"]] = float(row["workers"])
    for county, c in counties.iterrows():
        values[county] = float(c["high_need"])
        upper[county] = float(c["workers"])
        members = table.loc[table["county"] == county, "office"]
        equations.append({county: 1.0, **{o: -1.0 for o in members}})
    values[TOTAL] = float(counties["high_need"].sum())
    if len(counties) > 1:
        equations.append({TOTAL: 1.0, **{c: -1.0 for c in counties.index}})
    blanked = [c for c, s in status.items() if s in {"primary", "secondary"}]
    audit, failures = audit_linear(
        values,
        blanked,
        equations,
        name="township_needs",
        k=k,
        protection=protection,
        upper=upper,
        primary=forced,
    )
    hidden = table["office"].isin(set(blanked)).to_numpy()
    table["high_need"] = table["high_need"].astype("float64").where(~hidden)
    table = withhold_small_means(table, ["mean_need"], "workers", min_group)
    cells = [
        {
            "row": r["cell"].replace("／", " "),
            "column": "高需求人数",
            "reason": r["status"],
            "lower": r["lower"],
            "upper": r["upper"],
        }
        for _, r in audit.iterrows()
    ]
    for i, _ in table.attrs.pop("withheld", []):
        row = table.iloc[i]
        cells.append(
            {
                "row": f"{row['county']} {row['township']}",
                "column": "平均需求得分",
                "reason": "small group",
            }
        )
    table = table.drop(columns="office")
    table.attrs["sdc"] = record(
        "township_needs",
        rule=(
            f"频数规则（少于{k}人）+ Tau-Argus最优次级隐藏（乡镇—县层级）；线性规划审核；"
            f"平均得分少于{min_group}人不公布"
        ),
        cells=cells,
        passed=not failures,
        note="; ".join(failures)
        or "各乡镇在岗人数即人员配备章公布的工作人员数，作为已公开信息处理。",
        k=k,
    )
    table.attrs["failures"] = failures
    place = {TOTAL} | (set(counties.index) if len(counties) == 1 else set())
    table.attrs["total_blanked"] = bool(place & set(blanked))
    return table, audit


def protect_flows(
    flows: pd.DataFrame, *, k: int, protection: int = DEFAULT_PROTECTION
) -> pd.DataFrame:
    """Protect a year-by-year table of leavers and joiners whose stocks are published.

    With ``年初`` and ``年末`` published (they are head-counts), ``年末 = 年初 + 新进 -
    离岗`` ties the two flows: a blanked flow comes back from the other. So a year with
    either flow in ``1..k-1`` has both flows and the turnover rate blanked, and the
    pattern is audited as a linear programme (:func:`audit_linear`).

    Parameters
    ----------
    flows : pandas.DataFrame
        ``year, leavers, joiners, start, end, turnover_rate`` (:func:`analysis.training.turnover`).
    k, protection : int
        Disclosure thresholds.

    Returns
    -------
    pandas.DataFrame
        The table with blanked cells missing; ``attrs["sdc"]`` its record and
        ``attrs["blanked_years"]`` the years whose flows are blanked.
    """
    out = flows.copy()
    values, blanked, equations, upper, years = {}, [], [], {}, []
    for _, row in flows.iterrows():
        y = int(row["year"])
        names = {
            c: f"{y}年{label}"
            for c, label in (
                ("leavers", "离岗"),
                ("joiners", "新进"),
                ("start", "年初"),
                ("end", "年末"),
            )
        }
        for c, n in names.items():
            values[n] = float(row[c])
        equations.append(
            {names["end"]: 1, names["start"]: -1, names["joiners"]: -1, names["leavers"]: 1}
        )
        upper[names["leavers"]] = float(row["start"])
        upper[names["joiners"]] = float(row["end"])
        if any(0 < row[c] < k for c in ("leavers", "joiners")):
            years.append(y)
            blanked += [names["leavers"], names["joiners"]]
    stocks = [n for n in values if n.endswith(("年初", "年末"))]
    audit, failures = audit_linear(
        values,
        blanked,
        equations,
        name="turnover",
        k=k,
        protection=protection,
        upper=upper,
        public=stocks,
    )
    mask = out["year"].astype(int).isin(years).to_numpy()
    for c in ("leavers", "joiners", "turnover_rate"):
        out[c] = out[c].astype("float64").where(~mask)
    cells = [
        {
            "row": r["cell"][:5],
            "column": r["cell"][5:],
            "reason": r["status"],
            "lower": r["lower"],
            "upper": r["upper"],
        }
        for _, r in audit.iterrows()
    ] + [{"row": f"{y}年", "column": "流动率", "reason": "secondary"} for y in years]
    out.attrs["sdc"] = record(
        "turnover",
        rule=f"频数规则（少于{k}人）；年末＝年初＋新进－离岗，两个流量同时隐藏；线性规划审核",
        cells=cells,
        passed=not failures,
        note="; ".join(failures) or "年初、年末人数为公开的在岗人数。",
        k=k,
    )
    out.attrs["blanked_years"] = years
    out.attrs["failures"] = failures
    return out


@dataclass
class ModuleProtection:
    """The protected counts of workers needing each training module, by county and in all.

    ``cells`` has ``module, county`` (``合计`` for the place), ``workers`` and
    ``status`` (safe / primary / secondary); ``total_published`` says whether the
    place's total person-days may be published (not when a module's total is
    blanked: the total would give it back, as ``Σ 天数 × 人数``).
    """

    cells: pd.DataFrame
    audit: pd.DataFrame
    failures: list[str]
    total_published: bool
    k: int

    def blanked(self, module: str, county: str = TOTAL) -> bool:
        """Return True when the count of ``module`` in ``county`` (``合计``: the place) is blanked.

        Returns
        -------
        bool
        """
        hit = self.cells[(self.cells["module"] == module) & (self.cells["county"] == str(county))]
        return not hit.empty and hit.iloc[0]["status"] in {"primary", "secondary"}

    def apply(
        self, table: pd.DataFrame, columns: Sequence[str], name: str, county: str | None = None
    ) -> pd.DataFrame:
        """Blank ``columns`` of the rows of ``table`` (``module``, optional ``county``) that are blanked.

        Returns
        -------
        pandas.DataFrame
            A copy with ``attrs["sdc"]`` (the output-checking record of ``name``).
        """
        out = table.copy()
        cells = []
        hide = []
        for i, row in out.iterrows():
            where = str(row["county"]) if "county" in out.columns else (county or TOTAL)
            if self.blanked(row["module"], where):
                hide.append(i)
                hit = self.audit[self.audit["cell"] == f"{row['module']}／{where}"]
                extra = hit.iloc[0][["lower", "upper"]].to_dict() if not hit.empty else {}
                status = hit.iloc[0]["status"] if not hit.empty else "secondary"
                cells.append(
                    {"row": f"{where} {row['module']}", "column": "人数", "reason": status, **extra}
                )
        for col in columns:
            out[col] = out[col].astype("float64")
            out.loc[hide, col] = float("nan")
        out.attrs["sdc"] = record(
            name,
            rule=f"频数规则（少于{self.k}人）+ Tau-Argus最优次级隐藏（模块×县）；线性规划审核（含人天合计）",
            cells=cells,
            passed=not self.failures,
            note="; ".join(self.failures),
            k=self.k,
        )
        return out


def protect_modules(
    roster: pd.DataFrame,
    targets: Mapping[str, pd.Series],
    days: Mapping[str, float],
    *,
    k: int,
    protection: int = DEFAULT_PROTECTION,
) -> ModuleProtection:
    """Protect the counts of workers needing each module, by county and for the place.

    The training chapter publishes the place's counts (and their person-days and
    total); the policy chapter publishes them by county. Tau-Argus protects the table
    module x county with its margins; a linear programme then audits the pattern with
    the published total of person-days (``Σ 天数 × 人数``), which is withheld when a
    module's total is blanked.

    Parameters
    ----------
    roster : pandas.DataFrame
        Workers in post (``county``).
    targets : mapping
        Module -> boolean Series (aligned with ``roster``): the workers who need it.
    days : mapping
        Module -> days per worker.
    k, protection : int
        Disclosure thresholds.

    Returns
    -------
    ModuleProtection
    """
    county = roster["county"].astype(str).to_numpy()
    parts = [
        pd.DataFrame({"module": module, "county": county[mask.to_numpy(dtype=bool)]})
        for module, mask in targets.items()
    ]
    units = pd.concat(parts, ignore_index=True)
    if units.empty:
        cells = pd.DataFrame(columns=["module", "county", "workers", "status"])
        return ModuleProtection(cells, pd.DataFrame(columns=["cell"]), [], True, k)
    prot = protect_counts(
        units, ["module", "county"], name="training_modules", k=k, protection=protection
    )
    cells = prot.cells[prot.cells["module"] != TOTAL].rename(columns={"count": "workers"})
    cells = cells[["module", "county", "workers", "status"]].reset_index(drop=True)
    heads = pd.Series(county).value_counts()
    values, upper, equations = {}, {}, []
    for _, c in cells.iterrows():
        name = f"{c['module']}／{c['county']}"
        values[name] = float(c["workers"])
        upper[name] = float(
            heads.get(c["county"], len(county)) if c["county"] != TOTAL else len(county)
        )
    counties = sorted(set(cells["county"]) - {TOTAL})
    for module in targets:
        members = [f"{module}／{c}" for c in counties if f"{module}／{c}" in values]
        if f"{module}／{TOTAL}" in values and len(counties) > 1:
            equations.append({f"{module}／{TOTAL}": 1.0, **{m: -1.0 for m in members}})
    blanked = [
        f"{c['module']}／{c['county']}"
        for _, c in cells.iterrows()
        if c["status"] in {"primary", "secondary"}
    ]
    total_published = not any(b.endswith(f"／{TOTAL}") for b in blanked)
    if total_published:
        totals = {f"{m}／{TOTAL}": float(days[m]) for m in targets if f"{m}／{TOTAL}" in values}
        values["人天合计"] = sum(coef * values[c] for c, coef in totals.items())
        equations.append({"人天合计": -1.0, **totals})
    audit, failures = audit_linear(
        values,
        blanked,
        equations,
        name="training_modules",
        k=k,
        protection=protection,
        upper=upper,
        public=["人天合计"],  # person-days, not a count of workers
    )
    return ModuleProtection(cells, audit, failures + prot.failures, total_published, k)


def protect_series(series: pd.DataFrame, flows: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """Protect the yearly training series consistently with the protected turnover table.

    Leavers and the turnover rate are blanked in the years :func:`protect_flows`
    blanked (the same figures, published twice). The share trained is withheld
    where fewer than ``k`` workers were trained or left untrained (the untrained
    are also the head-count of the module for them).

    Parameters
    ----------
    series : pandas.DataFrame
        ``year, workers, trained_share, leavers, turnover_rate`` (:func:`analysis.trends.training_series`).
    flows : pandas.DataFrame
        The output of :func:`protect_flows`.
    k : int
        Disclosure threshold.

    Returns
    -------
    pandas.DataFrame
        A copy with blanked cells missing and ``attrs["sdc"]``.
    """
    out = series.copy()
    years = set(flows.attrs.get("blanked_years", []))
    blank_flow = out["year"].astype(int).isin(years).to_numpy()
    cells = []
    for col, label in (("leavers", "离岗"), ("turnover_rate", "流动率")):
        out[col] = out[col].astype("float64").where(~blank_flow)
        cells += [
            {"row": f"{y}年", "column": label, "reason": "secondary"}
            for y in out.loc[blank_flow, "year"]
        ]
    trained = (out["trained_share"] * out["workers"]).round()
    untrained = out["workers"] - trained
    small = (trained.between(1, k - 1) | untrained.between(1, k - 1)).fillna(False).to_numpy()
    out["trained_share"] = out["trained_share"].astype("float64").where(~small)
    cells += [
        {"row": f"{y}年", "column": "本年参训率", "reason": "primary"}
        for y in out.loc[small, "year"]
    ]
    out.attrs["sdc"] = record(
        "training_series",
        rule=f"与流动情况表同一隐藏方案；参训或未参训少于{k}人的参训率不公布",
        cells=cells,
        passed=flows.attrs["sdc"]["audit"] == "passed",
        note=flows.attrs["sdc"]["note"],
        k=k,
    )
    return out
