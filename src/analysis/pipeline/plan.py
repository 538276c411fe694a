"""Planning: parameter sets -> reports -> jobs, validated against the notebooks."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import safeyaml
from ..dictionary import scope_label
from ..errors import ParameterError, PlanError, WorkbenchError
from .chapters import CHAPTERS
from .facts import FactStore

__all__ = [
    "Job",
    "Report",
    "discover_params",
    "load_yaml",
    "notebook_parameters",
    "plan",
    "scope_label",
    "canonical",
]

#: Keys of a parameter set that describe the report itself, not a notebook.
REPORT_KEYS = {"title", "issuer"}
#: Parameters the build sets itself.
BUILD_KEYS = {"output_dir"}
_TYPES = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "dict": (dict,),
    "list": (list,),
    "bool": (bool,),
}
_MAX_YAML_BYTES = 1_000_000
#: Allowed ranges of numeric parameters: key -> (lowest, highest, whether lowest is allowed).
#: ``None`` means unbounded. Checked at plan time, so a bad value fails its report before
#: any notebook starts, naming the file and the key.
RANGES = {
    "year": (1978, 2100, True),
    "parttime_weight": (0, 1, True),  # FTE of one part-time worker
    "peer_threshold": (0, 1, False),  # share of the model's prediction
    "k_min": (1, None, True),  # fewest units behind a published cell
    "protection": (0, None, True),  # units a blanked cell's feasibility interval spans
    "min_group": (1, None, True),  # workers behind a published average
    "min_dof": (1, None, True),  # residual degrees of freedom of a published model
    "horizon": (1, 50, True),  # years of projection
    "tenure_threshold": (0, None, True),  # years in post
    "need_high": (0, 1, True),  # need scores lie in [0, 1]
    "max_rows": (1, None, True),
    "new_posts": (0, None, True),  # posts to allocate
    "budget": (0, None, True),  # yuan per year
    "class_size": (1, None, True),  # participants per class
    "cost_per_person_day": (0, None, True),  # yuan
}
#: The allocation rules of :data:`analysis.policy.RULES` (named here so planning stays light).
ALLOCATION_RULES = ("caseload", "gap")
#: Parameters that list norms (file stems or paths).
NORM_LISTS = ("scenario_norms", "area_norms")
#: Parameters that map names to weights: each weight >= 0, at least one > 0.
WEIGHTS = ("caseload_weights", "need_weights")


def load_yaml(path: str | Path) -> dict:
    """Read a parameter file: a YAML mapping, safely loaded (see :mod:`analysis.safeyaml`).

    Returns
    -------
    dict
        The mapping; empty for an empty file.

    Raises
    ------
    PlanError
        For a missing file, an oversized one, invalid YAML, aliases, or a non-mapping.
    """
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8", errors="strict")
    except FileNotFoundError:
        raise PlanError(str(p), None, "parameter file not found") from None
    try:
        data = safeyaml.load_text(text, _MAX_YAML_BYTES, "parameter files")
    except safeyaml.YamlRefused as exc:
        raise PlanError(str(p), None, str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlanError(str(p), None, "must be a mapping of parameter names to values")
    return data


def notebook_parameters(notebook: str | Path) -> dict[str, str]:
    """Return ``{name: inferred type}`` of a notebook's ``parameters`` cell.

    The cell is read as papermill reads it: ``name: type = value`` gives the
    annotation, a plain ``name = value`` gives ``None``. A cell of simple
    assignments is parsed here with :mod:`ast` (importing papermill costs about
    2 s); anything else is left to :func:`papermill.inspect_notebook`.
    ``tests/test_plan.py`` checks the two agree on every bundled notebook.

    Returns
    -------
    dict of str to str
        Parameter name -> the inferred type name (e.g. ``int``).
    """
    simple = _simple_parameters(Path(notebook))
    if simple is not None:
        return simple
    import papermill as pm

    return {k: v["inferred_type_name"] for k, v in pm.inspect_notebook(str(notebook)).items()}


def _simple_parameters(path: Path) -> dict[str, str] | None:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    cell = next(
        (
            c
            for c in cells
            if c.get("cell_type") == "code"
            and "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if cell is None:
        return None
    source = "".join(cell.get("source", []))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            out[node.target.id] = ast.unparse(node.annotation)
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            out[node.targets[0].id] = "None"
        else:
            return None  # anything else: papermill decides
    return out


@dataclass
class Job:
    """One notebook executed for one report."""

    report: Report
    notebook: Path
    parameters: dict

    @property
    def name(self) -> str:
        """Return ``<year>/<scope>/<notebook>`` for messages."""
        return f"{self.report.year}/{self.report.scope}/{self.notebook.stem}"


@dataclass
class Report:
    """One annual report: a year, a scope, its parameters, and its jobs."""

    source: Path
    year: int
    scope: str
    title: str
    issuer: str
    parameters: dict
    jobs: list[Job] = field(default_factory=list)
    error: PlanError | None = None

    @property
    def key(self) -> tuple[int, str]:
        """Return (year, scope)."""
        return (self.year, self.scope)

    @property
    def place(self) -> str:
        """Return the scope as the reports write it: the county, or 全部县 for ``all``."""
        return scope_label(self.scope)


def discover_params(folder: str | Path) -> list[Path]:
    """Return the parameter sets in ``folder``: every ``*.yml`` except ``defaults.yml``, sorted.

    Returns
    -------
    list of Path
        The parameter files, sorted by path.
    """
    return sorted(p for p in Path(folder).glob("*.y*ml") if p.stem != "defaults")


def _check_type(path, key, value, expected):
    if expected in _TYPES and value is not None:
        ok = isinstance(value, _TYPES[expected]) and not (
            expected != "bool" and isinstance(value, bool)
        )
        if not ok:
            raise PlanError(
                str(path), key, f"expected {expected}, got {type(value).__name__} {value!r}"
            )


def _check_range(path: Path, key: str, value) -> None:
    """Raise ParameterError when a numeric parameter lies outside :data:`RANGES`.

    Raises
    ------
    ParameterError
        When a value lies outside its range, a weight is negative or not a number
        (or all weights are 0), or a module's ``days`` is not above 0.
    """
    if key in RANGES and isinstance(value, int | float) and not isinstance(value, bool):
        low, high, low_ok = RANGES[key]
        if (value < low if low_ok else value <= low) or (high is not None and value > high):
            upper = f"{high}]" if high is not None else "∞)"
            interval = ("[" if low_ok else "(") + f"{low}, " + upper
            raise ParameterError(str(path), key, f"{value!r} is outside {interval}")
    if key in WEIGHTS and isinstance(value, dict):
        _check_weights(path, key, value)
    if key == "sensitivity_weights" and isinstance(value, dict):
        if not value:
            raise ParameterError(str(path), key, "give at least one set of caseload weights")
        for name, weights in value.items():
            if not isinstance(weights, dict):
                raise ParameterError(
                    str(path), key, f"{name!r} must map programmes to weights, got {weights!r}"
                )
            _check_weights(path, key, weights, f"{name!r}: ")
    if key == "post_costs" and isinstance(value, dict):
        if not value:
            raise ParameterError(str(path), key, "give the cost of at least one kind of post")
        for kind, cost in value.items():
            if not isinstance(cost, int | float) or isinstance(cost, bool) or cost <= 0:
                raise ParameterError(
                    str(path), key, f"cost of {kind!r} must be a number above 0, got {cost!r}"
                )
    if key == "post_mix" and isinstance(value, dict):
        shares = list(value.values())
        if any(not isinstance(v, int | float) or isinstance(v, bool) or v < 0 for v in shares):
            raise ParameterError(str(path), key, f"shares must be numbers >= 0, got {value!r}")
        if abs(sum(shares) - 1) > 1e-9:
            raise ParameterError(
                str(path), key, f"shares must sum to 1, they sum to {sum(shares):g}"
            )
    if key == "allocation_rule" and value not in ALLOCATION_RULES:
        raise ParameterError(
            str(path), key, f"{value!r} is not a rule; use one of {', '.join(ALLOCATION_RULES)}"
        )
    if key in NORM_LISTS and isinstance(value, list):
        bad = [v for v in value if not isinstance(v, str) or not v]
        if bad:
            raise ParameterError(str(path), key, f"expected norm names or paths, got {bad!r}")
    if key == "modules" and isinstance(value, dict):
        for name, spec in value.items():
            days = spec.get("days") if isinstance(spec, dict) else None
            if not isinstance(days, int | float) or isinstance(days, bool) or days <= 0:
                raise ParameterError(
                    str(path), key, f"module {name!r}: days must be a number above 0, got {days!r}"
                )


def _check_weights(path: Path, key: str, value: dict, where: str = "") -> None:
    for name, weight in value.items():
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
            raise ParameterError(
                str(path), key, f"{where}weight of {name!r} must be a number >= 0, got {weight!r}"
            )
    if value and not any(value.values()):
        raise ParameterError(str(path), key, f"{where}at least one weight must be above 0")


def _check_together(path: Path, values: dict) -> None:
    """Raise ParameterError when parameters that depend on each other disagree.

    Raises
    ------
    ParameterError
        When ``post_mix`` names a kind of post that ``post_costs`` has no cost for.
    """
    mix, costs = values.get("post_mix"), values.get("post_costs")
    if isinstance(mix, dict) and isinstance(costs, dict):
        unknown = [kind for kind in mix if kind not in costs]
        if unknown:
            raise ParameterError(
                str(path),
                "post_mix",
                f"no cost per post for {', '.join(map(str, unknown))} in post_costs "
                f"(kinds with a cost: {', '.join(map(str, costs))})",
            )


def _resolve_paths(params: dict, root: Path) -> dict:
    out = {}
    for key, value in params.items():
        if isinstance(value, str) and (
            key.endswith(("_path", "_dir")) or re.search(r"\.(ya?ml|csv|xlsx)$", value)
        ):
            p = Path(value)
            out[key] = str(p if p.is_absolute() else (root / p).resolve())
        else:
            out[key] = value
    return out


def plan(
    params: list[Path],
    notebooks_dir: Path,
    defaults_path: Path | None,
    root: Path,
    *,
    year: int | None = None,
    scope: str | None = None,
    facts: FactStore | None = None,
) -> list[Report]:
    """Build the reports and their jobs from parameter files.

    A parameter set is ``defaults.yml`` overlaid with one report file. Every
    key must be declared by at least one notebook (or be a report key:
    title, issuer); every notebook parameter must be given (except
    ``output_dir``, which the build sets); values must have the notebook's type.
    A report whose file breaks these rules carries the error and no jobs.

    Parameters
    ----------
    params : list of Path
        Report parameter files.
    notebooks_dir : Path
        Folder of the notebooks.
    defaults_path : Path or None
        ``params/defaults.yml``.
    root : Path
        Project root; relative paths in parameters are resolved against it.
    year, scope : optional
        Keep only reports of this year / scope.
    facts : FactStore, optional
        Remembers what planning learns from the notebooks, survey files and
        evidence folders between builds (see :mod:`.facts`).

    Returns
    -------
    list of Report

    Raises
    ------
    PlanError
        When ``notebooks_dir`` holds no notebook, or ``defaults_path`` cannot be
        read (see :func:`load_yaml`) or sets a parameter no notebook declares. The
        errors of a report's own file are kept in its ``error``, not raised.
    """
    books = [
        notebooks_dir / f"{n}.ipynb"
        for n in CHAPTERS  # report order; notebooks present but not listed come after
        if (notebooks_dir / f"{n}.ipynb").exists()
    ]
    books += sorted(p for p in notebooks_dir.glob("*.ipynb") if p not in books)
    if not books:
        raise PlanError(str(notebooks_dir), None, "no notebooks (*.ipynb) found")
    facts = facts or FactStore(None)
    declared = {
        nb: facts.get("parameters", [nb], lambda nb=nb: notebook_parameters(nb)) for nb in books
    }
    known = set().union(*declared.values()) if declared else set()
    defaults = load_yaml(defaults_path) if defaults_path and defaults_path.exists() else {}
    for key in defaults:
        if key not in known | REPORT_KEYS:
            raise PlanError(str(defaults_path), key, "unknown parameter: no notebook declares it")
    memo: dict = {"facts": facts}
    reports = []
    for path in params:
        for report in _reports(path, defaults, declared, root, memo):
            if (year is None or report.year == year) and (scope is None or report.scope == scope):
                reports.append(report)
    for r in reports:
        if r.error is None:
            try:
                _check_material(r, memo)
            except PlanError as exc:
                r.error, r.jobs = exc, []
    seen: dict[tuple, Path] = {}
    for r in reports:
        if r.error is None and r.key in seen:
            r.error = PlanError(str(r.source), None, f"same year and scope as {seen[r.key]}")
            r.jobs = []
        seen.setdefault(r.key, r.source)
    return reports


def _reports(path: Path, defaults: dict, declared: dict, root: Path, memo: dict) -> list[Report]:
    # One parameter file: one report, or a report set (several years or scopes); a file
    # with an error gives one report carrying it (errors are kept, not raised).
    try:
        own = load_yaml(path)
    except PlanError as exc:
        return [Report(path, 0, path.stem, path.stem, "", {}, error=exc)]
    merged = {**defaults, **own}
    try:
        for key in ("year", "scope"):
            if key not in merged:
                raise PlanError(str(path), key, "missing: every report needs a year and a scope")
        for key in own:
            if key not in set().union(*declared.values()) | REPORT_KEYS:
                raise PlanError(str(path), key, "unknown parameter: no notebook declares it")
        pairs = _expand(path, merged, root, memo)
    except PlanError as exc:
        year = merged.get("year")
        scope = merged.get("scope")
        shown = scope if isinstance(scope, str) else path.stem
        return [
            Report(
                path, year if isinstance(year, int) else 0, shown, path.stem, "", merged, error=exc
            )
        ]
    return [_report(path, {**merged, "year": y, "scope": s}, declared, root) for y, s in pairs]


def _survey(merged: dict, root: Path, memo: dict) -> dict | None:
    """Return what planning needs of the report's survey data, or None when it cannot be read.

    Returns
    -------
    dict or None
        ``{"counties": {year: [county, ...]}, "synthetic": bool}``, counties in the
        order of the file; years as strings (JSON keys).
    """
    value = merged.get("survey_path")
    if not isinstance(value, str):
        return None
    path = Path(value) if Path(value).is_absolute() else (root / value).resolve()
    if ("survey", str(path)) not in memo:
        memo[("survey", str(path))] = memo["facts"].get(
            "survey", [path], lambda: _survey_facts(path)
        )
    return memo[("survey", str(path))]


def _survey_facts(path: Path) -> dict | None:
    from .. import surveys

    try:
        data = surveys.load(str(path))
    except (WorkbenchError, OSError):  # an unreadable survey fails its notebooks, named
        return None
    counties: dict[str, dict[str, None]] = {}
    for y, c in zip(data["year"], data["county"], strict=True):
        counties.setdefault(str(int(y)), {})[str(c)] = None
    return {
        "counties": {y: list(cs) for y, cs in counties.items()},
        "synthetic": bool(surveys.is_synthetic(data)),
    }


def _expand(path: Path, merged: dict, root: Path, memo: dict) -> list[tuple[int, str]]:
    """Return the (year, scope) pairs a file declares, checked against the survey data.

    ``year`` is a year, a list of years, or ``latest``; ``scope`` is a county, ``all``,
    ``each`` (every county with returns that year) or a list of these.

    Returns
    -------
    list of (int, str)
        In the file's order, without repeats.

    Raises
    ------
    PlanError
        For a year or county the survey data does not have (naming those it has), or a
        value of the wrong kind.
    """
    data = _survey(merged, root, memo)
    source = Path(str(merged.get("survey_path", ""))).name
    years_given = merged["year"] if isinstance(merged["year"], list) else [merged["year"]]
    scopes_given = merged["scope"] if isinstance(merged["scope"], list) else [merged["scope"]]
    known_years = sorted(int(y) for y in data["counties"]) if data is not None else []
    years = []
    for y in years_given:
        if y == "latest" and known_years:
            years.append(known_years[-1])
        elif isinstance(y, int) and not isinstance(y, bool):
            if known_years and y not in known_years:
                shown = "、".join(map(str, known_years))
                raise PlanError(
                    str(path), "year", f"{y} has no survey returns in {source} (years: {shown})"
                )
            years.append(y)
        elif y == "latest":
            raise PlanError(str(path), "year", "'latest' needs survey data, which cannot be read")
        else:
            raise PlanError(
                str(path),
                "year",
                f"expected int, got {type(y).__name__} {y!r} (a year, a list, or 'latest')",
            )
    pairs = []
    for y in years:
        counties = data["counties"].get(str(y), []) if data is not None else None
        for s in scopes_given:
            if s == "each" and counties is not None:
                pairs += [(y, c) for c in counties]
            elif isinstance(s, str) and s and s != "each":
                if counties is not None and s != "all" and s not in counties:
                    shown = "、".join(counties)
                    raise PlanError(
                        str(path),
                        "scope",
                        f"{s!r} has no survey returns in {source} for {y} (counties: {shown})",
                    )
                pairs.append((y, s))
            elif s == "each":
                raise PlanError(
                    str(path), "scope", "'each' needs survey data, which cannot be read"
                )
            else:
                raise PlanError(
                    str(path),
                    "scope",
                    f"expected str, got {type(s).__name__} {s!r} (a county, 'all', 'each', a list)",
                )
    return list(dict.fromkeys(pairs))


def _report(path: Path, merged: dict, declared: dict, root: Path) -> Report:
    # One report with its jobs, or carrying the first error in its parameters.
    year, scope = merged["year"], str(merged["scope"])
    place = scope_label(scope)
    title = str(merged.get("title") or "{place}{year}年基层民政服务能力年度报告")
    title = title.replace("{place}", place).replace("{year}", str(year))
    report = Report(path, year, scope, title, str(merged.get("issuer", "")), merged)
    try:
        for nb, types in declared.items():
            values = {}
            for key, expected in types.items():
                if key in BUILD_KEYS:
                    continue
                if key not in merged:
                    raise PlanError(
                        str(path),
                        key,
                        f"missing: {nb.name} needs it and neither this file "
                        "nor defaults.yml gives it",
                    )
                _check_type(path, key, merged[key], expected)
                _check_range(path, key, merged[key])
                values[key] = merged[key]
            _check_together(path, values)
            report.jobs.append(Job(report, nb, _resolve_paths(values, root)))
    except PlanError as exc:
        report.error, report.jobs = exc, []
    return report


def _check_material(report: Report, memo: dict) -> None:
    """Refuse a report on real survey data whose evidence folder holds invented texts.

    Texts marked 示例材料 (:data:`analysis.evidence.ILLUSTRATIVE_MARK`) are never
    evidence. With synthetic survey data the whole report is marked as a sample, so
    they may be quoted (labelled); with real data only when ``allow_illustrative``
    asks for it, and the evidence chapter then labels them.

    Raises
    ------
    ParameterError
        When the survey data is real, ``reports_dir`` holds texts marked 示例材料
        and ``allow_illustrative`` is not set.
    """
    job = next((j for j in report.jobs if "reports_dir" in j.parameters), None)
    if job is None or job.parameters.get("allow_illustrative"):
        return
    folder = job.parameters["reports_dir"]
    if ("texts", folder) not in memo:
        memo[("texts", folder)] = memo["facts"].get(
            "illustrative", _files_under(folder), lambda: _illustrative(folder)
        )
    invented = [Path(p) for p in memo[("texts", folder)]]
    survey = job.parameters.get("survey_path")
    if not invented or not survey:
        return
    data = _survey({"survey_path": survey}, Path("/"), memo)
    if data is None:
        return
    if not data["synthetic"]:
        names = "、".join(p.name for p in invented)
        raise ParameterError(
            str(report.source),
            "reports_dir",
            f"{folder} holds texts marked 示例材料 (invented, not evidence): {names}; the survey "
            f"data ({Path(survey).name}) is real, so the report would quote them as evidence. "
            "Point reports_dir at real survey reports, or set allow_illustrative: true to show "
            "them labelled 示例材料.",
        )


def _files_under(folder: str) -> list[Path]:
    root = Path(folder)
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _illustrative(folder: str) -> list[str]:
    from ..evidence import illustrative_files

    return [str(p) for p in illustrative_files([folder])]


def canonical(params: dict) -> str:
    """Return parameters as canonical JSON (sorted keys, no whitespace), for hashing.

    Returns
    -------
    str
        Compact JSON with sorted keys; non-ASCII characters are kept as they are.
    """
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
