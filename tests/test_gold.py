"""The gold files in corpus/gold are valid (tools/check_gold.py), and the checker catches bad ones."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "check_gold.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_gold", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_repository_gold_is_valid():
    assert _checker().check_tree(ROOT / "corpus" / "gold") == []


TEXT = "全年收入12亿元，增长5%。"   # 12亿元 at 4..8, 5% at 11..13
GOOD = {"doc": "genre/x.txt", "start": 4, "end": 8, "text": "12亿元", "value": 1.2e9,
        "unit": "元", "dimension": "currency", "bound": "=", "role": "actual",
        "metric": "收入", "period": "2025"}
HEADER = {"doc": "genre/x.txt", "annotated": [[0, len(TEXT)]]}
META = {"doc": "genre/x.txt", "meta": {"region": "某市", "level": "prefecture",
                                       "kind": "communique", "body": None, "date": None}}
FACT = {"doc": "genre/x.txt", "indicator": "budget_revenue", "measure": "level",
        "period": "2025", "role": "actual", "value": 1.2e9, "unit": "元", "bound": "=",
        "text": "12亿元"}


def _tree(tmp_path, records=None, facts=None, header=HEADER, meta=META):
    """A corpus folder with one document, one record gold file and one panel gold file."""
    (tmp_path / "genre").mkdir(parents=True)
    (tmp_path / "genre" / "x.txt").write_text(TEXT, encoding="utf-8")
    gold = tmp_path / "gold"
    (gold / "genre").mkdir(parents=True)
    (gold / "panel" / "genre").mkdir(parents=True)
    lines = ([header] if header else []) + (records if records is not None else [GOOD])
    (gold / "genre" / "x.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    plines = [meta] + (facts if facts is not None else [FACT])
    (gold / "panel" / "genre" / "x.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in plines) + "\n", encoding="utf-8")
    return gold


def test_good_tree_has_no_problems(tmp_path):
    assert _checker().check_tree(_tree(tmp_path)) == []


BAD_RECORDS = [
    ("offsets", dict(GOOD, start=3), "!= original"),
    ("dimension", dict(GOOD, dimension="money"), "dimension"),
    ("bound", dict(GOOD, bound="≈"), "bound"),
    ("role", dict(GOOD, role="plan"), "role"),
    ("period", dict(GOOD, period=2025), "period"),
    ("value", dict(GOOD, value="12"), "value"),
    ("unit", dict(GOOD, unit=""), "unit"),
    ("fields", {k: v for k, v in GOOD.items() if k != "metric"}, "missing"),
    ("doc", dict(GOOD, doc="genre/y.txt"), "doc"),
]


@pytest.mark.parametrize("name,record,message", BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS])
def test_bad_record_is_reported(tmp_path, name, record, message):
    problems = _checker().check_tree(_tree(tmp_path, records=[record]))
    assert any(message in p for p in problems), problems


def test_duplicate_and_overlapping_spans_are_reported(tmp_path):
    overlap = dict(GOOD, start=5, end=8, text="2亿元", value=2e8)
    problems = _checker().check_tree(_tree(tmp_path, records=[GOOD, GOOD, overlap]))
    assert any("duplicate span" in p for p in problems), problems
    assert any("overlaps" in p for p in problems), problems


def test_windows_are_checked(tmp_path):
    outside = dict(HEADER, annotated=[[0, 3]])
    problems = _checker().check_tree(_tree(tmp_path, header=outside))
    assert any("outside the annotated windows" in p for p in problems), problems
    too_long = dict(HEADER, annotated=[[0, len(TEXT) + 1]])
    problems = _checker().check_tree(_tree(tmp_path / "b", header=too_long))
    assert any("outside the text" in p for p in problems), problems


BAD_FACTS = [
    ("indicator", dict(FACT, indicator="gdp_growth"), "indicator"),
    ("measure", dict(FACT, measure="rate"), "measure"),
    ("period", dict(FACT, period=None), "period"),
    ("text", dict(FACT, text="13亿元"), "does not occur"),
]


@pytest.mark.parametrize("name,fact,message", BAD_FACTS, ids=[b[0] for b in BAD_FACTS])
def test_bad_panel_fact_is_reported(tmp_path, name, fact, message):
    problems = _checker().check_tree(_tree(tmp_path, facts=[fact]))
    assert any(message in p for p in problems), problems


def test_repeated_fact_and_bad_meta_are_reported(tmp_path):
    bad_meta = dict(META, meta=dict(META["meta"], kind="report", date="2025-13-01"))
    problems = _checker().check_tree(_tree(tmp_path, facts=[FACT, FACT], meta=bad_meta))
    assert any("repeats line" in p for p in problems), problems
    assert any("meta kind" in p for p in problems), problems
    assert any("meta date" in p for p in problems), problems


def test_cli_exit_codes(tmp_path):
    good = _tree(tmp_path / "good")
    bad = _tree(tmp_path / "bad", records=[dict(GOOD, start=3)])
    run = lambda root: subprocess.run([sys.executable, str(TOOL), str(root)],
                                      capture_output=True, text=True)
    ok, ko = run(good), run(bad)
    assert ok.returncode == 0 and ok.stdout == "", ok
    assert ko.returncode == 1 and "x.jsonl:2:" in ko.stdout, ko
    assert run(tmp_path / "missing").returncode == 2
