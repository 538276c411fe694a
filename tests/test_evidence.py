"""Evidence extraction: every rule on texts written here, with rows worked out by hand."""

import csv
import io
import subprocess

import docx
import pytest
from conftest import ROOT, SHARED, workbench_exe
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.evidence import clean_text, extract_paths, extract_text


def rows_of(text):
    cleaned = clean_text(text)
    return [
        (r["indicator"], r["value"], r["unit"], r["qualifier"])
        for r in extract_text(cleaned, "t")
        if r["indicator"] != "other"
    ], cleaned


def one(text):
    found, _ = rows_of(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全镇共有民政工作人员3人。", ("staff_total", "3", "人", "")),
        (
            "全县有民政工作人员1,234名。",
            ("staff_total", "1234", "人", ""),
        ),  # thousands separator, 名 -> 人
        ("民政所有工作人员两名。", ("staff_total", "2", "人", "")),  # 两
        ("乡镇民政办承担十一项工作职能。", ("functions_count", "11", "项", "")),  # 十一
        ("全乡户籍人口三万人。", ("population", "30000", "人", "")),  # 三万 -> 30000 人
        ("发放低保资金3.5万元。", ("fund_amount", "3.5", "万元", "")),  # 万元 kept as the unit
        ("全县民政资金1.2亿元。", ("fund_amount", "1.2", "亿元", "")),
        ("全县户籍人口3万人。", ("population", "30000", "人", "")),
        ("全县有民政工作人员１２人。", ("staff_total", "12", "人", "")),  # full-width digits
        ("上级补助资金占百分之九十。", ("fund_share", "90", "%", "")),  # 百分之九十
        ("上级补助资金占90.5%。", ("fund_share", "90.5", "%", "")),
    ],
)
def test_numeral_forms(text, expected):
    assert one(text) == expected


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    "text",
    [
        "每个乡镇定编2-3人。",
        "每个乡镇定编2—3人。",
        "每个乡镇定编2至3人。",
        "每个乡镇定编2 — 3 人。",
        "每个乡镇定编二至三人。",
    ],
)
def test_ranges(text):
    cleaned = clean_text(text)
    (row,) = [r for r in extract_text(cleaned, "t") if r["indicator"] != "other"]
    assert (row["indicator"], row["value"], row["low"], row["high"], row["unit"]) == (
        "staff_norm",
        "2",
        "2",
        "3",
        "人",
    )


def test_range_with_multiplier():
    cleaned = clean_text("建议户籍人口2万至5万人的乡镇配备民政工作人员3至4人。")
    got = [(r["indicator"], r["low"], r["high"], r["unit"]) for r in extract_text(cleaned, "t")]
    assert got == [("population", "20000", "50000", "人"), ("staff_norm", "3", "4", "人")]


# ---------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("民政工作人员约30人。", "approx"),
        ("民政工作人员30人左右。", "approx"),
        ("民政工作人员近30人。", "approx"),
        ("办公用房面积不少于50平方米。", "at_least"),
        ("办公用房面积至少50平方米。", "at_least"),
        ("办公用房面积不低于50平方米。", "at_least"),
        ("办公用房面积达到50平方米以上。", "at_least"),
        ("办公用房面积50平方米以上。", "at_least"),
        ("办公用房面积50平方米以下。", "below"),
        ("办公用房面积不足50平方米。", "below"),
        ("办公用房面积不超过50平方米。", "below"),
        ("办公用房面积50平方米。", ""),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text)[3] == qualifier


# ---------------------------------------------------------------- not quantities


@pytest.mark.parametrize(
    "text",
    [
        "新增低保X户、X人,发放资金XX万元。",  # placeholders
        "2019年3月,县民政局召开会议。",  # years and dates
        "根据豫编办〔2011〕49号文件和中办23号文件精神。",  # document numbers
        "1、理顺管理体制。2、规范机构建制。",  # list ordinals
        "第三条 乡镇应当设立民政办。",  # ordinal
        "坚持“三个代表”重要思想,落实“五个一”要求。",
    ],
)
def test_not_quantities(text):
    found, _ = rows_of(text)
    assert found == []


# ---------------------------------------------------------------- classification


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全乡4名民政工作人员中专职从事民政工作的2人,兼有其他工作的2人。",
            [("staff_total", "4"), ("staff_fulltime", "2"), ("staff_parttime", "2")],
        ),
        ("有行政编制2人,占50%。", [("staff_established", "2"), ("staff_established", "50")]),
        (
            "全县低保户1200户、2100人,五保对象76人。",
            [("dibao_households", "1200"), ("dibao_persons", "2100"), ("tekun_persons", "76")],
        ),
        ("今年实施临时救助350人次。", [("temp_assistance", "350")]),
        ("全县优抚对象820人。", [("youfu_persons", "820")]),
        ("全镇贫困人口约530人。", [("poor_persons", "530")]),
        (
            "向上争取资金约占90%以上,地方财政投入约占6.8%左右。",
            [("fund_share", "90"), ("fund_share", "6.8")],
        ),
        ("从事民政工作5年以下的1人。", [("staff_tenure", "5"), ("staff_tenure", "1")]),
        ("全县11个乡镇都建立了民政工作站。", [("units_count", "11")]),
        ("举办培训班两期,培训120人次。", [("training", "2"), ("training", "120")]),
        ("登记合格率达到100%,共计3921个字。", []),
    ],
)
def test_classification(text, expected):
    found, _ = rows_of(text)
    assert [(f[0], f[1]) for f in found] == expected


# ---------------------------------------------------------------- cleaning and formats


