"""The indicator panel (PANEL.md §5): facts of many documents → one row per
(region, indicator, measure, period) with the target set for that period, the result
reported for it, `met` and `gap`.

>>> import extractor
>>> a = extractor.extract("——2016年2月19日在海拉尔区第十四届人民代表大会第五次会议上\\n"
...     "一、2016年工作安排\\n主要预期目标是：地区生产总值增长7.5%。", doc="2016.txt")
>>> b = extractor.extract("——2017年2月11日在海拉尔区第十四届人民代表大会第六次会议上\\n"
...     "一、2016年工作回顾\\n2016年，地区生产总值同比增长7.2%。", doc="2017.txt")
>>> [(r["region"], r["indicator"], r["period"], r["target"], r["actual"], r["met"])
...  for r in extractor.panel([a, b]).rows]
[('海拉尔区', 'gdp', '2016', 7.5, 7.2, False)]
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Optional

from .values import json_number
from .values import to_decimal as _num

KEY = ("region", "level", "indicator", "measure", "period")
COLUMNS = KEY + ("target", "target_bound", "target_unit", "target_doc", "target_text",
                 "actual", "actual_unit", "actual_doc", "actual_text", "met", "gap")
_CEILING_BOUNDS = ("<=", "<")


def document_payload(document) -> dict:
    """{meta, facts} of one extracted Document: what a batch worker sends back."""
    return {"meta": document.meta, "facts": [f.to_dict() for f in document.facts]}


def met_of(target: Decimal, bound: str, actual: Decimal, direction: str = "up") -> bool:
    """Whether `actual` meets `target` (PANEL.md §5): a floor (=, >=, >, ~) is met by
    actual ≥ target, a ceiling (<=, <) by actual ≤ target; an indicator where less is
    better (direction down) reads = and ~ as a ceiling.

    >>> met_of(Decimal("7.5"), "=", Decimal("7.2")), met_of(Decimal("4"), "<=", Decimal("3.9"))
    (False, True)
    >>> met_of(Decimal("3"), "~", Decimal("2.1"), "down")
    True
    """
    if bound in _CEILING_BOUNDS or (direction == "down" and bound in ("=", "~")):
        return actual <= target
    return actual >= target


@dataclass
class Panel:
    """Rows of the panel, as plain dicts in COLUMNS order; `to_frame()` for pandas."""

    rows: list = field(default_factory=list)

    def to_frame(self):
        """The rows as a pandas DataFrame (pandas is optional: ImportError without it)."""
        import pandas as pd
        return pd.DataFrame(self.rows, columns=list(COLUMNS))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)


def _order(meta: dict, doc: str) -> tuple:
    """Documents sort by their date, then id: the latest one that states a key wins."""
    return (meta.get("date") or "", doc)


def join(payloads: Iterable) -> Panel:
    """Rows from (doc, {meta, facts}) pairs (facts as dicts, see Fact.to_dict)."""
    from .indicators import catalog
    directions = {i.id: i.direction for i in catalog().indicators.values()}
    cells: dict = {}
    for doc, p in payloads:
        meta = p["meta"]
        for f in p["facts"]:
            if f.get("period") is None:
                continue
            key = (meta.get("region"), meta.get("level"), f["indicator"], f["measure"], f["period"])
            slot = cells.setdefault(key, {})
            order = _order(meta, doc)
            old = slot.get(f["role"])
            if old is None or order >= old[0]:
                slot[f["role"]] = (order, doc, f)
    rows = [_row(key, slot, directions.get(key[2], "up")) for key, slot in cells.items()]
    rows.sort(key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in KEY))
    return Panel(rows)


def _row(key, slot, direction) -> dict:
    row = dict(zip(KEY, key))
    t, a = slot.get("target"), slot.get("actual")
    row.update(target=None, target_bound=None, target_unit=None, target_doc=None, target_text=None,
               actual=None, actual_unit=None, actual_doc=None, actual_text=None, met=None, gap=None)
    if t:
        f = t[2]
        row.update(target=json_number(_num(f["value"])), target_bound=f.get("bound"),
                   target_unit=f.get("unit"), target_doc=t[1], target_text=f.get("text"))
    if a:
        f = a[2]
        row.update(actual=json_number(_num(f["value"])), actual_unit=f.get("unit"),
                   actual_doc=a[1], actual_text=f.get("text"))
    if t and a and row["target_unit"] == row["actual_unit"]:
        tv, av = _num(t[2]["value"]), _num(a[2]["value"])
        row["met"] = met_of(tv, row["target_bound"] or "=", av, direction)
        row["gap"] = json_number(av - tv)
    return row


def panel(documents: Iterable) -> Panel:
    """The panel of extracted Documents (see the module docstring)."""
    return join((d.doc, document_payload(d)) for d in documents)


def panel_frame(documents: Iterable):
    """panel(documents) as a pandas DataFrame (needs pandas)."""
    return panel(documents).to_frame()


# -- writing ---------------------------------------------------------------------------

def _cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def write_rows(rows: list, path: str, fmt: str) -> None:
    """Write panel rows as csv, jsonl, parquet or sqlite (atomically: a temporary file
    renamed over `path`; '-' writes csv or jsonl to stdout)."""
    import sys
    if path == "-":
        if fmt not in ("csv", "jsonl"):
            raise ValueError(f"{fmt} cannot be written to stdout")
        sys.stdout.write(_text(rows, fmt))
        return
    if fmt not in PANEL_WRITERS:
        raise ValueError(f"unknown format {fmt}")
    tmp = f"{path}.part"
    try:
        PANEL_WRITERS[fmt](rows, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _text_file(fmt):
    def write(rows, path):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(_text(rows, fmt))
    return write


def _text(rows, fmt) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_cell(r[c]) for c in COLUMNS])
    return buf.getvalue()


def _parquet(rows, path):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ValueError("Parquet output needs pyarrow: pip install pyarrow") from None
    types = {"target": pa.float64(), "actual": pa.float64(), "gap": pa.float64(), "met": pa.bool_()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
    cols = {c: [None if r[c] is None else (float(r[c]) if c in ("target", "actual", "gap") else r[c])
                for r in rows] for c in COLUMNS}
    pq.write_table(pa.table(cols, schema=schema), path)


def _sqlite(rows, path):
    import sqlite3
    con = sqlite3.connect(path)
    try:
        types = {"target": "REAL", "actual": "REAL", "gap": "REAL", "met": "INTEGER"}
        con.execute("CREATE TABLE panel (" + ", ".join(f"{c} {types.get(c, 'TEXT')}" for c in COLUMNS) + ")")
        con.executemany(f"INSERT INTO panel VALUES ({', '.join('?' * len(COLUMNS))})",
                        [tuple(r[c] for c in COLUMNS) for r in rows])
        con.commit()
    finally:
        con.close()


def facts_lines(payloads: Iterable) -> Iterable[str]:
    """JSON Lines of the per-document facts with their meta lines (tools/score_panel.py)."""
    for doc, p in payloads:
        yield json.dumps({"doc": doc, "meta": p["meta"]}, ensure_ascii=False) + "\n"
        for f in p["facts"]:
            yield json.dumps(f, ensure_ascii=False) + "\n"


#: the panel's output formats: name -> function(rows, path); extensions as write.EXTENSIONS
PANEL_WRITERS = {"csv": _text_file("csv"), "jsonl": _text_file("jsonl"), "parquet": _parquet,
                 "sqlite": _sqlite}
PANEL_FORMATS = tuple(PANEL_WRITERS)
