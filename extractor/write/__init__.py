"""Output writers of `extractor batch`: one `Writer` per format, in the registry `WRITERS`.

Every writer is handed the documents of a run in run order (sorted by document):
``write(res, fingerprint)`` for a document processed in this run (any status, failures
included) and ``keep(doc)`` for a document whose earlier output is still valid
(``--resume``). ``finish()`` makes the output final; ``abort()`` leaves the work files in
place for a later ``--resume``. Crash safety: log.py (JSONL, CSV, Parquet), sqlite.py.

A new output format is one entry in `WRITERS`: its factory and its file extensions; the
command's ``--format`` choices and the extension mapping come from there.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Protocol

from ..errors import UsageError
from .encode import (CSV_COLUMNS, CSV_HEADER, CSV_TEXT, RECORD_COLUMNS, Entry,  # noqa: F401
                     csv_bytes, csv_cell, doc_entry, jsonl_bytes, n_records, record_bytes)
from .log import DONE, STATE_VERSION, LogWriter  # noqa: F401
from .sqlite import SqliteWriter
from .stream import StreamWriter

#: formats that can be written to stdout (`-o -`)
STREAMABLE = ("jsonl", "csv")


class Writer(Protocol):
    """What the batch run needs of an output."""

    done: dict        # doc -> Entry of what OUT already holds (--resume)

    def write(self, res, fingerprint: str) -> None: ...
    def keep(self, doc: str) -> None: ...
    def finish(self) -> None: ...
    def abort(self) -> None: ...
    def iter_removed(self) -> Iterator[dict]: ...


class Format(NamedTuple):
    """A registered output format: `factory(output, resume, csv_guard)` and its extensions."""

    factory: Callable[..., Writer]
    extensions: tuple


def _parquet(output, resume=False, csv_guard=True) -> Writer:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError("Parquet output needs pyarrow: pip install 'zhgov-extractor[parquet]'") from None
    return LogWriter(output, "parquet", resume, csv_guard)


WRITERS = {
    "jsonl": Format(lambda out, resume=False, guard=True: LogWriter(out, "jsonl", resume, guard),
                    (".jsonl", ".ndjson", ".json")),
    "csv": Format(lambda out, resume=False, guard=True: LogWriter(out, "csv", resume, guard),
                  (".csv",)),
    "parquet": Format(_parquet, (".parquet", ".pq")),
    "sqlite": Format(lambda out, resume=False, guard=True: SqliteWriter(out, resume),
                     (".sqlite", ".sqlite3", ".db")),
}
FORMATS = tuple(WRITERS)
EXTENSIONS = {ext: name for name, f in WRITERS.items() for ext in f.extensions}
#: extensions that name a format only when --format confirms it (.json is not JSON Lines)
AMBIGUOUS = (".json",)
#: extensions of formats we do not write: an output named so needs --format (out.xlsx would
#: otherwise be JSON Lines under a spreadsheet's name); any other name (a temporary file,
#: `records`) is JSON Lines, the default
OTHER_FORMATS = (".xlsx", ".xls", ".xlsm", ".ods", ".tsv", ".txt", ".xml", ".html", ".htm",
                 ".feather", ".arrow", ".pkl", ".pickle", ".h5", ".hdf5", ".dta", ".sav", ".zip", ".gz")


def format_for(output: str, fmt: str | None = None) -> str:
    """The output format: `fmt` if given, else from the file's extension, else jsonl.

    >>> format_for("out.db"), format_for("x.CSV"), format_for("-"), format_for("a.txt", "csv")
    ('sqlite', 'csv', 'jsonl', 'csv')
    """
    if fmt:
        return fmt
    return EXTENSIONS.get(Path(output).suffix.lower(), "jsonl")


def open_writer(fmt: str, output: str, resume: bool = False, csv_guard: bool = True) -> Writer:
    """The writer for `fmt` writing `output` ('-' is stdout, JSONL or CSV only); CSV text
    cells are guarded against formulas unless `csv_guard` is False."""
    if output == "-":
        if fmt not in STREAMABLE:
            raise UsageError(f"{fmt} output needs a file name, not stdout")
        if resume:
            raise UsageError("--resume needs an output file, not stdout")
        return StreamWriter(fmt, csv_guard)
    return WRITERS[fmt].factory(output, resume, csv_guard)
