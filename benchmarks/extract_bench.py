"""Throughput of evidence extraction (clean + extract) on one core, in MB/s of Chinese text.

Two measurements, on the illustrative reports in data/raw/reports (and the seed reports
in ../shared/seeds when present), or, with ``--texts DIR``, on the texts of a folder such
as the real development corpus (see data/reference/evidence_dev/README.md):

- **per document**, as ``workbench extract FOLDER`` reads a folder: each text is cleaned
  and extracted on its own, one pass over the distinct texts, the remembered values
  (Chinese numerals) forgotten before each pass so that no pass profits from the one
  before; best of 5 passes. This is the figure the target applies to.
- **concatenated**: all texts as one text, repeated to about 8 MB; best of 3.

A warm-up on a text outside the corpus loads OpenCC, cn2an and the segmenter first.

    .venv/bin/python benchmarks/extract_bench.py [--texts ~/.cache/minzheng-workbench/evidence-dev]
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 8.0
WARM_UP = "全县城乡低保对象共有1,234户2,345人，发放低保金567.8万元，保障标准每人每月620元。\n"


def texts_of(folders: list[Path]) -> list[str]:
    from analysis.evidence.clean import _strip_html

    texts = []
    for folder in folders:
        for p in sorted(folder.glob("*")):
            if p.suffix in {".txt", ".md", ".html"}:
                text = p.read_text(encoding="utf-8")
                texts.append(_strip_html(text) if p.suffix == ".html" else text)
    return texts


def per_document(texts: list[str]) -> tuple[float, float, float, int]:
    """Best of 5 passes over the texts one by one: (seconds, clean seconds, MB, rows)."""
    from analysis.evidence import clean_text, extract_text
    from analysis.evidence.numbers import _cn_value

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = None
    for _ in range(5):
        _cn_value.cache_clear()
        rows, t_clean = 0, 0.0
        start = time.perf_counter()
        for text in texts:
            a = time.perf_counter()
            cleaned = clean_text(text)
            t_clean += time.perf_counter() - a
            rows += len(extract_text(cleaned, "bench"))
        total = time.perf_counter() - start
        if best is None or total < best[0]:
            best = (total, t_clean, mb, rows)
    return best


def concatenated(texts: list[str]) -> tuple[float, float, float, int]:
    """Best of 3 runs on all texts joined and repeated to about 8 MB."""
    from analysis.evidence import clean_text, extract_text

    base = "\n".join(texts)
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
            best = (end - start, mid - start, mb, len(rows))
    return best


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

    extract_text(clean_text(WARM_UP * 20), "warm-up")
    texts = texts_of(folders)
    for name, (total, t_clean, mb, rows) in (
        ("per document", per_document(texts)),
        ("concatenated", concatenated(texts)),
    ):
        print(f"{name}: {len(texts)} texts, {mb:.2f} MB, {rows} rows, one core")
        print(f"  clean   {mb / t_clean:6.2f} MB/s")
        print(f"  extract {mb / (total - t_clean):6.2f} MB/s")
        print(f"  total   {mb / total:6.2f} MB/s  (target >= 2 MB/s per document)")


if __name__ == "__main__":
    main()
