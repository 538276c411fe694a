"""The console view draws a build's events: one bar for many jobs, a line per job with --verbose."""

from io import StringIO
from pathlib import Path

from rich.console import Console

from analysis.pipeline.plan import Job, Report
from analysis.pipeline.records import BuildResult, Event, JobRecord, ReportRecord, Status
from analysis.pipeline.view import ConsoleView


def _result():
    report = Report(Path("p.yml"), 2024, "丙县", "丙县2024年报告", "", {})
    jobs = [
        JobRecord(Job(report, Path(f"notebooks/{n}.ipynb"), {}), f"k{i}", Status.NOT_RUN)
        for i, n in enumerate(["02_staffing", "03_funds", "04_training"])
    ]
    record = ReportRecord(report, Status.PENDING, key="r", jobs=jobs)
    result = BuildResult()
    result.add(record)
    return result, jobs, record


def _run(verbose: bool) -> str:
    out = StringIO()
    view = ConsoleView(Console(file=out, width=160), verbose=verbose)
    result, jobs, record = _result()
    view(Event("planned", result=result))
    for job, status, reason in [
        (jobs[0], Status.OK, ""),
        (jobs[1], Status.FAILED, "cell 4: ValueError: bad weight"),
        (jobs[2], Status.OK, ""),
    ]:
        view(Event("job-started", job=job))
        job.status, job.reason, job.seconds = status, reason, 1.5
        view(Event("job-finished", job=job))
    view(Event("jobs-done"))
    record.fail("jobs", "03_funds: cell 4: ValueError: bad weight")
    view(Event("report-failed", report=record))
    view(Event("finished", result=result))
    return out.getvalue()


def test_default_is_one_bar_and_failures_as_they_happen():
    text = _run(verbose=False)
    assert "notebooks" in text and "3/3" in text and "1 failed" in text
    assert "failed 2024/丙县/03_funds: cell 4: ValueError: bad weight" in text
    assert "2024/丙县/02_staffing" not in text  # no line for a job that succeeded
    assert "jobs: 2 succeeded, 1 failed, 0 skipped" in text


def test_verbose_draws_a_line_per_job():
    text = _run(verbose=True)
    for name in ("02_staffing", "03_funds", "04_training"):
        assert f"2024/丙县/{name}" in text
    assert "notebooks" not in text
    assert "jobs: 2 succeeded, 1 failed, 0 skipped" in text
