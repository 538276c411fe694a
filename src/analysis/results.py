"""Key results set by notebooks and collected by the build (a small scrapbook equivalent).

A notebook calls ``glue("upper_share", 0.903)``; the value is emitted as a
display output of MIME type :data:`MIME` and :func:`collect` reads every
glued value back from the executed notebook. Values must be JSON-serialisable.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from .disclosure import DEFAULT_K

__all__ = ["MIME", "collect", "glue", "jsonable"]

MIME = "application/vnd.minzheng.result+json"


def jsonable(value):
    """Convert numpy/pandas scalars and containers to plain JSON types (NaN -> None).

    Returns
    -------
    object
        The value as a dict, list, int, float, bool, str or None.

    Raises
    ------
    TypeError
        When ``value`` (or an item in it) has no JSON equivalent.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "item"):
        return jsonable(value.item())
    raise TypeError(f"cannot glue a value of type {type(value).__name__}")


def glue(name: str, value, units: int | None = None, k: int = DEFAULT_K) -> None:
    """Record a key result ``name`` in the notebook's outputs (shows nothing to readers).

    Parameters
    ----------
    name : str
        Identifier, e.g. ``"townships_short"``.
    value : JSON-serialisable
        Number, text, list or mapping.
    units : int, optional
        Workers or households the value rests on. With ``0 < units < k`` the
        value is withheld (recorded as None), as in published tables.
    k : int
        Disclosure threshold.
    """
    from IPython.display import display

    if units is not None and 0 < units < k:
        value = None
    payload = {"name": name, "value": jsonable(value)}
    json.dumps(payload)  # fail here, in the notebook, on anything not serialisable
    # The empty Markdown copy keeps readers' views clean: JupyterLab and Quarto show it
    # as nothing (Quarto would otherwise print "Unable to display output for mime type").
    display({MIME: payload, "text/markdown": ""}, raw=True)


def collect(notebook: str | Path) -> dict:
    """Read every glued value from an executed notebook, in order (later values win).

    Returns
    -------
    dict
        Name -> value of every result glued in the notebook.
    """
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found = {}
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(MIME)
            if payload:
                found[payload["name"]] = payload["value"]
    return found
