"""Find quantity mentions on characters of the normalized text.

Each mention carries the name of the rule that produced it. The scanner looks
for number cores (Arabic, Chinese, 百分之…, 翻一番, 一半, 首位) with one
regular expression, then reads magnitude, 余/多, unit and bound words after
each core from the lexicon, longest match first.

>>> [(m.value, m.unit, m.bound) for m in find("新增企业4万余元，增长12%左右")]
[(Decimal('40000'), '元', '>'), (Decimal('12'), '%', '~')]
"""
from __future__ import annotations

import dataclasses
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import regex

from . import lexicon, tables
from .lexicon import WordList
from .numerals import parse_arabic, parse_chinese, parse_magnitude
from .records import Mention

_MAX_DIGITS: Final = 20          # longer digit runs are codes, not quantities
_MAX_CN: Final = 24              # longer runs of Chinese numerals are no amount ('一' * 100000)
_QUOTE: Final = re.compile(r"“[^”\n]{1,15}”|\"[^\"\n]{1,15}\"|「[^」\n]{1,15}」|《[^》\n]{1,40}》")
_QUOTE_REACH: Final = 42  # the longest quoted span the pattern above can match
_UNIT_RULES: Final = {"ar": "ar-unit", "cn": "cn-unit"}
_ASCII_LETTER: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_LINE_START: Final = frozenset("\n（(【[")
# a ratio: two or more numbers joined by colons (三次产业结构为3.9:38.7:57.4), each a mention
_RATIO: Final = re.compile(r"\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?)+")
_RATIO_COLONS: Final = frozenset(":：")
_MINUS: Final = "-"  # a written minus sign (−, － are normalized to it)
_POINTS: Final = "个百分点"
_JOINERS: Final = frozenset(("和", "、", "与", "及", "，", "至", "到"))
# a figure cell of a flattened table: a sign (≥, 约), the number, a suffix bound (左右)
_CELL: Final = re.compile(r"(?P<sign>[^\d\-]{0,2}?)(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?)(?P<suffix>[^\d]{0,2})")


def _char_class(chars) -> str:
    return "[" + "".join(sorted(re.escape(ch) for ch in chars)) + "]"


def _compile_core(firsts, rest: str):
    """The scanner's pattern: one of its possible first characters, then `rest`, whose
    branches each test that character with a lookbehind. Starting with a character set lets
    `re` skip ahead to such a character in a tight loop (three times faster than a lookahead
    tried at every position); the standard library's `re` runs the pattern about twice as
    fast as `regex`, but needs Python 3.11 for the possessive quantifiers; before that,
    `regex` compiles the same pattern."""
    pattern = f"{_char_class(firsts)}(?:{rest})"
    try:
        return re.compile(pattern)
    except re.error:
        return regex.compile(pattern)


def _after_first(words) -> str:
    """An alternation of words (longest first), each written as a lookbehind for its first
    character and the rest of the word."""
    return "|".join(f"(?<={regex.escape(w[0])}){regex.escape(w[1:])}"
                    for w in lexicon.longest_first(words))


