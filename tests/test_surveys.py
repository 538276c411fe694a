"""Survey loader: encodings, headers, numbers, validation rules and derived columns."""

import math

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import dictionary, surveys
from analysis.errors import InputFileError, SelectionError, SurveyValidationError

HEADER_EN = "year,county,township,township_type,population,staff_total,staff_fulltime"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- derived columns


def test_derived_columns_hand_worked(tmp_path):
    # Three townships; every expected value below is worked out by hand.
    csv = (
        "year,county,township,staff_total,staff_fulltime,dibao_households,dibao_persons,"
        "tekun_persons,temp_assistance_cases,youfu_persons\n"
        "2023,甲县,一镇,3,1,100,180,20,40,60\n"  # parttime 2; fte 1+0.5*2=2; assist 120
        "2023,甲县,二乡,1,1,50,90,10,0,0\n"  # parttime 0; fte 1; assist 60
        "2023,甲县,三街道,4,0,10,10,0,8,2\n"  # parttime 4; fte 2; assist 10
    )
    df = surveys.load(write(tmp_path / "s.csv", csv))
    assert df["staff_parttime"].tolist() == [2, 0, 4]
    assert df["fte"].tolist() == [2.0, 1.0, 2.0]
    assert df["assistance_households"].tolist() == [120, 60, 10]
    # caseload = 1*dibao_h + 1*tekun + 0.5*temp + 0.5*youfu
    # 一镇: 100 + 20 + 20 + 30 = 170; 二乡: 50 + 10 = 60; 三街道: 10 + 0 + 4 + 1 = 15
    assert df["caseload"].tolist() == [170.0, 60.0, 15.0]
    assert df["caseload_per_fte"].tolist() == [85.0, 60.0, 7.5]


def test_derive_custom_weights_and_parttime_weight():
    df = pd.DataFrame(
        {
            "staff_total": [5],
            "staff_fulltime": [2],
            "dibao_households": [40],
            "tekun_persons": [6],
            "temp_assistance_cases": [10],
            "youfu_persons": [4],
        }
    )
    out = surveys.derive(df, parttime_weight=0.25, caseload_weights={"dibao_households": 2.0})
    assert out["fte"].iloc[0] == 2 + 0.25 * 3  # 2.75
    assert out["caseload"].iloc[0] == 80.0
    assert out["caseload_per_fte"].iloc[0] == pytest.approx(80 / 2.75)


def test_derived_missing_input_gives_missing_and_zero_fte_gives_missing(tmp_path):
    csv = (
        "year,county,township,staff_total,staff_fulltime,dibao_households,tekun_persons,"
        "temp_assistance_cases,youfu_persons\n"
        "2023,甲县,一镇,0,0,5,1,0,0\n"
        "2023,甲县,二镇,2,,5,1,0,0\n"
    )
    df = surveys.load(write(tmp_path / "s.csv", csv))
    assert math.isnan(df["caseload_per_fte"].iloc[0])  # fte 0: no ratio
    assert pd.isna(df["staff_parttime"].iloc[1]) and math.isnan(df["fte"].iloc[1])


def test_derive_rejects_bad_parttime_weight():
    with pytest.raises(ValueError, match="parttime_weight"):
        surveys.derive(pd.DataFrame({"staff_total": [1]}), parttime_weight=1.5)


# ---------------------------------------------------------------- encodings and headers

