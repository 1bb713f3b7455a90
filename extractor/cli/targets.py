"""`extractor targets`: the targets table of files or folders."""
from __future__ import annotations

import json
import sys
import unicodedata

from ..errors import EXIT_FAILED, EXIT_OK
from ..pipeline import Extractor
from ..values import bounded, json_number
from .inputs import collect_inputs, extract_each


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def table(rows, headers) -> str:
    """A plain-text table whose columns line up with CJK text (double-width characters)."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(_pad(c, w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _ordered(doc):
    """(period, record) pairs of a Document's targets, periods sorted, None last."""
    for period in sorted(doc.targets, key=lambda p: (p is None, p or "")):
        for r in doc.targets[period]:
            yield period, r


def target_rows(doc) -> list[dict]:
    """The targets of a Document as JSON-ready dicts, grouped by period."""
    return [{"doc": r.doc, "period": period, "metric": r.metric, "value": json_number(r.value),
             "unit": r.unit, "bound": r.bound, "dimension": r.dimension, "text": r.text,
             "start": r.start, "end": r.end} for period, r in _ordered(doc)]


def run_targets(args, settings) -> int:
    """A table of targets per document (or one JSON array with --json)."""
    ex = Extractor(settings)
    failed = 0
    all_rows = []
    for _, doc_id, doc in extract_each(ex, collect_inputs(args.inputs, args.glob), args):
        if doc is None:
            failed += 1
            continue
        rows = target_rows(doc)
        all_rows += rows
        if not args.json:
            print(f"# {doc_id}: {len(rows)} targets")
            if rows:
                print(table([[p or "-", r.metric or "-", bounded(r.value, r.bound), r.unit or "", r.text]
                             for p, r in _ordered(doc)], ["period", "metric", "value", "unit", "text"]))
            print()
    if args.json:
        json.dump(all_rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return EXIT_FAILED if failed else EXIT_OK
