"""Part-of-speech tags for the short phrases around figures.

Our segmentation (segment.Segmenter: rjieba or jieba, identical output) plus
the tag each word has in jieba's dictionary and our user dictionary. Unlike
jieba.posseg this needs no second HMM pass, so it is cheap enough to run on
every phrase a metric is taken from, and gives the same tags whichever
segmenter is used.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from array import array
from pathlib import Path

from .segment import userdict_entries


class TagIndex:
    """word -> part-of-speech tag from jieba's dictionary and our user dictionary.

    Building a Python dict of jieba's 349,000 words costs 0.3-0.7 s, too much for a
    command's cold start. The index is instead two files in the user's cache folder,
    written once (keyed by both dictionaries' contents): the entries sorted by their
    UTF-8 bytes, and their offsets; a lookup is a binary search over them.
    If the cache folder is not writable, the files are built in memory.
    """

    def __init__(self):
        path = _jieba_dict_path()
        entries = userdict_entries()
        st = os.stat(path)
        key = hashlib.sha1(repr((path, st.st_size, st.st_mtime_ns, entries)).encode()).hexdigest()[:16]
        base = _cache_dir() / f"tags-{key}"
        try:
            self.blob = (base.with_suffix(".dat")).read_bytes()
            self.offsets = array("I")
            self.offsets.frombytes((base.with_suffix(".idx")).read_bytes())
        except OSError:
            self.blob, self.offsets = _build(path, entries)
            _save(base, self.blob, self.offsets)
        self.get = functools.lru_cache(maxsize=200000)(self._get)

    def _get(self, word: str, default: str = "x") -> str:
        w = word.encode("utf-8") + b"\t"
        blob, offs = self.blob, self.offsets
        lo, hi = 0, len(offs)
        while lo < hi:
            mid = (lo + hi) // 2
            o = offs[mid]
            if blob[o:o + len(w)] < w:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(offs):
            o = offs[lo]
            if blob[o:o + len(w)] == w:
                return blob[o + len(w):blob.index(b"\n", o)].decode("ascii")
        return default


def _build(path, entries):
    tags = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    for word, _, tag in entries:
        if tag:
            tags[word] = tag
    lines = sorted(f"{w}\t{t}\n".encode("utf-8") for w, t in tags.items())
    offsets, pos = array("I"), 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln)
    return b"".join(lines), offsets


def _save(base, blob, offsets):
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        for suffix, data in ((".dat", blob), (".idx", offsets.tobytes())):
            tmp = base.with_suffix(f"{suffix}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, base.with_suffix(suffix))
    except OSError:
        pass


def _jieba_dict_path() -> str:
    """jieba's dict.txt, found without importing jieba (its import costs 0.13 s)."""
    spec = importlib.util.find_spec("jieba")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


@functools.lru_cache(maxsize=None)
def tag_index() -> TagIndex:
    """The tag index (one per process)."""
    return TagIndex()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "extractor"


# tags rjieba also gives to words outside its dictionary: for these the TagIndex decides
_GUESSED = frozenset(("", "x", "m", "eng"))


class Tagger:
    """(word, tag) pairs; words the dictionary does not know get 'x', numbers 'm'.

    A word's tag depends on the word alone, so it is worked out once per word (a dict per
    tagger). With rjieba installed, rjieba's dictionary (jieba's, plus our user dictionary)
    answers it without a binary search: a word rjieba does not have is 'x', our user
    dictionary's tags win (rjieba keeps jieba's tag of a word it already has), and only the
    tags rjieba also gives to unknown words (x, m, eng) are looked up in the TagIndex.
    tests/test_tagger.py holds this equal to the TagIndex alone.
    """

    def __init__(self, segmenter):
        self.seg = segmenter
        self.tags = tag_index()
        self._rj = getattr(segmenter, "_fast", None)
        self._user = {w: t for w, _, t in userdict_entries() if t}
        self._words: dict = {}  # word -> tag
        self.tag = functools.lru_cache(maxsize=65536)(self._tag)

    def _tag(self, text: str) -> tuple:
        words, memo = self.seg.cut(text), self._words
        tags = list(map(memo.get, words))  # the loops in C: a phrase's words are mostly known
        if None in tags:
            if len(memo) > 500_000:  # bounded over a long batch
                memo.clear()
            for i, t in enumerate(tags):
                if t is None:
                    w = words[i]
                    t = memo.get(w)
                    if t is None:
                        t = memo[w] = self._word_tag(w)
                    tags[i] = t
        return tuple(zip(words, tags))

    def _word_tag(self, w: str) -> str:
        if w[:1].isdigit():
            return "m"
        rj = self._rj
        if rj is not None:
            if not rj.has_word(w):
                return "x"
            if w not in self._user:
                tagged = rj.tag(w, False)  # no HMM: the word's dictionary entry, if it stays whole
                if len(tagged) == 1 and tagged[0][1] not in _GUESSED:
                    return tagged[0][1]
        return self.tags.get(w)

    def index_tag(self, w: str) -> str:
        """The tag of word `w` from the TagIndex alone (what _word_tag must equal)."""
        return "m" if w[:1].isdigit() else self.tags.get(w)
