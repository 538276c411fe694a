"""pyproject.toml and environment.yml name the same dependencies with the same bounds."""

import re
import tomllib

import yaml
from conftest import ROOT

REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def parse(spec: str) -> tuple[str, str]:
    name, bound = REQ.match(spec).groups()
    return name.lower().replace("_", "-"), bound.replace(" ", "")


def pyproject_deps() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = meta["dependencies"] + meta["optional-dependencies"]["dev"]
    return dict(parse(s) for s in specs)


def environment_deps() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps: dict[str, str] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for spec in item["pip"]:
                if not spec.startswith("-e"):
                    deps.update([parse(spec)])
        else:
            deps.update([parse(item)])
    return deps


def test_environment_has_python_quarto_and_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in conda
    assert any(d.startswith("quarto") for d in conda)
    assert "-e .[dev]" in pip


def test_same_dependencies_and_bounds():
    py = pyproject_deps()
    env = {k: v for k, v in environment_deps().items() if k not in {"python", "pip", "quarto"}}
    assert sorted(set(py) - set(env)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(env) - set(py)) == [], "in environment.yml but not pyproject.toml"
    assert {k: env[k] for k in py} == py


def test_product_owner_packages_are_declared():
    py = pyproject_deps()
    for name in (
        "jupyterlab",
        "pandas",
        "statsmodels",
        "matplotlib",
        "seaborn",
        "papermill",
        "pytest",
        "nbval",
    ):
        assert name in py
        assert py[name].startswith(">="), f"{name} needs a lower bound"
