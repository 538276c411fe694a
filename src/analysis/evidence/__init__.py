"""Evidence extraction from survey reports (调研报告): cleaned text -> cited indicator rows.

See :mod:`.clean` (reading and cleaning), :mod:`.numbers` (quantities),
:mod:`.classify` (taxonomy) and :mod:`.extract` (rows, files, CSV).
"""

from .classify import INDICATORS
from .clean import clean_text, read_document
from .compare import (
    INDICATOR_LABELS,
    QUALIFIER_LABELS,
    compare_with_survey,
    match_county,
    rows_frame,
)
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

__all__ = [
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


def __warm_up__() -> None:
    """Load the dictionaries extraction needs (jieba, OpenCC, the lexicon) ahead of use.

    A warm template (:mod:`analysis.pipeline.warm`) calls this once, so every notebook
    kernel forked from it starts with them loaded; the results are the same either way.
    """
    from .classify import lexicon
    from .clean import _converter
    from .extract import _jieba

    _converter()
    _jieba()
    lexicon()
