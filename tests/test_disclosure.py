"""Disclosure control blanks cells resting on fewer than k units and says so."""

import math

import pandas as pd
import pytest

from analysis import disclosure


def table():
    return pd.DataFrame(
        {
            "township": ["A", "B", "C", "D"],
            "workers": [10, 2, 4, 6],
            "trained": [5, 1, 0, 2],
            "share": [0.5, 0.5, 0.0, 1 / 3],
        }
    )


def test_small_rows_are_blanked_everywhere_by_default():
    out = disclosure.suppress(table(), ["workers"], k=3)
    assert out.loc[1, ["workers", "trained", "share"]].isna().all()  # B rests on 2 workers
    assert out.loc[0, "workers"] == 10 and out.loc[2, "workers"] == 4
    assert out.loc[1, "township"] == "B"  # labels stay
    assert out.attrs["suppressed"] == [(1, "workers"), (1, "trained"), (1, "share")]
    assert "少于3人" in out.attrs["note"]


def test_zero_is_kept_and_dependent_narrows():
    out = disclosure.suppress(table(), ["trained"], k=3, dependent={"trained": ["share"]})
    # B trained 1 and D trained 2 are blanked with their share; C's 0 is kept; workers untouched
    assert out["trained"].isna().tolist() == [False, True, False, True]
    assert out["share"].isna().tolist() == [False, True, False, True]
    assert out["workers"].tolist() == [10, 2, 4, 6]
    assert out.loc[2, "trained"] == 0


def test_nothing_to_blank_means_no_note():
    out = disclosure.suppress(table(), ["workers"], k=2)
    assert out.attrs["suppressed"] == [] and out.attrs["note"] == ""
    assert not math.isnan(out.loc[1, "share"])


def test_unknown_column():
    with pytest.raises(KeyError, match="nope"):
        disclosure.suppress(table(), ["nope"])


def test_key_columns_are_never_blanked_nor_made_float():
    flows = pd.DataFrame({"year": [2019, 2020, 2021], "leavers": [4, 1, 5], "joiners": [3, 2, 6]})
    out = disclosure.suppress(flows, ["leavers"], k=3)  # keys default to ("year",)
    assert out["year"].tolist() == [2019, 2020, 2021] and out["year"].dtype == flows["year"].dtype
    assert out.loc[1, ["leavers", "joiners"]].isna().all()  # 2020 rests on 1 leaver
    assert out.attrs["suppressed"] == [(1, "leavers"), (1, "joiners")]
    named = disclosure.suppress(flows, ["leavers"], k=3, keys=("year", "joiners"))
    assert named.loc[1, "joiners"] == 2  # a key is kept even when dependent names it
    assert named.attrs["suppressed"] == [(1, "leavers")]
