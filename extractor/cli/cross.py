"""The cross-document memory of one batch run: whole duplicates, near copies and (with
`--cross-document paragraph`) repeated paragraphs, decided in document order."""
from __future__ import annotations

from collections import Counter

from .worker import DocResult


NEAR_COPY = 0.9          # share of a document's text in long paragraphs seen in earlier documents


class CrossDocument:
    """Cross-document memory of one batch run, applied in document order.

    A document equal to an earlier one (after normalization: GBK and UTF-8 copies,
    other line endings) is a duplicate and yields no records. So is a near copy: a
    document whose long paragraphs (at least min_passage_chars) already seen in earlier
    documents make up at least `near` (90%) of its paragraph text; it repeats the
    document that holds most of them. Short lines (titles, salutations) count in the
    text but never as seen, so they alone never make a copy. With
    `cross_document="paragraph"` a paragraph seen in an earlier document is removed too.
    Memory: one entry per document and per distinct long paragraph.
    """

    def __init__(self, near: float = NEAR_COPY):
        self.seen: dict[str, str] = {}
        self.paragraphs: dict[str, str] = {}
        self.near = near
        self._docs: list[str] = []              # documents whose long paragraphs are indexed
        self._para_docs: dict[int, int] = {}    # paragraph key -> first such document

    def near_copy(self, res: DocResult):
        """(the earlier document `res` mostly repeats, share of its text) or (None, share)."""
        if not self.near or not res.para_keys or not res.para_chars:
            return None, 0.0
        by_doc: Counter = Counter()
        seen = 0
        for key, length in res.para_keys:
            d = self._para_docs.get(key)
            if d is not None:
                seen += length
                by_doc[d] += length
        share = seen / res.para_chars
        if share < self.near:
            return None, share
        return self._docs[by_doc.most_common(1)[0][0]], share

    def _index(self, res: DocResult):
        if not res.para_keys:
            return
        i = len(self._docs)
        self._docs.append(res.doc)
        for key, _ in res.para_keys:
            self._para_docs.setdefault(key, i)

    def _duplicate(self, res: DocResult, first: str, reason: str) -> DocResult:
        res.status, res.repeats, res.records, res.data = "duplicate", first, [], None
        res.removed = [{"doc": res.doc, "start": 0, "end": res.chars,
                        "reason": reason, "repeats": first}]
        return res

    def apply(self, res: DocResult) -> DocResult:
        if res.status != "ok" or res.key is None:
            return res
        first = self.seen.setdefault(res.key, res.doc)
        if first != res.doc:
            return self._duplicate(res, first, "cross-document")
        earlier, _ = self.near_copy(res)
        if earlier is not None and earlier != res.doc:
            del self.seen[res.key]              # a copy's own text is not a first occurrence
            return self._duplicate(res, earlier, "near-copy")
        self._index(res)
        for key, s, e in res.paragraphs:
            earlier = self.paragraphs.setdefault(key, res.doc)
            if earlier != res.doc:
                res.records = [r for r in res.records if not s <= r["start"] < e]
                res.data = None
                res.removed.append({"doc": res.doc, "start": s, "end": e,
                                    "reason": "cross-document", "repeats": earlier})
        res.removed.sort(key=lambda r: r["start"])
        return res
