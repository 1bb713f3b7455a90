"""The `extractor` command: batch, extract, segment, dedup, targets, report.

Every user error is one line on stderr, `extractor: …`, and exit code 2 (usage: bad
options, an output that cannot be written, a folder where a file is needed) or 1 (a
document failed, or no input matched); checked before any work starts where it can be.
`-` is stdin for every input and stdout for every output.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# iter_inputs, collect_inputs, natural_key: re-exported for callers of the former cli helpers
from .inputs import STDIO, NoInput, collect_inputs, extract_input, iter_inputs, natural_key  # noqa: F401

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad option or argument: one line on stderr, exit 2."""

    exit_code = EXIT_USAGE


class UnwritableOutput(UsageError):
    """The output's folder cannot be written: one line on stderr, exit 3 (as batch's
    OutputError: the output cannot be created)."""

    exit_code = 3


def _settings(args):
    from .errors import LexiconError, SettingsError
    from .settings import Settings
    over = {}
    if getattr(args, "no_dedup", False):
        over["dedup"] = False
    if getattr(args, "year", None) is not None:
        over["year"] = args.year
    if getattr(args, "segmenter", None):
        over["segmenter"] = args.segmenter
    if getattr(args, "cross_document", None):
        over["cross_document"] = args.cross_document
    if getattr(args, "lexicon", None):
        over["lexicon"] = args.lexicon
    enc = getattr(args, "encoding", None)
    if enc:
        import codecs
        try:
            codecs.lookup(enc)
        except LookupError:
            raise UsageError(f"--encoding: unknown encoding {enc!r}") from None
    try:
        settings = Settings.make(**over)
        if settings.lexicon:                 # load it now: a bad file stops before any work
            from .lexicon import load
            load(settings.lexicon)
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
        import tempfile
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise UnwritableOutput(f"cannot write {what} {path}: folder {folder} is not writable "
                               f"({e.strerror or e})") from None


def check_batch_format(output, fmt) -> None:
    """An output whose extension says no format needs --format (out.xlsx, out.json)."""
    from .write import EXTENSIONS
    if fmt or output == STDIO:
        return
    suffix = Path(output).suffix.lower()
    if suffix not in EXTENSIONS or suffix == ".json":
        raise UsageError(f"cannot tell the output format from {output!r}: use .jsonl, .csv, "
                         f".parquet or .sqlite, or give --format")


def _one_file(args) -> str:
    """The FILE argument of extract and segment: a file or `-`, not a folder."""
    if args.file != STDIO and Path(args.file).is_dir():
        raise UsageError(f"{args.file} is a folder; use `extractor batch {args.file} -o OUT` "
                         f"for folders")
    return args.file


def _why(e, args) -> str:
    """An input error, with the option that would get past it."""
    from .errors import DecodeError
    if isinstance(e, DecodeError) and getattr(args, "errors", "strict") == "strict" \
            and not getattr(args, "encoding", None):
        return f"{e} (--errors replace keeps it)"
    return str(e)


def _doc_id(path) -> str:
    return STDIO if str(path) == STDIO else Path(path).name


def cmd_extract(args) -> int:
    from .errors import InputError
    from .pipeline import Extractor
    ex = Extractor(_settings(args))
    path = _one_file(args)
    try:
        doc = extract_input(ex, path, _doc_id(path), args)
    except InputError as e:
        print(f"extractor: {_why(e, args)}", file=sys.stderr)
        return EXIT_FAILED
    for r in doc.records:
        print(json.dumps(r.to_dict(extra=not args.spec_only), ensure_ascii=False))
    return EXIT_OK


def cmd_segment(args) -> int:
    from .errors import InputError
    from .pipeline import Extractor
    ex = Extractor(_settings(args))
    path = _one_file(args)
    try:
        doc = extract_input(ex, path, _doc_id(path), args)
    except InputError as e:
        print(f"extractor: {_why(e, args)}", file=sys.stderr)
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
             and not any(f.is_file() for f in Path(inp).rglob(args.glob))]
    for inp in empty:
        print(f"extractor: warning: no files matching {args.glob!r} in {inp}", file=sys.stderr)
    if args.inputs and len(empty) == len(args.inputs) and not args.files_from:
        raise NoInput("no input documents")
    return run_batch(args, settings)


def cmd_dedup(args) -> int:
    from .dedup_cli import run_dedup
    settings = _settings(args)
    if args.output and len(args.inputs) == 1 and not Path(args.inputs[0]).is_dir():
        check_output(args.output)
    return run_dedup(args, settings)


def cmd_targets(args) -> int:
    from .targets import run_targets
    return run_targets(args, _settings(args))


def cmd_panel(args) -> int:
    from .panel_cli import run_panel
    return run_panel(args, _settings(args))


def cmd_report(args) -> int:
    from .report import run_report
    settings = _settings(args)
    check_output(args.output)
    return run_report(args, settings)