class Veto:
    """What a reading step returns when the text says this is no figure (一批, 近两年,
    万吨级): the reading stops there. One instance, `VETO`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "VETO"


VETO: Final = Veto()


class _Candidate:
    """Mutable work record while one mention is read."""

    __slots__ = ("start", "end", "value", "unit", "dim", "bound", "rule", "kind", "mag")
    start: int
    end: int
    value: Decimal
    unit: str | None
    dim: str | None
    bound: str
    rule: str
    kind: str
    mag: Decimal | None

    def __init__(self, start: int, end: int, value: Decimal, kind: str) -> None:
        self.start, self.end, self.value, self.kind = start, end, value, kind
        self.unit = None
        self.dim = None
        self.bound = "="
        self.rule = kind
        self.mag = None  # the magnitude folded into an Arabic number (3.5万)

    @property
    def has_mag(self) -> bool:
        return self.mag is not None

    def mention(self) -> Mention:
        return Mention(self.start, self.end, self.value, self.unit, self.dim or "count",
                       self.bound, self.rule)


class Finder:
    """A compiled quantity finder over one lexicon."""

    lex: lexicon.Lexicon
    _core: Any
    _core_partner: Any
    _fixed: re.Pattern
    _blockers: tuple
    _prefix: WordList
    _suffix_words: WordList
    _suffix_not_before: Any
    _suffix_bounds: dict
    _outside_suffix: WordList
    _outside_bounds: dict
    _suffix_firsts: frozenset
    _rank_cues: WordList
    _preceding_vetoes: WordList
    _following_vetoes: WordList
    _following_vetoes_4digit: WordList
    _after_unit_vetoes: WordList
    _magnitude_only_not_before: WordList
    _not_rank_before: WordList
    _unit_not_before: dict
    _restricted: dict
    _unit_by_first: dict
    _mag_by_first: dict
    _mag_first_chars: frozenset
    _minus_not_after: frozenset

    def __init__(self, lex: lexicon.Lexicon | None = None) -> None:
        self.lex = lex = lex or lexicon.load()
        cn_chars = "".join(sorted(set(lex.digits) | set(lex.small_scales) | set(lex.large_scales)))
        digit_chars = "".join(sorted(lex.digits))
        words = lambda ws: lexicon.alternation(ws, regex.escape)
        ar = r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?"
        cn = rf"[{cn_chars}]+(?:点[{digit_chars}]+[万亿]*)?"
        # a Chinese numeral is read only where a mention can go on: after 第/前 (a rank) or
        # before a unit, 余/多, 大, 方面, 成 or a range joiner; elsewhere (一些, 统一) it is skipped
        # by the regular expression itself, which keeps the scan fast
        follow = {w[0] for w in lex.unit_words} | set(lex.infix_bounds) | {"成"}
        follow |= {w[0] for w, _ in lex.null_unit_nouns} | {j for j in lex.range_joiners if len(j) == 1}
        follow_cls = "".join(sorted(regex.escape(ch) for ch in follow))
        # each branch as it goes on after its first character (see _compile_core): a number
        # (not right after a digit or a point), a Chinese numeral after 第/前 or before `follow`
        cn_rest = rf"[{cn_chars}]*+(?:点[{digit_chars}]++[万亿]*+)?+"
        rank_before = f"[第{regex.escape(lex.rank_top_prefix)}]"
        # a numeral is read from the start of its run only (after a digit too: 3万一千): the
        # possessive run and the failing lookahead are not retried from every position of a
        # long run, which kept the scan quadratic ('一' * n + '。')
        run_start = rf"(?<![^0-9][{cn_chars}][{cn_chars}])"
        def core(ar_rest: str) -> str:
            return (rf"(?P<pct>(?<=百)分之(?:{ar}|{cn}))|(?P<mult>{_after_first(lex.multiples)})"
                    rf"|(?P<frac>{_after_first(lex.fractions)})|(?P<first>{_after_first(lex.rank_first_words)})"
                    rf"|(?P<ar>{ar_rest})"
                    rf"|(?P<cn>(?<={rank_before}[{cn_chars}]){cn_rest}|{run_start}(?<=[{cn_chars}]){cn_rest}"
                    rf"(?=[{follow_cls}]))")
        ar_rest = r"(?<=\d)(?<![\d.]\d)\d*+(?:,\d{3})*+(?:\.\d+)?+"
        # the scan skips, in the pattern itself, the numbers _quantity would veto for the word
        # after them (2024年, 12月, 3号线) unless 第/前 precede them (a rank may follow): the
        # same records without the Python-level work; a range's second number is matched with
        # the plain pattern (its veto vetoes the range)
        vetoed = (rf"(?!{words(lex.following_vetoes)})"
                  rf"(?!(?<=(?<![\d.,])\d{{4}})(?:{words(lex.following_vetoes_4digit)}))")
        scan_ar = rf"(?<={rank_before}\d){ar_rest}|(?<!{rank_before}\d){ar_rest}{vetoed}"
        firsts = set("0123456789百") | set(cn_chars)
        for ws in (lex.multiples, lex.fractions, lex.rank_first_words):
            firsts |= {w[0] for w in ws}
        self._core = _compile_core(firsts, core(scan_ar))
        self._core_partner = _compile_core(firsts, core(ar_rest))
        self._fixed = re.compile(words(lex.fixed_phrases))
        # (the pattern, the longest span it can match) for fixed phrases and quotes
        self._blockers = ((self._fixed, max(map(len, lex.fixed_phrases))), (_QUOTE, _QUOTE_REACH))
        self._prefix = WordList(w for w, _ in lex.prefix_bounds)
        self._suffix_words = WordList(w for w, _ in lex.suffix_bounds)
        self._suffix_not_before = lex.suffix_not_before
        self._suffix_bounds = dict(lex.suffix_bounds)
        self._outside_suffix = WordList(w for w, _ in lex.outside_suffix_bounds)
        self._outside_bounds = dict(lex.outside_suffix_bounds)
        self._suffix_firsts = self._suffix_words.firsts | self._outside_suffix.firsts
        self._rank_cues = WordList(lex.rank_cues)
        self._preceding_vetoes = WordList(lex.preceding_vetoes)
        self._following_vetoes = WordList(lex.following_vetoes)
        self._following_vetoes_4digit = WordList(lex.following_vetoes_4digit)
        self._after_unit_vetoes = WordList(lex.after_unit_vetoes)
        self._magnitude_only_not_before = WordList(lex.magnitude_only_not_before)
        self._not_rank_before = WordList(lex.not_rank_before)
        self._unit_not_before = {u: WordList(ws) for u, ws in lex.unit_not_before.items()}
        self._restricted = {u: WordList(ws) for u, ws in lex.restricted_units.items()}
        self._unit_by_first = self._index(lex.unit_words)
        self._mag_by_first = self._index(lex.magnitude_words)
        self._mag_first_chars = frozenset(w[0] for w in lex.magnitude_words)
        # a dash after these joins two figures (a range, 2020-2024年): no minus sign
        self._minus_not_after = (_ASCII_LETTER | set(".%‰）)-") | set(lex.range_joiners)
                                 | {w[-1] for w in lex.unit_words} | set(cn_chars))

    @staticmethod
    def _index(words: tuple) -> dict:
        by_first: dict[str, list[str]] = {}
        for w in words:  # already longest first
            by_first.setdefault(w[0], []).append(w)
        return by_first

    # -- small lookups -------------------------------------------------------
    def _word_at(self, index: dict, text: str, pos: int) -> str | None:
        for w in index.get(text[pos:pos + 1], ()):
            if text.startswith(w, pos):
                return w
        return None

    def _prefix_bound(self, text: str, start: int) -> str | None:
        """The bound of a prefix word (超过, 近, 约 …) right before `start`, or None."""
        word = self._prefix.ending(text, start)
        if word is None:
            return None
        for word, bound in self.lex.prefix_bounds:
            if text.endswith(word, 0, start):
                before = text[start - len(word) - 1] if start - len(word) > 0 else ""
                if before in self.lex.prefix_not_after.get(word, ()):
                    continue
                return bound
        return None

    def _blocked(self, text: str, s: int, e: int, start: int, end: int) -> bool:
        """Does text[s:e] overlap a fixed phrase (八项规定) or a short quoted name (“十大工程”)?

        Such a span starts less than its longest length before s, and before e; each pattern
        is searched only there (and one that starts there ends by e + its longest length).
        """
        for rx, reach in self._blockers:
            bound = min(end, e + reach - 1)
            m = rx.search(text, max(start, s - reach + 1), bound)
            while m is not None and m.start() < e:
                if m.end() > s:
                    return True
                m = rx.search(text, m.start() + 1, bound)
        return False

    # -- main entry ----------------------------------------------------------
    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Mentions in text[start:end], in order, never overlapping."""
        end = len(text) if end is None else end
        out: list[Mention] = []
        pos = start
        search = self._core.search
        while True:
            m = search(text, pos, end)
            if not m:
                break
            if m.lastgroup == "ar" and text[m.end():m.end() + 1] in _RATIO_COLONS:
                r = _RATIO.match(text, m.start(), end)
                if r is not None:  # a ratio is read (or skipped, a time) as a whole
                    out += [c.mention() for c in self._ratio(text, r)
                            if not self._blocked(text, c.start, c.end, start, end)]
                    pos = r.end()
                    continue
            cands = self._read(text, m, end)
            if not cands:
                pos = m.end() if m.end() > m.start() else m.start() + 1
                continue
            for c in cands:
                if not self._blocked(text, c.start, c.end, start, end):
                    out.append(c.mention())
            pos = cands[-1].end  # a range's second number ends last
        if tables.may_hold_table(text):
            out = self._with_tables(text, out, start, end)
        return _shared_points(text, out)

    # -- flattened indicator tables -------------------------------------------
    def _with_tables(self, text: str, found: list, start: int, end: int) -> list:
        """`found` with the figure cells of flattened tables read as one mention each."""
        cells: list = []
        signed: dict = {}  # where a cell's sign stands before a number the scan reads (<1%)
        for row in tables.rows(text):
            for s, e in row.figures:
                if start <= s and e <= end:
                    m = self._table_cell(text, s, e, row.unit)
                    if m is not None:
                        cells.append(m)
                    elif text[s] in tables.words().signs:
                        signed[s + 1] = tables.words().signs[text[s]]
        if signed:
            found = [dataclasses.replace(m, bound=signed[m.start]) if m.start in signed and m.bound == "="
                     else m for m in found]
        if not cells:
            return found
        keep = []
        k = 0
        for m in found:  # both lists in text order; a cell's own reading replaces the scan's
            while k < len(cells) and cells[k].end <= m.start:
                k += 1
            if k == len(cells) or m.end <= cells[k].start:
                keep.append(m)
        return sorted(keep + cells, key=lambda m: m.start)

    def _table_cell(self, text: str, s: int, e: int, unit_cell: str | None) -> Mention | None:
        """A figure cell (≥58, 55左右, >75) with the unit of its row's 单位 cell, or None."""
        m = _CELL.fullmatch(text, s, e)
        if m is None:
            return None
        signs = tables.words().signs
        sign, suffix = m.group("sign"), m.group("suffix")
        if sign and sign not in signs or suffix and suffix not in self._suffix_bounds:
            return None
        mag, unit, dim = self._table_unit(unit_cell or "")
        try:
            value = parse_arabic(m.group("num")) * mag
        except InvalidOperation:
            return None
        bound = signs[sign] if sign else self._suffix_bounds[suffix] if suffix else "="
        return Mention(m.start("num"), m.end(), value, unit, dim, bound, "table-cell")

    def _table_unit(self, cell: str) -> tuple:
        """A 单位 cell as (magnitude, unit, dimension): 亿元 -> (1e8, 元, currency)."""
        lex = self.lex
        if cell in lex.units:
            return Decimal(1), cell, lex.units[cell]
        for mag in lex.magnitude_words:
            rest = cell[len(mag):]
            if cell.startswith(mag) and rest in lex.units:
                return lex.magnitudes[mag], rest, lex.units[rest]
        return Decimal(1), cell or None, "number"

    def _read(self, text: str, m: Any, end: int) -> list | None:
        """Read the mention (or range of two) that starts at core match `m`."""
        kind = m.lastgroup
        s, e = m.span()
        if kind == "ar" or kind == "cn":
            a = self._quantity(text, s, e, kind, end)
            if a is None or isinstance(a, Veto):
                return None
            b = self._range_partner(text, a, end)
            if isinstance(b, Veto):
                return None
            if b is None:
                if not a.dim:
                    return None
                if kind == "ar" and s > 0 and text[s - 1] == _MINUS:
                    self._minus(text, a)
                return [a]
            return [a, b]
        if kind == "pct":
            c = self._number(text, s + 3, e)
            if c is None:
                return None
            c.start, c.unit, c.dim, c.rule = s, "%", "percentage", "percent-words"
            self._suffix(text, c, end)
            return [c]
        if kind == "mult":
            c = _Candidate(s, e, self.lex.multiples[m.group()], "multiple-words")
            c.unit, c.dim = "倍", "multiple"
            return [c]
        if kind == "frac":
            c = _Candidate(s, e, self.lex.fractions[m.group()], "fraction-words")
            c.unit, c.dim = "%", "percentage"
            c.bound = self._prefix_bound(text, s) or "="
            return [c]
        if kind == "first":
            if not self._rank_cues.ending(text, s):
                return None
            c = _Candidate(s, e, Decimal(1), "rank-first")
            c.dim = "rank"
            return [c]
        return None

    def _ratio(self, text: str, m: Any) -> list:
        """3.9:38.7:57.4 (match `m` of _RATIO): one bare number per part, dimension number;
        a time of day (8:30, 14:30:00) or a code (ISO9001:2015) gives none."""
        parts = re.split("[:：]", m.group())
        if parts[0].isdigit() and int(parts[0]) <= 24 and all(len(p) == 2 and p.isdigit() for p in parts[1:]):
            return []
        if text[m.start() - 1:m.start()] in _ASCII_LETTER or text[m.end():m.end() + 1] in _ASCII_LETTER:
            return []
        out = []
        pos = m.start()
        for p in parts:
            c = _Candidate(pos, pos + len(p), parse_arabic(p), "ratio")
            c.dim = "number"
            out.append(c)
            pos += len(p) + 1
        return out

    def _minus(self, text: str, c: _Candidate) -> None:
        """-0.99‰, 增长-5.9%: a minus sign right before the number (not a range's dash)."""
        prev = text[c.start - 2] if c.start > 1 else ""
        if prev and (prev.isdigit() or prev in self._minus_not_after):
            return
        c.start -= 1
        c.value = -c.value

    def _number(self, text: str, s: int, e: int) -> _Candidate | None:
        """A bare number core text[s:e] as a candidate, or None."""
        core = text[s:e]
        try:
            if core[0].isdigit():
                if len(core) > _MAX_DIGITS and sum(ch.isdigit() for ch in core) > _MAX_DIGITS:
                    return None
                return _Candidate(s, e, parse_arabic(core), "ar")
            if len(core) > _MAX_CN:
                return None
            return _Candidate(s, e, parse_chinese(core), "cn")
        except (InvalidOperation, ValueError, KeyError):
            return None

    def _quantity(self, text: str, s: int, e: int, kind: str, end: int) -> _Candidate | Veto | None:
        """Read number, magnitude, 余/多, unit and bounds from core text[s:e]."""
        lex = self.lex
        core = text[s:e]
        c = self._number(text, s, e)
        if c is None:
            return None
        before = text[s - 1] if s > 0 else ""
        # 第N: a rank when a rank word follows or a ranking cue precedes; else an ordinal
        top = before == lex.rank_top_prefix and (text[e:e + 1] in lex.rank_units
                                                  or self._rank_cues.ending(text, s - 1))
        if before == "第" or top:
            return self._rank(text, c, before, end) or VETO
        if kind == "ar" and text[e:e + 1] in lex.rank_top_suffixes and self._rank_cues.ending(text, s):
            c.unit, c.dim, c.bound, c.rule, c.end = text[e], "rank", "<=", "rank-top-suffix", e + 1
            return c  # 位居全球40强
        # (each word lookup is first tested on the one character it would need there)
        if before in self._preceding_vetoes.lasts and self._preceding_vetoes.ending(text, s):
            return VETO
        nxt = text[e:e + 1]
        if before in _ASCII_LETTER or nxt in _ASCII_LETTER and kind == "ar" \
                and not self._word_at(self._unit_by_first, text, e):
            return VETO
        if nxt in self._following_vetoes.firsts and self._following_vetoes.starting(text, e):
            return VETO
        digits = core.replace(",", "") if "," in core else core
        if len(digits) == 4 and digits.isdigit() and self._following_vetoes_4digit.starting(text, e):
            return VETO
        if kind == "cn" and len(core) > 1 and core.isdigit() is False and all(ch in lex.digits for ch in core):
            # 二〇一五 (a year when 年 follows; handled above) or 三四个 (vague): not a quantity
            return VETO
        if kind == "cn" and c.value == 0:
            return VETO  # 零部件, 零售: 零 alone is no amount
        mag_only = kind == "cn" and all(ch in lex.small_scales or ch in lex.large_scales for ch in core) \
            and core != "十"
        p = e
        bounded = False  # a bare number with a suffix bound word (set below)
        if nxt in self._mag_first_chars:
            p = self._magnitude(text, c, p, kind)
        infix = text[p:p + 1]
        if infix in lex.infix_bounds and p < end:
            c.bound = lex.infix_bounds[infix]
            p += 1
            if not c.has_mag:  # 4万余元, 二百余万元: a magnitude may follow 余/多
                p = self._magnitude(text, c, p, "ar")
        unit = self._unit(text, p, s)
        if isinstance(unit, Veto):
            return VETO
        if unit and kind == "cn" and (unit in lex.cn_not_units or (
                c.value == 1 and lex.units[unit] == "count" and unit not in lex.one_classifiers)):
            return VETO  # 一期工程, 一批, 一项重要任务
        if unit:
            c.unit, c.dim = unit, lex.units[unit]
            c.rule = _UNIT_RULES[c.kind]
            p += len(unit)
            if mag_only and self._after_unit_vetoes.starting(text, p):
                return VETO  # 万吨级, 千亿级
        elif kind == "cn" or not c.has_mag:
            if self._without_unit(text, c, p, core):
                return c
            if text[p:p + 1] in lex.range_joiners:
                c.end = p
                return c  # 8-10%: kept only if a second number with a unit follows
            # 降至1.1左右: an index value (not the denominator of a fraction, 1/10以上)
            bounded = kind == "ar" and before != "/" and self._bare_bound(text, p)
            if kind == "cn" or text[p:p + 1] not in lex.bare_number_before and not bounded:
                return None
        if c.bound == "=" and before in self._prefix.lasts:
            c.bound = self._prefix_bound(text, s) or "="
        c.end = p
        if mag_only and not self._magnitude_only_ok(text, c, s, core):
            return VETO
        if not unit:
            if self._list_marker(text, s, p):
                return VETO
            if len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2100 and not c.has_mag:
                return VETO
            c.dim = "number" if bounded else "count"
            c.rule = "ar-bound" if bounded else "ar-bare"
        if text[p:p + 1] in self._suffix_firsts:
            self._suffix(text, c, end)
        return c

    def _bare_bound(self, text: str, p: int) -> bool:
        """Does a suffix bound word (左右, 以上) that _suffix takes stand at p?"""
        word = self._suffix_words.starting(text, p)
        return word is not None and not self._suffix_vetoed(word, text, p + len(word))

    def _suffix_vetoed(self, word: str, text: str, q: int) -> bool:
        """A suffix bound word that is no bound before the next character (上下游, 上下级;
        data: cues.yaml suffix_not_before), or at the end of the text."""
        chars = self._suffix_not_before.get(word)
        return chars is not None and text[q:q + 1] in chars

    def _magnitude(self, text: str, c: _Candidate, p: int, kind: str) -> int:
        """Fold a magnitude word at p into an Arabic number; return the new position."""
        if kind != "ar" or c.has_mag or text[p:p + 1] not in self._mag_first_chars:
            return p
        unit = self._word_at(self._unit_by_first, text, p)
        if unit and unit[0] in self._mag_first_chars:
            return p  # 千瓦, 千米: a unit, not 千 + 瓦
        mag = self._word_at(self._mag_by_first, text, p)
        if mag:
            c.mag = parse_magnitude(mag)
            c.value *= c.mag
            return p + len(mag)
        return p

    def _unit(self, text: str, p: int, s: int) -> str | Veto | None:
        """The unit at p, None, or VETO for a time frame (近两年, 三年行动)."""
        unit = self._word_at(self._unit_by_first, text, p)
        if unit is None:
            return None
        not_before = self._unit_not_before.get(unit)
        if not_before is not None and not_before.starting(text, p + len(unit)):
            return None
        cues = self._restricted.get(unit)
        if cues is not None:
            # 连续9年: count; 近两年, 三年行动: time frames
            return unit if cues.ending(text, s) else VETO
        return unit

    def _without_unit(self, text: str, c: _Candidate, p: int, core: str) -> bool:
        """五大 (span includes 大) and 六方面 (span excludes it): counts with no unit."""
        lex = self.lex
        if text[p:p + 1] == "成" and c.value <= 10 and len(core) == 1 \
                and text[p + 1:p + 2] not in lex.cheng_not_before:
            c.value *= 10
            c.unit, c.dim, c.rule, c.end = "%", "percentage", "cn-cheng", p + 1
            c.bound = self._prefix_bound(text, c.start) or "="
            self._suffix(text, c, len(text))
            return True
        for word, in_span in lex.null_unit_nouns:
            if c.kind == "ar" and word != "大":
                continue
            if text.startswith(word, p) and 2 <= c.value <= 10 and c.value == int(c.value):
                if word == "大" and text[p + 1:p + 2] in lex.big_not_before:
                    continue
                c.dim, c.rule = "count", f"cn-noun-{word}"
                c.end = p + len(word) if in_span else p
                return True
        return False

    def _magnitude_only_ok(self, text: str, c: _Candidate, s: int, core: str) -> bool:
        """千亿元 and 亿元以上 are mentions; 每万元, 万元工业增加值 are not."""
        lex = self.lex
        if len(core) == 1 and core in lex.small_scales:
            # 近千家, 超百亿: a bare 百/千 is an amount only after a bound word
            return bool(self._prefix_bound(text, s)) and c.unit is not None
        if s > 0 and text[s - 1] in lex.magnitude_only_not_after:
            return False
        if self._magnitude_only_not_before.starting(text, c.end):
            return False
        if c.unit is None:
            return False
        if len(core) == 1:
            return bool(self._prefix_bound(text, s)) or bool(self._suffix_words.starting(text, c.end))
        return True

    def _list_marker(self, text: str, s: int, p: int) -> bool:
        nxt = text[p:p + 1]
        prev = text[s - 1] if s > 0 else "\n"
        if prev in _LINE_START and nxt in self.lex.list_marker_following:
            return True
        for pair in self.lex.list_marker_brackets:
            if prev == pair[0] and nxt == pair[1]:
                return True
        return False

    def _suffix(self, text: str, c: _Candidate, end: int) -> None:
        """左右 / 以上 / 以下 right after the mention: in the span, set the bound."""
        word = self._suffix_words.starting(text, c.end)
        if word is not None and not self._suffix_vetoed(word, text, c.end + len(word)):
            c.bound, c.end = self._suffix_bounds[word], c.end + len(word)
            return
        word = self._outside_suffix.starting(text, c.end)
        if word is not None:
            c.bound = self._outside_bounds[word]

    def _rank(self, text: str, c: _Candidate, before: str, end: int) -> _Candidate | None:
        """第2位, 全国第一, 前8位."""
        lex = self.lex
        s = c.start
        nxt = text[c.end:c.end + 1]
        if before == lex.rank_top_prefix:  # 前8位; 全国前十 (no unit)
            c.dim, c.bound, c.rule = "rank", "<=", "rank-top"
            if nxt in lex.rank_units:
                c.unit = nxt
                c.end += 1
            return c
        if self._preceding_vetoes.ending(text, s) and not text.endswith("第", 0, s):
            return None
        if self._not_rank_before.ending(text, s - 1):
            return None  # 放在第一位: priority, not a ranking
        if nxt in lex.rank_units:
            c.unit, c.dim, c.rule = nxt, "rank", "rank-unit"
            c.start, c.end = s - 1, c.end + 1
            return c
        if self._rank_cues.ending(text, s - 1) and self._word_at(self._unit_by_first, text, c.end) is None:
            c.dim, c.rule = "rank", "rank-cue"
            c.start = s - 1
            return c
        return None

    def _range_partner(self, text: str, a: _Candidate, end: int) -> _Candidate | Veto | None:
        """8%—10%, 8-10%, 3至5个: the second number; the first takes its unit."""
        j = a.end
        if j >= end or text[j] not in self.lex.range_joiners:
            return None
        m = self._core_partner.match(text, j + 1, end)
        if not m or m.lastgroup not in ("ar", "cn"):
            return None
        if (m.lastgroup == "ar") != (a.kind == "ar"):
            return None
        b = self._quantity(text, m.start(), m.end(), m.lastgroup, end)
        if isinstance(b, Veto):
            return VETO if not a.unit else None
        if b is None or not b.unit:
            return None
        if a.unit and a.unit != b.unit:
            return None
        if not a.unit:
            a.unit, a.dim, a.rule = b.unit, b.dim, "range-first"
            if b.mag is not None and not a.has_mag:  # 3-5万元: 3 is 3万 too
                a.mag = b.mag
                a.value *= b.mag
        if a.bound == "=":
            a.bound = ">="
        if b.bound == "=":
            b.bound = "<="
        b.rule = "range-second"
        return b


def _shared_points(text: str, found: list) -> list:
    """分别提高1.2个和0.8个百分点: a fraction of 个 joined to a figure in 个百分点 shares its unit
    (a count is never 1.2)."""
    out = found
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if a.unit == "个" and b.unit == _POINTS and a.value != a.value.to_integral_value() \
                and text[a.end:b.start] in _JOINERS:
            if out is found:
                out = list(found)
            out[i] = dataclasses.replace(a, unit=_POINTS, dimension="percentage_point", rule="shared-unit")
    return out


@functools.lru_cache(maxsize=4)
def default_finder() -> Finder:
    """The finder over the packaged lexicon (built once per process)."""
    return Finder()


def find(text: str) -> list[Mention]:
    """Mentions in normalized `text` with the packaged lexicon."""
    return default_finder().find(text)
