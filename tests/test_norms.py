"""Staffing norms as YAML: shipped norms, new norms without code, and schema errors."""

import pandas as pd
import pytest
import yaml
from frames import six_townships

from analysis import norms, staffing
from analysis.errors import NormError


def write(tmp_path, data, name="n.yml"):
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data,
        encoding="utf-8",
    )
    return path


def test_shipped_norms_load():
    shipped = norms.load_all()
    assert set(shipped) >= {"fujian_2018", "seed_sanhe_2009"}
    fj = shipped["fujian_2018"]
    assert fj.source == "闽民保〔2018〕58号" and fj.basis == "population"
    assert fj.describe() == "2万以下不少于1人；2万—5万不少于2人；5万及以上不少于3人"
    assert shipped["seed_sanhe_2009"].describe() == "3万以下2—3人；3万及以上3—4人"


def test_fujian_tiers_and_boundaries():
    # populations 15000, 20000, 29999, 30000, 50000, 49999
    req = norms.resolve("fujian_2018").required(six_townships())
    assert req.tolist() == [1, 2, 2, 2, 3, 2]  # 20000 opens tier 2; 50000 opens tier 3


def test_seed_norm_min_and_max():
    norm = norms.resolve("seed_sanhe_2009")
    df = six_townships()
    assert norm.required(df).tolist() == [2, 2, 2, 3, 3, 3]  # 29999 < 30000 <= 30000
    assert norm.required_max(df).tolist() == [3, 3, 3, 4, 4, 4]


def test_new_caseload_norm_needs_no_code(tmp_path):
    from analysis import surveys

    path = write(
        tmp_path,
        {
            "name": "按救助对象户数配备（示例）",
            "source": "test",
            "basis": "assistance_households",
            "tiers": [
                {"below": 100, "min_staff": 1},
                {"from": 100, "below": 200, "min_staff": 2},
                {"from": 200, "min_staff": 3},
            ],
        },
    )
    df = surveys.derive(six_townships())
    # assistance_households = dibao_households + tekun: 120, 180, 90, 240, 52, 72
    assert df["assistance_households"].tolist() == [120, 180, 90, 240, 52, 72]
    assert norms.load(path).required(df).tolist() == [2, 2, 1, 3, 1, 1]


def test_rate_norm(tmp_path):
    path = write(
        tmp_path,
        {"name": "每万人配备1人", "source": "test", "basis": "population", "rate": {"per": 10000}},
    )
    # ceil(15000/1e4)=2, ceil(2.0)=2, ceil(2.9999)=3, 3, 5, ceil(4.9999)=5
    assert norms.load(path).required(six_townships()).tolist() == [2, 2, 3, 3, 5, 5]
    floor = write(
        tmp_path,
        {"name": "x", "source": "t", "basis": "population", "rate": {"per": 10000, "min_staff": 3}},
        "f.yml",
    )
    assert norms.load(floor).required(six_townships()).tolist() == [3, 3, 3, 3, 5, 5]


BASE = {"name": "x", "source": "t", "basis": "population"}


@pytest.mark.parametrize(
    ("tiers", "where", "fragment"),
    [
        (
            [{"below": 30000, "min_staff": 2}, {"from": 20000, "min_staff": 3}],
            "tiers[1] and tiers[2]",
            "overlap: [0, 30000) and [20000, inf)",
        ),
        (
            [{"below": 20000, "min_staff": 2}, {"from": 30000, "min_staff": 3}],
            "tiers[1] and tiers[2]",
            "gap: nothing covers [20000, 30000)",
        ),
        (
            [{"from": -5, "below": 100, "min_staff": 1}, {"from": 100, "min_staff": 2}],
            "tiers[1]",
            "from must not be negative",
        ),
        (
            [{"below": 100, "min_staff": 1, "maximum": 3}, {"from": 100, "min_staff": 2}],
            "tiers[1]",
            "unknown key(s) ['maximum']",
        ),
        ([{"from": 10, "min_staff": 1}], "tiers[1]", "tiers must start at 0"),
        ([{"below": 100, "min_staff": 1}], "tiers[1]", "reaches infinity"),
        (
            [{"below": 100, "min_staff": 3, "max_staff": 2}, {"from": 100, "min_staff": 3}],
            "tiers[1]",
            "max_staff (2) is below min_staff (3)",
        ),
        (
            [{"below": 100, "min_staff": 1.5}, {"from": 100, "min_staff": 2}],
            "tiers[1]",
            "min_staff must be a whole number",
        ),
    ],
)
def test_bad_tiers_name_file_and_tier(tmp_path, tiers, where, fragment):
    path = write(tmp_path, {**BASE, "tiers": tiers})
    with pytest.raises(NormError) as info:
        norms.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {where}: "), message
    assert fragment in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({**BASE, "tiers": [{"min_staff": 1}], "province": "福建"}, "unknown key(s) ['province']"),
        ({**BASE, "tiers": [{"min_staff": 1}], "rate": {"per": 1}}, "not tiers and rate"),
        (BASE, "not none"),
        ({"source": "t", "basis": "population", "rate": {"per": 1}}, "name is required"),
        ({**BASE, "rate": {"per": 0}}, "per must be greater than 0"),
        ("tiers: [unclosed", "not valid YAML"),
    ],
)
def test_bad_norm_files(tmp_path, data, fragment):
    with pytest.raises(NormError, match=None) as info:
        norms.load(write(tmp_path, data))
    assert fragment in str(info.value)


