"""`extractor panel INPUT... -o panel.csv`: the indicator panel of many documents.

One extraction pass through the batch machinery (extractor/cli/batch.py: same workers,
same cross-document duplicate rule); each worker also turns its Document into its
metadata and panel facts (panel.document_payload), and the main process joins them.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, WorkerError
from ..panel import document_payload, facts_lines, join, write_rows
from ..write import EXTENSIONS, STREAMABLE
from .cross import CrossDocument
from .engines import _cores, _engine
from .inputs import batch_inputs
from .progress import _Progress
from .worker import Job


def panel_format(output: str, fmt: str | None) -> str:
    """The output format: --format, else from the extension, else csv."""
    fmt = fmt or EXTENSIONS.get(Path(output).suffix.lower(), "csv")
    if output == "-" and fmt not in STREAMABLE:
        raise UsageError(f"{fmt} output needs a file, not stdout")
    return fmt


def _tasks(items):
    """(path, doc, data, None) per document; a second file under an id already used fails."""
    tasks, failed, ids = [], [], {}
    for path, doc, data in items:
        if doc in ids:
            if path != "-" and Path(ids[doc]).resolve() == Path(path).resolve():
                continue
            failed.append((path, f"document id {doc!r} already used by {ids[doc]}"))
            continue
        ids[doc] = path
        tasks.append((path, doc, data, None))
    return tasks, failed


def _kept_facts(res) -> dict:
    """The payload of a document without the facts inside cross-document repeats."""
    p = res.extra
    cut = [(r["start"], r["end"]) for r in res.removed if r.get("reason") == "cross-document"]
    if not cut:
        return p
    facts = [f for f in p["facts"] if not any(s <= f["start"] < e for s, e in cut)]
    return {"meta": p["meta"], "facts": facts}


def run_panel(args, settings) -> int:
    """Run the panel command; returns the exit code (0 ok, 1 some failed, 2 usage)."""
    t0 = time.perf_counter()
    try:
        workers = _cores() if args.workers is None else args.workers
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        fmt = panel_format(args.output, args.format)
        items = batch_inputs(args)
    except UsageError as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_USAGE
    tasks, failures = _tasks(items)
    job = Job(settings, args.encoding, args.max_bytes or settings.max_bytes, post=document_payload,
              errors=getattr(args, "errors", "strict"), timeout=getattr(args, "timeout", 0) or None)
    cross, payloads, n_docs = CrossDocument(), [], 0
    progress = _Progress(len(tasks), args.quiet)
    engine = None
    try:
        engine = _engine(args, job, workers)
        for res in engine.map(tasks):
            n_docs += 1
            res = cross.apply(res)
            if res.status == "failed":
                failures.append((res.path, res.error))
                progress.write(f"extractor: {res.path}: {res.error}")
            elif res.status == "ok" and res.extra is not None:
                payloads.append((res.doc, _kept_facts(res)))
            progress.update(res.chars or 0, len(payloads))
    except WorkerError as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
        if engine is not None:
            engine.close()
    rows = join(payloads).rows
    try:
        write_rows(rows, args.output, fmt)
        if args.facts:
            tmp = args.facts + ".part"
            with open(tmp, "w", encoding="utf-8") as f:
                f.writelines(facts_lines(payloads))
            os.replace(tmp, args.facts)
    except (OSError, ValueError) as e:
        print(f"extractor: cannot write the panel: {e}", file=sys.stderr)
        return EXIT_FAILED
    n_facts = sum(len(p["facts"]) for _, p in payloads)
    both = sum(1 for r in rows if r["met"] is not None)
    met = sum(1 for r in rows if r["met"])
    secs = time.perf_counter() - t0
    print(f"extractor: {n_docs} documents, {n_facts} facts, {len(rows)} panel rows "
          f"({both} with target and result, {met} met), {len(failures)} failed, {secs:.1f} s",
          file=sys.stderr)
    for path, err in failures[:20]:
        print(f"  failed: {path}: {err}", file=sys.stderr)
    return EXIT_FAILED if failures else EXIT_OK
