"""`extractor dedup`: write de-duplicated text and summarise what was removed."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from .dedup import DedupIndex
from .errors import InputError


def run_dedup(args, settings) -> int:
    from .inputs import collect_inputs, extract_input
    from .pipeline import Extractor
    ex = Extractor(settings)
    items = collect_inputs(args.inputs, args.glob)
    out_dir = None
    if args.output and (len(items) > 1 or Path(args.output).is_dir()):
        out_dir = Path(args.output)
        out_dir.mkdir(parents=True, exist_ok=True)
    index = DedupIndex(level=settings.cross_document)
    failed = 0
    for path, doc_id in items:
        try:
            doc = extract_input(ex, path, doc_id, args, index)
        except InputError as e:
            print(f"extractor: {e}", file=sys.stderr)
            failed += 1
            continue
        kept = doc.kept_text
        if out_dir is not None:
            target = out_dir / doc_id
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(kept, encoding="utf-8")
        elif args.output and args.output != "-":
            Path(args.output).write_text(kept, encoding="utf-8")
        else:
            sys.stdout.write(kept)
            if kept and not kept.endswith("\n"):
                sys.stdout.write("\n")
        reasons = Counter(r.reason for r in doc.removed)
        chars = sum(r.end - r.start for r in doc.removed)
        detail = ", ".join(f"{n} {k}" for k, n in sorted(reasons.items())) or "nothing"
        print(f"{doc_id}: removed {len(doc.removed)} span(s), {chars} of {len(doc.text)} characters ({detail})",
              file=sys.stderr)
        for r in doc.removed:
            rep = f"{r.repeats[0]}-{r.repeats[1]}" if isinstance(r.repeats, tuple) else r.repeats
            print(f"  {r.start}-{r.end} {r.reason}, repeats {rep}: {doc.text[r.start:r.start + 30]!r}…",
                  file=sys.stderr)
    return 1 if failed else 0