def test_traditional_with_pinyin_garbling():
    found, cleaned = rows_of(
        "全縣12個鄉鎮(zhèn)民政工作人員達到34人。社區(qū)服務站辦公面積達到100平方米以上。"
    )
    assert "鎮" not in cleaned and "(zhèn)" not in cleaned and "(qū)" not in cleaned
    assert "全县12个乡镇民政工作人员达到34人。" in cleaned
    assert found == [
        ("units_count", "12", "个", ""),
        ("staff_total", "34", "人", "at_least"),
        ("office_area", "100", "平方米", "at_least"),
    ]


def test_html_input(tmp_path):
    page = tmp_path / "r.html"
    page.write_text(
        "<html><head><script>var x = '民政工作人员99人';</script><style>p{}</style></head><body>"
        "<div class='nav'>首页 &gt; 新闻</div><div class='share-box'>分享到：微信</div>"
        "<p>全县民政工作人员31人。</p><p>上级补助占88.9%。</p>"
        "<div class='footer'>版权所有 某某县民政局</div></body></html>",
        encoding="utf-8",
    )
    result = extract_paths([page])
    assert result.errors == []
    text = result.cleaned[str(page)]
    assert "99" not in text and "分享" not in text and "版权" not in text and "<p>" not in text
    got = [(r["indicator"], r["value"]) for r in result.rows]
    assert got == [("staff_total", "31"), ("fund_share", "88.9")]


def test_gbk_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("乡镇民政办只有2名工作人员,承担11项工作职能。".encode("gbk"))
    result = extract_paths([path])
    assert [(r["indicator"], r["value"], r["unit"]) for r in result.rows] == [
        ("staff_total", "2", "人"),
        ("functions_count", "11", "项"),
    ]


def test_docx_made_with_python_docx(tmp_path):
    doc = docx.Document()
    doc.add_heading("某乡民政工作调研报告", 1)
    doc.add_paragraph("全乡低保对象454人,五保对象76人。")
    doc.add_paragraph("民政所办公用房面积不少于150平方米。")
    doc.save(tmp_path / "r.docx")
    result = extract_paths([tmp_path])  # a folder
    assert [(r["indicator"], r["value"], r["qualifier"]) for r in result.rows] == [
        ("dibao_persons", "454", ""),
        ("tekun_persons", "76", ""),
        ("office_area", "150", "at_least"),
    ]
    assert result.rows[0]["doc"] == "r.docx"


def test_offsets_and_subject():
    cleaned = clean_text("一、基本情况\n全乡共有民政工作人员2名。")
    (row,) = extract_text(cleaned, "d")
    assert cleaned[row["start"] : row["end"]] == row["quote"] == "全乡共有民政工作人员2名。"
    assert row["subject"] == "民政工作人员"


# ---------------------------------------------------------------- properties

PIECES = st.sampled_from(
    list(
        "民政工作人员名户项个年万元平方米约以上不少于两十三百千低保五保临时救助专职兼职"
        "0123456789,.%-—至()（）。，、；\n <>/"
    )
    + ["〔", "〕", "X", "區(qū)", "１", "ａ", "<p>"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join) | st.text(max_size=60))
def test_random_text_never_crashes_and_quotes_match(text):
    cleaned = clean_text(text)
    for row in extract_text(cleaned, "h"):
        assert row["quote"] == cleaned[row["start"] : row["end"]]
        assert row["indicator"]
        float(row["value"])


# ---------------------------------------------------------------- hostile inputs and the CLI


def test_hostile_files_are_reported_and_others_processed(tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "c_undecodable.txt").write_bytes(
        "民政".encode() + b"\xff\xfe\xfa" * 20 + "人员".encode("gbk")
    )
    with open(tmp_path / "d_huge.txt", "wb") as fh:
        fh.write(("民政工作人员3人。" * 1000 + "\n").encode() * 900)  # ~22 MB
    (tmp_path / "e_good.txt").write_text("全乡共有民政工作人员2名。", encoding="utf-8")
    res = subprocess.run(
        [workbench_exe(), "extract", str(tmp_path)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "300", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 1
    err = res.stderr.replace("\n", " ")
    assert "a_empty.txt: file is empty" in err
    assert "b_binary.txt: file is binary" in err
    assert "c_undecodable.txt" in err and ("cannot decode" in err or "mixed encodings" in err)
    assert "d_huge.txt: file is" in err and "limit" in err
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert [(r["doc"], r["indicator"], r["value"]) for r in rows] == [
        ("e_good.txt", "staff_total", "2")
    ]


def test_cli_writes_bom_csv_and_cleaned_texts(tmp_path):
    out = tmp_path / "e.csv"
    res = subprocess.run(
        [
            workbench_exe(),
            "extract",
            str(ROOT / "data/raw/reports"),
            "-o",
            str(out),
            "--cleaned-dir",
            str(tmp_path / "clean"),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "doc",
        "indicator",
        "value",
        "low",
        "high",
        "unit",
        "period",
        "qualifier",
        "subject",
        "quote",
        "start",
        "end",
    ]
    cleaned = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "clean").iterdir()}
    assert len(cleaned) == 3
    for r in rows:
        text = cleaned[r["doc"].rsplit(".", 1)[0] + ".cleaned.txt"]
        assert text[int(r["start"]) : int(r["end"])] == r["quote"]


@pytest.mark.skipif(
    not (SHARED / "tools/score_evidence.py").exists(), reason="../shared is not beside the project"
)
def test_dev_gold_set_scores():
    res = subprocess.run(
        [
            "python3",
            str(SHARED / "tools/score_evidence.py"),
            str(SHARED / "domain/evidence_dev_gold.yml"),
            str(SHARED / "seeds"),
            "--cmd",
            f"{workbench_exe()} extract",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    last = res.stdout.strip().splitlines()[-1].split()
    recall, precision = float(last[1]), float(last[3])
    assert recall >= 0.9 and precision >= 0.9, res.stdout
