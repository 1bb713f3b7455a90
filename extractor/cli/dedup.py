"""`extractor dedup`: write de-duplicated text and summarise what was removed."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..dedup import DedupIndex
from ..errors import EXIT_FAILED, EXIT_OK
from ..pipeline import Extractor
from .inputs import collect_inputs, extract_each


def run_dedup(args, settings) -> int:
    """Write each input's kept text; the summary of what was removed goes to stderr."""
    ex = Extractor(settings)
    items = collect_inputs(args.inputs, args.glob)
    out_dir = None
    if args.output and (len(items) > 1 or Path(args.output).is_dir()):
        out_dir = Path(args.output)
        out_dir.mkdir(parents=True, exist_ok=True)
    index = DedupIndex(level=settings.cross_document)
    failed = 0
    for _, doc_id, doc in extract_each(ex, items, args, index):
        if doc is None:
            failed += 1
            continue
        _write_kept(doc.kept_text, doc_id, args.output, out_dir)
        _summary(doc, doc_id)
    return EXIT_FAILED if failed else EXIT_OK


def _write_kept(kept: str, doc_id: str, output, out_dir) -> None:
    """The kept text into OUT_DIR/doc_id, OUT or stdout."""
    if out_dir is not None:
        target = out_dir / doc_id
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(kept, encoding="utf-8")
    elif output and output != "-":
        Path(output).write_text(kept, encoding="utf-8")
    else:
        sys.stdout.write(kept)
        if kept and not kept.endswith("\n"):
            sys.stdout.write("\n")


def _summary(doc, doc_id: str) -> None:
    """What was removed from `doc`, why and what it repeats (stderr)."""
    reasons = Counter(r.reason for r in doc.removed)
    chars = sum(r.end - r.start for r in doc.removed)
    detail = ", ".join(f"{n} {k}" for k, n in sorted(reasons.items())) or "nothing"
    print(f"{doc_id}: removed {len(doc.removed)} span(s), {chars} of {len(doc.text)} characters ({detail})",
          file=sys.stderr)
    for r in doc.removed:
        rep = f"{r.repeats[0]}-{r.repeats[1]}" if isinstance(r.repeats, tuple) else r.repeats
        print(f"  {r.start}-{r.end} {r.reason}, repeats {rep}: {doc.text[r.start:r.start + 30]!r}…",
              file=sys.stderr)
