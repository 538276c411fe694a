"""Benchmark the build at prefecture and province scale, side by side in one run.

For generated survey data of 10, 30 and 100 counties (``workbench sample
--counties N``, 12 townships each), one parameter file declares every county's
report for the latest year (``scope: each``). For each size it measures:

1. a cold build with plain papermill (``--executor papermill``: a new process
   and kernel per job) and with warm kernels (``--executor local``), each into
   an empty reports folder: wall time and the peak memory of the whole process
   tree (sum of PSS, so pages shared by forked kernels are counted once);
2. the warm no-op: the same build again with nothing changed;
3. time per job: from the build handing the job to a worker until it is done
   (``spec.json`` to ``done.json``), and its overhead beyond the notebook's own
   compute (the sum of papermill's cell durations);

and, for 30 counties, the same cold build through ``--executor dask`` on a
two-worker ``LocalCluster`` (one thread each).

Run from the project root (about 45 minutes on 2 cores; ``--sizes 10`` for a
quick look):

    .venv/bin/python benchmarks/scale_bench.py [--sizes 10 30 100] [--renderer pandoc]

It prints a Markdown table and writes the numbers to ``benchmarks/scale_bench.json``
(``--out``) for the README's projection.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKBENCH = str(Path(sys.executable).parent / "workbench")


def tree_pss(pid: int) -> int:
    """Return the summed PSS (bytes) of a process and its descendants (RSS where PSS is hidden)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def timed_build(args: list[str], env: dict) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``workbench build ARGS``; return wall seconds, peak tree PSS and the result."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [WORKBENCH, "build", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_pss(proc.pid))
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - start
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(args)}):\n{out[-3000:]}\n{err[-3000:]}")
    return seconds, peak, result


def job_times(cache: Path) -> dict:
    """Per job: wall seconds seen by the build, and the notebook's own compute (cell durations)."""
    walls, computes = [], []
    for done in cache.glob("*/done.json"):
        folder = done.parent
        wall = done.stat().st_mtime - (folder / "spec.json").stat().st_mtime
        nb = json.loads((folder / "executed.ipynb").read_text(encoding="utf-8"))
        compute = sum(
            (c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0) for c in nb["cells"]
        )
        walls.append(wall)
        computes.append(compute)
    over = [w - c for w, c in zip(walls, computes, strict=True)]
    return {
        "jobs": len(walls),
        "wall_mean": statistics.fmean(walls),
        "compute_mean": statistics.fmean(computes),
        "overhead_mean": statistics.fmean(over),
        "overhead_median": statistics.median(over),
    }


def dataset(counties: int, work: Path) -> Path:
    """Generate the survey data and one parameter file declaring every county's report."""
    data = work / f"data{counties}"
    subprocess.run(
        [WORKBENCH, "sample", "--counties", str(counties), "--out", str(data)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    params = work / f"params{counties}" / "province.yml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(
        yaml.safe_dump(
            {
                "year": "latest",
                "scope": "each",
                "survey_path": str(data / "sample_townships_synthetic.csv"),
                "roster_path": str(data / "sample_roster_synthetic.csv"),
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return params


def main() -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100])
    ap.add_argument("--renderer", default="pandoc")
    ap.add_argument("--dask-size", type=int, default=30)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "scale_bench.json")
    ap.add_argument(
        "--executors",
        nargs="+",
        default=["papermill", "local"],
        help="which executors to time at each size (papermill at 100 counties takes ~30 min)",
    )
    args = ap.parse_args()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1732406400", "COLUMNS": "200"}
    jobs = str(os.cpu_count() or 1)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            params = dataset(n, work)
            common = ["--renderer", args.renderer, "--jobs", jobs, "--params", str(params)]
            row: dict = {"counties": n}
            for executor in args.executors:
                out = work / f"reports{n}-{executor}"
                secs, peak, res = timed_build(
                    [*common, "--executor", executor, "--out", str(out)], env
                )
                row[executor] = {
                    "cold_s": secs,
                    "peak_mb": peak / 2**20,
                    **job_times(out / ".cache"),
                }
                print(
                    f"{n} counties, {executor}: cold {secs:.1f} s, peak {peak / 2**20:.0f} MB",
                    flush=True,
                )
            out = work / f"reports{n}-local"
            row["noop_s"], _, _ = timed_build([*common, "--out", str(out)], env)
            if n == args.dask_size:
                row["dask"] = dask_run(common, work / f"reports{n}-dask", env)
            rows.append(row)
            print(json.dumps(row, indent=1), flush=True)
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "renderer": args.renderer,
        "rows": rows,
    }
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(table(rows))


def dask_run(common: list[str], out: Path, env: dict) -> dict:
    """Run the same cold build through ``--executor dask`` on a two-worker LocalCluster.

    Returns
    -------
    dict
        Cold seconds, the client's peak memory and the job times.
    """
    import distributed

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        secs, peak, _ = timed_build(
            [
                *common,
                "--executor",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--out",
                str(out),
            ],
            env,
        )
    return {"cold_s": secs, "peak_mb_client": peak / 2**20, **job_times(out / ".cache")}


def table(rows: list[dict]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| counties | jobs | plain cold | warm cold | speed-up | plain peak | warm peak "
        "| warm no-op | per job plain / warm | overhead plain / warm |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    missing = {"cold_s": float("nan"), "peak_mb": float("nan"), "wall_mean": float("nan")}
    missing["overhead_mean"] = missing["overhead_median"] = float("nan")
    for r in rows:
        p, w = r.get("papermill", missing), r["local"]
        lines.append(
            f"| {r['counties']} | {w['jobs']} | {p['cold_s']:.0f} s | {w['cold_s']:.0f} s "
            f"| {p['cold_s'] / w['cold_s']:.1f}x | {p['peak_mb']:.0f} MB | {w['peak_mb']:.0f} MB "
            f"| {r['noop_s']:.2f} s | {p['wall_mean']:.2f} / {w['wall_mean']:.2f} s "
            f"| {p['overhead_mean']:.2f} / {w['overhead_mean']:.2f} s "
            f"(median {p['overhead_median']:.2f} / {w['overhead_median']:.2f} s) |"
        )
    for r in rows:
        if "dask" in r:
            d = r["dask"]
            lines.append(
                f"\nDask, {r['counties']} counties on a 2-worker LocalCluster: cold {d['cold_s']:.0f} s, "
                f"{d['jobs']} jobs, {d['wall_mean']:.2f} s per job "
                f"(overhead {d['overhead_mean']:.2f} s); local warm: {r['local']['cold_s']:.0f} s."
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
