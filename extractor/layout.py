r"""The layout of text extracted from PDF: what normalize drops so the text reads as written.

`drops(text)` gives the original spans normalize leaves out (each is a run of characters
that carries no content of the document):

- footnote markers: `国内生产总值[2]1349084亿元`, `431.42亿元[6]`;
- page-break debris: a page number alone on a line (`- 3 -`, `第3页`, or a bare number next to
  a form feed or counting the pages up), a running header or footer (a short line repeated
  at page breaks, `深圳市人民政府公报  2026年第10期`);
- line breaks inside wrapped sentences: a line about as wide as the page that ends without
  sentence-final punctuation is joined to the line that continues it (across a page break too),
  so `3500万\n标箱` reads as one figure;
- the spaces of a spaced-out line (`关  于  深  圳  市`, `2 0 2 6 年`).

Everything is decided from the structure of the lines (their widths, indentation, what
stands between them), never from their wording.

>>> t = "全年港口集装箱吞吐量达到3500万\n标箱。\n"
>>> drops(t)  # a few short lines: nothing says the text is wrapped
[]
>>> page = "一" * 30 + "\n" + ("二" * 29 + "，\n") * 5 + "三" * 25 + "吞吐量3500万\n标箱。\n"
>>> [page[s:e] for s, e in drops(page)]
['\n', '\n', '\n', '\n', '\n', '\n', '\n']
>>> t = "总值[2]1349084亿元，下降[6]。"
>>> [t[s:e] for s, e in drops(t)]
['[2]', '[6]']
"""
from __future__ import annotations

import heapq
import re
from collections import Counter

# a footnote marker: a number of 1-3 digits in square brackets (not one inside a number)
_FOOTNOTE = re.compile(r"[\[［]\d{1,3}[\]］]")
_OPEN_BEFORE = re.compile(r"[\[［]\d{1,3}\Z")
# a line's content (line breaks: \n, \r, form feed and the other separators normalize maps to \n)
_LINE = re.compile(r"[^\n\r\x0b\x0c\x85\u2028\u2029]+")
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LEAD = re.compile(r"[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]*")
_TRAILING = frozenset(" \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                      "\u200b\u202f\u205f\u3000\ufeff")
# a page number written as one: - 3 -, — 3 —, ·3·, 第3页, 第3页共10页, 3/10, Page 3
_PAGE_NUMBER = re.compile(r"[-—–－·•]\d{1,4}[-—–－·•]|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}/\d{1,4}"
                          r"|[Pp]age\d{1,4}(?:of\d{1,4})?")
_TAIL = re.compile(r"[ \t\u3000]*(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])?")
_BARE_NUMBER = re.compile(r"\d{1,4}")
# sentence-final punctuation, optionally followed by closing quotes or brackets
_FINAL = re.compile(r"[。！？!?；;…][”’」』）)\]】]*\Z")
# a line that starts a new block: a heading or list marker
_BLOCK_START = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)"
                          r"|第[一二三四五六七八九十\d]+[章节部分篇条]|[①-⑳]|附件|附表|注[:：]")

_DIGIT_END = frozenset("0123456789.%‰")
_COLUMN_GAP = re.compile(r"\S(?:[ \u00a0]{2,}|\t|\u3000{2,})\S")
_MIN_PAGE_WIDTH = 30   # display columns of the narrowest page whose lines we rejoin
_WIDTH_SLACK = 4       # a full line is within this many columns of the page width
_MAX_HEADER = 40       # characters of a running header or footer, at most
_MIN_HEADER = 6        # … and at least (各位代表！ or 单位 repeated is no header)
_NEAR = 2              # lines from a page break a running header or footer stands within
_MAX_LINE = 200        # characters of the longest line read for its layout (a page's line is shorter)
_MAX_PAGE_NUMBER = 16  # characters of a page number line, at most
_PAGED_AVERAGE = 100   # characters per line, at most, of a text laid out in pages
# three CJK characters one space apart (as in a spaced-out title, 关 于 深 圳)
# (written to start with the space, which the pattern skips ahead to)
_SPACED = re.compile(r"[ \u3000](?<=[\u4e00-\u9fff][ \u3000])[ \u3000]*[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")


class _Line:
    """One non-blank line: its stripped span, display width and indent, and the line breaks
    (and form feed) between it and the previous line. `text` is kept for lines short enough
    to be a page's line, a heading, a header or a page number (None for a longer one)."""

    __slots__ = ("start", "end", "text", "width", "indent", "gap_breaks", "gap_feed", "debris")

    def __init__(self, text: str, s: int, e: int, prev_end: int) -> None:
        start = _LEAD.match(text, s, e).end()
        end = e
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        self.start, self.end = start, end
        self.text = text[start:end] if end - start <= _MAX_LINE else None
        self.width = _width(self.text) if self.text is not None else 2 * (end - start)
        self.indent = _width(text[s:start])
        self.gap_breaks = text.count("\n", prev_end, s) + text.count("\x0c", prev_end, s)
        self.gap_feed = text.find("\x0c", prev_end, s) >= 0
        self.debris = False


