"""The report's figures: Chinese labels with units, house style (see :mod:`analysis.style`).

Each function returns a matplotlib Figure and draws nothing else; the caption
is added by :class:`analysis.present.Publisher`, below the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import PALETTE

__all__ = [
    "allocation_before_after",
    "caseload_bars",
    "demand_bars",
    "sensitivity_lines",
    "series_panels",
    "share_trend",
    "source_shares",
    "staff_distribution",
    "staff_vs_norm",
    "survival_curve",
]


def _fig(height: float = 4.0):
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(7.0, height))


def caseload_bars(assessed: pd.DataFrame):
    """Horizontal bars of caseload per FTE by township; townships short of the norm in orange.

    Returns
    -------
    matplotlib.figure.Figure
        The chart, one bar per township.
    """
    data = assessed.sort_values("caseload_per_fte")
    fig, ax = _fig(max(3.0, 0.22 * len(data) + 1))
    colors = [PALETTE[1] if s else PALETTE[0] for s in data["short"].fillna(False)]
    labels = (
        data["township"] if data["county"].nunique() == 1 else data["county"] + data["township"]
    )
    ax.barh(labels, data["caseload_per_fte"], color=colors)
    ax.set_xlabel("人均服务对象数（加权户/人，每折算全时人员）")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=8)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=PALETTE[1], label="低于配备标准"),
            Patch(color=PALETTE[0], label="达到配备标准"),
        ],
        loc="lower right",
    )
    ax.grid(axis="y", visible=False)
    return fig


def staff_vs_norm(assessed: pd.DataFrame, norm):
    """Scatter of population against FTE, with the norm's required minimum as a step line.

    Returns
    -------
    matplotlib.figure.Figure
        The scatter plot with the norm's step line.
    """
    fig, ax = _fig()
    short = assessed["short"].fillna(False).astype(bool)
    x = assessed[norm.basis].astype("float64")
    scale, unit = (10000, "万人") if norm.basis == "population" else (1, "")
    ax.scatter(
        x[~short] / scale, assessed.loc[~short, "fte"], color=PALETTE[0], label="达到配备标准", s=22
    )
    ax.scatter(
        x[short] / scale, assessed.loc[short, "fte"], color=PALETTE[1], label="低于配备标准", s=22
    )
    grid = np.linspace(0, float(x.max()) * 1.05, 400)
    req = norm.required(pd.DataFrame({norm.basis: grid})).astype("float64")
    ax.step(grid / scale, req, where="post", color="#404040", linewidth=1.2, label="配备标准下限")
    label = "户籍人口" if norm.basis == "population" else norm.basis
    ax.set_xlabel(f"{label}（{unit}）" if unit else label)
    ax.set_ylabel("折算全时人员（人）")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3)
    return fig


_SOURCE_LABELS = {"upper_share": "上级补助", "local_share": "本级财政", "social_share": "社会投入"}


def source_shares(by_year: pd.DataFrame):
    """Stacked bars of fund source shares (per cent) by year.

    Returns
    -------
    matplotlib.figure.Figure
        The chart, one stacked bar per year.
    """
    fig, ax = _fig()
    bottom = np.zeros(len(by_year))
    years = by_year["year"].astype(int).astype(str)
    for i, (col, label) in enumerate(_SOURCE_LABELS.items()):
        values = by_year[col].to_numpy() * 100
        bars = ax.bar(years, values, bottom=bottom, color=PALETTE[i], label=label, width=0.6)
        if i == 0:
            ax.bar_label(
                bars,
                labels=[f"{v:.1f}" for v in values],
                label_type="center",
                color="white",
                fontsize=9,
            )
        bottom += values
    ax.set_ylim(0, 100)
    ax.set_xlabel("年度")
    ax.set_ylabel("占资金来源比重（%）")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3)
    return fig


def share_trend(
    by_year: pd.DataFrame, result, col: str = "upper_share", label: str = "上级补助占比"
):
    """Plot a share over time with its OLS trend, and the projection with its prediction interval.

    Returns
    -------
    matplotlib.figure.Figure
        The observed shares, the trend line and the projection with its band.
    """
    fig, ax = _fig()
    t = by_year["year"].astype(float)
    ax.plot(t, by_year[col] * 100, "o", color=PALETTE[0], label=f"{label}（实际）")
    fitted = result.intercept + result.slope * t
    ax.plot(t, fitted * 100, color=PALETTE[0], linewidth=1, label="线性趋势")
    proj = result.projection
    ax.plot(proj["time"], proj["mean"] * 100, "--", color=PALETTE[1], label="趋势外推")
    ax.fill_between(
        proj["time"],
        proj["pi_low"] * 100,
        proj["pi_high"] * 100,
        color=PALETTE[1],
        alpha=0.15,
        label="95%预测区间",
    )
    ax.set_xlabel("年度")
    ax.set_ylabel(f"{label}（%）")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="best")
    return fig


def series_panels(series: pd.DataFrame, panels: dict[str, str], percent: tuple[str, ...] = ()):
    """Small multiples: one line per headline figure over the survey years.

    Parameters
    ----------
    series : pandas.DataFrame
        One row per year (``year`` and the columns of ``panels``).
    panels : dict
        Column -> panel title (with its unit).
    percent : tuple of str
        Columns that are shares in [0, 1], drawn in per cent.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per column, the years on the x axis, each point labelled.
    """
    import matplotlib.pyplot as plt

    cols = min(2, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7.0, 2.6 * rows), squeeze=False)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    years = series["year"].astype(int)
    for i, (ax, (col, title)) in enumerate(zip(axes.flat, panels.items(), strict=False)):
        values = series[col].astype("float64") * (100 if col in percent else 1)
        ax.plot(years, values, "o-", color=PALETTE[i % len(PALETTE)])
        for x, y in zip(years, values, strict=True):
            if not np.isnan(y):
                ax.annotate(
                    f"{y:,.1f}" if abs(y) < 1000 else f"{y:,.0f}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontsize=8,
                )
        ax.set_title(title, fontsize=10)
        ax.set_xticks(list(years))
        ax.set_xticklabels([str(y) for y in years], fontsize=8)
        ax.margins(y=0.2)
    fig.tight_layout()
    return fig


def allocation_before_after(allocated: pd.DataFrame):
    """Caseload per FTE of every township before and after new posts, sorted by the before value.

    Returns
    -------
    matplotlib.figure.Figure
        Grey dots before, coloured dots after, joined where a township got posts.
    """
    data = allocated.sort_values("caseload_per_fte", ascending=False).reset_index(drop=True)
    fig, ax = _fig(3.6)
    x = np.arange(len(data))
    got = data["new_posts"] > 0
    ax.vlines(
        x[got],
        data.loc[got, "caseload_per_fte_after"],
        data.loc[got, "caseload_per_fte"],
        color=PALETTE[0],
        linewidth=1,
    )
    ax.plot(x, data["caseload_per_fte"], "o", color="#9e9e9e", markersize=4, label="新增岗位前")
    ax.plot(
        x[got],
        data.loc[got, "caseload_per_fte_after"],
        "o",
        color=PALETTE[1],
        markersize=5,
        label="新增岗位后",
    )
    ax.set_xlabel("乡镇（街道），按新增岗位前人均服务对象从高到低排列")
    ax.set_ylabel("人均服务对象（户、人）")
    ax.set_xticks([])
    ax.legend(loc="upper right")
    return fig


def sensitivity_lines(summary: pd.DataFrame):
    """Townships short of the norm against the part-time weight, one line per caseload weighting.

    Returns
    -------
    matplotlib.figure.Figure
        The count of townships short under every assumption tried.
    """
    fig, ax = _fig(3.4)
    styles = [("o", "-", 9), ("s", "--", 7), ("^", ":", 5)]  # lines that coincide stay visible
    for i, (label, g) in enumerate(summary.groupby("weights", sort=False)):
        marker, line, size = styles[i % len(styles)]
        ax.plot(
            g["parttime_weight"],
            g["townships_short"],
            marker=marker,
            linestyle=line,
            markersize=size,
            color=PALETTE[i % len(PALETTE)],
            label=str(label),
        )
    ax.set_xlabel("兼职人员折算系数")
    ax.set_ylabel("达不到标准下限的乡镇（个）")
    ax.set_xticks(sorted(summary["parttime_weight"].unique()))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="服务对象权重", loc="best", fontsize=8)
    return fig


def survival_curve(result):
    """Kaplan-Meier curve of years in post, with its confidence band and the median.

    Returns
    -------
    matplotlib.figure.Figure
        The step curve with its band and, when it is known, the median line.
    """
    fig, ax = _fig()
    c = pd.concat(
        [
            pd.DataFrame({"years": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]}),
            result.curve,
        ],
        ignore_index=True,
    )
    ax.step(c["years"], c["survival"] * 100, where="post", color=PALETTE[0], label="仍在岗比例")
    ax.fill_between(
        c["years"],
        c["ci_low"].fillna(0) * 100,
        c["ci_high"].fillna(0) * 100,
        step="post",
        color=PALETTE[0],
        alpha=0.15,
        label="95%置信带",
    )
    if result.median is not None:
        ax.axvline(
            result.median,
            color=PALETTE[1],
            linestyle="--",
            linewidth=1,
            label=f"中位在岗年限 {result.median:.1f} 年",
        )
    ax.set_xlabel("从事民政工作年限（年）")
    ax.set_ylabel("仍在岗比例（%）")
    ax.set_ylim(0, 102)
    ax.legend(loc="upper right")
    return fig


def demand_bars(demand: pd.DataFrame):
    """Horizontal bars of training demand (person-days) by module.

    Returns
    -------
    matplotlib.figure.Figure
        The chart, one bar per module labelled with its person-days.
    """
    data = demand.sort_values("person_days")
    fig, ax = _fig(3.2)
    ax.barh(data["module"], data["person_days"], color=PALETTE[2])
    for y, v in enumerate(data["person_days"]):
        ax.text(v, y, f" {v:,.0f}", va="center", fontsize=9)
    ax.set_xlabel("培训需求（人天）")
    ax.grid(axis="y", visible=False)
    return fig


def staff_distribution(frame, ax=None):
    """Bar chart of townships by number of civil-affairs workers, one bar group per county.

    Parameters
    ----------
    frame : pandas.DataFrame
        Survey rows (one year) with ``county`` and ``staff_total``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    counts = frame.groupby(["staff_total", "county"]).size().unstack(fill_value=0).sort_index()
    if ax is None:
        _, ax = plt.subplots()
    counts.plot.bar(ax=ax, rot=0, width=0.8)
    ax.set_xlabel("民政工作人员数（人）")
    ax.set_ylabel("乡镇数（个）")
    ax.set_title("各县乡镇民政工作人员数分布")
    ax.legend(title="县（市、区）")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return ax.figure


def __warm_up__() -> None:
    """Import pyplot ahead of use (a warm template calls this once; see :mod:`analysis.pipeline.warm`).

    Importing pyplot does not choose a backend; the kernel's inline backend is still
    chosen in each kernel when the first figure is made.
    """
    import matplotlib.pyplot  # noqa: F401
