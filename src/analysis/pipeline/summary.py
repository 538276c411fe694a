"""The 摘要 chapter: key results written into sentences."""

from __future__ import annotations

from ..disclosure import DEFAULT_K
from ..present import pct

__all__ = ["key_figures", "summary_markdown"]


def _num(x, digits=1) -> str:
    return "—" if x is None else f"{x:,.{digits}f}"


def _withheld(x, k: int) -> str:
    return f"（少于{k}人或可由其他数字推算，不公布）" if x is None else f"{x:,}"


def _figure(value, row: dict) -> str:
    if value is None:
        return "—"
    if row["kind"] == "share":
        return pct(value)
    return f"{value:,.{row['digits']}f}"


def _signed(value: float, digits: int) -> str:
    # A change that rounds to zero is written +0.0, never -0.0.
    return f"{(value if round(value, digits) != 0 else 0.0):+,.{digits}f}"


def _change(row: dict) -> str:
    if row["change"] is None:
        return "—"
    if row["kind"] == "share":
        return f"{_signed(row['change'], 1)}个百分点"
    text = _signed(row["change"], row["digits"])
    if row["change_pct"] is not None:
        text += f"（{row['change_pct'] * 100:+.1f}%）"
    return text


def key_figures(results: dict, year: int) -> str:
    """Write the 主要指标 table: this year, the year before and the change, from the series.

    Withheld figures (disclosure control) and a missing previous year show as —; a
    report without the previous year says so under the table.

    Returns
    -------
    str
        Markdown (a caption, the table and its notes), or "" when no chapter has a series.
    """
    from ..trends import yoy_rows

    series = {
        chapter: results[f"{chapter}.series"]
        for chapter in ("staffing", "funds", "training")
        if results.get(f"{chapter}.series")
    }
    if not series:
        return ""
    rows, has_previous = yoy_rows(series, year)
    lines = [
        f"**主要指标（{year}年与{year - 1}年）**",
        "",
        f"| 指标 | 单位 | {year}年 | {year - 1}年 | 变化 |",
        "|---|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['unit']} | {_figure(row['current'], row)} "
            f"| {_figure(row['previous'], row)} | {_change(row)} |"
        )
    notes = ["注：占比和比率的变化以百分点计；“—”表示无数据或按小单元格规则不公布。"]
    if not has_previous:
        notes.insert(0, f"调查数据中没有{year - 1}年的记录，本表只列{year}年，不作年度比较。")
    return "\n".join([*lines, "", *notes])


def _policy_paragraph(results: dict) -> str:
    scenarios = results.get("policy.scenarios") or []
    alloc = results["policy.allocation"]
    sens = results.get("policy.sensitivity") or {}
    plan = results.get("policy.training_plan") or {}
    text = "**政策测算。**"
    if scenarios:
        widest = max(scenarios, key=lambda x: x["gap"])
        text += (
            f"按{len(scenarios)}种配备标准测算，缺口最大为{widest['gap']:.1f}个折算全时岗位"
            f"（《{widest['norm']}》），按整岗补齐需{widest['posts']}个岗位，每年约{_num(widest['cost_wan'])}万元。"
        )
    rule = "人均服务对象最多的乡镇优先" if alloc["rule"] == "caseload" else "缺口最大的乡镇优先"
    if alloc["posts"]:
        text += (
            f"新增{alloc['posts']}个岗位按“{rule}”分配后，人均服务对象中位数由"
            f"{alloc['median_before']:.0f}降至{alloc['median_after']:.0f}。"
        )
    if sens:
        text += (
            f"在{sens['assumptions']}种假设组合下，达不到标准的乡镇为{sens['short_min']}至{sens['short_max']}个，"
            f"其中{sens['always_short']}个在所有假设下都不足。"
        )
    if plan:
        text += (
            f"培训需求折合培训班{plan['classes']}期、{_num(plan['person_days'], 0)}人天，"
            f"费用约{_num(plan['cost_wan'])}万元。"
        )
    return text


