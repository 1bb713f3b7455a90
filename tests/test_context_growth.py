"""The context's work grows linearly with its input (issue 15, point 2).

Each adversarial pattern is annotated at size n and 4n in the same run, interleaved; the best
of five timings of 4n must stay within ~5x (6x, for a shared machine) of n's — a quadratic
path would take 16x. No absolute timing is asserted.
"""
from __future__ import annotations

import gc
import time

import pytest

from extractor import Extractor
from extractor.context import Context
from extractor.normalize import normalize
from extractor.split import paragraphs, sentence_spans

PATTERNS = {
    # one long sentence (no 。) of figures: the 分别 search and clause starts stay in the clause
    "one long sentence": (lambda n: "全市地区生产总值增长7.5%，达到309亿元，" * n, 1000),
    # a 分别 list of n figures: its extent is found once, not per figure
    "a long 分别 list": (lambda n: "A、B分别增长" + "1%、" * n + "2%。", 500),
    # 分别 once, then n clauses of figures
    "分别 then many clauses": (lambda n: "分别" + "增长1%，" * n, 400),
    "从A增长到B repeated": (lambda n: "从3亿元增长到4亿元，" * n, 1000),
}


def _prepared(ex: Extractor, text: str) -> tuple:
    nt = normalize(text).text
    return nt, list(paragraphs(nt)), sentence_spans(nt), ex.finder.find(nt)


def _time(ex: Extractor, prepared: tuple) -> float:
    nt, paras, sents, mentions = prepared
    ctx = Context(nt, paras, sents, None, True, ex.tagger)
    t = time.perf_counter()
    ctx.annotate(mentions)
    return time.perf_counter() - t


@pytest.mark.parametrize("name", list(PATTERNS))
def test_annotate_grows_linearly(name):
    make, n = PATTERNS[name]
    ex = Extractor()
    small, large = _prepared(ex, make(n)), _prepared(ex, make(4 * n))
    _time(ex, small)  # warm the caches (tagger, cue patterns)
    best_small = best_large = float("inf")
    gc.collect()
    gc.disable()  # the collector's pauses grow with the heap, not with this work
    try:
        for _ in range(5):  # interleaved, the best of five: a busy machine slows both alike
            best_small = min(best_small, _time(ex, small))
            best_large = min(best_large, _time(ex, large))
    finally:
        gc.enable()
    ratio = best_large / best_small
    assert ratio <= 6, f"{name}: n takes {best_small:.4f}s, 4n takes {best_large:.4f}s ({ratio:.1f}x)"