ZH_TEXT = (
    "年度,县(市、区),乡镇(街道),类型,户籍人口,民政工作人员数,专职人数\n"
    '2023,甲县,东岭镇,镇,"12,345",3,1\n'
    "2023,甲县,南河乡,乡,８０００,１,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_and_chinese_headers(tmp_path, encoding):
    df = surveys.load(write(tmp_path / "s.csv", ZH_TEXT, encoding))
    assert df["township"].tolist() == ["东岭镇", "南河乡"]
    assert df["population"].tolist() == [12345, 8000]  # thousands separator, full-width digits
    assert df["staff_total"].tolist() == [3, 1]
    assert pd.isna(df["staff_fulltime"].iloc[1])  # blank means missing


def test_gb18030_only_character(tmp_path):
    # 䶮 is outside GBK; Excel on Chinese Windows writes it as GB18030.
    text = HEADER_EN + "\n2023,甲县,䶮山镇,镇,1000,1,1\n"
    df = surveys.load(write(tmp_path / "s.csv", text, "gb18030"))
    assert df["township"].iloc[0] == "䶮山镇"


def test_xlsx_with_labels_and_units(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["年度", "县(市、区)", "乡镇(街道)", "民政工作人员数", "上级补助（万元）"])
    ws.append([2022, "乙县", "西坪镇", 2, 123.45])
    ws.append([2022, "乙县", "北山乡", "３", "1,000.5"])
    wb.save(tmp_path / "s.xlsx")
    df = surveys.load(tmp_path / "s.xlsx")
    assert df["staff_total"].tolist() == [2, 3]
    assert df["fund_upper"].tolist() == [123.45, 1000.5]


def test_unknown_column_warns_and_is_kept(tmp_path):
    text = HEADER_EN + ",备注\n2023,甲县,一镇,镇,1000,1,1,新设\n"
    with pytest.warns(surveys.UnknownColumnWarning, match="备注"):
        df = surveys.load(write(tmp_path / "s.csv", text))
    assert df["备注"].tolist() == ["新设"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        ("年度,乡镇\n".encode() + "2023,东岭镇\n".encode("gbk"), "mixed encodings"),
    ],
)
def test_unreadable_files(tmp_path, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=fragment) as info:
        surveys.load(path)
    assert str(path) in str(info.value)