def summary_markdown(results: dict, year: int, place: str, k: int = DEFAULT_K) -> str:
    """Write the key results of a report as short paragraphs of Chinese text.

    Parameters
    ----------
    results : dict
        Glued values of all chapters (``staffing.*``, ``funds.*``, ``training.*``, ``data.*``).
    year : int
        Report year.
    place : str
        Scope label, e.g. ``丙县`` or ``全部县``.
    k : int
        Disclosure threshold (``k_min``): a withheld figure rests on fewer than ``k`` units.

    Returns
    -------
    str
        Markdown; a paragraph per chapter that has results.
    """
    r = results.get
    paras = []
    table = key_figures(results, year)
    if table:
        paras.append(table)
    if r("staffing.townships") is not None:
        norm = r("staffing.norm") or {}
        short, gap = r("staffing.townships_short"), r("staffing.gap_fte")
        shortfall = (
            f"有{short}个乡镇（街道）达不到标准下限，合计缺少{_num(gap)}名折算全时人员"
            if short
            else "所有乡镇（街道）均达到标准下限"
        )
        paras.append(
            f"**人员配备。**{year}年{place}{r('staffing.townships')}个乡镇（街道）共有民政工作人员"
            f"{r('staffing.staff_total')}人，兼职占{pct(r('staffing.parttime_share'))}，折算全时人员"
            f"{_num(r('staffing.fte'))}人，平均每名折算全时人员服务{_num(r('staffing.caseload_per_fte'), 0)}户（人）。"
            f"按《{norm.get('name', '配备标准')}》（{norm.get('source', '')}），{shortfall}。"
            f"与同类乡镇相比人员明显偏少的有{r('staffing.below_peers')}个。"
        )
    if r("funds.upper_share") is not None:
        t = r("funds.upper_trend") or {}
        slope = t.get("slope_per_year")
        trend = ""
        if slope is not None:
            direction = "下降" if slope < 0 else "上升"
            lo, hi = (v * 100 for v in t["ci"])
            trend = (
                f"{t['years'][0]}—{t['years'][1]}年上级补助占比平均每年{direction}{abs(slope) * 100:.2f}个百分点"
                f"（95%置信区间{lo:+.2f}至{hi:+.2f}），按趋势{t['projection_year']}年约为{pct(t['projection'])}。"
            )
        paras.append(
            f"**资金结构。**{year}年乡镇民政资金{_num(r('funds.receipts'))}万元，上级补助占"
            f"{pct(r('funds.upper_share'))}，本级财政占{pct(r('funds.local_share'))}，社会投入占"
            f"{pct(r('funds.social_share'))}；救助支出占支出的{pct(r('funds.relief_share'))}。{trend}"
            f"应配套资金中有{pct(r('funds.shortfall_rate'))}未到位（{_num(r('funds.matching_shortfall'))}万元）。"
        )
    if r("training.workers") is not None:
        median = r("training.median_tenure")
        tenure = (
            f"从事民政工作的中位年限为{median:.1f}年"
            if median is not None
            else "中位在岗年限尚无法估计"
        )
        paras.append(
            f"**培训需求。**{year}年末在岗{r('training.workers')}人，本年参训率{pct(r('training.trained_share'))}，"
            f"人员流动率{pct(r('training.turnover_rate'))}，{tenure}。高需求人员{_withheld(r('training.high_need'), k)}人，"
            f"全年培训需求约{_num(r('training.demand_person_days'), 0)}人天。"
        )
    if r("policy.allocation") is not None:
        paras.append(_policy_paragraph(results))
    if r("evidence.rows") is not None:
        paras.append(
            f"**调研报告证据。**从{r('evidence.documents')}份调研报告中摘录量化表述{r('evidence.rows')}条。"
            + (
                f"其中{r('evidence.illustrative_documents')}份为示例材料（虚构），不是调研证据。"
                if r("evidence.illustrative_documents")
                else ""
            )
        )
    if r("data.synthetic"):
        paras.append("*本报告使用示例数据（合成），仅用于演示分析方法，不代表任何真实地区的情况。*")
    return "\n\n".join(paras) if paras else "本报告没有可汇总的结果。"
