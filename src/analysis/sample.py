"""Seeded generator of the synthetic sample: survey returns and a staff roster.

The sample is **synthetic** (示例数据（合成）). It imitates the situation the
survey reports describe, calibrated on ``shared/domain``:

- Staff of 1-6 per township, growing with population; about half of them
  part-time (the seed survey of 三河回族乡 counts 2 full-time and 2
  part-time; the county reports say most workers are part-time).
- Turnover: workers leave with a yearly probability of 8-25 % by employment
  type (temporary and public-welfare posts leave most) and are replaced, so
  tenure is short.
- Caseload: rural 低保 covers 4-7 % of registered population (the national
  rural 低保 count of 2021, 3,474万, is about 7 % of the rural population),
  falling about 2 % a year; 特困 about 0.8 % (national rural 特困 2017:
  466.9万); streets (街道) far less.
- Funds: upper-level transfers about 90 %, local budget about 6.8 % and
  society about 3.2 % of receipts (seed 000), with the upper share falling
  0.3 points a year and the social share rising 0.1 points a year; spending
  mostly on relief; required local matching only partly delivered.

The generator uses only :meth:`random.Random.random`, whose sequence Python
guarantees for a given seed across versions, so ``workbench sample --seed
20241`` rewrites the committed files byte for byte on any machine.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from .textio import atomic_write

__all__ = [
    "DEFAULT_SEED",
    "ROSTER_FILE",
    "SURVEY_FILE",
    "generate_sample",
    "write_sample",
]

#: The seed of the committed sample (``make sample``).
DEFAULT_SEED = 20241
#: Years covered by the committed sample.
DEFAULT_YEARS = tuple(range(2019, 2025))
#: Counties and their numbers of townships.
DEFAULT_COUNTIES = (("甲县", 11), ("乙县", 12), ("丙县", 13))
#: File names; "synthetic" is part of every name.
SURVEY_FILE = "sample_townships_synthetic.csv"
ROSTER_FILE = "sample_roster_synthetic.csv"

SURVEY_COLUMNS = (
    "year",
    "province",
    "prefecture",
    "county",
    "township",
    "township_type",
    "population",
    "staff_total",
    "staff_fulltime",
    "staff_established",
    "staff_joined",
    "staff_left",
    "functions_count",
    "dibao_households",
    "dibao_persons",
    "tekun_persons",
    "temp_assistance_cases",
    "youfu_persons",
    "fund_upper",
    "fund_local",
    "fund_social",
    "spend_relief",
    "spend_services",
    "spend_admin",
    "spend_other",
    "matching_required",
    "matching_received",
    "office_area_m2",
    "staff_trained",
    "training_days",
    "synthetic",
)
ROSTER_COLUMNS = (
    "year",
    "county",
    "township",
    "staff_id",
    "employment_type",
    "fulltime",
    "years_in_post",
    "education",
    "age",
    "trained_this_year",
    "training_hours",
    "left_this_year",
    "synthetic",
)

_PLACES = (
    "东岭 南河 西坪 北山 青石 白沙 柳湾 桃源 龙潭 清水 金沟 杨庄 石门 新集 高桥 马坊 双塘 "
    "黄土 红星 永安 太平 长乐 仁和 丰收 河口 三岔 梨园 松林 枣林 鹿鸣 安乐 望江 云台 "
    "临溪 平川 白杨 草坝 兴隆 黑水 凤凰 玉泉 团结 前进 大坪 小河"
).split()
_EMPLOYMENT = (
    ("行政编制", 0.30),
    ("事业编制", 0.30),
    ("临聘", 0.20),
    ("公益性岗位", 0.12),
    ("企业", 0.08),
)
_LEAVE_P = {"行政编制": 0.08, "事业编制": 0.10, "临聘": 0.25, "公益性岗位": 0.20, "企业": 0.18}
_EDUCATION = (("高中", 0.12), ("中专", 0.15), ("大专", 0.38), ("本科", 0.32), ("研究生", 0.03))


class _Rng:
    """Distributions built only on ``random.Random.random`` (stable across Python versions)."""

    def __init__(self, seed: int):
        self._r = random.Random(seed)

    def u(self, lo: float = 0.0, hi: float = 1.0) -> float:
        return lo + (hi - lo) * self._r.random()

    def normal(self, mu: float = 0.0, sd: float = 1.0) -> float:
        u1 = 1.0 - self._r.random()  # in (0, 1]
        u2 = self._r.random()
        return mu + sd * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def chance(self, p: float) -> bool:
        return self._r.random() < p

    def pick(self, weighted):
        x, acc = self._r.random() * sum(w for _, w in weighted), 0.0
        for item, w in weighted:
            acc += w
            if x < acc:
                return item
        return weighted[-1][0]

    def shuffled(self, items):
        items = list(items)
        for i in range(len(items) - 1, 0, -1):
            j = int(self._r.random() * (i + 1))
            items[i], items[j] = items[j], items[i]
        return items


@dataclass
class _Worker:
    staff_id: str
    employment_type: str
    fulltime: bool
    education: str
    age: int
    years_in_post: int


@dataclass
class _Township:
    county: str
    name: str
    kind: str
    population: float
    target: int
    functions: int
    office: int
    dibao_rate: float
    tekun_rate: float
    upper_bias: float
    social_bias: float
    workers: list[_Worker] = field(default_factory=list)


def _clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


class _Generator:
    def __init__(self, seed: int):
        self.rng = _Rng(seed)
        self.next_id = 1

    def worker(self, years_in_post: int | None = None) -> _Worker:
        r = self.rng
        kind = r.pick(_EMPLOYMENT)
        p_full = {"行政编制": 0.45, "事业编制": 0.50}.get(kind, 0.60)
        w = _Worker(
            staff_id=f"S{self.next_id:05d}",
            employment_type=kind,
            fulltime=r.chance(p_full),
            education=r.pick(_EDUCATION),
            age=int(_clip(r.normal(38, 8), 22, 58)),
            years_in_post=(
                int(-4.0 * math.log(1.0 - r.u())) if years_in_post is None else years_in_post
            ),
        )
        self.next_id += 1
        return w

    def township(self, county: str, name: str, kind: str) -> _Township:
        r = self.rng
        centre = {"街道": 45000, "镇": 28000, "乡": 14000}[kind]
        pop = _clip(centre * math.exp(r.normal(0, 0.4)), 4000, 120000)
        target = int(_clip(round(1 + pop / 20000 + r.normal(0, 0.8)), 1, 6))
        t = _Township(
            county=county,
            name=name,
            kind=kind,
            population=pop,
            target=target,
            functions=int(r.u(10, 19)),
            office=int(r.u(40, 140) if kind == "街道" else r.u(15, 90)),
            dibao_rate=r.u(0.012, 0.022) if kind == "街道" else r.u(0.04, 0.07),
            tekun_rate=r.u(0.0003, 0.0008) if kind == "街道" else r.u(0.006, 0.010),
            upper_bias=r.normal(0, 0.015),
            social_bias=r.normal(0, 0.006),
        )
        t.workers = [self.worker() for _ in range(target)]
        return t

    def year(self, t: _Township, year: int, index: int):
        """Advance township ``t`` through ``year``; return its survey row and roster rows.

        Returns
        -------
        (tuple, list of tuple)
            The survey row, and the roster rows (workers at year end, then leavers),
            each in column order.
        """
        r = self.rng
        t.population *= 1 + (0.01 if t.kind == "街道" else -0.005) + r.normal(0, 0.004)
        if r.chance(0.1):
            t.target = int(_clip(t.target + (1 if r.chance(0.6) else -1), 1, 6))
        if r.chance(0.08):
            t.functions = min(t.functions + 1, 20)
        if r.chance(0.05):
            t.office += int(r.u(10, 40))
        stayers, leavers = [], []
        for w in t.workers:
            w.years_in_post += 1
            w.age += 1
            p = _LEAVE_P[w.employment_type] * (1.5 if w.years_in_post <= 2 else 1.0)
            (leavers if r.chance(p) else stayers).append(w)
        joined = [self.worker(years_in_post=0) for _ in range(max(t.target - len(stayers), 0))]
        if len(stayers) > t.target:  # establishment cut: the extra post is not refilled
            leavers.append(stayers.pop())
        year_end = stayers + joined
        t.workers = year_end
        roster, trained, hours = [], 0, 0.0
        for w, left in [(w, False) for w in year_end] + [(w, True) for w in leavers]:
            p_train = (
                0.30
                + 0.02 * index
                + (0.15 if w.fulltime else 0)
                + (0.10 if w.employment_type.endswith("编制") else 0)
            )
            took = r.chance(p_train)
            h = r.pick(((8, 0.35), (16, 0.3), (24, 0.2), (40, 0.15))) if took else 0
            trained += took
            hours += h
            roster.append(
                (
                    year,
                    t.county,
                    t.name,
                    w.staff_id,
                    w.employment_type,
                    int(w.fulltime),
                    w.years_in_post,
                    w.education,
                    w.age,
                    int(took),
                    h,
                    int(left),
                    1,
                )
            )
        return self._survey_row(t, year, index, year_end, joined, leavers, trained, hours), roster

    def _survey_row(self, t, year, index, year_end, joined, leavers, trained, hours):
        r = self.rng
        pop = int(round(t.population))
        dibao_p = int(round(pop * t.dibao_rate * (0.98**index) * math.exp(r.normal(0, 0.05))))
        dibao_h = int(round(dibao_p / r.u(1.6, 2.1)))
        tekun = int(round(pop * t.tekun_rate * math.exp(r.normal(0, 0.05))))
        temp = int(round(pop * r.u(0.003, 0.008)))
        youfu = int(round(pop * r.u(0.008, 0.012)))
        receipts = (dibao_p * 0.45 + tekun * 0.9 + temp * 0.15 + 15) * math.exp(r.normal(0, 0.05))
        upper = _clip(0.905 - 0.003 * index + t.upper_bias + r.normal(0, 0.006), 0.80, 0.97)
        social = _clip(0.030 + 0.001 * index + t.social_bias + r.normal(0, 0.003), 0.004, 0.08)
        local = 1.0 - upper - social
        spend = receipts * r.u(0.93, 1.0)
        use = [max(0.01, s + r.normal(0, s * 0.08)) for s in (0.74, 0.12, 0.08, 0.06)]
        use = [u / sum(use) for u in use]
        fund_upper = round(receipts * upper, 2)
        required = round(fund_upper * r.u(0.05, 0.12), 2)
        received = required if r.chance(0.25) else round(required * r.u(0.35, 0.95), 2)
        return (
            year,
            "示例省",
            "示例市",
            t.county,
            t.name,
            t.kind,
            pop,
            len(year_end),
            sum(w.fulltime for w in year_end),
            sum(w.employment_type.endswith("编制") for w in year_end),
            len(joined),
            len(leavers),
            t.functions,
            dibao_h,
            dibao_p,
            tekun,
            temp,
            youfu,
            fund_upper,
            round(receipts * local, 2),
            round(receipts * social, 2),
            *(round(spend * u, 2) for u in use),
            required,
            received,
            t.office,
            trained,
            math.floor(hours / 8 * 2 + 0.5) / 2,
            1,
        )


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_SUFFIXES = "口集坪湾桥岗庄店铺营"


def county_names(n: int) -> list[str]:
    """Return ``n`` invented county names: 甲县 … 癸县, then 甲子县 …, then 第N县.

    Returns
    -------
    list of str
    """
    names = [f"{s}县" for s in _STEMS]
    names += [f"{s}{b}县" for s in _STEMS for b in _BRANCHES]
    names += [f"第{i}县" for i in range(len(names) + 1, n + 1)]
    return names[:n]


def scaled_counties(n: int, townships: int = 12) -> tuple[tuple[str, int], ...]:
    """Return ``n`` counties of ``townships`` townships each, for :func:`generate_sample`.

    Returns
    -------
    tuple of (str, int)
    """
    return tuple((name, townships) for name in county_names(n))


_EXTRA_PLACES = [p + x for x in _SUFFIXES for p in _PLACES]  # 东岭口, 南河口, …


def _names(rng: _Rng, counties) -> list[list[tuple[str, str]]]:
    # The committed sample (at most 45 townships) takes distinct names from one shuffle of
    # _PLACES, and must keep doing so to stay byte for byte. Larger samples draw each
    # county's names from a longer pool: distinct within a county, as real names are.
    small = sum(n for _, n in counties) <= len(_PLACES)
    pool = rng.shuffled(_PLACES) if small else None
    out, k = [], 0
    for _, n in counties:
        kinds = ["街道"] + ["镇" if rng.chance(0.6) else "乡" for _ in range(n - 1)]
        names = pool[k : k + n] if small else rng.shuffled(_PLACES + _EXTRA_PLACES)[:n]
        out.append([(names[i] + kinds[i], kinds[i]) for i in range(n)])
        k += n
    return out


def generate_sample(
    seed: int = DEFAULT_SEED,
    years: tuple[int, ...] = DEFAULT_YEARS,
    counties: tuple[tuple[str, int], ...] = DEFAULT_COUNTIES,
) -> tuple[list[tuple], list[tuple]]:
    """Generate synthetic survey returns and a staff roster.

    Parameters
    ----------
    seed : int
        Seed of the generator; the committed sample uses :data:`DEFAULT_SEED`.
    years : tuple of int
        Consecutive survey years.
    counties : tuple of (str, int)
        County names and their numbers of townships (:func:`scaled_counties` makes many).

    Returns
    -------
    (list of tuple, list of tuple)
        Survey rows in :data:`SURVEY_COLUMNS` order and roster rows in
        :data:`ROSTER_COLUMNS` order.

    Raises
    ------
    ValueError
        When more townships are asked for than there are place names.
    """
    most = len(_PLACES) + len(_EXTRA_PLACES)
    if any(n > most for _, n in counties):
        raise ValueError(f"at most {most} townships per county can be named")
    gen = _Generator(seed)
    names = _names(gen.rng, counties)
    towns = [
        gen.township(c, name, kind)
        for (c, _), ns in zip(counties, names, strict=True)
        for name, kind in ns
    ]
    surveys, roster = [], []
    for index, year in enumerate(years):
        for t in towns:
            row, workers = gen.year(t, year, index)
            surveys.append(row)
            roster.extend(workers)
    return surveys, roster


def _csv_bytes(columns, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                f"{v:.2f}"
                if isinstance(v, float) and not float(v).is_integer()
                else (str(int(v)) if isinstance(v, float) else v)
                for v in row
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_sample(
    out_dir: str | Path,
    seed: int = DEFAULT_SEED,
    counties: tuple[tuple[str, int], ...] = DEFAULT_COUNTIES,
) -> list[Path]:
    """Write the sample CSVs (UTF-8 with BOM, for Excel) into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Target folder, created when missing.
    seed : int
        Generator seed.
    counties : tuple of (str, int)
        Counties and their township counts (default: the committed 3-county sample).

    Returns
    -------
    list of Path
        The survey file and the roster file.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    surveys, roster = generate_sample(seed, counties=counties)
    written = []
    for name, columns, rows in (
        (SURVEY_FILE, SURVEY_COLUMNS, surveys),
        (ROSTER_FILE, ROSTER_COLUMNS, roster),
    ):
        written.append(atomic_write(out / name, _csv_bytes(columns, rows)))
    return written
