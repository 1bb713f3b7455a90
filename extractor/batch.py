"""`extractor batch`: many files → one output, one bad file never stops the run."""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .dedup import text_key
from .errors import InputError
from .normalize import normalize
from .read import decode, read_file


@dataclass
class DocResult:
    """What one document yields: records (dicts), removed spans, status and error."""

    doc: str
    path: str
    status: str = "ok"            # ok | empty | failed | duplicate
    error: str | None = None
    encoding: str | None = None
    chars: int = 0
    key: str | None = None        # hash of the normalized text (cross-document dedup)
    records: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def process_text(extractor, text, doc, path="", encoding=None) -> DocResult:
    """Extract one decoded text into a DocResult (no cross-document state)."""
    res = DocResult(doc=doc, path=str(path), encoding=encoding, chars=len(text))
    if not text.strip():
        res.status = "empty"
        return res
    d = extractor.extract(text, doc, encoding=encoding)
    res.key = text_key(d._normalized.text)
    res.records = [r.to_dict(extra=False) for r in d.records]
    res.removed = [dict(doc=doc, **r.to_dict()) for r in d.removed]
    return res


def process_file(extractor, path, doc, encoding=None, max_bytes=None) -> DocResult:
    """Read, decode and extract one file; failures become a DocResult with status 'failed'."""
    try:
        dec = read_file(path, encoding, max_bytes or extractor.settings.max_bytes)
    except InputError as e:
        return DocResult(doc=doc, path=str(path), status="failed", error=e.reason)
    try:
        return process_text(extractor, dec.text, doc, path, dec.encoding)
    except Exception as e:  # noqa: BLE001 - one bad document must not stop a batch
        return DocResult(doc=doc, path=str(path), status="failed", error=f"{type(e).__name__}: {e}")


class CrossDocument:
    """Cross-document memory of one batch run, applied in document order."""

    def __init__(self):
        self.seen: dict[str, str] = {}

    def apply(self, res: DocResult) -> DocResult:
        if res.status != "ok" or res.key is None:
            return res
        first = self.seen.setdefault(res.key, res.doc)
        if first != res.doc:
            res.status = "duplicate"
            res.records = []
            res.removed = [{"doc": res.doc, "start": 0, "end": res.chars,
                            "reason": "cross-document", "repeats": first}]
        return res


def _inputs(args):
    from .cli import iter_inputs
    paths = list(args.inputs)
    if args.files_from:
        lines = Path(args.files_from).read_text(encoding="utf-8").splitlines()
        paths += [ln.strip() for ln in lines if ln.strip()]
    items = []
    for p in paths:
        if p == "-":
            items.append(("-", "-"))
        else:
            items.extend(iter_inputs([p], args.glob))
    return items


def run_batch(args, settings) -> int:
    """Run the batch command; returns the exit code."""
    from .pipeline import Extractor
    t0 = time.perf_counter()
    ex = Extractor(settings)
    items = _inputs(args)
    missing = [p for p, _ in items if p != "-" and not Path(p).exists()]
    cross = CrossDocument()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    dup_out = open(args.duplicates, "w", encoding="utf-8") if args.duplicates else None
    n_docs = n_rec = n_dup = 0
    failures = []
    try:
        for path, doc in items:
            if path == "-":
                data = sys.stdin.buffer.read()
                try:
                    dec = decode(data, "<stdin>", args.encoding)
                    res = process_text(ex, dec.text, "-", "-", dec.encoding)
                except InputError as e:
                    res = DocResult(doc="-", path="-", status="failed", error=e.reason)
            else:
                res = process_file(ex, path, doc, args.encoding, args.max_bytes)
            res = cross.apply(res)
            n_docs += 1
            if res.status == "failed":
                failures.append(res)
                print(f"extractor: {res.path}: {res.error}", file=sys.stderr)
                continue
            for r in res.records:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
            n_rec += len(res.records)
            n_dup += len(res.removed)
            if dup_out:
                for d in res.removed:
                    dup_out.write(json.dumps(d, ensure_ascii=False) + "\n")
            if res.removed and not args.quiet:
                print(f"extractor: {res.doc}: removed {len(res.removed)} duplicate span(s)", file=sys.stderr)
    finally:
        if out is not sys.stdout:
            out.close()
        if dup_out:
            dup_out.close()
    secs = time.perf_counter() - t0
    print(f"extractor: {n_docs} documents, {n_rec} records, {n_dup} duplicate spans removed, "
          f"{len(failures)} failed, {secs:.1f} s", file=sys.stderr)
    for f in failures:
        print(f"  failed: {f.path}: {f.error}", file=sys.stderr)
    return 1 if failures or missing else 0
