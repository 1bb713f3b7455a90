"""The Extractor: wires read → normalize → split → dedup → find → context → records."""
from __future__ import annotations

import dataclasses
import functools
from bisect import bisect_left
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import context as _context
from . import structure as _structure
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
    kind        the document's kind: work_report, communique, budget_report, plan_report,
                five_year_plan, work_summary or other (see structure.py)
    sections    the section tree from the headings (structure.Section list, original offsets)
    structure   the whole structure.Structure (kind, title, date, year, sections; normalized offsets)
    normalized  the normalized text the stages read and its one-for-one map back to `text`
                (normalize.Normalized: `normalized.text`, `normalized.to_original(s, e)`)
    paragraph_spans, sentence_spans
                (start, end) of each paragraph and sentence in normalized offsets
    settings    the Settings of the Extractor that made it

    len(doc) is the number of records and `for r in doc` iterates them; every field of a
    Document and of a Record: docs/records.md.
    """

    doc: str
    text: str
    records: list
    removed: list
    encoding: Optional[str] = None
    year: Optional[int] = None
    normalized: Optional[Normalized] = field(default=None, repr=False)
    settings: Optional[Settings] = field(default=None, repr=False)
    paragraph_spans: list = field(default_factory=list, repr=False)
    sentence_spans: list = field(default_factory=list, repr=False)
    structure: Optional[_structure.Structure] = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """The document's kind (structure.py): work_report, communique, budget_report, …"""
        return self.structure.kind if self.structure is not None else "other"

    @functools.cached_property
    def sections(self) -> list:
        """The sections of the document (structure.Section), in original offsets."""
        if self.structure is None:
            return []
        out = []
        for s in self.structure.sections:
            os_, oe = self.normalized.to_original(s.start, s.end)
            out.append(dataclasses.replace(s, start=os_, end=oe))
        return out

    @functools.cached_property
    def paragraphs(self) -> list:
        """Span of each paragraph (a non-blank line), in original offsets."""
        return [self._span(s, e) for s, e in self.paragraph_spans]

    @functools.cached_property
    def sentences(self) -> list:
        """Span of each sentence, in original offsets."""
        return [self._span(s, e) for s, e in self.sentence_spans]

    def _span(self, s, e) -> Span:
        os_, oe = self.normalized.to_original(s, e)
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
        from .segment import Segmenter, cut_at
        seg = Segmenter(self.settings.segmenter if self.settings else "auto")
        cuts = sorted({p for r in self.records for p in (r.start, r.end)})
        return [cut_at(seg.cut(s.text), s.start, cuts)
                for s in self.sentences if not self.in_removed(s.start)]

    def spacy_doc(self):
        """A spaCy Doc of the whole text (jieba tokens, quantities in doc.spans)."""
        from .spans import to_spacy
        return to_spacy(self)

    def in_removed(self, pos: int) -> bool:
        """Whether original offset `pos` lies in a removed duplicate span."""
        return any(r.start <= pos < r.end for r in self.removed)

    def to_dicts(self, extra: bool = True) -> list:
        return [r.to_dict(extra) for r in self.records]

    def __len__(self) -> int:
        """The number of records."""
        return len(self.records)

    def __iter__(self):
        """The records, in text order."""
        return iter(self.records)

    def to_frame(self, extra: bool = True):
        """The records as a pandas DataFrame, one row per record (pandas needed)."""
        from .frames import to_frame
        return to_frame([self], extra)
    @functools.cached_property
    def meta(self) -> dict:
        """Panel metadata: region, level, kind, body, date (meta.py, PANEL.md §1)."""
        from .meta import document_meta
        return document_meta(self)

    @functools.cached_property
    def facts(self) -> list:
        """The panel facts of the document (indicators.Fact list, PANEL.md §2–4)."""
        from .indicators import document_facts
        return document_facts(self, self.meta["region"])


