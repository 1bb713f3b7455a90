"""The `extractor` command: batch, extract, segment, dedup, targets, report."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _settings(args):
    from .settings import Settings
    over = {}
    if getattr(args, "no_dedup", False):
        over["dedup"] = False
    if getattr(args, "year", None):
        over["year"] = args.year
    if getattr(args, "segmenter", None):
        over["segmenter"] = args.segmenter
    if getattr(args, "cross_document", None):
        over["cross_document"] = args.cross_document
    return Settings.make(**over)


def iter_inputs(inputs, pattern="*.txt"):
    """(path, doc id) for each file: folders walked recursively, ids relative to the folder."""
    for inp in inputs:
        p = Path(inp)
        if p.is_dir():
            for f in sorted(p.rglob(pattern), key=lambda x: x.relative_to(p).as_posix()):
                if f.is_file():
                    yield f, f.relative_to(p).as_posix()
        else:
            yield p, p.name


def _open_out(path):
    if path in (None, "-"):
        return sys.stdout
    return open(path, "w", encoding="utf-8")


def cmd_extract(args) -> int:
    from .pipeline import Extractor
    ex = Extractor(_settings(args))
    try:
        doc = ex.extract_file(args.file, encoding=args.encoding)
    except Exception as e:  # noqa: BLE001 - reported to the user
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_FAILED
    for r in doc.records:
        print(json.dumps(r.to_dict(extra=not args.spec_only), ensure_ascii=False))
    return EXIT_OK


def cmd_segment(args) -> int:
    from .pipeline import Extractor
    ex = Extractor(_settings(args))
    try:
        doc = ex.extract_file(args.file, encoding=args.encoding)
    except Exception as e:  # noqa: BLE001
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_FAILED
    for words in doc.tokens:
        print(" ".join(w for w in words if w.strip()))
    return EXIT_OK


def cmd_batch(args) -> int:
    from .batch import run_batch
    return run_batch(args, _settings(args))


def cmd_dedup(args) -> int:
    from .dedup_cli import run_dedup
    return run_dedup(args, _settings(args))


def cmd_targets(args) -> int:
    from .targets import run_targets
    return run_targets(args, _settings(args))


def cmd_report(args) -> int:
    from .report import run_report
    return run_report(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extractor", description="Structured records of the figures "
                                 "in Chinese government reports.")
    ap.add_argument("--version", action="version", version=_version())
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--encoding", help="decode input with this encoding instead of detecting it")
        p.add_argument("--no-dedup", action="store_true", help="keep duplicated passages")
        p.add_argument("--year", type=int, help="the report's year when the text does not give it")
        p.add_argument("--segmenter", choices=["auto", "jieba", "rjieba"])

    b = sub.add_parser("batch", help="extract every *.txt under folders into one output")
    b.add_argument("inputs", nargs="*", help="files or folders ('-' reads one document from stdin)")
    b.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    b.add_argument("--format", choices=["jsonl", "csv", "parquet", "sqlite"],
                   help="output format (default: from the output's extension, else jsonl)")
    b.add_argument("--glob", default="*.txt", help="file pattern inside folders (default *.txt)")
    b.add_argument("--files-from", help="read input paths from this file, one per line")
    b.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    b.add_argument("--engine", choices=["local", "dask"], default="local")
    b.add_argument("--scheduler", help="Dask scheduler address (default: start a LocalCluster)")
    b.add_argument("--resume", action="store_true", help="skip documents already in the output")
    b.add_argument("--duplicates", help="write removed duplicate spans to this JSONL file")
    b.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    b.add_argument("--cross-document", choices=["document", "paragraph"], default="document",
                   help="what counts as a repeat across documents")
    # issue 15 (robust): per-document time limit, CSV formula guard
    b.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="fail a document that takes longer (default 300; 0: no limit)")
    b.add_argument("--csv-raw", action="store_true",
                   help="CSV: write text cells as they are, without the leading ' that keeps "
                        "spreadsheets from running =, +, -, @ cells as formulas")
    common(b)
    b.set_defaults(func=cmd_batch)

    e = sub.add_parser("extract", help="print one file's records as JSON lines")
    e.add_argument("file")
    e.add_argument("--spec-only", action="store_true", help="only the SPEC fields")
    common(e)
    e.set_defaults(func=cmd_extract)

    s = sub.add_parser("segment", help="print the text segmented into words, a sentence per line")
    s.add_argument("file")
    common(s)
    s.set_defaults(func=cmd_segment)

    d = sub.add_parser("dedup", help="write de-duplicated text and summarise what was removed")
    d.add_argument("inputs", nargs="+")
    d.add_argument("-o", "--output", help="output file or folder (default: stdout for one file)")
    d.add_argument("--glob", default="*.txt")
    common(d)
    d.set_defaults(func=cmd_dedup)

    t = sub.add_parser("targets", help="print the targets table of files or folders")
    t.add_argument("inputs", nargs="+")
    t.add_argument("--json", action="store_true", help="JSON instead of a table")
    t.add_argument("--glob", default="*.txt")
    common(t)
    t.set_defaults(func=cmd_targets)

    r = sub.add_parser("report", help="write a self-contained HTML report")
    r.add_argument("inputs", nargs="+")
    r.add_argument("-o", "--output", required=True)
    r.add_argument("--glob", default="*.txt")
    common(r)
    r.set_defaults(func=cmd_report)
    return ap


def _version():
    from . import __version__
    return f"extractor {__version__}"


def main(argv=None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("extractor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
