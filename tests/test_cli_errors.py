"""Outputs that cannot be written and misused options give one clear line, never a traceback."""

import subprocess

import pytest
from conftest import ROOT, workbench_exe


def run(*args):
    return subprocess.run(
        [workbench_exe(), *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sample", "--out", "/proc/nope"), "cannot write /proc/nope: No such file or directory"),
        (
            ("extract", "data/raw/reports", "-o", "/nonexistent/x.csv"),
            "cannot write /nonexistent/x.csv: No such file or directory",
        ),
        (
            ("extract", "data/raw/reports", "--cleaned-dir", "/proc/nope/cleaned"),
            "cannot write /proc/nope/cleaned: No such file or directory",
        ),
    ],
)
def test_unwritable_output_is_one_clear_error(args, message):
    res = run(*args)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr + res.stdout
    assert res.stderr.strip().splitlines()[-1] == f"error: {message}"


def test_params_folder_without_parameter_sets(tmp_path):
    res = run("build", "--params", str(tmp_path), "--dry-run")
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"--params {tmp_path}: a folder with no parameter sets (*.yml)" in res.stderr
    assert "cannot write the reports" not in res.stderr


def test_params_folder_means_its_parameter_sets(tmp_path):
    for name in ("2024_bingxian.yml", "defaults.yml"):
        (tmp_path / name).write_bytes((ROOT / "params" / name).read_bytes())
    res = run("build", "--params", str(tmp_path), "--dry-run", "--out", str(tmp_path / "r"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "6 job(s) would run" in res.stdout  # one report; defaults.yml is not one
