"""Execute the parameterized notebooks with papermill.

This is the execution step of ``workbench build``: each notebook in
``notebooks/`` runs in its own kernel with the parameters from
``params/defaults.yml`` that its ``parameters`` cell declares, and the
executed copy goes to ``reports/_executed/``, with the figures and
tables it writes in ``reports/_executed/<notebook>/``. Rendering to HTML/PDF, caching
and per-report parameter sets are the build pipeline's later stages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rich.console import Console

from .errors import InputFileError

#: Kernel registered by ``make env``; falls back to the current interpreter's.
KERNEL_NAME = "minzheng-workbench"


@dataclass
class RunResult:
    """Outcome of a batch: notebooks that succeeded and those that failed (with the error)."""

    succeeded: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)


def read_params(path: str | Path) -> dict:
    """Read a YAML parameter file with safe loading.

    Raises
    ------
    InputFileError
        When the file is missing, not YAML, or not a mapping.
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError(str(p), "parameter file not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputFileError(str(p), f"not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputFileError(str(p), "must be a mapping of parameter names to values")
    return data


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def run_notebooks(
    notebooks_dir: str | Path,
    params_path: str | Path,
    out_dir: str | Path,
    console: Console | None = None,
) -> RunResult:
    """Run every ``*.ipynb`` in ``notebooks_dir`` with papermill.

    Parameters
    ----------
    notebooks_dir : path
        Folder of parameterized notebooks.
    params_path : path
        YAML defaults; each notebook gets the keys its parameters cell declares.
    out_dir : path
        Executed notebooks are written to ``out_dir/_executed/``.
    console : rich.console.Console, optional
        Where progress and the summary go.

    Returns
    -------
    RunResult
    """
    import papermill as pm

    console = console or Console()
    defaults = read_params(params_path)
    books = sorted(Path(notebooks_dir).glob("*.ipynb"))
    target = Path(out_dir) / "_executed"
    target.mkdir(parents=True, exist_ok=True)
    kernel = _kernel_name()
    result = RunResult()
    for i, nb in enumerate(books, start=1):
        declared = pm.inspect_notebook(str(nb))
        params = {k: v for k, v in defaults.items() if k in declared}
        if "output_dir" in declared:
            params["output_dir"] = str((target / nb.stem).resolve())
        console.print(f"[{i}/{len(books)}] {nb.name} ({kernel}) ...", end=" ")
        start = time.perf_counter()
        tmp = target / f".{nb.stem}.tmp.ipynb"
        try:
            pm.execute_notebook(
                str(nb),
                str(tmp),
                parameters=params,
                kernel_name=kernel,
                cwd=str(nb.parent),
                progress_bar=False,
                log_output=False,
            )
        except Exception as exc:  # papermill raises PapermillExecutionError and kernel errors
            first = str(exc).strip().splitlines()
            result.failed[nb] = first[-1] if first else type(exc).__name__
            if tmp.exists():
                tmp.replace(target / f"{nb.stem}.failed.ipynb")
            console.print(f"[red]failed[/] {result.failed[nb]}")
            continue
        tmp.replace(target / nb.name)
        result.succeeded.append(nb)
        console.print(f"[green]ok[/] {time.perf_counter() - start:.1f}s")
    console.print(
        f"{len(result.succeeded)} succeeded, {len(result.failed)} failed; "
        f"executed notebooks in {target}"
    )
    return result


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def refresh_check_outputs(notebook: str | Path) -> int:
    """Store fresh reference outputs for the cells nbval checks, and strip all others.

    nbval (``--nbval-lax``) compares only cells marked ``# NBVAL_CHECK_OUTPUT``,
    and only when the notebook holds their outputs. This runs the notebook
    with its defaults, keeps the outputs of the marked cells (tagged
    ``keep_output`` so nbstripout leaves them), and clears every other output.

    Parameters
    ----------
    notebook : path
        The notebook to update in place.

    Returns
    -------
    int
        Number of checked cells whose outputs were stored.
    """
    import nbformat
    import papermill as pm

    path = Path(notebook)
    executed = pm.execute_notebook(
        str(path), None, kernel_name=_kernel_name(), cwd=str(path.parent), progress_bar=False
    )
    fresh = {c.get("id"): c for c in executed.cells}
    nb = nbformat.read(path, as_version=4)
    kept = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith(CHECK_MARK):
            ran = fresh[cell.get("id")]
            cell.outputs = ran.outputs
            cell.execution_count = ran.execution_count
            cell.metadata["keep_output"] = True
            kept += 1
        else:
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("keep_output", None)
    nbformat.write(nb, path)
    return kept


if __name__ == "__main__":  # python -m analysis.runner NOTEBOOK... (make notebook-checks)
    import sys

    for arg in sys.argv[1:]:
        print(f"{arg}: stored outputs of {refresh_check_outputs(arg)} checked cell(s)")
