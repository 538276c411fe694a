"""The bad-input matrix: each broken input gets its own error class and a message naming the file
(and, where there is one, the row and column)."""

import time
import zipfile

import openpyxl
import pytest
import yaml
from conftest import ROOT, SAMPLE_SURVEY

from analysis import norms, surveys
from analysis.errors import InputFileError, NormError, PlanError, SurveyValidationError
from analysis.evidence import read_document
from analysis.pipeline import plan

HEADER = "year,county,township,township_type,population,staff_total,staff_fulltime,office_area_m2\n"
GOOD = "2023,甲县,一镇,镇,1000,2,1,30\n"


def csv(tmp, text, encoding="utf-8", name="s.csv"):
    path = tmp / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def survey(tmp, body):
    return csv(tmp, HEADER + body)


def truncated_xlsx(tmp):
    wb = openpyxl.Workbook()
    wb.active.append(["year", "county", "township", "staff_total"])
    wb.active.append([2023, "甲县", "一镇", 2])
    wb.save(tmp / "full.xlsx")
    data = (tmp / "full.xlsx").read_bytes()
    return csv(tmp, data[: len(data) // 3], name="cut.xlsx")


def params_file(tmp, text):
    path = tmp / "r.yml"
    path.write_text(text, encoding="utf-8")
    return path


def norm_file(tmp, data):
    path = tmp / "n.yml"
    path.write_text(
        data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def run_plan(path):
    (report,) = plan.plan([path], ROOT / "notebooks", ROOT / "params/defaults.yml", ROOT)
    if report.error:
        raise report.error


NORM = {"name": "x", "source": "t", "basis": "population"}
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b]\nyear: 2024\nscope: all\n"

# (id, build(tmp) -> path, action(path), error class, message fragment, row, column)
CASES = [
    # survey files
    (
        "survey-empty",
        lambda t: csv(t, b""),
        surveys.load,
        InputFileError,
        "file is empty",
        None,
        None,
    ),
    (
        "survey-header-only",
        lambda t: csv(t, HEADER),
        surveys.load,
        InputFileError,
        "no data rows",
        None,
        None,
    ),
    (
        "survey-truncated-xlsx",
        truncated_xlsx,
        surveys.load,
        InputFileError,
        "damaged or truncated",
        None,
        None,
    ),
    (
        "survey-mixed-encodings",
        lambda t: csv(
            t, (HEADER + GOOD).encode() + "2023,乙县,二镇,镇,1000,2,1,30\n".encode("gbk")
        ),
        surveys.load,
        InputFileError,
        "mixed encodings",
        None,
        None,
    ),
    (
        "survey-binary",
        lambda t: csv(t, b"\x00\x01PK\x03\x04" * 50),
        surveys.load,
        InputFileError,
        "binary",
        None,
        None,
    ),
    (
        "survey-utf16",
        lambda t: csv(t, HEADER + GOOD, "utf-16"),
        surveys.load,
        InputFileError,
        "UTF-16",
        None,
        None,
    ),
    (
        "survey-xls",
        lambda t: csv(t, b"\xd0\xcf\x11\xe0", name="old.xls"),
        surveys.load,
        InputFileError,
        "old .xls",
        None,
        None,
    ),
    (
        "survey-missing-file",
        lambda t: t / "nope.csv",
        surveys.load,
        InputFileError,
        "file not found",
        None,
        None,
    ),
    (
        "survey-nan-staff",
        lambda t: survey(t, "2023,甲县,一镇,镇,1000,NaN,1,30\n"),
        surveys.load,
        SurveyValidationError,
        "required value is missing",
        2,
        "staff_total",
    ),
    (
        "survey-negative-area",
        lambda t: survey(t, "2023,甲县,一镇,镇,1000,2,1,-30\n"),
        surveys.load,
        SurveyValidationError,
        "value must be >= 0",
        2,
        "office_area_m2",
    ),
    (
        "survey-year-as-text",
        lambda t: survey(t, "二〇二三年,甲县,一镇,镇,1000,2,1,30\n"),
        surveys.load,
        SurveyValidationError,
        "must be a number",
        2,
        "year",
    ),
    (
        "survey-fraction",
        lambda t: survey(t, GOOD + "2023,甲县,二镇,镇,1000,2.5,1,30\n"),
        surveys.load,
        SurveyValidationError,
        "whole number",
        3,
        "staff_total",
    ),
    (
        "survey-fulltime-over-total",
        lambda t: survey(t, "2023,甲县,一镇,镇,1000,2,3,30\n"),
        surveys.load,
        SurveyValidationError,
        "staff_fulltime must not exceed staff_total",
        2,
        "staff_fulltime",
    ),
    (
        "survey-duplicate",
        lambda t: survey(t, GOOD + GOOD),
        surveys.load,
        SurveyValidationError,
        "duplicate year/county/township",
        3,
        "township",
    ),
    (
        "survey-ragged",
        lambda t: survey(t, GOOD + "2023,甲县,二镇,镇,1000,2,1,30,99\n"),
        surveys.load,
        SurveyValidationError,
        "row has 9 fields, header has 8",
        3,
        None,
    ),
    (
        "survey-infinity",
        lambda t: survey(t, "2023,甲县,一镇,镇,inf,2,1,30\n"),
        surveys.load,
        SurveyValidationError,
        "must be a number",
        2,
        "population",
    ),
    (
        "survey-bad-type",
        lambda t: survey(t, "2023,甲县,一镇,村,1000,2,1,30\n"),
        surveys.load,
        SurveyValidationError,
        "must be one of 镇/乡/街道",
        2,
        "township_type",
    ),
    (
        "survey-missing-column",
        lambda t: csv(t, "year,township\n2023,一镇\n"),
        surveys.load,
        SurveyValidationError,
        "required column missing (county",
        None,
        None,
    ),
    # parameter files
    (
        "params-yaml-bomb",
        lambda t: params_file(t, BOMB),
        run_plan,
        PlanError,
        "anchors/aliases are not allowed",
        None,
        None,
    ),
    (
        "params-unknown-key",
        lambda t: params_file(t, "year: 2024\nscope: all\ncolour: red\n"),
        run_plan,
        PlanError,
        "key 'colour': unknown parameter",
        None,
        None,
    ),
    (
        "params-not-mapping",
        lambda t: params_file(t, "- year\n- scope\n"),
        run_plan,
        PlanError,
        "must be a mapping",
        None,
        None,
    ),
    (
        "params-invalid-yaml",
        lambda t: params_file(t, "year: [2024\n"),
        run_plan,
        PlanError,
        "not valid YAML",
        None,
        None,
    ),
    (
        "params-python-tag",
        lambda t: params_file(t, "year: !!python/object/apply:os.getcwd []\n"),
        run_plan,
        PlanError,
        "not valid YAML",
        None,
        None,
    ),
    (
        "params-wrong-type",
        lambda t: params_file(t, "year: 2024\nscope: all\nk_min: three\n"),
        run_plan,
        PlanError,
        "key 'k_min': expected int",
        None,
        None,
    ),
    (
        "params-huge",
        lambda t: params_file(t, "year: 2024\n" + "#" * 1_100_000),
        run_plan,
        PlanError,
        "larger than",
        None,
        None,
    ),
    # norm files
    (
        "norm-overlap",
        lambda t: norm_file(
            t,
            {**NORM, "tiers": [{"below": 30000, "min_staff": 2}, {"from": 20000, "min_staff": 3}]},
        ),
        norms.load,
        NormError,
        "tiers[1] and tiers[2]: overlap",
        None,
        None,
    ),
    (
        "norm-unknown-key",
        lambda t: norm_file(t, {**NORM, "tiers": [{"min_staff": 1}], "province": "福建"}),
        norms.load,
        NormError,
        "unknown key(s) ['province']",
        None,
        None,
    ),
    (
        "norm-negative",
        lambda t: norm_file(
            t,
            {
                **NORM,
                "tiers": [{"from": -1, "below": 5, "min_staff": 1}, {"from": 5, "min_staff": 2}],
            },
        ),
        norms.load,
        NormError,
        "from must not be negative",
        None,
        None,
    ),
    (
        "norm-gap",
        lambda t: norm_file(
            t, {**NORM, "tiers": [{"below": 10, "min_staff": 1}, {"from": 20, "min_staff": 2}]}
        ),
        norms.load,
        NormError,
        "gap",
        None,
        None,
    ),
    (
        "norm-yaml-bomb",
        lambda t: norm_file(t, "name: &n x\nsource: *n\nbasis: population\nrate: {per: 1}\n"),
        norms.load,
        NormError,
        "anchors/aliases are not allowed",
        None,
        None,
    ),
    # report texts
    (
        "text-empty",
        lambda t: csv(t, b"", name="r.txt"),
        read_document,
        InputFileError,
        "file is empty",
        None,
        None,
    ),
    (
        "text-binary",
        lambda t: csv(t, bytes(range(256)) * 4, name="r.txt"),
        read_document,
        InputFileError,
        "binary",
        None,
        None,
    ),
    (
        "text-undecodable",
        lambda t: csv(t, b"\x81\x20\xff\xfe\x80\x80" * 20, name="r.txt"),
        read_document,
        InputFileError,
        "cannot decode",
        None,
        None,
    ),
    (
        "text-oversized",
        lambda t: csv(t, b"a" * (17 * 1024 * 1024), name="r.txt"),
        read_document,
        InputFileError,
        "limit",
        None,
        None,
    ),
    (
        "text-unsupported",
        lambda t: csv(t, b"%PDF-1.4", name="r.pdf"),
        read_document,
        InputFileError,
        "unsupported file type",
        None,
        None,
    ),
    (
        "text-corrupt-docx",
        lambda t: csv(t, b"PK\x03\x04 not really a zip", name="r.docx"),
        read_document,
        InputFileError,
        "not a readable .docx",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("build", "action", "error", "fragment", "row", "column"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input(tmp_path, build, action, error, fragment, row, column):
    path = build(tmp_path)
    with pytest.raises(error) as info:
        action(path)
    exc = info.value
    assert type(exc) is error
    assert fragment in str(exc), str(exc)
    assert str(path) in str(exc), "the message must name the file"
    if row is not None or column is not None:
        hits = [p for p in exc.problems if fragment in p.rule]
        assert hits, exc.problems
        assert any(p.row == row and (column is None or p.column == column) for p in hits), hits
        assert all(p.file == str(path) for p in exc.problems)


def test_every_kind_of_bad_input_fails_with_its_own_error(tmp_path):
    # Run the whole matrix and record what the code under test raised for each case.
    raised = {}
    for case_id, build, action, *_ in CASES:
        folder = tmp_path / case_id
        folder.mkdir()
        try:
            action(build(folder))
        except Exception as exc:  # any outcome is recorded, checked below
            raised[case_id] = type(exc)
        else:
            raised[case_id] = None
    assert [c for c, cls in raised.items() if cls is None] == []  # no bad input is accepted
    assert len(raised) >= 25
    by_kind = {}
    for case_id, cls in raised.items():
        by_kind.setdefault(case_id.split("-")[0], set()).add(cls)
    # Unreadable files are InputFileError, bad rows SurveyValidationError, bad parameter sets
    # PlanError, bad norms NormError; nothing surfaces as a bare ValueError or KeyError.
    assert by_kind == {
        "survey": {InputFileError, SurveyValidationError},
        "params": {PlanError},
        "norm": {NormError},
        "text": {InputFileError},
    }


def test_100k_rows_pass_and_are_fast(tmp_path):
    lines = SAMPLE_SURVEY.read_text(encoding="utf-8-sig").splitlines()
    header, body = lines[0], lines[1:]
    county = header.split(",").index("township")
    rows = []
    for i in range(463):  # 463 x 216 = 100,008 rows
        for line in body:
            cells = line.split(",")
            cells[county] = f"{cells[county]}{i}"
            rows.append(",".join(cells))
    path = tmp_path / "big.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    start = time.perf_counter()
    df = surveys.load(path)
    seconds = time.perf_counter() - start
    assert len(df) == 100_008
    assert seconds < 30, f"100k rows took {seconds:.1f} s"


def test_zip_bomb_like_docx_is_refused_cleanly(tmp_path):
    path = tmp_path / "r.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    with pytest.raises(InputFileError, match="not a readable .docx") as info:
        read_document(path)
    assert str(path) in str(info.value)
