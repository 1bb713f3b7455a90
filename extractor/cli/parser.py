"""The `extractor` command's argument parser: one function per subcommand."""
from __future__ import annotations

import argparse
import os

from ..errors import EXIT_USAGE
from ..panel import PANEL_FORMATS
from ..write import FORMATS
from . import commands


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


def _seconds(text: str) -> float:
    try:
        t = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not t >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more, not {text}")
    return t


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

    _add_batch(sub)
    _add_extract(sub)
    _add_segment(sub)
    _add_dedup(sub)
    _add_targets(sub)
    _add_panel(sub)
    _add_report(sub)
    return ap


def _add_batch(sub):
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
    b.add_argument("--format", choices=FORMATS,
                   help="output format (default: from OUT's extension)")
    _run_options(b)
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
    b.add_argument("--cross-document", choices=["document", "paragraph"], default="document",
                   help="what counts as a repeat across documents: a whole 'document' "
                        "(default) or single 'paragraph's")
    b.add_argument("--csv-raw", action="store_true",
                   help="CSV: write text cells as they are, without the leading ' that keeps "
                        "spreadsheets from running =, +, -, @ cells as formulas")
    _common(b)
    b.set_defaults(func=commands.cmd_batch)


def _run_options(p):
    """The options of a run over many documents (batch, panel): which files, how many
    workers, the limits per document, the progress bar."""
    p.add_argument("--glob", default="*.txt", metavar="PATTERN",
                   help="which files to take inside folders (default: '*.txt')")
    p.add_argument("--files-from", metavar="LIST",
                   help="read input paths from LIST, one per line ('-': stdin); blank lines "
                        "and lines starting with # are skipped")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="worker processes (default: one per core)")
    p.add_argument("--max-bytes", type=_positive, default=None, metavar="N",
                   help="refuse files larger than N bytes (default: 64 MiB)")
    p.add_argument("--timeout", type=_seconds, default=300.0, metavar="SECONDS",
                   help="fail a document that takes longer (default 300; 0: no limit)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def _add_extract(sub):
    e = _sub(sub, "extract", "Print the records of one document as JSON Lines.",
             "Each line is one record with every field of docs/records.md (core fields, then "
             "sentence, rule, change, basis, why: the rules that decided role, period and "
             "metric). --document prints first one line with the document's kind, metadata "
             "and section tree.",
             ["extractor extract corpus/seed-report.txt",
              "extractor extract --document corpus/genre/003.txt | head -1",
              "extractor extract - --spec-only < report.txt"])
    e.add_argument("file", metavar="FILE", help="a text file, or '-' for stdin")
    e.add_argument("--spec-only", action="store_true",
                   help="only the core fields (doc … period), as in the gold files")
    e.add_argument("--document", action="store_true",
                   help="first print one line {\"doc\", \"document\": {kind, meta, title, date, "
                        "year, sections}}: what the document is and its section tree")
    _common(e)
    e.set_defaults(func=commands.cmd_extract)


def _add_segment(sub):
    s = _sub(sub, "segment", "Print the text cut into words, one sentence per line.",
             "Words are jieba's, re-split at the edges of every figure (4个|委属|单位); "
             "duplicated passages are left out.",
             ["extractor segment corpus/seed-report.txt",
              "echo '粮食产量达到1.2万吨' | extractor segment -"])
    s.add_argument("file", metavar="FILE", help="a text file, or '-' for stdin")
    _common(s)
    s.set_defaults(func=commands.cmd_segment)


def _add_dedup(sub):
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
    d.set_defaults(func=commands.cmd_dedup)


def _add_targets(sub):
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
    t.set_defaults(func=commands.cmd_targets)


def _add_panel(sub):
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
    pn.add_argument("--format", choices=PANEL_FORMATS,
                    help="output format (default: from OUT's extension, else csv)")
    pn.add_argument("--facts", metavar="FILE",
                    help="also write each document's metadata and panel facts to FILE (JSON "
                         "Lines, the format tools/score_panel.py reads)")
    _run_options(pn)
    _common(pn)
    pn.set_defaults(func=commands.cmd_panel, engine="local", scheduler=None, cross_document="document")


def _add_report(sub):
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
    r.set_defaults(func=commands.cmd_report)


def _version():
    from .._version import __version__
    return f"extractor {__version__}"