def test_missing_basis_column():
    norm = norms.resolve("fujian_2018")
    with pytest.raises(NormError, match="column 'population' is not in the data"):
        norm.required(six_townships().drop(columns="population"))


def test_unknown_norm_name_lists_shipped():
    with pytest.raises(NormError, match="fujian_2018"):
        norms.resolve("guangdong_2030")


# ---------------------------------------------------------------- any resource against any basis


def test_office_area_against_a_level_with_no_code_change(tmp_path):
    path = tmp_path / "area.yml"
    path.write_text(
        "name: 办公用房\nsource: test\nresource: office_area_m2\nunit: 平方米\n"
        "basis: township_type\nlevels:\n  镇: {min: 150}\n  乡: {min: 120}\n"
        "  街道: {min: 90, max: 120}\n",
        encoding="utf-8",
    )
    norm = norms.load(path)
    df = pd.DataFrame(
        {
            "township_type": ["镇", "乡", "街道", "农场", "镇"],
            "office_area_m2": [120.0, 160.0, 50.5, 80.0, None],
        }
    )
    got = norms.compare(df, norm)
    # 镇 150 - 120 = 30; 乡 160 >= 120; 街道 90 - 50.5 = 39.5; 农场 has no level; area unknown
    assert got["required"].tolist() == [150, 120, 90, pd.NA, 150]
    assert got["shortfall"].tolist() == [30, 0, 39.5, pd.NA, pd.NA]
    assert got["short"].tolist() == [True, False, True, pd.NA, pd.NA]
    assert got["required_max"].tolist() == [pd.NA, pd.NA, 120, pd.NA, pd.NA]
    assert norm.describe() == "镇不少于150平方米；乡不少于120平方米；街道90—120平方米"


def test_staff_against_caseload_with_three_tiers_with_no_code_change(tmp_path):
    path = tmp_path / "caseload.yml"
    path.write_text(
        "name: 按服务对象配备\nsource: test\nbasis: caseload\ntiers:\n"
        "  - {below: 300, min: 1}\n  - {from: 300, below: 800, min: 2}\n"
        "  - {from: 800, min: 3, max: 4}\n",
        encoding="utf-8",
    )
    norm = norms.load(path)
    df = pd.DataFrame({"caseload": [120.0, 300.0, 799.5, 1000.0], "fte": [1.0, 1.5, 2.5, 2.0]})
    got = norms.compare(df, norm)
    # tiers: 120 -> 1; 300 opens tier 2 -> 2; 799.5 -> 2; 1000 -> 3 (to 4)
    assert got["required"].tolist() == [1, 2, 2, 3]
    assert got["shortfall"].tolist() == [0, 0.5, 0, 1]
    assert norm.describe() == "300以下不少于1人；300—800不少于2人；800及以上3—4人"


def test_shipped_area_norms_and_their_sources():
    shipped = norms.load_all()
    office = shipped["seed_sanhe_office_2009"]
    assert (office.resource, office.unit, office.basis) == (
        "office_area_m2",
        "平方米",
        "township_type",
    )
    assert "三河回族乡" in office.source
    assert office.describe() == "镇不少于150平方米；乡不少于150平方米；街道不少于150平方米"
    assert shipped["seed_station_office"].describe().startswith("镇不少于50平方米")
    community = shipped["seed_community_office"]  # seed 004: 居委会 offices of 90 m² or more
    assert (community.resource, community.describe()) == ("office_area_m2", "社区不少于90平方米")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("levels:\n  镇: {min: -1}\n", "levels\\[镇\\].*must not be negative"),
        ("levels:\n  镇: {max: 3}\n", "levels\\[镇\\].*min \\(or min_staff\\) is required"),
        ("levels:\n  镇: {min: 2, colour: red}\n", "levels\\[镇\\].*unknown key"),
        ("levels:\n  镇: {min: 2.5}\n", "levels\\[镇\\].*whole number"),  # staff: whole
        ("levels: []\n", "levels must map"),
        ("rate: {per: 100}\nresource: office_area_m2\n", "a rate norm sets staff"),
    ],
)
def test_bad_level_norms_name_the_level(tmp_path, text, message):
    path = tmp_path / "bad.yml"
    path.write_text(f"name: x\nsource: y\nbasis: township_type\n{text}", encoding="utf-8")
    with pytest.raises(NormError, match=message):
        norms.load(path)


def test_a_norm_for_another_resource_is_refused_by_the_staffing_assessment():
    norm = norms.resolve("seed_sanhe_office_2009")
    with pytest.raises(NormError, match="sets office_area_m2"):
        staffing.assess(pd.DataFrame({"township_type": ["镇"]}), norm)