class Extractor:
    """A loaded pipeline for repeated calls; stateless across documents.

    >>> ex = Extractor()
    >>> [(r.text, r.value, r.unit) for r in ex.extract("粮食产量达到1.2万吨，增长3%。").records]
    [('1.2万吨', Decimal('12000.0'), '吨'), ('3%', Decimal('3'), '%')]
    """

    def __init__(self, settings: Settings | None = None, *, dedup: bool | None = None,
                 near_threshold: float | None = None, min_passage_chars: int | None = None,
                 min_passage_sentences: int | None = None, cross_document: str | None = None,
                 context: bool | None = None, segmenter: str | None = None,
                 year: int | None = None, max_bytes: int | None = None,
                 lexicon: str | None = None):
        """A pipeline with `settings`, or with these options (None: the default):

        dedup                  remove duplicated paragraphs and passages first (True)
        near_threshold         similarity from which two paragraphs with the same figures
                               are near-duplicates (0.85)
        min_passage_chars      shortest repeated passage that is removed (40)
        min_passage_sentences  shortest run of repeated sentences removed (2)
        cross_document         'document' or 'paragraph': what a DedupIndex remembers
        context                fill metric, period and role (True)
        segmenter              'auto' (rjieba when installed), 'jieba' or 'rjieba'
        year                   the report's year when the text does not say it
        max_bytes              files larger than this are refused (64 MiB)
        lexicon                path of a user lexicon (YAML: units, classifiers, cues,
                               vetoes) merged over the packaged data; see docs/records.md

        Bad values raise SettingsError; a bad lexicon file raises LexiconError.
        """
        given = {k: v for k, v in dict(
            dedup=dedup, near_threshold=near_threshold, min_passage_chars=min_passage_chars,
            min_passage_sentences=min_passage_sentences, cross_document=cross_document,
            context=context, segmenter=segmenter, year=year, max_bytes=max_bytes,
            lexicon=None if lexicon is None else str(lexicon)).items() if v is not None}
        if settings is not None and given:
            raise ExtractorError("pass either settings or keyword options, not both")
        self.settings = Settings.make(**given) if settings is None else settings
        if self.settings.lexicon:
            from . import lexicon as _lexicon
            self.finder = Finder(_lexicon.load(self.settings.lexicon))
        else:
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
        structure = _structure.analyze(nt, paras, sents)
        records = []
        if mentions:
            ctx = _context.Context(nt, paras, sents, year, self.settings.context,
                                   self.tagger if self.settings.context else None, structure,
                                   _table_cells(nt, paras) if self.settings.context else ())
            year = ctx.year
            spans = norm.spans_to_original([(m.start, m.end) for m in mentions])
            shared: dict = {}  # equal metrics, periods and `why` tuples share one object (memory)
            notes = ctx.annotate(mentions)
            for i, (m, (s, e)) in enumerate(zip(mentions, spans)):
                role, metric, period, sentence, change, basis, why = notes[i]
                notes[i] = None  # freed as its record is made (a big document's peak memory)
                records.append(Record(doc, s, e, text[s:e], m.value, m.unit, m.dimension, m.bound, role,
                                      shared.setdefault(metric, metric), shared.setdefault(period, period),
                                      sentence, m.rule, change, basis, shared.setdefault(why, why)))
        removed = [Removed(*_widen(norm, d), d.reason,
                           tuple(norm.to_original(*d.repeats)) if isinstance(d.repeats, tuple) else d.repeats)
                   for d in dups]
        return Document(doc=doc, text=text, records=records, removed=removed, encoding=encoding,
                        year=year, normalized=norm, settings=self.settings,
                        paragraph_spans=[(s, e) for s, e, _ in paras], sentence_spans=sents,
                        structure=structure)

    def extract_file(self, path, doc: str | None = None, index: DedupIndex | None = None,
                     encoding: str | None = None, errors: str = "strict") -> Document:
        """Read, decode and extract one file; `doc` defaults to the file's name.

        errors="replace" keeps a file with bad bytes (replaced by U+FFFD)."""
        decoded = read_file(path, encoding, self.settings.max_bytes, errors)
        if decoded.warning:           # a doubtful detection, replaced bytes
            import warnings
            warnings.warn(f"{path}: {decoded.warning}", UnicodeWarning, stacklevel=2)
        return self.extract(decoded.text, doc or Path(path).name, index, decoded.encoding)


def _table_cells(nt: str, paras: list) -> tuple:
    """(start, end, 指标名称, column heading) of each figure cell of the flattened indicator
    tables of the text, for the context's table rules; () when the install has no table
    reader (extractor.tables) or the text no table."""
    try:
        from . import tables  # type: ignore[attr-defined]
    except ImportError:
        return ()
    rows = tables.rows(nt)
    if not rows:
        return ()
    heads = tables.words().number | tables.words().name
    starts = [s for s, _, _ in paras]
    out: list = []
    header: list = []
    last = -10  # the line after the previous row
    for r in rows:
        first = bisect_left(starts, r.start)
        width = bisect_left(starts, r.end) - first
        if first - last > 1:  # a new table (a group heading line such as 经济发展 may sit between rows)
            header = _table_header(paras, first, width, heads)
        last = first + width
        for s, e in r.figures:
            col = bisect_left(starts, s) - first
            out.append((s, e, r.name, header[col] if 0 <= col < len(header) else None))
    return tuple(out)


def _table_header(paras: list, first: int, width: int, heads: frozenset) -> list:
    """The header row of a table whose first row begins at line `first`: as many cells right
    before it (or before a group heading line there), opening with its 序号 or 指标名称 cell."""
    for h in (first - width, first - width - 1):
        if h >= 0 and paras[h][2] in heads:
            return [t for _, _, t in paras[h:h + width]]
    return []


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