def test_truncated_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["year"])
    wb.save(tmp_path / "full.xlsx")
    data = (tmp_path / "full.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError, match="damaged or truncated"):
        surveys.load(tmp_path / "cut.xlsx")


# ---------------------------------------------------------------- validation

BROKEN_GBK = (
    "年度,县(市、区),乡镇(街道),类型,户籍人口,民政工作人员数,专职人数,在编人数,低保户数,低保人数,上级补助（万元）,办公面积\n"
    "2023,甲县,东岭镇,镇,２５，０００,3,2,1,120,250,300.5,60\n"  # row 2: fine
    "2023,甲县,南河乡,乡,9000,3,4,1,80,150,100,40\n"  # row 3: fulltime 4 > total 3
    "2023,甲县,西坪镇,镇,15000,2,1,1,60,110,-5,30\n"  # row 4: negative money
    "1899,甲县,北山镇,镇,20000,2,1,1,60,110,80,30\n"  # row 5: implausible year
    "2023,甲县,青石乡,乡,8000,1,1,1,120,100,50,20\n"  # row 6: persons < households
    "2023,甲县,白沙镇,镇,30000,2.5,1,1,90,160,90,25\n"  # row 7: fractional count
    "2023,甲县,柳湾镇,镇,31000,3,1,5,90,160,90,25\n"  # row 8: established 5 > total 3
    "2023,甲县,东岭镇,镇,25000,3,2,1,120,250,300.5,60\n"  # row 9: duplicate of row 2
    "2023,甲县,桃源镇,镇,约2万,2,1,1,50,90,60,20\n"  # row 10: text in a number
    "2023,甲县,龙潭村,村,5000,1,1,1,20,30,20,10\n"  # row 11: unknown type
    "\n"  # row 12: blank, skipped
    "2023,甲县,清水乡,乡,7000,1,1,1,20,30,20,-12\n"  # row 13: negative area
)

EXPECTED = {
    (3, "专职人数", "staff_fulltime must not exceed staff_total"),
    (4, "上级补助（万元）", "amount must be >= 0"),
    (5, "年度", "year must be between 1978"),
    (6, "低保人数", "dibao_persons must be at least dibao_households"),
    (7, "民政工作人员数", "count must be a whole number"),
    (8, "在编人数", "staff_established must not exceed staff_total"),
    (9, "乡镇(街道)", "duplicate year/county/township: same as"),
    (10, "户籍人口", "must be a number"),
    (11, "类型", "must be one of 镇/乡/街道"),
    (13, "办公面积", "value must be >= 0"),
}


def test_broken_gbk_file_lists_every_problem(tmp_path):
    path = write(tmp_path / "broken.csv", BROKEN_GBK, "gbk")
    with pytest.raises(SurveyValidationError) as info:
        surveys.load(path)
    problems = info.value.problems
    found = {(p.row, p.column) for p in problems}
    for row, column, rule in EXPECTED:
        matching = [p for p in problems if p.row == row and p.column == column]
        assert matching, f"no problem reported at row {row}, column {column}; got {found}"
        assert any(rule in p.rule for p in matching), (row, column, [p.rule for p in matching])
        assert all(p.file == str(path) for p in matching)
    assert len(problems) == len(EXPECTED)  # nothing spurious, row 2 is clean
    by_row = {p.row: p for p in problems}
    assert by_row[10].value == "约2万"
    assert by_row[4].value == "-5"
    assert "row 2" in by_row[9].rule


def test_missing_required_column(tmp_path):
    path = write(tmp_path / "s.csv", "year,township\n2023,一镇\n")
    with pytest.raises(SurveyValidationError) as info:
        surveys.load(path)
    rules = [p.rule for p in info.value.problems]
    assert any("required column missing (county" in r for r in rules)
    assert any("required column missing (staff_total" in r for r in rules)


def test_missing_required_value_and_ragged_row(tmp_path):
    text = HEADER_EN + "\n2023,甲县,,镇,1000,1,1\n2023,甲县,二镇,镇,1000,1,1,9\n"
    with pytest.raises(SurveyValidationError) as info:
        surveys.load(write(tmp_path / "s.csv", text))
    got = {(p.row, p.column, p.rule) for p in info.value.problems}
    assert (2, "township", "required value is missing") in got
    assert (3, None, "row has 8 fields, header has 7") in got


def test_duplicate_across_files(tmp_path):
    a = write(tmp_path / "a.csv", HEADER_EN + "\n2023,甲县,一镇,镇,1000,1,1\n")
    b = write(
        tmp_path / "b.csv", HEADER_EN + "\n2024,甲县,一镇,镇,1000,1,1\n2023,甲县,一镇,镇,1000,1,1\n"
    )
    with pytest.raises(SurveyValidationError) as info:
        surveys.load([a, b])
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == (str(b), 3, "township")
    assert f"same as {a} row 2" in p.rule


def test_select_errors_name_what_exists(tmp_path):
    df = surveys.load(write(tmp_path / "s.csv", HEADER_EN + "\n2023,甲县,一镇,镇,1000,1,1\n"))
    assert len(surveys.select(df, 2023, "甲县")) == 1
    with pytest.raises(SelectionError, match="scope '丁县'.*甲县"):
        surveys.select(df, 2023, "丁县")
    with pytest.raises(SelectionError, match="year 2019.*2023"):
        surveys.select(df, 2019, "all")


# ---------------------------------------------------------------- number normalisation

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _group(n: int) -> str:
    return f"{n:,}"


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", " ", "\u3000", "\t"]),
)
def test_parse_number_round_trip(whole, cents, use_sep, use_decimal, fullwidth, pad):
    text = _group(whole) if use_sep else str(whole)
    expected = float(whole)
    if use_decimal:
        text += f".{cents:02d}"
        expected = float(f"{whole}.{cents:02d}")
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert surveys.parse_number(pad + text + pad) == expected


@given(st.text(max_size=20))
def test_parse_number_never_crashes(text):
    try:
        value = surveys.parse_number(text)
    except ValueError:
        return
    assert value is None or isinstance(value, float)


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "NA", "n/a"])
def test_blank_and_missing_markers(text):
    assert surveys.parse_number(text) is None


@pytest.mark.parametrize("text", ["12人", "1,23", "1.2.3", "约2万", "abc", "1e5"])
def test_not_numbers(text):
    with pytest.raises(ValueError):
        surveys.parse_number(text)


# ---------------------------------------------------------------- data dictionary


def test_labels_take_dictionary_labels_and_own_headers():
    assert dictionary.labels("year", "population", receipts="资金合计") == {
        "year": "年度",
        "population": "户籍人口",
        "receipts": "资金合计",
    }
    assert dictionary.label("staff_id") == "人员编号"  # roster columns too
    with pytest.raises(KeyError):
        dictionary.labels("caseload")  # derived columns have no dictionary label


def test_a_field_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind 'mony'"):
        dictionary.Field("fund_x", "某资金", "mony")
