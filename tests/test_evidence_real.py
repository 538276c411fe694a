"""Evidence extraction on real text: exact values, the failure classes seen on real pages,
the lexicon as data, scoring, and the real development corpus (when its texts are cached).

Every sentence here is written for the test; none is copied from the corpus.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, workbench_exe

from analysis.errors import InputFileError
from analysis.evidence import classify as classify_mod
from analysis.evidence import extract_text
from analysis.evidence.classify import INDICATORS, load_lexicon
from analysis.evidence.score import load_gold, prediction_items, score

GOLD = ROOT / "data/reference/evidence_dev/gold.yml"
CHECK = ROOT / "data/reference/evidence_dev/check_corpus.py"


def rows(text: str) -> list[tuple[str, str, str]]:
    return [(r["indicator"], r["value"], r["unit"]) for r in extract_text(text)]


# ---------------------------------------------------------------- values written exactly


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("全年支出救助资金1234567.89万元。", "1234567.89", "万元"),  # 9 significant digits
        ("全年支出救助资金1,234,567.89万元。", "1234567.89", "万元"),
        ("累计发放低保金123456789012元。", "123456789012", "元"),  # 12 digits
        ("累计发放低保金3456789.5元。", "3456789.5", "元"),  # 8 digits
        ("拨付专项经费2.0350亿元。", "2.0350", "亿元"),  # trailing zero as written
        ("全县低保对象1234.567万人。", "12345670", "人"),  # 万 multiplies, exactly
        ("全县低保对象0.1234567万人。", "1234.567", "人"),
    ],
)
def test_values_are_written_exactly_as_stated(text, value, unit):
    ((_, got, got_unit),) = [r for r in rows(text)]
    assert (got, got_unit) == (value, unit)


def test_ranges_keep_both_ends_exactly():
    (row,) = extract_text("每个乡镇配备民政工作人员2.5至3.75人。")
    assert (row["value"], row["low"], row["high"]) == ("2.5", "2.5", "3.75")
    (row,) = extract_text("安排资金1234.50—2345.75万元。")
    assert (row["low"], row["high"], row["unit"]) == ("1234.50", "2345.75", "万元")


def test_csv_has_no_rounded_values(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("本年度支出低保资金9876543.21万元，其中城市低保资金1234567.8万元。", "utf-8")
    res = subprocess.run(
        [workbench_exe(), "extract", str(doc)], capture_output=True, text=True, check=True
    )
    values = [r["value"] for r in csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff")))]
    assert values == ["9876543.21", "1234567.8"]


# ---------------------------------------------------------------- failure classes, own sentences


def test_total_and_parts_keep_their_subject():
    text = "本县城乡低保对象共860人，其中，城市低保对象210人、农村低保对象650人。"
    assert rows(text) == [
        ("dibao_persons", "860", "人"),
        ("dibao_persons", "210", "人"),
        ("dibao_persons", "650", "人"),
    ]


def test_counts_after_connecting_words_inherit_the_programme():
    text = "今年城市低保新增35户61人，退出12户20人；特困供养对象新增4人，退出3人。"
    assert rows(text) == [
        ("dibao_households", "35", "户"),
        ("dibao_persons", "61", "人"),
        ("dibao_households", "12", "户"),
        ("dibao_persons", "20", "人"),
        ("tekun_persons", "4", "人"),
        ("tekun_persons", "3", "人"),
    ]


def test_programme_counts_are_not_populations():
    # 万 makes them large, but they are programme counts, not a population
    assert rows("全省农村低保对象98.6万人，特困供养人员12.3万人。") == [
        ("dibao_persons", "986000", "人"),
        ("tekun_persons", "123000", "人"),
    ]


def test_rates_are_standards_or_subsidy_levels_with_their_period():
    text = (
        "城市低保标准由每人每月620元提高到655元，月人均补助水平达到412.5元；"
        "特困人员基本生活标准为9600元/人·年。"
    )
    got = [(r["indicator"], r["value"], r["unit"], r["period"]) for r in extract_text(text)]
    assert got == [
        ("assistance_standard", "620", "元", "月"),
        ("assistance_standard", "655", "元", "月"),
        ("subsidy_level", "412.5", "元", "月"),
        ("assistance_standard", "9600", "元", "年"),
    ]


def test_amounts_after_a_programme_count_are_fund_amounts():
    text = "全年城市低保累计保障2310人次支出187.44万元；农村低保累计保障15206人次902.1万元。"
    assert rows(text) == [
        ("dibao_persons", "2310", "人次"),
        ("fund_amount", "187.44", "万元"),
        ("dibao_persons", "15206", "人次"),
        ("fund_amount", "902.1", "万元"),
    ]


def test_amount_in_wan_without_yuan_after_money_words():
    assert rows("当年发放低保金2468万，同比增长。") == [("fund_amount", "2468", "万元")]


def test_count_after_a_label_with_no_unit():
    assert rows("全县民政所核定事业编制数37，实有专职人员29人。")[0] == (
        "staff_established",
        "37",
        "人",
    )


def test_counts_of_units():
    assert rows("全市辖7个县区、96个乡镇，设民政办公室96个。") == [
        ("units_count", "7", "个"),
        ("units_count", "96", "个"),
        ("units_count", "96", "个"),
    ]


def test_table_rows_take_label_and_unit_from_their_cells():
    text = "| 指标 | 单位 | 数量 |\n| 乡镇合计 | 个 | 212 |\n| 农村低保人数 | 人 | 45,310 |\n| 民政事业费支出 | 万元 | 8,120.6 |\n"
    assert rows(text) == [
        ("units_count", "212", "个"),
        ("dibao_persons", "45310", "人"),
        ("fund_amount", "8120.6", "万元"),
    ]


def test_traditional_script_persons_and_money():
    # cleaned texts are simplified: the reader converts 人數 / 萬元 before extraction
    from analysis.evidence import clean_text

    assert rows(clean_text("全縣農村低保對象人數3120人，發放低保資金1850.5萬元。")) == [
        ("dibao_persons", "3120", "人"),
        ("fund_amount", "1850.5", "万元"),
    ]


# ---------------------------------------------------------------- the lexicon is data


def test_the_shipped_lexicon_names_only_known_indicators():
    lex = load_lexicon(classify_mod.LEXICON)
    for entry in lex["programmes"].values():
        assert entry["cues"]
        assert {entry[k] for k in ("persons", "households", "person_times")} <= {
            *INDICATORS,
            None,
        }


def test_a_cue_added_to_the_lexicon_changes_the_label(tmp_path, monkeypatch):
    text = "全县孤儿保障对象215人。"
    assert rows(text) == [("other", "215", "人")]
    lex = yaml.safe_load(classify_mod.LEXICON.read_text(encoding="utf-8"))
    lex["programmes"]["dibao"]["cues"].append("孤儿保障")  # a researcher's (wrong) extension
    mine = tmp_path / "lexicon.yml"
    mine.write_text(yaml.safe_dump(lex, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(classify_mod, "LEXICON", mine)
    assert rows(text) == [("dibao_persons", "215", "人")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["programmes"]["dibao"].update(persons="dibao_people"),
            "programmes.dibao.persons",
        ),
        (lambda d: d["programmes"]["dibao"].update(cues=[]), "programmes.dibao.cues"),
        (lambda d: d["programmes"]["dibao"].update(colour="red"), "unknown key 'colour'"),
        (lambda d: d.pop("money"), "money: expected a list of words"),
        (lambda d: d["rates"].pop("month"), "rates.month"),
    ],
)
def test_a_broken_lexicon_names_the_key(tmp_path, change, message):
    lex = yaml.safe_load(classify_mod.LEXICON.read_text(encoding="utf-8"))
    change(lex)
    bad = tmp_path / "lexicon.yml"
    bad.write_text(yaml.safe_dump(lex, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputFileError, match=message) as info:
        load_lexicon(bad)
    assert str(bad) in str(info.value)


# ---------------------------------------------------------------- scoring


def test_score_counts_by_hand(tmp_path):
    gold = {
        "a.txt": {
            "must": [["dibao_persons", 860, "人", "共860人"], ["fund_amount", 12.5, "万元"]],
            "dontcare": [["population", 3000, "人"]],
        },
        "b.txt": {"must": [["units_count", 7, "个"]], "dontcare": []},
    }
    predicted = {
        "a.txt": prediction_items(
            [
                {"indicator": "dibao_persons", "value": "860", "unit": "名"},  # 名 counts as 人
                {"indicator": "population", "value": "3000", "unit": "人"},  # dontcare: ignored
                {"indicator": "tekun_persons", "value": "4", "unit": "人"},  # false
                {"indicator": "other", "value": "9", "unit": "人"},  # never scored
            ]
        ),
        "b.txt": prediction_items([{"indicator": "units_count", "value": "7.0", "unit": "个"}]),
    }
    s = score(gold, predicted)
    # must: 3 items, found 2 (860 人, 7 个) -> recall 2/3; scored predictions 3 -> precision 2/3
    assert (round(s.recall(), 4), round(s.precision(), 4)) == (0.6667, 0.6667)
    assert s.recall("fund_amount") == 0.0 and s.precision("tekun_persons") == 0.0
    report = s.report()
    assert "missed [fund_amount, 12.5, 万元]" in report
    assert "false  [tekun_persons, 4, 人]" in report
    assert report.splitlines()[-1] == "recall 0.67 precision 0.67"


def test_cli_score_prints_the_score_and_names_a_missing_text(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("全县低保对象共860人，发放低保资金12.5万元。", encoding="utf-8")
    gold = tmp_path / "gold.yml"
    gold.write_text(
        yaml.safe_dump(
            {
                "a.txt": {"must": [["dibao_persons", 860, "人"], ["fund_amount", 12.5, "万元"]]},
                "gone.txt": {"must": [["units_count", 7, "个"]]},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    res = subprocess.run(
        [workbench_exe(), "extract", "--score", str(gold), str(texts)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert res.returncode == 1
    assert "a.txt: found 2/2; false 0" in res.stdout
    assert res.stdout.strip().splitlines()[-1] == "recall 0.67 precision 1.00"
    assert "gone.txt" in res.stderr and "is not in" in res.stderr
    gold.write_text("a.txt:\n  must:\n    - [dibao_persons, many, 人]\n", encoding="utf-8")
    res = subprocess.run(
        [workbench_exe(), "extract", "--score", str(gold), str(texts)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1 and "a.txt: must item 1: value 'many' is not a number" in res.stderr


# ---------------------------------------------------------------- the real development corpus


def test_real_gold_file_is_complete_and_well_formed():
    gold = load_gold(GOLD)
    assert len(gold) >= 62
    batches: dict[int, int] = {}
    for doc, entry in gold.items():
        for key in ("url", "query", "batch", "kind", "script", "sha256"):
            assert entry.get(key), (doc, key)
        batches[entry["batch"]] = batches.get(entry["batch"], 0) + 1
        for item in entry["must"]:
            indicator, _value, _unit, quote = item
            assert indicator in INDICATORS and indicator != "other", (doc, item)
            assert 0 < len(quote) <= 30, (doc, item)
    assert len(batches) >= 7 and min(batches.values()) >= 8
    assert sum(1 for e in gold.values() if e["script"] != "simplified") >= 3


def _corpus() -> Path:
    folder = Path(
        os.environ.get("MINZHENG_EVIDENCE_DEV")
        or Path.home() / ".cache/minzheng-workbench/evidence-dev"
    )
    res = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(
            f"the real dev corpus texts are not cached in {folder} (third-party pages, not in the "
            f"repository); see data/reference/evidence_dev/README.md: {res.stdout.splitlines()[-1]}"
        )
    return folder


def test_real_dev_corpus_score_does_not_fall_below_this_rounds_measurement():
    folder = _corpus()
    res = subprocess.run(
        [workbench_exe(), "extract", "--score", str(GOLD), str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert res.returncode == 0, res.stderr
    last = res.stdout.strip().splitlines()[-1].split()
    recall, precision = float(last[1]), float(last[3])
    # measured 0.89 / 0.98 on the 418 texts after round 45 (tuned on batches 1-45; batches
    # 46 and 47, scored blind with it: R 0.92 P 1.00, R 0.90 P 0.99); the goal is 0.90 / 0.90
    # on a batch not seen before tuning (issue 12)
    assert recall >= 0.85 and precision >= 0.96, res.stdout[-3000:]


# ---------------------------------------------------------------- --explain


def test_explain_shows_the_cue_and_the_words_read(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text(
        "城市低保新增35户61人，退出12户。低保标准由每人每月620元提高到655元。全市辖7个县区。孤儿215人。",
        encoding="utf-8",
    )
    res = subprocess.run(
        [workbench_exe(), "extract", "--explain", str(doc)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    got = [
        (r["indicator"], r["value"], r["period"], r["cue"], r["clause"])
        for r in csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff")))
    ]
    assert got == [
        ("dibao_households", "35", "", "低保 (dibao)", "城市低保新增|"),
        ("dibao_persons", "61", "", "carried from the previous dibao_households (户)", "|"),
        ("dibao_households", "12", "", "carried from the previous dibao_persons (人)", "退出|"),
        ("assistance_standard", "620", "月", "per 月 标准", "低保标准由每人每月|提高到"),
        (
            "assistance_standard",
            "655",
            "月",
            "carried from the previous assistance_standard (元)",
            "提高到|",
        ),
        ("units_count", "7", "", "县", "全市辖|县区"),
        ("other", "215", "", "", "孤儿|"),
    ]


# ---------------------------------------------------------------- subjects named earlier


def test_a_part_named_by_place_belongs_to_the_programme_of_its_paragraph():
    text = "本月实施临时救助18户52人，其中东湖镇3户9人，救助资金6200元；西山乡5户11人。"
    assert rows(text)[:6] == [
        ("temp_assistance", "18", "户"),
        ("temp_assistance", "52", "人"),
        ("temp_assistance", "3", "户"),
        ("temp_assistance", "9", "人"),
        ("fund_amount", "6200", "元"),
        ("temp_assistance", "5", "户"),
    ]


def test_a_count_with_an_assistance_verb_takes_the_programme_named_before_it():
    text = "一季度发放农村低保金96.3万元，累计保障4120人次。"
    assert rows(text) == [("fund_amount", "96.3", "万元"), ("dibao_persons", "4120", "人次")]


def test_part_words_do_not_interrupt_a_programme():
    text = "全市城市低保对象5120户9034人，其中市本级2210户3876人。"
    assert [r[0] for r in rows(text)] == ["dibao_households", "dibao_persons"] * 2


def test_a_number_alone_in_a_cell_takes_the_unit_of_its_column_header():
    text = "项目 | 户数 | 人数 | 支出（万元） |\n农村低保 | 1,204 | 2,315 | 88.20 |\n"
    assert rows(text) == [
        ("dibao_households", "1204", "户"),
        ("dibao_persons", "2315", "人"),
        ("fund_amount", "88.20", "万元"),
    ]


def test_every_indicator_has_a_chinese_label_for_the_report():
    from analysis.evidence import INDICATOR_LABELS

    assert set(INDICATOR_LABELS) == set(INDICATORS)
    assert INDICATOR_LABELS["assistance_standard"] == "保障标准"
    assert INDICATOR_LABELS["subsidy_level"] == "补助水平"


# ---------------------------------------------------------------- round 4 and 5 failure classes


def test_a_label_before_a_colon_stays_with_its_number():
    # a colon before a number does not end the clause: its label still decides
    assert rows("第二季度拨款总金额: 20418 元。") == [("fund_amount", "20418", "元")]


def test_bare_counts_take_the_programme_their_paragraph_is_about():
    text = "全乡低保一季度享受人员412户833人;二季度享受人员409户826人;三季度享受人员415户840人。"
    assert [r[0] for r in rows(text)] == ["dibao_households", "dibao_persons"] * 3
    tiers = "特困人员中护理一档(全护理)人数12人;二档(半护理)人数30人,三档人数71人。"
    assert [r[0] for r in rows(tiers)] == ["tekun_persons"] * 3
    # a count that names a group of its own does not take the paragraph's programme
    other = "全年发放低保金12万元;残疾儿童累计救助38人。"
    assert rows(other)[1][0] == "other"


def test_money_right_after_a_count_is_a_fund_amount():
    # (orphans are no programme of the taxonomy; children in difficulty given relief are
    # poor people since round 30, as batches 29-30 annotate them)
    text = "孤儿累计保障64人次9.12万元;困境儿童累计救助120人次15.6万元。"
    assert [r[0] for r in rows(text)] == ["other", "fund_amount", "poor_persons", "fund_amount"]


def test_household_times_and_a_person_times_unit_split_by_a_space():
    assert rows("本月临时救助19户次41人。") == [
        ("temp_assistance", "19", "户次"),
        ("temp_assistance", "41", "人"),
    ]
    assert rows("农村低保累计保障20733人 次。") == [("dibao_persons", "20733", "人次")]


def test_amounts_per_head_are_subsidy_levels_and_incomes_are_not():
    assert rows("集中供养人员人均补助达到615元。") == [("subsidy_level", "615", "元")]
    assert rows("全市人次均救助水平1044元。") == [("subsidy_level", "1044", "元")]
    assert rows("全村人均纯收入为3120元。") == [("other", "3120", "元")]
    # a standard named first carries to the parallel rate after it
    text = "分散供养标准年人均2600元,集中供养年人均3300元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2


def test_a_table_copied_one_cell_per_line_is_read_by_rows():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "单位 |", "户 |", "人 |", "万元 |", "||",
            "城乡低保 |", "5120 |", "9034 |", "388.10 |", "||",
            "其中 |", "城市 |", "2210 |", "3876 |", "170.02 |", "|",
            "农村 |", "2910 |", "5158 |", "218.08 |", "||",
        ]
    )  # fmt: skip
    text = clean_text(raw)
    assert text.splitlines()[1] == "城乡低保 | 5120 | 9034 | 388.10 |"
    assert rows(text) == [
        ("dibao_households", "5120", "户"),
        ("dibao_persons", "9034", "人"),
        ("fund_amount", "388.10", "万元"),
        ("dibao_households", "2210", "户"),  # 其中 城市: the group of the row above
        ("dibao_persons", "3876", "人"),
        ("fund_amount", "170.02", "万元"),
        ("dibao_households", "2910", "户"),
        ("dibao_persons", "5158", "人"),
        ("fund_amount", "218.08", "万元"),
    ]


# ---------------------------------------------------------------- round 6 failure classes


def test_round_6_forms():
    # 优抚 groups named by kind
    assert [r[0] for r in rows("其中复员军人12人,带病回乡退伍军人9人,三属人员3人。")] == [
        "youfu_persons"
    ] * 3
    # a monthly average subsidy
    assert rows("农村低保月平均补助水平为312.5元。") == [("subsidy_level", "312.5", "元")]
    # a staffing rule by caseload tier, with no staff word in the clause
    assert rows("救助对象8000户以上的至少配备10人。")[-1] == ("staff_norm", "10", "人")
    # a parenthesis between the unit and its noun
    assert rows("全乡辖15个(社区)居委会。") == [("units_count", "15", "个")]
    # social workers are staff
    assert rows("累计吸纳社会工作专业人才3200余人。")[0][0] == "staff_total"


def test_a_table_row_whose_label_is_on_the_line_above():
    text = (
        "指标 | 单位 | 数量 | |||\n城市最低生活保障人数 |\n人 | 12,345 | |||\n#镇 | 个 | 17 | |||\n"
    )
    assert rows(text) == [("dibao_persons", "12345", "人"), ("units_count", "17", "个")]


# ---------------------------------------------------------------- round 7: statistics tables


def test_a_table_copied_as_cell_bar_cell_is_read_by_rows_with_its_stated_unit():
    from analysis.evidence import clean_text

    cells = ["项目", "2021年", "2022年", "2023年", "敬老院", "12", "11", "9"]
    cells += ["民政服务站", "104", "118", "131"]
    raw = "单位:所\n" + "\n|\n".join(cells) + "\n|\n以上为全市情况。"
    text = clean_text(raw)
    assert "敬老院 | 12 | 11 | 9 |" in text.splitlines()
    assert rows(text) == [
        ("units_count", "12", "所"),
        ("units_count", "11", "所"),
        ("units_count", "9", "所"),
        ("units_count", "104", "所"),
        ("units_count", "118", "所"),
        ("units_count", "131", "所"),
    ]
    # ragged rows are not a table: the cells stay as they were
    ragged = "\n|\n".join(["项目", "2022年", "2023年", "敬老院", "12", "民政服务站", "104", "118"])
    assert clean_text(ragged) == ragged


def test_a_statistics_table_that_lost_its_separators_is_read_row_by_row():
    text = (
        "指标名称单位数量\n"
        "一、民政事业费支出万元2,315.6\n"
        "二、乡级区划\n"
        "    镇9\n"
        "    街道4\n"
        "城市最低生活保障\n"
        "    最低生活保障人数万人0.62\n"
        "    最低生活保障户数户3,418\n"
        "    最低生活保障平均标准元/人·月1,080.0\n"
        "临时救助人次812\n"
        "本表数据为快报数，年末以年报为准。共9个乡镇。\n"
    )
    found = [(r["indicator"], r["value"], r["unit"], r["period"]) for r in extract_text(text)]
    assert found[:7] == [
        ("fund_amount", "2315.6", "万元", ""),
        ("units_count", "9", "个", ""),
        ("units_count", "4", "个", ""),
        ("dibao_persons", "6200", "人", ""),  # 万人 multiplies: 0.62 万人 = 6200 人
        ("dibao_households", "3418", "户", ""),
        ("assistance_standard", "1080.0", "元", "月"),
        ("temp_assistance", "812", "人次", ""),
    ]
    # columns separated by spaces, with the previous period and the change after the figure;
    # a row without a unit counts what its label ends with
    wide = (
        "指标名称 单位 本月 上月 环比\n"
        "救助资金支出 万元 1,208.4 1,110.0 8.86\n"
        "(1)农村低保人数 9,051 9,102 -0.56\n"
        "其中:当月新增农村低保人数 37\n"
    )
    assert rows(wide) == [
        ("fund_amount", "1208.4", "万元"),
        ("dibao_persons", "9051", "人"),
        ("dibao_persons", "37", "人"),
    ]
    # the prose after the table is read as prose, not as a row
    assert found[7][:3] == ("units_count", "9", "个")
    assert len(found) == 8


def test_counts_of_areas_and_their_changes_are_units():
    assert rows(
        "年底全市乡镇级区划总数为86个，比上年减少3个，其中街道办事处21个（比上年增加2个）。"
    ) == [
        ("units_count", "86", "个"),
        ("units_count", "3", "个"),
        ("units_count", "21", "个"),
        ("units_count", "2", "个"),
    ]


def test_a_list_of_amounts_after_a_fund_are_all_fund_amounts():
    assert rows(
        "本级资金共支出58.4万元，用于敬老院改造21.5万元，用于救助站建设6.9万元，用于其他项目3.2万元。"
    ) == [
        ("fund_amount", "58.4", "万元"),
        ("fund_amount", "21.5", "万元"),
        ("fund_amount", "6.9", "万元"),
        ("fund_amount", "3.2", "万元"),
    ]
    # a sale is not a fund, even in the same list
    assert rows("共支出资金58.4万元，彩票销售额320万元。")[1][0] == "other"


# ---------------------------------------------------------------- round 9 failure classes


def test_a_table_whose_rows_open_with_a_bar_and_whose_cells_follow_one_per_line():
    from analysis.evidence import clean_text

    raw = (
        "| 指标名称 |\n单位 |\n本期 |\n上期 |\n环比 |\n"
        "| 社区数 |\n个 |\n57 |\n55 |\n3.6 |\n"
        "| 户籍人口 |\n万人 |\n12.5 |\n12.4 |\n|\n"
        "| 救助支出 |\n万元 |\n1,234.5 |\n1,100.0 |\n12.2 |\n"
        "| (1)低保金 |\n|\n880.2 |\n800.0 |\n|\n"
        "| 空行 |\n个 |\n|\n|\n|\n"
    )
    text = clean_text(raw)
    assert "| 救助支出 | 万元 | 1,234.5 | 1,100.0 | 12.2 |" in text
    assert "| (1)低保金 | 万元 | 880.2 | 800.0 |  |" in text  # the blank unit of the row above
    # the current figure of each row; last period and the change are not read
    assert rows(text) == [
        ("units_count", "57", "个"),
        ("population", "125000", "人"),
        ("fund_amount", "1234.5", "万元"),
        ("fund_amount", "880.2", "万元"),
    ]


def test_households_on_the_edge_of_dibao_are_poor_not_dibao():
    assert rows("全县共有低保边缘家庭210户498人，其中农村低边150户371人。") == [
        ("poor_persons", "210", "户"),
        ("poor_persons", "498", "人"),
        ("poor_persons", "150", "户"),
        ("poor_persons", "371", "人"),
    ]


def test_the_next_item_of_an_enumeration_does_not_name_this_one():
    found = rows("县里向重度残疾人120人、孤儿15人、特困供养对象33人发放一次性补贴。")
    assert found[1] == ("other", "15", "人")  # not 特困 for the orphans
    assert found[2] == ("tekun_persons", "33", "人")


def test_yearly_support_levels_and_raised_standards():
    assert rows("集中和分散供养对象年供养水平分别为5200元和3100元。") == [
        ("subsidy_level", "5200", "元"),
        ("subsidy_level", "3100", "元"),
    ]
    assert rows("今年城乡低保标准提高，从原来的450元提高到520元。") == [
        ("assistance_standard", "450", "元"),
        ("assistance_standard", "520", "元"),
    ]


def test_investment_totals_and_care_homes():
    assert rows("新建敬老院投资不少于80万元。") == [("fund_amount", "80", "万元")]
    assert rows("全乡月保障总额达到31200元。") == [("fund_amount", "31200", "元")]
    assert rows("建成3个儿童福利院和12个城市社区。") == [
        ("units_count", "3", "个"),
        ("units_count", "12", "个"),
    ]


# ---------------------------------------------------------------- round 10 failure classes


def test_counts_over_years_take_the_programme_their_paragraph_is_about():
    assert rows(
        "近年来全镇低保范围逐步扩大，人数从2016年的412户,930人增加到现在的455户,1012人。"
    ) == [
        ("dibao_households", "412", "户"),
        ("dibao_persons", "930", "人"),
        ("dibao_households", "455", "户"),
        ("dibao_persons", "1012", "人"),
    ]
    assert rows("低保资金投入从2016年318万元增加到2020年的402万元。") == [
        ("fund_amount", "318", "万元"),
        ("fund_amount", "402", "万元"),
    ]


def test_staffing_ceilings_and_each_office_staffed_are_norms():
    assert rows("区、镇两级分别配备核对人员不超过5人和2人。") == [
        ("staff_norm", "5", "人"),
        ("staff_norm", "2", "人"),
    ]
    assert rows("每个街道民政科配备2至4名专职人员；每个社区配备1名民政协理员。") == [
        ("staff_norm", "2", "人"),
        ("staff_norm", "1", "人"),
    ]
    # "the most" describes, it does not cap
    assert rows("最多的街道有6名工作人员。") == [("staff_total", "6", "人")]


def test_offices_counted_after_a_parenthesis_and_bare_populations_and_magnitudes():
    assert rows("全市共设置民政办(所)96个。") == [("units_count", "96", "个")]
    assert rows("全镇总人口6.3万，以农业人口为主。") == [("population", "63000", "人")]
    assert rows("辖区内有各类民政服务对象千余人。") == [("poor_persons", "1000", "人")]


def test_fees_and_the_parts_of_a_fund_in_a_paragraph_are_funds():
    assert rows("机关离退休费86.2万元。") == [("fund_amount", "86.2", "万元")]
    assert rows("全年救助资金支出3120.5万元(医疗救助410.2万元;孤儿88.6万元)。") == [
        ("fund_amount", "3120.5", "万元"),
        ("fund_amount", "410.2", "万元"),
        ("fund_amount", "88.6", "万元"),
    ]
    # a sale in the same paragraph is still not a fund
    assert rows("救助资金支出3120.5万元;福彩销售额960万元。")[1][0] == "other"


def test_a_rate_named_after_its_amount_and_cancelled_households():
    assert rows("为低保对象发放每人每月20元的物价补贴。") == [("subsidy_level", "20", "元")]
    assert rows("今年城乡低保动态管理，截至9月共取消46户，新增51户。") == [
        ("dibao_households", "46", "户"),
        ("dibao_households", "51", "户"),
    ]


# ---------------------------------------------------------------- round 11 failure classes


def test_standards_raised_to_and_average_assistance_levels():
    assert rows("城市低保标准城区和各县分别提高到310元、290元，农村低保标准提高到2400元。") == [
        ("assistance_standard", "310", "元"),
        ("assistance_standard", "290", "元"),
        ("assistance_standard", "2400", "元"),
    ]
    assert rows("全年实施临时救助150人次，平均救助水平为1820.5元/人次。")[1] == (
        "subsidy_level",
        "1820.5",
        "元",
    )


def test_changes_on_last_year_and_people_affected_by_disaster():
    assert rows("全县有低保对象4120户6315人，比去年同期增加213人。") == [
        ("dibao_households", "4120", "户"),
        ("dibao_persons", "6315", "人"),
        ("dibao_persons", "213", "人"),
    ]
    assert rows("今年洪灾造成全县12.6万人受灾。") == [("other", "126000", "人")]


def test_staffing_rules_by_population_and_per_village_and_actual_counts():
    assert rows("社区民政专干按3万人口以内配1名、3万人口以上配2名的标准配备。") == [
        ("population", "30000", "人"),
        ("staff_norm", "1", "人"),
        ("population", "30000", "人"),
        ("staff_norm", "2", "人"),
    ]
    assert rows("每个社区确定1名网格员担任民政协理员，目前共配备人员215名。") == [
        ("staff_norm", "1", "人"),
        ("staff_total", "215", "人"),
    ]
    assert rows("设有8个城市街道办事处。") == [("units_count", "8", "个")]


def test_a_table_copied_column_by_column():
    text = "表2.特困人员供养方式分布\n分类\n集中供养\n分散供养\n城区\n人数\n41\n236\n18\n比例(%)\n13.9\n80.0\n6.1"
    assert rows(text) == [
        ("tekun_persons", "41", "人"),
        ("tekun_persons", "236", "人"),
        ("tekun_persons", "18", "人"),
    ]


# ---------------------------------------------------------------- round 12 failure classes


def test_a_garbled_rate_and_a_standard_raised_from_the_old_one():
    from analysis.evidence import clean_text

    assert rows(clean_text("农村低保标准由900元/人。年提高到1080元/人。年。")) == [
        ("assistance_standard", "900", "元"),
        ("assistance_standard", "1080", "元"),
    ]
    assert rows("全镇城乡低保由原来保障标准610元提高到690元。") == [
        ("assistance_standard", "610", "元"),
        ("assistance_standard", "690", "元"),
    ]


def test_person_times_paid_by_a_fund_and_a_group_named_after_the_count():
    assert rows("现有城市低保对象320户612人，累计发放资金96.4万元7344人次。") == [
        ("dibao_households", "320", "户"),
        ("dibao_persons", "612", "人"),
        ("fund_amount", "96.4", "万元"),
        ("dibao_persons", "7344", "人次"),
    ]
    assert rows("为21名失能的农村特困人员发放护理补贴3.2万元。") == [
        ("tekun_persons", "21", "人"),
        ("fund_amount", "3.2", "万元"),
    ]


def test_social_work_staff_and_stations_and_a_count_widened_to():
    assert rows("全市社会工作从业人员2.4万人，建成乡镇(街道)社工站126个。") == [
        ("staff_total", "24000", "人"),
        ("units_count", "126", "个"),
    ]
    assert rows("农村低保保障对象从5120人扩大到6034人。") == [
        ("dibao_persons", "5120", "人"),
        ("dibao_persons", "6034", "人"),
    ]
    # a population band in a staffing rule is not a head-count of staff
    assert rows("民政干部按2万人口以内配3名配备。")[0] == ("population", "20000", "人")


# ---------------------------------------------------------------- round 13 failure classes


def test_a_statistics_table_with_a_code_column_copied_one_cell_per_line():
    from analysis.evidence import clean_text

    raw = (
        "指标名称 | 单位 | 代码 | 本期 | 上年 |\n"
        "(一)乡镇 | 个 | ABC010100000 | 14 | 14 |\n"
        "1.社会救助 |\n万元 |\nABC020000000 |\n2,310.5 |\n2,100.0 |\n"
        "(1)低保支出 |\n万元 |\nABC020100000 |\n1,480.2 |\n1,390.7 |\n"
        "(2)特困供养支出 |\n万元 |\nABC020200000 |\n402.9 |\n388.0 |\n"
    )
    assert rows(clean_text(raw)) == [
        ("units_count", "14", "个"),
        ("fund_amount", "2310.5", "万元"),
        ("fund_amount", "1480.2", "万元"),
        ("fund_amount", "402.9", "万元"),
    ]


def test_households_in_hardship_and_military_families():
    assert rows("共走访困难户25户，其中特困家庭9户，军烈属家庭4户。") == [
        ("poor_persons", "25", "户"),
        ("poor_persons", "9", "户"),
        ("youfu_persons", "4", "户"),
    ]
    # 特困供养 recipients stay 特困
    assert rows("全县特困供养人员812人。") == [("tekun_persons", "812", "人")]


# ---------------------------------------------------------------- round 14: flattened tables


def test_a_long_statistics_table_with_each_cell_and_bar_on_its_own_line():
    from analysis.evidence import clean_text

    cells = [
        "2023年三季度社会救助统计表", "项 目", "计量单位", "本 季", "上 季",
        "一、城乡低保", "", "", "",
        "城市低保对象人数", "万人", "3.4", "3.5",
        "农村低保户数", "户", "21,406", "21,390",
        "二、特困供养", "", "", "",
        "分散供养特困人员", "人", "5120", "5098",
        "特困人员供养金支出", "万元", "1,208.6", "1,150.0",
    ]  # fmt: skip
    raw = cells[0] + "\n" + "\n|\n".join(cells[1:]) + "\n|"
    # only 本季 is read (上季 is last quarter's); 3.4万人 is 34000 人; the section row
    # (一、城乡低保 | | | |) names no figure
    assert rows(clean_text(raw)) == [
        ("dibao_persons", "34000", "人"),
        ("dibao_households", "21406", "户"),
        ("tekun_persons", "5120", "人"),
        ("fund_amount", "1208.6", "万元"),
    ]


def test_a_wide_table_whose_two_level_header_comes_before_all_its_figures():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "2024年6月城乡低保",
            "低保户数", "(户)", "低保人数", "(人)",
            "城市", "农村",
            "当月低保", "金支出", "(万元)",  # one header cell wrapped over two lines
            "城市户数", "(户)", "城市人数", "(人)", "农村户数", "(户)", "农村人数", "(人)",
            "1520", "2710", "430", "690", "1090", "2020", "215.36",
        ]
    )  # fmt: skip
    # columns in order: 低保户数, 低保人数, 城市 (户数, 人数), 农村 (户数, 人数), 当月低保金支出;
    # read in header order instead, 430 would be money and 215.36 a count of persons
    assert rows(clean_text(raw)) == [
        ("dibao_households", "1520", "户"),
        ("dibao_persons", "2710", "人"),
        ("dibao_households", "430", "户"),
        ("dibao_persons", "690", "人"),
        ("dibao_households", "1090", "户"),
        ("dibao_persons", "2020", "人"),
        ("fund_amount", "215.36", "万元"),
    ]


def test_a_wide_table_with_three_header_levels_and_a_shorter_row_after_it():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "2024年二季度特困人员救助供养",
            "总人数", "(人)", "分散供养", "集中供养", "当月供养金(万元)",
            "城市", "农村", "户数", "(户)", "人数", "(人)",
            "户数", "(户)", "人数", "(人)", "户数", "(户)", "人数", "(人)",
            "54", "10", "11", "30", "31", "12", "12", "36.48",
            "失能人员", "6", "4.50",
        ]
    )  # fmt: skip
    # columns: 总人数 | 分散供养: 城市 (户数, 人数), 农村 (户数, 人数) | 集中供养 (户数, 人数) |
    # 当月供养金. 54 = 11 + 31 + 12 persons. The row 失能人员 has a whole number (the first
    # count column, 总人数) and a decimal (the money column).
    assert rows(clean_text(raw)) == [
        ("tekun_persons", "54", "人"),
        ("tekun_persons", "10", "户"),
        ("tekun_persons", "11", "人"),
        ("tekun_persons", "30", "户"),
        ("tekun_persons", "31", "人"),
        ("tekun_persons", "12", "户"),
        ("tekun_persons", "12", "人"),
        ("fund_amount", "36.48", "万元"),
        ("tekun_persons", "6", "人"),
        ("fund_amount", "4.50", "万元"),
    ]


def test_short_lines_with_figures_but_no_units_are_not_a_table():
    from analysis.evidence import clean_text

    raw = "目录\n第一章 总则\n1\n第二章 低保\n5\n第三章 特困\n9\n附表\n12"
    assert rows(clean_text(raw)) == []


def test_the_old_rural_hardship_relief_counts_poor_households_not_tekun():
    assert rows("全省农村特困救济户数8.6万户，特困救济人数20.3万人。") == [
        ("poor_persons", "86000", "户"),
        ("poor_persons", "203000", "人"),
    ]


def test_low_income_people_and_relief_recipients_are_poor_persons():
    assert rows("全县纳入监测的低收入人口3210户6544人。") == [
        ("poor_persons", "3210", "户"),
        ("poor_persons", "6544", "人"),
    ]
    assert rows("春节前为1.5万名困难人员送去慰问，走访传统救济对象120人。") == [
        ("poor_persons", "15000", "人"),
        ("poor_persons", "120", "人"),
    ]


def test_a_floor_after_the_staffing_verb_is_a_norm():
    # 不低于 after 配备, not before it: still a rule, not a count of staff
    assert rows("服务对象超过5000人的街道，社会救助经办人员配备不低于4人。") == [
        ("other", "5000", "人"),
        ("staff_norm", "4", "人"),
    ]


def test_rates_written_with_a_division_slash_and_a_pause_mark():
    from analysis.evidence import clean_text

    expected = [("subsidy_level", "210", "元", "月"), ("subsidy_level", "180", "元", "月")]
    for text in (
        "低保补助水平分三档：一档210元∕人、月、二档180元∕人、月。",  # named before the colon
        "低保月补助水平分别为一档210元∕人、月、二档180元∕人、月。",  # the second is graded like the first
    ):
        found = extract_text(clean_text(text))
        assert [(r["indicator"], r["value"], r["unit"], r["period"]) for r in found] == expected


def test_households_before_persons_take_the_programme_named_after_them():
    assert rows("目前全镇有418户697人享受农村低保。") == [
        ("dibao_households", "418", "户"),
        ("dibao_persons", "697", "人"),
    ]
    # a programme after the persons only: households without persons stay unlabelled
    assert rows("走访418户，其中697人享受农村低保。")[0] == ("other", "418", "户")


def test_divisions_counted_without_a_measure_word():
    assert rows("该县辖7镇5乡，另有2区3县为对口协作地区。") == [
        ("units_count", "7", "镇"),
        ("units_count", "5", "乡"),
        ("units_count", "2", "区"),
        ("units_count", "3", "县"),
    ]
    assert rows("第3区召开会议。") == []  # an ordinal, not a count


# ---------------------------------------------------------------- round 15 failure classes


def test_two_statistics_tables_set_side_by_side_in_spaces():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "表3 2023年社会服务机构与救助情况",
            "指 标 名 称      单位   2023年  2022年      指 标 名 称      单位   2023年  2022年",
            "一、低保对象            人              四、社区服务",
            "城市低保人数            人    3120   3350       社区服务站        个     88    80",
            "农村低保人数            人   15406  16020       五、救助管理",
            "二、敬老院                                 六、儿童福利",
            "个    数            个      12     13       儿童福利机构       个      2     2",
            "床    位            个     860    900    七、村委会数         个    214   214",
        ]
    )
    # the left table (低保, 敬老院) and the right one (社区服务, 儿童福利, 村委会) are read
    # each under its own sections; 个 数 is 敬老院's 个数, 床 位 counts beds (not units); only
    # the 2023 column is read
    assert rows(clean_text(raw)) == [
        ("dibao_persons", "3120", "人"),
        ("units_count", "88", "个"),
        ("dibao_persons", "15406", "人"),
        ("units_count", "12", "个"),
        ("units_count", "2", "个"),
        ("other", "860", "个"),
        ("units_count", "214", "个"),
    ]


def test_a_standard_stated_without_its_period_and_its_rise():
    assert rows("目前全县月低保标准为980元，比2021年提高160元；特困人员基本生活标准为1280元。") == [
        ("assistance_standard", "980", "元"),
        ("assistance_standard", "160", "元"),
        ("assistance_standard", "1280", "元"),
    ]


def test_social_work_stations_agencies_and_staff_in_wan():
    assert rows("全省建成1.2万个社工站，引导3000余家社会工作服务机构参与，配备2万余名社工。") == [
        ("units_count", "12000", "个"),
        ("units_count", "3000", "家"),
        ("staff_total", "20000", "人"),
    ]
    # people served are neither a population nor a programme
    assert rows("全县乡镇社工站累计服务对象达12.5万人。") == [("other", "125000", "人")]


def test_medical_assistance_is_not_carried_into_the_programme_before_it():
    # people given medical aid are poor people given relief (batch 31), not 优抚
    assert rows("全镇优抚对象23人，城乡大病救助37人，日常医疗救助51人。") == [
        ("youfu_persons", "23", "人"),
        ("poor_persons", "37", "人"),
        ("poor_persons", "51", "人"),
    ]


def test_civil_affairs_clients_veterans_and_a_share_of_relief_money():
    assert rows("全镇共服务各类民政对象860人。") == [("poor_persons", "860", "人")]
    assert rows("历年共接收复员退伍转业军人2315人。") == [("youfu_persons", "2315", "人")]
    assert rows("农村低保金占救助金总额的60.5%。") == [("fund_share", "60.5", "%")]


# ---------------------------------------------------------------- round 16 failure classes


def test_a_bilingual_yearbook_series_with_figures_on_their_own_lines():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "表5-3 城乡社会救助情况",
            "Statistics of Social Assistance",
            "项目 Item 2012 2016 2022",
            "  城市居民最低保障家庭数(户)   Number of Households Receiving Minimum",
            "  Living Allowance in Urban Areas(household)",
            "15230 12044 8031",
            "    #老年人    Old People 4120 3018 2207",
            "  农村特困人员全年供养支出(万元)  Support Expenditure of Destitute People",
            " in Rural Areas(10000 yuan)",
            "3120.5 4470 6802.25",
        ]
    )
    # every year of the series is read (2012, 2016, 2022); the English is not a label, and the
    # #老年人 row has no unit of its own (it is not a count the table states a unit for)
    assert rows(clean_text(raw)) == [
        ("dibao_households", "15230", "户"),
        ("dibao_households", "12044", "户"),
        ("dibao_households", "8031", "户"),
        ("fund_amount", "3120.5", "万元"),
        ("fund_amount", "4470", "万元"),
        ("fund_amount", "6802.25", "万元"),
    ]


def test_kinds_of_care_homes_in_brackets_and_their_residents():
    assert rows("全县共有养老机构15家(公办8家,民办4家,公建民营3家)，已入住敬老院136人。") == [
        ("units_count", "15", "家"),
        ("units_count", "8", "家"),
        ("units_count", "4", "家"),
        ("units_count", "3", "家"),
        ("tekun_persons", "136", "人"),
    ]
    assert rows("向6家民办(公建民营)养老机构拨付运营补贴。") == [("units_count", "6", "家")]


def test_medical_relief_a_grant_per_community_and_populations_in_wan():
    # medical aid is relief of poor people (batch 31), not 五保 carried on
    assert rows("五保供养老人212人，城乡医疗困难救助对象1830人次。") == [
        ("tekun_persons", "212", "人"),
        ("poor_persons", "1830", "人次"),
    ]
    assert rows("今后三年以每个社区每年20万元的购买扶持力度推进社工服务。")[-1] == (
        "fund_amount",
        "20",
        "万元",
    )
    assert rows("该镇有45万的常住人口，另有8.6万户籍人口在外务工。") == [
        ("population", "450000", "人"),
        ("population", "86000", "人"),
    ]


_HEADS = ["类别", "户数", "人数", "资金(万元)"]
_BODY = [["城市低保", "512", "833", "61.25"], ["农村特困", "96", "97", "40.8"]]


@pytest.mark.parametrize(
    "raw",
    [
        "\n".join("\t".join(r) for r in [_HEADS, *_BODY]),  # tabs
        "\n".join("    ".join(r) for r in [_HEADS, *_BODY]),  # spaces
        "\n".join(
            ["| " + " | ".join(_HEADS) + " |", "|---|---|---|---:|"]
            + ["| " + " | ".join(r) + " |" for r in _BODY]
        ),  # Markdown, with its rule line
        "<html><body><table>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in [_HEADS, *_BODY])
        + "</table></body></html>",  # HTML cells
    ],
    ids=["tabs", "spaces", "markdown", "html"],
)
def test_a_table_whose_column_heads_name_the_units(raw):
    from analysis.evidence import clean_text

    # each figure takes its column's unit (户数 -> 户, 人数 -> 人, 资金(万元) -> 万元); before,
    # the HTML cells ran together (512833) and the other forms lost or mislabelled columns
    assert rows(clean_text(raw)) == [
        ("dibao_households", "512", "户"),
        ("dibao_persons", "833", "人"),
        ("fund_amount", "61.25", "万元"),
        ("tekun_persons", "96", "户"),
        ("tekun_persons", "97", "人"),
        ("fund_amount", "40.8", "万元"),
    ]


def test_year_columns_and_a_unit_stated_above_the_table():
    from analysis.evidence import clean_text

    # 单位：万元 gives the unit of rows that name none; each year column is read
    raw = "单位：万元\n项目 2021年 2022年\n城乡低保资金 876.5 912\n临时救助资金 64.25 70.1"
    assert rows(clean_text(raw)) == [
        ("fund_amount", "876.5", "万元"),
        ("fund_amount", "912", "万元"),
        ("fund_amount", "64.25", "万元"),
        ("fund_amount", "70.1", "万元"),
    ]
    # a row's own unit, (人), serves the year columns; 增长(%) names no quantity
    raw = "指标 2021年 2022年 增长(%)\n农村特困人员(人) 1540 1498 -2.7"
    assert rows(clean_text(raw)) == [
        ("tekun_persons", "1540", "人"),
        ("tekun_persons", "1498", "人"),
    ]
    raw = "单位:个\n指标 数量\n乡镇 11\n社区居委会 27"
    assert rows(clean_text(raw)) == [("units_count", "11", "个"), ("units_count", "27", "个")]


def test_applicants_combined_programmes_and_a_second_staff_ceiling():
    # households applying for 低保 are checked, not yet recipients
    assert rows("全年入户核查低保申请家庭1260户。") == [("poor_persons", "1260", "户")]
    # a total over two programmes named together is a count of poor persons
    assert rows("全县城乡低保和特困人员共3210人。") == [("poor_persons", "3210", "人")]
    # 和 carries the staff ceiling over, though a programme (申请家庭) was named before it
    assert rows("承担低保申请家庭核对工作，分别配备工作人员不超过5人和2人。") == [
        ("staff_norm", "5", "人"),
        ("staff_norm", "2", "人"),
    ]


def test_the_group_named_right_after_a_count_is_its_own():
    assert rows("春节前为2150名农村五保对象和9320名优抚对象发放慰问金。") == [
        ("tekun_persons", "2150", "人"),
        ("youfu_persons", "9320", "人"),
    ]


# ---------------------------------------------------------------- round 17 failure classes


def test_a_table_with_a_serial_column_padded_cells_and_net_changes():
    from analysis.evidence import clean_text

    cells = [
        "二、各社区特困供养数据表",
        "序号", "社 区", "本月 人数", "净增减人数", "本月 支出(元)", "净增减 金额(元)",
        "东 街", "41", "-2", "32800", "-1600",
        "2", "西 街", "37", "1", "29600", "800",
        "3", "南 街", "25", "0", "20000", "0",
        "合计", "103", "-1", "82400", "-800",
    ]  # fmt: skip
    raw = "\n".join(f"{c} |" for c in cells)
    # 2 and 3 number the rows (序号), the padding in 本月 人数 and 东 街 is not a break; a
    # negative net change is no count, a positive one is read (its money is no fund)
    assert rows(clean_text(raw)) == [
        ("tekun_persons", "41", "人"),
        ("fund_amount", "32800", "元"),
        ("tekun_persons", "37", "人"),
        ("tekun_persons", "1", "人"),
        ("fund_amount", "29600", "元"),
        ("other", "800", "元"),
        ("tekun_persons", "25", "人"),
        ("tekun_persons", "0", "人"),
        ("fund_amount", "20000", "元"),
        ("other", "0", "元"),
        ("tekun_persons", "103", "人"),
        ("fund_amount", "82400", "元"),
    ]


def test_a_bilingual_table_whose_units_follow_the_figures_or_head_the_section():
    from analysis.evidence import clean_text

    cells = [
        "项 目", "Item", "2007", "2008", "增减%",
        "一、优抚(万人)", "Preferential Treatment (10000 persons)",
        "享受定期抚恤补助", "Beneficiaries of", "612.4", "615.0", "0.4",
        "优抚对象", "Regular Pensions",
        "二、社会救助", "Social Relief",
        "农村五保供养人数", "Number of Persons", "531.3", "548.6", "3.3", "(万人)",
        "Receiving Five Guarantees",
    ]  # fmt: skip
    raw = "\n".join(f"{c} |" for c in cells)
    # (万人) in the heading of section 一 is the unit of its rows, though a wrapped label
    # line (优抚对象) comes between; (万人) after the figures is the unit of that row
    assert rows(clean_text(raw)) == [
        ("youfu_persons", "6124000", "人"),
        ("youfu_persons", "6150000", "人"),
        ("tekun_persons", "5313000", "人"),
        ("tekun_persons", "5486000", "人"),
    ]


def test_social_work_grades_bureau_staff_units_shares_and_households_in_ge():
    assert rows("持证社会工作者中，社会工作师3.1万人，助理社会工作师9.8万人。") == [
        ("staff_total", "31000", "人"),
        ("staff_total", "98000", "人"),
    ]
    # internal sections are units (as batch 26's annotator decided; round 27)
    assert rows("局机关内设四个股室，下辖三个事业单位，全局现有干部职工52人。") == [
        ("units_count", "4", "个"),
        ("units_count", "3", "个"),
        ("staff_total", "52", "人"),
    ]
    assert rows("社会服务事业费占国家财政支出比重为2.6%。") == [("fund_share", "2.6", "%")]
    assert rows("为2140个城乡低保户发放价格补贴。") == [("dibao_households", "2140", "个")]
    # a worker's monthly pay is no assistance standard
    assert rows("专科学历的社区工作者每月报酬1200元。")[0][0] != "assistance_standard"


def test_a_transposed_table_whose_columns_are_programmes():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "| 项目 | 城市低保 | 农村低保 | 特困供养 |",
            "| 户数 | 640 | 2210 | 185 |",
            "| 人数 | 1015 | 3902 | 188 |",
            "| 资金(万元) | 88.4 | 201.7 | 60.25 |",
        ]
    )
    # the column names the programme, the row what it counts and in which unit
    assert rows(clean_text(raw)) == [
        ("dibao_households", "640", "户"),
        ("dibao_households", "2210", "户"),
        ("tekun_persons", "185", "户"),
        ("dibao_persons", "1015", "人"),
        ("dibao_persons", "3902", "人"),
        ("tekun_persons", "188", "人"),
        ("fund_amount", "88.4", "万元"),
        ("fund_amount", "201.7", "万元"),
        ("fund_amount", "60.25", "万元"),
    ]


def test_a_figure_is_not_given_the_unit_of_the_next_cell_down():
    from analysis.evidence import clean_text

    # one cell per line, column by column: 640 is followed by the cell 人数, not by 人
    raw = "项目\n城市低保\n农村低保\n户数\n640\n2210\n人数\n1015\n3902"
    assert rows(clean_text(raw)) == [
        ("dibao_households", "640", "户"),
        ("dibao_households", "2210", "户"),
        ("dibao_persons", "1015", "人"),
        ("dibao_persons", "3902", "人"),
    ]
    # a figure whose unit was wrapped onto the next line alone still has it
    assert rows("全县共有农村低保对象1234\n人。") == [("dibao_persons", "1234", "人")]


def test_a_bare_count_takes_the_programme_of_its_section_heading():
    from analysis.evidence import clean_text

    text = "\n".join(
        [
            "一、农村低保",
            "全镇保障户数820户，保障人数1460人。",
            "二、特困供养情况",
            "12月份在册人员96人。",
            "三、60年代精简退职职工生活补助",
            "12月救助41人。",
        ]
    )
    # a heading with a figure-like 60年代 is still a heading: it ends the 特困 section
    assert rows(clean_text(text)) == [
        ("dibao_households", "820", "户"),
        ("dibao_persons", "1460", "人"),
        ("tekun_persons", "96", "人"),
        ("other", "41", "人"),
    ]
    table = "城市低保情况统计表\n指标 单位 数量\n保障户数 户 512\n保障人数 人 833"
    assert rows(clean_text(table)) == [
        ("dibao_households", "512", "户"),
        ("dibao_persons", "833", "人"),
    ]


# ---------------------------------------------------------------- round 18 failure classes


def test_a_long_yearbook_row_between_bars_with_its_years_on_one_line():
    from analysis.evidence import clean_text

    pad = "|" * 40  # a copy pads every row out to the table's width
    raw = "\n".join(
        [
            f"12-3 社会救助情况 | {pad}",
            f"项 目 | 2019年 | 2020年 | 2021年 | 2022年 | {pad}",
            f"社会救助 | {pad}",
            f"农村居民最低生活保障人数(人) | 30215 | 28840 | 27105 | 26632 | {pad}",
            f"#老年人 | 9120 | 8801 | 8433 | {pad}",
        ]
    )
    # each year is read, in the row's (人); the section row 社会救助 is no column
    assert rows(clean_text(raw)) == [
        ("dibao_persons", "30215", "人"),
        ("dibao_persons", "28840", "人"),
        ("dibao_persons", "27105", "人"),
        ("dibao_persons", "26632", "人"),
    ]


def test_unit_rows_of_a_series_set_in_spaces_and_no_fractional_counts():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "指标 2016 年 2017 年 2018 年",
            "社区居委会 10231 10470 10688",
            "民办非企业单位 2.6 2.9 3.3",
        ]
    )
    # 社区居委会 counts units (个); 2.6 is a count in 万 whose scale the table lost: no count
    assert rows(clean_text(raw)) == [
        ("units_count", "10231", "个"),
        ("units_count", "10470", "个"),
        ("units_count", "10688", "个"),
    ]


def test_received_rates_staffing_by_size_and_a_truncated_square_metre():
    assert rows("一等户每人每月享受低保金45元，二等户每人每月享受32元。") == [
        ("subsidy_level", "45", "元"),
        ("subsidy_level", "32", "元"),
    ]
    assert rows("乡镇民政办工作人员按2-4人配备，人口5万以上的各配备4名。") == [
        ("staff_norm", "2", "人"),
        ("staff_norm", "4", "人"),
    ]
    assert rows("民政服务站办公用房面积不少于120方米。") == [("office_area", "120", "方米")]


def test_a_village_named_after_households_and_the_size_of_a_household():
    assert rows("一、珊瑚镇八户村实施农村低保工作的基本情况") == []
    assert rows("一档为共同生活成员为2-3人的低保户，每人每月享受30元。") == [
        ("other", "2", "人"),
        ("subsidy_level", "30", "元"),
    ]


# ---------------------------------------------------------------- round 19 failure classes


def test_community_cadres_groups_and_floating_population():
    assert rows("全县共有社区干部176名，居民小组312个。") == [
        ("staff_total", "176", "人"),
        ("units_count", "312", "个"),
    ]
    # an average that follows the count does not make it one
    assert rows("共有社区工作者640名，其中社工275人平均年龄36岁。")[:2] == [
        ("staff_total", "640", "人"),
        ("staff_total", "275", "人"),
    ]
    assert rows("辖区流动人口约15余万。") == [("population", "150000", "人")]
    assert rows("每个社区的社区工作者不低于12人。") == [("staff_norm", "12", "人")]
    assert rows("三年来共培育社会组织93个。") == [("units_count", "93", "个")]


# ---------------------------------------------------------------- round 20 failure classes


def test_food_short_families_patients_and_a_meeting_room():
    assert rows("全年救济缺粮群众86户301人。") == [
        ("poor_persons", "86", "户"),
        ("poor_persons", "301", "人"),
    ]
    # patients given medical aid are poor people given relief (batch 31), not 五保 carried
    # on from the clause before them
    assert rows("对集中供养的880位五保老人和126名符合救助条件的重大疾病患者进行了医疗救助。") == [
        ("tekun_persons", "880", "人"),
        ("poor_persons", "126", "人"),
    ]
    assert rows("共为2100户城市低保对象发放保障金，累计救助大病患者965人次。")[-1] == (
        "poor_persons",
        "965",
        "人次",
    )
    assert rows("同时应设立15平方米的小会议室1间。")[0] == ("office_area", "15", "平方米")


# ---------------------------------------------------------------- round 21 failure classes


def test_orphans_and_more_kinds_of_units():
    # 孤儿 are no programme: not carried from the 五保 count before them
    assert rows("特别困难户176户230人（其中五保86户86人，孤儿31户31人）。") == [
        ("poor_persons", "176", "户"),
        ("poor_persons", "230", "人"),
        ("tekun_persons", "86", "户"),
        ("tekun_persons", "86", "人"),
        ("other", "31", "户"),
        ("other", "31", "人"),
    ]
    assert rows("全市共有社会团体2310个、基金会96个，设有8个婚姻登记处。") == [
        ("units_count", "2310", "个"),
        ("units_count", "96", "个"),
        ("units_count", "8", "个"),
    ]
    assert rows("截至年底，全国有19个省份建立了该项制度。") == [("units_count", "19", "个")]


def test_a_heading_does_not_make_a_whole_township_its_programme():
    from analysis.evidence import clean_text

    text = "一、农村低保基本情况\n全乡辖9个村，共有5210户。\n全乡保障户数410户。"
    # 共有5210户 is the township; 保障户数 names a count of the section's programme
    assert rows(clean_text(text)) == [
        ("units_count", "9", "个"),
        ("other", "5210", "户"),
        ("dibao_households", "410", "户"),
    ]


# ---------------------------------------------------------------- round 22 failure classes


def test_a_column_headed_persons_or_person_times():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "| 项目 | 户 | 人/人次 | 万元 |",
            "| 城乡低保 | 41250 | 60318 | 2410.5 |",
            "| 临时救助 | —— | 8125 | 620.3 |",
        ]
    )
    # 人/人次: a programme's recipients are persons, relief given is counted in person-times
    assert rows(clean_text(raw)) == [
        ("dibao_households", "41250", "户"),
        ("dibao_persons", "60318", "人"),
        ("fund_amount", "2410.5", "万元"),
        ("temp_assistance", "8125", "人次"),
        ("fund_amount", "620.3", "万元"),
    ]


def test_counties_and_workrooms_named_by_kind():
    assert rows("全省15个脱贫摘帽县和1个边境县实施该项目。") == [
        ("units_count", "15", "个"),
        ("units_count", "1", "个"),
    ]
    assert rows("我区新建了10家特色社区社会工作室。") == [("units_count", "10", "家")]


def test_households_given_relief_of_no_programme_are_poor_households():
    assert rows("春荒期间需衣被救助614户，1830人。") == [
        ("poor_persons", "614", "户"),
        ("poor_persons", "1830", "人"),
    ]
    assert rows("做到救助一户，温暖一片。") == [("other", "1", "户")]  # a slogan


def test_a_per_head_statement_is_not_a_count_but_an_average_attribute_is():
    # 一名工作人员平均要联系220多户: one worker per so many households, not a head-count
    assert rows("乡镇一名民政工作人员平均要联系180多户低保家庭。")[0] == ("other", "1", "人")
    # 社工275人平均年龄36岁: a head-count whose average age follows
    assert rows("其中社工275人平均年龄36岁。")[0] == ("staff_total", "275", "人")


# ---------------------------------------------------------------- round 23 failure classes


def test_workers_pay_care_homes_by_kind_and_three_nos_recipients():
    # the pay of community workers is money spent, not an assistance standard
    found = rows("社区工作者的工资由基本工资和补贴组成，基本工资正职每月680元，副职每月610元。")
    assert found == [("fund_amount", "680", "元"), ("fund_amount", "610", "元")]
    # but a standard stated beside workers is still a standard
    assert rows("城市低保标准为每人每月650元。") == [("assistance_standard", "650", "元")]
    assert rows("去年完成7所民生工程新改扩建农村敬老院。") == [("units_count", "7", "所")]
    assert rows("共为96名城镇“三无”供养人员发放生活费。") == [("tekun_persons", "96", "人")]


# ---------------------------------------------------------------- round 24 failure classes


def test_a_yearbook_of_institutions_with_an_english_total_row():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "12-7 社会福利机构情况",
            "单位:个       (unit)",
            "      item 2019 2020 2021",
            "         total 412 405 398",
            "荣誉军人康复医院     convalescent hospitals 2 2 1",
            "社会福利企业   social welfare enterprises 130 121 117",
            "  干休所   service stations 14 14 13",
        ]
    )
    # the years head the columns though the total row's label was English only (not read);
    # rows naming kinds of institution count units, every year
    assert rows(clean_text(raw)) == [
        ("units_count", "2", "个"),
        ("units_count", "2", "个"),
        ("units_count", "1", "个"),
        ("units_count", "130", "个"),
        ("units_count", "121", "个"),
        ("units_count", "117", "个"),
        ("units_count", "14", "个"),
        ("units_count", "14", "个"),
        ("units_count", "13", "个"),
    ]


# ---------------------------------------------------------------- round 25 failure classes


def test_a_figure_in_round_brackets_is_a_quantity_and_a_document_number_is_not():
    text = "全镇农村低保对象(412人),保障标准（620元/人·月）。依据民发〔2019〕12号和[2020]3号文件。"
    assert rows(text) == [
        ("dibao_persons", "412", "人"),
        ("assistance_standard", "620", "元"),
    ]


def test_a_bar_table_takes_its_programme_from_its_title_and_yuan_for_unstated_money():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "二〇二三年四季度农村特困分散供养发放表 | | | | |",
            "村名 | 户数 | 人数 | 供养金 | 合计 |",
            "东岭 | 6 | 7 | 8400 | 8400 |",
            "西坪 | 4 | 5 | 6000.5 | 6000.5 |",
        ]
    )
    # the households and persons are the title's 特困; a whole amount under 供养金 is in 元,
    # and the total column takes the unit before it; 6000.5 could be 万元 and is left unread
    assert [r for r in rows(clean_text(raw)) if r[0] != "other"] == [
        ("tekun_persons", "6", "户"),
        ("tekun_persons", "7", "人"),
        ("fund_amount", "8400", "元"),
        ("fund_amount", "8400", "元"),
        ("tekun_persons", "4", "户"),
        ("tekun_persons", "5", "人"),
    ]


def test_the_first_head_of_a_bar_table_names_its_rows_not_a_column_of_money():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "| 重度残疾人护理补贴 | 人数 | 标准 |",
            "| 15 | 9 | 8 |",
            "| 东岭村 | 12 | 9 |",
        ]
    )
    # 15 is under the rows' head, not an amount of 护理补贴
    assert ("fund_amount", "15", "元") not in rows(clean_text(raw))


def test_a_paragraph_broken_at_the_page_width_is_read_as_one_sentence():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "一、五保供养",
            "1985年,全县需五保供养者812人,由敬老院集中供养",
            "96人,分散供养716人,其中老人640人、残疾人",
            "55人。",
            "表1 敬老院床位",
            "城关 120",
            "东乡 80",
        ]
    )
    cleaned = clean_text(raw)
    # the broken sentence is one line again; the heading and the table's rows are not joined
    assert cleaned.split("\n") == [
        "一、五保供养",
        "1985年,全县需五保供养者812人,由敬老院集中供养96人,分散供养716人,其中老人640人、残疾人55人。",
        "表1 敬老院床位",
        "城关 120",
        "东乡 80",
    ]
    assert [r for r in rows(cleaned) if r[1] in {"640", "55"}] == [
        ("tekun_persons", "640", "人"),
        ("tekun_persons", "55", "人"),
    ]


def test_a_breakdown_of_a_programme_by_kinds_of_people_stays_in_the_programme():
    text = "全乡分散供养特困人员320人,其中老人250人、残疾人60人。"
    assert rows(text) == [
        ("tekun_persons", "320", "人"),
        ("tekun_persons", "250", "人"),
        ("tekun_persons", "60", "人"),
    ]


# ---------------------------------------------------------------- round 26: box-drawn tables


def test_a_table_drawn_with_box_characters_is_read_by_its_column_heads():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "表3 2001~2003年东乡灾民救济情况表",
            "┌──┬─────┬───┬───┐",
            "│年度│款数(万元)│户数 │人数 │",
            "├──┼─────┼───┼───┤",
            "│2001│3.25 │410 │1533 │",
            "├──┼─────┼───┼───┤",
            "│2002│4.10 │- │- │",
            "└──┴─────┴───┴───┘",
        ]
    )
    cleaned = clean_text(raw)
    assert cleaned.split("\n")[1:] == [
        "| 年度 | 款数(万元) | 户数 | 人数 |",
        "| 2001 | 3.25 | 410 | 1533 |",
        "| 2002 | 4.10 | - | - |",
    ]
    # the title's 救济 names what the households and persons are: poor, given relief
    assert [r for r in rows(cleaned) if r[0] != "other"] == [
        ("fund_amount", "3.25", "万元"),
        ("poor_persons", "410", "户"),
        ("poor_persons", "1533", "人"),
        ("fund_amount", "4.10", "万元"),
    ]


def test_a_box_table_header_over_several_lines_gives_each_column_its_full_head():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "西山县五保户情况统计表",
            "┏━━━━┳━━━┳━━━┳━━━━━━━━━━━┓",
            "┃ ┃五保 ┃五保 ┃ 其 中 ┃",
            "┃ ┃ ┃ ┣━━━━━┳━━━━━┫",
            "┃年份 ┃户数 ┃人数 ┃老人 ┃孤儿 ┃",
            "┃ ┃ ┃ ┃(人) ┃(人) ┃",
            "┣━━━━╋━━━╋━━━╋━━━━━╋━━━━━┫",
            "┃ 1983 ┃ 205 ┃ 236 ┃ 19 0 ┃ 12 ┃",
            "┗━━━━┻━━━┻━━━┻━━━━━┻━━━━━┛",
        ]
    )
    cleaned = clean_text(raw)
    # 其中 spans the last two columns (its rule's ━ say so); a figure the type broke (19 0)
    # is one figure
    assert cleaned.split("\n")[1:] == [
        "| 年份 | 五保户数 | 五保人数 | 其中老人(人) | 其中孤儿(人) |",
        "| 1983 | 205 | 236 | 190 | 12 |",
    ]
    assert [r for r in rows(cleaned) if r[0] != "other"][:3] == [
        ("tekun_persons", "205", "户"),
        ("tekun_persons", "236", "人"),
        ("tekun_persons", "190", "人"),
    ]


def test_relief_that_names_no_programme_counts_poor_persons_and_person_times():
    # 救济 alone (an old county's relief) names poor people; person-times after
    # household-times are counted the same way
    assert rows("当年发放救济款12.5万元,救济3120户次、9875人次,另救济孤寡病残410人。") == [
        ("fund_amount", "12.5", "万元"),
        ("poor_persons", "3120", "户次"),
        ("poor_persons", "9875", "人次"),
        ("poor_persons", "410", "人"),
    ]
    # 救助 also names the staff who give it: a staffing floor stays a norm, not a count of
    # the poor
    assert ("poor_persons", "6", "人") not in rows("规定县级社会救助经办人员不少于6人。")


def test_a_bilingual_yearbook_table_loses_its_english_and_parts_take_the_row_above():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "表 8-3 社会救济情况 basic figures on social relief",
            "      item 2010 2011",
            "(一)城市低保人数(人)   number of urban persons receiving minimum",
            "      living allowance (person)",
            "5230 5012",
            "   老年人     elderly persons 1204 1188",
            "   未成年人     persons under age 18 (person) 873 850",
            "(二)临时救济人次(人次) times of temporary relief (person-times) 930 1020",
            "2.捐赠款(万元)   donated funds (10000 yuan) 36.5 41",
        ]
    )
    cleaned = clean_text(raw)
    # no English is left, nor the figure inside its bracketed unit (10000 yuan)
    assert cleaned.split("\n") == [
        "表 8-3 社会救济情况",
        "2010 2011",
        "(一)城市低保人数(人)",
        "5230 5012",
        "老年人 1204 1188",
        "未成年人 873 850",
        "(二)临时救济人次(人次) 930 1020",
        "2.捐赠款(万元) 36.5 41",
    ]
    found = [r for r in rows(cleaned) if r[0] != "other"]
    # the unnumbered rows under (一) are its parts, 低保 persons in its unit
    assert ("dibao_persons", "1204", "人") in found
    assert ("dibao_persons", "850", "人") in found
    assert ("temp_assistance", "930", "人次") in found  # 临时救济: the old name of 临时救助
    assert not [r for r in found if r[1] == "10000"]


def test_english_in_a_chinese_sentence_stays():
    from analysis.evidence import clean_text

    # one phrase in a Chinese text is no translation: only a bilingual table loses its English
    text = "全县引进social work station模式,GDP增长7.5%,A类低保对象120人,B类低保对象86人。"
    assert clean_text(text) == text


def test_households_applying_for_dibao_are_poor_and_a_group_size_is_no_count():
    text = "本季度对58户申请低保户入户核查,其中49户通过评议;评议时申请低保户分为3人一组。"
    found = rows(text)
    assert ("poor_persons", "58", "户") in found  # applying, not yet receiving 低保
    assert not [r for r in found if r[0] == "dibao_households"]
    assert [r for r in found if r[1] == "3"] == [("other", "3", "人")]  # the size of a group


# ---------------------------------------------------------------- round 27 failure classes


def test_a_standard_raised_with_its_period_before_each_amount():
    # 一年 before a figure is the period of the amount, not a quantity of its own
    assert rows("全乡五保对象供养标准由一年960元提高到一年1150元。") == [
        ("assistance_standard", "960", "元"),
        ("assistance_standard", "1150", "元"),
    ]


def test_elderly_taken_into_homes_and_people_short_of_food():
    assert rows("1962年全县办起6处敬老院,收养孤寡老人173人。") == [
        ("units_count", "6", "处"),
        ("tekun_persons", "173", "人"),
    ]
    assert rows("入春以来口粮不足的群众达812户3040人,春荒人口共5400人。") == [
        ("poor_persons", "812", "户"),
        ("poor_persons", "3040", "人"),
        ("poor_persons", "5400", "人"),
    ]


def test_staff_outside_the_establishment_and_workers_of_a_service_centre():
    found = rows("局机关在编人员12人,编外人员4人;县社工服务中心有从业人员6人。")
    assert ("staff_total", "4", "人") in found
    assert ("staff_total", "6", "人") in found


def test_the_categories_of_a_programme_broken_down_after_its_name_and_zhong():
    text = (
        "全村现有低保户36户71人。在低保户中: 一类家庭12户,其中三无人员3户3人、"
        "重残家庭9户20人。二类家庭24户51人。另有特困供养人员5人。"
    )
    found = [r for r in rows(text) if r[0] != "other"]  # (一类, 二类: 1 类, 2 类)
    # every category after 低保户中 is 低保, 三无 included (in its sentence); 特困 named
    # in a sentence of its own stays 特困
    assert found == [
        ("dibao_households", "36", "户"),
        ("dibao_persons", "71", "人"),
        ("dibao_households", "12", "户"),
        ("dibao_households", "3", "户"),
        ("dibao_persons", "3", "人"),
        ("dibao_households", "9", "户"),
        ("dibao_persons", "20", "人"),
        ("dibao_households", "24", "户"),
        ("dibao_persons", "51", "人"),
        ("tekun_persons", "5", "人"),
    ]


def test_the_old_names_of_military_families_and_pensions_are_youfu():
    text = (
        "据普查,全县烈士家属52户,160人;现役军人家属310户,1022人;革命残废军人23人,"
        "老革命4人;享受定期抚恤人员88人。当年发放抚恤金6.4万元。"
    )
    assert [r for r in rows(text) if r[0] != "other"] == [
        ("youfu_persons", "52", "户"),
        ("youfu_persons", "160", "人"),
        ("youfu_persons", "310", "户"),
        ("youfu_persons", "1022", "人"),
        ("youfu_persons", "23", "人"),
        ("youfu_persons", "4", "人"),
        ("youfu_persons", "88", "人"),
        ("fund_amount", "6.4", "万元"),
    ]


def test_moves_between_grades_link_counts_like_inflows_and_outflows():
    text = "全区城市低保户1200户2400人,其中新增80户150人,增补30户62人,降补25户49人,停保40户77人。"
    assert rows(text) == [
        ("dibao_households", v, "户") if u == "户" else ("dibao_persons", v, "人")
        for v, u in [
            ("1200", "户"),
            ("2400", "人"),
            ("80", "户"),
            ("150", "人"),
            ("30", "户"),
            ("62", "人"),
            ("25", "户"),
            ("49", "人"),
            ("40", "户"),
            ("77", "人"),
        ]
    ]


def test_an_establishment_counts_posts_in_ge_and_the_posts_listed_inside_it():
    text = "全局共有编制24个,其中:行政编制9个,包含局长1名,副局长2名,其他工作人员6名;事业编制15个。"
    assert [r for r in rows(text) if r[0] != "other"] == [
        ("staff_established", "24", "个"),
        ("staff_established", "9", "个"),
        ("staff_established", "1", "人"),
        ("staff_established", "2", "人"),
        ("staff_established", "6", "人"),
        ("staff_established", "15", "个"),
    ]
    # internal sections are units
    assert rows("局机关内设办公室、社会救助股等5个股室。") == [("units_count", "5", "个")]


def test_person_times_of_poor_people_and_posts_a_rule_sets_in_ge():
    assert rows("上半年共救助困难群众1320户次、2875人次。") == [
        ("poor_persons", "1320", "户次"),
        ("poor_persons", "2875", "人次"),
    ]
    # 设N个岗位 by a rule is a staffing norm, counted in posts (个), as stated
    assert rows("按照2万人以下的乡镇设1个岗位、2万人以上的乡镇设2个岗位的标准配备。") == [
        ("population", "20000", "人"),
        ("staff_norm", "1", "个"),
        ("population", "20000", "人"),
        ("staff_norm", "2", "个"),
    ]


def test_an_office_fixed_establishment_is_established_and_a_rule_of_it_a_norm():
    assert rows("1990年县民政局定编14人,其中局长1人。") == [
        ("staff_established", "14", "人"),
        ("staff_established", "1", "人"),
    ]
    assert rows("按每个乡镇民政所定编3人配备。") == [("staff_norm", "3", "人")]


# ---------------------------------------------------------------- round 29 failure classes


def test_veterans_and_people_in_hardship_given_relief_and_staff_recruited_from_veterans():
    text = "春节前走访慰问退役士兵86名、军队离退休干部14名;救助困难职工520名,慰问困难老党员73人。"
    assert rows(text) == [
        ("youfu_persons", "86", "人"),
        ("youfu_persons", "14", "人"),
        ("poor_persons", "520", "人"),
        ("poor_persons", "73", "人"),
    ]
    # the people recruited are staff, whatever group they came from
    assert rows("全县从退役军人中招聘48名民政协理员。") == [("staff_total", "48", "人")]


def test_a_series_of_years_repeated_under_each_head_with_a_unit():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "表5 民政服务机构及职工人数",
            "项目 机构数(个) 职工人数(人)",
            "2019 2020 2021 2019 2020 2021",
            "社会福利院 12 13 13 240 251 263",
            "救助管理站 4 4 5 37 40 41",
        ]
    )
    found = [r for r in rows(clean_text(raw)) if r[0] != "other"]
    # each row's first three figures count institutions, the last three their staff
    assert found == [
        ("units_count", "12", "个"),
        ("units_count", "13", "个"),
        ("units_count", "13", "个"),
        ("staff_total", "240", "人"),
        ("staff_total", "251", "人"),
        ("staff_total", "263", "人"),
        ("units_count", "4", "个"),
        ("units_count", "4", "个"),
        ("units_count", "5", "个"),
        ("staff_total", "37", "人"),
        ("staff_total", "40", "人"),
        ("staff_total", "41", "人"),
    ]


def test_a_bar_table_with_a_units_row_sub_heads_total_columns_and_a_totals_row():
    from analysis.evidence import clean_text

    raw = "\n".join(
        [
            "单位:人、元 | | | | | |",
            "序号 | 乡镇 | 农村低保保障户数 | 保障户数 | 低保金 | 城乡合计 |",
            "当月 | 累计 | 当月发放 | |",
            "1 | 东河镇 | 30 | 30 | 12500.00 | 12500.00 |",
            "合计 | 30 | 30 | 12500.00 | 12500.00 |",
        ]
    )
    found = [r for r in rows(clean_text(raw)) if r[0] != "other"]
    # the sub-heads' line keeps the header above; 保障户数 totals the 低保 column before it;
    # money whose column names no unit is in the 元 of the units row, decimals too; the
    # totals row, whose label spans 序号 and 乡镇, lines up from the right
    assert (
        found
        == [
            ("dibao_households", "30", "户"),
            ("dibao_households", "30", "户"),
            ("fund_amount", "12500.00", "元"),
            ("fund_amount", "12500.00", "元"),
        ]
        * 2
    )


# ---------------------------------------------------------------- round 30


def test_disabled_people_given_their_subsidies_and_children_in_difficulty_are_poor():
    text = "全年发放困难残疾人生活补贴3120人次,重度残疾人护理补贴4480人次;困境儿童215人纳入保障。"
    assert [r for r in rows(text) if r[2] != "万元"] == [
        ("poor_persons", "3120", "人次"),
        ("poor_persons", "4480", "人次"),
        ("poor_persons", "215", "人"),
    ]
    # disabled people as a part of a programme's count stay in the programme
    assert rows("全镇特困供养人员86人,其中残疾人31人。") == [
        ("tekun_persons", "86", "人"),
        ("tekun_persons", "31", "人"),
    ]


# ---------------------------------------------------------------- round 31


def test_a_verb_only_clause_takes_its_rate_from_the_clause_before():
    # the clause before names a subsidy level (水平) or a standard (标准) and gives no amount
    assert rows("城市低保标准提高到650元/月，月人均补助水平，由420元提高到455元。") == [
        ("assistance_standard", "650", "元"),
        ("subsidy_level", "420", "元"),
        ("subsidy_level", "455", "元"),
    ]
    assert rows("农村低保保障标准上调12.5%，达到4680元。") == [
        ("other", "12.5", "%"),
        ("assistance_standard", "4680", "元"),
    ]


def test_income_below_the_line_states_the_standard():
    assert rows("凡家庭人均月收入低于640元的，按差额发放低保金。") == [
        ("assistance_standard", "640", "元"),
    ]


def test_amounts_paid_to_each_person_are_subsidy_levels():
    assert rows("春节前为全乡五保老人每人发放慰问金300元。") == [("subsidy_level", "300", "元")]
    assert rows("孤寡老人每季度每人发给生活费90元。") == [("subsidy_level", "90", "元")]
    assert rows("医疗救助资金按每人12元筹集，其中县级按每人8元。") == [
        ("subsidy_level", "12", "元"),
        ("subsidy_level", "8", "元"),
    ]
    # 人平, as 人均 is written in Hunan and Hubei
    assert rows("安排救灾资金240万元，人平9元。") == [
        ("fund_amount", "240", "万元"),
        ("subsidy_level", "9", "元"),
    ]
    # a standard per person per month of a programme stays a standard
    assert rows("按每人每月650元保障散居孤儿112名。")[0] == ("assistance_standard", "650", "元")


def test_rates_of_disability_subsidies_are_subsidy_levels():
    text = (
        "全县享受重度残疾人护理补贴的1420人，每人每月90元；其中一级重残人员310人，每人每月120元。"
    )
    assert [r for r in rows(text) if r[2] == "元"] == [
        ("subsidy_level", "90", "元"),
        ("subsidy_level", "120", "元"),
    ]
    # a 低保 standard in a sentence that also names the disability subsidies stays a standard
    text = "根据提高低保和残疾人两项补贴标准的通知，城市低保标准提高到700元/月。"
    assert [r for r in rows(text) if r[2] == "元"] == [("assistance_standard", "700", "元")]


def test_parts_of_units_named_by_what_is_said_of_them():
    text = "今年新建村级服务站共86个，已投入使用的有52个，正在施工的34个。"
    assert rows(text) == [
        ("units_count", "86", "个"),
        ("units_count", "52", "个"),
        ("units_count", "34", "个"),
    ]


def test_relief_groups_named_after_a_pair_of_households_and_persons():
    # the pair is of the programme named after it, not of 低保 named earlier in the paragraph
    text = "全乡低保对象412户806人；另有96户133人享受分类救助，发放救助金4.2万元。"
    assert rows(text)[2:4] == [("poor_persons", "96", "户"), ("poor_persons", "133", "人")]
    # the older 特困救助 of poor households, and 特困人员救助供养
    assert rows("当年共有1.8万户、4.1万人得到特困救助。") == [
        ("poor_persons", "18000", "户"),
        ("poor_persons", "41000", "人"),
    ]
    assert rows("全县特困人员救助供养对象1270人。") == [("tekun_persons", "1270", "人")]


def test_students_of_poor_families_given_grants_are_poor():
    text = "镇里向58名低保家庭在读子女发放助学金11.6万元。"
    assert rows(text) == [("poor_persons", "58", "人"), ("fund_amount", "11.6", "万元")]


# ---------------------------------------------------------------- round 32


def test_person_times_with_the_times_in_brackets_and_low_bao_households_in_hu_ci():
    text = "今年累计发放低保金3120户(次)5210人(次)388.6万元，回访低保户860户次。"
    assert rows(text) == [
        ("dibao_households", "3120", "户次"),
        ("dibao_persons", "5210", "人次"),
        ("fund_amount", "388.6", "万元"),
        ("dibao_households", "860", "户次"),
    ]
    assert rows("发放优抚对象定期补助金1240人次。") == [("youfu_persons", "1240", "人次")]


def test_last_years_count_in_brackets_after_a_change():
    text = "全县农村低保共有2.1万户，户数比上年减少12%(去年2.4万户)、保障人数减少9%(去年3.6万人)。"
    assert [r for r in rows(text) if r[2] != "%"] == [
        ("dibao_households", "21000", "户"),
        ("dibao_households", "24000", "户"),
        ("dibao_persons", "36000", "人"),
    ]


def test_ceilings_of_relief_and_standards_not_below_a_figure():
    text = "大病救助的最高救助金额由原3万元提高到5万元。"
    assert rows(text) == [
        ("assistance_standard", "3", "万元"),
        ("assistance_standard", "5", "万元"),
    ]
    assert rows("将五保对象年集中供养标准不低于3600元。") == [("assistance_standard", "3600", "元")]


def test_amounts_paid_to_each_household_are_subsidy_levels():
    assert rows("春节前为每个特困户发放慰问金400元。") == [("subsidy_level", "400", "元")]


def test_allowances_of_veterans_per_month_are_standards():
    text = "在乡老复员军人生活补助金达到每人每月1850元；带病回乡退伍军人每人每月提高40元。"
    assert rows(text) == [
        ("assistance_standard", "1850", "元"),
        ("assistance_standard", "40", "元"),
    ]


# ---------------------------------------------------------------- round 33


def test_committees_self_governing_bodies_outlets_and_facilities_are_units():
    text = (
        "全省共有村民委员会1.2万个，居民委员会2306个，社区便民服务网点4.1万个，互助养老设施860个。"
    )
    assert rows(text) == [
        ("units_count", "12000", "个"),
        ("units_count", "2306", "个"),
        ("units_count", "41000", "个"),
        ("units_count", "860", "个"),
    ]


def test_a_share_of_a_fund_amount_is_a_fund_share():
    text = "全年支出低保资金8.6亿元，其中中央补助资金5.1亿元，占总支出的59.3%。"
    assert rows(text)[-1] == ("fund_share", "59.3", "%")
    # a share of the population after an amount is not
    text = "发放低保金320万元，占全县总人口的4.2%。"
    assert rows(text)[-1] == ("other", "4.2", "%")


def test_the_rise_of_a_rate_after_its_period():
    text = "全省农村低保平均标准3120元/人、年，比上年提高286.5元。"
    assert rows(text) == [
        ("assistance_standard", "3120", "元"),
        ("assistance_standard", "286.5", "元"),
    ]
    text = "三属定期抚恤金标准分别为每人每年21300元、19800元，分别比上年提高了1840元、1700元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 4


def test_ceilings_named_before_a_colon_and_relief_in_hospital_and_clinic():
    text = "医疗救助封顶线：住院30000元，门诊1200元。"
    assert rows(text) == [
        ("assistance_standard", "30000", "元"),
        ("assistance_standard", "1200", "元"),
    ]
    text = "城乡医疗救助：住院2140人次388.2万元，门诊615人次21.7万元。"
    assert [r for r in rows(text) if r[2] == "人次"] == [
        ("poor_persons", "2140", "人次"),
        ("poor_persons", "615", "人次"),
    ]
    assert rows("全年累计救助城市居民12.6万人次。") == [("poor_persons", "126000", "人次")]


def test_a_breakdown_opening_a_sentence_after_a_low_bao_total():
    text = "季度末农村低保对象6120户9830人。其中：女性4510人，残疾人1203人，重点优抚对象12人。"
    assert rows(text)[2:] == [
        ("dibao_persons", "4510", "人"),
        ("dibao_persons", "1203", "人"),
        ("dibao_persons", "12", "人"),
    ]
    # after a sentence about no programme, the groups keep their own labels
    text = "全镇共有居民3.2万人。其中：优抚对象120人。"
    assert rows(text)[-1] == ("youfu_persons", "120", "人")


def test_the_same_count_raised_to_a_later_year():
    text = (
        "全县农村低保保障人数由2015年的4200人提高到2020年的5630人，城市低保由1860人增加到2240人。"
    )
    assert rows(text) == [
        ("dibao_persons", "4200", "人"),
        ("dibao_persons", "5630", "人"),
        ("dibao_persons", "1860", "人"),
        ("dibao_persons", "2240", "人"),
    ]


def test_top_up_standards_are_subsidy_levels_and_amounts_of_a_standard():
    assert rows("人均月补差标准由186元提高到240元。") == [
        ("subsidy_level", "186", "元"),
        ("subsidy_level", "240", "元"),
    ]
    text = "按照集中供养每人每年6200元和分散供养每人4100元的标准发放供养金。"
    assert rows(text) == [
        ("assistance_standard", "6200", "元"),
        ("assistance_standard", "4100", "元"),
    ]
    # a budget at so much per person is money, not a standard
    text = "工作经费按每名低保对象不低于12元的标准纳入财政预算。"
    assert rows(text)[-1][0] != "assistance_standard"


def test_staff_given_as_a_range_are_a_norm():
    assert rows("各街道办事处配备4至6名专职社会救助工作人员。") == [("staff_norm", "4", "人")]
    assert rows("村级明确1-3名兼职协理员。") == [("staff_norm", "1", "人")]
    # a count of staff as it stands is not a norm
    assert rows("全镇现有专职民政工作人员4名。") == [("staff_fulltime", "4", "人")]


# ---------------------------------------------------------------- round 34


def test_parts_after_qizhong_are_of_the_total_before():
    text = "全镇低保户842户1530人，其中常年救助120户、分类施保722户。"
    assert rows(text)[2:] == [
        ("dibao_households", "120", "户"),
        ("dibao_households", "722", "户"),
    ]
    text = "对86户低保申请家庭进行了民主评议，其中14户未通过评议。"
    assert [r[0] for r in rows(text)] == ["poor_persons", "poor_persons"]
    # the population after 其中 is not a part of the recipients
    text = "全乡特困供养人员310人，其中农业人口2.6万人。"
    assert rows(text)[-1] == ("population", "26000", "人")


def test_top_up_standards_without_a_period_are_subsidy_levels():
    assert rows("2015年，人均补差标准提高至295元。") == [("subsidy_level", "295", "元")]


def test_medical_aid_in_person_times_beside_temporary_assistance():
    text = "其中城乡医疗救助3410人次，临时救助862人次。"
    assert rows(text) == [
        ("poor_persons", "3410", "人次"),
        ("temp_assistance", "862", "人次"),
    ]


def test_all_kinds_of_relief_recipients_are_poor():
    assert rows("截至6月底，全县共保障各类救助对象2.4万人。") == [("poor_persons", "24000", "人")]


def test_posts_approved_under_an_establishment():
    text = "人员编制中，县救助站核定6人、县社会福利院9人。"
    assert rows(text) == [
        ("staff_established", "6", "人"),
        ("staff_established", "9", "人"),
    ]


# ---------------------------------------------------------------- round 35


def test_incomes_spending_and_insurance_of_a_statistics_bulletin_are_no_indicator():
    text = "全县农村居民人均可支配收入12680元，人均消费支出9410元，其中食品支出2875元。"
    assert [r[0] for r in rows(text)] == ["other", "other", "other"]
    text = "城镇居民基本医疗保险参保人数41260人，参加养老保险职工人数18420人。"
    assert [r[0] for r in rows(text)] == ["other", "other"]
    # vouchers handed out to poor people are money paid; people whose insurance relief pays
    # for are relieved
    assert rows("全市发放消费券820万元，惠及困难群众1.2万人。")[0] == ("fund_amount", "820", "万元")
    assert rows("医疗救助方面，资助参加基本医疗保险3.1万人。") == [("poor_persons", "31000", "人")]


def test_average_subsidy_standards_and_graded_pay_are_subsidy_levels():
    assert rows("农村低保对象月人均补助标准215元。") == [("subsidy_level", "215", "元")]
    text = "实施分类施保，在补助标准上分为三个类别，一类960元/年/人、二类720元/年/人。"
    assert [r for r in rows(text) if r[2] == "元"] == [
        ("subsidy_level", "960", "元"),
        ("subsidy_level", "720", "元"),
    ]


def test_a_standard_raised_by_an_amount_to_a_level():
    assert rows("7月起保障标准在原基础上增加40元达到260元。") == [
        ("assistance_standard", "40", "元"),
        ("assistance_standard", "260", "元"),
    ]


def test_care_points_drug_aid_and_civil_affairs_relief_recipients():
    assert rows("全县共有村级五保代养点5处，临时庇护点2处。") == [
        ("units_count", "5", "处"),
        ("units_count", "2", "处"),
    ]
    assert rows("全年药物救助2.6万人次。") == [("poor_persons", "26000", "人次")]
    assert rows("为民政救助对象3120人代缴参合金18.7万元。")[0] == ("poor_persons", "3120", "人")


# ---------------------------------------------------------------- round 36


def test_money_allotted_to_projects_uses_and_institutions():
    text = "一、儿童福利类项目860万元。安排42.5万元用于孤儿助学，县社会福利院30万元。"
    assert rows(text) == [
        ("fund_amount", "860", "万元"),
        ("fund_amount", "42.5", "万元"),
        ("fund_amount", "30", "万元"),
    ]
    # output and sales are no civil-affairs money
    assert rows("全县规模以上工业产值86亿元。") == [("other", "86", "亿元")]


def test_visits_money_per_person_in_total_and_soldiers_given_merit():
    text = "荣立三等功12名，各赠送慰问金800元；为老兵每人送上慰问金500元，共发慰问金1.6万元。"
    assert rows(text) == [
        ("youfu_persons", "12", "人"),
        ("subsidy_level", "800", "元"),
        ("subsidy_level", "500", "元"),
        ("fund_amount", "1.6", "万元"),
    ]
    assert rows("抗美援朝老兵6人。") == [("youfu_persons", "6", "人")]


# ---------------------------------------------------------------- round 37


def test_gaps_above_a_benchmark_keep_the_rates_label():
    text = "城镇低保平均补差为392元/人月，比省定目标任务分别高出12元。"
    assert rows(text) == [("subsidy_level", "392", "元"), ("subsidy_level", "12", "元")]
    text = "医疗救助人均救助标准1980元，比省提出人均医疗救助标准提高到1500元的目标高出480元。"
    assert rows(text) == [
        ("subsidy_level", "1980", "元"),
        ("subsidy_level", "1500", "元"),
        ("subsidy_level", "480", "元"),
    ]


def test_relief_money_handed_down_donated_or_saved():
    text = (
        "另外，拨给东关村1600元，县政府下拨救济款2.4万元，全县共捐款8.35万元，储金会共储金41万元。"
    )
    assert [r[0] for r in rows(text)] == ["fund_amount"] * 4


def test_households_helped_and_the_group_named_after_their_count():
    assert rows("共扶持326户、1170人发展副业。") == [
        ("poor_persons", "326", "户"),
        ("poor_persons", "1170", "人"),
    ]
    text = "投入6.2万元，解决18户因火灾无法过冬群众的临时救助。"
    assert rows(text)[-1] == ("temp_assistance", "18", "户")
    text = "认真做好资助困难群众参加城乡居民基本医疗保险，全年资助2.8万人。"
    assert rows(text) == [("poor_persons", "28000", "人")]


# ---------------------------------------------------------------- round 38


def test_a_printed_line_full_of_digits_is_as_wide_as_a_line_of_words():
    from analysis.evidence import clean_text

    # a page broke its lines at one printed width: the second line has more characters (its
    # digits are half as wide) and the third starts with an amount, not a numbered heading
    raw = (
        "各项救助政策落实到位,全年按月足额发放城乡\n"
        "低保金2318 户4105 人1736.42 万元,发放特困人员 \n"
        "492.6 万元,发放临时救助金 38 万元。"
    )
    text = clean_text(raw)
    assert len(text.splitlines()) == 1
    assert rows(text) == [
        ("dibao_households", "2318", "户"),
        ("dibao_persons", "4105", "人"),
        ("fund_amount", "1736.42", "万元"),
        ("fund_amount", "492.6", "万元"),
        ("fund_amount", "38", "万元"),
    ]
    # a numbered heading after a broken line still starts a line of its own
    raw = (
        "各项救助政策落实到位,全年按月足额发放城乡低保\n1.加强低保规范管理,共清退不符合条件的17户。"
    )
    assert len(clean_text(raw).splitlines()) == 2


def test_veterans_in_hardship_are_youfu_recipients():
    text = "为困难退役军人和特困复员军人412人发放生活补助，其中特困复员军人87人。"
    assert [r[0] for r in rows(text)] == ["youfu_persons", "youfu_persons"]
    assert rows("全镇特困供养人员64人。") == [("tekun_persons", "64", "人")]


def test_a_count_whose_noun_ends_in_a_staff_word_is_staff():
    text = "建成5个救助站、86名社会临时救助信息员等组成的服务网络。"
    assert rows(text) == [("units_count", "5", "个"), ("staff_total", "86", "人")]


def test_low_income_people_are_poor_people():
    assert rows("走访慰问低收入对象156人，发放慰问金7.8万元。") == [
        ("poor_persons", "156", "人"),
        ("fund_amount", "7.8", "万元"),
    ]


def test_relief_paid_in_a_period_is_money():
    text = "全省城镇定期救济4.6亿元，比上年增长12%。"
    assert rows(text)[0] == ("fund_amount", "4.6", "亿元")


def test_more_than_written_before_ten_thousand():
    rows_ = extract_text("春节前慰问全县8.3余万名困难群众，发放资金2.6余万元。")
    assert [(r["indicator"], r["value"], r["unit"]) for r in rows_] == [
        ("poor_persons", "83000", "人"),
        ("fund_amount", "2.6", "万元"),
    ]
    assert [r["qualifier"] for r in rows_] == ["at_least", "at_least"]


def test_the_next_part_of_a_raised_rate_keeps_the_rates_label():
    text = "城镇低保月人均补助由2015年的210元提高到246元，农村低保由2015年97元提高到118元。"
    assert [r[0] for r in rows(text)] == ["subsidy_level"] * 4
    text = "城市低保标准由每人每月480元提高到520元，农村由每人每月300元提高到350元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 4


# ---------------------------------------------------------------- round 39


def test_a_target_met_is_the_rate_aimed_at():
    text = "城乡低保月人均补助分别达到205.4元和96.3元，完成目标任务180元的114.1%、85元的113.3%。"
    assert [r[0] for r in rows(text) if r[2] == "元"] == ["subsidy_level"] * 4
    text = "农村低保人均补差82.5元，完成70元目标任务的117.9%。"
    assert rows(text)[:2] == [("subsidy_level", "82.5", "元"), ("subsidy_level", "70", "元")]
    # 完成 alone names no target
    assert rows("全年完成投资120元。")[0][0] != "subsidy_level"


def test_a_months_pay_out_after_a_count_of_recipients_is_money():
    text = "全镇城市低保对象5120人,2204户,613280元/月;农村低保对象815人,390户,41730元/月。"
    assert [r[0] for r in rows(text)] == [
        "dibao_persons",
        "dibao_households",
        "fund_amount",
        "dibao_persons",
        "dibao_households",
        "fund_amount",
    ]
    # a rate per month right after a rate stays a rate
    text = "城市低保标准由每人每月610元提高到650元/月。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2


def test_a_standard_of_preferential_treatment_is_a_standard():
    text = "今年农村义务兵家庭优待标准为8800元/人，城镇义务兵家庭优待标准21000元/人。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2


def test_orphans_in_care_are_not_tekun():
    text = "全州孤儿2310人，其中机构集中供养孤儿276人，散居孤儿2034人；集中供养特困人员860人。"
    assert [r[0] for r in rows(text)] == ["other", "other", "other", "tekun_persons"]


def test_the_households_named_right_after_a_count_are_its_own():
    text = "为126户受灾低保户和37户受灾五保户发放救灾资金18000元。"
    assert rows(text) == [
        ("dibao_households", "126", "户"),
        ("tekun_persons", "37", "户"),
        ("fund_amount", "18000", "元"),
    ]


def test_a_group_counted_in_wan_with_no_unit():
    text = "2015年，全州有9.47万农村贫困人口、3.06万低收入人口和0.8万优抚对象，低保户达2.1万户。"
    assert rows(text) == [
        ("poor_persons", "94700", "人"),
        ("poor_persons", "30600", "人"),
        ("youfu_persons", "8000", "人"),
        ("dibao_households", "21000", "户"),
    ]
    assert rows("全县1.8万低保户全部纳入系统管理。") == [("dibao_households", "18000", "户")]
    # 万 before a verb of giving is money, not a group
    assert [r[2] for r in rows("县里拿出5万帮助困难群众。")] != ["人"]


def test_a_post_a_notice_needs_set_up_is_a_norm():
    text = "为加强基层力量，有必要在每个社区成立民政服务组，并设立2名专职的民政协理员。"
    assert rows(text) == [("staff_norm", "2", "人")]
    assert rows("各乡镇民政所设立2名专职工作人员。") == [("staff_fulltime", "2", "人")]


# ---------------------------------------------------------------- round 40


def test_a_rate_raised_with_its_period_written_between_keeps_its_label():
    text = "城市低保标准由480元/人月提高到520元/人月，财政补助水平由310元/人月提高到336元/人月。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2 + ["subsidy_level"] * 2


def test_the_items_of_a_list_of_duties_are_functions():
    text = "工作人员负责落实《乡镇民政事务清单》规定的事项，其中乡镇30项，村级24项。"
    assert rows(text) == [("functions_count", "30", "项"), ("functions_count", "24", "项")]
    assert rows("全年新建3项制度。")[0][0] == "other"


def test_relief_of_residents_in_person_times_is_poor_people():
    assert rows("全年发放救灾款186万元，救助人口2.4万人次。")[-1] == (
        "poor_persons",
        "24000",
        "人次",
    )


def test_homes_counted_in_zuo_and_chu_are_units():
    text = "全县建成乡镇中心敬老院9座，五保家园31处，社会福利企业14个。"
    assert rows(text) == [
        ("units_count", "9", "座"),
        ("units_count", "31", "处"),
        ("units_count", "14", "个"),
    ]


def test_a_homes_own_earnings_are_no_fund():
    text = "县财政补助资金20万元，用于敬老院建设，该院养猪种菜，年创收3.5万元。"
    assert rows(text) == [("fund_amount", "20", "万元"), ("other", "3.5", "万元")]


def test_a_member_each_village_must_name_is_a_norm():
    text = "每个村(居)从现任“两委”班子成员中确定1名成员负责村级民政工作。"
    assert rows(text) == [("staff_norm", "1", "人")]


def test_people_of_social_assistance_and_people_taken_into_homes():
    assert rows("年内复核社会救助对象2315人。") == [("poor_persons", "2315", "人")]
    text = "全市社会福利院和敬老院12个，收养486人；敬老院收养孤老残172人。"
    assert rows(text) == [
        ("units_count", "12", "个"),
        ("tekun_persons", "486", "人"),
        ("tekun_persons", "172", "人"),
    ]
    assert rows("全年收养孤儿35人。") == [("other", "35", "人")]


# ---------------------------------------------------------------- round 41


def test_raised_to_with_ti_biao_or_an_adverb_keeps_the_rates_label():
    text = (
        "将分散供养标准从每人每年2460元提标到2980元，集中供养月标准由260元—300元统一提高到380元。"
    )
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 5


def test_levels_raised_from_a_year_and_average_levels_are_subsidy_levels():
    text = "全市农村五保供养平均水平达到3870元，集中供养水平和分散供养水平分别由2013年的3410元和2950元，提高到现在的4010元和3520元。"
    assert [r[0] for r in rows(text) if r[2] == "元"] == ["subsidy_level"] * 5


def test_the_rise_of_a_standard_is_a_standard():
    text = "集中供养人员补助标准由每人每月210元提高到260元，月增加50元；将护理补助标准提高 120 元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 4


def test_a_visits_gift_per_household_is_a_subsidy_level():
    text = "春节期间走访慰问低保户1830户，每户800元；慰问分散特困户217人，每人800元。"
    assert rows(text) == [
        ("dibao_households", "1830", "户"),
        ("subsidy_level", "800", "元"),
        ("tekun_persons", "217", "人"),
        ("subsidy_level", "800", "元"),
    ]


def test_posts_an_office_approved_are_established_posts():
    text = "县编办核定了64名行政编制，每个乡镇配备3-4名专职人员。"
    assert rows(text) == [("staff_established", "64", "人"), ("staff_norm", "3", "人")]


def test_households_a_survey_confirmed_belong_to_its_programme():
    text = "1984年，县民政局对五保户进行普查，审定412户,537人。"
    assert rows(text) == [("tekun_persons", "412", "户"), ("tekun_persons", "537", "人")]


def test_a_pledge_to_miss_no_household_is_no_count():
    assert rows("确保兜底保障不漏一户、不落一人。") == []


def test_standards_by_household_size_after_a_colon():
    text = "补助标准是:每月,城镇1人7~9元,2人10~12元,2人以上每多1人增加4元;乡村1人4~5元。"
    assert [r for r in rows(text) if r[2] == "元"] == [
        ("assistance_standard", "7", "元"),
        ("assistance_standard", "10", "元"),
        ("assistance_standard", "4", "元"),
        ("assistance_standard", "4", "元"),
    ]


# ---------------------------------------------------------------- round 42


def test_preferential_treatment_households_and_their_money_are_youfu():
    text = "全县农村优待3125户，优待金12.6万元；在乡病退军人215人。"
    assert rows(text) == [
        ("youfu_persons", "3125", "户"),
        ("fund_amount", "12.6", "万元"),
        ("youfu_persons", "215", "人"),
    ]
    # a card of privileges for old people is no 优抚
    assert rows("为28名老年人办理了《优待证》。")[0][0] != "youfu_persons"


def test_the_japanese_form_of_mei_is_read_as_mei():
    from analysis.evidence import clean_text

    assert clean_text("在乡复员军人每人毎月定补95元。") == "在乡复员军人每人每月定补95元。"
    assert rows(clean_text("城市低保标准为每人毎月560元。")) == [
        ("assistance_standard", "560", "元")
    ]


def test_cadres_an_office_has_are_staff():
    assert rows("局机关共有干部14人。") == [("staff_total", "14", "人")]


def test_money_raised_is_a_fund():
    assert rows("在县局的支持下筹资25万元，为民政服务站添置了电脑。") == [
        ("fund_amount", "25", "万元")
    ]


def test_training_sessions_counted_in_ci():
    assert rows("组织社区工作人员集中业务培训3次。") == [("training", "3", "次")]


def test_students_given_relief_are_poor_people():
    text = "临时救助本月救助42户57人，大学生救助31人，发放资金9.3万元。"
    assert rows(text)[2] == ("poor_persons", "31", "人")
    text = "其中大学生协理员6人。"
    assert rows(text)[0][0] != "poor_persons"


def test_a_townships_people_in_wan_are_its_population():
    text = "全乡2.3万人的民政事务都由他负责。"
    assert rows(text) == [("population", "23000", "人")]


def test_sites_declared_for_a_project_are_units():
    assert rows("农村幸福院已完成12个点位申报。") == [("units_count", "12", "个")]


# ---------------------------------------------------------------- round 43


def test_money_set_aside_and_temporary_grants():
    text = "全乡有困难户19户，享受定期补助的6户，临时补助的13户，列支3260元。"
    assert rows(text) == [
        ("poor_persons", "19", "户"),
        ("poor_persons", "6", "户"),
        ("temp_assistance", "13", "户"),
        ("fund_amount", "3260", "元"),
    ]


def test_transferred_officers_and_serving_soldiers_are_youfu():
    text = "全场有集体转业官兵 512人，正在服役的37人。"
    assert [r[0] for r in rows(text)] == ["youfu_persons", "youfu_persons"]


def test_people_given_living_relief_after_a_disaster_are_poor():
    text = "地震发生后，临时生活救助286400人，后续生活救助153200人。"
    assert [r[0] for r in rows(text)] == ["poor_persons", "poor_persons"]


def test_homes_begun_and_finished_are_units():
    text = "敬老院计划重建86所，目前开工86所，已经竣工71所；社会福利院重建5所，竣工3所。"
    assert [r[0] for r in rows(text)] == ["units_count"] * 5
    text = "全省42个建设项目中，已有15个项目主体完工。"
    assert [r[0] for r in rows(text)] == ["units_count"] * 2


def test_a_rescue_stations_floor_area():
    assert rows("县救助站建筑面积1280平方米，投资150万元。")[0] == ("office_area", "1280", "平方米")


def test_average_monthly_rates_in_a_sentence_of_standards_raised_are_standards():
    text = "近年来，我市连续提高低保标准，城市低保从当时的月人均310元提高到目前的月人均520元。"
    assert [r[0] for r in rows(text) if r[2] == "元"] == ["assistance_standard"] * 2
    # a level paid named in the sentence keeps its rates levels
    text = "提高农村低保标准12%，提高一类对象补助水平，达到年人均3100元。"
    assert rows(text)[-1] == ("subsidy_level", "3100", "元")


# ---------------------------------------------------------------- round 44


def test_levels_raised_by_then_reaching_keep_their_label():
    text = "城乡低保对象的月人均补助水平分别比上年提高了15元和9元，达到了241元和102元。"
    assert [r[0] for r in rows(text)] == ["subsidy_level"] * 4


def test_the_parts_of_a_fund_in_brackets_are_funds():
    text = "共发放城乡最低生活保障金3125460.5元(农村低保2708300.2元，城镇低保417160.3元)。"
    assert [r[0] for r in rows(text)] == ["fund_amount"] * 3


def test_rates_per_household_under_a_standards_colon():
    text = "五保户供给标准分为:有部分劳动收入者，每户全年为36元；全无劳动收入者，每户全年为52元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2


def test_insurance_paid_for_the_poor_and_second_relief_are_medical_aid():
    text = "全市资助城乡低保对象参加城镇居民医疗保险1.86万人；“二次救助”2.4万人次。"
    assert rows(text) == [("poor_persons", "18600", "人"), ("poor_persons", "24000", "人次")]


def test_aid_given_to_veterans_named_before():
    text = "针对部分退役军人的实际困难，县本级开展特殊困难援助31人，帮扶援助22.6万元。"
    assert rows(text) == [("youfu_persons", "31", "人"), ("fund_amount", "22.6", "万元")]


def test_pocket_money_paid_to_each_resident_is_a_level():
    assert rows("给每个院民每个月发放15元零用钱。") == [("subsidy_level", "15", "元")]


# ---------------------------------------------------------------- round 45


def test_standards_raised_from_a_years_values_per_person():
    text = "农村五保户集中和分散供养标准分别由2015年的3120元/人和2240元/人，提高到今年的人均3480元/人和2500元/人。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 4


def test_an_allowance_raised_to_is_a_standard_and_its_rise_too():
    text = "城区义务兵家庭优待金提高到2100元，比上年增加300元。"
    assert [r[0] for r in rows(text)] == ["assistance_standard"] * 2


def test_a_part_in_brackets_of_a_programmes_count():
    text = "全市安置城镇退役士兵865人(市直安置147人，安置率98%)。"
    assert [r[0] for r in rows(text)][:2] == ["youfu_persons", "youfu_persons"]


def test_villages_groups_and_residents_of_a_home():
    text = "全镇辖12个农业行政村和1个社区，143个农业合作小组和58个居民组。"
    assert [r[0] for r in rows(text)] == ["units_count"] * 4
    text = "至目前，入住院民38人，其中残疾17人。"
    assert rows(text) == [("tekun_persons", "38", "人"), ("tekun_persons", "17", "人")]


def test_rural_cooperative_medical_enrolment_is_no_relief():
    assert rows("全镇共有41280人参加新型农村合作医疗。") == [("other", "41280", "人")]


def test_one_important_task_is_no_count():
    assert rows("把敬老院建设作为一项重要工作来抓。") == []
