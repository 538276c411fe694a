"""Maintenance of the notebooks' nbval reference outputs (``make notebook-checks``)."""

from __future__ import annotations

from pathlib import Path

from .pipeline.execute import kernel_name

__all__ = [
    "CHECK_MARK",
    "refresh_check_outputs",
]

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
        str(path), None, kernel_name=kernel_name(), cwd=str(path.parent), progress_bar=False
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


if __name__ == "__main__":  # python -m analysis.refresh_nbval NOTEBOOK... (make notebook-checks)
    import sys

    for arg in sys.argv[1:]:
        print(f"{arg}: stored outputs of {refresh_check_outputs(arg)} checked cell(s)")
