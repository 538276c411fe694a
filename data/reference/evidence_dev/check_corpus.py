#!/usr/bin/env python3
"""Check (or install) the texts of the real development corpus for evidence extraction.

The texts are third-party web pages, so they are not in the repository: only
the gold annotations (``gold.yml`` beside this script, with each text's url,
the query that found it and the SHA-256 of its bytes) are. The texts live in a
cache folder, ``$MINZHENG_EVIDENCE_DEV`` or ``~/.cache/minzheng-workbench/evidence-dev``.

    python data/reference/evidence_dev/check_corpus.py            # which texts are there, intact
    python data/reference/evidence_dev/check_corpus.py --install DIR   # copy them in from DIR

``--install`` copies only files whose bytes match the recorded SHA-256. For a
text that is missing, the check prints its url: open it, save the page's text
(from its beginning) under the listed name, and check again. Exit status 0
when every text is present and intact, else 1.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path

import yaml

GOLD = Path(__file__).with_name("gold.yml")


def corpus_dir() -> Path:
    """Return the cache folder of the texts.

    Returns
    -------
    Path
    """
    given = os.environ.get("MINZHENG_EVIDENCE_DEV")
    return Path(given) if given else Path.home() / ".cache" / "minzheng-workbench" / "evidence-dev"


def sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes.

    Returns
    -------
    str
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(folder: Path, gold: dict) -> list[str]:
    """Return one problem line per missing or altered text (empty when all are intact).

    Returns
    -------
    list of str
    """
    problems = []
    for doc, entry in gold.items():
        path = folder / doc
        if not path.exists():
            problems.append(f"missing  {doc}  <- {entry.get('url', '?')}")
        elif sha256(path) != entry.get("sha256"):
            problems.append(
                f"altered  {doc}  (SHA-256 differs; re-save it from {entry.get('url')})"
            )
    return problems


def main() -> int:
    """Check or install the corpus.

    Returns
    -------
    int
        0 when every text is present and intact.
    """
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--install", type=Path, help="copy matching texts from this folder")
    args = ap.parse_args()
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    folder = corpus_dir()
    if args.install:
        folder.mkdir(parents=True, exist_ok=True)
        for doc, entry in gold.items():
            src = args.install / doc
            if src.exists() and sha256(src) == entry.get("sha256"):
                shutil.copyfile(src, folder / doc)
    problems = check(folder, gold)
    for line in problems:
        print(line)
    print(f"{len(gold) - len(problems)}/{len(gold)} texts intact in {folder}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
