"""The commands: extract, segment, batch, dedup, targets, panel, report.

Every user error is one line on stderr, `extractor: …`, and exit code 2 (usage: bad
options, an output that cannot be written, a folder where a file is needed) or 1 (a
document failed, or no input matched); checked before any work starts where it can be.
`-` is stdin for every input and stdout for every output.
"""
from __future__ import annotations

import codecs
import json
import sys
import tempfile
from pathlib import Path

from ..errors import (EXIT_FAILED, EXIT_OK, LexiconError, NoInput, SettingsError, UnwritableOutput,
                      UsageError)
from ..lexicon import load as load_lexicon
from ..settings import Settings
from .inputs import STDIO, extract_each, iter_inputs


def _settings(args) -> Settings:
    """The Settings of the command line's pipeline options; a bad one is a UsageError."""
    over = {}
    if getattr(args, "no_dedup", False):
        over["dedup"] = False
    if getattr(args, "year", None) is not None:
        over["year"] = args.year
    for name in ("segmenter", "cross_document", "lexicon"):
        if getattr(args, name, None):
            over[name] = getattr(args, name)
    enc = getattr(args, "encoding", None)
    if enc:
        try:
            codecs.lookup(enc)
        except LookupError:
            raise UsageError(f"--encoding: unknown encoding {enc!r}") from None
    try:
        settings = Settings.make(**over)
        if settings.lexicon:                 # load it now: a bad file stops before any work
            load_lexicon(settings.lexicon)
    except (SettingsError, LexiconError) as e:
        raise UsageError(str(e)) from None
    return settings


def check_output(path, what: str = "output") -> None:
    """Refuse, before any work, an output whose folder is missing or not writable."""
    if path in (None, STDIO):
        return
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{what} {path} is a folder; give a file name")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.exists():
        raise UsageError(f"{what} folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{what} folder {folder} is not a folder")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise UnwritableOutput(f"cannot write {what} {path}: folder {folder} is not writable "
                               f"({e.strerror or e})") from None


def check_batch_format(output, fmt) -> None:
    """An output named as another format needs --format (out.xlsx, out.json); a name with no
    known extension (records, a mktemp name) is JSON Lines, the default."""
    from ..write import AMBIGUOUS, OTHER_FORMATS
    if fmt or output == STDIO:
        return
    suffix = Path(output).suffix.lower()
    if suffix in AMBIGUOUS or suffix in OTHER_FORMATS:
        raise UsageError(f"cannot tell the output format from {output!r}: use .jsonl, .csv, "
                         f".parquet or .sqlite, or give --format")


def _one_document(args):
    """The Document of the FILE argument of extract and segment (a file or `-`, not a
    folder), or None when it failed (reported)."""
    if args.file != STDIO and Path(args.file).is_dir():
        raise UsageError(f"{args.file} is a folder; use `extractor batch {args.file} -o OUT` "
                         f"for folders")
    from ..pipeline import Extractor          # loaded only by the commands that extract
    ex = Extractor(_settings(args))
    [(_, _, doc)] = extract_each(ex, iter_inputs([args.file]), args)
    return doc


def document_line(doc) -> dict:
    """What `extract --document` prints first: the document's kind, metadata, title, date,
    year and section tree (sections in original offsets, as Document.sections)."""
    st = doc.structure
    sections = [{"start": s.start, "end": s.end, "level": s.level, "heading": s.heading,
                 "years": list(s.years), "mode": s.mode, "parent": s.parent} for s in doc.sections]
    return {"doc": doc.doc, "document": {
        "kind": doc.kind, "meta": doc.meta, "title": st.title if st else None,
        "date": st.date if st else None, "year": doc.year, "sections": sections}}


def cmd_extract(args) -> int:
    doc = _one_document(args)
    if doc is None:
        return EXIT_FAILED
    if args.document:
        print(json.dumps(document_line(doc), ensure_ascii=False))
    for r in doc.records:
        print(json.dumps(r.to_dict(extra=not args.spec_only), ensure_ascii=False))
    return EXIT_OK


def cmd_segment(args) -> int:
    doc = _one_document(args)
    if doc is None:
        return EXIT_FAILED
    for words in doc.tokens:
        print(" ".join(w for w in words if w.strip()))
    return EXIT_OK


def cmd_batch(args) -> int:
    from .batch import run_batch
    settings = _settings(args)
    check_batch_format(args.output, args.format)
    check_output(args.output)
    if args.duplicates:
        if args.duplicates == STDIO and args.output == STDIO:
            raise UsageError("--duplicates and -o cannot both be stdout ('-')")
        check_output(args.duplicates, "--duplicates")
    empty = [inp for inp in args.inputs if inp != STDIO and Path(inp).is_dir()
             and next(iter_inputs([inp], args.glob), None) is None]
    for inp in empty:
        print(f"extractor: warning: no files matching {args.glob!r} in {inp}", file=sys.stderr)
    if args.inputs and len(empty) == len(args.inputs) and not args.files_from:
        raise NoInput("no input documents")
    return run_batch(args, settings)


def cmd_dedup(args) -> int:
    from .dedup import run_dedup
    settings = _settings(args)
    if args.output and len(args.inputs) == 1 and not Path(args.inputs[0]).is_dir():
        check_output(args.output)
    return run_dedup(args, settings)


def cmd_targets(args) -> int:
    from .targets import run_targets
    return run_targets(args, _settings(args))


def cmd_panel(args) -> int:
    from .panel import run_panel
    return run_panel(args, _settings(args))


def cmd_report(args) -> int:
    from .report import run_report
    settings = _settings(args)
    check_output(args.output)
    return run_report(args, settings)
