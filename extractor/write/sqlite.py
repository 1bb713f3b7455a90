"""The SQLite writer: OUT.part in WAL mode, one transaction per document, renamed to OUT
when done."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..values import value_text
from .encode import Entry, doc_entry
from .log import _remove

#: documents written per commit of the SQLite output
COMMIT_EVERY = 1000


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
        if self._pending >= COMMIT_EVERY:
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
