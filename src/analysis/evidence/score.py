"""Scoring extraction against a gold file: recall and precision, overall and per indicator.

The gold file maps each document to ``must`` items (the quantities that
matter) and ``dontcare`` items (readings that are defensible but not
required); see ``../shared/domain/evidence_dev_gold.yml``. An item is
``[indicator, value, unit]``, optionally followed by a quote. Scoring works on
the set of distinct items per document, as ``../shared/tools/score_evidence.py``
does:

- recall = must items found / must items;
- precision = predicted items in ``must`` / predicted items not in ``dontcare``.

Rows labelled ``other`` are ignored; 名 and 位 count as 人; values are compared
as numbers (``190.20`` is ``190.2``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputFileError
from ..safeyaml import YamlRefused, load_text

__all__ = ["DocScore", "Score", "gold_items", "load_gold", "prediction_items", "score"]

UNIT_ALIASES = {"名": "人", "位": "人"}

Item = tuple[str, float, str]


def _item(indicator, value, unit) -> Item:
    unit = UNIT_ALIASES.get(str(unit).strip(), str(unit).strip())
    return (str(indicator).strip(), round(float(value), 6), unit)


def gold_items(entries: Iterable) -> set[Item]:
    """Return the distinct items of a ``must`` or ``dontcare`` list.

    Parameters
    ----------
    entries : iterable of list
        ``[indicator, value, unit]`` or ``[indicator, value, unit, quote]``.

    Returns
    -------
    set of (str, float, str)
    """
    return {_item(*e[:3]) for e in entries or []}


def prediction_items(rows: Iterable[dict]) -> set[Item]:
    """Return the distinct items of extracted rows (``other`` and non-numbers left out).

    Returns
    -------
    set of (str, float, str)
    """
    found = set()
    for row in rows:
        if row.get("indicator", "other") in ("", "other"):
            continue
        try:
            v = float(row["value"])
        except (TypeError, ValueError):
            continue
        if math.isfinite(v):
            found.add(_item(row["indicator"], v, row.get("unit", "")))
    return found


def load_gold(path: str | Path) -> dict[str, dict]:
    """Read a gold file and check its shape, naming the document and item at fault.

    Returns
    -------
    dict
        Document name -> its entry (``must``, ``dontcare`` and any other keys).

    Raises
    ------
    InputFileError
        When the file is not a mapping of documents to entries with item lists.
    """
    try:
        data = load_text(Path(path).read_text(encoding="utf-8"), 16 << 20, "gold files")
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    except (YamlRefused, UnicodeDecodeError) as exc:
        raise InputFileError(str(path), str(exc)) from None
    if not isinstance(data, dict):
        raise InputFileError(str(path), "a gold file maps document names to their items")
    for doc, entry in data.items():
        if not isinstance(entry, dict):
            raise InputFileError(str(path), f"{doc}: expected must/dontcare lists")
        for key in ("must", "dontcare"):
            for i, e in enumerate(entry.get(key) or []):
                if not isinstance(e, list) or len(e) < 3:
                    raise InputFileError(
                        str(path), f"{doc}: {key} item {i + 1}: expected [indicator, value, unit]"
                    )
                try:
                    float(e[1])
                except (TypeError, ValueError):
                    raise InputFileError(
                        str(path), f"{doc}: {key} item {i + 1}: value {e[1]!r} is not a number"
                    ) from None
    return data


@dataclass
class DocScore:
    """One document: what was required, found, missed and wrongly predicted."""

    doc: str
    must: set[Item]
    hit: set[Item]
    missed: set[Item]
    false: set[Item]


@dataclass
class Score:
    """The score of a corpus, with per-document detail."""

    docs: list[DocScore] = field(default_factory=list)

    def _counts(self, indicator: str | None = None) -> tuple[int, int, int]:
        def keep(items: set[Item]) -> list[Item]:
            return [i for i in items if indicator is None or i[0] == indicator]

        tp = sum(len(keep(d.hit)) for d in self.docs)
        must = sum(len(keep(d.must)) for d in self.docs)
        pred = tp + sum(len(keep(d.false)) for d in self.docs)
        return tp, must, pred

    def recall(self, indicator: str | None = None) -> float:
        """Return must items found / must items (1.0 when there are none).

        Returns
        -------
        float
        """
        tp, must, _ = self._counts(indicator)
        return tp / must if must else 1.0

    def precision(self, indicator: str | None = None) -> float:
        """Return correct predictions / scored predictions (1.0 when there are none).

        Returns
        -------
        float
        """
        tp, _, pred = self._counts(indicator)
        return tp / pred if pred else 1.0

    def indicators(self) -> list[str]:
        """Return every indicator that is required or predicted, sorted.

        Returns
        -------
        list of str
        """
        return sorted({i[0] for d in self.docs for i in d.must | d.false})

    def report(self) -> str:
        """Return the score as text: per document, per indicator, then overall.

        Returns
        -------
        str
            The last line is ``recall R precision P``, as the shared scorer prints.
        """
        lines = []
        for d in self.docs:
            lines.append(f"{d.doc}: found {len(d.hit)}/{len(d.must)}; false {len(d.false)}")
            lines += [f"  missed {_show(i)}" for i in sorted(d.missed)]
            lines += [f"  false  {_show(i)}" for i in sorted(d.false)]
        lines.append("")
        lines.append(
            f"{'indicator':<22}{'must':>6}{'found':>7}{'false':>7}{'recall':>8}{'prec.':>8}"
        )
        for ind in self.indicators():
            tp, must, pred = self._counts(ind)
            lines.append(
                f"{ind:<22}{must:>6}{tp:>7}{pred - tp:>7}"
                f"{self.recall(ind):>8.2f}{self.precision(ind):>8.2f}"
            )
        lines.append("")
        lines.append(f"recall {self.recall():.2f} precision {self.precision():.2f}")
        return "\n".join(lines)


def _show(item: Item) -> str:
    ind, value, unit = item
    shown = int(value) if float(value).is_integer() else value
    return f"[{ind}, {shown}, {unit}]"


def score(gold: dict[str, dict], predicted: dict[str, set[Item]]) -> Score:
    """Score predictions against gold.

    Parameters
    ----------
    gold : dict
        From :func:`load_gold`.
    predicted : dict
        Document name -> :func:`prediction_items` of its rows (missing: nothing found).

    Returns
    -------
    Score
    """
    result = Score()
    for doc, entry in gold.items():
        must = gold_items(entry.get("must"))
        dontcare = gold_items(entry.get("dontcare"))
        pred = predicted.get(doc, set())
        scored = {p for p in pred if p in must or p not in dontcare}
        hit = must & pred
        result.docs.append(DocScore(doc, must, hit, must - pred, scored - must))
    return result
