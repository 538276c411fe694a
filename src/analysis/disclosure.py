"""Disclosure control: no published cell rests on fewer than ``k`` workers or households."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_K", "note_text", "suppress"]

#: Minimum number of workers or households behind a published cell.
DEFAULT_K = 3


def suppress(
    table: pd.DataFrame,
    count_cols: Sequence[str],
    k: int = DEFAULT_K,
    dependent: Mapping[str, Sequence[str]] | None = None,
    keys: Sequence[str] = ("year",),
) -> pd.DataFrame:
    """Blank every cell that rests on fewer than ``k`` (but more than 0) units.

    For each row and each count column ``c`` (a number of workers or
    households) with ``0 < value < k``, the cell ``c`` and the cells that rest
    on it are blanked (set missing). By default every numeric column of the
    row except the ``keys`` (labels such as the year) rests on every count
    column; ``dependent`` narrows that. Zero counts
    disclose nothing about a person and are kept.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to publish.
    count_cols : sequence of str
        Columns holding counts of workers or households.
    k : int
        Threshold (default 3).
    dependent : mapping, optional
        Count column -> columns resting on it.
    keys : sequence of str
        Numeric label columns that are never blanked.

    Returns
    -------
    pandas.DataFrame
        A copy with blanked cells. ``attrs["suppressed"]`` lists the blanked
        cells as ``(row label, column)``, ``attrs["note"]`` is the table note
        (empty when nothing was blanked), ``attrs["k"]`` the threshold.

    Raises
    ------
    KeyError
        When a count column is not in the table.
    ValueError
        When ``k`` is below 1.
    """
    missing = [c for c in count_cols if c not in table.columns]
    if missing:
        raise KeyError(f"count column(s) not in the table: {missing}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    out = table.copy()
    numeric = [
        c
        for c in out.columns
        if pd.api.types.is_numeric_dtype(out[c])
        and not pd.api.types.is_bool_dtype(out[c])
        and c not in keys
    ]
    blanked: list[tuple[object, str]] = []
    for c in count_cols:
        counts = pd.to_numeric(table[c], errors="coerce")
        small = (counts > 0) & (counts < k)
        cols = [c, *(dependent.get(c, []) if dependent is not None else numeric)]
        for label in table.index[small.fillna(False).to_numpy()]:
            for col in dict.fromkeys(cols):
                if col in keys:
                    continue
                if (label, col) not in blanked:
                    if isinstance(out[col].dtype, np.dtype) and out[col].dtype.kind in "iub":
                        out[col] = out[col].astype("float64")
                    out.loc[label, col] = None
                    blanked.append((label, col))
    out.attrs.update(table.attrs)
    out.attrs["suppressed"] = blanked
    out.attrs["k"] = k
    out.attrs["note"] = note_text(k) if blanked else ""
    return out


def note_text(k: int = DEFAULT_K) -> str:
    """Return the table note explaining suppression, in Chinese.

    Returns
    -------
    str
        The note, naming the threshold ``k``.
    """
    return f"注：为保护个人信息，依据少于{k}人（户）的数据单元格不予公布，以“—”表示。"
