"""The Extractor: wires read → normalize → split → dedup → find → context → records."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import context as _context
from .dedup import Deduplicator, DedupIndex
from .errors import ExtractorError
from .find import Finder
from .normalize import Normalized, normalize
from .read import read_file
from .records import Record, Removed, Span
from .settings import Settings
from .split import paragraphs, sentence_spans


_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass
class Document:
    """The result of extracting one text.

    text        the original text; every offset below indexes it
    records     the quantity records, in text order
    paragraphs  Span list; sentences: Span list
    removed     duplicate spans removed before extraction (Removed list)
    targets     target records grouped by period ({period or None: [Record]})
    """

    doc: str
    text: str
    records: list
    removed: list
    encoding: Optional[str] = None
    year: Optional[int] = None
    _normalized: Normalized = field(default=None, repr=False)
    _extractor: "Extractor" = field(default=None, repr=False)
    _para_spans: list = field(default_factory=list, repr=False)
    _sent_spans: list = field(default_factory=list, repr=False)

    @functools.cached_property
    def paragraphs(self) -> list:
        """Span of each paragraph (a non-blank line), in original offsets."""
        return [self._span(s, e) for s, e in self._para_spans]

    @functools.cached_property
    def sentences(self) -> list:
        """Span of each sentence, in original offsets."""
        return [self._span(s, e) for s, e in self._sent_spans]

    def _span(self, s, e) -> Span:
        os_, oe = self._normalized.to_original(s, e)
        return Span(os_, oe, self.text[os_:oe])

    @property
    def targets(self) -> dict:
        """Target records grouped by period, in text order."""
        out: dict = {}
        for r in self.records:
            if r.role == "target":
                out.setdefault(r.period, []).append(r)
        return out

    @property
    def kept_text(self) -> str:
        """The original text with the removed duplicate spans cut out."""
        parts, pos = [], 0
        for r in self.removed:
            parts.append(self.text[pos:r.start])
            pos = r.end
        parts.append(self.text[pos:])
        return "".join(parts)

    @property
    def tokens(self) -> list:
        """Word segmentation of the kept text: one list of words per sentence."""
        seg = self._extractor.segmenter
        return [seg.cut(s.text) for s in self.sentences if not self._in_removed(s.start)]

    def spacy_doc(self):
        """A spaCy Doc of the whole text (jieba tokens, quantities in doc.spans)."""
        from .components import to_spacy
        return to_spacy(self)

    def _in_removed(self, pos: int) -> bool:
        return any(r.start <= pos < r.end for r in self.removed)

    def to_dicts(self, extra: bool = True) -> list:
        return [r.to_dict(extra) for r in self.records]


class Extractor:
    """A loaded pipeline for repeated calls; stateless across documents.

    >>> ex = Extractor()
    >>> [(r.text, r.value, r.unit) for r in ex.extract("粮食产量达到1.2万吨，增长3%。").records]
    [('1.2万吨', Decimal('12000.0'), '吨'), ('3%', Decimal('3'), '%')]
    """

    def __init__(self, settings: Settings | None = None, **overrides):
        self.settings = Settings.make(**overrides) if settings is None else settings
        if settings is not None and overrides:
            raise ExtractorError("pass either settings or keyword overrides, not both")
        self.finder = Finder()
        self.deduplicator = Deduplicator(self.settings)
        self._segmenter = None
        self._tagger = None

    @property
    def segmenter(self):
        """The word segmenter (loaded on first use)."""
        if self._segmenter is None:
            from .segment import Segmenter
            self._segmenter = Segmenter(self.settings.segmenter)
        return self._segmenter

    @property
    def tagger(self):
        """Part-of-speech tags for the phrases around figures (loaded on first use)."""
        if self._tagger is None:
            from .tagger import Tagger
            self._tagger = Tagger(self.segmenter)
        return self._tagger

    def extract(self, text: str, doc: str = "<text>", index: DedupIndex | None = None,
                encoding: str | None = None) -> Document:
        """Extract the records of one text. `index` carries cross-document dedup memory."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        # lone surrogates (issue 15) cannot reach rjieba or the tagger (they encode UTF-8): the
        # stages see U+FFFD in their place (one character for one, offsets hold)
        norm = normalize(_SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text)
        nt = norm.text
        paras = list(paragraphs(nt))
        sents = sentence_spans(nt)  # sentences never cross a line break
        dups = self.deduplicator.find(nt, paras, index, doc, sents) if self.settings.dedup else []
        mentions = self.finder.find(nt)
        if dups:
            mentions = _outside(mentions, dups)
        year = self.settings.year
        records = []
        if mentions:
            ctx = _context.Context(nt, paras, sents, year, self.settings.context,
                                   self.tagger if self.settings.context else None)
            year = ctx.year
            spans = norm.spans_to_original([(m.start, m.end) for m in mentions])
            for m, (role, metric, period, sentence, change, basis), (s, e) in zip(
                    mentions, ctx.annotate(mentions), spans):
                records.append(Record(doc, s, e, text[s:e], m.value, m.unit, m.dimension, m.bound,
                                      role, metric, period, sentence, m.rule, change, basis))
        removed = [Removed(*_widen(norm, d), d.reason,
                           tuple(norm.to_original(*d.repeats)) if isinstance(d.repeats, tuple) else d.repeats)
                   for d in dups]
        return Document(doc=doc, text=text, records=records, removed=removed, encoding=encoding,
                        year=year, _normalized=norm, _extractor=self,
                        _para_spans=[(s, e) for s, e, _ in paras], _sent_spans=sents)

    def extract_file(self, path, doc: str | None = None, index: DedupIndex | None = None,
                     encoding: str | None = None) -> Document:
        """Read, decode and extract one file; `doc` defaults to the file's name."""
        decoded = read_file(path, encoding, self.settings.max_bytes)
        return self.extract(decoded.text, doc or Path(path).name, index, decoded.encoding)


def _outside(mentions, dups) -> list:
    """The mentions that start outside every removed span (both lists sorted, spans disjoint)."""
    out, i, n = [], 0, len(dups)
    for m in mentions:
        while i < n and dups[i].end <= m.start:
            i += 1
        if i == n or m.start < dups[i].start:
            out.append(m)
    return out


def _widen(norm: Normalized, d):
    """Original span of a removed block; a block that ends the text takes its trailing spaces."""
    s, e = norm.to_original(d.start, d.end)
    if d.end >= len(norm.text):
        e = len(norm.original)
    return s, e


@functools.lru_cache(maxsize=8)
def default_extractor(settings: Settings | None = None) -> Extractor:
    """One Extractor per settings per process (the pipeline is loaded once)."""
    return Extractor(settings or Settings())
