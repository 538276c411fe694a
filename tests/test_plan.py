"""Planning: parameter sets are checked against the notebooks' parameters cells."""

import pytest
import yaml
from conftest import ROOT, SAMPLE_SURVEY

from analysis.errors import PlanError
from analysis.pipeline import plan

DEFAULTS = ROOT / "params" / "defaults.yml"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True) if isinstance(data, dict) else data,
        encoding="utf-8",
    )
    return path


def run(paths, **kw):
    return plan.plan(paths, ROOT / "notebooks", DEFAULTS, ROOT, **kw)


def test_sample_params_give_one_report_per_county_and_all():
    reports = run(plan.discover_params(ROOT / "params"))
    assert sorted((r.year, r.scope) for r in reports) == [
        (2024, "all"),
        (2024, "丙县"),
        (2024, "乙县"),
        (2024, "甲县"),
    ]
    assert all(r.error is None for r in reports)
    r = next(r for r in reports if r.scope == "丙县")
    assert r.title == "丙县2024年基层民政服务能力年度报告"
    assert [j.notebook.stem for j in r.jobs][:3] == ["02_staffing", "03_funds", "04_training"]
    staffing = r.jobs[0].parameters
    assert staffing["scope"] == "丙县" and "output_dir" not in staffing
    assert staffing["survey_path"] == str(ROOT / "data/raw/surveys/sample_townships_synthetic.csv")
    assert "horizon" not in staffing  # only what the notebook declares


def test_unknown_key_names_file_and_key(tmp_path):
    path = write(tmp_path, "r.yml", {"year": 2024, "scope": "丙县", "colour": "red"})
    (report,) = run([path])
    assert isinstance(report.error, PlanError) and report.jobs == []
    assert str(report.error) == f"{path}: key 'colour': unknown parameter: no notebook declares it"


def test_missing_key_names_file_and_key(tmp_path):
    defaults = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    del defaults["horizon"]
    short = write(tmp_path, "defaults.yml", defaults)
    path = write(tmp_path, "r.yml", {"year": 2024, "scope": "丙县"})
    (report,) = plan.plan([path], ROOT / "notebooks", short, ROOT)
    assert "key 'horizon': missing" in str(report.error) and str(path) in str(report.error)


def test_wrong_type(tmp_path):
    path = write(tmp_path, "r.yml", {"year": "2024", "scope": "丙县"})
    (report,) = run([path])
    assert "key 'year': expected int, got str '2024'" in str(report.error)


def test_duplicate_report(tmp_path):
    a = write(tmp_path, "a.yml", {"year": 2024, "scope": "丙县"})
    b = write(tmp_path, "b.yml", {"year": 2024, "scope": "丙县"})
    reports = run([a, b])
    assert reports[0].error is None and "same year and scope" in str(reports[1].error)


def test_filters():
    reports = run(plan.discover_params(ROOT / "params"), scope="甲县")
    assert [r.scope for r in reports] == ["甲县"]
    assert run(plan.discover_params(ROOT / "params"), year=2023) == []