# ---- the parser ----------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """Usage errors in one line: `extractor batch: the following arguments are required: -o`."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; option help wrapped."""

    def __init__(self, prog):
        super().__init__(prog, max_help_position=30, width=min(100, _columns()))

    def _split_lines(self, text, width):
        import textwrap
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _columns() -> int:
    try:
        cols = os.get_terminal_size().columns
    except OSError:
        return 100
    return cols if cols >= 40 else 100   # 0 on a pseudo-terminal without a size


def _examples(*lines) -> str:
    return "examples:\n" + "\n".join(f"  {ln}" for ln in lines)


def _year(text: str) -> int:
    try:
        y = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1900 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"{y} is not a year between 1900 and 2100")
    return y


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _common(p, reading=True):
    g = p.add_argument_group("pipeline options")
    if reading:
        g.add_argument("--encoding", metavar="ENC",
                       help="decode the input with ENC (gb18030, big5, utf-16…) instead of "
                            "detecting it")
        g.add_argument("--errors", choices=["strict", "replace"], default="strict",
                       help="undecodable bytes: 'strict' fails the file (default), 'replace' "
                            "keeps it with U+FFFD in their place and reports how many")
    g.add_argument("--no-dedup", action="store_true",
                   help="keep duplicated paragraphs and passages (default: removed first)")
    g.add_argument("--year", type=_year, metavar="YYYY",
                   help="the report's year, when the text does not say it (1900–2100)")
    g.add_argument("--segmenter", choices=["auto", "jieba", "rjieba"],
                   help="word segmenter for the context: 'auto' (rjieba when installed, the "
                        "default), 'jieba' or 'rjieba'; the records are the same")
    g.add_argument("--lexicon", metavar="YAML",
                   help="your own language data merged over the packaged data: units, "
                        "classifiers, cues, vetoes (see README, 'Your own words')")


