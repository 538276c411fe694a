"""Paths in parameters: inside the project they are stored root-relative, elsewhere as given."""

from pathlib import Path

from analysis.pipeline import cache


def test_portable_keeps_paths_beside_the_root(tmp_path):
    root = tmp_path / "proj"
    beside = f"{root}-data/x.csv"  # starts with the root's name, is not inside it
    assert cache.portable(beside, root) == beside
    assert cache.portable(str(root / "data/x.csv"), root) == str(Path("data/x.csv"))
    assert cache.portable("data/x.csv", root) == "data/x.csv"  # relative: as given
    assert cache.portable(3, root) == 3
