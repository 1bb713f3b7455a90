"""The headline indicators of data/indicators.yaml, loaded and validated once (the
catalog the panel's matching in indicators.py reads), and the full-width fold."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import datafile
from .lexicon import alternation


_FILE = "indicators.yaml"
_TOP_KEYS = {"scopes", "whole", "subscopes", "not_between", "bound_phrases", "not_after", "not_before", "from_to", "change",
             "level_after_change", "list_separators", "range_separators", "indicators"}
_IND_KEYS = {"id", "name", "aliases", "units", "direction", "vetoes", "split", "cumulates"}
_REQUIRED = {"id", "name", "aliases", "units", "direction"}
_ALIAS_KEYS = {"text", "measures", "weak"}
MEASURES = ("level", "growth", "change")
# full-width ASCII → ASCII, one character for one (offsets are kept)
_FOLD = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


class IndicatorDataError(ValueError):
    """data/indicators.yaml is malformed (names the file and the key)."""


@dataclass(frozen=True)
class Indicator:
    """One headline indicator of data/indicators.yaml."""

    id: str
    name: str
    aliases: tuple          # (text, measures or None)
    units: tuple
    direction: str          # up | down
    vetoes: tuple = ()
    split: tuple = ()       # ((wording, (ids…)), …)
    weak: tuple = ()        # wordings that yield to a full one stating the same key (新增就业)
    cumulates: bool = False # a flow: a review of several years states its sum, not a year's

@dataclass(frozen=True)
class Catalog:
    """The loaded indicator data with its matchers."""

    indicators: dict
    alias_rx: re.Pattern
    alias_of: dict          # wording → (indicator id, measures or None)
    scopes: tuple
    whole: tuple
    subscopes: tuple
    not_between: tuple
    bound_phrases: tuple
    not_after: tuple
    not_before: tuple
    from_to: tuple
    changes: tuple          # (word, +1 | -1), longest first
    level_after_change: tuple
    list_separators: frozenset
    range_separators: frozenset


def _fail(key: str, msg: str):
    """Raise the data error of one key of data/indicators.yaml."""
    raise IndicatorDataError(f"extractor/data/{_FILE}: {key}: {msg}")


def _words(data: dict, key: str) -> tuple:
    """data[key] as a tuple of non-empty words (else a data error)."""
    v = data.get(key)
    if not isinstance(v, list) or not all(isinstance(w, str) and w for w in v):
        _fail(key, "must be a list of words")
    return tuple(v)


def _indicator(n: int, d) -> Indicator:
    """The n-th indicator of data/indicators.yaml, validated."""
    where = f"indicators[{n}]"
    if not isinstance(d, dict):
        _fail(where, "must be a mapping")
    for k in d:
        if k not in _IND_KEYS:
            _fail(f"{where}.{k}", "unknown key")
    for k in _REQUIRED - set(d):
        _fail(f"{where}.{k}", "missing")
    where = f"indicators[{d['id']}]"
    aliases, weak = [], []
    for a in d["aliases"] or ():
        if isinstance(a, str):
            aliases.append((a, None))
            continue
        if not isinstance(a, dict) or set(a) - _ALIAS_KEYS or "text" not in a:
            _fail(f"{where}.aliases", f"{a!r}: a wording or {{text, measures}}")
        ms = tuple(a.get("measures") or ())
        if not set(ms) <= set(MEASURES):
            _fail(f"{where}.aliases", f"measures {ms} not in {MEASURES}")
        aliases.append((a["text"], ms or None))
        if a.get("weak"):
            weak.append(a["text"])
    if not aliases:
        _fail(f"{where}.aliases", "no wording")
    if d["direction"] not in ("up", "down"):
        _fail(f"{where}.direction", "up or down")
    split = d.get("split") or {}
    if not isinstance(split, dict):
        _fail(f"{where}.split", "must be a mapping of wording → ids")
    return Indicator(d["id"], d["name"], tuple(aliases), tuple(d["units"] or ()), d["direction"],
                     tuple(d.get("vetoes") or ()), tuple((w, tuple(ids)) for w, ids in split.items()),
                     tuple(weak), bool(d.get("cumulates")))


def _either_width(word: str) -> str:
    """A pattern for `word` with each ASCII mark in half or full width (GDP, ＧＤＰ; (PM2.5), （PM2.5）)."""
    out = []
    for c in word:
        o = ord(c)
        out.append(f"[{re.escape(c)}{chr(o + 0xFEE0)}]" if 0x21 <= o <= 0x7E else re.escape(c))
    return "".join(out)


def parse(data) -> Catalog:
    """Validate the loaded YAML and build the matchers (errors name the file and key)."""
    if not isinstance(data, dict):
        _fail("(top)", "must be a mapping")
    for k in data:
        if k not in _TOP_KEYS:
            _fail(k, "unknown key")
    inds = {}
    for n, d in enumerate(data.get("indicators") or ()):
        ind = _indicator(n, d)
        if ind.id in inds:
            _fail(f"indicators[{ind.id}]", "repeated id")
        inds[ind.id] = ind
    alias_of = {}
    for ind in inds.values():
        for w, ms in ind.aliases:
            if w in alias_of:
                _fail(f"indicators[{ind.id}].aliases", f"{w} is already a wording of {alias_of[w][0]}")
            alias_of[w] = (ind.id, ms)
        for w, ids in ind.split:
            for i in ids:
                if i not in inds and i not in {x.get('id') for x in data["indicators"]}:
                    _fail(f"indicators[{ind.id}].split", f"unknown indicator {i}")
    ch = data.get("change")
    if not isinstance(ch, dict) or set(ch) != {"increase", "decrease"}:
        _fail("change", "must have increase and decrease lists")
    changes = [(w, 1) for w in _words(ch, "increase")] + [(w, -1) for w in _words(ch, "decrease")]
    longest = lambda ws: tuple(sorted(ws, key=len, reverse=True))
    rx = re.compile(alternation(alias_of, _either_width))
    return Catalog(inds, rx, alias_of, longest(_words(data, "scopes")), _words(data, "whole"),
                   _words(data, "subscopes"),
                   _words(data, "not_between"), _words(data, "bound_phrases"), _words(data, "not_after"),
                   _words(data, "not_before"),
                   longest(_words(data, "from_to")),
                   tuple(sorted(changes, key=lambda c: -len(c[0]))),
                   _words(data, "level_after_change"),
                   frozenset(_words(data, "list_separators")), frozenset(_words(data, "range_separators")))


@functools.lru_cache(maxsize=None)
def catalog() -> Catalog:
    """The indicators of data/indicators.yaml, loaded and validated once."""
    return parse(datafile.load("indicators"))


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")


def fold(text: str) -> str:
    """Full-width letters, digits and marks as ASCII (same length).

    >>> fold("ＧＤＰ增长９．１％（初步）")
    'GDP增长9.1%(初步)'
    """
    return _FULL_WIDTH.sub(lambda m: m.group().translate(_FOLD), text)
