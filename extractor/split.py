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
_CLAUSE_END = frozenset("，、：,:；;。！？!?")


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
