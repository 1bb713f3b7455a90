"""Data-driven spec tests: every case lives in tests/specs/*.yaml (see docs/records.md for the rules).

Each spec file is a mapping with `kind` and `cases`:

kind: records    text -> the exact list of expected records (quantities.yaml, corpus_sentences.yaml)
kind: negative   text -> no record at all
kind: crash      text (optionally `repeat: N` times) -> extract does not raise, offsets and values sane
kind: numerals   fn + input -> exact Decimal value (or `raises: true`)
kind: normalize  input -> normalized text (+ optional `spans` mapped back to the original)
kind: dedup      text -> the removed spans (exact text and reason), or none (dedup.yaml)
kind: structure  text -> the document's kind, title, date, year and sections (structure.yaml)
kind: context    text (+ report `year`) -> context fields of named records: metric (compared as
                 the scorer does), period, role, change, basis, and `why` (a mapping naming the
                 rule that decided role, period or metric) (context.yaml)

A case may carry `xfail: "<reason>"`: a known extractor bug. It becomes a strict xfail, so a
case that starts passing fails the run until its mark is removed.
"""
from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import extractor
from extractor import numerals
from extractor.normalize import normalize

SPECS = Path(__file__).resolve().parent / "specs"
KINDS = ("records", "negative", "crash", "numerals", "normalize", "context", "dedup", "structure",
         "panel")
RECORD_FIELDS = {"text", "value", "unit", "dimension", "bound", "start", "end", "role", "period", "metric"}
CASE_FIELDS = {
    "records": {"text", "expect", "xfail", "src", "note"},
    "negative": {"text", "xfail", "src", "note"},
    "crash": {"text", "repeat", "xfail", "note"},
    "numerals": {"fn", "input", "value", "raises", "xfail", "note"},
    "normalize": {"input", "output", "spans", "xfail", "note"},
    "context": {"name", "text", "year", "expect", "xfail", "note"},
    "dedup": {"name", "text", "removed", "xfail", "note"},
    "structure": {"name", "text", "expect", "xfail", "note"},
    "panel": {"name", "text", "meta", "facts", "xfail", "note"},
}


def _arabic_magnitude(text):
    """'16.4亿' -> parse_arabic('16.4') * parse_magnitude('亿'): how the finder folds a magnitude."""
    i = len(text)
    while i and not text[i - 1].isdigit():
        i -= 1
    return numerals.parse_arabic(text[:i]) * numerals.parse_magnitude(text[i:])


NUMERAL_FUNCS = {"parse_chinese": numerals.parse_chinese, "parse_arabic": numerals.parse_arabic,
                 "parse_magnitude": numerals.parse_magnitude, "arabic_magnitude": _arabic_magnitude}


