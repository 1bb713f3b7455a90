"""Normalize text for matching while keeping an exact map back to the original.

Full-width digits, letters and number punctuation become ASCII (one character
for one); horizontal whitespace inside a line is dropped (a single space is
kept between two ASCII letters or digits); ``\\r\\n`` becomes ``\\n``; zero-width
characters (and combining marks) are dropped; so are the runs the layout of a
PDF leaves (layout.drops: footnote markers, page numbers and running headers,
the line break inside a wrapped sentence, the spaces of a spaced-out title).
Every normalized character comes from exactly one original character, so a
span maps back by adding the count of dropped characters before it (a figure
across a wrapped line maps back with the line break inside its span).

>>> n = normalize("增长１２．５ ％，\\r\\n近 8万")
>>> n.text
'增长12.5%，\\n近8万'
>>> s, e = n.to_original(2, 7)
>>> "增长１２．５ ％，\\r\\n近 8万"[s:e]
'１２．５ ％'
"""
from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass

import regex

from .layout import drops

_TABLE = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}          # ０-９
_TABLE.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})     # Ａ-Ｚ
_TABLE.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})     # ａ-ｚ
_TABLE.update({ord("．"): ".", ord("％"): "%", ord("＋"): "+", ord("－"): "-", ord("\u2212"): "-", ord("\ufe63"): "-",
               ord("／"): "/", ord("～"): "~", ord("＜"): "<", ord("＞"): ">",
               ord("＝"): "=", ord("＆"): "&", ord("＃"): "#", ord("×"): "×",
               ord("\u2236"): ":", ord("\r"): "\n", ord("\u2028"): "\n", ord("\u2029"): "\n",
               ord("\x0b"): "\n", ord("\x0c"): "\n", ord("\x85"): "\n", ord("\u00b7"): "·",
               ord(";"): "；", ord("("): "（", ord(")"): "）",
               ord("!"): "！", ord("?"): "？"})
_TABLE = str.maketrans({k: (chr(v) if isinstance(v, int) else v) for k, v in _TABLE.items()})


def translate_runs(text: str, table: dict, runs) -> str:
    """text.translate(table), applied only to the runs of characters the table maps.

    str.translate looks every character up in the table; most report text has no
    character to map, so translating only the matched runs is several times faster.
    """
    return runs.sub(lambda m: m.group().translate(table), text)


def runs_of(table: dict):
    """A pattern for runs of the characters `table` maps (stdlib `re`: its sub is faster here)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]+")


_TABLE_RUNS = runs_of(_TABLE)

_SPACE = r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# characters to drop: \r before \n, zero-width marks, horizontal whitespace runs
# (and combining marks and variation selectors: a mark on a digit, 1\u03012亿元, is no break)
_ZERO_WIDTH = r"[\u200b-\u200d\u2060\ufeff\u00ad\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]"
# \r(?=\n), a run of zero-width marks or a run of spaces, written to start with one character
# set (then a lookbehind tells which kind it is): `re` skips ahead to such a character in a
# tight loop, three times faster than trying a lookahead at every position
_DROP = re.compile(rf"[\r{_ZERO_WIDTH[1:-1]}{_SPACE[1:-1]}]"
                   rf"(?:(?<=\r)(?=\n)|(?<={_ZERO_WIDTH}){_ZERO_WIDTH}*|(?<={_SPACE}){_SPACE}*)")
_ASCII_ALNUM = regex.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_SPACE_RE = regex.compile(_SPACE)
_SPACE_CHARS = frozenset(" \t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200b))))
_OTHER_COMMA = regex.compile(r"(?<![0-9]),|,(?![0-9]{3}(?![0-9]))")


@dataclass(frozen=True)
class Normalized:
    """Normalized text and the positions where characters were dropped."""

    text: str
    original: str
    _breaks: tuple  # normalized index at which the shift grows
    _shifts: tuple  # cumulative count of dropped characters from that index on

    def shift(self, i: int) -> int:
        """Number of original characters dropped before normalized index `i`."""
        k = bisect.bisect_right(self._breaks, i) - 1
        return self._shifts[k] if k >= 0 else 0

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the original text."""
        if end <= start:
            o = start + self.shift(start)
            return o, o
        return self.spans_to_original([(start, end)])[0]

    def spans_to_original(self, spans) -> list[tuple[int, int]]:
        """to_original of each (start, end) of a list (non-empty spans), in one call."""
        breaks, shifts = self._breaks, self._shifts
        out = []
        for start, end in spans:
            k = bisect.bisect_right(breaks, start) - 1
            j = bisect.bisect_right(breaks, end - 1) - 1
            out.append((start + (shifts[k] if k >= 0 else 0), end + (shifts[j] if j >= 0 else 0)))
        return out

    def original_index(self, i: int) -> int:
        """Original index of normalized character `i` (or of the end for len(text))."""
        if i >= len(self.text):
            return len(self.original)
        return i + self.shift(i)


def normalize(text: str) -> Normalized:
    """Return the normalized text with its offset map to `text`."""
    pieces, breaks, shifts = [], [], []
    kept_spaces = False
    pos = dropped = out_len = 0
    layout = drops(text)
    runs = _DROP.finditer(text) if not layout else _merged(text, layout)
    n = len(text)
    for m in runs:
        s, e = m.span()
        if (text[s] in _SPACE_CHARS and 0 < s and e < n and type(m) is not _LayoutRun
                and _ASCII_ALNUM.match(text[s - 1]) and _ASCII_ALNUM.match(text[e])):
            s += 1  # keep the first space character (made a plain space below)
            kept_spaces = True
        if s >= e:
            continue
        chunk = text[pos:s]
        pieces.append(chunk)
        out_len += len(chunk)
        dropped += e - s
        breaks.append(out_len)
        shifts.append(dropped)
        pos = e
    pieces.append(text[pos:])
    joined = "".join(pieces)
    # commas: a thousands separator stays ',', any other ASCII comma becomes '，'
    norm = translate_runs(joined, _TABLE, _TABLE_RUNS)
    if "," in norm:
        norm = _OTHER_COMMA.sub("，", norm)
    if kept_spaces:
        norm = _SPACE_RE.sub(" ", norm)  # a kept space is always a plain space
    return Normalized(norm, text, tuple(breaks), tuple(shifts))


class _Run:
    """A run to drop, read like a match of `_DROP` (its `span()`)."""

    __slots__ = ("_span",)

    def __init__(self, s: int, e: int) -> None:
        self._span = (s, e)

    def span(self) -> tuple:
        """(start, end) of the run in the text it was found in."""
        return self._span


class _LayoutRun(_Run):
    """A run that holds a layout run: dropped whole (no space kept)."""

    __slots__ = ()


def _merged(text: str, layout: list) -> list:
    """The runs of `_DROP` and the layout's runs (layout.drops: footnote markers, page
    debris, the breaks of wrapped lines) merged, in order."""
    out: list = []
    for s, e, from_layout in heapq.merge(((m.start(), m.end(), False) for m in _DROP.finditer(text)),
                                         ((s, e, True) for s, e in layout)):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e), True)
        else:
            out.append((s, e, from_layout))
    return [_LayoutRun(s, e) if from_layout else _Run(s, e) for s, e, from_layout in out]
