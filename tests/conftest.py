import html.parser
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_SURVEY = ROOT / "data/raw/surveys/sample_townships_synthetic.csv"
SAMPLE_ROSTER = ROOT / "data/raw/surveys/sample_roster_synthetic.csv"


def workbench_exe() -> str:
    """The installed console script of the environment running the tests."""
    exe = Path(sys.executable).parent / "workbench"
    return str(exe) if exe.exists() else shutil.which("workbench")


@pytest.fixture
def root() -> Path:
    return ROOT


class HTMLText(html.parser.HTMLParser):
    """Collects the start tags and the text of an HTML page (to check escaping)."""

    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text: str) -> HTMLText:
    parser = HTMLText()
    parser.feed(text)
    parser.close()
    return parser


def run_notebook(name: str, folder: Path, **parameters) -> Path:
    """Execute ``notebooks/<name>.ipynb`` with papermill into ``folder``; outputs in ``folder/out``.

    Returns the executed notebook's path.
    """
    import papermill as pm

    out = folder / "executed.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / f"{name}.ipynb"),
        str(out),
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
        parameters={"output_dir": str(folder / "out"), **parameters},
    )
    return out


#: Environment of a build run as a subprocess in the tests: a fixed report date, wide
#: output, and this machine's OpenBLAS kernel settings (the last digits depend on them).
BUILD_ENV = {
    "COLUMNS": "250",
    "PATH": "/usr/bin:/bin",
    "SOURCE_DATE_EPOCH": "1732406400",
    **{k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")},
}


def write_notebook(path: Path, *cells: str, parameters: str = "x = 0") -> Path:
    """Write a small Python notebook: a ``parameters`` cell, then ``cells``.

    Returns ``path``.
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path
