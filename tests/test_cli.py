"""The workbench command as a user runs it."""

import subprocess

from conftest import SAMPLE_ROSTER, SAMPLE_SURVEY, workbench_exe
from test_surveys import BROKEN_GBK, EXPECTED


def run(*args):
    return subprocess.run(
        [workbench_exe(), *args],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_validate_sample_prints_summary():
    res = run("validate", str(SAMPLE_SURVEY))
    assert res.returncode == 0, res.stderr
    assert "rows" in res.stdout and "216" in res.stdout
    assert "townships" in res.stdout and "36" in res.stdout
    assert "2019–2024" in res.stdout and "示例数据（合成）" in res.stdout


def test_validate_roster():
    res = run("validate", "--roster", str(SAMPLE_ROSTER))
    assert res.returncode == 0, res.stderr
    assert "Staff roster summary" in res.stdout


def test_validate_broken_file_lists_every_problem(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(BROKEN_GBK.encode("gbk"))
    res = run("validate", str(path))
    assert res.returncode == 1
    assert "10 problem(s) found" in res.stderr
    lines = res.stderr.splitlines()
    for row, column, _ in EXPECTED:
        assert any(f"│ {row} " in line and column in line for line in lines), (row, column)
    assert "Traceback" not in res.stderr


def test_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    res = run("validate", str(path))
    assert res.returncode == 1
    assert "empty.csv: file is empty" in res.stderr.replace("\n", "")
    assert "Traceback" not in res.stderr


def test_missing_file(tmp_path):
    res = run("validate", str(tmp_path / "nope.csv"))
    assert res.returncode == 1 and "file not found" in res.stderr


def test_help_shows_example():
    res = run("validate", "--help")
    assert res.returncode == 0 and "Example: workbench validate" in res.stdout
