"""Structured errors of the workbench.

Every error the user can cause derives from :class:`WorkbenchError`. The CLI
prints these without a traceback and exits non-zero; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BuildLockedError",
    "InputFileError",
    "NormError",
    "ParameterError",
    "PlanError",
    "Problem",
    "RenderError",
    "SelectionError",
    "SurveyValidationError",
    "WorkbenchError",
]


class WorkbenchError(Exception):
    """Base class of every error a user can cause and fix."""


class InputFileError(WorkbenchError):
    """A file cannot be read at all (missing, empty, undecodable, wrong format).

    Parameters
    ----------
    path : str
        The file concerned.
    reason : str
        What is wrong, in words the user can act on.
    """

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class Problem:
    """One validation failure, located as the user sees it in the file.

    Attributes
    ----------
    file : str
        Path of the file.
    row : int or None
        Line (CSV) or sheet row (XLSX) number, header being row 1; None for
        problems of the whole file, such as a missing column.
    column : str or None
        The column as written in the file's header (English code or Chinese label).
    value : str
        The offending value as written, or "" when there is none.
    rule : str
        The rule that failed, with expected against actual where useful.
    """

    file: str
    row: int | None
    column: str | None
    value: str
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        shown = f" (value {self.value!r})" if self.value != "" else ""
        return f"{where}: {self.rule}{shown}"


class SurveyValidationError(WorkbenchError):
    """All problems found in one or more survey files, collected before raising.

    Parameters
    ----------
    problems : list of Problem
        Every failure, in file and row order.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            problems,
            key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or "", p.rule),
        )
        head = f"{len(self.problems)} problem(s) in survey data:"
        lines = [str(p) for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more")
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


class SelectionError(WorkbenchError):
    """A requested year or scope has no rows in the data.

    Parameters
    ----------
    what : str
        "year" or "scope".
    value : object
        The requested value.
    available : list
        What the data does hold.
    """

    def __init__(self, what: str, value: object, available: list):
        self.what, self.value, self.available = what, value, available
        shown = ", ".join(str(a) for a in available[:20])
        super().__init__(f"{what} {value!r} has no rows in the data; available: {shown}")


class NormError(WorkbenchError):
    """A staffing-norm YAML file is malformed.

    Parameters
    ----------
    path : str
        The YAML file.
    where : str
        The key or tier concerned, e.g. ``"tiers[2]"``.
    reason : str
        What is wrong.
    """

    def __init__(self, path: str, where: str, reason: str):
        self.path, self.where, self.reason = str(path), where, reason
        super().__init__(f"{self.path}: {where}: {reason}")


class PlanError(WorkbenchError):
    """A parameter set does not fit the notebooks (unknown, missing or mistyped key).

    Parameters
    ----------
    path : str
        The YAML parameter file.
    key : str or None
        The key concerned.
    reason : str
        What is wrong.
    """

    def __init__(self, path: str, key: str | None, reason: str):
        self.path, self.key, self.reason = str(path), key, reason
        where = f"key {key!r}: " if key else ""
        super().__init__(f"{self.path}: {where}{reason}")


class ParameterError(PlanError):
    """A parameter has the right type but a value outside its range (e.g. a negative weight)."""


class RenderError(WorkbenchError):
    """Rendering a report to HTML or PDF failed (pandoc, typst or quarto)."""


class BuildLockedError(WorkbenchError):
    """Another build is running on the same reports folder."""
