"""Staffing norms as YAML: shipped norms, new norms without code, and schema errors."""

import pytest
import yaml
from frames import six_townships

from analysis import norms
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
        ({**BASE, "tiers": [{"min_staff": 1}], "rate": {"per": 1}}, "not both"),
        (BASE, "not neither"),
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
