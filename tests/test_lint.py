"""The code passes the house lint (ruff, numpy docstring convention)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_check_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    res = subprocess.run(
        [str(ruff), "check", "src", "tests", "notebooks", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
