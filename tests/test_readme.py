"""The README's quick start and folder tree match the repository."""

import re
import subprocess

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_quick_start_is_exactly_two_commands():
    blocks = re.findall(r"```bash\n(.*?)```", section("Quick start"), re.S)
    assert len(blocks) == 1
    commands = [line.strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["make reports", "make test"]


def test_quick_start_commands_exist_in_makefile_and_ci():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("reports", "test", "lab", "help"):
        assert re.search(rf"^{target}:.*## ", makefile, re.M), target
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert [ln for ln in ci.splitlines() if ln and not ln.startswith("#")][-1] == "make test"


def tree_entries() -> list[str]:
    block = re.search(r"```\n(.*?)```", section("What each folder holds"), re.S).group(1)
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def test_folder_tree_matches_repository():
    listed = tree_entries()
    for entry in listed:
        assert (ROOT / entry.rstrip("/")).exists(), f"README lists {entry}, which does not exist"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert "README.md" in tracked and "pyproject.toml" in tracked, tracked[:20]
    top = {p.split("/")[0] + ("/" if "/" in p else "") for p in tracked}
    top = {t for t in top if not t.startswith(".") and t != "README.md"}
    listed_top = {e.split("/")[0] + ("/" if "/" in e else "") for e in listed}
    assert top <= listed_top, f"tracked but not in the README tree: {sorted(top - listed_top)}"
