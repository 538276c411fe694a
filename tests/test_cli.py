"""The workbench command as a user runs it."""

import subprocess

from conftest import SAMPLE_ROSTER, SAMPLE_SURVEY, workbench_exe
from test_surveys import BROKEN_GBK, EXPECTED


def run(*args, columns=200):
    return subprocess.run(
        [workbench_exe(), *args],
        capture_output=True,
        text=True,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin"},
    )


def table_rows(text: str) -> list[list[str]]:
    """The body rows of a rich table as printed, each a list of stripped cells."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]


def test_validate_sample_prints_summary():
    res = run("validate", str(SAMPLE_SURVEY))
    assert res.returncode == 0, res.stderr
    # The sample: 11 + 12 + 13 townships in 3 counties, one return a year 2019-2024: 36 x 6 = 216.
    assert dict(table_rows(res.stdout)) == {
        "files": str(SAMPLE_SURVEY),
        "rows": "216",
        "townships": "36",
        "counties": "3",
        "years": "2019–2024 (6)",
        "synthetic": "yes: 示例数据（合成）",
    }
    assert res.stdout.rstrip().endswith("OK: no problems found.")


def test_validate_roster():
    res = run("validate", "--roster", str(SAMPLE_ROSTER))
    assert res.returncode == 0, res.stderr
    assert "Staff roster summary" in res.stdout


def test_validate_broken_file_lists_every_problem(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(BROKEN_GBK.encode("gbk"))
    res = run("validate", str(path), columns=400)  # wide enough that no cell is folded
    assert res.returncode == 1
    assert "10 problem(s) found" in res.stderr
    rows = table_rows(res.stderr)
    # (row, column, value as written in BROKEN_GBK), in file order; the header is row 1.
    assert [tuple(r[1:4]) for r in rows] == [
        ("3", "专职人数", "4"),
        ("4", "上级补助（万元）", "-5"),
        ("5", "年度", "1899"),
        ("6", "低保人数", "100"),
        ("7", "民政工作人员数", "2.5"),
        ("8", "在编人数", "5"),
        ("9", "乡镇(街道)", "东岭镇"),
        ("10", "户籍人口", "约2万"),
        ("11", "类型", "村"),
        ("13", "办公面积", "-12"),
    ]
    assert all(r[0] == str(path) for r in rows)
    rules = {int(r[1]): r[4] for r in rows}
    for row, column, fragment in EXPECTED:
        assert rules[row].startswith(fragment), (row, column, rules[row])
    assert rules[3] == (
        "staff_fulltime must not exceed staff_total (staff_fulltime = 4, staff_total = 3)"
    )
    assert rules[9] == f"duplicate year/county/township: same as {path} row 2"
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
