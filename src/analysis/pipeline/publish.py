"""Publishing: report folders, results.json, provenance and the index, written atomically.

Each report lives in ``reports/<year>/<scope>/``. It is assembled in a staging
folder and swapped into place with renames, so a reader (or a killed build)
never sees half a report, and a failed build leaves the last good one.
"""

from __future__ import annotations

import html
import json
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from ..errors import WorkbenchError
from ..textio import atomic_write

__all__ = [
    "RESULTS_SCHEMA",
    "provenance",
    "recover",
    "scope_dir",
    "scope_from_dir",
    "swap_into_place",
    "OUTPUT_CHECK_CSV",
    "write_index",
    "write_output_check",
    "copy_tables",
    "results_document",
    "save_failures",
    "validate_results",
    "write_json",
]

SCHEMA_VERSION = 1
RESULTS_SCHEMA = Path(__file__).resolve().parent / "templates" / "results.schema.json"
_PACKAGES = (
    "minzheng-workbench",
    "pandas",
    "numpy",
    "statsmodels",
    "matplotlib",
    "papermill",
    "pandera",
    "pypandoc-binary",
    "typst",
    "mplfonts",
    "pytauargus",
    "acro",
)


def scope_dir(scope: str) -> str:
    """Map a scope name to a safe, reversible folder name.

    Letters and digits of any script (so 丙县 stays 丙县), ``-`` and ``_`` are
    kept; every other character, and a leading dot, becomes ``%XX`` of its
    UTF-8 bytes. Distinct names give distinct folders, and no name can climb
    out of ``reports/``.

    Returns
    -------
    str
        The folder name; ``%00empty`` for an empty scope.
    """
    out = []
    for ch in scope:
        if (ch.isalnum() and ch.isprintable()) or ch in "-_":
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    name = "".join(out)
    return name or "%00empty"


def scope_from_dir(name: str) -> str:
    """Invert :func:`scope_dir`.

    Returns
    -------
    str
        The scope that :func:`scope_dir` was given; ``""`` for ``%00empty``.
    """
    from urllib.parse import unquote

    return "" if name == "%00empty" else unquote(name)


def save_failures(reports: Path, report, failed: list, store) -> Path:
    """Copy the executed notebooks of failed jobs to ``reports/_failed/<year>/<scope>/``.

    Returns
    -------
    Path
        The folder, named in the failure's reason.
    """
    folder = reports / "_failed" / str(report.year) / scope_dir(report.scope)
    folder.mkdir(parents=True, exist_ok=True)
    for rec in failed:
        executed = store.path(rec.key).with_name(f"{rec.key}.failed") / "executed.ipynb"
        if executed.exists():
            shutil.copyfile(executed, folder / f"{rec.job.notebook.stem}.ipynb")
    return folder


def copy_tables(chapters: list, staging: Path) -> Path:
    """Copy every chapter's CSV files to ``staging/tables/<chapter>-<name>.csv``.

    Returns
    -------
    Path
        The ``tables`` folder in ``staging``.
    """
    tables_dir = staging / "tables"
    tables_dir.mkdir()
    for ch in chapters:
        for csv in sorted(ch.output_dir.glob("*.csv")):
            shutil.copyfile(csv, tables_dir / f"{ch.stem}-{csv.name}")
    return tables_dir


#: The report's output-checking summary, one row per withheld cell (see
#: :func:`analysis.pipeline.document.output_check_rows`).
OUTPUT_CHECK_CSV = "output_check.csv"
_CHECK_HEADERS = {
    "label": "表图编号",
    "chapter": "章",
    "table": "表名",
    "caption": "标题",
    "rule": "规则",
    "row": "行",
    "column": "列",
    "reason": "原因",
    "lower": "可行区间下限",
    "upper": "可行区间上限",
    "audit": "审核结果",
    "note": "说明",
}


def write_output_check(staging: Path, checks: list[dict]) -> Path:
    """Write the output-checking summary CSV (UTF-8 with BOM) into ``staging``.

    Returns
    -------
    Path
        The CSV written.
    """
    import pandas as pd

    from .document import output_check_rows

    rows = pd.DataFrame(output_check_rows(checks), columns=list(_CHECK_HEADERS))
    text = rows.rename(columns=_CHECK_HEADERS).to_csv(index=False, lineterminator="\n")
    return atomic_write(staging / OUTPUT_CHECK_CSV, text, encoding="utf-8-sig")


