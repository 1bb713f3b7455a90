"""How records become bytes: JSON Lines, CSV rows (guarded against spreadsheet formulas),
and the state entry of one document."""
from __future__ import annotations

import csv
import io
import json
import re

from ..errors import safe_name
from ..records import SPEC_FIELDS
from ..values import value_text

#: record columns of every format: the core fields, then change and basis (docs/records.md)
RECORD_COLUMNS = SPEC_FIELDS + ("change", "basis")
CSV_COLUMNS = RECORD_COLUMNS


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