def test_yaml_is_safe_and_bounded(tmp_path):
    evil = write(tmp_path, "evil.yml", "year: !!python/object/apply:os.system ['touch pwned']\n")
    (report,) = run([evil])
    assert "not valid YAML" in str(report.error)
    assert not (tmp_path / "pwned").exists()
    bomb = write(
        tmp_path, "bomb.yml", 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\nyear: 2024\nscope: all\n'
    )
    (report,) = run([bomb])
    assert "anchors/aliases are not allowed" in str(report.error)
    with pytest.raises(PlanError, match="parameter file not found"):
        plan.load_yaml(tmp_path / "nope.yml")


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("peer_threshold", 7, "7 is outside (0, 1]"),
        ("peer_threshold", 0, "0 is outside (0, 1]"),
        ("tenure_threshold", -1, "-1 is outside [0, ∞)"),
        ("parttime_weight", 1.5, "1.5 is outside [0, 1]"),
        ("k_min", 0, "0 is outside [1, ∞)"),
        ("need_high", -0.1, "-0.1 is outside [0, 1]"),
        (
            "caseload_weights",
            {"dibao_households": -1.0, "tekun_persons": 1.0},
            "weight of 'dibao_households' must be a number >= 0, got -1.0",
        ),
        ("need_weights", {"parttime": 0, "untrained": 0}, "at least one weight must be above 0"),
        (
            "modules",
            {"年度政策更新": {"days": 0, "target": "all"}},
            "module '年度政策更新': days must be a number above 0, got 0",
        ),
        ("new_posts", -1, "-1 is outside [0, ∞)"),
        ("budget", -5.0, "-5.0 is outside [0, ∞)"),
        ("class_size", 0, "0 is outside [1, ∞)"),
        ("allocation_rule", "random", "'random' is not a rule; use one of caseload, gap"),
        ("post_costs", {"编制内": 0}, "cost of '编制内' must be a number above 0, got 0"),
        ("post_mix", {"编制内": 0.5, "购买服务": 0.4}, "shares must sum to 1, they sum to 0.9"),
        (
            "post_mix",
            {"编制内": 0.5, "临聘": 0.5},
            "no cost per post for 临聘 in post_costs (kinds with a cost: 编制内, 购买服务)",
        ),
        (
            "sensitivity_weights",
            {"试算": {"dibao_households": -1}},
            "'试算': weight of 'dibao_households' must be a number >= 0, got -1",
        ),
        ("area_norms", ["seed_station_office", 3], "expected norm names or paths, got [3]"),
    ],
)
def test_out_of_range_values_fail_at_plan_time(tmp_path, key, value, reason):
    from analysis.errors import ParameterError

    path = write(tmp_path, "r.yml", {"year": 2024, "scope": "丙县", key: value})
    (report,) = run([path])
    assert isinstance(report.error, ParameterError) and report.jobs == []
    assert str(report.error) == f"{path}: key {key!r}: {reason}"


def test_values_at_the_edges_of_their_ranges_are_accepted(tmp_path):
    edges = {"peer_threshold": 1, "parttime_weight": 0, "tenure_threshold": 0, "k_min": 1}
    path = write(tmp_path, "r.yml", {"year": 2024, "scope": "丙县", **edges})
    (report,) = run([path])
    assert report.error is None and len(report.jobs) == 6


def test_allocation_rules_known_to_planning_are_the_policy_rules():
    from analysis import policy

    assert set(plan.ALLOCATION_RULES) == set(policy.RULES)


# ---------------------------------------------------------------- report sets declared once


def test_scope_each_is_every_county_with_returns(tmp_path):
    # the sample has returns for 甲县, 乙县 and 丙县 in every year 2019-2024
    path = write(tmp_path, "province.yml", {"year": 2024, "scope": ["each", "all"]})
    reports = run([path])
    assert [(r.year, r.scope) for r in reports] == [
        (2024, "甲县"),
        (2024, "乙县"),
        (2024, "丙县"),
        (2024, "all"),
    ]
    assert all(r.error is None and len(r.jobs) == 6 for r in reports)
    assert [r.title for r in reports][-1] == "全部县2024年基层民政服务能力年度报告"
    assert {j.parameters["scope"] for j in reports[0].jobs} == {"甲县"}  # values are concrete


def test_years_as_a_list_or_latest(tmp_path):
    path = write(tmp_path, "two.yml", {"year": [2023, 2024], "scope": "each"})
    assert [(r.year, r.scope) for r in run([path])] == [
        (2023, "甲县"), (2023, "乙县"), (2023, "丙县"),
        (2024, "甲县"), (2024, "乙县"), (2024, "丙县"),
    ]  # fmt: skip
    latest = write(tmp_path, "latest.yml", {"year": "latest", "scope": "丙县"})
    assert [(r.year, r.scope) for r in run([latest])] == [(2024, "丙县")]


def test_title_of_a_report_set_takes_place_and_year(tmp_path):
    path = write(
        tmp_path,
        "t.yml",
        {"year": [2023, 2024], "scope": "丙县", "title": "{place}民政年报（{year}）"},
    )
    assert [r.title for r in run([path])] == ["丙县民政年报（2023）", "丙县民政年报（2024）"]


def test_scope_or_year_not_in_the_data_fails_at_plan_time(tmp_path):
    path = write(tmp_path, "r.yml", {"year": 2024, "scope": "丁县"})
    (report,) = run([path])
    assert report.jobs == []
    assert str(report.error) == (
        f"{path}: key 'scope': '丁县' has no survey returns in "
        "sample_townships_synthetic.csv for 2024 (counties: 甲县、乙县、丙县)"
    )
    path = write(tmp_path, "y.yml", {"year": 2031, "scope": "丙县"})
    (report,) = run([path])
    assert str(report.error) == (
        f"{path}: key 'year': 2031 has no survey returns in sample_townships_synthetic.csv "
        "(years: 2019、2020、2021、2022、2023、2024)"
    )


