"""The indicator panel (PANEL.md): indicator data, the join, `met`, and `extractor panel`
as a user runs it (subprocess), with the 海拉尔区 series pinned."""
import csv
import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import extractor
from extractor import indicators
from extractor.panel import COLUMNS, join, met_of

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "corpus" / "gold" / "panel"


def _cli(*argv, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "extractor", "panel", *map(str, argv)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def _scorer_indicators() -> set:
    src = (ROOT / "tools" / "score_panel.py").read_text(encoding="utf-8")
    ns: dict = {}
    start = src.index("INDICATORS = {")
    exec(src[start:src.index("}", start) + 1], ns)  # noqa: S102 - our own tool's constant
    return ns["INDICATORS"]


# -- indicator data --------------------------------------------------------------------
def test_the_catalog_has_the_30_indicators_of_the_scorer():
    assert set(indicators.catalog().indicators) == _scorer_indicators()


def _data():
    path = Path(indicators.__file__).parent / "data" / "indicators.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("edit, key", [
    (lambda d: d.update(colour=1), "colour"),
    (lambda d: d["indicators"][0].update(colour=1), "indicators[0].colour"),
    (lambda d: d["indicators"][1].update(direction="sideways"), "direction"),
    (lambda d: d["indicators"][2].pop("aliases"), "aliases"),
    (lambda d: d["indicators"].append(dict(d["indicators"][0])), "repeated id"),
])
def test_bad_indicator_data_names_the_file_and_key(edit, key):
    data = _data()
    edit(data)
    with pytest.raises(indicators.IndicatorDataError) as e:
        indicators.parse(data)
    assert "indicators.yaml" in str(e.value) and key in str(e.value)


def test_a_new_wording_is_a_data_edit():
    data = _data()
    cat = indicators.parse(data)
    assert "经济规模" not in cat.alias_of
    gdp = next(d for d in data["indicators"] if d["id"] == "gdp")
    gdp["aliases"].append("经济规模")
    assert indicators.parse(data).alias_of["经济规模"] == ("gdp", None)


# -- met and the join ----------------------------------------------------------------------
@pytest.mark.parametrize("target, bound, actual, direction, met", [
    ("7.5", "=", "7.2", "up", False), ("7.5", "~", "7.5", "up", True), ("6.5", ">=", "6.9", "up", True),
    ("4", "<=", "3.9", "down", True), ("4", "<=", "4.1", "down", False), ("3", "~", "2.1", "down", True),
    ("3", "=", "3.5", "down", False), ("-3.4", "<=", "-3.0", "down", False), ("100", ">", "100", "up", True),
])
def test_met_follows_the_bound_and_the_good_direction(target, bound, actual, direction, met):
    assert met_of(Decimal(target), bound, Decimal(actual), direction) is met


def _fact(indicator, role, value, period="2016", unit="%", measure="growth", bound="=", text="x"):
    return dict(indicator=indicator, measure=measure, period=period, role=role, value=value,
                unit=unit, bound=bound, text=text)


def test_join_takes_the_latest_document_and_needs_one_unit():
    meta = lambda date: {"region": "某县", "level": "county", "kind": "work_report", "body": None, "date": date}
    rows = join([
        ("a", {"meta": meta("2016-02-01"), "facts": [_fact("gdp", "target", 7.5), _fact("cpi", "target", 3)]}),
        ("c", {"meta": meta("2018-02-01"), "facts": [_fact("gdp", "actual", 7.4)]}),
        ("b", {"meta": meta("2017-02-01"), "facts": [_fact("gdp", "actual", 7.2),
                                                      _fact("cpi", "actual", 2, unit="个百分点")]}),
    ]).rows
    by = {r["indicator"]: r for r in rows}
    assert list(by["gdp"]) == list(COLUMNS)
    assert (by["gdp"]["target"], by["gdp"]["actual"], by["gdp"]["actual_doc"]) == (7.5, 7.4, "c")
    assert by["gdp"]["met"] is False and by["gdp"]["gap"] == pytest.approx(-0.1)
    assert by["cpi"]["met"] is None and by["cpi"]["gap"] is None


