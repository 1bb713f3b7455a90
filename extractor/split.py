"""Split normalized text into paragraphs and sentences, with offsets.

A paragraph is a non-blank line. A sentence ends after 。！？；… (and any
closing quotes or brackets that follow) or at the end of its paragraph.

>>> [text for _, _, text in sentences("一是增长。二是“好！”\\n三")]
['一是增长。', '二是“好！”', '三']
"""
from __future__ import annotations

import re

_PARA = re.compile(r"[^\n]+")
_SENT = re.compile(r"[^。！？；…\n]*(?:[。！？；]+|…+)[”’」』）\)]*|[^。！？；…\n]+")
# whitespace but a line break: the characters `[^\S\n]` matches, listed (a plain set scans faster)
_SPACE_NOT_BREAK = re.compile("[\t\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def paragraphs(text: str):
    """(start, end, text) of each paragraph with its surrounding spaces stripped."""
    for m in _PARA.finditer(text):
        s, e = m.span()
        seg = m.group()
        stripped = seg.strip()
        if not stripped:
            continue
        s += len(seg) - len(seg.lstrip())
        yield s, s + len(stripped), stripped


def sentences(text: str, start: int = 0, end: int | None = None):
    """(start, end, text) of each sentence within text[start:end]."""
    end = len(text) if end is None else end
    for m in _SENT.finditer(text, start, end):
        s, e = m.span()
        seg = m.group()
        if seg[0].isspace() or seg[-1].isspace():
            stripped = seg.strip()
            if not stripped:
                continue
            s += len(seg) - len(seg.lstrip())
            e = s + len(stripped)
            seg = stripped
        yield s, e, seg


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the spans `sentences` yields, found faster.

    With no whitespace but line breaks in the text (normalized report text, as a
    rule) no sentence has edges to strip, and the spans are the matches themselves.

    >>> sentence_spans("一是增长。二是“好！”\\n三")
    [(0, 5), (5, 11), (12, 13)]
    """
    if _SPACE_NOT_BREAK.search(text) is None:
        return [m.span() for m in _SENT.finditer(text)]
    return [(s, e) for s, e, _ in sentences(text)]
