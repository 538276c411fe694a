"""Reliability and security of the build: kills, faults, hostile names, reproducibility, Dask."""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from io import StringIO
from pathlib import Path

import distributed
import pytest
import yaml
from conftest import (
    BUILD_ENV,
    ROOT,
    SAMPLE_ROSTER,
    SAMPLE_SURVEY,
    parse_html,
    workbench_exe,
    write_notebook,
)
from rich.console import Console

from analysis.errors import BuildLockedError
from analysis.pipeline import build as build_mod
from analysis.pipeline import publish
from analysis.pipeline.lock import BuildLock

ENV = BUILD_ENV


def cli(*args, **kw):
    return subprocess.run(
        [workbench_exe(), "build", "--renderer", "pandoc", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=ENV,
        **kw,
    )


def summary_counts(text: str) -> tuple[int, int, int]:
    m = re.search(r"jobs: (\d+) succeeded, (\d+) failed, (\d+) skipped", text.replace("\n", " "))
    assert m, text
    return tuple(int(x) for x in m.groups())


def parse_file(path: Path):
    return parse_html(path.read_text(encoding="utf-8"))


def assert_complete(folder: Path) -> None:
    for name in ("report.html", "report.pdf", "results.json"):
        assert (folder / name).exists(), name
    assert "header" in parse_file(folder / "report.html").tags
    pdf = (folder / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]
    json.loads((folder / "results.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- SIGKILL and resume


def test_sigkill_mid_build_then_resume(tmp_path):
    reports = tmp_path / "reports"
    cmd = [
        workbench_exe(),
        "build",
        "--renderer",
        "pandoc",
        "--jobs",
        "2",
        "--out",
        str(reports),
        "--params",
        str(ROOT / "params/2024_bingxian.yml"),
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    kill_after = random.randint(1, 3)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        done = (
            list((reports / ".cache").glob("*/done.json")) if (reports / ".cache").exists() else []
        )
        if len(done) >= kill_after or proc.poll() is not None:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the build ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)  # workers die with the build (PR_SET_PDEATHSIG)
    finished = len(list((reports / ".cache").glob("*/done.json")))
    assert finished >= kill_after
    leftovers = subprocess.run(
        ["pgrep", "-f", str(reports)], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == [], "worker processes outlived the killed build"
    final = reports / "2024" / "丙县"
    assert not final.exists() or (final / "report.pdf").exists()  # never half a report
    res = cli(
        "--jobs", "2", "--out", str(reports), "--params", str(ROOT / "params/2024_bingxian.yml")
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "cleared a stale build lock" in res.stdout
    ok, failed, skipped = summary_counts(res.stdout)
    assert (ok, failed, skipped) == (6 - finished, 0, finished)  # finished jobs are not re-executed
    assert_complete(final)
    assert not (reports / ".staging").exists()


def test_second_build_refuses_while_one_runs(tmp_path):
    with BuildLock(tmp_path):
        with pytest.raises(BuildLockedError, match="another build is running"):
            with BuildLock(tmp_path):
                pass
        res = cli("--out", str(tmp_path), "--params", str(ROOT / "params/2024_bingxian.yml"))
        assert res.returncode == 1 and "another build is running" in res.stderr.replace("\n", " ")
    said = []
    with BuildLock(tmp_path, say=said.append):  # released: taken again without a message
        pass
    assert said == []


def test_stale_lock_is_cleared_with_a_message(tmp_path):
    # What a killed build leaves behind: its pid in the file, the flock gone with the process.
    stale = {"pid": 4242, "host": "node7", "started": "2024-11-24T08:00:00"}
    expected = (
        "cleared a stale build lock (pid 4242 on node7, started 2024-11-24T08:00:00, "
        "no longer running)"
    )
    (tmp_path / ".build.lock").write_text(json.dumps(stale), encoding="utf-8")
    said = []
    with BuildLock(tmp_path, say=said.append):
        pass
    assert said == [expected]
    # The build prints it on its console (an empty build: no parameter sets, nothing to run).
    (tmp_path / ".build.lock").write_text(json.dumps(stale), encoding="utf-8")
    printed = StringIO()
    opts = build_mod.BuildOptions(
        root=ROOT,
        params=[],
        notebooks=ROOT / "notebooks",
        reports=tmp_path,
        defaults=ROOT / "params/defaults.yml",
        renderer="pandoc",
    )
    build_mod.build(opts, console=Console(file=printed, width=250))
    assert printed.getvalue().splitlines()[0] == expected


# ---------------------------------------------------------------- faults inside jobs


def _nb(path: Path, *cells: str) -> None:
    write_notebook(path, *cells, parameters="year: int = 2024  # year\nscope: str = 'all'  # scope")


@pytest.mark.parametrize("executor", ["local", "papermill"])
def test_kernel_death_and_timeout_fail_their_jobs_only(tmp_path, executor):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _nb(nbs / "a_ok.ipynb", "print('fine')")
    _nb(nbs / "b_dies.ipynb", "print('about to die')", "import os\nos._exit(1)")
    _nb(nbs / "c_hangs.ipynb", "import time\ntime.sleep(600)")
    (tmp_path / "defaults.yml").write_text("year: 2024\nscope: all\n", encoding="utf-8")
    (tmp_path / "r.yml").write_text("year: 2024\nscope: all\n", encoding="utf-8")
    start = time.monotonic()
    res = cli(
        "--notebooks",
        str(nbs),
        "--defaults",
        str(tmp_path / "defaults.yml"),
        "--out",
        str(tmp_path / "reports"),
        "--params",
        str(tmp_path / "r.yml"),
        "--timeout",
        "20",
        "--jobs",
        "3",
        "--executor",
        executor,
    )
    assert time.monotonic() - start < 120
    out = res.stdout.replace("\n", " ")
    assert res.returncode == 1
    assert summary_counts(res.stdout) == (1, 2, 0)
    assert re.search(r"2024/all/b_dies .*(DeadKernelError|died)", out), out
    assert re.search(r"2024/all/c_hangs .*Timeout: job did not finish within 20 s", out), out
    leftovers = subprocess.run(["pgrep", "-f", str(nbs)], capture_output=True, text=True)
    assert leftovers.stdout.split() == [], "a worker, template or kernel outlived the build"


def test_unwritable_reports_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    res = cli("--out", str(blocker / "reports"), "--params", str(ROOT / "params/2024_bingxian.yml"))
    assert res.returncode == 1
    assert "cannot write the reports" in res.stderr and "Traceback" not in res.stderr


# ---------------------------------------------------------------- hostile names and injection

HOSTILE = "../<script>alert('x')</script>\"; __import__('os').system('touch SENTINEL') #\n$(touch SENTINEL)&"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    for src in (SAMPLE_SURVEY, SAMPLE_ROSTER):
        text = src.read_text(encoding="utf-8-sig").replace(
            "丙县", '"' + HOSTILE.replace('"', '""') + '"'
        )
        (tmp_path / src.name).write_text(text, encoding="utf-8")
    params = tmp_path / "hostile.yml"
    params.write_text(
        yaml.safe_dump(
            {
                "year": 2024,
                "scope": HOSTILE,
                "survey_path": str(tmp_path / SAMPLE_SURVEY.name),
                "roster_path": str(tmp_path / SAMPLE_ROSTER.name),
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    res = subprocess.run(
        [
            workbench_exe(),
            "build",
            "--renderer",
            "pandoc",
            "--out",
            str(reports),
            "--params",
            str(params),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    folders = [p for p in (reports / "2024").iterdir() if p.is_dir()]
    assert len(folders) == 1
    return tmp_path, reports, folders[0]


def test_hostile_scope_name(hostile_build):
    tmp_path, reports, folder = hostile_build
    assert folder.resolve().is_relative_to(reports.resolve())
    assert publish.scope_from_dir(folder.name) == HOSTILE
    page = parse_file(folder / "report.html")
    assert "script" not in page.tags
    assert "<script>alert('x')</script>" in "".join(page.text)
    data = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    assert data["report"]["scope"] == HOSTILE
    index = parse_file(reports / "index.html")
    assert index.tags.count("script") == 1  # only the page's own filter script
    assert not list(tmp_path.rglob("SENTINEL")) and not list(ROOT.rglob("SENTINEL"))
    assert not (ROOT / "notebooks" / "SENTINEL").exists()


@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) not installed (make sysdeps installs it as root)",
)
def test_hostile_scope_name_in_pdf(hostile_build):
    _, _, folder = hostile_build
    text = subprocess.run(
        ["pdftotext", str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert('x')</script>" in text  # printed as text, not dropped


# ---------------------------------------------------------------- reproducibility and Dask


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    runs = []
    for name in ("one", "two"):
        res = cli("--out", str(base / name), "--params", str(ROOT / "params/2024_bingxian.yml"))
        assert res.returncode == 0, res.stdout + res.stderr
        runs.append(base / name / "2024" / "丙县")
    return runs


def test_two_builds_are_byte_identical(local_build):
    one, two = local_build
    files = sorted(
        p.relative_to(one)
        for p in one.rglob("*")
        if p.suffix in {".json", ".csv", ".png"} and p.is_file()
    )
    assert len([f for f in files if f.suffix == ".png"]) >= 7 and len(files) > 20
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    prov = json.loads((one / "results.json").read_text(encoding="utf-8"))["provenance"]
    assert {i["path"] for i in prov["inputs"]} >= {
        "data/raw/surveys/sample_townships_synthetic.csv",
        "data/raw/surveys/sample_roster_synthetic.csv",
    }


def test_dask_cluster_gives_the_same_results(local_build, tmp_path):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        env = {**ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        res = subprocess.run(
            [
                workbench_exe(),
                "build",
                "--renderer",
                "pandoc",
                "--verbose",
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--out",
                str(tmp_path / "dask"),
                "--params",
                str(ROOT / "params/2024_bingxian.yml"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
        )
        # The build submits each job as the task "minzheng-<job key>"; the scheduler (in this
        # process) logs their transitions: (key, start, finish, ...).
        finished = {
            t[0]
            for t in cluster.scheduler.transition_log
            if str(t[0]).startswith("minzheng-") and t[2] == "memory"
        }
    assert res.returncode == 0, res.stdout + res.stderr
    # One report of 6 notebooks, none cached in this fresh folder: 6 jobs run, each shown "ok".
    assert summary_counts(res.stdout) == (6, 0, 0)
    shown = {m.group(1) for m in re.finditer(r"^2024/丙县/(\w+) .* ok \d+\.\ds", res.stdout, re.M)}
    assert shown == {
        "00_data",
        "01_evidence",
        "02_staffing",
        "03_funds",
        "04_training",
        "05_policy",
    }
    remote_json = json.loads((tmp_path / "dask/2024/丙县/results.json").read_text(encoding="utf-8"))
    jobs = remote_json["build"]["jobs"]
    assert finished == {f"minzheng-{j['key']}" for j in jobs} and len(finished) == 6
    local = (local_build[0] / "results.json").read_bytes()
    remote = (tmp_path / "dask/2024/丙县/results.json").read_bytes()
    assert remote == local


def test_full_disk_is_a_clear_error(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tiny tmpfs that fills up")
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here")
    try:
        res = cli(
            "--out", str(disk / "reports"), "--params", str(ROOT / "params/2024_bingxian.yml")
        )
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    text = (res.stdout + res.stderr).replace("\n", " ")
    assert res.returncode == 1
    assert "No space left on device" in text
    assert "Traceback" not in res.stderr


def test_ctrl_c_stops_cleanly_and_the_next_build_resumes(tmp_path):
    reports = tmp_path / "reports"
    proc = subprocess.Popen(
        [
            workbench_exe(),
            "build",
            "--renderer",
            "pandoc",
            "--out",
            str(reports),
            "--params",
            str(ROOT / "params/2024_bingxian.yml"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if (reports / ".cache").exists() and list((reports / ".cache").glob("*/done.json")):
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    res = cli("--out", str(reports), "--params", str(ROOT / "params/2024_bingxian.yml"))
    assert res.returncode == 0, res.stdout + res.stderr
    ok, failed, skipped = summary_counts(res.stdout)
    assert failed == 0 and skipped >= 1 and ok + skipped == 6
    assert_complete(reports / "2024" / "丙县")
