"""Reading CSV and XLSX tables as text, with the row numbers a user sees.

Cells are returned as strings exactly as written, so that parsing and
validation can quote the original value back to the user.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError
from .textio import read_text

__all__ = [
    "RawTable",
    "read_table",
]


@dataclass
class RawTable:
    """A table read as text.

    Attributes
    ----------
    path : str
        The file it came from.
    header : list of str
        Header cells as written.
    rows : list of list of str
        Data rows, each padded or cut to the header's width.
    row_numbers : list of int
        For each data row, the row number the user sees (header is row 1).
    encoding : str
        Detected text encoding, or "xlsx".
    ragged : list of (int, int)
        Rows whose field count differs from the header's: (row number, fields).
    """

    path: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    encoding: str
    ragged: list[tuple[int, int]]


def read_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into a :class:`RawTable`.

    Fully empty rows are skipped but keep their numbers, so later rows are
    still numbered as in the file.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (any accepted encoding) or ``.xlsx`` file.
    sheet : str, optional
        XLSX sheet name; the first sheet by default.

    Returns
    -------
    RawTable

    Raises
    ------
    InputFileError
        For a missing, empty, damaged, header-only-less or unsupported file.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        records = _xlsx_records(p, sheet)
        encoding = "xlsx"
    elif suffix in (".csv", ".txt", ".tsv"):
        text, encoding = read_text(p)
        records = _csv_records(text, "\t" if suffix == ".tsv" else None, str(p))
    elif suffix == ".xls":
        raise InputFileError(str(p), "old .xls format is not supported; save it as .xlsx or CSV")
    else:
        raise InputFileError(str(p), f"unsupported file type {suffix!r}; use .csv or .xlsx")
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise InputFileError(str(p), "file has no header row")
    (_, header), body = records[0], records[1:]
    header = [h.strip() for h in header]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise InputFileError(str(p), "header row is empty")
    width = len(header)
    rows, numbers, ragged = [], [], []
    for number, cells in body:
        trimmed = list(cells)
        while len(trimmed) > width and trimmed[-1].strip() == "":
            trimmed.pop()
        if len(trimmed) != width:
            ragged.append((number, len(trimmed)))
        rows.append((trimmed + [""] * width)[:width])
        numbers.append(number)
    if not rows:
        raise InputFileError(str(p), "file has a header row but no data rows")
    return RawTable(str(p), header, rows, numbers, encoding, ragged)


def _csv_records(text: str, delimiter: str | None, path: str) -> list[tuple[int, list[str]]]:
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max([",", "\t", ";"], key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = []
    start = 1
    try:
        for cells in reader:
            out.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(path, f"line {reader.line_num}: malformed CSV ({exc})") from None
    return out


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_records(path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    import openpyxl

    if not path.exists():
        raise InputFileError(str(path), "file not found")
    if path.stat().st_size == 0:
        raise InputFileError(str(path), "file is empty")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(
            str(path), f"not a readable XLSX workbook (damaged or truncated: {exc})"
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputFileError(str(path), f"no sheet named {sheet!r}; sheets: {book.sheetnames}")
        ws = book[sheet] if sheet else book.worksheets[0]
        return [
            (n, [_cell_text(v) for v in row])
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputFileError(str(path), f"XLSX workbook is damaged ({exc})") from None
    finally:
        book.close()
