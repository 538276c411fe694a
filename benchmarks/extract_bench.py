"""Throughput of evidence extraction (clean + extract) on one core, in MB/s of Chinese text.

The corpus is the illustrative reports in data/raw/reports (and the seed reports in
../shared/seeds when present), or, with ``--texts DIR``, the texts of a folder such as
the real development corpus (see data/reference/evidence_dev/README.md), repeated to
about 8 MB. One warm-up pass loads OpenCC, cn2an and jieba first; the timed passes then
measure steady throughput.

    .venv/bin/python benchmarks/extract_bench.py [--texts ~/.cache/minzheng-workbench/evidence-dev]
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 8.0


def corpus(folders: list[Path]) -> str:
    from analysis.evidence.clean import _strip_html

    parts = []
    for folder in folders:
        for p in sorted(folder.glob("*")):
            if p.suffix in {".txt", ".md", ".html"}:
                text = p.read_text(encoding="utf-8")
                parts.append(_strip_html(text) if p.suffix == ".html" else text)
    return "\n".join(parts)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, help="a folder of texts instead of the bundled ones")
    args = ap.parse_args()
    folders = (
        [args.texts] if args.texts else [ROOT / "data/raw/reports", ROOT.parent / "shared/seeds"]
    )
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    from analysis.evidence import clean_text, extract_text

    base = corpus(folders)
    extract_text(clean_text(base), "warm-up")
    text = base * max(1, int(TARGET_MB * 1e6 / len(base.encode("utf-8"))))
    mb = len(text.encode("utf-8")) / 1e6
    best = None
    for _ in range(3):
        start = time.perf_counter()
        cleaned = clean_text(text)
        mid = time.perf_counter()
        rows = extract_text(cleaned, "bench")
        end = time.perf_counter()
        if best is None or end - start < best[0]:
            best = (end - start, mid - start, end - mid, len(rows))
    total, t_clean, t_extract, n = best
    print(f"corpus {mb:.1f} MB of Chinese text, {n} rows, best of 3 on one core")
    print(f"  clean   {mb / t_clean:6.2f} MB/s")
    print(f"  extract {mb / t_extract:6.2f} MB/s")
    print(f"  total   {mb / total:6.2f} MB/s  (target >= 2 MB/s)")


if __name__ == "__main__":
    main()
