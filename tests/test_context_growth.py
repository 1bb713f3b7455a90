"""The context's work grows linearly with its input (issue 15, point 2).

Each adversarial pattern is annotated at size n and 4n in the same run; the best of three
timings of 4n must stay within ~5x (6x, for a shared machine) of n's — a quadratic path
would take 16x. No absolute timing is asserted.
"""
from __future__ import annotations

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


def _annotate_time(ex: Extractor, text: str) -> float:
    nt = normalize(text).text
    paras, sents = list(paragraphs(nt)), sentence_spans(nt)
    mentions = ex.finder.find(nt)
    best = float("inf")
    for _ in range(3):
        ctx = Context(nt, paras, sents, None, True, ex.tagger)
        t = time.perf_counter()
        ctx.annotate(mentions)
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.parametrize("name", list(PATTERNS))
def test_annotate_grows_linearly(name):
    make, n = PATTERNS[name]
    ex = Extractor()
    _annotate_time(ex, make(n // 4))  # warm the caches (tagger, cue patterns)
    small, large = _annotate_time(ex, make(n)), _annotate_time(ex, make(4 * n))
    assert large <= 6 * small, f"{name}: n takes {small:.4f}s, 4n takes {large:.4f}s ({large / small:.1f}x)"
