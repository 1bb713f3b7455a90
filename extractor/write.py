"""Output writers of `extractor batch`: JSON Lines, CSV, Parquet and SQLite.

Every writer is handed the documents of a run in run order (sorted by document):
``write(res, fingerprint)`` for a document processed in this run (any status,
failures included) and ``keep(doc)`` for a document whose earlier output is still
valid (``--resume``). ``finish()`` makes the output final; ``abort()`` leaves the
work files in place for a later ``--resume``.

Crash safety (Ctrl-C, kill -9, power loss):

* JSONL / CSV / Parquet write a data log ``OUT.part`` (the final format for JSONL
  and CSV, JSON Lines for Parquet) and a state log ``OUT.part.state`` (one JSON line
  per document: doc, content hash, fingerprint, status, error, record count,
  removed spans and the byte range of its records in the data log). A document's
  records are written and flushed *before* its state line, so the state never
  names data that is not there; on resume the data log is truncated back to the
  end of the last complete state line. ``finish()`` replaces ``OUT`` atomically
  (rename, or a compacted copy when the log is not already in run order) and keeps
  ``OUT.state`` beside it so that a later ``--resume`` can skip unchanged files.
* SQLite writes ``OUT.part`` (WAL journal), one transaction per document (its
  records, removed spans and ``documents`` row together), and renames it to
  ``OUT`` when done.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

from .errors import UsageError, safe_name
from .records import SPEC_FIELDS

FORMATS = ("jsonl", "csv", "parquet", "sqlite")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
              ".parquet": "parquet", ".pq": "parquet", ".sqlite": "sqlite",
              ".sqlite3": "sqlite", ".db": "sqlite"}
#: record columns of every format: the core fields, then change and basis (docs/records.md)
RECORD_COLUMNS = SPEC_FIELDS + ("change", "basis")
CSV_COLUMNS = RECORD_COLUMNS
DONE = ("ok", "empty", "duplicate")      # statuses that --resume may skip
STATE_VERSION = 1
_FSYNC_EVERY = 2.0                        # seconds between fsyncs of the work files


def format_for(output: str, fmt: str | None = None) -> str:
    """The output format: `fmt` if given, else from the file's extension, else jsonl.

    >>> format_for("out.db"), format_for("x.CSV"), format_for("-"), format_for("a.txt", "csv")
    ('sqlite', 'csv', 'jsonl', 'csv')
    """
    if fmt:
        return fmt
    return EXTENSIONS.get(Path(output).suffix.lower(), "jsonl")


def value_text(value) -> str:
    """The exact value as text (JSON number syntax; ints of any size stay exact).

    >>> value_text(10360000000000000000), value_text(11.1)
    ('10360000000000000000', '11.1')
    """
    return json.dumps(value)


def _line_encoder():
    """dict -> JSON text as json.dumps(ensure_ascii=False) writes it, with the C encoder made
    once (json.dumps makes one per call: half the time of a short record)."""
    enc = json.JSONEncoder(ensure_ascii=False)
    try:
        from json.encoder import c_make_encoder, encode_basestring
        c = c_make_encoder(None, enc.default, encode_basestring, None, ": ", ", ",
                           False, False, True)
        if "".join(c({"a": [1, 2.5, None, "é"]}, 0)) == enc.encode({"a": [1, 2.5, None, "é"]}):
            return lambda r: "".join(c(r, 0))
    except (ImportError, TypeError):  # pragma: no cover - no C accelerator
        pass
    return enc.encode


_ENCODE = _line_encoder()


def jsonl_bytes(records) -> bytes:
    """Records as JSON Lines; a lone surrogate becomes its JSON escape (\\udcff)."""
    enc = _ENCODE
    return "".join([enc(r) + "\n" for r in records]).encode("utf-8", "backslashreplace")


def record_bytes(res, fmt: str, guard: bool = True) -> bytes:
    """The document's records as the data log holds them: CSV rows for csv, JSON Lines
    otherwise; the bytes a worker encoded already (`res.data`) when it did."""
    data = getattr(res, "data", None)
    if data is not None:
        return data
    return csv_bytes(res.records, guard=guard) if fmt == "csv" else jsonl_bytes(res.records)


def n_records(res) -> int:
    """How many records a result holds (a list, or a count when a worker encoded them)."""
    return res.records if isinstance(res.records, int) else len(res.records)


_FORMULA = tuple("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)[%‰]?")   # -3.5%, -0.99‰: no formula


def csv_cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (OWASP CSV injection): one
    starting with = + - @ tab or CR gets a leading apostrophe, unless it is a plain number.

    >>> csv_cell("=1+1的投资"), csv_cell("-3.5%"), csv_cell("-0.99‰"), csv_cell("@SUM(A1)")
    ("'=1+1的投资", '-3.5%', '-0.99‰', "'@SUM(A1)")
    """
    if text.startswith(_FORMULA) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# columns of free text (from the document or its file name); dimension, bound and role