def _width(s: str) -> int:
    """Display columns: a wide (CJK) character takes two, an ASCII one one."""
    return 2 * len(s) - len(s.encode("ascii", "ignore"))


def _lines(text: str) -> list:
    """The non-blank lines of `text`, each with what stands between it and the previous one."""
    out = []
    pos = 0
    for m in _LINE.finditer(text):
        s, e = m.span()
        if _LEAD.match(text, s, e).end() == e:
            continue  # a blank line
        out.append(_Line(text, s, e, pos))
        pos = e
    return out


def drops(text: str) -> list:
    """Sorted, disjoint (start, end) spans of `text` that carry no content (see the module)."""
    parts = [_footnotes(text)]  # each list in text order
    if _paged(text):
        lines = _lines(text)
        parts.append(_spaced_out(text, lines))
        if len(lines) >= 3:
            _mark_debris(lines)
            parts.append(_debris_and_wraps(text, lines))
    else:
        parts.append(_spaced_out(text, _spaced_lines(text)))
    return _union(heapq.merge(*parts))


def _spaced_lines(text: str) -> list:
    """The lines where three CJK characters stand one space apart (the only ones that can be
    spaced out), found without reading every line."""
    out: list = []
    pos = 0
    while True:
        m = _SPACED.search(text, pos)
        if m is None:
            return out
        s = max(text.rfind("\n", 0, m.start()), text.rfind("\x0c", 0, m.start())) + 1
        e = min(x for x in (text.find("\n", m.end()), text.find("\x0c", m.end()), len(text)) if x >= 0)
        out.append(_Line(text, s, e, s))
        pos = e + 1


def _paged(text: str) -> bool:
    """Can the text have a page's layout: a form feed, or lines short enough to be a page's
    lines on average (a text of one paragraph per line averages well over a page's width)?"""
    if "\x0c" in text:
        return True
    n = text.count("\n")
    return n > 0 and len(text) <= _PAGED_AVERAGE * (n + 1)


def _footnotes(text: str) -> list:
    """Footnote markers ([2], ［6］) inside a line."""
    if "[" not in text and "［" not in text:
        return []
    out = []
    for m in _FOOTNOTE.finditer(text):
        s, e = m.span()
        if s > 0 and text[s - 1].isdigit() and e < len(text) and text[e].isdigit():
            continue  # 1[2]3: no marker between two digits of one figure
        if s == 0 or text[s - 1] in "\n\x0c":
            continue  # [1] opening a line: a list or the footnote itself
        if text[s - 1] in "[［" or text[e:e + 1] in ("]", "］") or _OPEN_BEFORE.search(text, max(0, s - 4), s):
            continue  # inside other brackets ([[1]2], [1[2]]): no marker
        out.append((s, e))
    return out


def _spaced_out(text: str, lines: list) -> list:
    """The spaces of lines written one character at a time (关  于  深  圳  市)."""
    out = []
    for ln in lines:
        t = ln.text
        if t is None or len(t) < 7 or " " not in t and "\u3000" not in t:
            continue
        chars = _SPACE.sub("", t)
        gaps = list(_SPACE.finditer(t))
        wide = _width(chars) - len(chars)  # CJK characters
        if len(chars) >= 4 and wide * 2 >= len(chars) and len(gaps) >= len(chars) - 1 - len(chars) // 5:
            out += [(ln.start + g.start(), ln.start + g.end()) for g in gaps]
    return out


def _compact(s: str) -> str:
    """A line without its spaces (how headers and page numbers are compared)."""
    return _SPACE.sub("", s)


