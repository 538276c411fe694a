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
from .extract import COLUMNS, ExtractResult, expand, extract_paths, extract_text, to_csv

__all__ = [
    "COLUMNS",
    "INDICATORS",
    "INDICATOR_LABELS",
    "QUALIFIER_LABELS",
    "ExtractResult",
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
