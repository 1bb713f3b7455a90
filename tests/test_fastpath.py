"""The fast path changes nothing: default settings vs plain jieba, rjieba vs jieba.

1. `Extractor()` (segmenter 'auto': rjieba when installed) and `Extractor(segmenter="jieba")`
   give identical records, every field of `to_dict()`, on every file of corpus/.
2. `Segmenter("rjieba").cut(s) == Segmenter("jieba").cut(s)` for every sentence of corpus/
   (skipped when rjieba is not importable), and Segmenter("rjieba") really cuts with rjieba
   (otherwise the equality is true only because the kind is ignored). rjieba keeps ASCII runs
   joined by '-' or '_' whole ('2026-02-02', '5G-A', 'PM_2.5') where jieba splits them; the
   Segmenter splits them the same way, and this test holds it to that.
"""
from __future__ import annotations

import functools
import sys
import types
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.cli.inputs import iter_inputs

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = [(path, doc) for path, doc, _ in iter_inputs([str(CORPUS)])]
IDS = [doc for _, doc in FILES]


@functools.lru_cache(maxsize=None)
def _extractor(**settings) -> Extractor:
    return Extractor(**settings)


@functools.lru_cache(maxsize=None)
def _sentences(path) -> tuple:
    """Every sentence of a corpus file (duplicates included), as the pipeline splits it."""
    doc = _extractor(dedup=False, context=False).extract_file(path)
    return tuple(s.text for s in doc.sentences)


def test_corpus_is_there():
    assert len(FILES) >= 2, f"no corpus files under {CORPUS}"


@pytest.mark.parametrize("path,doc", FILES, ids=IDS)
def test_default_and_plain_jieba_give_identical_records(path, doc):
    default = _extractor().extract_file(path, doc)
    plain = _extractor(segmenter="jieba").extract_file(path, doc)
    assert default.records, f"{doc}: no records at all"
    assert [r.to_dict() for r in default.records] == [r.to_dict() for r in plain.records]
    assert [r.to_dict() for r in default.removed] == [r.to_dict() for r in plain.removed]


def test_rjieba_segmenter_cuts_like_jieba():
    pytest.importorskip("rjieba")
    from extractor.segment import Segmenter
    fast, plain = Segmenter("rjieba"), Segmenter("jieba")
    diff, total = [], 0
    for path, doc in FILES:
        sents = _sentences(path)
        total += len(sents)
        diff += [(doc, s, a, b) for s in sents for a, b in [(fast.cut(s), plain.cut(s))] if a != b]
    assert total
    assert not diff, f"{len(diff)} of {total} corpus sentences cut differently, e.g. " + "; ".join(
        f"{doc} {s[:30]!r}: rjieba {[w for w in a if w not in b][:6]} jieba {[w for w in b if w not in a][:6]}"
        for doc, s, a, b in diff[:4])


class _RjiebaSpy(types.ModuleType):
    """Stands in for the rjieba module and records which of its attributes are used."""

    def __init__(self, real):
        super().__init__("rjieba")
        self.__dict__["_real"] = real
        self.__dict__["used"] = []

    def __getattr__(self, name):
        real = self.__dict__["_real"]
        value = getattr(real, name)
        if not name.startswith("__"):
            self.__dict__["used"].append(name)
        return value


def _clear_caches(module):
    for obj in list(vars(module).values()):
        if callable(getattr(obj, "cache_clear", None)):
            obj.cache_clear()


def test_rjieba_segmenter_uses_rjieba(monkeypatch):
    real = pytest.importorskip("rjieba")
    from extractor import segment
    spy = _RjiebaSpy(real)
    monkeypatch.setitem(sys.modules, "rjieba", spy)
    for name, value in list(vars(segment).items()):
        if value is real:
            monkeypatch.setattr(segment, name, spy)
    _clear_caches(segment)          # a cached rjieba tokenizer must be built again through the spy
    try:
        words = segment.Segmenter("rjieba").cut("全市地区生产总值增长7.5%，达到309亿元。")
    finally:
        _clear_caches(segment)      # nothing built through the spy outlives the test
    assert words
    assert spy.used, "Segmenter('rjieba') never touched the rjieba module"
