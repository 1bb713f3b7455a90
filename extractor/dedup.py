"""Find duplicated content: repeated paragraphs, repeated passages, repeated documents.

Works on the normalized text (so full-width and half-width punctuation,
spaces and line endings do not hide a repeat) and returns removed spans in
normalized offsets; the pipeline maps them to the original.

Kinds, in the order they are looked for:
  exact             a paragraph equal to an earlier one (at least min_passage_chars)
  repeated-passage  a run of sentences equal to an earlier run, across paragraph
                    breaks too, extended character by character at both ends so
                    that a joint inside a sentence is found
  near              a paragraph whose character 3-grams overlap an earlier one's
                    by at least near_threshold (Jaccard) and whose figures agree
  cross-document    (batch only) a document or paragraph seen in an earlier document
"""
from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from difflib import SequenceMatcher

import regex

from .memory import NEAR_COPY, DedupIndex  # noqa: F401 - the memory's names, kept here
from .records import Removed
from .split import sentences

_FIGURES = regex.compile(r"\d+(?:[.,]\d+)*|[零〇○一二两三四五六七八九十百千万亿点]+")
_MIN_EXTENSION = 6     # a character extension shorter than this is taken as chance
_MAX_CANDIDATES = 8    # earlier occurrences of a sentence tried as the start of a run (first and last)
_ANCHOR = 6            # near-duplicate candidates share their first or last characters
_DIGITS = regex.compile(r"\d")
# one character for one, so offsets hold: punctuation that differs only in form compares equal
_KEY_PAIRS = (("“", '"'), ("”", '"'), ("＂", '"'), ("‘", "'"), ("’", "'"), ("＇", "'"),
              (":", "："), ("[", "【"), ("]", "】"), ("<", "《"), (">", "》"), ("﹐", "，"),
              ("．", "."), ("!", "！"), ("?", "？"), (";", "；"))
assert not {a for a, _ in _KEY_PAIRS} & {b for _, b in _KEY_PAIRS}  # one pass each, no chains


def _fold(text: str) -> str:
    """Fold punctuation forms (one character for one): a str.replace per character mapped,
    each a fast scan, is several times faster than str.translate over CJK text."""
    for a, b in _KEY_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


