"""Staffing against norms: FTE, caseload, required staff and gap worked out by hand."""

import pytest
from conftest import SAMPLE_SURVEY
from frames import six_townships

from analysis import norms, staffing, surveys


@pytest.fixture
def fujian():
    return norms.resolve("fujian_2018")


def test_fte_and_caseload(fujian):
    out = staffing.assess(six_townships(), fujian)
    # fte = fulltime + 0.5 * (total - fulltime)
    assert out["fte"].tolist() == [1.0, 2.0, 1.0, 3.5, 2.0, 0.5]
    # caseload = dibao_h + tekun + 0.5 * temp + 0.5 * youfu
    assert out["caseload"].tolist() == [170.0, 210.0, 105.0, 320.0, 117.0, 77.0]
    assert out["caseload_per_fte"].tolist() == pytest.approx([170, 105, 105, 320 / 3.5, 58.5, 154])


def test_required_and_gap_fujian(fujian):
    out = staffing.assess(six_townships(), fujian)
    assert out["required_staff"].tolist() == [1, 2, 2, 2, 3, 2]
    # gap = max(required - fte, 0): 0, 0, 1, 0 (2 - 3.5 < 0), 1, 1.5
    assert out["gap"].tolist() == [0.0, 0.0, 1.0, 0.0, 1.0, 1.5]
    assert out["short"].tolist() == [False, False, True, False, True, True]


def test_required_and_gap_seed_norm():
    out = staffing.assess(six_townships(), norms.resolve("seed_sanhe_2009"))
    assert out["required_staff"].tolist() == [2, 2, 2, 3, 3, 3]
    assert out["required_max"].tolist() == [3, 3, 3, 4, 4, 4]
    assert out["gap"].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0, 2.5]


def test_parttime_weight_changes_gap(fujian):
    out = staffing.assess(six_townships(), fujian, parttime_weight=1.0)
    # every worker counts 1: fte = staff_total = 1, 3, 2, 4, 2, 1
    assert out["fte"].tolist() == [1.0, 3.0, 2.0, 4.0, 2.0, 1.0]
    assert out["gap"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]


def test_county_aggregates(fujian):
    agg = staffing.aggregate(staffing.assess(six_townships(), fujian), by=["county"])
    jia = agg.set_index("county").loc["甲县"]
    # 甲县: staff 1+3+2 = 6, fulltime 2, fte 1+2+1 = 4, caseload 170+210+105 = 485
    assert (jia["townships"], jia["staff_total"], jia["fte"]) == (3, 6, 4.0)
    assert jia["caseload_per_fte"] == pytest.approx(485 / 4)
    assert jia["parttime_share"] == pytest.approx(4 / 6)
    assert (jia["required_staff"], jia["gap"], jia["townships_short"]) == (5, 1.0, 1)
    yi = agg.set_index("county").loc["乙县"]
    assert (yi["gap"], yi["townships_short"]) == (2.5, 2)


@pytest.fixture(scope="module")
def sample():
    return surveys.select(surveys.load(SAMPLE_SURVEY), 2024)


def test_count_model_on_sample(sample):
    model = staffing.fit_staff_model(sample)
    assert model.family in {"Poisson", "NegativeBinomial"}
    assert (model.family == "Poisson") == (model.dispersion <= staffing.OVERDISPERSION_LIMIT)
    table = model.table.set_index("term")
    assert {"np.log(population)", "np.log1p(caseload)"} <= set(table.index)
    assert (table["ci_low"] <= table["rate_ratio"]).all() and (
        table["rate_ratio"] <= table["ci_high"]
    ).all()
    # more people, more staff: the generator adds staff with population
    assert table.loc["np.log(population)", "rate_ratio"] > 1


def test_flag_rule(sample):
    model = staffing.fit_staff_model(sample)
    flagged = staffing.flag_below_peers(sample, model, threshold=0.6)
    ratio = flagged["staff_total"] / flagged["predicted_staff"]
    assert (flagged["below_peers"] == (ratio < 0.6)).all()
    none = staffing.flag_below_peers(sample, model, threshold=1e-9)
    assert not none["below_peers"].any()
    with pytest.raises(ValueError, match="threshold"):
        staffing.flag_below_peers(sample, model, threshold=0)


def test_model_needs_rows(sample):
    with pytest.raises(ValueError, match="at least 10 complete rows"):
        staffing.fit_staff_model(sample.head(5))
