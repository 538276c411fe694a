"""Warm-kernel execution: the same outputs as plain papermill, isolated jobs, robust processes."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_ENV as ENV
from conftest import ROOT, workbench_exe
from conftest import write_notebook as _notebook

from analysis.pipeline import execute, forked, warm


def _stdout(target: Path) -> list[str]:
    nb = json.loads((target / "executed.ipynb").read_text(encoding="utf-8"))
    return [
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    ]


def _spec(nb: Path, target: Path) -> dict:
    return {
        "notebook": str(nb),
        "parameters": {},
        "target": str(target),
        "cwd": str(nb.parent),
        "kernel": execute.kernel_name(),
    }


@pytest.fixture
def pool(tmp_path):
    """A pool for the notebooks in tmp_path/nbs, closed (templates stopped) after the test."""
    made = []

    def make(*notebooks: Path) -> warm.WarmPool:
        p = warm.WarmPool(list(notebooks), tmp_path / "warm.log")
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()


# ---------------------------------------------------------------- what the template imports


def test_notebook_modules_reads_imports_and_skips_magics(tmp_path):
    nb = _notebook(
        tmp_path / "a.ipynb",
        "%matplotlib inline\nimport json, statistics as st\nfrom pathlib import Path, PurePath",
        "!echo hi\nfrom collections import abc\nimport json",
        "def f(:\n    import never_parsed",  # a syntax error: the cell is skipped
        "from . import relative_is_ignored",
    )
    assert warm.notebook_modules([nb]) == [
        "json",
        "statistics",
        "pathlib",
        "pathlib.Path",
        "pathlib.PurePath",
        "collections",
        "collections.abc",
    ]


@pytest.mark.parametrize(
    ("cmd", "forks"),
    [
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], True),
        (
            [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"],
            True,
        ),
        ([sys.executable, "-m", "ipykernel", "-f", "c.json"], True),
        ([sys.executable, "-u", "-m", "ipykernel_launcher", "-f", "c.json"], False),
        (["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "c.json"], False),
        (["R", "--slave", "-e", "IRkernel::main()", "--args", "c.json"], False),
    ],
)
def test_only_this_interpreters_ipykernel_is_forked(cmd, forks):
    assert forked.is_this_ipykernel(cmd) is forks


# ---------------------------------------------------------------- forked, warm and isolated


def test_kernels_are_forked_from_the_warm_template(tmp_path, pool):
    nb = _notebook(
        tmp_path / "probe.ipynb",
        # Before the notebook imports anything: is the stack already there?
        "import sys, os\nprint('statsmodels.api' in sys.modules, os.getppid())",
        "import statsmodels.api",
    )
    warm_pool = pool(nb)
    out = execute.run_job(_spec(nb, tmp_path / "w"), launch=warm_pool.launch)
    assert out.status == "ok", out
    loaded, parent = _stdout(tmp_path / "w")[0].split()
    assert loaded == "True"
    plain = execute.run_job(_spec(nb, tmp_path / "p"))
    assert plain.status == "ok" and _stdout(tmp_path / "p")[0].split()[0] == "False"
    # The kernel's parent is the job's driver, in its own process group, not the template.
    assert int(parent) != warm_pool._all[0].proc.pid


def test_a_job_cannot_leak_state_into_the_next(tmp_path, pool):
    mutate = _notebook(
        tmp_path / "a_mutate.ipynb",
        "import json, statistics, matplotlib, pandas as pd\n"
        "json.LEAKED = 'yes'\n"
        "statistics.NormalDist.LEAKED = 'yes'\n"
        "matplotlib.rcParams['lines.linewidth'] = 7.5\n"
        "pd.set_option('display.max_rows', 3)\n"
        "import numpy as np\nnp.random.seed(1)\nprint(np.random.random())",
    )
    observe = _notebook(
        tmp_path / "b_observe.ipynb",
        "import json, statistics, matplotlib, pandas as pd\n"
        "print(getattr(json, 'LEAKED', 'no'), getattr(statistics.NormalDist, 'LEAKED', 'no'),\n"
        "      matplotlib.rcParams['lines.linewidth'], pd.get_option('display.max_rows'))",
        "import numpy as np\nprint(np.random.random())",
    )
    warm_pool = pool(mutate, observe)
    warm_pool.start()  # one template: both jobs are forked from the same process
    runs = []
    for nb, name in ((mutate, "a"), (observe, "b"), (observe, "c")):
        out = execute.run_job(_spec(nb, tmp_path / name), launch=warm_pool.launch)
        assert out.status == "ok", out
        runs.append(_stdout(tmp_path / name))
    assert len(warm_pool._all) == 1
    # matplotlib's default line width is 1.5 and pandas shows 60 rows by default.
    assert runs[1][0].split() == ["no", "no", "1.5", "60"]
    # Each kernel draws fresh random numbers, as a new process would: neither the seeded
    # 0.417022... (numpy's first draw after seed 1) nor the same state in every fork.
    assert runs[0][0].strip() == "0.417022004702574"
    assert runs[1][1] != runs[2][1]
    assert "0.417022004702574" not in runs[1][1] + runs[2][1]


def test_one_template_runs_several_jobs_at_once(tmp_path, pool):
    from concurrent.futures import ThreadPoolExecutor

    nb = _notebook(
        tmp_path / "slow.ipynb",
        "import os, time\n"
        "driver = os.getppid()\n"
        "with open(f'/proc/{driver}/stat') as fh:\n"
        "    template = fh.read().rsplit(')', 1)[1].split()[1]\n"
        "start = time.time(); time.sleep(2); print(template, start, time.time())",
    )
    warm_pool = pool(nb)
    warm_pool.start()
    with ThreadPoolExecutor(3) as threads:
        outs = list(
            threads.map(
                lambda i: execute.run_job(_spec(nb, tmp_path / f"j{i}"), launch=warm_pool.launch),
                range(3),
            )
        )
    assert [o.status for o in outs] == ["ok"] * 3
    assert len(warm_pool._all) == 1  # one template for three worker slots
    runs = [_stdout(tmp_path / f"j{i}")[0].split() for i in range(3)]
    assert {r[0] for r in runs} == {str(warm_pool._all[0].proc.pid)}  # forked from it
    starts, ends = [float(r[1]) for r in runs], [float(r[2]) for r in runs]
    assert max(starts) < min(ends), "the jobs ran one after another, not side by side"


def test_a_dead_template_is_replaced(tmp_path, pool):
    nb = _notebook(tmp_path / "ok.ipynb", "print('fine')")
    warm_pool = pool(nb)
    warm_pool.start()
    assert execute.run_job(_spec(nb, tmp_path / "one"), launch=warm_pool.launch).status == "ok"
    first = warm_pool._all[0].proc
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert execute.run_job(_spec(nb, tmp_path / "two"), launch=warm_pool.launch).status == "ok"
    assert len(warm_pool._all) == 2 and _stdout(tmp_path / "two") == ["fine\n"]


def test_timeout_kills_the_driver_and_its_kernel(tmp_path, pool):
    nb = _notebook(
        tmp_path / "hang.ipynb",
        "import os\nprint(os.getpid(), flush=True)",
        "import time\ntime.sleep(600)",
    )
    warm_pool = pool(nb)
    out = execute.run_job(_spec(nb, tmp_path / "h"), timeout=8, launch=warm_pool.launch)
    assert (out.status, out.ename) == ("failed", "Timeout")
    assert "within 8 s" in out.evalue
    # Nothing is lost: the kept notebook shows the first cell's output and the hung cell
    # running, though the warm engine skips saves that come within SAVE_EVERY of another.
    kept = json.loads((tmp_path / "h.failed" / "executed.ipynb").read_text(encoding="utf-8"))
    hung = next(c for c in kept["cells"] if "time.sleep(600)" in "".join(c["source"]))
    assert hung["metadata"]["papermill"]["status"] == "running"
    printed = next(c for c in kept["cells"] if "getpid" in "".join(c["source"]))
    assert printed["outputs"][0]["text"], "the first cell's output was not saved"
    leftovers = subprocess.run(
        ["pgrep", "-f", str(nb)], capture_output=True, text=True
    ).stdout.split()
    template = str(warm_pool._all[0].proc.pid)
    assert [p for p in leftovers if p != template] == [], "driver or kernel outlived the timeout"
    # The template lives on and runs the next job.
    ok = _notebook(tmp_path / "ok.ipynb", "print('fine')")
    assert execute.run_job(_spec(ok, tmp_path / "o"), launch=warm_pool.launch).status == "ok"


def test_the_warm_engine_saves_sparsely_and_ends_with_papermills_notebook(tmp_path, monkeypatch):
    import papermill as pm
    import papermill.engines

    cells = [f"print({i})" for i in range(30)]
    nb = _notebook(tmp_path / "many.ipynb", *cells)
    writes = []
    real = papermill.engines.write_ipynb
    monkeypatch.setattr(
        papermill.engines, "write_ipynb", lambda n, p: (writes.append(p), real(n, p))
    )
    kernel = execute.kernel_name()
    pm.execute_notebook(
        str(nb), str(tmp_path / "plain.ipynb"), kernel_name=kernel, progress_bar=False
    )
    plain = len(writes)
    writes.clear()
    pm.execute_notebook(
        str(nb),
        str(tmp_path / "sparse.ipynb"),
        kernel_name=kernel,
        progress_bar=False,
        engine_name=forked.register_engine(),
    )
    # papermill writes at the start, before and after each of the 31 cells (write_notebook's
    # parameters cell and the 30 prints), and at the end: 1 + 2 * 31 + 1.
    assert plain == 64
    # The warm engine: the start, the first cell's start and end, then at most one write
    # per SAVE_EVERY (0.5 s) while 30 quick cells run, and the end.
    assert 4 <= len(writes) <= 12, writes

    def outputs(path):
        # A print may reach the notebook as one stream output or as two ("14", "\n"),
        # as the kernel's stream flushes fall: compare each cell's stream text.
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return ["".join("".join(o.get("text", "")) for o in c["outputs"]) for c in cells]

    assert outputs(tmp_path / "sparse.ipynb") == outputs(tmp_path / "plain.ipynb")
    assert outputs(tmp_path / "sparse.ipynb")[30] == "29\n"


# ---------------------------------------------------------------- the reference: plain papermill


def _build(out: Path, executor: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            workbench_exe(),
            "build",
            "--renderer",
            "pandoc",
            "--executor",
            executor,
            "--out",
            str(out),
            "--params",
            str(ROOT / "params/2024_bingxian.yml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=ENV,
    )


def _cell_outputs(path: Path) -> list:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c.get("outputs", []) for c in nb["cells"]]  # sources differ only in output_dir


def test_warm_outputs_are_byte_identical_to_plain_papermill(tmp_path):
    runs = {}
    for executor in ("papermill", "local"):
        res = _build(tmp_path / executor, executor)
        assert res.returncode == 0, res.stdout + res.stderr
        runs[executor] = tmp_path / executor / "2024" / "丙县"
    plain, warm_run = runs["papermill"], runs["local"]
    files = sorted(
        p.relative_to(plain)
        for p in plain.rglob("*")
        if p.is_file() and p.suffix in {".json", ".csv", ".png"}
    )
    assert len([f for f in files if f.suffix == ".png"]) >= 7 and len(files) > 20
    assert files == sorted(
        p.relative_to(warm_run)
        for p in warm_run.rglob("*")
        if p.is_file() and p.suffix in {".json", ".csv", ".png"}
    )
    for rel in files:
        assert (plain / rel).read_bytes() == (warm_run / rel).read_bytes(), rel
    # The executed notebooks show the same outputs, cell by cell (timings aside).
    cache_p, cache_w = tmp_path / "papermill/.cache", tmp_path / "local/.cache"
    keys = sorted(p.name for p in cache_p.iterdir() if p.is_dir())
    assert len(keys) == 6 and keys == sorted(p.name for p in cache_w.iterdir() if p.is_dir())
    for key in keys:
        assert _cell_outputs(cache_p / key / "executed.ipynb") == _cell_outputs(
            cache_w / key / "executed.ipynb"
        ), key
