"""Invented texts (示例材料) are never presented as evidence in a report on real data."""

import json

import pandas as pd
import papermill as pm
import pytest
import yaml
from conftest import ROOT, SAMPLE_SURVEY, run_notebook

from analysis import evidence, results
from analysis.errors import ParameterError
from analysis.pipeline import plan

REPORTS = ROOT / "data/raw/reports"


@pytest.fixture
def real_survey(tmp_path):
    """The sample returns without their synthetic flag: data the workbench must treat as real."""
    df = pd.read_csv(SAMPLE_SURVEY, encoding="utf-8-sig", dtype=str).drop(columns=["synthetic"])
    path = tmp_path / "returns_2024.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_bundled_texts_carry_the_mark():
    found = evidence.extract_paths([REPORTS])
    assert len(found.cleaned) == 3
    assert sorted(p.rsplit("/", 1)[-1] for p in found.illustrative) == [
        "bingxian_2024_survey_illustrative.txt",
        "jiaxian_2024_workreport_illustrative.html",
        "yixian_speech_traditional_illustrative.txt",  # marked in traditional script too
    ]
    assert not evidence.is_illustrative("2024年丙县调研报告：全县共有13个乡镇。")


def _params(tmp_path, **extra):
    path = tmp_path / "real.yml"
    path.write_text(yaml.safe_dump({"year": 2024, "scope": "丙县", **extra}), encoding="utf-8")
    return path


def test_real_data_refuses_invented_texts_at_plan_time(tmp_path, real_survey):
    path = _params(tmp_path, survey_path=str(real_survey))
    (report,) = plan.plan([path], ROOT / "notebooks", ROOT / "params/defaults.yml", ROOT)
    assert isinstance(report.error, ParameterError) and report.jobs == []
    assert report.error.key == "reports_dir"
    assert "bingxian_2024_survey_illustrative.txt" in str(report.error)
    assert "allow_illustrative: true" in str(report.error)


def test_synthetic_data_or_an_explicit_request_accepts_them(tmp_path, real_survey):
    sample = _params(tmp_path)
    (report,) = plan.plan([sample], ROOT / "notebooks", ROOT / "params/defaults.yml", ROOT)
    assert report.error is None  # the bundled synthetic sample: the report is marked as a sample
    asked = _params(tmp_path, survey_path=str(real_survey), allow_illustrative=True)
    (report,) = plan.plan([asked], ROOT / "notebooks", ROOT / "params/defaults.yml", ROOT)
    assert report.error is None


def _run(tmp_path, survey, **params):
    return run_notebook("01_evidence", tmp_path, scope="丙县", survey_path=str(survey), **params)


def test_when_asked_every_row_from_an_invented_text_is_labelled(tmp_path, real_survey):
    out = _run(tmp_path, real_survey, allow_illustrative=True)
    excerpts = pd.read_csv(tmp_path / "out/evidence_excerpts.csv", encoding="utf-8-sig")
    assert len(excerpts) == 40
    assert set(excerpts["来源文件"]) == {"bingxian_2024_survey_illustrative.txt（示例材料）"}
    assert results.collect(out)["evidence.illustrative_documents"] == 1
    shown = json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "其中1份标为示例材料，系虚构示例，不是调研证据" in shown


def test_notebook_run_by_hand_on_real_data_refuses_them(tmp_path, real_survey):
    with pytest.raises(pm.PapermillExecutionError, match="allow_illustrative"):
        _run(tmp_path, real_survey)
