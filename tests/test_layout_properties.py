"""Property tests of the PDF layout pass: a paragraph hard-wrapped at any page width, with page
debris between its pages, gives the records of the same paragraph on one line (the wrapped
figure keeps the break in its span: original[start:end] == text). Duplicate removal is off: the
generated clauses repeat, and which repeats it removes depends on the lines."""
from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import extractor

METRICS = ["地区生产总值", "一般公共预算收入", "社会消费品零售总额", "固定资产投资", "进出口总额",
           "城镇居民人均可支配收入", "港口集装箱吞吐量", "粮食总产量"]
VERBS = ["达到", "增长", "完成", "实现", "比上年增加"]
UNITS = ["亿元", "%", "万人", "万吨", "个百分点", "万标箱", "元/人", "‰"]
FILLER = ["经济运行总体平稳", "发展质量稳步提升", "民生保障持续加强", "改革开放不断深化",
          "生态环境明显改善", "创新动能加快集聚"]

figure = st.builds(lambda i, d, u: f"{i}.{d}{u}" if d else f"{i}{u}",
                   st.integers(1, 99999), st.integers(0, 99), st.sampled_from(UNITS))
clause = st.builds(lambda m, v, f, x: f"{m}{v}{f}，{x}", st.sampled_from(METRICS), st.sampled_from(VERBS),
                   figure, st.sampled_from(FILLER))
paragraph = st.lists(clause, min_size=16, max_size=30).map(lambda cs: "，".join(cs) + "。")


def _width(s: str) -> int:
    return 2 * len(s) - len(s.encode("ascii", "ignore"))


def _wrap(text: str, width: int) -> list:
    """Lines of `text` as a page `width` columns wide lays them out: a run of ASCII digits
    (and its point) is never split, as layout engines keep a number on one line."""
    lines, line = [], "　　"
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and text[j - 1] in "0123456789." and text[j] in "0123456789.":
            j += 1
        piece = text[i:j]
        if line and _width(line + piece) > width:
            lines.append(line)
            line = ""
        line += piece
        i = j
    lines.append(line)
    return lines


def _records(text: str) -> list:
    return [(r.value, r.unit, r.text.replace("\n", "")) for r in extractor.extract(text, dedup=False).records]


@settings(max_examples=40, deadline=None)
@given(paragraph, st.integers(44, 90))
def test_wrapped_paragraph_reads_as_one_line(par, width):
    lines = _wrap(par, width)
    assume(len(lines) >= 6)  # (a few lines are too little to tell a page's width)
    wrapped = "\n".join(lines) + "\n"
    assert _records(wrapped) == _records(par)
    for r in extractor.extract(wrapped, dedup=False).records:
        assert wrapped[r.start:r.end] == r.text


@settings(max_examples=25, deadline=None)
@given(paragraph, st.integers(44, 90), st.integers(1, 300))
def test_page_break_debris_is_dropped(par, width, page):
    lines = _wrap(par, width)
    cut = len(lines) // 2
    debris = ["", f"- {page} -", "", "某某市人民政府公报  2026年第10期", ""]
    pages = lines[:cut] + debris + lines[cut:]
    pages = pages + ["", f"- {page + 1} -", "", "某某市人民政府公报  2026年第10期", ""]
    text = "\n".join(pages) + "\n"
    # (a figure split by the page break spans the debris too: its text is the original slice)
    assert [r[:2] for r in _records(text)] == [r[:2] for r in _records(par)]
