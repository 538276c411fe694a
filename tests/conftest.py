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
