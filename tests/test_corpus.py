"""Accuracy regression on corpus/ with the project's scorer (tools/score.py, copied from SPEC)."""
import importlib.util
import json
from pathlib import Path

import pytest

import extractor
from extractor.batch import CrossDocument, process_file
from extractor.cli import iter_inputs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _scorer():
    spec = importlib.util.spec_from_file_location("score", ROOT / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def predictions(tmp_path_factory):
    ex = extractor.Extractor()
    cross = CrossDocument()
    out = tmp_path_factory.mktemp("corpus") / "out.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for path, doc in iter_inputs([CORPUS]):
            res = cross.apply(process_file(ex, path, doc))
            assert res.status in ("ok", "duplicate"), (doc, res.error)
            for r in res.records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def _score(gold, pred):
    sc = _scorer()
    ranges = {}
    g = sc.load(gold, ranges)
    p = sc.within(sc.load(pred), ranges)
    return sc.score(g, p)


def test_dev_value_f1(predictions):
    res = _score(CORPUS / "gold" / "dev", predictions)
    assert res["value"]["f1"] >= 0.95, res["value"]


def test_seed_value_f1_whole_document(predictions):
    res = _score(CORPUS / "gold" / "seed-report.jsonl", predictions)
    assert res["value"]["f1"] >= 0.98, res["value"]


def test_offsets_hold_on_corpus(predictions):
    texts = {doc: extractor.read.read_file(p).text for p, doc in iter_inputs([CORPUS])}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert texts[r["doc"]][r["start"]:r["end"]] == r["text"]


def test_dev_record_f1(predictions):
    """Context (metric, period, role, bound, dimension) on the dev gold: issue 4's bar."""
    res = _score(CORPUS / "gold" / "dev", predictions)
    assert res["record"]["f1"] >= 0.85, res["record"]


def test_seed_record_f1(predictions):
    res = _score(CORPUS / "gold" / "seed-report.jsonl", predictions)
    assert res["record"]["f1"] >= 0.92, res["record"]
