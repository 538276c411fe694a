"""Reading survey and roster files into one frame of column codes.

Headers may be English codes or Chinese labels (see
:func:`analysis.dictionary.resolve_header`); cells are parsed as people write
them in Chinese spreadsheets (full-width digits, thousands separators, 是/否).
Personal-data columns are dropped, unknown columns kept with a warning. Every
cell that cannot be parsed becomes a :class:`~analysis.errors.Problem`, so
that all problems can be reported together after validation.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..dictionary import Field, resolve_header
from ..errors import Problem
from ..rawfiles import RawTable, read_table

__all__ = [
    "PERSONAL_HEADERS",
    "PersonalDataWarning",
    "UnknownColumnWarning",
    "finish",
    "parse_number",
    "read_frames",
]

_MISSING = {"", "-", "—", "–", "/", "na", "n/a", "nan", "null", "none"}
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
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


def read_frames(
    paths: Iterable[str | Path], fields: tuple[Field, ...]
) -> tuple[pd.DataFrame, list[Problem], dict[tuple[str, str], str]]:
    """Read files into one frame of codes, parsing typed columns.

    Parameters
    ----------
    paths : iterable of path
        CSV or XLSX files.
    fields : tuple of Field
        The dictionary the headers are resolved against.

    Returns
    -------
    (pandas.DataFrame, list of Problem, dict)
        The frame, numbers and flags as float (with ``_file`` and ``_row``
        locators); the problems found while reading and parsing; and a map
        (file, code) -> header as written, for messages.

    Raises
    ------
    InputFileError
        When a file cannot be read at all.
    ValueError
        When no file is given.

    Warns
    -----
    PersonalDataWarning, UnknownColumnWarning
        For each column dropped as personal data, or kept though unknown.
        The warnings name the caller's caller (``analysis.surveys.load``).
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


def _parse_column(
    cells: list[str], spec: Field | None, raw: RawTable, head: str, problems: list[Problem]
):
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


def _parse_numbers(
    cells: list[str], raw: RawTable, head: str, problems: list[Problem]
) -> np.ndarray:
    """:func:`parse_number` over a column, with a fast path for plain ASCII numbers (100k rows in ~1 s).

    Returns
    -------
    numpy.ndarray
        The values as float64, NaN where a cell is blank or unparsable (each
        unparsable cell is added to ``problems``).
    """
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


def finish(
    frame: pd.DataFrame, fields: tuple[Field, ...], paths: Iterable[str | Path]
) -> pd.DataFrame:
    """Give a validated frame its final types and drop the locators.

    Years and counts become ``Int64``, flags nullable booleans; money and
    measures stay float. ``attrs["sources"]`` lists the files.

    Returns
    -------
    pandas.DataFrame
        A new frame with the final types, without ``_file`` and ``_row``.
    """
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
