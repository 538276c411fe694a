"""Staffing norms as data: a YAML file per norm, applied to any survey frame.

Schema (exact, so that any norm file works in any copy of the workbench)::

    name: 福建省乡镇社会救助经办人员配备标准
    source: 闽民保〔2018〕58号
    basis: population            # any numeric column, raw or derived
    tiers:                       # half-open [from, below); from defaults to 0, below to infinity
      - {below: 20000, min_staff: 1}
      - {from: 20000, below: 50000, min_staff: 2}
      - {from: 50000, min_staff: 3, max_staff: 4}   # max_staff optional (ranges such as 3-4 人)

or, in rate form, ``rate: {per: 10000}`` meaning ``required = ceil(basis / per)``
(optionally ``min_staff`` as a floor), or, for a category basis, ``levels``::

    name: 乡镇民政所办公用房面积建议
    source: …
    resource: office_area_m2     # what the norm sets: staff (default) or any numeric column
    unit: 平方米
    basis: township_type         # a category column
    levels:
      镇: {min: 150}
      乡: {min: 150}
      街道: {min: 90, max: 120}

A norm has exactly one of ``tiers``, ``rate`` and ``levels``. Tiers must start
at 0, follow each other without gap or overlap, and reach infinity. In tiers
and levels ``min``/``max`` may be written ``min_staff``/``max_staff``; staff
requirements are whole numbers, other resources need not be. Every error names
the file and the tier or level. :func:`compare` sets any norm against the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import safeyaml
from .errors import NormError

__all__ = [
    "STAFF",
    "compare",
    "Norm",
    "Tier",
    "load",
    "load_all",
    "NORMS_DIR",
    "resolve",
]

#: Folder of the shipped norms.
NORMS_DIR = Path(__file__).resolve().parents[2] / "data" / "reference" / "norms"

_TOP_KEYS = {"name", "source", "basis", "tiers", "rate", "levels", "resource", "unit", "note"}
_TIER_KEYS = {"from", "below", "min_staff", "max_staff", "min", "max"}
_LEVEL_KEYS = {"min", "max", "min_staff", "max_staff"}
#: The resource a norm sets when it names none, compared with the FTE column.
STAFF = "staff"
_RATE_KEYS = {"per", "min_staff"}


@dataclass(frozen=True)
class Tier:
    """One tier: ``lower <= basis < upper`` requires ``min_staff`` (to ``max_staff``).

    (For a resource other than staff the two ends are in the norm's unit.)
    """

    lower: float
    upper: float
    min_staff: float
    max_staff: float | None = None


@dataclass(frozen=True)
class Norm:
    """A staffing norm.

    Attributes
    ----------
    name, source : str
        Title and source document.
    basis : str
        Column the norm is applied to.
    tiers : tuple of Tier
        Contiguous tiers covering [0, inf); empty for a rate norm.
    per : float or None
        Rate form: one worker per ``per`` units of the basis.
    rate_min : int
        Rate form: floor of the requirement.
    path : str
        File it was read from.
    """

    name: str
    source: str
    basis: str
    tiers: tuple[Tier, ...] = ()
    per: float | None = None
    rate_min: int = 0
    path: str = ""
    resource: str = STAFF
    unit: str = "人"
    levels: tuple[tuple[str, float, float | None], ...] = ()

    def _basis(self, df: pd.DataFrame) -> pd.Series:
        if self.basis not in df.columns:
            raise NormError(
                self.path,
                "basis",
                f"column {self.basis!r} is not in the data; "
                f"available: {', '.join(map(str, df.columns))}",
            )
        if self.levels:
            return df[self.basis].astype("string")
        values = pd.to_numeric(df[self.basis], errors="coerce").astype("float64")
        return values

    def required(self, df: pd.DataFrame) -> pd.Series:
        """Return the minimum staff the norm requires for each row.

        Tiers: the ``min_staff`` of the tier whose ``[from, below)`` holds the
        basis. Rate: ``max(ceil(basis / per), min_staff)``.

        Parameters
        ----------
        df : pandas.DataFrame
            Frame holding the basis column.

        Returns
        -------
        pandas.Series
            ``Int64``; missing where the basis is missing or negative.

        Raises
        ------
        NormError
            When the basis column is absent.
        """
        return self._apply(df, "min")

    def required_max(self, df: pd.DataFrame) -> pd.Series:
        """Return the upper end of the required range (``max_staff``), or missing where the tier has none.

        Returns
        -------
        pandas.Series
            ``Int64``; missing where the tier has no ``max_staff``, for a rate norm,
            and where the basis is missing.

        Raises
        ------
        NormError
            When the basis column is absent.
        """
        return self._apply(df, "max")

    def _apply(self, df: pd.DataFrame, end: str) -> pd.Series:
        x = self._basis(df)
        out = pd.Series(np.nan, index=df.index, dtype="float64")
        if self.levels:
            for level, low, high in self.levels:
                value = low if end == "min" else high
                if value is not None:
                    out[(x == level).fillna(False).to_numpy()] = value
        elif self.per is not None:
            if end == "min":
                out = np.maximum(np.ceil(x / self.per), self.rate_min).where(x >= 0)
        else:
            for t in self.tiers:
                value = t.min_staff if end == "min" else t.max_staff
                if value is not None:
                    out[(x >= t.lower) & (x < t.upper)] = value
        if self.resource != STAFF:
            return out.astype("Float64").rename(f"required_{end}")
        return out.round().astype("Int64").rename(f"required_{end}")

    def describe(self) -> str:
        """Return the norm as one line of Chinese text for reports, e.g. ``3万以下2—3人；3万及以上3—4人``.

        Returns
        -------
        str
            One part per tier (range and staff) joined by ``；``, or the rate for a
            rate norm.
        """
        if self.per is not None:
            return f"每{_num(self.per)}配备1人（{self.basis}）"
        unit = self.unit
        if self.levels:
            return "；".join(
                f"{level}{_num(lo)}—{_num(hi)}{unit}" if hi else f"{level}不少于{_num(lo)}{unit}"
                for level, lo, hi in self.levels
            )
        parts = []
        for t in self.tiers:
            lo, hi = _num(t.min_staff), _num(t.max_staff) if t.max_staff else ""
            staff = f"{lo}—{hi}{unit}" if t.max_staff else f"不少于{lo}{unit}"
            if t.lower == 0:
                span = f"{_num(t.upper)}以下"
            elif math.isinf(t.upper):
                span = f"{_num(t.lower)}及以上"
            else:
                span = f"{_num(t.lower)}—{_num(t.upper)}"
            parts.append(f"{span}{staff}")
        return "；".join(parts)


def _num(x: float) -> str:
    if x >= 10000 and x % 10000 == 0:
        return f"{int(x // 10000)}万"
    return f"{x:g}"


def _number(path, where, key, value, integer=False):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NormError(path, where, f"{key} must be a number, got {value!r}")
    if value < 0 or (isinstance(value, float) and math.isnan(value)):
        raise NormError(path, where, f"{key} must not be negative, got {value!r}")
    if integer and int(value) != value:
        raise NormError(path, where, f"{key} must be a whole number, got {value!r}")
    return int(value) if integer else float(value)


def _ends(path, where, raw, integer):
    low_key = "min" if "min" in raw else "min_staff"
    high_key = "max" if "max" in raw else "max_staff"
    if ("min" in raw and "min_staff" in raw) or ("max" in raw and "max_staff" in raw):
        raise NormError(path, where, "give min or min_staff (max or max_staff), not both")
    if low_key not in raw:
        raise NormError(path, where, "min (or min_staff) is required")
    low = _number(path, where, low_key, raw[low_key], integer=integer)
    high = raw.get(high_key)
    high = None if high is None else _number(path, where, high_key, high, integer=integer)
    if high is not None and high < low:
        raise NormError(path, where, f"{high_key} ({high:g}) is below {low_key} ({low:g})")
    return low, high


def _parse_tier(path, i, raw, integer=True) -> Tier:
    where = f"tiers[{i + 1}]"
    if not isinstance(raw, dict):
        raise NormError(
            path, where, "each tier must be a mapping such as {below: 20000, min_staff: 1}"
        )
    unknown = set(raw) - _TIER_KEYS
    if unknown:
        raise NormError(
            path, where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_TIER_KEYS)}"
        )
    lower = _number(path, where, "from", raw.get("from", 0))
    upper = _number(path, where, "below", raw["below"]) if "below" in raw else math.inf
    if upper <= lower:
        raise NormError(path, where, f"below ({upper:g}) must be greater than from ({lower:g})")
    low_staff, high_staff = _ends(path, where, raw, integer)
    return Tier(lower, upper, low_staff, high_staff)


def _check_cover(path, tiers: list[Tier]) -> None:
    order = sorted(range(len(tiers)), key=lambda i: tiers[i].lower)
    first = tiers[order[0]]
    if first.lower != 0:
        raise NormError(
            path,
            f"tiers[{order[0] + 1}]",
            f"the lowest tier starts at {first.lower:g}; tiers must start at 0 (omit `from`)",
        )
    for a, b in zip(order, order[1:], strict=False):
        ta, tb = tiers[a], tiers[b]
        if tb.lower < ta.upper:
            raise NormError(
                path,
                f"tiers[{a + 1}] and tiers[{b + 1}]",
                f"overlap: [{ta.lower:g}, {ta.upper:g}) and [{tb.lower:g}, {tb.upper:g})",
            )
        if tb.lower > ta.upper:
            raise NormError(
                path,
                f"tiers[{a + 1}] and tiers[{b + 1}]",
                f"gap: nothing covers [{ta.upper:g}, {tb.lower:g})",
            )
    last = tiers[order[-1]]
    if not math.isinf(last.upper):
        raise NormError(
            path,
            f"tiers[{order[-1] + 1}]",
            f"the highest tier ends below {last.upper:g}; omit `below` so it reaches infinity",
        )


def parse(data: object, path: str = "<norm>") -> Norm:
    """Build a :class:`Norm` from parsed YAML, validating the schema.

    Returns
    -------
    Norm
        The validated norm, its tiers sorted by lower bound.

    Raises
    ------
    NormError
        For unknown keys, missing fields, overlapping tiers, gaps, negative
        bounds, or a file with both or neither of ``tiers`` and ``rate``.
    """
    if not isinstance(data, dict):
        raise NormError(
            path, "top level", "a norm must be a mapping with name, source, basis and tiers or rate"
        )
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise NormError(
            path,
            "top level",
            f"unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(_TOP_KEYS)}",
        )
    for key in ("name", "source", "basis"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise NormError(path, key, f"{key} is required and must be text")
    for key in ("resource", "unit"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise NormError(path, key, f"{key} must be text")
    forms = [k for k in ("tiers", "rate", "levels") if k in data]
    if len(forms) != 1:
        raise NormError(
            path,
            "top level",
            "give exactly one of `tiers`, `rate` or `levels`, not "
            + (" and ".join(forms) if forms else "none"),
        )
    resource = str(data.get("resource", STAFF)).strip()
    common = {
        "name": data["name"].strip(),
        "source": data["source"].strip(),
        "basis": data["basis"].strip(),
        "path": path,
        "resource": resource,
        "unit": str(data.get("unit", "人" if resource == STAFF else "")).strip(),
    }
    has_rate = "rate" in data
    if "levels" in data:
        raw = data["levels"]
        if not isinstance(raw, dict) or not raw:
            raise NormError(path, "levels", "levels must map each value of the basis to {min: …}")
        levels = []
        for level, ends in raw.items():
            where = f"levels[{level}]"
            if not isinstance(ends, dict):
                raise NormError(path, where, "each level must be a mapping such as {min: 150}")
            unknown = set(ends) - _LEVEL_KEYS
            if unknown:
                raise NormError(
                    path, where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_LEVEL_KEYS)}"
                )
            low, high = _ends(path, where, ends, resource == STAFF)
            levels.append((str(level), low, high))
        return Norm(levels=tuple(levels), **common)
    if has_rate and resource != STAFF:
        raise NormError(path, "rate", "a rate norm sets staff (one worker per `per` of the basis)")
    if has_rate:
        rate = data["rate"]
        if not isinstance(rate, dict) or "per" not in rate:
            raise NormError(path, "rate", "rate must be a mapping such as {per: 10000}")
        unknown = set(rate) - _RATE_KEYS
        if unknown:
            raise NormError(
                path, "rate", f"unknown key(s) {sorted(unknown)}; allowed: {sorted(_RATE_KEYS)}"
            )
        per = _number(path, "rate", "per", rate["per"])
        if per == 0:
            raise NormError(path, "rate", "per must be greater than 0")
        floor = _number(path, "rate", "min_staff", rate.get("min_staff", 0), integer=True)
        return Norm(per=per, rate_min=floor, **common)
    raw = data["tiers"]
    if not isinstance(raw, list) or not raw:
        raise NormError(path, "tiers", "tiers must be a non-empty list")
    tiers = [_parse_tier(path, i, t, resource == STAFF) for i, t in enumerate(raw)]
    _check_cover(path, tiers)
    return Norm(tiers=tuple(sorted(tiers, key=lambda t: t.lower)), **common)


def load(path: str | Path) -> Norm:
    """Read and validate one norm YAML file (safe loading only).

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    Norm

    Raises
    ------
    NormError
        When the file is missing, not YAML, or breaks the schema.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NormError(str(p), "file", "not found") from None
    except UnicodeDecodeError:
        raise NormError(str(p), "file", "not UTF-8 text") from None
    try:
        data = safeyaml.load_text(text, 100_000, "norm files")
    except safeyaml.YamlRefused as exc:
        raise NormError(str(p), "file", str(exc)) from None
    return parse(data, str(p))


def load_all(folder: str | Path = NORMS_DIR) -> dict[str, Norm]:
    """Load every ``*.yml`` norm in ``folder``, keyed by file stem (e.g. ``fujian_2018``).

    Returns
    -------
    dict of str to Norm
        File stem -> norm, in file-name order.
    """
    return {p.stem: load(p) for p in sorted(Path(folder).glob("*.y*ml"))}


def resolve(name_or_path: str | Path) -> Norm:
    """Load a norm by shipped name (``fujian_2018``) or by path to a YAML file.

    Returns
    -------
    Norm
        The validated norm.

    Raises
    ------
    NormError
        When ``name_or_path`` is neither a YAML path nor a shipped norm's name, or
        (from :func:`load`) when the file is invalid.
    """
    p = Path(name_or_path)
    if p.suffix in (".yml", ".yaml") or p.exists():
        return load(p)
    candidate = NORMS_DIR / f"{name_or_path}.yml"
    if not candidate.exists():
        shipped = ", ".join(sorted(load_all()))
        raise NormError(str(name_or_path), "name", f"no such norm; shipped norms: {shipped}")
    return load(candidate)


def compare(df: pd.DataFrame, norm: Norm, actual: str | None = None) -> pd.DataFrame:
    """Set a norm against the data: what it requires, what there is, and the shortfall.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows holding the basis column and the resource column.
    norm : Norm
        Any norm: staff (compared with ``fte``) or another resource (compared with
        the column it names).
    actual : str, optional
        The column to compare with instead (e.g. ``staff_total``).

    Returns
    -------
    pandas.DataFrame
        ``required``, ``required_max``, ``actual``, ``shortfall = max(required - actual, 0)``
        and ``short`` (``shortfall > 0``), on the index of ``df``; missing where the
        basis or the resource is missing, or the basis has no tier or level.

    Raises
    ------
    NormError
        When the basis or the resource column is absent.
    """
    column = actual or ("fte" if norm.resource == STAFF else norm.resource)
    if column not in df.columns:
        raise NormError(
            norm.path,
            "resource",
            f"column {column!r} is not in the data; available: {', '.join(map(str, df.columns))}",
        )
    required = norm.required(df).astype("Float64")
    have = pd.to_numeric(df[column], errors="coerce").astype("Float64")
    shortfall = (required - have).clip(lower=0)
    return pd.DataFrame(
        {
            "required": required,
            "required_max": norm.required_max(df).astype("Float64"),
            "actual": have,
            "shortfall": shortfall,
            "short": (shortfall > 0).astype("boolean"),
        },
        index=df.index,
    )