# hold a fixed vocabulary (bound `=` is no formula), start, end and value are numbers
CSV_TEXT = ("doc", "text", "unit", "metric", "period")


def csv_bytes(records, header=False, guard=True) -> bytes:
    """Records as CSV rows; text cells guarded against formulas (csv_cell) unless `guard`
    is False; `value` is a number and written exactly."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        w.writerow(CSV_COLUMNS)
    guarded = CSV_TEXT if guard else ()
    for r in records:
        w.writerow([value_text(r["value"]) if k == "value"
                    else "" if r.get(k) is None
                    else csv_cell(r[k]) if k in guarded else r[k]
                    for k in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8", "backslashreplace")


CSV_HEADER = b"\xef\xbb\xbf" + csv_bytes([], header=True)   # BOM: Excel reads UTF-8


class Entry:
    """What a writer remembers of one document (small: the main process keeps one per file)."""

    __slots__ = ("hash", "fp", "status", "key", "records", "removed", "chars", "off", "soff",
                 "repeats")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

    def __getitem__(self, k):
        return getattr(self, k)

    def get(self, k, default=None):
        v = getattr(self, k, None)
        return default if v is None else v


def doc_entry(res, fingerprint: str) -> dict:
    """The state of one document (a state line, or a `documents` row); path and error
    safe_name()d so that any file name can be written."""
    return {"doc": res.doc, "path": safe_name(res.path), "hash": res.content_hash,
            "fp": fingerprint, "encoding": res.encoding, "chars": res.chars,
            "status": res.status, "error": None if res.error is None else safe_name(res.error),
            "key": res.key, "records": n_records(res), "removed": res.removed,
            "repeats": getattr(res, "repeats", None),
            "paras": [list(k) for k in getattr(res, "para_keys", ())],
            "para_chars": getattr(res, "para_chars", 0)}


def open_writer(fmt: str, output: str, resume: bool = False, csv_guard: bool = True):
    """The writer for `fmt` writing `output` ('-' is stdout, JSONL or CSV only); CSV text
    cells are guarded against formulas unless `csv_guard` is False."""
    if output == "-":
        if fmt not in ("jsonl", "csv"):
            raise UsageError(f"{fmt} output needs a file name, not stdout")
        if resume:
            raise UsageError("--resume needs an output file, not stdout")
        return StreamWriter(fmt, csv_guard)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError("Parquet output needs pyarrow: pip install 'zhgov-extractor[parquet]'") from None
    if fmt == "sqlite":
        return SqliteWriter(output, resume)
    return LogWriter(output, fmt, resume, csv_guard)


class StreamWriter:
    """Records straight to stdout (no resume)."""

    done: dict = {}

    def __init__(self, fmt, csv_guard=True):
        self.fmt, self.guard = fmt, csv_guard
        self.out = sys.stdout.buffer
        self._removed = []
        if fmt == "csv":
            self.out.write(CSV_HEADER)

    def write(self, res, fingerprint):
        if res.records:
            self.out.write(record_bytes(res, self.fmt, self.guard))
            self.out.flush()
        self._removed.extend(res.removed)

    def keep(self, doc):  # pragma: no cover - never resumed
        raise AssertionError("stdout output cannot resume")

    def finish(self):
        self.out.flush()

    abort = finish

    def iter_removed(self):
        return iter(self._removed)


def _remove(*paths):
    for p in paths:
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


def _fsync(f):
    f.flush()
    try:
        os.fsync(f.fileno())
    except OSError:
        pass


class LogWriter:
    """JSONL, CSV and Parquet: an append-only data log plus a state log (see module doc)."""

    def __init__(self, output: str, fmt: str, resume: bool = False, csv_guard: bool = True):
        self.out, self.fmt, self.guard = str(output), fmt, csv_guard
        self.part, self.state_path = self.out + ".part", self.out + ".state"
        self.part_state = self.part + ".state"
        self.done: dict = {}           # doc -> latest entry (without its removed spans)
        self._old: list = []           # docs of the state lines found on resume, in order
        self._pos = 0                  # how many of them this run has confirmed in order
        self._in_order = True
        self._order: list = []         # this run's documents, in order
        self._synced = time.monotonic()
        self.notes: list = []          # what resume found, for the summary
        Path(self.out).parent.mkdir(parents=True, exist_ok=True)
        if resume:
            self._recover()
        else:
            _remove(self.part, self.part_state)
            self._fresh()

    # -- opening ------------------------------------------------------------------
    def _header(self) -> bytes:
        return CSV_HEADER if self.fmt == "csv" else b""

    def _state_header(self) -> str:
        head = {"state": STATE_VERSION, "format": self.fmt}
        if self.fmt == "csv":
            head["guard"] = self.guard
        return json.dumps(head) + "\n"

    def _fresh(self):
        with open(self.part, "wb") as f:
            f.write(self._header())
        with open(self.part_state, "w", encoding="utf-8") as f:
            f.write(self._state_header())
        self._open()

    def _open(self):
        self.data = open(self.part, "ab")
        self.state = open(self.part_state, "ab")
        self.data_pos = self.data.seek(0, os.SEEK_END)
        self.state_pos = self.state.seek(0, os.SEEK_END)

    def _recover(self):
        """Continue from an interrupted run (OUT.part*) or a finished one (OUT, OUT.state)."""
        part, pstate = os.path.exists(self.part), os.path.exists(self.part_state)
        if part and not pstate:          # compaction finished, cleanup did not
            _remove(self.part)
            part = False
        if not part:
            src = self.part_state if pstate else self.state_path
            if not (os.path.exists(self.out) and os.path.exists(src)):
                return self._fresh()
            try:
                if self.fmt == "parquet":
                    self._log_from_parquet(src)
                else:
                    shutil.copyfile(self.out, self.part)
                    if src != self.part_state:
                        shutil.copyfile(src, self.part_state)
            except Exception as e:  # noqa: BLE001 - an unreadable old output is rebuilt
                self.notes.append(f"cannot resume from {self.out} ({e}); rebuilding")
                _remove(self.part, self.part_state)
                return self._fresh()
        if not self._load_state():
            self.notes.append(f"{self.part_state} does not match {self.fmt}; rebuilding")
            _remove(self.part, self.part_state)
            return self._fresh()
        self._open()

    def _load_state(self) -> bool:
        """Read the state log, drop a torn tail, truncate both logs to agree."""
        size = os.path.getsize(self.part)
        end_data = len(self._header())
        good = 0
        with open(self.part_state, "rb") as f:
            first = f.readline()
            try:
                head = json.loads(first)
            except ValueError:
                return False
            if not first.endswith(b"\n") or head.get("format") != self.fmt \
                    or head.get("state") != STATE_VERSION \
                    or (self.fmt == "csv" and head.get("guard") != self.guard):
                return False
            good = len(first)
            while True:
                line = f.readline()
                if not line.endswith(b"\n"):
                    break
                try:
                    e = json.loads(line)
                    s, t = e.pop("off")
                except (ValueError, KeyError, TypeError):
                    break
                if s != end_data or t < s or t > size:
                    break
                self.done[e["doc"]] = Entry(
                    hash=e.get("hash"), fp=e.get("fp"), status=e.get("status"), key=e.get("key"),
                    records=e.get("records"), removed=len(e.get("removed") or ()),
                    chars=e.get("chars"), off=(s, t), soff=good, repeats=e.get("repeats"))
                self._old.append(e["doc"])
                end_data, good = t, good + len(line)
        if size < len(self._header()):
            return False
        with open(self.part_state, "r+b") as f:
            f.truncate(good)
        with open(self.part, "r+b") as f:
            f.truncate(end_data)
        return True

    def _log_from_parquet(self, src_state):
        """Rebuild the JSONL log of a finished Parquet output (state offsets recomputed)."""
        import pyarrow.parquet as pq
        entries = []
        with open(src_state, "rb") as f:
            head = f.readline()
            for line in f:
                if line.endswith(b"\n"):
                    entries.append(json.loads(line))
        by_doc: dict = {}
        pf = pq.ParquetFile(self.out)
        with open(self.part, "wb") as data:
            data.write(self._header())
            pos = 0
            for batch in pf.iter_batches(batch_size=65536):
                for row in batch.to_pylist():
                    rec = {k: row.get(k) for k in RECORD_COLUMNS}
                    rec["value"] = json.loads(row["value_text"])
                    b = jsonl_bytes([rec])
                    span = by_doc.setdefault(row["doc"], [pos, pos])
                    data.write(b)
                    pos += len(b)
                    span[1] = pos
        with open(self.part_state, "wb") as st:
            st.write(head)
            pos = 0
            for e in entries:
                s, t = by_doc.get(e["doc"], (pos, pos))
                if s != pos:
                    raise ValueError("records out of document order")
                e["off"], pos = [s, t], t
                st.write((json.dumps(e, ensure_ascii=False) + "\n").encode("utf-8"))

    # -- writing --------------------------------------------------------------------
    def write(self, res, fingerprint: str):
        entry = doc_entry(res, fingerprint)
        start = self.data_pos
        if res.records:
            b = record_bytes(res, self.fmt, self.guard)
            self.data.write(b)
            self.data_pos += len(b)
        self.data.flush()                 # records reach the file before their done mark
        entry["off"] = [start, self.data_pos]
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        self.state.write(line)
        self.state.flush()
        self.done[res.doc] = Entry(off=(start, self.data_pos), soff=self.state_pos)
        self.state_pos += len(line)
        if self._pos != len(self._old):
            self._in_order = False
        self._order.append(res.doc)
        if time.monotonic() - self._synced > _FSYNC_EVERY:
            self._sync()

    def para_keys(self, doc: str) -> tuple:
        """(long paragraph keys, paragraph characters) of a document in the state log
        (read back for the near-copy check of a document --resume skips)."""
        soff = self.done[doc]["soff"]
        if soff is None:
            return [], 0
        if getattr(self, "_reader", None) is None:
            self._reader = open(self.part_state, "rb")
        self._reader.seek(soff)
        e = json.loads(self._reader.readline())
        return [tuple(k) for k in e.get("paras") or ()], e.get("para_chars") or 0

    def keep(self, doc: str):
        if self._in_order and self._pos < len(self._old) and self._old[self._pos] == doc:
            self._pos += 1
        else:
            self._in_order = False
        self._order.append(doc)

    def _sync(self):
        _fsync(self.data)
        _fsync(self.state)
        self._synced = time.monotonic()

    def abort(self):
        self._close_reader()
        for f in (self.data, self.state):
            try:
                _fsync(f)
                f.close()
            except (OSError, ValueError):
                pass

    # -- finishing ------------------------------------------------------------------
    def _close_reader(self):
        if getattr(self, "_reader", None) is not None:
            self._reader.close()
            self._reader = None

    def finish(self):
        self._close_reader()
        self._sync()
        self.data.close()
        self.state.close()
        in_order = self._in_order and self._pos == len(self._old)
        if in_order and self.fmt != "parquet":
            os.replace(self.part, self.out)            # part.state still names it (see _recover)
            os.replace(self.part_state, self.state_path)
            self._final_state = self.state_path
            return
        tmp, stmp = self.out + ".tmp", self.state_path + ".tmp"
        self._compact(tmp, stmp)
        os.replace(tmp, self.out)
        os.replace(stmp, self.state_path)
        _remove(self.part_state)
        _remove(self.part)
        self._final_state = self.state_path

    def _compact(self, tmp, stmp):
        """Write the latest entry of each document of this run, in run order."""
        pw = None
        if self.fmt == "parquet":
            pw = _ParquetSink(tmp)
        with open(self.part, "rb") as data, open(self.part_state, "rb") as state, \
                open(stmp, "wb") as st:
            out = None if pw else open(tmp, "wb")
            try:
                st.write(self._state_header().encode())
                pos = len(self._header())
                if out:
                    out.write(self._header())
                for doc in self._order:
                    e = self.done[doc]
                    s, t = e["off"]
                    data.seek(s)
                    chunk = data.read(t - s)
                    if pw:
                        pw.add(chunk)
                    else:
                        out.write(chunk)
                    state.seek(e["soff"])
                    full = json.loads(state.readline())
                    full["off"] = [pos, pos + (t - s)]
                    pos += t - s
                    st.write((json.dumps(full, ensure_ascii=False) + "\n").encode("utf-8"))
                if out:
                    _fsync(out)
                _fsync(st)
            finally:
                if out:
                    out.close()
                if pw:
                    pw.close()

    def iter_removed(self):
        """Removed duplicate spans of the final output, in document order."""
        with open(self._final_state, "rb") as f:
            f.readline()
            for line in f:
                yield from json.loads(line).get("removed") or ()


class _ParquetSink:
    """JSON Lines record bytes in, Parquet row groups out."""

    def __init__(self, path, rows_per_group=65536):
        import pyarrow as pa
        import pyarrow.parquet as pq
        self.pa = pa
        s, i, f = pa.string(), pa.int64(), pa.float64()
        self.schema = pa.schema([("doc", s), ("start", i), ("end", i), ("text", s),
                                 ("value", f), ("value_text", s), ("unit", s),
                                 ("dimension", s), ("bound", s), ("role", s),
                                 ("metric", s), ("period", s), ("change", s), ("basis", s)])
        self.writer = pq.ParquetWriter(path, self.schema)
        self.rows: list = []
        self.size = rows_per_group

    def add(self, chunk: bytes):
        for line in chunk.splitlines():
            r = json.loads(line)
            r["value_text"] = value_text(r["value"])
            r["value"] = float(r["value"])
            r.setdefault("change", None)
            r.setdefault("basis", None)
            self.rows.append(r)
        if len(self.rows) >= self.size:
            self._flush()

    def _flush(self):
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self):
        self._flush()
        self.writer.close()


SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc TEXT PRIMARY KEY,      -- document id (docs/records.md: path relative to the input folder)
    seq INTEGER,               -- position in the run (document order)
    path TEXT,                 -- the file read
    content_hash TEXT,         -- BLAKE2b of the file's bytes
    fingerprint TEXT,          -- extractor version and settings that produced the rows
    encoding TEXT,
    characters INTEGER,
    status TEXT,               -- ok | empty | duplicate | failed
    error TEXT,                -- why it failed
    records INTEGER,
    duplicates INTEGER,        -- removed duplicate spans
    text_key TEXT,             -- hash of the normalized text (cross-document repeats)
    run TEXT,
    repeats TEXT,              -- status duplicate: the earlier document it repeats
    para_keys TEXT,            -- JSON [[key, length], …] of its long paragraphs (near copies)
    para_chars INTEGER         -- characters in all its paragraphs
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    start INTEGER, "end" INTEGER, text TEXT,
    value REAL,                -- as a double (values can exceed 64-bit integers)
    value_text TEXT,           -- the exact value
    unit TEXT, dimension TEXT, bound TEXT, role TEXT, metric TEXT, period TEXT,
    change TEXT,               -- increase | decrease | NULL (docs/records.md)
    basis TEXT                 -- 同比 | 环比 | 比上年 | NULL
);
CREATE TABLE IF NOT EXISTS duplicates (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    start INTEGER, "end" INTEGER, reason TEXT,
    repeats TEXT               -- JSON: [start, end] in the same document, or the earlier doc id
);
CREATE INDEX IF NOT EXISTS records_doc ON records(doc);
CREATE INDEX IF NOT EXISTS records_metric ON records(metric);
CREATE INDEX IF NOT EXISTS duplicates_doc ON duplicates(doc);
CREATE INDEX IF NOT EXISTS documents_status ON documents(status);
"""