#: two paragraphs whose text around their figures (digits masked) shares at least this
#: share of characters are the same frame restated with other numbers
SAME_FRAME = 0.7
#: shortest text around the figures that is compared as a frame
MIN_FRAME_CHARS = 10
class _Paragraphs:
    """The paragraphs of the document one `Deduplicator.find` call reads (its own state:
    the Deduplicator keeps none between calls): `(start, end, text)` each, the short ones."""

    def __init__(self, paras, min_chars: int):
        self.paras = paras
        self.starts = [ps for ps, _, _ in paras]
        self.short = {(ps, pe) for ps, pe, _ in paras if pe - ps < min_chars}

    def at(self, pos):
        """The paragraph that holds offset `pos`, or None."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.paras[i][1]:
            return self.paras[i]
        return None


def _best_run(keys, i, earlier, pair_at) -> tuple:
    """(j, length): the earlier sentence j where the longest run of sentences repeating the
    run from i starts. The candidates: every earlier occurrence, or the first and last
    _MAX_CANDIDATES of them (a line repeated thousands of times: bounded work); each matches
    one sentence, the first of them is the best unless another one matches a longer run."""
    n = len(keys)
    best_j, best_len = earlier[0], 1
    pairs = pair_at.get(hash((keys[i], keys[i + 1])), ()) if i + 1 < n else ()
    if pairs and len(earlier) > 2 * _MAX_CANDIDATES:
        lo, hi = earlier[_MAX_CANDIDATES - 1], earlier[-_MAX_CANDIDATES]
        pairs = pairs[:bisect.bisect_right(pairs, lo)] + pairs[bisect.bisect_left(pairs, hi):]
    for j in pairs:  # ascending, as the candidates are tried; the first longest run wins
        b = best_len  # a candidate beats the best run only if it matches at that run's length
        if not (i + b < n and j + b < i and keys[j + b] == keys[i + b]):
            continue
        k = 0
        while i + k < n and j + k < i and keys[j + k] == keys[i + k]:
            k += 1
        if k > best_len:
            best_j, best_len = j, k
    return best_j, best_len


def text_key(text: str) -> str:
    """Hash of a normalized text for cross-document comparison."""
    return hashlib.blake2b(text.strip().encode("utf-8"), digest_size=16).hexdigest()


def _figures(text: str) -> tuple:
    return tuple(_FIGURES.findall(text))


class Deduplicator:
    """Duplicate finder for one document under given settings."""

    def __init__(self, settings):
        self.s = settings

    def find(self, text: str, paras: list, index: DedupIndex | None = None, doc: str = "",
             sents: list | None = None) -> list[Removed]:
        """Removed spans (normalized offsets, sorted, not overlapping).

        `sents` are the (start, end) sentence spans when the caller has them already.
        """
        key = text_key(text) if index is not None else None
        if index is not None:
            earlier = index.seen_document(key)
            if earlier is not None and earlier != doc and text.strip():
                return [Removed(paras[0][0], paras[-1][1], "cross-document", earlier)] if paras else []
        folded = _fold(text)  # comparisons only; offsets unchanged
        # nothing folded: the caller's paragraph texts are text[ps:pe] already (no second copy)
        paras = list(paras) if folded is text else [(ps, pe, folded[ps:pe]) for ps, pe, _ in paras]
        text = folded
        pars = _Paragraphs(paras, self.s.min_passage_chars)
        dups = self._exact(text, paras)
        dups = self._merge(dups + self._passages(text, paras, sents, pars))
        dups = self._merge(dups + self._near(text, paras, dups))
        if index is not None:
            if index.level == "paragraph":
                dups = self._merge(dups + self._cross_paragraphs(text, paras, dups, index, doc))
            index.add_document(key, doc)
        return dups

    # -- kinds ----------------------------------------------------------------
    def _exact(self, text, paras):
        seen, out = {}, []
        for s, e, ptext in paras:
            if e - s < self.s.min_passage_chars:
                continue
            if ptext in seen:
                out.append(Removed(s, e, "exact", seen[ptext]))
            else:
                seen[ptext] = (s, e)
        return out

    def _passages(self, text, paras, sents=None, pars=None):
        if sents is None:
            sents = [(s, e) for ps, pe, _ in paras for s, e, _ in sentences(text, ps, pe)]
        keys = [text[s:e] for s, e in sents]
        n = len(sents)
        pars = pars or _Paragraphs(paras, self.s.min_passage_chars)
        first_at: dict[str, list[int]] = {}
        # earlier k whose sentence and next sentence are the same pair, by the pair's hash
        # (a run of two or more can only start there); only for sentences that repeat at all
        repeated = {k for k, c in Counter(keys).items() if c > 1}
        pair_at: dict[int, list[int]] = {}

        def seen(k):
            first_at.setdefault(keys[k], []).append(k)
            if k + 1 < n and keys[k] in repeated:
                pair_at.setdefault(hash((keys[k], keys[k + 1])), []).append(k)

        out = []
        i = 0
        while i < n:
            earlier = first_at.get(keys[i])
            if earlier is None:
                seen(i)
                i += 1
                continue
            best_j, best_len = _best_run(keys, i, earlier, pair_at)
            # short stand-alone lines at either end (headings, 各位代表！) are structure: kept
            lo, hi = 0, best_len
            while lo < hi and sents[i + lo] in pars.short:
                lo += 1
            # a run that ends the text right after the text it repeats is the tail of a text
            # appended to itself: all of it goes; anywhere else short lines stay (issue 15)
            tail = i + best_len >= n and best_j + best_len >= i
            while hi > lo and not tail and sents[i + hi - 1] in pars.short:
                hi -= 1
            dup = self._passage(text, sents, i + lo, best_j + lo, hi - lo, pars) if hi > lo else None
            if dup is not None:
                out.append(dup)
                for k in range(i, i + best_len):
                    seen(k)
                i += best_len
                continue
            seen(i)
            i += 1
        return out

    def _passage(self, text, sents, i, j, length, pars):
        """The removed span for sentences i..i+length repeating j..j+length, or None."""
        s, e = sents[i][0], sents[i + length - 1][1]
        es, ee = sents[j][0], sents[j + length - 1][1]
        # extend backwards over a joint inside a sentence (…问题2月10日…), never over a line break
        back = _common_suffix(text, s, es, min(s, es, s - ee))
        if back >= _MIN_EXTENSION:
            s, es = s - back, es - back
            while s < e and text[s].isdigit() and s > 0 and (text[s - 1].isdigit() or text[s - 1] == "."):
                s, es = s + 1, es + 1  # never start inside a number
        fwd = _common_prefix(text, e, ee, min(len(text) - e, s - ee))
        if fwd >= _MIN_EXTENSION:
            e, ee = e + fwd, ee + fwd
            while e > s and (text[e - 1].isdigit() or text[e - 1] == ".") and e < len(text) \
                    and (text[e].isdigit() or text[e] in ".%"):
                e, ee = e - 1, ee - 1  # never end inside a number (…占比达到7|5% vs 7|0%)
        if e < len(text) and text[e].isdigit() and text[ee].isdigit():
            return None  # the same frame goes on with another figure: a restated passage
        if s > 0 and es > 0 and text[s - 1].isdigit() and text[es - 1].isdigit():
            return None  # …and the same when another figure comes just before it (2017|年是…)
        chars = e - s - text.count("\n", s, e) - text.count(" ", s, e)
        if chars < self.s.min_passage_chars:
            return None
        pieces = length + (back >= _MIN_EXTENSION) + (fwd >= _MIN_EXTENSION)
        if pieces < self.s.min_passage_sentences and chars < 2 * self.s.min_passage_chars:
            return None
        if self._reworded(text, s, e, es, pars):
            return None
        return Removed(s, e, "repeated-passage", (es, ee))

    def _reworded(self, text, s, e, es, pars):
        """Is text[s:e] part of a paragraph that restates an earlier one with other figures?

        Next year's report keeps the sentence frames and changes the numbers: the sentences
        without numbers repeat, but the paragraph is new. A repeat inside a paragraph that
        as a whole resembles the earlier one (ratio >= 0.5) while its figures differ is kept.
        """
        p = pars.at(s)
        q = pars.at(es)
        if p is None or q is None or p == q:
            return False
        ps, pe, ptext = p
        qs, qe, qtext = q
        if s <= ps and e >= pe:
            return False  # the whole paragraph repeats: nothing of it is new
        if _figures(ptext) == _figures(qtext):
            return False
        # what is left of both paragraphs once the repeat is cut out: similar wording
        # (the rest of the frame with other numbers) means the paragraph was restated
        rest_p = text[ps:max(ps, s)] + text[min(pe, e):pe]
        rest_q = text[qs:max(qs, es)] + text[min(qe, es + (e - s)):qe]
        if len(rest_p) < MIN_FRAME_CHARS or len(rest_q) < MIN_FRAME_CHARS:
            return False
        masked_p, masked_q = _DIGITS.sub("0", rest_p), _DIGITS.sub("0", rest_q)
        if masked_p[:_ANCHOR] != masked_q[:_ANCHOR] and masked_p[-_ANCHOR:] != masked_q[-_ANCHOR:]:
            return False  # neither end of the rest agrees: not the same frame
        # the same characters in about the same amounts (difflib's quick_ratio, linear time)
        return (_real_quick_ratio(masked_p, masked_q) >= SAME_FRAME
                and _quick_ratio(masked_p, masked_q) >= SAME_FRAME)


    def _near(self, text, paras, removed):
        """Paragraphs whose figures agree with an earlier one's and whose wording nearly does.

        Candidates share the figures (the same numbers in the same order) and a similar
        length; the similarity is difflib's ratio (2 * matched / total characters), which a
        changed character or two barely moves even in a short paragraph. The removed span is
        the stretch that aligns with the earlier paragraph, so text joined to the copy on the
        same line is kept.
        """
        covered = _Cover(removed)
        kept = [(s, e, t) for s, e, t in paras
                if e - s >= self.s.min_passage_chars and not covered(s, e)]
        heads: dict[str, list] = {}
        tails: dict[str, list] = {}
        figures: dict[int, tuple] = {}  # computed only for paragraphs that meet a candidate
        out = []
        th = self.s.near_threshold
        for s, e, t in kept:
            seen = set()
            cands = heads.get(t[:_ANCHOR], [])[-_MAX_CANDIDATES:] + tails.get(t[-_ANCHOR:], [])[-_MAX_CANDIDATES:]
            for ps, pe, ptext in cands:
                # a near copy keeps its beginning or its end; its length and figures agree
                if ps in seen or min(len(ptext), len(t)) < th * max(len(ptext), len(t)):
                    continue
                seen.add(ps)
                if ps not in figures:
                    figures[ps] = _figures(ptext)
                if s not in figures:
                    figures[s] = _figures(t)
                if figures[ps] != figures[s]:
                    continue
                if _real_quick_ratio(ptext, t) < th or _quick_ratio(ptext, t) < th:
                    continue
                sm = SequenceMatcher(None, ptext, t, autojunk=False)
                if sm.ratio() < th:
                    continue
                blocks = [b for b in sm.get_matching_blocks() if b.size >= 3]
                a, z = blocks[0].b, blocks[-1].b + blocks[-1].size
                out.append(Removed(s + a, s + z, "near", (ps, pe)))
                break
            else:
                heads.setdefault(t[:_ANCHOR], []).append((s, e, t))
                tails.setdefault(t[-_ANCHOR:], []).append((s, e, t))
        return out

    def _cross_paragraphs(self, text, paras, removed, index, doc):
        out = []
        covered = _Cover(removed)
        for s, e, t in paras:
            if e - s < self.s.min_passage_chars or covered(s, e):
                continue
            key = text_key(t)
            earlier = index.paragraphs.get(key)
            if earlier is not None and earlier != doc:
                out.append(Removed(s, e, "cross-document", earlier))
            else:
                index.paragraphs.setdefault(key, doc)
        return out

    # -- helpers ----------------------------------------------------------------
    @staticmethod
    def _merge(dups):
        """Sorted, non-overlapping spans; the earlier-starting span wins an overlap."""
        out: list[Removed] = []
        for d in sorted(dups, key=lambda d: (d.start, -d.end)):
            if out and d.start < out[-1].end:
                last = out[-1]
                if d.end > last.end:
                    out[-1] = Removed(last.start, d.end, last.reason, last.repeats)
                continue
            out.append(d)
        return out


def _real_quick_ratio(a: str, b: str) -> float:
    """difflib.SequenceMatcher(None, a, b).real_quick_ratio(): the bound from the lengths."""
    la, lb = len(a), len(b)
    return 2.0 * min(la, lb) / (la + lb) if la + lb else 1.0


def _quick_ratio(a: str, b: str) -> float:
    """difflib.SequenceMatcher(None, a, b).quick_ratio() (characters in common, as multisets),
    counted in C by collections.Counter instead of SequenceMatcher's per-character loop.

    >>> _quick_ratio("增长7%", "7%增加"), _quick_ratio("", "")
    (0.75, 1.0)
    """
    la, lb = len(a), len(b)
    if not la + lb:
        return 1.0
    return 2.0 * sum((Counter(a) & Counter(b)).values()) / (la + lb)


def _common_suffix(text: str, a: int, b: int, limit: int) -> int:
    r"""The largest k <= limit with text[a-k:a] == text[b-k:b] and no line break in text[a-k:a].

    Slices compared in C, in blocks that double while they match, then halved: the same
    answer as a loop over characters, without a Python step per character.

    >>> _common_suffix("q\nab-zab", 4, 8, 4), _common_suffix("1xab2xab", 4, 8, 4)
    (2, 3)
    """
    if limit <= 0 or text[a - 1] != text[b - 1] or text[a - 1] == "\n":
        return 0
    nl = text.rfind("\n", a - limit, a)
    if nl >= 0:
        limit = a - nl - 1
    k, step = 0, 8
    while k < limit:
        m = min(step, limit - k)
        if text[a - k - m:a - k] == text[b - k - m:b - k]:
            k += m
            step *= 2
            continue
        lo, hi = 0, m - 1  # how many of these m characters (counted from the end) match
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if text[a - k - mid:a - k] == text[b - k - mid:b - k]:
                lo = mid
            else:
                hi = mid - 1
        return k + lo
    return k


def _common_prefix(text: str, a: int, b: int, limit: int) -> int:
    r"""The largest k <= limit with text[a:a+k] == text[b:b+k] and no line break in text[a:a+k].

    >>> _common_prefix("ab\nxab\ny", 0, 4, 4), _common_prefix("abx1abx2", 0, 4, 4)
    (2, 3)
    """
    if limit <= 0 or text[a] != text[b] or text[a] == "\n":
        return 0
    nl = text.find("\n", a, a + limit)
    if nl >= 0:
        limit = nl - a
    k, step = 0, 8
    while k < limit:
        m = min(step, limit - k)
        if text[a + k:a + k + m] == text[b + k:b + k + m]:
            k += m
            step *= 2
            continue
        lo, hi = 0, m - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if text[a + k:a + k + mid] == text[b + k:b + k + mid]:
                lo = mid
            else:
                hi = mid - 1
        return k + lo
    return k


class _Cover:
    """Is [s, e) inside one of the removed spans? A binary search over their starts.

    The spans are sorted and do not overlap (Deduplicator._merge), so the only span that can
    hold a non-empty [s, e) is the last one starting at or before s.

    >>> cover = _Cover([Removed(0, 10, "exact", None), Removed(20, 30, "exact", None)])
    >>> cover(2, 8), cover(20, 30), cover(8, 12), cover(12, 18), cover(25, 31)
    (True, True, False, False, False)
    """

    def __init__(self, removed):
        self.starts = [r.start for r in removed]
        self.ends = [r.end for r in removed]

    def __call__(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s) - 1
        return i >= 0 and e <= self.ends[i]
