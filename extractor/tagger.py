"""Part-of-speech tags for the short phrases around figures.

Our segmentation (segment.Segmenter: rjieba or jieba, identical output) plus
the tag each word has in jieba's dictionary and our user dictionary. Unlike
jieba.posseg this needs no second HMM pass, so it is cheap enough to run on
every phrase a metric is taken from, and gives the same tags whichever
segmenter is used.
"""
from __future__ import annotations

import functools
import os

from .segment import userdict_entries


@functools.lru_cache(maxsize=None)
def word_tags() -> dict:
    """word -> part-of-speech tag from jieba's dictionary and our user dictionary (loaded once)."""
    import jieba
    tags = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    for word, _, tag in userdict_entries():
        if tag:
            tags[word] = tag
    return tags


class Tagger:
    """(word, tag) pairs; words the dictionary does not know get 'x', numbers 'm'."""

    def __init__(self, segmenter):
        self.seg = segmenter
        self.tags = word_tags()
        self.tag = functools.lru_cache(maxsize=65536)(self._tag)

    def _tag(self, text: str) -> tuple:
        out = []
        for w in self.seg.cut(text):
            out.append((w, "m" if w[:1].isdigit() else self.tags.get(w, "x")))
        return tuple(out)
