"""Survey returns and staff rosters: loading, validation and derived columns.

``load`` reads one or more CSV/XLSX files of survey returns (one row per
township per year), accepts English codes or Chinese labels as headers,
normalises numbers written by hand (full-width digits, thousands separators,
blanks), validates every row lazily with pandera, and raises one
:class:`~analysis.errors.SurveyValidationError` listing every problem with its
file, row, column, value and rule.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .dictionary import (
    DEFAULT_CASELOAD_WEIGHTS,
    ROSTER_FIELDS,
    SURVEY_FIELDS,
    Field,
    resolve_header,
)
from .errors import Problem, SelectionError, SurveyValidationError
from .tables import read_table

__all__ = [
    "KEY",
    "PERSONAL_HEADERS",
    "PersonalDataWarning",
    "UnknownColumnWarning",
    "completeness",
    "derive",
    "is_synthetic",
    "load",
    "load_roster",
    "parse_number",
    "select",
    "summary",
]

#: A survey row is identified by these columns.
KEY = ("year", "county", "township")
#: Earliest survey year accepted (reform era; the oldest national series here starts 2006).
MIN_YEAR = 1978

_MISSING = {"", "-", "—", "–", "/", "na", "n/a", "nan", "null", "none"}
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_TRUE = {"1", "是", "y", "yes", "true", "t", "√"}
_FALSE = {"0", "否", "n", "no", "false", "f", "×"}


class UnknownColumnWarning(UserWarning):
    """A column not in the data dictionary was found; it is kept unchanged."""


class PersonalDataWarning(UserWarning):
    """A column holding personal data (names, ID numbers, phones) was found and dropped."""


#: Headers of personal data that is never loaded, so it can never reach an output.
PERSONAL_HEADERS = {
    "姓名",
    "名字",
    "name",
    "fullname",
    "full_name",
    "身份证号",
    "身份证号码",
    "身份证",
    "idnumber",
    "id_number",
    "电话",
    "联系电话",
    "手机",
    "手机号",
    "phone",
    "mobile",
    "住址",
    "家庭住址",
    "address",
    "联系人",
}


def parse_number(text: object) -> float | None:
    """Parse a number as people write it in Chinese spreadsheets.

    Accepts full-width digits and punctuation (``１２``, ``１，２３４．５``),
    thousands separators (``1,234``), surrounding spaces, and a trailing
    ``年`` on years. Blanks and the usual missing markers (``-``, ``—``,
    ``NA``) mean missing.

    Parameters
    ----------
    text : object
        The cell; numbers pass through, anything else is read as text.

    Returns
    -------
    float or None
        The value, or None when the cell is missing.

    Raises
    ------
    ValueError
        When the text is not a number (e.g. ``"12人"``, ``"1,23"``).
    """
    if text is None:
        return None
    if isinstance(text, int | float | np.integer | np.floating) and not isinstance(text, bool):
        return None if math.isnan(float(text)) else float(text)
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if s.lower() in _MISSING:
        return None
    s = s.removesuffix("年")
    if not _NUMBER.match(s):
        raise ValueError(f"not a number: {text!r}")
    return float(s.replace(",", ""))


def _parse_flag(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip().lower()
    if s in _MISSING:
        return None
    if s in _TRUE:
        return 1.0
    if s in _FALSE:
        return 0.0
    raise ValueError(f"not a yes/no value: {text!r}")


def _read_frames(
    paths: Iterable[str | Path], fields: tuple[Field, ...]
) -> tuple[pd.DataFrame, list[Problem], dict[tuple[str, str], str]]:
    """Read files into one frame of codes, parsing typed columns.

    Returns the frame (with ``_file`` and ``_row`` locators), parse problems,
    and a map (file, code) -> header as written, for messages.
    """
    by_code = {f.code: f for f in fields}
    frames, problems, headers = [], [], {}
    for path in paths:
        raw = read_table(path)
        for number, n_fields in raw.ragged:
            problems.append(
                Problem(
                    raw.path,
                    number,
                    None,
                    "",
                    f"row has {n_fields} fields, header has {len(raw.header)}",
                )
            )
        columns: dict[str, list] = {}
        for j, head in enumerate(raw.header):
            code = resolve_header(head, fields)
            if code is None and head.strip().lower().replace(" ", "") in PERSONAL_HEADERS:
                warnings.warn(
                    f"{raw.path}: column {head!r} holds personal data and was dropped; "
                    "it is never loaded or published",
                    PersonalDataWarning,
                    stacklevel=3,
                )
                continue
            if code is None:
                code = head
                warnings.warn(
                    f"{raw.path}: unknown column {head!r} kept as is (not in the data dictionary)",
                    UnknownColumnWarning,
                    stacklevel=3,
                )
            if code in columns:
                problems.append(
                    Problem(raw.path, 1, head, head, f"column {code!r} appears twice in the header")
                )
                continue
            headers[(raw.path, code)] = head
            cells = [row[j] for row in raw.rows]
            spec = by_code.get(code)
            columns[code] = _parse_column(cells, spec, raw, head, problems)
        for spec in fields:
            if spec.required and spec.code not in columns:
                problems.append(
                    Problem(
                        raw.path,
                        None,
                        spec.label,
                        "",
                        f"required column missing ({spec.code} / {spec.label})",
                    )
                )
        frame = pd.DataFrame(columns)
        frame["_file"] = raw.path
        frame["_row"] = raw.row_numbers
        frames.append(frame)
    if not frames:
        raise ValueError("no survey files given")
    return pd.concat(frames, ignore_index=True), problems, headers


def _parse_column(cells, spec, raw, head, problems):
    if spec is None or spec.kind in ("name", "category"):
        return [unicodedata.normalize("NFKC", c).strip() or None for c in cells]
    if spec.kind == "flag":
        values = []
        for cell, number in zip(cells, raw.row_numbers, strict=True):
            try:
                values.append(_parse_flag(cell))
            except ValueError:
                problems.append(
                    Problem(raw.path, number, head, cell, "must be yes/no (是/否, 1/0)")
                )
                values.append(None)
        return pd.array([np.nan if v is None else v for v in values], dtype="float64")
    return _parse_numbers(cells, raw, head, problems)


_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


def _parse_numbers(cells, raw, head, problems) -> np.ndarray:
    """:func:`parse_number` over a column, with a fast path for plain ASCII numbers (100k rows in ~1 s)."""
    out = np.empty(len(cells), dtype="float64")
    plain = _PLAIN.fullmatch
    for i, cell in enumerate(cells):
        if plain(cell):
            out[i] = float(cell)
            continue
        try:
            value = parse_number(cell)
        except ValueError:
            problems.append(Problem(raw.path, raw.row_numbers[i], head, cell, "must be a number"))
            value = None
        out[i] = np.nan if value is None else value
    return out


def _schema(
    fields: tuple[Field, ...], present: set[str], key: tuple[str, ...]
) -> pa.DataFrameSchema:
    this_year = _dt.date.today().year
    columns = {}
    for f in fields:
        if f.code not in present:
            continue
        checks = []
        if f.kind == "year":
            checks.append(
                pa.Check.in_range(
                    MIN_YEAR,
                    this_year + 1,
                    error=f"year must be between {MIN_YEAR} and {this_year + 1}",
                )
            )
        elif f.kind == "count":
            checks.append(pa.Check.ge(0, error="count must be >= 0"))
            checks.append(
                pa.Check(
                    lambda s: s.isna() | (s == np.floor(s)),
                    element_wise=False,
                    error="count must be a whole number",
                )
            )
        elif f.kind in ("money", "measure"):
            checks.append(
                pa.Check.ge(0, error=f"{'amount' if f.kind == 'money' else 'value'} must be >= 0")
            )
        elif f.kind == "category":
            checks.append(
                pa.Check.isin(list(f.choices), error=f"must be one of {'/'.join(f.choices)}")
            )
        dtype = None if f.kind in ("name", "category") else float
        columns[f.code] = pa.Column(dtype, checks=checks, nullable=not f.required, coerce=False)
    checks = [
        pa.Check(
            lambda d, a=a, b=b: d[a].isna() | d[b].isna() | (d[a] <= d[b]),
            name=f"{a} <= {b}",
            error=f"{a} <= {b}",
        )
        for a, b, _, _ in _ORDER_RULES
        if a in present and b in present
    ]
    if set(key) <= present:
        checks.append(
            pa.Check(
                lambda d: ~d.duplicated(list(key), keep="first"),
                name="duplicate",
                error="duplicate",
            )
        )
    return pa.DataFrameSchema(columns, checks=checks, strict=False)


#: Cross-column rules: (small, big, column the problem is reported on, rule text).
_ORDER_RULES = (
    (
        "staff_fulltime",
        "staff_total",
        "staff_fulltime",
        "staff_fulltime must not exceed staff_total",
    ),
    (
        "staff_established",
        "staff_total",
        "staff_established",
        "staff_established must not exceed staff_total",
    ),
    (
        "dibao_households",
        "dibao_persons",
        "dibao_persons",
        "dibao_persons must be at least dibao_households",
    ),
    (
        "staff_trained",
        "staff_total_with_leavers",
        "staff_trained",
        "staff_trained must not exceed staff_total + staff_left",
    ),
)


def _validate(frame, fields, headers, problems, key):
    present = set(frame.columns)
    work = frame
    if {"staff_trained", "staff_total"} <= present:
        # People trained this year include those who left during it.
        left = frame["staff_left"].fillna(0) if "staff_left" in present else 0
        work = frame.assign(staff_total_with_leavers=frame["staff_total"] + left)
        present = present | {"staff_total_with_leavers"}
    try:
        _schema(fields, present, key).validate(work, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.extend(_problems_from(exc.failure_cases, frame, headers, key))
    return problems


def _problems_from(cases: pd.DataFrame, frame, headers, key) -> list[Problem]:
    rule_column = {f"{a} <= {b}": col for a, b, col, _ in _ORDER_RULES}
    rule_column["duplicate"] = key[-1]
    seen, out = set(), []
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue
        i = int(case.index)
        check = str(case.check)
        column = rule_column.get(check, case.column)
        if (i, check, column) in seen:
            continue
        seen.add((i, check, column))
        file, row = frame.at[i, "_file"], int(frame.at[i, "_row"])
        value = frame.at[i, column] if column in frame.columns else case.failure_case
        rule = _rule_text(check, frame, i, key)
        out.append(Problem(file, row, headers.get((file, column), column), _show(value), rule))
    return out


def _rule_text(check: str, frame, i: int, key) -> str:
    if check == "duplicate":
        mask = (frame[list(key)] == frame.loc[i, list(key)]).all(axis=1)
        first = frame[mask].iloc[0]
        return f"duplicate {'/'.join(key)}: same as {first['_file']} row {int(first['_row'])}"
    for a, b, _, text in _ORDER_RULES:
        if check == f"{a} <= {b}":
            if b in frame.columns:
                return f"{text} ({a} = {_show(frame.at[i, a])}, {b} = {_show(frame.at[i, b])})"
            return text
    if check.startswith("not_nullable"):
        return "required value is missing"
    return check


def _show(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _finish(frame: pd.DataFrame, fields: tuple[Field, ...], paths) -> pd.DataFrame:
    kinds = {f.code: f.kind for f in fields}
    out = frame.drop(columns=["_file", "_row"])
    for code in out.columns:
        kind = kinds.get(code)
        if kind in ("year", "count"):
            out[code] = out[code].round().astype("Int64")
        elif kind == "flag":
            out[code] = out[code].map({1.0: True, 0.0: False}).astype("boolean")
    out.attrs["sources"] = [str(p) for p in paths]
    return out


def _load(paths, fields, key) -> pd.DataFrame:
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    frame, problems, headers = _read_frames(paths, fields)
    _validate(frame, fields, headers, problems, key)
    if problems:
        raise SurveyValidationError(problems)
    return _finish(frame, fields, paths)


def load(
    path_or_paths: str | Path | Iterable[str | Path],
    parttime_weight: float = 0.5,
    caseload_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Load, validate and derive survey returns from CSV or XLSX files.

    Parameters
    ----------
    path_or_paths : path or iterable of paths
        One or more files; rows of all files are validated together, so a
        duplicate township-year across files is caught.
    parttime_weight : float
        FTE counted for one part-time worker (see :func:`derive`).
    caseload_weights : mapping, optional
        Weights of programme counts in the caseload (see :func:`derive`).

    Returns
    -------
    pandas.DataFrame
        One row per township-year, columns named by code, counts as
        ``Int64``, money in 万元 as float, derived columns added.
        ``attrs["sources"]`` lists the files.

    Raises
    ------
    InputFileError
        When a file cannot be read at all.
    SurveyValidationError
        With every problem found, when any rule fails.

    Warns
    -----
    UnknownColumnWarning
        For each column not in the data dictionary (the column is kept).
    """
    frame = _load(path_or_paths, SURVEY_FIELDS, KEY)
    return derive(frame, parttime_weight, caseload_weights)


def load_roster(path_or_paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Load and validate a pseudonymous staff roster (one row per worker per year).

    Parameters
    ----------
    path_or_paths : path or iterable of paths
        CSV or XLSX files with the roster columns of the data dictionary.

    Returns
    -------
    pandas.DataFrame
        Flags as nullable booleans, counts as ``Int64``.

    Raises
    ------
    InputFileError, SurveyValidationError
        As for :func:`load`; a worker listed twice in a year is a duplicate.
    """
    return _load(path_or_paths, ROSTER_FIELDS, ("year", "county", "township", "staff_id"))


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


def is_synthetic(df: pd.DataFrame) -> bool:
    """Return True when any row of ``df`` is marked synthetic (column ``synthetic``)."""
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
