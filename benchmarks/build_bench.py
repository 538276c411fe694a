"""Benchmark `workbench build` against a naive loop, side by side in one run.

Measures, on the bundled sample (every parameter set in params/):

1. naive: the papermill CLI for each job, one after another, then the same
   pandoc+typst render per report (no parallelism, no cache);
2. cold: `workbench build --jobs <cpu count>` into an empty reports folder;
3. warm: the same build again with nothing changed;
4. one change: the build after one parameter set changed.

Prints each wall time and its ratio to the naive loop. Run from the project root:

    .venv/bin/python benchmarks/build_bench.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def naive(params: list[Path], out: Path) -> None:
    from analysis import results
    from analysis.pipeline import document, plan, render
    from analysis.pipeline.summary import summary_markdown

    reports = plan.plan(params, ROOT / "notebooks", ROOT / "params/defaults.yml", ROOT)
    renderer = render.choose("pandoc")
    for report in reports:
        folder = out / f"{report.year}-{report.scope}"
        folder.mkdir(parents=True, exist_ok=True)
        chapters, glued = [], {}
        for job in report.jobs:
            nb_out = folder / f"{job.notebook.stem}.ipynb"
            fig_dir = folder / job.notebook.stem
            args = [
                str(BIN / "papermill"),
                str(job.notebook),
                str(nb_out),
                "--cwd",
                str(ROOT / "notebooks"),
                "-k",
                "python3",
                "--no-progress-bar",
                "-y",
                json.dumps({**job.parameters, "output_dir": str(fig_dir)}, ensure_ascii=False),
            ]
            subprocess.run(args, check=True, capture_output=True)
            chapters.append(document.Chapter(job.notebook.stem, nb_out, fig_dir))
            glued.update(results.collect(nb_out))
        work = folder / "render"
        work.mkdir()
        doc = document.assemble(
            chapters, summary_markdown(glued, report.year, report.scope), "", work
        )
        (work / "report.md").write_text(doc.markdown, encoding="utf-8")
        renderer.render(
            work,
            {
                "title": report.title,
                "date": render.report_date(),
                "issuer": report.issuer,
                "year": report.year,
                "scope_label": report.scope,
                "synthetic": True,
            },
        )


def workbench(params_dir: Path, reports: Path, jobs: int) -> None:
    args = [
        str(BIN / "workbench"),
        "build",
        "--out",
        str(reports),
        "--renderer",
        "pandoc",
        "--jobs",
        str(jobs),
    ]
    for p in sorted(params_dir.glob("*.yml")):
        args += ["--params", str(p)]
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)


def timed(label: str, fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    seconds = time.perf_counter() - start
    print(f"  {label:<42s} {seconds:7.1f} s", flush=True)
    return seconds


def main() -> None:
    from analysis.pipeline.plan import discover_params

    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="mz-bench-") as tmp:
        tmp = Path(tmp)
        params_dir = tmp / "params"
        params_dir.mkdir()
        for p in discover_params(ROOT / "params"):
            shutil.copyfile(p, params_dir / p.name)
        n_jobs = len(discover_params(ROOT / "params")) * len(
            list((ROOT / "notebooks").glob("*.ipynb"))
        )
        print(
            f"{len(list(params_dir.glob('*.yml')))} reports, {n_jobs} notebook jobs, {jobs} CPU(s)"
        )
        t_naive = timed(
            "naive: papermill CLI + render, sequential",
            naive,
            sorted(params_dir.glob("*.yml")),
            tmp / "naive",
        )
        t_cold = timed(
            f"workbench build, cold (--jobs {jobs})", workbench, params_dir, tmp / "reports", jobs
        )
        t_warm = timed(
            "workbench build, warm (nothing changed)", workbench, params_dir, tmp / "reports", jobs
        )
        first = sorted(params_dir.glob("*.yml"))[0]
        data = yaml.safe_load(first.read_text(encoding="utf-8"))
        data["peer_threshold"] = 0.55
        first.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        t_one = timed(
            "workbench build, one parameter set changed",
            workbench,
            params_dir,
            tmp / "reports",
            jobs,
        )
    print("ratio to the naive loop (naive time / this time):")
    for label, t in (("cold", t_cold), ("warm", t_warm), ("one change", t_one)):
        print(f"  {label:<12s} {t_naive / t:6.1f}x  ({t:.1f} s vs {t_naive:.1f} s)")


if __name__ == "__main__":
    main()