#: columns added after the first release, by table: an output written before them (resumed) gets them
_LATER_COLUMNS = {"records": (("change", "TEXT"), ("basis", "TEXT")),
                  "documents": (("repeats", "TEXT"), ("para_keys", "TEXT"), ("para_chars", "INTEGER"))}


def _add_missing_columns(db):
    """A database written before some columns existed (resumed) gets them."""
    for table, cols in _LATER_COLUMNS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for col, kind in cols:
            if col not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {col} {kind}")


class SqliteWriter:
    """SQLite: tables documents, records, duplicates; one transaction per document."""

    fmt = "sqlite"

    def __init__(self, output: str, resume: bool = False):
        import sqlite3
        import uuid
        self.out, self.part = str(output), str(output) + ".part"
        self.run = uuid.uuid4().hex
        self.notes: list = []
        self.seq = 0
        Path(self.out).parent.mkdir(parents=True, exist_ok=True)
        if not resume:
            _remove(self.part, self.part + "-wal", self.part + "-shm", self.part + "-journal")
        elif not os.path.exists(self.part) and os.path.exists(self.out):
            src = sqlite3.connect(self.out)
            dst = sqlite3.connect(self.part)
            src.backup(dst)
            src.close()
            dst.close()
        self.db = sqlite3.connect(self.part, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SQLITE_SCHEMA)
        _add_missing_columns(self.db)
        self.done = {}
        if resume:
            for row in self.db.execute("SELECT doc, content_hash, fingerprint, status, text_key, "
                                       "records, duplicates, characters, repeats FROM documents"):
                doc, h, fp, st, key, n, nd, chars, rep = row
                self.done[doc] = Entry(hash=h, fp=fp, status=st, key=key, records=n,
                                       removed=nd, chars=chars, repeats=rep)
        self._pending = 0

    def write(self, res, fingerprint: str):
        e = doc_entry(res, fingerprint)
        db = self.db
        if self._pending == 0:
            db.execute("BEGIN")
        db.execute("DELETE FROM records WHERE doc = ?", (res.doc,))
        db.execute("DELETE FROM duplicates WHERE doc = ?", (res.doc,))
        db.executemany(
            'INSERT INTO records (doc, start, "end", text, value, value_text, unit, dimension, '
            "bound, role, metric, period, change, basis) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(r["doc"], r["start"], r["end"], r["text"], float(r["value"]), value_text(r["value"]),
              r["unit"], r["dimension"], r["bound"], r["role"], r["metric"], r["period"],
              r.get("change"), r.get("basis"))
             for r in res.records])
        db.executemany('INSERT INTO duplicates (doc, start, "end", reason, repeats) '
                       "VALUES (?,?,?,?,?)",
                       [(d["doc"], d["start"], d["end"], d["reason"],
                         json.dumps(d["repeats"], ensure_ascii=False)) for d in res.removed])
        db.execute("INSERT OR REPLACE INTO documents (doc, seq, path, content_hash, fingerprint, "
                   "encoding, characters, status, error, records, duplicates, text_key, run, "
                   "repeats, para_keys, para_chars) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (res.doc, self.seq, e["path"], e["hash"], fingerprint, e["encoding"],
                    e["chars"], e["status"], e["error"], e["records"], len(res.removed),
                    e["key"], self.run, e["repeats"], json.dumps(e["paras"]), e["para_chars"]))
        db.execute("COMMIT")              # the document's rows and its done mark, together
        self._pending = 0
        self.seq += 1

    def para_keys(self, doc: str) -> tuple:
        """(long paragraph keys, paragraph characters) of a document already in the output."""
        row = self.db.execute("SELECT para_keys, para_chars FROM documents WHERE doc = ?",
                              (doc,)).fetchone()
        if not row or not row[0]:
            return [], 0
        return [tuple(k) for k in json.loads(row[0])], row[1] or 0

    def keep(self, doc: str):
        if self._pending == 0:
            self.db.execute("BEGIN")
        self.db.execute("UPDATE documents SET seq = ?, run = ? WHERE doc = ?",
                        (self.seq, self.run, doc))
        self._pending += 1
        self.seq += 1
        if self._pending >= 1000:
            self.db.execute("COMMIT")
            self._pending = 0

    def abort(self):
        try:
            if self._pending:
                self.db.execute("COMMIT")
            self.db.close()
        except Exception:  # noqa: BLE001 - leave the part file for --resume
            pass

    def finish(self):
        db = self.db
        if self._pending == 0:
            db.execute("BEGIN")
        # documents no longer among the inputs (a resumed run over a changed folder)
        db.execute("DELETE FROM records WHERE doc IN (SELECT doc FROM documents WHERE run != ?)",
                   (self.run,))
        db.execute("DELETE FROM duplicates WHERE doc IN "
                   "(SELECT doc FROM documents WHERE run != ?)", (self.run,))
        db.execute("DELETE FROM documents WHERE run != ?", (self.run,))
        db.execute("COMMIT")
        self._pending = 0
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
        db.close()
        os.replace(self.part, self.out)
        _remove(self.part + "-wal", self.part + "-shm")

    def iter_removed(self):
        import sqlite3
        db = sqlite3.connect(self.out)
        try:
            for doc, s, t, reason, rep in db.execute(
                    'SELECT d.doc, d.start, d."end", d.reason, d.repeats FROM duplicates d '
                    "JOIN documents USING (doc) ORDER BY documents.seq, d.start"):
                yield {"doc": doc, "start": s, "end": t, "reason": reason, "repeats": json.loads(rep)}
        finally:
            db.close()