def test_dry_run_shows_the_expansion(tmp_path):
    import subprocess

    from conftest import workbench_exe

    path = write(tmp_path, "province.yml", {"year": 2024, "scope": ["each", "all"]})
    res = subprocess.run(
        [workbench_exe(), "build", "--dry-run", "--params", str(path), "--out", str(tmp_path / "r")],
        cwd=ROOT, capture_output=True, text=True, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    for scope in ("甲县", "乙县", "丙县", "all"):
        assert f"2024/{scope} (province.yml)" in res.stdout
    assert "24 job(s) would run" in res.stdout  # 4 reports x 6 notebooks


# ---------------------------------------------------------------- facts remembered between builds


def test_fact_store_recomputes_only_when_bytes_or_code_change(tmp_path):
    from analysis.pipeline.facts import FactStore

    src = tmp_path / "a.txt"
    src.write_text("one", encoding="utf-8")
    store_file = tmp_path / "facts.json"
    calls = []

    def length():
        calls.append(1)
        return len(src.read_text(encoding="utf-8"))

    first = FactStore(store_file, salt="code-1")
    assert first.get("length", [src], length) == 3
    assert first.get("length", [src], length) == 3
    first.save()
    assert len(calls) == 1
    # A new build (a new store reading the file) does not compute it again ...
    assert FactStore(store_file, salt="code-1").get("length", [src], length) == 3
    assert len(calls) == 1
    # ... unless the code that derives it changed, or the file's bytes did.
    assert FactStore(store_file, salt="code-2").get("length", [src], length) == 3
    assert len(calls) == 2
    src.write_text("three", encoding="utf-8")
    assert FactStore(store_file, salt="code-1").get("length", [src], length) == 5
    assert len(calls) == 3
    # A corrupt store is not an error: facts are worked out again.
    store_file.write_text("{not json", encoding="utf-8")
    assert FactStore(store_file, salt="code-1").get("length", [src], length) == 5
    assert len(calls) == 4


def test_plan_sees_a_county_added_to_the_survey_since_the_last_build(tmp_path):
    import shutil

    from analysis.pipeline.facts import FactStore

    survey = tmp_path / "survey.csv"
    shutil.copyfile(SAMPLE_SURVEY, survey)
    path = write(tmp_path, "p.yml", {"year": 2024, "scope": "each", "survey_path": str(survey)})
    store = tmp_path / "facts.json"

    def counties():
        facts = FactStore(store, salt="s")
        reports = run([path], facts=facts)
        facts.save()
        return [r.scope for r in reports]

    assert counties() == ["甲县", "乙县", "丙县"]
    lines = survey.read_text(encoding="utf-8-sig").splitlines()
    row = next(ln for ln in lines[1:] if ",丙县," in ln and ln.startswith("2024"))
    survey.write_text("\n".join([*lines, row.replace(",丙县,", ",丁县,")]) + "\n", encoding="utf-8")
    assert counties() == ["甲县", "乙县", "丙县", "丁县"]


def test_a_build_with_nothing_to_do_imports_no_analysis_stack(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "reports"
    probe = (
        "import sys\n"
        "from analysis import cli\n"
        f"sys.argv = ['workbench', 'build', '--out', {str(out)!r}, '--params', {str(ROOT / 'params/2024_bingxian.yml')!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('pandas', 'numpy', 'matplotlib', 'papermill', 'jupyter_client', 'statsmodels')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1732406400"}
    first = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert "1 published" in first.stdout, first.stdout + first.stderr
    again = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert "1 unchanged" in again.stdout, again.stdout + again.stderr
    assert "LOADED []" in again.stdout, again.stdout


def test_parameters_are_read_as_papermill_reads_them(tmp_path):
    import papermill as pm
    from conftest import write_notebook

    books = sorted((ROOT / "notebooks").glob("*.ipynb"))
    books.append(
        write_notebook(
            tmp_path / "odd.ipynb",
            parameters="a: int = 1  # one\nb = 'two'\nc: Optional[float] = None\nd: dict = {'x': [1, 2]}",
        )
    )
    for book in books:
        reference = {k: v["inferred_type_name"] for k, v in pm.inspect_notebook(str(book)).items()}
        assert plan.notebook_parameters(book) == reference, book.name
    assert plan.notebook_parameters(books[-1]) == {
        "a": "int",
        "b": "None",
        "c": "Optional[float]",
        "d": "dict",
    }
