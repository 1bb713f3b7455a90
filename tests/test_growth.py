"""Time grows linearly with the size of one document (issue 14): 4x the text, at most ~6x the time.

Two documents, each at two sizes (4x apart), measured in this one run: the ratio of the CPU
times of the same work (best of five, sizes interleaved, the garbage collector paused) is
what is checked, never an absolute timing. A stage that compares everything with everything
gives about 16x.

- copies: corpus texts copied, every copy with its digits remapped by its own permutation,
  joined into ONE document: the sentences without figures repeat from copy to copy, the worst
  case of real text for duplicate removal (every such sentence starts a candidate passage,
  most of them restated with other figures).
- repeats: generated paragraphs, every other one repeated right after itself: many removed
  spans and many paragraphs (dedup used to test every paragraph against every removed span).
"""
from __future__ import annotations

import gc
import random
import time
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.normalize import normalize
from extractor.split import paragraphs, sentence_spans

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MAX_RATIO = 6.0


def _copies(copies: int) -> str:
    base = "\n".join((CORPUS / "dev" / name).read_text(encoding="utf-8") for name in ("001.txt", "004.txt"))
    rng = random.Random(14)
    parts = []
    for k in range(copies):
        perm = list(range(10))
        if k:
            rng.shuffle(perm)
        parts.append(base.translate({ord("0") + d: ord("0") + perm[d] for d in range(10)}))
    return "\n".join(parts)


def _repeats(n: int) -> str:
    rng = random.Random(14)

    def words(lo, hi):
        return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(rng.randrange(lo, hi)))
    out = []
    for i in range(n):
        p = f"{words(12, 30)}增长{rng.randrange(1, 99)}.{rng.randrange(10)}%，{words(10, 25)}。"
        out.append(p)
        if i % 2:
            out.append(p)
    return "\n".join(out)


def _ratio(small_fn, large_fn, repeat: int = 5) -> float:
    best = [float("inf"), float("inf")]
    gc.collect()
    gc.disable()  # the collector's passes depend on what else is alive: not the code's growth
    try:
        for _ in range(repeat):
            for k, fn in enumerate((small_fn, large_fn)):
                t = time.process_time()
                fn()
                best[k] = min(best[k], time.process_time() - t)
    finally:
        gc.enable()
    return best[1] / best[0]


DOCS = {"copies": (_copies, 8, 32), "repeats": (_repeats, 6000, 24000)}


@pytest.mark.parametrize("kind", sorted(DOCS))
def test_dedup_grows_linearly(kind):
    make, small, large = DOCS[kind]
    ex = Extractor()
    calls = []
    for text in (make(small), make(large)):
        nt = normalize(text).text
        paras, sents = list(paragraphs(nt)), sentence_spans(nt)
        assert ex.deduplicator.find(nt, paras, None, "d", sents)  # there is something to remove
        calls.append(lambda nt=nt, paras=paras, sents=sents: ex.deduplicator.find(nt, paras, None, "d", sents))
    ratio = _ratio(*calls)
    assert ratio <= MAX_RATIO, f"dedup, {kind}: 4x the text took {ratio:.1f}x the time"


def test_whole_pipeline_grows_linearly():
    ex = Extractor()
    small, large = _copies(8), _copies(32)
    assert 3.9 < len(large) / len(small) < 4.1
    ex.extract(small[:2000])  # the segmenter and the tagger load outside the timing
    ratio = _ratio(lambda: ex.extract(small, "one-document"), lambda: ex.extract(large, "one-document"), 3)
    assert ratio <= MAX_RATIO, f"extract: 4x the text took {ratio:.1f}x the time"


# -- the C-speed helpers of dedup give what the loops they replace gave ----------------------
from difflib import SequenceMatcher  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor.dedup import _common_prefix, _common_suffix, _quick_ratio, _real_quick_ratio  # noqa: E402

_chars = st.text(alphabet="增长年亿元7%0.\n，。", max_size=60)


@settings(max_examples=300, deadline=None)
@given(_chars, _chars)
def test_quick_ratios_equal_difflib(a, b):
    sm = SequenceMatcher(None, a, b, autojunk=False)
    assert _real_quick_ratio(a, b) == sm.real_quick_ratio()
    assert _quick_ratio(a, b) == sm.quick_ratio()


def _suffix_loop(text, a, b, limit):
    k = 0
    while k < limit and text[a - k - 1] == text[b - k - 1] and text[a - k - 1] != "\n":
        k += 1
    return k


def _prefix_loop(text, a, b, limit):
    k = 0
    while k < limit and text[a + k] == text[b + k] and text[a + k] != "\n":
        k += 1
    return k


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab7\n", min_size=2, max_size=80), st.data())
def test_common_prefix_and_suffix_equal_the_loops(text, data):
    n = len(text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(0, n))
    back = data.draw(st.integers(0, min(a, b)))
    assert _common_suffix(text, a, b, back) == _suffix_loop(text, a, b, back)
    fwd = data.draw(st.integers(0, n - max(a, b)))
    assert _common_prefix(text, a, b, fwd) == _prefix_loop(text, a, b, fwd)
