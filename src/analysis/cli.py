"""The ``workbench`` command: a thin layer over the library.

Errors the user can fix (:class:`~analysis.errors.WorkbenchError`) are printed
without a traceback and give a non-zero exit code.

Exit codes, set by raising :class:`typer.Exit`: 0 on success; 1 when an input
is invalid or unreadable, an output cannot be written, or a build job or
report failed; 130 when ``build`` is interrupted. A command's docstring is its
``--help`` text, so the commands carry no numpy sections.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .errors import SurveyValidationError, WorkbenchError
from .pipeline.runners import EXECUTORS
from .textio import atomic_write

__all__ = [
    "app",
    "main",
]

app = typer.Typer(
    help="Township civil-affairs (民政) research and reporting workbench.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
out = Console()
err = Console(stderr=True)

FilesArg = Annotated[list[Path], typer.Argument(help="CSV or XLSX files.", show_default=False)]


def _fail(exc: WorkbenchError, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def validate(
    files: FilesArg,
    roster: Annotated[
        bool, typer.Option("--roster", help="Validate staff rosters instead of survey returns.")
    ] = False,
) -> None:
    """Validate survey files and print a summary, or every problem found.

    Example: workbench validate data/raw/surveys/sample_townships_synthetic.csv
    """
    from . import surveys

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", surveys.UnknownColumnWarning)
        try:
            df = (surveys.load_roster if roster else surveys.load)(files)
        except SurveyValidationError as exc:
            _print_problems(exc)
            raise typer.Exit(1) from None
        except WorkbenchError as exc:
            _fail(exc)
    for w in caught:
        err.print(f"[yellow]warning:[/] {w.message}", highlight=False)
    s = surveys.summary(df)
    table = Table(
        title="Survey data summary" if not roster else "Staff roster summary", show_header=False
    )
    table.add_row("files", "\n".join(str(f) for f in files))
    table.add_row("rows", str(s["rows"]))
    table.add_row("townships", str(s["townships"]))
    table.add_row("counties", str(s["counties"]))
    years = s["years"]
    table.add_row("years", f"{years[0]}–{years[-1]} ({len(years)})" if years else "none")
    table.add_row("synthetic", "yes: 示例数据（合成）" if s["synthetic"] else "no")
    out.print(table)
    out.print("[green]OK[/]: no problems found.")


def _print_problems(exc: SurveyValidationError) -> None:
    table = Table(title=f"{len(exc.problems)} problem(s) found", show_lines=False)
    for col in ("file", "row", "column", "value", "rule"):
        table.add_column(col, overflow="fold")
    for p in exc.problems:
        table.add_row(p.file, "" if p.row is None else str(p.row), p.column or "", p.value, p.rule)
    err.print(table)


@app.command()
def sample(
    seed: Annotated[
        int, typer.Option(help="Generator seed; the committed sample uses 20241.")
    ] = 20241,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write to.")] = Path(
        "data/raw/surveys"
    ),
    counties: Annotated[
        int | None,
        typer.Option(
            min=1, help="Generate this many counties (default: the committed 3-county sample)."
        ),
    ] = None,
    townships: Annotated[
        int, typer.Option(min=1, max=495, help="Townships per county, with --counties.")
    ] = 12,
) -> None:
    """Generate the synthetic sample survey returns and staff roster.

    Example: workbench sample --seed 20241 --out data/raw/surveys
    (or, for a province-sized test set: workbench sample --counties 100 --out /tmp/province)
    """
    from .sample import DEFAULT_COUNTIES, scaled_counties, write_sample

    shape = DEFAULT_COUNTIES if counties is None else scaled_counties(counties, townships)
    try:
        written = write_sample(out_dir, seed, shape)
    except OSError as exc:
        _fail(_write_error(out_dir, exc))
    for path in written:
        out.print(f"wrote {path} (synthetic, seed {seed})")


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Report files (.txt .md .html .docx) or folders.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="CSV file to write (UTF-8 with BOM); stdout when absent."
        ),
    ] = None,
    cleaned_dir: Annotated[
        Path | None,
        typer.Option("--cleaned-dir", help="Also write each cleaned text here, for review."),
    ] = None,
    explained: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Add two columns: the cue behind each label and the words the classifier read.",
        ),
    ] = False,
    score_gold: Annotated[
        Path | None,
        typer.Option(
            "--score",
            help="Score against this gold file (see data/reference/evidence_dev/): recall and "
            "precision overall and per indicator, with missed and false rows; PATHS are the "
            "folders or files of the texts it names.",
        ),
    ] = None,
) -> None:
    """Extract every quantitative claim of survey reports into a cited CSV table.

    Example: workbench extract data/raw/reports -o evidence.csv --cleaned-dir cleaned/
    (or, to validate on your own annotated texts: workbench extract --score GOLD.yml TEXTS/)
    """
    import sys

    from .evidence import extract_paths, to_csv

    if score_gold is not None:
        _score(score_gold, paths)
        return
    result = extract_paths(paths, explained)
    for error in result.errors:
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
    if cleaned_dir is not None:
        try:
            cleaned_dir.mkdir(parents=True, exist_ok=True)
            for name, text in result.cleaned.items():
                (cleaned_dir / (Path(name).stem + ".cleaned.txt")).write_text(
                    text, encoding="utf-8"
                )
        except OSError as exc:
            _fail(_write_error(cleaned_dir, exc))
    text = to_csv(result.rows, explained)
    if output is None:
        sys.stdout.write("\ufeff" + text)
        sys.stdout.flush()
    else:
        try:
            atomic_write(output, text, encoding="utf-8-sig")
        except OSError as exc:
            _fail(_write_error(output, exc))
        err.print(f"wrote {len(result.rows)} rows from {len(result.cleaned)} file(s) to {output}")
    if result.errors:
        raise typer.Exit(1)


def _score(gold_path: Path, paths: list[Path]) -> None:
    """Print the score of the texts in ``paths`` against ``gold_path``; exit 1 if one is missing.

    Raises
    ------
    typer.Exit
        With code 1 when a document the gold file names is not among ``paths``
        or cannot be read.
    """
    from .evidence import expand, extract_paths
    from .evidence.score import load_gold, prediction_items, score

    try:
        gold = load_gold(gold_path)
    except WorkbenchError as exc:
        _fail(exc)
    files = {p.name: p for p in expand(paths)}
    missing = [doc for doc in gold if doc not in files]
    result = extract_paths([files[doc] for doc in gold if doc in files])
    rows: dict[str, list[dict]] = {}
    for row in result.rows:
        rows.setdefault(row["doc"], []).append(row)
    found = score(gold, {doc: prediction_items(r) for doc, r in rows.items()})
    out.print(found.report(), highlight=False, markup=False)
    for doc in missing:
        err.print(
            f"[bold red]error:[/] {doc} (named in {gold_path}) is not in {', '.join(map(str, paths))}"
        )
    for error in result.errors:
        err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
    if missing or result.errors:
        raise typer.Exit(1)


def _write_error(target: Path, exc: OSError) -> WorkbenchError:
    """Return a clear error for an output that cannot be written (shown without a traceback).

    Returns
    -------
    WorkbenchError
        The error to pass to :func:`_fail`, naming ``target`` and the system's reason.
    """
    return WorkbenchError(f"cannot write {target}: {exc.strerror or exc}")


def _param_files(given: list[Path]) -> list[Path]:
    """Expand ``--params`` values: a file as given, a folder as its parameter sets.

    Returns
    -------
    list of Path
        The files in the order given, each folder's parameter sets sorted.
    """
    from .pipeline.plan import discover_params

    chosen = []
    for p in given:
        if p.is_dir():
            found = discover_params(p)
            if not found:
                _fail(WorkbenchError(f"--params {p}: a folder with no parameter sets (*.yml)"))
            chosen += found
        else:
            chosen.append(p.resolve())
    return chosen


def _project_root() -> Path:
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir() and (folder / "notebooks").is_dir():
            return folder
    return here


@app.command()
def build(
    params: Annotated[
        list[Path] | None,
        typer.Option(
            "--params",
            help="Parameter sets (YAML); default: every file in params/ but defaults.yml. Repeat the option for several.",
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(help="Build only the reports of this year.")] = None,
    scope: Annotated[
        str | None, typer.Option(help="Build only the reports of this scope (county or 'all').")
    ] = None,
    jobs: Annotated[
        int, typer.Option(help="Notebooks executed in parallel (default: CPU count).")
    ] = os.cpu_count() or 1,
    renderer: Annotated[
        str, typer.Option(help="auto (quarto when on PATH, else pandoc), quarto or pandoc.")
    ] = "auto",
    force: Annotated[
        bool, typer.Option("--force", help="Ignore the cache: execute and render everything.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan: what would run, what is unchanged.")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait", help="If another build runs on the same reports folder, wait for it."
        ),
    ] = False,
    executor: Annotated[
        str,
        typer.Option(help="; ".join(f"{name}: {what}" for name, what in EXECUTORS.items()) + "."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address for --executor dask, e.g. tcp://host:8786."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds after which a notebook is stopped and its job failed."),
    ] = None,
    notebooks_dir: Annotated[
        Path | None, typer.Option("--notebooks", help="Folder of notebooks (default: notebooks/).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Reports folder (default: reports/).")
    ] = None,
    defaults: Annotated[
        Path | None, typer.Option(help="Defaults file (default: params/defaults.yml).")
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="A progress line per job and a line per published report."
        ),
    ] = False,
) -> None:
    """Regenerate the annual reports (HTML, PDF, results.json, CSV tables) that changed.

    Example: workbench build --scope 丙县 --jobs 2
    """
    from .pipeline.build import BuildOptions
    from .pipeline.build import build as run_build
    from .pipeline.plan import discover_params

    root = _project_root()
    chosen = _param_files(params) if params else discover_params(root / "params")
    if not chosen:
        _fail(WorkbenchError(f"no parameter sets in {root / 'params'}"))
    opts = BuildOptions(
        root=root,
        params=chosen,
        notebooks=(notebooks_dir or root / "notebooks").resolve(),
        reports=(out_dir or root / "reports").resolve(),
        defaults=(defaults or root / "params" / "defaults.yml").resolve(),
        year=year,
        scope=scope,
        jobs=jobs,
        renderer=renderer,
        force=force,
        dry_run=dry_run,
        timeout=timeout,
        wait=wait,
        executor=executor,
        scheduler=scheduler,
        verbose=verbose,
    )
    if executor not in EXECUTORS:
        _fail(WorkbenchError(f"unknown executor {executor!r}; use {', '.join(EXECUTORS)}"))
    try:
        result = run_build(opts, console=out)
    except KeyboardInterrupt:
        err.print(
            "[yellow]interrupted:[/] finished jobs are kept in the cache and no report was left "
            "half-written; run the same command again to resume."
        )
        raise typer.Exit(130) from None
    except WorkbenchError as exc:
        _fail(exc)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        _fail(
            WorkbenchError(
                f"cannot write the reports in {opts.reports}: {exc.strerror or exc}{where}"
            )
        )
    if result.failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - entry point
    """Run the CLI."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