def test_panel_of_documents_and_its_frame():
    a = extractor.extract("——2016年2月19日在某某县第十四届人民代表大会第五次会议上\n"
                          "一、2016年工作安排\n主要预期目标是：城镇登记失业率控制在4%以内。", doc="a")
    b = extractor.extract("——2017年2月11日在某某县第十四届人民代表大会第六次会议上\n"
                          "一、2016年工作回顾\n2016年，城镇登记失业率3.9%。", doc="b")
    p = extractor.panel([a, b])
    assert [(r["region"], r["indicator"], r["target_bound"], r["met"]) for r in p.rows] == \
        [("某某县", "unemployment_registered", "<=", True)]
    pd = pytest.importorskip("pandas")
    frame = extractor.panel_frame([a, b])
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(COLUMNS)


# -- the command -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_panel(tmp_path_factory):
    out = tmp_path_factory.mktemp("panel")
    p = _cli(CORPUS, "-o", out / "panel.csv", "--facts", out / "facts.jsonl", "-q")
    assert p.returncode == 0, p.stderr
    with open(out / "panel.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return out, rows


def _row(rows, region, indicator, measure, period):
    found = [r for r in rows if (r["region"], r["indicator"], r["measure"], r["period"])
             == (region, indicator, measure, period)]
    assert len(found) == 1, (region, indicator, measure, period)
    return found[0]


# (indicator, measure, period, target, actual, met): a 2016 target of the 2016 report
# (dev/002.txt) met or missed by the result the 2017 report (dev/005.txt) gives
HAILAR_2016 = [
    ("gdp", "growth", "2016", "7.5", "7.2", "false"),
    ("gdp", "level", "2016", "30900000000", "30360000000", "false"),
    ("budget_revenue", "growth", "2016", "5", "13", "true"),
    ("budget_revenue", "level", "2016", "1580000000", "1700000000", "true"),
    ("fixed_investment", "growth", "2016", "13", "16.6", "true"),
    ("retail_sales", "growth", "2016", "9", "9.5", "true"),
    ("urban_income", "growth", "2016", "8", "7", "false"),
    ("rural_income", "growth", "2016", "8", "7.1", "false"),
    ("urban_new_jobs", "level", "2016", "5300", "6790", "true"),
]


@pytest.mark.parametrize("indicator, measure, period, target, actual, met", HAILAR_2016)
def test_hailar_targets_meet_the_next_report(corpus_panel, indicator, measure, period, target, actual, met):
    _, rows = corpus_panel
    r = _row(rows, "海拉尔区", indicator, measure, period)
    assert (r["target_doc"], r["actual_doc"]) == ("dev/002.txt", "dev/005.txt")
    assert (Decimal(r["target"]), Decimal(r["actual"]), r["met"]) == (Decimal(target), Decimal(actual), met)
    assert Decimal(r["gap"]) == Decimal(actual) - Decimal(target)


def _year(doc, rows_meta):
    return int(rows_meta[doc]["date"][:4])


def test_rows_join_only_consecutive_reports(corpus_panel):
    """A target of year N is joined only to a result that a report of year N+1 gives (or the
    report of year N itself, for a target recalled in its review) — for 海拉尔区 and 全国,
    whose dev reports (2013, 2016, 2017; 2004, 2007, 2009, 2012) leave gaps in the series."""
    out, rows = corpus_panel
    meta = {}
    for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        if "meta" in o:
            meta[o["doc"]] = o["meta"]
    joined = [r for r in rows if r["region"] in ("海拉尔区", "全国") and r["met"]]
    assert joined
    for r in joined:
        t, a = _year(r["target_doc"], meta), _year(r["actual_doc"], meta)
        if r["target_doc"] == r["actual_doc"] and int(r["period"]) == t - 1:
            continue  # a target recalled in the review of its year, beside its result (dev/011)
        assert int(r["period"]) == t and a == t + 1, r
    national = [r for r in rows if r["region"] == "全国"]
    assert national and all(r["level"] == "national" for r in national)
    for period, doc in (("2007", "dev/011.txt"), ("2009", "dev/009.txt"), ("2012", "dev/012.txt")):
        gdp = _row(rows, "全国", "gdp", "growth", period)   # no report of the next year: no result
        assert (gdp["target_doc"], gdp["actual"], gdp["met"]) == (doc, "", "")


def test_facts_file_scores_on_the_dev_gold(corpus_panel):
    out, _ = corpus_panel
    if not GOLD.is_dir():
        pytest.skip("no shared panel gold")
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "score_panel.py"), str(GOLD / "dev"),
                        str(out / "facts.jsonl"), "--json"], capture_output=True, text=True)
    res = json.loads(p.stdout)
    assert res["facts"]["f1"] >= 0.90, res
    assert min(res["meta"].values()) >= 0.95, res


