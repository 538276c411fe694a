"""Evidence extraction from survey reports (调研报告): cleaned text -> cited indicator rows.

See :mod:`.clean` (reading and cleaning), :mod:`.numbers` (quantities),
:mod:`.classify` (taxonomy) and :mod:`.extract` (rows, files, CSV).
"""

from .classify import INDICATORS
from .clean import clean_text, read_document
from .extract import (
    COLUMNS,
    ILLUSTRATIVE_MARK,
    ExtractResult,
    expand,
    extract_paths,
    extract_text,
    illustrative_files,
    is_illustrative,
    to_csv,
)

__all__ = [  # noqa: F822 - the names of .compare are provided by __getattr__
    "COLUMNS",
    "ILLUSTRATIVE_MARK",
    "INDICATORS",
    "INDICATOR_LABELS",
    "QUALIFIER_LABELS",
    "ExtractResult",
    "illustrative_files",
    "is_illustrative",
    "compare_with_survey",
    "match_county",
    "rows_frame",
    "clean_text",
    "expand",
    "extract_paths",
    "extract_text",
    "read_document",
    "to_csv",
]


_COMPARE = {
    "INDICATOR_LABELS",
    "QUALIFIER_LABELS",
    "compare_with_survey",
    "match_county",
    "rows_frame",
}


def __getattr__(name: str):
    """Import :mod:`.compare` (pandas, statsmodels) only when one of its names is used.

    Planning a build reads texts with :func:`illustrative_files` and must stay light.

    Returns
    -------
    object
        The name from :mod:`.compare`.

    Raises
    ------
    AttributeError
        For any other name.
    """
    if name in _COMPARE:
        from . import compare

        return getattr(compare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __warm_up__() -> None:
    """Load the dictionaries extraction needs (jieba, OpenCC, the lexicon) ahead of use.

    A warm template (:mod:`analysis.pipeline.warm`) calls this once, so every notebook
    kernel forked from it starts with them loaded; the results are the same either way.
    """
    from . import compare  # noqa: F401 - pandas, statsmodels
    from .classify import lexicon
    from .clean import _converter
    from .extract import _jieba

    _converter()
    _jieba()
    lexicon()