def _sub(sub, name, summary, description, examples):
    import textwrap
    width = min(100, _columns()) - 2
    body = "\n".join(textwrap.fill(" ".join(line.split()), width, break_on_hyphens=False)
                     for line in description.split("\n"))
    return sub.add_parser(name, help=summary, description=f"{summary}\n\n{body}",
                          epilog=_examples(*examples), formatter_class=_Formatter)


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="extractor", formatter_class=_Formatter,
        description="Structured records of the figures in Chinese government reports: value, "
                    "unit, metric, period, role\n(result or target), direction. Record fields: "
                    "docs/records.md.",
        epilog=_examples("extractor batch reports/ -o records.csv",
                         "extractor extract report.txt | head",
                         "extractor report reports/ -o report.html",
                         "extractor COMMAND --help     # the options of one command"))
    ap.add_argument("-V", "--version", action="version", version=_version(),
                    help="print the version and exit")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = _sub(sub, "batch", "Extract every document of files and folders into one output file.",
             "Folders are walked recursively (--glob). One bad file never stops the run: it is "
             "reported and the run goes on.\nThe output format follows the extension: .jsonl, "
             ".csv (UTF-8 with BOM, for Excel), .parquet, .sqlite.\nExit 0: all documents "
             "succeeded; 1: some failed or no input matched; 2: usage error.",
             ["extractor batch corpus -o records.jsonl",
              "extractor batch reports/ -o records.sqlite --workers 4 --resume",
              "cat report.txt | extractor batch - -o - --format csv"])
    b.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files or folders; '-' reads one document from stdin")
    b.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file ('-' for stdout: JSON Lines or CSV)")
    b.add_argument("--format", choices=["jsonl", "csv", "parquet", "sqlite"],
                   help="output format (default: from OUT's extension)")
    b.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to take inside folders (default: '*.txt')")
    b.add_argument("--files-from", metavar="LIST",
                   help="read input paths from LIST, one per line ('-': stdin); blank lines "
                        "and lines starting with # are skipped")
    b.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="worker processes (default: one per core)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="'local' processes (default) or a Dask cluster (pip install "
                        "'zhgov-extractor[dask]')")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://host:8786 (default with --engine "
                        "dask: a local cluster)")
    b.add_argument("--resume", action="store_true",
                   help="skip documents already in OUT with the same content and settings "
                        "(after Ctrl-C or a crash)")
    b.add_argument("--duplicates", metavar="FILE",
                   help="also write every removed duplicate span to FILE (JSON Lines; '-': stdout)")
    b.add_argument("--max-bytes", type=_positive, default=None, metavar="N",
                   help="refuse files larger than N bytes (default: 64 MiB)")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    b.add_argument("--cross-document", choices=["document", "paragraph"], default="document",
                   help="what counts as a repeat across documents: a whole 'document' "
                        "(default) or single 'paragraph's")
    b.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="fail a document that takes longer (default 300; 0: no limit)")
    b.add_argument("--csv-raw", action="store_true",
                   help="CSV: write text cells as they are, without the leading ' that keeps "
                        "spreadsheets from running =, +, -, @ cells as formulas")
    _common(b)
    b.set_defaults(func=cmd_batch)

    e = _sub(sub, "extract", "Print the records of one document as JSON Lines.",
             "Each line is one record with every field of docs/records.md (core fields, then "
             "sentence, rule, change, basis).",
             ["extractor extract corpus/seed-report.txt",
              "extractor extract - --spec-only < report.txt"])
    e.add_argument("file", metavar="FILE", help="a text file, or '-' for stdin")
    e.add_argument("--spec-only", action="store_true",
                   help="only the core fields (doc … period), as in the gold files")
    _common(e)
    e.set_defaults(func=cmd_extract)

    s = _sub(sub, "segment", "Print the text cut into words, one sentence per line.",
             "Words are jieba's, re-split at the edges of every figure (4个|委属|单位); "
             "duplicated passages are left out.",
             ["extractor segment corpus/seed-report.txt",
              "echo '粮食产量达到1.2万吨' | extractor segment -"])
    s.add_argument("file", metavar="FILE", help="a text file, or '-' for stdin")
    _common(s)
    s.set_defaults(func=cmd_segment)

    d = _sub(sub, "dedup", "Write the text without its duplicated passages; summarise what "
                           "was removed.",
             "The kept text goes to stdout (one input) or to OUT; with several inputs OUT is a "
             "folder.\nThe summary (what was removed, why, what it repeats) goes to stderr.",
             ["extractor dedup corpus/seed-report.txt > kept.txt",
              "extractor dedup reports/ -o kept/"])
    d.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders; '-' reads stdin")
    d.add_argument("-o", "--output", metavar="OUT",
                   help="output file, or folder for several inputs (default: stdout)")
    d.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to take inside folders (default: '*.txt')")
    _common(d)
    d.set_defaults(func=cmd_dedup)

    t = _sub(sub, "targets", "Print the target figures (goals, plans) of documents, by year.",
             "A table per document: period, metric, value, unit and the figure as written.",
             ["extractor targets corpus/seed-report.txt",
              "extractor targets reports/ --json > targets.json"])
    t.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders; '-' reads stdin")
    t.add_argument("--json", action="store_true", help="one JSON array instead of tables")
    t.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to take inside folders (default: '*.txt')")
    _common(t)
    t.set_defaults(func=cmd_targets)

    pn = _sub(sub, "panel", "The indicator panel: per region, indicator and year, the target, "
                            "the result and whether the target was met.",
              "One extraction pass over the documents (as batch), then the headline indicators "
              "of each (GDP, budget revenue, CPI, jobs… see README, 'Panel') are joined across "
              "documents: a target set in one year's report meets the result reported in the "
              "next.\nThe output format follows the extension: .csv (default), .jsonl, "
              ".parquet, .sqlite.\nExit 0: all documents succeeded; 1: some failed; 2: usage "
              "error.",
              ["extractor panel reports/ -o panel.csv",
               "extractor panel reports/ -o panel.sqlite --facts facts.jsonl"])
    pn.add_argument("inputs", nargs="*", metavar="INPUT",
                    help="files or folders; '-' reads one document from stdin")
    pn.add_argument("-o", "--output", required=True, metavar="OUT",
                    help="panel file: .csv, .jsonl, .parquet or .sqlite ('-': CSV on stdout)")
    pn.add_argument("--format", choices=["csv", "jsonl", "parquet", "sqlite"],
                    help="output format (default: from OUT's extension, else csv)")
    pn.add_argument("--facts", metavar="FILE",
                    help="also write each document's metadata and panel facts to FILE (JSON "
                         "Lines, the format tools/score_panel.py reads)")
    pn.add_argument("--glob", default="*.txt", metavar="PATTERN",
                    help="which files to take inside folders (default: '*.txt')")
    pn.add_argument("--files-from", metavar="LIST",
                    help="read input paths from LIST, one per line; blank and # lines skipped")
    pn.add_argument("--workers", type=_positive, default=None, metavar="N",
                    help="worker processes (default: one per core)")
    pn.add_argument("--max-bytes", type=_positive, default=None, metavar="N",
                    help="refuse files larger than N bytes (default: 64 MiB)")
    pn.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    _common(pn)
    pn.set_defaults(func=cmd_panel, engine="local", scheduler=None, cross_document="document")

    r = _sub(sub, "report", "Write an HTML report: the text with every figure marked, tables, "
                            "charts.",
             "One self-contained file (no network). For a folder: an index (natural order), "
             "charts of the main metrics over the years, and each document; beyond "
             "--pages-from documents, one page per document in OUT_pages/.",
             ["extractor report corpus/seed-report.txt -o seed.html",
              "extractor report corpus/dev -o dev.html"])
    r.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files or folders; '-' reads stdin")
    r.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the HTML file to write ('-' for stdout)")
    r.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to take inside folders (default: '*.txt')")
    r.add_argument("--pages-from", type=_positive, default=200, metavar="N",
                   help="from N documents on, write one page per document beside OUT "
                        "instead of one file (default: 200)")
    r.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    _common(r)
    r.set_defaults(func=cmd_report)
    return ap


def _version():
    from ._version import __version__
    return f"extractor {__version__}"


def main(argv=None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
    try:
        return args.func(args)
    except UsageError as e:
        print(f"extractor: {e}", file=sys.stderr)
        return e.exit_code
    except NoInput as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("extractor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
