"""The chapters of an annual report: one notebook each, in report order."""

from __future__ import annotations

__all__ = ["APPENDIX", "CHAPTERS"]

#: Chapter titles by notebook stem, in report order; ``00_data`` is the appendix.
CHAPTERS = {
    "02_staffing": "人员配备与服务对象",
    "03_funds": "资金结构与趋势",
    "04_training": "培训需求",
    "05_policy": "政策测算",
    "01_evidence": "调研报告证据摘录",
    "00_data": "数据、方法与参数",
}
APPENDIX = "00_data"
