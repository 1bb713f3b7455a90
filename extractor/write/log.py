"""The JSONL, CSV and Parquet writers: an append-only data log plus a state log.

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

import json
import os
import shutil
import time
from pathlib import Path

from ..values import value_text
from .encode import CSV_HEADER, RECORD_COLUMNS, Entry, doc_entry, jsonl_bytes, record_bytes

DONE = ("ok", "empty", "duplicate")      # statuses that --resume may skip
STATE_VERSION = 1
_FSYNC_EVERY = 2.0                        # seconds between fsyncs of the work files


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
