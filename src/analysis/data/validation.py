"""Validation of survey and roster frames against the rules of the data dictionary.

Every rule is an object with the message the user reads and the column a
failure is reported on. The rules are checked in one lazy pandera pass: each
pandera check carries its rule's message as its ``error``, which is what
pandera's failure cases name it by, so a failure is traced back to its rule by
looking the message up in the table of the rules the schema was built from.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..dictionary import Field
from ..errors import Problem

__all__ = [
    "MIN_YEAR",
    "ORDER_RULES",
    "REQUIRED",
    "DuplicateRule",
    "OrderRule",
    "Rule",
    "validate",
    "value_rules",
]

#: Earliest survey year accepted (reform era; the oldest national series here starts 2006).
MIN_YEAR = 1978

#: What pandera's failure cases call a missing value in a required column.
_NOT_NULLABLE = "not_nullable"


@dataclass(frozen=True)
class Rule:
    """A rule on single values of a column.

    Attributes
    ----------
    message : str
        The rule as the user reads it; also the ``error`` of its check.
    check : pandera.Check or None
        The check; None for pandera's own (a missing required value).
    """

    message: str
    check: pa.Check | None = None

    #: A failure is reported on the column pandera names (the one checked).
    column = None

    def explain(self, frame: pd.DataFrame, i: int) -> str:
        """Return the rule as reported for row ``i`` of ``frame``.

        Returns
        -------
        str
            The rule's message, the same for every row.
        """
        return self.message


def _value_rule(message: str, make, *args, **kwargs) -> Rule:
    return Rule(message, make(*args, error=message, **kwargs))


def _whole(s: pd.Series) -> pd.Series:
    return s.isna() | (s == np.floor(s))


def value_rules(f: Field, this_year: int) -> list[Rule]:
    """Return the rules on the values of column ``f``, which depend on its kind.

    Name and flag columns have none: parsing already refused what they cannot hold.

    Returns
    -------
    list of Rule
        One rule per check of the kind; empty for name and flag columns.
    """
    if f.kind == "year":
        last = this_year + 1
        return [
            _value_rule(
                f"year must be between {MIN_YEAR} and {last}", pa.Check.in_range, MIN_YEAR, last
            )
        ]
    if f.kind == "count":
        return [
            _value_rule("count must be >= 0", pa.Check.ge, 0),
            _value_rule("count must be a whole number", pa.Check, _whole, element_wise=False),
        ]
    if f.kind == "money":
        return [_value_rule("amount must be >= 0", pa.Check.ge, 0)]
    if f.kind == "measure":
        return [_value_rule("value must be >= 0", pa.Check.ge, 0)]
    if f.kind == "category":
        return [
            _value_rule(f"must be one of {'/'.join(f.choices)}", pa.Check.isin, list(f.choices))
        ]
    return []


#: A missing value in a required column.
REQUIRED = Rule("required value is missing")


@dataclass(frozen=True)
class OrderRule:
    """``small <= big`` in every row where both are given.

    Attributes
    ----------
    small, big : str
        The columns compared.
    column : str
        The column a failure is reported on.
    message : str
        The rule as the user reads it.
    """

    small: str
    big: str
    column: str
    message: str

    @property
    def check(self) -> pa.Check:
        """The pandera check of the whole frame."""
        a, b = self.small, self.big
        return pa.Check(
            lambda d: d[a].isna() | d[b].isna() | (d[a] <= d[b]),
            name=f"{a} <= {b}",
            error=self.message,
        )

    def explain(self, frame: pd.DataFrame, i: int) -> str:
        """Return the message with both values of row ``i`` (when ``big`` is a column of the file).

        Returns
        -------
        str
            The message, followed by both values when ``big`` is a column of ``frame``.
        """
        a, b = self.small, self.big
        if b in frame.columns:
            return f"{self.message} ({a} = {_show(frame.at[i, a])}, {b} = {_show(frame.at[i, b])})"
        return self.message


#: The rules across columns of a row.
ORDER_RULES: tuple[OrderRule, ...] = (
    OrderRule(
        small="staff_fulltime",
        big="staff_total",
        column="staff_fulltime",
        message="staff_fulltime must not exceed staff_total",
    ),
    OrderRule(
        small="staff_established",
        big="staff_total",
        column="staff_established",
        message="staff_established must not exceed staff_total",
    ),
    OrderRule(
        small="dibao_households",
        big="dibao_persons",
        column="dibao_persons",
        message="dibao_persons must be at least dibao_households",
    ),
    # People trained this year include those who left during it (see validate).
    OrderRule(
        small="staff_trained",
        big="staff_total_with_leavers",
        column="staff_trained",
        message="staff_trained must not exceed staff_total + staff_left",
    ),
)


@dataclass(frozen=True)
class DuplicateRule:
    """No two rows share the key; the later ones are reported on the key's last column."""

    key: tuple[str, ...]

    @property
    def message(self) -> str:
        """The rule as the user reads it, e.g. ``duplicate year/county/township``."""
        return f"duplicate {'/'.join(self.key)}"

    @property
    def column(self) -> str:
        """The column a failure is reported on."""
        return self.key[-1]

    @property
    def check(self) -> pa.Check:
        """The pandera check of the whole frame."""
        key = list(self.key)
        return pa.Check(
            lambda d: ~d.duplicated(key, keep="first"), name="duplicate", error=self.message
        )

    def explain(self, frame: pd.DataFrame, i: int) -> str:
        """Return the message naming the file and row that row ``i`` repeats.

        Returns
        -------
        str
            The message with the file and row of the first row holding the same key.
        """
        key = list(self.key)
        mask = (frame[key] == frame.loc[i, key]).all(axis=1)
        first = frame[mask].iloc[0]
        return f"{self.message}: same as {first['_file']} row {int(first['_row'])}"