def results_document(
    report, meta: dict, glued: dict, doc, *, staging: Path, build: dict, prov: dict
) -> dict:
    """Return the content of a report's ``results.json`` (see ``results.schema.json``).

    Parameters
    ----------
    report : analysis.pipeline.plan.Report
        The report.
    meta : dict
        Title page data: ``date``, ``synthetic``.
    glued : dict
        The key results of all chapters.
    doc : analysis.pipeline.document.Document
        The assembled document (its figures and tables).
    staging : Path
        The report's staging folder, holding ``tables/``.
    build : dict
        ``report_key`` and ``jobs``.
    prov : dict
        The provenance block.

    Returns
    -------
    dict
    """
    from .render import chinese_date

    tables_dir = staging / "tables"

    def csv_for(fig: dict) -> str | None:
        name = f"{fig['chapter']}-{fig['name']}.csv"
        return f"tables/{name}" if (tables_dir / name).exists() else None

    tables = [{**t, "csv": f"tables/{t['chapter']}-{t['name']}.csv"} for t in doc.tables]
    return {
        "schema_version": SCHEMA_VERSION,
        "report": {
            "title": report.title,
            "year": report.year,
            "scope": report.scope,
            "scope_dir": scope_dir(report.scope),
            "issuer": report.issuer,
            "date": chinese_date(meta["date"]),
            "synthetic": meta["synthetic"],
        },
        "results": glued,
        "figures": [{**f, "csv": csv_for(f)} for f in doc.figures],
        "tables": tables,
        "disclosure": {
            "k": int(report.parameters["k_min"]),
            "suppressed_cells": sum(t["suppressed_cells"] for t in tables),
            "audit": "passed" if all(c["audit"] == "passed" for c in doc.checks) else "failed",
            "output_check_csv": OUTPUT_CHECK_CSV,
            "checks": [
                {
                    "table": c["table"],
                    "label": c["label"],
                    "caption": c["caption"],
                    "chapter": c["chapter"],
                    "rule": c["rule"],
                    "withheld": c["withheld"],
                    "audit": c["audit"],
                    "note": c.get("note", ""),
                    "cells": c["cells"],
                }
                for c in doc.checks
            ],
        },
        "provenance": prov,
        "build": build,
    }


def validate_results(data: dict) -> None:
    """Check a report's ``results.json`` content against ``results.schema.json``.

    Raises
    ------
    WorkbenchError
        Naming the first place that does not match (e.g. ``report.year``) and why.
    """
    import jsonschema

    schema = json.loads(RESULTS_SCHEMA.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(data)
    )
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise WorkbenchError(
            f"results.json does not match {RESULTS_SCHEMA.name} at {where}: {error.message}"
        )


def write_json(path: Path, data: dict) -> None:
    """Write JSON (UTF-8, sorted keys, 2-space indent) atomically."""
    atomic_write(path, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n")


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def provenance(root: Path, parameters: dict, inputs: dict[str, str], renderer: str) -> dict:
    """Return the provenance block: git commit, input digests, parameters, package and renderer versions.

    Returns
    -------
    dict
        ``git_commit``, ``git_dirty`` (None without git), ``inputs``, ``parameters``,
        ``packages``, ``python`` and ``renderer``.
    """
    commit = _git(root, "rev-parse", "HEAD")
    status = _git(
        root,
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        "src",
        "notebooks",
        "params",
        "data",
    )
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "git_commit": commit,
        "git_dirty": bool(status) if status is not None else None,
        "inputs": [{"path": p, "sha256": d} for p, d in sorted(inputs.items())],
        "parameters": parameters,
        "packages": versions,
        "python": platform.python_version(),
        "renderer": renderer,
    }


def recover(reports: Path) -> list[str]:
    """Undo a swap interrupted between its two renames; remove stale staging folders.

    Returns
    -------
    list of str
        Messages about what was repaired.
    """
    messages = []
    if not reports.is_dir():
        return messages
    for old in reports.glob("*/*.old-*"):
        final = old.with_name(old.name.split(".old-")[0])
        if not final.exists():
            os.replace(old, final)
            messages.append(f"restored {final} from an interrupted publish")
        else:
            shutil.rmtree(old, ignore_errors=True)
    staging = reports / ".staging"
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
    return messages


