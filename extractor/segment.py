"""Word segmentation with our own jieba.Tokenizer and user dictionary, registered with spaCy.

spaCy's built-in Chinese segmenter uses the global jieba; ours holds its own
`jieba.Tokenizer` (and, when installed and asked for, rjieba, which gives the
same output faster) loaded with data/userdict.txt.
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
from importlib import resources

_USERDICT = "userdict.txt"
_JOINERS = re.compile(r"([-_])")
_ALNUM = re.compile(r"[A-Za-z0-9]")


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


@functools.lru_cache(maxsize=None)
def _rjieba_instance():
    """rjieba (jieba-rs: same dictionary and algorithm, much faster) with our user dictionary."""
    if not _rjieba_available():
        return None
    import rjieba
    inst = rjieba.Jieba()
    for word, freq, tag in userdict_entries():
        inst.add_word(word, freq, tag)
    return inst


class Segmenter:
    """Cut text into words: 'jieba' (plain), 'rjieba' or 'auto' (rjieba when usable)."""

    def __init__(self, kind: str = "auto"):
        self.kind = kind
        self._fast = _rjieba_instance() if kind in ("auto", "rjieba") else None
        if kind == "rjieba" and self._fast is None:
            raise ImportError("segmenter 'rjieba' asked for but rjieba is not installed")
        # plain jieba (0.6 s to load its dictionary) only when it is the segmenter in use
        self._tk = jieba_tokenizer() if self._fast is None else None

    def cut(self, text: str) -> list[str]:
        """Words of `text` (jieba's HMM on, as jieba.lcut does by default)."""
        if self._fast is not None:
            words = self._fast.cut(text, True)
            if "-" in text or "_" in text:
                # jieba splits ASCII runs at - and _ (2026-02-02, 5G-A); rjieba keeps them whole
                words = [p for w in words
                         for p in (_JOINERS.split(w) if len(w) > 1 and _ALNUM.search(w) else (w,)) if p]
            return words
        return list(self._tk.cut(text, HMM=True))


def cut_at(words, base: int, cuts) -> list[str]:
    """`words` (consecutive, starting at offset `base`) re-split at every offset of the
    sorted list `cuts` that falls inside a word: a mention's edges are word edges.

    >>> cut_at(["等", "4", "个委属", "单位"], 10, [11, 13])
    ['等', '4', '个', '委属', '单位']
    """
    out: list[str] = []
    i = bisect.bisect_right(cuts, base)
    pos = base
    for w in words:
        end = pos + len(w)
        start = pos
        while i < len(cuts) and cuts[i] < end:
            if cuts[i] > start:
                out.append(w[start - pos:cuts[i] - pos])
                start = cuts[i]
            i += 1
        out.append(w[start - pos:])
        pos = end
    return out


def mention_cuts(text: str) -> list[int]:
    """Sorted offsets (in `text`) of the edges of every quantity mention the finder sees."""
    from .find import default_finder
    from .normalize import normalize
    norm = normalize(text)
    mentions = default_finder().find(norm.text)
    if not mentions:
        return []
    spans = norm.spans_to_original([(m.start, m.end) for m in mentions])
    return sorted({p for s, e in spans for p in (s, e)})


class JiebaSpacyTokenizer:
    """A spaCy tokenizer wrapping our jieba instance: text -> Doc with jieba words.

    Every character of the text is kept (`doc.text == text`): a single space after a
    word becomes that token's trailing whitespace, other whitespace stays a token of
    its own, as spaCy's tokenizers do. jieba's words are re-split at the edges of every
    quantity mention (`4个|委属`), so a mention is always whole tokens.

    >>> import spacy
    >>> nlp = spacy.blank("zh")
    >>> nlp.tokenizer = JiebaSpacyTokenizer(nlp.vocab)
    >>> doc = nlp("增长 7.5%，达到309亿元。\\n")
    >>> doc.text == "增长 7.5%，达到309亿元。\\n"
    True
    """

    def __init__(self, vocab, kind: str = "auto"):
        self.vocab = vocab
        self.kind = kind
        self._seg = Segmenter(kind)

    def __call__(self, text, cuts=None):
        """The Doc of `text`; `cuts`: the mention edges (found here when not given)."""
        from spacy.tokens import Doc
        words: list[str] = []
        spaces: list[bool] = []
        cuts = mention_cuts(text) if cuts is None else cuts
        for w in cut_at(self._seg.cut(text), 0, cuts):
            if not w:
                continue
            if (w[0] == " " and words and not spaces[-1] and not words[-1].isspace()):
                spaces[-1] = True
                w = w[1:]
                if not w:
                    continue
            words.append(w)
            spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:  # jieba never drops characters; be safe if a segmenter does
            doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text)) if text else doc
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __reduce__(self):
        # the jieba.Tokenizer holds a lock: rebuild it in the receiving process
        return (JiebaSpacyTokenizer, (self.vocab, self.kind))

    def to_bytes(self, **kwargs):
        import srsly
        return srsly.json_dumps({"kind": self.kind}).encode("utf-8")

    def from_bytes(self, data, **kwargs):
        import srsly
        kind = srsly.json_loads(data).get("kind", self.kind) if data else self.kind
        if kind != self.kind:
            self.kind, self._seg = kind, Segmenter(kind)
        return self

    def to_disk(self, path, **kwargs):
        from pathlib import Path
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg").write_bytes(self.to_bytes())

    def from_disk(self, path, **kwargs):
        from pathlib import Path
        cfg = Path(path) / "cfg"
        if cfg.exists():
            self.from_bytes(cfg.read_bytes())
        return self


def create_tokenizer(kind: str = "auto"):
    """The registered "extractor.JiebaTokenizer.v1": nlp -> JiebaSpacyTokenizer."""
    def make(nlp):
        return JiebaSpacyTokenizer(nlp.vocab, kind)
    return make


def register():
    """Register the tokenizer factory with spaCy (idempotent)."""
    import spacy
    if "extractor.JiebaTokenizer.v1" not in spacy.registry.tokenizers:
        spacy.registry.tokenizers("extractor.JiebaTokenizer.v1", func=create_tokenizer)
    return create_tokenizer
