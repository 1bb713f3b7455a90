"""The scanner and the layout pass take time linear in their input (issue 15).

Each adversarial input is built at size n and 4n and run in the same process; the ratio of
the two times (the best of several runs each) must stay near 4. A pattern retried from every
position of a run (the quadratic scans these inputs once caused) gives 16. No absolute
timing is asserted.
"""
from __future__ import annotations

import gc
import time

import pytest

from extractor.find import Finder
from extractor.normalize import normalize

MAX_RATIO = 6.0   # for 4x the input: linear is 4, quadratic 16
REPEATS = 5

# (name, the text for a repeat count n, n): n is large enough for the cost per character to have
# settled (small inputs run from the CPU's caches) and small enough to keep the test quick
SCANNER_INPUTS = [
    ("chinese-numeral-run", lambda n: "一" * n + "。", 200000),
    ("scale-run", lambda n: "十" * n + "。", 200000),
    ("numeral-and-point", lambda n: "一点一" * n + "。", 60000),
    ("percent-words", lambda n: "百分之" * n, 20000),
    ("from-to", lambda n: "从3亿元增长到4亿元，" * n, 2000),
    ("long-numeral-with-unit", lambda n: "一" * n + "亿元", 200000),
    ("ratio-chain", lambda n: "1:" * n, 10000),
    ("time-chain", lambda n: "1:00" * n, 10000),
    ("minus-chain", lambda n: "-1" * n, 10000),
    ("year-chain", lambda n: "2024年" * n, 40000),
    ("mixed-clauses", lambda n: "全市地区生产总值增长7.5%，达到309亿元，" * n, 2000),
    ("flattened-table", lambda n: "序号\n指标名称\n单位\n目标\n" + "".join(f"{i}\n指标\n%\n≥58\n" for i in range(1, n)), 3000),
    ("broken-table", lambda n: "序号\n指标名称\n单位\n目标\n" + "1\n指标\n%\n≥58\n" * n, 3000),
]

LAYOUT_INPUTS = [
    ("footnotes", lambda n: "总值[2]13亿元，" * n, 16000),
    ("page-debris", lambda n: ("一" * 30 + "\n") * 5 + "- 3 -\n公报  2026年第10期\n" * n, 8000),
    ("wrapped-page", lambda n: ("二" * 29 + "，\n") * n, 4000),
    ("spaced-out", lambda n: "关 于 " * n, 8000),
    ("combining-marks", lambda n: "1\u0301" * n, 32000),
]


def _best(fn, arg) -> float:
    """The least CPU time of this thread over a few runs (other processes on the machine and
    the scheduler's pauses do not count; nor does the cyclic garbage collector, whose passes
    cost what the whole test session holds in memory, not what the input makes)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(REPEATS):
            t0 = time.thread_time()
            fn(arg)
            best = min(best, time.thread_time() - t0)
    finally:
        gc.enable()
    return best


def _ratio(fn, make, n) -> float:
    small, large = make(n), make(4 * n)
    fn(small)  # warm up (caches, first-call costs)
    return _best(fn, large) / max(_best(fn, small), 1e-6)


@pytest.mark.parametrize("name,make,n", SCANNER_INPUTS, ids=[c[0] for c in SCANNER_INPUTS])
def test_scanner_is_linear(name, make, n):
    finder = Finder()
    ratio = _ratio(lambda t: finder.find(normalize(t).text), make, n)
    assert ratio <= MAX_RATIO, f"{name}: 4x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("name,make,n", LAYOUT_INPUTS, ids=[c[0] for c in LAYOUT_INPUTS])
def test_normalize_is_linear(name, make, n):
    ratio = _ratio(normalize, make, n)
    assert ratio <= MAX_RATIO, f"{name}: 4x the input took {ratio:.1f}x the time"