def _mark_debris(lines: list) -> None:
    """Mark page numbers and running headers and footers."""
    signals = set()
    for i, ln in enumerate(lines):
        if ln.gap_feed:
            signals.add(i)
        if ln.text is None or len(ln.text) > _MAX_PAGE_NUMBER:
            continue
        t = _compact(ln.text)
        if _PAGE_NUMBER.fullmatch(t):
            ln.debris = True
        elif _BARE_NUMBER.fullmatch(t) and (ln.gap_feed or i + 1 < len(lines) and lines[i + 1].gap_feed):
            ln.debris = True
    _page_counts(lines)
    signals.update(i for i, ln in enumerate(lines) if ln.debris)
    if not signals:
        return
    # page breaks: runs of adjacent signals (a page number and a form feed); the text's start
    # and end are page edges too
    breaks: dict = {}  # line index -> the page break it is near
    edge = 0
    last = None
    for i in sorted(signals | {0, len(lines) - 1}):
        if last is None or i - last > 1:
            edge += 1
        for j in range(i - _NEAR, i + _NEAR + 1):
            breaks.setdefault(j, edge)
        last = i
    # a running header is shorter than a page's full line (a wrapped line that repeats is text)
    width = _page_width(lines)
    short = {i: _compact(ln.text) for i, ln in enumerate(lines)
             if ln.text is not None and _MIN_HEADER <= len(ln.text) <= _MAX_HEADER
             and not (width and ln.width >= width - _WIDTH_SLACK)}
    seen = Counter(short.values())
    at_breaks: dict = {}  # a repeated line -> the page breaks it stands at
    for i, t in short.items():
        if seen[t] >= 2 and i in breaks:
            at_breaks.setdefault(t, set()).add(breaks[i])
    for i, t in short.items():
        if len(at_breaks.get(t, ())) >= 2:
            lines[i].debris = True  # a running header or footer: the same line at two page breaks


def _page_counts(lines: list) -> None:
    """Bare numbers alone on a line that count the pages up (7, 8, 9 … lines apart)."""
    nums = [(i, int(_compact(ln.text))) for i, ln in enumerate(lines)
            if not ln.debris and ln.text is not None and len(ln.text) <= _MAX_PAGE_NUMBER
            and _BARE_NUMBER.fullmatch(_compact(ln.text))]
    chain: list = []
    for i, v in nums:
        if chain and v == chain[-1][1] + 1 and i - chain[-1][0] >= 10:
            chain.append((i, v))
            continue
        _mark_chain(lines, chain)
        chain = [(i, v)]
    _mark_chain(lines, chain)


def _mark_chain(lines: list, chain: list) -> None:
    """A run of three or more page counts is page numbers."""
    if len(chain) >= 3:
        for i, _ in chain:
            lines[i].debris = True


def _page_width(lines: list) -> int:
    """The width of a full line when the text is hard-wrapped, else 0."""
    widths = [ln.width for ln in lines if not ln.debris and ln.width >= _MIN_PAGE_WIDTH]
    if len(widths) < 5:
        return 0
    counts = Counter(widths)
    best, best_n = 0, 0
    for w in counts:
        n = sum(counts.get(x, 0) for x in range(w - 2, w + 3))
        if n > best_n or n == best_n and w > best:
            best, best_n = w, n
    return best if best_n * 2 >= len(widths) else 0


def _debris_and_wraps(text: str, lines: list) -> list:
    """Debris lines with their line breaks; the breaks of wrapped sentences (over debris)."""
    out = []
    width = _page_width(lines)
    margin = min((ln.indent for ln in lines if not ln.debris), default=0)
    prev = None
    pending: list = []  # debris lines since the previous line of content
    for ln in lines:
        if ln.debris:
            pending.append(ln)
            continue
        if prev is not None and width and _joins(text, prev, ln, width, margin, bool(pending)):
            out.append((prev.end, ln.start))  # the break, the debris and the blank lines between
        else:
            out += [(d.start, _line_end(text, d.end)) for d in pending]
        pending = []
        prev = ln
    out += [(d.start, _line_end(text, d.end)) for d in pending]
    return out


def _line_end(text: str, end: int) -> int:
    """The end of a line with its trailing spaces and its line break (\\r\\n counts as one)."""
    m = _TAIL.match(text, end)
    return m.end() if m else end


def _joins(text: str, a, b, width: int, margin: int, debris_between: bool) -> bool:
    """Does line `b` continue the sentence that line `a` wraps?"""
    if a.text is None or a.width + a.indent - margin < width - _WIDTH_SLACK or _FINAL.search(a.text):
        return False
    if b.indent > margin + 1 or _BLOCK_START.match(text, b.start, b.end):
        return False
    if a.text[-1] in _DIGIT_END and text[b.start] in "0123456789":
        return False  # two figures (a table's columns), never one split by a wrap
    if _COLUMN_GAP.search(a.text) or _COLUMN_GAP.search(text, b.start, min(b.end, b.start + _MAX_LINE)):
        return False  # a table row laid out in columns
    if b.gap_breaks > 1 and not debris_between and not b.gap_feed:
        return False  # a blank line: a new paragraph
    return True


def _union(spans) -> list:
    """Overlapping or touching spans (given in order) merged."""
    out: list = []
    for s, e in spans:
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
