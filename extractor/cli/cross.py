"""The batch command's use of the cross-document memory (dedup.DedupIndex): whole
duplicates, near copies and (with `--cross-document paragraph`) repeated paragraphs,
decided on each DocResult in document order."""
from __future__ import annotations

from ..memory import NEAR_COPY, DedupIndex
from .worker import DocResult


class CrossDocument:
    """Cross-document verdicts of one batch run, applied in document order.

    A document equal to an earlier one (after normalization: GBK and UTF-8 copies,
    other line endings) is a duplicate and yields no records. So is a near copy: a
    document whose long paragraphs (at least min_passage_chars) already seen in earlier
    documents make up at least `near` (90%) of its paragraph text; it repeats the
    document that holds most of them. Short lines (titles, salutations) count in the
    text but never as seen, so they alone never make a copy. With
    `cross_document="paragraph"` a paragraph seen in an earlier document is removed too.
    """

    def __init__(self, near: float = NEAR_COPY):
        self.memory = DedupIndex(near=near)

    def near_copy(self, res: DocResult):
        """(the earlier document `res` mostly repeats, share of its text) or (None, share)."""
        return self.memory.near_copy(res.para_keys, res.para_chars)

    def _duplicate(self, res: DocResult, first: str, reason: str) -> DocResult:
        res.status, res.repeats, res.records, res.data = "duplicate", first, [], None
        res.removed = [{"doc": res.doc, "start": 0, "end": res.chars,
                        "reason": reason, "repeats": first}]
        return res

    def apply(self, res: DocResult) -> DocResult:
        if res.status != "ok" or res.key is None:
            return res
        memory = self.memory
        first = memory.first_document(res.key, res.doc)
        if first != res.doc:
            return self._duplicate(res, first, "cross-document")
        earlier, _ = self.near_copy(res)
        if earlier is not None and earlier != res.doc:
            memory.forget_document(res.key)
            return self._duplicate(res, earlier, "near-copy")
        memory.index_paragraphs(res.doc, res.para_keys)
        for key, s, e in res.paragraphs:
            earlier = memory.first_paragraph(key, res.doc)
            if earlier != res.doc:
                res.records = [r for r in res.records if not s <= r["start"] < e]
                res.data = None
                res.removed.append({"doc": res.doc, "start": s, "end": e,
                                    "reason": "cross-document", "repeats": earlier})
        res.removed.sort(key=lambda r: r["start"])
        return res
