"""Synthetic sample: reproducible byte for byte, labelled, and calibrated."""

import subprocess

import pytest
from conftest import ROOT, SAMPLE_ROSTER, SAMPLE_SURVEY, workbench_exe

from analysis import sample, surveys


def test_documented_command_reproduces_committed_files(tmp_path):
    # The README and data/raw/README.md document: workbench sample --seed 20241
    subprocess.run(
        [workbench_exe(), "sample", "--seed", "20241", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for committed in (SAMPLE_SURVEY, SAMPLE_ROSTER):
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), committed.name


def test_scaled_sample_from_the_cli_is_deterministic(tmp_path):
    for folder in ("a", "b"):
        subprocess.run(
            [workbench_exe(), "sample", "--counties", "12", "--townships", "15", "--seed", "5",
             "--out", str(tmp_path / folder)],
            check=True, capture_output=True,
        )  # fmt: skip
    for name in (SAMPLE_SURVEY.name, SAMPLE_ROSTER.name):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    df = surveys.load(tmp_path / "a" / SAMPLE_SURVEY.name)
    assert list(dict.fromkeys(df["county"])) == [
        "甲县", "乙县", "丙县", "丁县", "戊县", "己县", "庚县", "辛县", "壬县", "癸县",
        "甲子县", "甲丑县",
    ]  # fmt: skip
    per_county = df[df["year"] == 2024].groupby("county")["township"]
    assert (per_county.nunique() == 15).all() and (per_county.size() == 15).all()  # distinct


def test_other_seed_differs(tmp_path):
    sample.write_sample(tmp_path, seed=7)
    assert (tmp_path / SAMPLE_SURVEY.name).read_bytes() != SAMPLE_SURVEY.read_bytes()


def test_labelled_synthetic_everywhere():
    assert "synthetic" in SAMPLE_SURVEY.name and "synthetic" in SAMPLE_ROSTER.name
    df = surveys.load(SAMPLE_SURVEY)
    roster = surveys.load_roster(SAMPLE_ROSTER)
    assert df["synthetic"].all() and roster["synthetic"].all()
    assert surveys.summary(df)["synthetic"] is True
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and "示例数据（合成）" in readme


@pytest.fixture(scope="module", params=["committed", "30 counties"])
def data(request, tmp_path_factory):
    """The committed sample, and a province-sized one drawn from the same distributions."""
    if request.param == "committed":
        return surveys.load(SAMPLE_SURVEY), surveys.load_roster(SAMPLE_ROSTER)
    folder = tmp_path_factory.mktemp("province")
    survey, roster = sample.write_sample(folder, 20241, sample.scaled_counties(30, 14))
    return surveys.load(survey), surveys.load_roster(roster)


def test_shape(data):
    df, _ = data
    per_county = df.groupby("county")["township"].nunique()
    assert len(per_county) >= 3 and (per_county >= 10).all()
    assert sorted(df["year"].unique()) == list(range(2019, 2025))
    # every township reports every year
    assert len(df) == per_county.sum() * 6


def test_calibration(data):
    df, _ = data
    assert df["staff_total"].between(1, 6).all()
    parttime_share = df["staff_parttime"].sum() / df["staff_total"].sum()
    assert 0.3 <= parttime_share <= 0.6
    funds = df.groupby("year")[["fund_upper", "fund_local", "fund_social"]].sum()
    shares = funds.div(funds.sum(axis=1), axis=0)
    assert shares["fund_upper"].between(0.87, 0.93).all()
    assert shares["fund_local"].between(0.05, 0.09).all()
    assert shares["fund_social"].between(0.02, 0.045).all()
    # slow trend: upper share falls, social share rises, by less than 3 points over the period
    assert 0 < shares["fund_upper"].iloc[0] - shares["fund_upper"].iloc[-1] < 0.03
    assert 0 < shares["fund_social"].iloc[-1] - shares["fund_social"].iloc[0] < 0.03
    turnover = df.groupby("year")["staff_left"].sum() / df.groupby("year")["staff_total"].sum()
    assert turnover.between(0.05, 0.3).all()
    assert (df["dibao_persons"] >= df["dibao_households"]).all()
    assert (df["matching_received"] <= df["matching_required"]).all()


def test_roster_agrees_with_returns(data):
    df, roster = data
    at_end = roster[~roster["left_this_year"]]
    keys = ["year", "county", "township"]
    counts = at_end.groupby(keys).agg(total=("staff_id", "size"), fulltime=("fulltime", "sum"))
    left = roster[roster["left_this_year"]].groupby(keys).size()
    trained = roster.groupby(keys)["trained_this_year"].sum()
    merged = df.set_index(keys).sort_index()
    counts, trained = counts.sort_index(), trained.sort_index()
    assert (counts["total"] == merged["staff_total"]).all()
    assert (counts["fulltime"] == merged["staff_fulltime"]).all()
    assert (left.reindex(merged.index, fill_value=0) == merged["staff_left"]).all()
    assert (trained == merged["staff_trained"]).all()
    assert "name" not in roster.columns and roster["staff_id"].str.fullmatch(r"S\d{5}").all()