@pytest.mark.parametrize("name", ["panel.jsonl", "panel.sqlite", "panel.parquet"])
def test_other_formats_hold_the_same_rows(tmp_path, corpus_panel, name):
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    _, rows = corpus_panel
    inputs = [CORPUS / "dev" / "002.txt", CORPUS / "dev" / "005.txt"]
    p = _cli(*inputs, "-o", tmp_path / name, "-q", "--workers", "1")
    assert p.returncode == 0, p.stderr
    path = tmp_path / name
    if name.endswith(".jsonl"):
        got = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    elif name.endswith(".sqlite"):
        con = sqlite3.connect(path)
        con.row_factory = sqlite3.Row
        got = [dict(r) for r in con.execute("SELECT * FROM panel")]
        con.close()
    else:
        import pyarrow.parquet as pq
        got = pq.read_table(path).to_pylist()
    gdp = [r for r in got if (r["indicator"], r["measure"], r["period"]) == ("gdp", "growth", "2016")]
    assert len(gdp) == 1 and float(gdp[0]["target"]) == 7.5 and float(gdp[0]["actual"]) == 7.2
    assert gdp[0]["met"] in (False, 0) and set(gdp[0]) == set(COLUMNS)


def test_bad_input_is_one_line_and_a_documented_exit_code(tmp_path):
    p = _cli(tmp_path / "missing.txt", "-o", tmp_path / "p.csv", "-q")
    assert p.returncode == 1 and "missing.txt" in p.stderr
    p = _cli(CORPUS / "dev" / "002.txt", "-o", "-", "--format", "sqlite")
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    p = _cli("-o", tmp_path / "p.csv")
    assert p.returncode == 2


def test_report_has_a_panel_page_with_missed_targets_marked(tmp_path):
    out = tmp_path / "dev.html"
    p = subprocess.run([sys.executable, "-m", "extractor", "report", str(CORPUS / "dev"), "-o", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    page = out.read_text(encoding="utf-8")
    section = page[page.index('<section class="panel"'):]
    assert "http://" not in section.replace('xmlns="http://www.w3.org/2000/svg"', "")
    i = section.index("<h3>海拉尔区</h3>")
    hailar = section[i:section.find("<h3>", i + 1)]
    gdp = hailar[hailar.index('data-indicator="gdp" data-measure="growth"'):]
    gdp = gdp[:gdp.index("</figure>")]
    assert gdp.count('class="target"') == 3 and gdp.count('class="actual"') == 3   # 2013, 2016, 2017; 2012, 2015, 2016
    assert gdp.count('class="missed"') == 1 and "7.2%" in gdp


def test_a_five_year_part_of_a_work_report_gives_levels_of_its_last_year_not_flow_totals():
    """二、“十五五”时期主要目标任务 plans 2030: a level there (城镇化率) is a 2030 target; a flow
    (城镇新增就业) there is a five-year total, no fact; the year's plan part keeps both."""
    d = extractor.extract("——2026年1月26日在某省第十四届人民代表大会第四次会议上\n"
                          "二、“十五五”时期主要目标任务\n常住人口城镇化率达到65%左右，城镇新增就业500万人以上。\n"
                          "三、2026年重点工作安排\n城镇新增就业110万人以上，常住人口城镇化率提高1个百分点。", doc="a")
    facts = {(f.indicator, f.measure, f.period, f.role, str(f.value)) for f in indicators.document_facts(d)}
    assert ("urbanization_rate", "level", "2030", "target", "65") in facts
    assert ("urban_new_jobs", "level", "2026", "target", "1100000") in facts
    assert not any(f[0] == "urban_new_jobs" and f[2] == "2030" for f in facts)
