"""The cross-document memory of one run (`DedupIndex`): which document first held a text,
a paragraph, the long paragraphs behind near copies. Kept by the caller, passed
explicitly: `Extractor.extract(index=...)` and the batch command (cli/cross.py)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


#: share of a document's text in long paragraphs seen in earlier documents that makes it a
#: near copy of them (the batch command's cross-document rule)
NEAR_COPY = 0.9


@dataclass
class DedupIndex:
    """The cross-document memory of one run, in document order: pass it explicitly to each
    extract call, or let the batch command keep it (cli/cross.py). The only such memory.

    Keys are hashes of normalized text, so the same report saved as GBK and as UTF-8, or
    with other line endings, is recognised. `documents` and `paragraphs` map a key to the
    first document that held it; the near-copy index maps each long paragraph's 64-bit
    key to the first indexed document holding it. Memory: one entry per document and per
    distinct long paragraph.
    """

    level: str = "document"
    documents: dict = field(default_factory=dict)
    paragraphs: dict = field(default_factory=dict)
    near: float = NEAR_COPY
    _docs: list = field(default_factory=list)          # documents whose paragraphs are indexed
    _para_docs: dict = field(default_factory=dict)     # paragraph key -> index in _docs

    def seen_document(self, key: str):
        return self.documents.get(key)

    def add_document(self, key: str, doc: str):
        self.documents.setdefault(key, doc)

    def first_document(self, key: str, doc: str) -> str:
        """The first document with this text (`doc` itself when it is the first)."""
        return self.documents.setdefault(key, doc)

    def forget_document(self, key: str) -> None:
        """A near copy's own text is not a first occurrence."""
        del self.documents[key]

    def first_paragraph(self, key: str, doc: str) -> str:
        """The first document with this paragraph (`doc` itself when it is the first)."""
        return self.paragraphs.setdefault(key, doc)

    def near_copy(self, para_keys, para_chars: int):
        """(the earlier document whose long paragraphs make up at least `near` of this
        one's paragraph text, share) or (None, share)."""
        if not self.near or not para_keys or not para_chars:
            return None, 0.0
        by_doc: Counter = Counter()
        seen = 0
        for key, length in para_keys:
            d = self._para_docs.get(key)
            if d is not None:
                seen += length
                by_doc[d] += length
        share = seen / para_chars
        if share < self.near:
            return None, share
        return self._docs[by_doc.most_common(1)[0][0]], share

    def index_paragraphs(self, doc: str, para_keys) -> None:
        """Remember the long paragraphs of `doc` for later near copies."""
        if not para_keys:
            return
        i = len(self._docs)
        self._docs.append(doc)
        for key, _ in para_keys:
            self._para_docs.setdefault(key, i)
