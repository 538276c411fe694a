"""Quarto against pandoc+typst, and the build against Quarto-native rendering, in one run.

1. Render time per report: the Markdown of each sample report (2024; 甲县, 乙县,
   丙县, all) rendered to HTML and PDF by each backend, alternating, best of
   ``--repeat`` (default 3).
2. Whole-report cost for one report (2024, 丙县), cold:
   - ``workbench build --renderer pandoc`` and ``--renderer quarto`` (execute 5
     notebooks in parallel, assemble, render);
   - Quarto-native: ``quarto render notebooks/NN.ipynb --execute -P year:2024
     -P scope:丙县`` for each of the 5 notebooks (HTML and typst PDF each), one
     after another, in a copy of the project.

Needs ``quarto`` on PATH. Run from the project root:

    .venv/bin/python benchmarks/render_bench.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def padded(text: str, width: int = 10) -> str:
    """Pad to a display width (a CJK character takes two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 0)


def build(reports: Path, renderer: str, params: list[Path]) -> float:
    args = [str(BIN / "workbench"), "build", "--out", str(reports), "--renderer", renderer]
    for p in params:
        args += ["--params", str(p)]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def render_once(renderer, report_dir: Path, work: Path) -> float:
    import json

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copyfile(report_dir / "report.md", work / "report.md")
    shutil.copytree(report_dir / "figures", work / "figures")
    rep = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))["report"]
    meta = {
        "title": rep["title"],
        "date": dt.date(2024, 12, 1),
        "issuer": rep["issuer"],
        "year": rep["year"],
        "scope_label": rep["scope"],
        "synthetic": rep["synthetic"],
    }
    start = time.perf_counter()
    renderer.render(work, meta)
    return time.perf_counter() - start


def quarto_native(tmp: Path, year: int, scope: str) -> float:
    proj = tmp / "native"
    for name in ("_quarto.yml", "_extensions", "data", "notebooks", "src/analysis/quarto_guard.py"):
        (proj / name).parent.mkdir(parents=True, exist_ok=True)
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, proj / name)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
    for nb in sorted((proj / "notebooks").glob("*.ipynb")):
        subprocess.run(
            [
                "quarto",
                "render",
                f"notebooks/{nb.name}",
                "--execute",
                "-P",
                f"year:{year}",
                "-P",
                f"scope:{scope}",
            ],
            check=True,
            capture_output=True,
            cwd=proj,
            env=env,
        )
    return time.perf_counter() - start


def main() -> None:
    from analysis.pipeline import render
    from analysis.pipeline.plan import discover_params

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    if shutil.which("quarto") is None:
        sys.exit("quarto is not on PATH; this benchmark compares it with pandoc+typst")
    pandoc, quarto = render.choose("pandoc"), render.choose("quarto")
    print(f"{pandoc.version} | {quarto.version} | {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory(prefix="mz-render-bench-") as tmp:
        tmp = Path(tmp)
        params = discover_params(ROOT / "params")
        build(tmp / "reports", "pandoc", params)  # executed notebooks and report.md to render
        print(f"\n1. render only (best of {repeat}; HTML + PDF per report)")
        print(f"  {'report':<10s} {'pandoc+typst':>12s} {'quarto':>9s} {'ratio':>7s}")
        totals = [0.0, 0.0]
        for folder in sorted((tmp / "reports/2024").iterdir()):
            if not (folder / "report.md").exists():
                continue
            times = {"pandoc": [], "quarto": []}
            for _ in range(repeat):  # alternate, so both see the same machine state
                times["pandoc"].append(render_once(pandoc, folder, tmp / "w"))
                times["quarto"].append(render_once(quarto, folder, tmp / "w"))
            p, q = min(times["pandoc"]), min(times["quarto"])
            totals[0] += p
            totals[1] += q
            print(f"  {padded(folder.name)} {p:11.2f}s {q:8.2f}s {q / p:6.1f}x")
        print(
            f"  {'total':<10s} {totals[0]:11.2f}s {totals[1]:8.2f}s {totals[1] / totals[0]:6.1f}x"
        )

        print("\n2. whole report 2024/丙县, cold (execute 5 notebooks + render)")
        one = [ROOT / "params/2024_bingxian.yml"]
        t_p = build(tmp / "cold-pandoc", "pandoc", one)
        t_q = build(tmp / "cold-quarto", "quarto", one)
        t_n = quarto_native(tmp, 2024, "丙县")
        for label, t in (
            ("workbench build --renderer pandoc", t_p),
            ("workbench build --renderer quarto", t_q),
            ("quarto render --execute, 5 notebooks", t_n),
        ):
            print(f"  {label:<38s} {t:6.1f}s  ({t / t_n:.2f} of Quarto-native)")


if __name__ == "__main__":
    main()