#: Any of the rules above.
AnyRule = Rule | OrderRule | DuplicateRule


def _schema(
    fields: tuple[Field, ...], present: set[str], key: tuple[str, ...]
) -> tuple[pa.DataFrameSchema, dict[str, AnyRule]]:
    """Build the schema of the columns present, and its rules by message.

    Returns
    -------
    (pandera.DataFrameSchema, dict)
        The schema, and its rules keyed by the message pandera reports for them
        (including the one for a missing required value).
    """
    this_year = _dt.date.today().year
    rules: dict[str, AnyRule] = {_NOT_NULLABLE: REQUIRED}
    columns = {}
    for f in fields:
        if f.code not in present:
            continue
        checks = []
        for rule in value_rules(f, this_year):
            rules[rule.message] = rule
            checks.append(rule.check)
        dtype = None if f.kind in ("name", "category") else float
        columns[f.code] = pa.Column(dtype, checks=checks, nullable=not f.required, coerce=False)
    row_rules: list[OrderRule | DuplicateRule] = [
        r for r in ORDER_RULES if r.small in present and r.big in present
    ]
    if set(key) <= present:
        row_rules.append(DuplicateRule(key))
    rules.update((r.message, r) for r in row_rules)
    schema = pa.DataFrameSchema(columns, checks=[r.check for r in row_rules], strict=False)
    return schema, rules


def validate(
    frame: pd.DataFrame,
    fields: tuple[Field, ...],
    headers: Mapping[tuple[str, str], str],
    key: tuple[str, ...],
) -> list[Problem]:
    """Check every rule on every row of a frame from :func:`~analysis.data.reading.read_frames`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns by code, numbers as float, with the ``_file`` and ``_row`` locators.
    fields : tuple of Field
        The dictionary of the frame.
    headers : mapping
        (file, code) -> header as written, to name columns as the user wrote them.
    key : tuple of str
        Columns that identify a row; a repeated key is a problem.

    Returns
    -------
    list of Problem
        One per failing row and rule; empty when the frame is valid.
    """
    present = set(frame.columns)
    work = frame
    if {"staff_trained", "staff_total"} <= present:
        # People trained this year include those who left during it.
        left = frame["staff_left"].fillna(0) if "staff_left" in present else 0
        work = frame.assign(staff_total_with_leavers=frame["staff_total"] + left)
        present = present | {"staff_total_with_leavers"}
    schema, rules = _schema(fields, present, key)
    try:
        schema.validate(work, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _problems(exc.failure_cases, frame, headers, rules)
    return []


def _problems(
    cases: pd.DataFrame,
    frame: pd.DataFrame,
    headers: Mapping[tuple[str, str], str],
    rules: Mapping[str, AnyRule],
) -> list[Problem]:
    seen, out = set(), []
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        i = int(case.index)
        check = str(case.check)
        rule = rules.get(check)
        column = case.column if rule is None or rule.column is None else rule.column
        if (i, check, column) in seen:
            continue
        seen.add((i, check, column))
        file, row = frame.at[i, "_file"], int(frame.at[i, "_row"])
        value = frame.at[i, column] if column in frame.columns else case.failure_case
        # A failure pandera reports under a name of its own (a dtype) is shown as it is.
        text = check if rule is None else rule.explain(frame, i)
        out.append(Problem(file, row, headers.get((file, column), column), _show(value), text))
    return out


def _show(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
