"""Survey returns and staff rosters: loading, validation and derived columns.

``load`` reads one or more CSV/XLSX files of survey returns (one row per
township per year), accepts English codes or Chinese labels as headers,
normalises numbers written by hand (full-width digits, thousands separators,
blanks), validates every row lazily with pandera, and raises one
:class:`~analysis.errors.SurveyValidationError` listing every problem with its
file, row, column, value and rule.

The steps live in :mod:`analysis.data`: :mod:`~analysis.data.reading` (files,
headers, cells), :mod:`~analysis.data.validation` (the rules and their
messages), :mod:`~analysis.data.derivation` (derived columns) and
:mod:`~analysis.data.selection` (rows of a year and county, summaries). This
module joins them up and is where notebooks, the CLI and tests take the names
from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .data.derivation import derive
from .data.reading import (
    PERSONAL_HEADERS,
    PersonalDataWarning,
    UnknownColumnWarning,
    finish,
    parse_number,
    read_frames,
)
from .data.selection import completeness, is_synthetic, select, summary
from .data.validation import validate
from .dictionary import ROSTER_FIELDS, SURVEY_FIELDS, Field
from .errors import SurveyValidationError

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
#: A roster row is identified by these columns.
ROSTER_KEY = (*KEY, "staff_id")


def _load(
    paths: str | Path | Iterable[str | Path], fields: tuple[Field, ...], key: tuple[str, ...]
) -> pd.DataFrame:
    # Warnings of read_frames name the caller of this function (stacklevel=3).
    paths = [paths] if isinstance(paths, str | Path) else list(paths)
    frame, problems, headers = read_frames(paths, fields)
    problems += validate(frame, fields, headers, key)
    if problems:
        raise SurveyValidationError(problems)
    return finish(frame, fields, paths)


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
    return _load(path_or_paths, ROSTER_FIELDS, ROSTER_KEY)


def __warm_up__() -> None:
    """Load what pandera loads on its first validation (its backends, hypothesis), ahead of use.

    A warm template (:mod:`analysis.pipeline.warm`) calls this once, so no notebook
    kernel forked from it pays for it; results are the same either way.
    """
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(0))})
    schema.validate(pd.DataFrame({"n": [1]}), lazy=True)
