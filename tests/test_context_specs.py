"""The context stage (metric, period, role, change, basis) against tests/specs/context.yaml."""
from difflib import SequenceMatcher
from pathlib import Path

import pytest
import yaml

import extractor

CASES = yaml.safe_load((Path(__file__).parent / "specs" / "context.yaml").read_text(encoding="utf-8"))["cases"]


def same_metric(gold, pred):
    """The scorer's rule: the longest common run covers half of the longer string."""
    if not gold or not pred:
        return False
    m = SequenceMatcher(None, gold, pred, autojunk=False).find_longest_match(0, len(gold), 0, len(pred))
    return m.size * 2 >= max(len(gold), len(pred))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_context(case, request):
    if case.get("xfail"):
        request.applymarker(pytest.mark.xfail(reason=case["xfail"], strict=True))
    settings = {"year": case["year"]} if "year" in case else {}
    doc = extractor.extract(case["text"], **settings)
    by_text = {}
    for r in doc.records:
        by_text.setdefault(r.text, []).append(r)
    for exp in case["expect"]:
        assert by_text.get(exp["text"]), f"no record for {exp['text']!r}: {[r.text for r in doc.records]}"
        r = by_text[exp["text"]].pop(0)
        for field in ("period", "role", "change", "basis"):
            if field in exp:
                assert getattr(r, field) == exp[field], (exp["text"], field, getattr(r, field))
        if "metric" in exp:
            assert same_metric(exp["metric"], r.metric), (exp["text"], exp["metric"], r.metric)
