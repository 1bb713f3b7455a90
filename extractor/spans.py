"""Records as spaCy spans: the span extensions, `set_spans`, and `to_spacy` (a Document as
a spaCy Doc with our tokens). Needs no pipeline: components.py and Document.spacy_doc
both use it."""
from __future__ import annotations

from spacy.tokens import Doc, Span

SPANS_KEY = "quantities"
#: span extensions set on every mention (float value: spaCy serializes it with msgpack)
EXTENSIONS = ("value", "unit", "dimension", "bound", "role", "metric", "period", "record_text",
              "change", "basis")


def register_extensions() -> None:
    """Register the Span extensions (idempotent; also done by every component call)."""
    for name in EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def set_spans(doc: Doc, records, spans_key: str = SPANS_KEY) -> Doc:
    """Put one span per record into doc.spans[spans_key] (offsets expanded to tokens)."""
    register_extensions()
    spans = []
    for i, r in enumerate(records):
        # a distinct span id keeps the extension values of two mentions inside one token apart
        span = doc.char_span(r.start, r.end, label=r.dimension, alignment_mode="expand",
                             span_id=f"q{i}")
        if span is None:  # offsets outside the doc: cannot happen for doc.text == record text
            continue
        span._.value = float(r.value)
        span._.unit = r.unit
        span._.dimension = r.dimension
        span._.bound = r.bound
        span._.role = r.role
        span._.metric = r.metric
        span._.period = r.period
        span._.record_text = r.text
        span._.change = r.change
        span._.basis = r.basis
        spans.append(span)
    doc.spans[spans_key] = spans
    return doc


_TOKENIZERS: dict = {}


def _tokenizer(kind: str):
    if kind not in _TOKENIZERS:
        import spacy
        from .segment import JiebaSpacyTokenizer
        _TOKENIZERS[kind] = JiebaSpacyTokenizer(spacy.blank("zh").vocab, kind)
    return _TOKENIZERS[kind]


def to_spacy(document) -> Doc:
    """A spaCy Doc of document.text (our jieba tokens) with its records in doc.spans."""
    kind = document.settings.segmenter if document.settings is not None else "auto"
    cuts = sorted({p for r in document.records for p in (r.start, r.end)})
    doc = _tokenizer(kind)(document.text, cuts)
    doc.user_data["doc_id"] = document.doc
    return set_spans(doc, document.records)
