"""workbench build (execution step): parameters injected, failures reported honestly."""

import subprocess

import nbformat
from conftest import workbench_exe


def make_nb(path, *sources, params=None):
    nb = nbformat.v4.new_notebook()
    if params is not None:
        nb.cells.append(nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def test_build_runs_each_notebook_and_reports_failures(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    make_nb(
        nbs / "a_ok.ipynb",
        "print('value', x * 10)",
        params="x: int = 1  # a number\noutput_dir: str = '.'  # outputs",
    )
    make_nb(nbs / "b_fail.ipynb", "raise ValueError('broken on purpose')", params="x: int = 1")
    (tmp_path / "defaults.yml").write_text("x: 4\nother: ignored\n", encoding="utf-8")
    res = subprocess.run(
        [
            workbench_exe(),
            "build",
            "--notebooks",
            str(nbs),
            "--params",
            str(tmp_path / "defaults.yml"),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 1, res.stdout + res.stderr
    assert "1 succeeded, 1 failed" in res.stdout
    assert "broken on purpose" in res.stdout
    executed = nbformat.read(tmp_path / "out/_executed/a_ok.ipynb", as_version=4)
    outputs = [o.get("text", "") for c in executed["cells"] for o in c.get("outputs", [])]
    assert "value 40\n" in "".join(outputs)  # 4 from the YAML, times 10
    injected = [
        c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])
    ]
    assert "output_dir" in "".join(injected[0]["source"])
    assert (tmp_path / "out/_executed/b_fail.failed.ipynb").exists()
    assert not (tmp_path / "out/_executed/b_fail.ipynb").exists()


def test_build_missing_params_file(tmp_path):
    res = subprocess.run(
        [workbench_exe(), "build", "--params", str(tmp_path / "none.yml")],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 1
    assert "parameter file not found" in res.stderr
    assert "Traceback" not in res.stderr