def _load_all():
    files = {}
    for path in sorted(SPECS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files[path.name] = data
    return files


SPEC_FILES = _load_all()


def _params(kind):
    out = []
    for name, data in SPEC_FILES.items():
        if data.get("kind") != kind:
            continue
        for i, case in enumerate(data["cases"]):
            label = str(case.get("name", case.get("text", case.get("input", ""))))[:24].replace("\n", "\\n")
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            out.append(pytest.param(case, id=f"{name}:{i}:{label}", marks=marks))
    return out


# -- the spec files themselves ------------------------------------------------
def test_spec_files_are_well_formed():
    assert SPEC_FILES, "no spec files found"
    for name, data in SPEC_FILES.items():
        assert isinstance(data, dict) and data.get("kind") in KINDS, f"{name}: unknown kind"
        assert set(data) <= {"kind", "cases", "about"}, f"{name}: unknown top-level keys"
        for i, case in enumerate(data["cases"]):
            where = f"{name} case {i}: {case!r}"[:200]
            assert isinstance(case, dict), where
            assert set(case) <= CASE_FIELDS[data["kind"]], where
            if data["kind"] == "records":
                assert isinstance(case["text"], str) and isinstance(case["expect"], list), where
                for rec in case["expect"]:
                    assert {"text", "value", "unit", "dimension", "bound"} <= set(rec), where
                    assert set(rec) <= RECORD_FIELDS, where
                    assert rec["text"] in case["text"], where
                    if "start" in rec:
                        assert case["text"][rec["start"]:rec["end"]] == rec["text"], where
                    assert rec["bound"] in ("=", "~", ">", ">=", "<", "<="), where
                    assert rec["dimension"] in ("currency", "percentage", "percentage_point", "count",
                                                "measure", "multiple", "rank", "number"), where
            if data["kind"] == "numerals":
                assert case["fn"] in NUMERAL_FUNCS, where
                assert ("value" in case) != ("raises" in case), where
                if "value" in case:
                    assert isinstance(case["value"], str), f"{where}: write values as strings (exact)"


# -- helpers ------------------------------------------------------------------
def _sane(text, records):
    """Offsets index the original text, values are finite Decimals."""
    for r in records:
        assert 0 <= r.start < r.end <= len(text), r
        assert text[r.start:r.end] == r.text, r
        assert isinstance(r.value, Decimal) and r.value.is_finite(), r
    return records


def _num(v) -> Decimal:
    return Decimal(str(v))


def _show(records):
    return [{"text": r.text, "start": r.start, "value": str(r.value), "unit": r.unit,
             "dimension": r.dimension, "bound": r.bound} for r in records]


def _matches(got, exp) -> bool:
    if got.text != exp["text"] or got.unit != exp["unit"]:
        return False
    if got.dimension != exp["dimension"] or got.bound != exp["bound"]:
        return False
    if "start" in exp and (got.start, got.end) != (exp["start"], exp["end"]):
        return False
    for key in ("role", "period", "metric"):
        if key in exp and getattr(got, key) != exp[key]:
            return False
    want = _num(exp["value"])
    return got.value == want or math.isclose(float(got.value), float(want), rel_tol=1e-12)


# -- the parametrized tests -----------------------------------------------------
@pytest.mark.parametrize("case", _params("records"))
def test_records(case):
    text = case["text"]
    got = _sane(text, extractor.extract(text).records)
    exp = case["expect"]
    ok = len(got) == len(exp) and all(_matches(g, e) for g, e in zip(got, exp))
    assert ok, f"\n  text:     {text}\n  expected: {exp}\n  actual:   {_show(got)}"


@pytest.mark.parametrize("case", _params("negative"))
def test_negative(case):
    text = case["text"]
    got = _sane(text, extractor.extract(text).records)
    assert not got, f"\n  text:   {text}\n  actual: {_show(got)}"


@pytest.mark.parametrize("case", _params("crash"))
def test_crash(case):
    text = case["text"] * case.get("repeat", 1)
    doc = extractor.extract(text)
    _sane(text, doc.records)
    for s in doc.sentences + doc.paragraphs:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("case", _params("numerals"))
def test_numerals(case):
    fn = NUMERAL_FUNCS[case["fn"]]
    if "raises" in case:
        # bad numeral text raises ValueError (or decimal.InvalidOperation, an ArithmeticError)
        with pytest.raises((ValueError, ArithmeticError)):
            fn(case["input"])
        return
    got = fn(case["input"])
    assert isinstance(got, Decimal), type(got)
    assert got == Decimal(case["value"]), f"{case['input']} -> {got}, expected {case['value']}"


@pytest.mark.parametrize("case", _params("normalize"))
def test_normalize(case):
    original = case["input"]
    n = normalize(original)
    assert n.text == case["output"]
    assert n.original == original
    # every normalized character maps to one original character, in order
    idx = [n.original_index(i) for i in range(len(n.text))]
    assert idx == sorted(set(idx))
    assert all(0 <= i < len(original) for i in idx)
    assert n.original_index(len(n.text)) == len(original)
    for s, e, want in case.get("spans", []):
        os_, oe = n.to_original(s, e)
        assert original[os_:oe] == want, (s, e, original[os_:oe], want)
        assert normalize(original[os_:oe]).text == n.text[s:e]


# -- context: metric, period, role, change, basis ------------------------------
def _same_metric(gold, pred):
    """The scorer's rule: the longest common run covers half of the longer string."""
    from difflib import SequenceMatcher
    if not gold or not pred:
        return False
    m = SequenceMatcher(None, gold, pred, autojunk=False).find_longest_match(0, len(gold), 0, len(pred))
    return m.size * 2 >= max(len(gold), len(pred))


@pytest.mark.parametrize("case", _params("context"))
def test_context(case):
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
            assert _same_metric(exp["metric"], r.metric), (exp["text"], exp["metric"], r.metric)
        for key, rule in exp.get("why", {}).items():  # the names of the rules that decided
            assert dict(r.why).get(key) == rule, (exp["text"], key, dict(r.why))


# -- dedup: what is removed, with what reason ---------------------------------
@pytest.mark.parametrize("case", _params("dedup"))
def test_dedup(case):
    doc = extractor.extract(case["text"])
    got = [(doc.text[r.start:r.end], r.reason) for r in doc.removed]
    assert got == [(r["text"], r["reason"]) for r in case["removed"]]
    for r in doc.removed:  # nothing is extracted from a removed span
        assert not any(r.start <= rec.start < r.end for rec in doc.records)


# -- structure: kind, title, date, year, sections --------------------------------
@pytest.mark.parametrize("case", _params("structure"))
def test_structure(case):
    from extractor.structure import analyze
    st = analyze(normalize(case["text"]).text)
    exp = case["expect"]
    for field in ("kind", "title", "date", "year"):
        if field in exp:
            assert getattr(st, field) == exp[field], (field, getattr(st, field), exp[field])
    if "sections" in exp:
        assert len(st.sections) == len(exp["sections"]), [s.heading for s in st.sections]
        for got, want in zip(st.sections, exp["sections"]):
            for field, value in want.items():
                value = tuple(value) if field == "years" else value
                assert getattr(got, field) == value, (got.heading, field, getattr(got, field), value)


# -- panel: metadata and panel facts (PANEL.md) ------------------------------------
@pytest.mark.parametrize("case", _params("panel"))
def test_panel(case):
    doc = extractor.extract(case["text"])
    for field, value in (case.get("meta") or {}).items():
        assert doc.meta[field] == value, (field, doc.meta[field], value)
    if "facts" not in case:
        return
    got = [(f.indicator, f.measure, f.value) for f in doc.facts]
    want = [(e["indicator"], e["measure"], Decimal(e["value"])) for e in case["facts"]]
    assert got == want, [(f.indicator, f.measure, str(f.value), f.rule) for f in doc.facts]
    for f, e in zip(doc.facts, case["facts"]):
        for field in ("bound", "unit", "role", "period"):
            if field in e:
                assert getattr(f, field) == e[field], (f.indicator, field, getattr(f, field), e[field])