def swap_into_place(staged: Path, final: Path) -> None:
    """Replace ``final`` with ``staged`` using renames (the old one is removed last)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f"{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staged, final)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


_STATUS = {
    "ok": "已生成",
    "skipped": "未变化（沿用）",
    "failed": "失败（保留上次结果）",
    "error": "失败（未生成）",
}


# The index page: reports grouped by year, counts, and a filter box (a few lines of inline
# script; every text from data or parameters is HTML-escaped before it is put in).
_INDEX_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>年度报告目录</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
th { border-bottom: 2px solid #1a1a1a; } .syn { color: #c55a11; font-size: .85em; } .reason { color: #a00; font-size: .85em; white-space: pre-wrap; }
.failed, .error { color: #a00; } .ok { color: #2e6b1f; } h2 { margin-top: 2rem; font-size: 1.15rem; }
.tools { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
#filter { padding: .35rem .6rem; font-size: 1rem; min-width: 16rem; }
</style></head>
<body><h1>基层民政服务能力年度报告</h1>
<p class="tools"><span id="counts">{summary}</span>
<label>筛选：<input id="filter" type="search" placeholder="县名、年度、“失败”……"></label>
<label><input id="only-failed" type="checkbox"> 只看失败</label></p>
{sections}
<script>
(function () {
  var box = document.getElementById("filter"), failed = document.getElementById("only-failed");
  function apply() {
    var q = box.value.trim();
    document.querySelectorAll("section").forEach(function (sec) {
      var shown = 0;
      sec.querySelectorAll("tbody tr").forEach(function (tr) {
        var bad = tr.dataset.status === "failed" || tr.dataset.status === "error";
        var ok = (!q || (sec.querySelector("h2").textContent + tr.textContent).indexOf(q) >= 0)
          && (!failed.checked || bad);
        tr.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      sec.hidden = shown === 0;
    });
  }
  box.addEventListener("input", apply);
  failed.addEventListener("change", apply);
})();
</script></body></html>
"""


def write_index(reports: Path, statuses: dict) -> Path:
    """Write ``reports/index.html``: every report with links and status; all text HTML-escaped.

    Parameters
    ----------
    reports : Path
        The reports folder.
    statuses : dict
        (year, scope) -> the :class:`~.records.ReportRecord` of this build (``status``,
        ``reason``, ``title``).

    Returns
    -------
    Path
        The ``index.html`` written.
    """
    rows = {}
    for results in sorted(reports.glob("*/*/results.json")):
        data = json.loads(results.read_text(encoding="utf-8"))
        rep = data["report"]
        rows[(rep["year"], rep["scope"])] = {
            "title": rep["title"],
            "dir": results.parent,
            "synthetic": rep["synthetic"],
        }
    for key, st in statuses.items():
        rows.setdefault(key, {"title": st.title, "dir": None, "synthetic": False})
    by_year: dict[int, list[str]] = {}
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    for (year, scope), row in sorted(rows.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        st = statuses.get((year, scope))
        status, reason = (str(st.status), st.reason) if st is not None else ("ok", "")
        kind = {"failed": "failed", "error": "failed", "skipped": "skipped"}.get(status, "ok")
        counts[kind] += 1
        links = "—"
        if row["dir"] is not None:
            rel = row["dir"].relative_to(reports).as_posix()
            links = " · ".join(
                f'<a href="{html.escape(rel)}/{f}">{label}</a>'
                for f, label in (
                    ("report.html", "HTML"),
                    ("report.pdf", "PDF"),
                    ("results.json", "results.json"),
                )
            )
        shown = f'<div class="reason">{html.escape(reason)}</div>' if reason else ""
        by_year.setdefault(year, []).append(
            f'<tr data-status="{html.escape(status)}"><td>{html.escape(scope)}</td>'
            f"<td>{html.escape(row['title'])}"
            f"{' <span class=syn>示例数据（合成）</span>' if row['synthetic'] else ''}</td>"
            f'<td>{links}</td><td class="{html.escape(status)}">'
            f"{html.escape(_STATUS.get(status, status))}{shown}</td></tr>"
        )
    head = "<thead><tr><th>范围</th><th>报告</th><th>文件</th><th>本次构建</th></tr></thead>"
    sections = "\n".join(
        f"<section><h2>{year}年（{len(trs)}份）</h2>\n<table>{head}\n<tbody>\n"
        + "\n".join(trs)
        + "\n</tbody></table></section>"
        for year, trs in by_year.items()
    )
    total = sum(counts.values())
    summary = (
        f"共{total}份报告：本次生成{counts['ok']}份，未变化{counts['skipped']}份，"
        f'<span class="{"failed" if counts["failed"] else "ok"}">失败{counts["failed"]}份</span>'
    )
    page = _INDEX_PAGE.replace("{summary}", summary).replace("{sections}", sections)
    return atomic_write(reports / "index.html", page)
