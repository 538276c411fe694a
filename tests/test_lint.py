"""The code passes the house lint (ruff, numpy docstring convention) and the house format."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.executable).parent / "ruff"
PATHS = ["src", "tests", "notebooks", "benchmarks"]


def ruff(*args):
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    res = ruff("check", *PATHS)
    assert res.returncode == 0, res.stdout + res.stderr


def test_ruff_format_is_clean():
    res = ruff("format", "--check", "src", "tests", "benchmarks")  # as `make lint`
    assert res.returncode == 0, res.stdout + res.stderr
