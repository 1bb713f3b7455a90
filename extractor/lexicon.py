"""Load and validate the language data under extractor/data once per process."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType


from .errors import LexiconError

DIMENSIONS = ("currency", "percentage", "percentage_point", "count", "measure", "multiple", "rank", "number")
BOUNDS = ("=", "~", ">", ">=", "<", "<=")


def _need(cond: bool, where: str, msg: str):
    if not cond:
        raise LexiconError(f"data/{where}: {msg}")


def longest_first(words) -> tuple[str, ...]:
    """The distinct words, longest first (ties in code-point order): the order in which a
    longer word wins over a word it starts with.

    >>> longest_first(["亿", "万亿", "万", "亿"])
    ('万亿', '万', '亿')
    """
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def alternation(words, escape=re.escape) -> str:
    """The regular-expression alternation of `words`, longest first, each escaped: the one
    way the package builds "any of these words".

    >>> alternation(["增长", "增长率", "增长"])
    '增长率|增长'
    """
    return "|".join(escape(w) for w in longest_first(words))


@dataclass(frozen=True)
class Lexicon:
    """All language data, validated. Immutable: shared freely between pipelines."""

    digits: MappingProxyType
    small_scales: MappingProxyType
    large_scales: MappingProxyType
    magnitudes: MappingProxyType          # word -> Decimal
    magnitude_words: tuple                # longest first
    units: MappingProxyType               # unit -> dimension
    unit_words: tuple                     # longest first
    restricted_units: MappingProxyType    # unit -> tuple of cue words
    prefix_bounds: tuple                  # (word, bound), longest first
    infix_bounds: MappingProxyType
    suffix_bounds: tuple                  # (word, bound), longest first
    outside_suffix_bounds: tuple
    range_joiners: frozenset
    rank_cues: tuple
    rank_units: frozenset
    rank_top_prefix: str
    rank_first_words: tuple
    null_unit_nouns: tuple                # (word, in_span)
    big_not_before: frozenset
    magnitude_only_not_before: tuple
    magnitude_only_not_after: frozenset
    fractions: MappingProxyType
    multiples: MappingProxyType
    fixed_phrases: tuple
    following_vetoes: tuple
    following_vetoes_4digit: tuple
    preceding_vetoes: tuple
    list_marker_brackets: tuple
    list_marker_following: frozenset
    after_unit_vetoes: tuple
    prefix_not_after: MappingProxyType
    cheng_not_before: frozenset
    one_classifiers: frozenset
    cn_not_units: frozenset
    unit_not_before: MappingProxyType
    bare_number_before: frozenset
    not_rank_before: tuple
    rank_top_suffixes: frozenset = frozenset()  # 全球40强: a top-N rank after a ranking cue
    suffix_not_before: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # 上下游


class WordList:
    """A word list compiled for longest-match lookups right after or right before a position.

    A lookup first tests the one character a word would start (or end) with, which
    settles most positions without running the pattern. (The standard library's `re`
    runs these small alternations about twice as fast as `regex`.)

    >>> units = WordList(["万元", "元", "亿元"])
    >>> units.starting("投资3亿元", 3), units.ending("投资3亿元", 3), units.starting("增长", 0)
    ('亿元', None, None)
    """

    __slots__ = ("words", "_start", "_end", "_longest", "firsts", "lasts")
    words: tuple
    _start: re.Pattern
    _end: re.Pattern
    _longest: int
    firsts: frozenset
    lasts: frozenset

    def __init__(self, words) -> None:
        self.words = tuple(words)
        alts = alternation(self.words)
        self._start = re.compile(f"(?:{alts})")
        self._end = re.compile(f"(?:{alts})\\Z")
        self._longest = max(map(len, self.words), default=0)
        self.firsts = frozenset(w[0] for w in self.words)  # what a word starts with
        self.lasts = frozenset(w[-1] for w in self.words)  # … and ends with

    def starting(self, text: str, pos: int, end: int | None = None) -> str | None:
        """The longest word starting at pos (and ending by `end`), or None."""
        if text[pos:pos + 1] not in self.firsts:
            return None
        m = self._start.match(text, pos, len(text) if end is None else end)
        return m.group() if m else None

    def ending(self, text: str, pos: int) -> str | None:
        """The longest word ending at pos, or None."""
        if pos < 1 or text[pos - 1] not in self.lasts:
            return None
        m = self._end.search(text, max(0, pos - self._longest), pos)
        return m.group() if m else None


def _pairs(mapping, where) -> tuple:
    out = []
    for bound, words in mapping.items():
        _need(bound in BOUNDS, where, f"unknown bound {bound!r}")
        out += [(w, bound) for w in words]
    return tuple(sorted(out, key=lambda p: (-len(p[0]), p[0])))


def load(user: str | None = None) -> Lexicon:
    """The validated lexicon, with a user's lexicon file merged over the packaged data
    (extractor/userdata.py). Cached per process (per user file and its content)."""
    if not user:
        return _load(None, "")
    from .userdata import file_hash
    return _load(str(user), file_hash(str(user)))


@functools.lru_cache(maxsize=None)
def _load(user: str | None, digest: str) -> Lexicon:
    from .userdata import data
    num = data("numerals", user)
    units = dict(data("units", user))
    cues = data("cues", user)
    vetoes = data("vetoes", user)
    return _build(num, units, cues, vetoes, f" (with {user})" if user else "")


def _build(num: dict, units: dict, cues: dict, vetoes: dict, src: str) -> Lexicon:
    """The Lexicon of parsed data files; `src` names a merged user file in errors."""
    for key in ("digits", "small_scales", "large_scales", "magnitudes"):
        _need(isinstance(num.get(key), dict), "numerals.yaml" + src, f"{key} must be a mapping")
    unit_dim: dict[str, str] = {}
    restricted = units.pop("restricted", {}) or {}
    for dim, words in units.items():
        _need(dim in DIMENSIONS, "units.yaml" + src, f"unknown dimension {dim!r}")
        _need(isinstance(words, list), "units.yaml" + src, f"{dim} must be a list of units")
        for w in words:
            w = str(w)
            _need(w not in unit_dim, "units.yaml" + src, f"unit {w!r} listed twice")
            unit_dim[w] = dim
    for w in restricted:
        _need(w in unit_dim, "units.yaml" + src, f"restricted unit {w!r} is not a unit")
    bounds = cues["bounds"]
    return Lexicon(
        digits=MappingProxyType({k: int(v) for k, v in num["digits"].items()}),
        small_scales=MappingProxyType({k: int(v) for k, v in num["small_scales"].items()}),
        large_scales=MappingProxyType({k: int(v) for k, v in num["large_scales"].items()}),
        magnitudes=MappingProxyType({k: Decimal(int(v)) for k, v in num["magnitudes"].items()}),
        magnitude_words=longest_first(num["magnitudes"]),
        units=MappingProxyType(unit_dim),
        unit_words=longest_first(unit_dim),
        restricted_units=MappingProxyType({k: tuple(v) for k, v in restricted.items()}),
        prefix_bounds=_pairs(bounds["prefix"], "cues.yaml" + src),
        infix_bounds=MappingProxyType({w: b for w, b in _pairs(bounds["infix"], "cues.yaml" + src)}),
        suffix_bounds=_pairs(bounds["suffix"], "cues.yaml" + src),
        outside_suffix_bounds=_pairs(cues.get("outside_suffix", {}), "cues.yaml" + src),
        range_joiners=frozenset(cues["range_joiners"]),
        rank_cues=longest_first(cues["rank_cues"]),
        rank_units=frozenset(cues["rank_units"]),
        rank_top_prefix=cues["rank_top_prefix"],
        rank_first_words=tuple(cues["rank_first_words"]),
        null_unit_nouns=tuple((d["word"], bool(d["span"])) for d in cues["null_unit_nouns"]),
        big_not_before=frozenset(cues["big_not_before"]),
        magnitude_only_not_before=longest_first(cues["magnitude_only_not_before"]),
        magnitude_only_not_after=frozenset(cues["magnitude_only_not_after"]),
        fractions=MappingProxyType({k: Decimal(v) for k, v in cues["fractions"].items()}),
        multiples=MappingProxyType({k: Decimal(v) for k, v in cues["multiples"].items()}),
        fixed_phrases=longest_first(vetoes["fixed_phrases"]),
        following_vetoes=longest_first(vetoes["following"]["any"]),
        following_vetoes_4digit=longest_first(vetoes["following"]["4digit"]),
        preceding_vetoes=longest_first(str(w) for w in vetoes["preceding"]),
        list_marker_brackets=tuple(vetoes["list_marker_brackets"]),
        list_marker_following=frozenset(vetoes["list_marker_following"]),
        after_unit_vetoes=longest_first(vetoes["following"].get("after_unit", [])),
        prefix_not_after=MappingProxyType({k: frozenset(v) for k, v in cues["prefix_not_after"].items()}),
        cheng_not_before=frozenset(cues["cheng_not_before"]),
        one_classifiers=frozenset(cues["one_classifiers"]),
        cn_not_units=frozenset(cues["cn_not_units"]),
        unit_not_before=MappingProxyType({k: tuple(v) for k, v in cues["unit_not_before"].items()}),
        bare_number_before=frozenset(cues["bare_number_before"]),
        not_rank_before=longest_first(cues["not_rank_before"]),
        rank_top_suffixes=frozenset(cues.get("rank_top_suffixes", ())),
        suffix_not_before=MappingProxyType({str(k): str(v) for k, v in
                                            (cues.get("suffix_not_before") or {}).items()}),
    )
