"""Safe loading of small YAML files written by people (parameter sets, norms).

One loader for every YAML file the workbench reads: safe loading only, a size
cap, no anchors or aliases (no "billion laughs"), and a plain reason when the
file is refused, which each caller turns into its own error naming the file.
"""

from __future__ import annotations

import yaml

__all__ = ["YamlRefused", "load_text"]


class YamlRefused(ValueError):
    """The text is not accepted; the message says why (for the caller's error)."""


def load_text(text: str, max_bytes: int, kind: str = "YAML files") -> object:
    """Parse YAML ``text`` safely and return the data (None for an empty text).

    Parameters
    ----------
    text : str
        The file's text.
    max_bytes : int
        Largest accepted size, in UTF-8 bytes.
    kind : str
        What the file is, for the messages (e.g. "parameter files").

    Returns
    -------
    object
        The parsed data.

    Raises
    ------
    YamlRefused
        When the text is too large, uses anchors or aliases, or is not valid YAML.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlRefused(f"larger than {max_bytes} bytes")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlRefused(f"YAML anchors/aliases are not allowed in {kind}")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise YamlRefused(f"not valid YAML: {exc}") from None
