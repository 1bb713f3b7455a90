"""Indicator tables flattened one cell per line (copied out of a PDF or Word file).

A header row of column headings (序号 / 指标名称 / 单位 / 属性 / 2030年目标, one per line: a
name column, a figure column and one of 序号, 单位, 属性) is followed by rows of as many cells,
one per line (blank lines between them do not count). `rows(text)` finds them: for each row the
span and text of its 指标名称 cell, its 单位 cell, and its figure cells (the columns whose
heading names a year or a target). The finder reads one mention per figure cell with the unit
of the 单位 cell; `row_name_at` gives the 指标名称 of the row a figure stands in (the metric).
The column headings are data (data/tables.yaml).

>>> t = "序号\\n指标名称\\n单位\\n属性\\n2030年目标\\n1\\n常住人口城镇化率\\n%\\n预期性\\n≥58\\n"
>>> [(r.name, r.unit, [t[s:e] for s, e in r.figures]) for r in rows(t)]
[('常住人口城镇化率', '%', ['≥58'])]
>>> row_name_at(t, t.index("58"))
'常住人口城镇化率'
>>> figure_cells(t) == [(t.index("≥58"), t.index("≥58") + 3, '常住人口城镇化率', '2030年目标')]
True
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import datafile
from .errors import LexiconError

_LINE = re.compile(r"[^\n]+")
_MAX_HEADING = 12   # characters of a figure column's heading, at most
_MAX_UNIT = 10      # characters of a 单位 cell, at most
_MAX_COLUMNS = 16   # columns of a header row, at most


@dataclass(frozen=True)
class Row:
    """One row of a flattened table (offsets into the text given to `rows`)."""

    start: int
    end: int
    name: str | None        # the 指标名称 cell
    name_span: tuple        # its (start, end)
    unit: str | None        # the 单位 cell (None: the table has no 单位 column)
    figures: tuple          # (start, end) of each figure cell
    headings: tuple = ()    # the column heading of each figure cell (2025年, 2030年目标)


@dataclass(frozen=True)
class _Words:
    """The words of data/tables.yaml: column headings by kind, figure heading words, signs."""
    number: frozenset
    name: frozenset
    unit: frozenset
    attribute: frozenset
    heading_words: tuple
    signs: dict
    actual_headings: tuple = ()   # heading_roles: a figure column of results
    target_headings: tuple = ()   # … of targets


@functools.lru_cache(maxsize=1)
def words() -> _Words:
    """The column headings and cell signs of data/tables.yaml (loaded once, validated)."""
    try:
        data = datafile.load("tables")
        cols = data["columns"]
        out = _Words(frozenset(cols["number"]), frozenset(cols["name"]), frozenset(cols["unit"]),
                     frozenset(cols["attribute"]), tuple(data["figure_heading_words"]),
                     dict(data["signs"]), tuple(data["heading_roles"]["actual"]),
                     tuple(data["heading_roles"]["target"]))
    except (KeyError, TypeError) as e:
        raise LexiconError(f"data/tables.yaml: {e}") from None
    if not out.name or not out.unit:
        raise LexiconError("data/tables.yaml: name and unit columns must be listed")
    return out


def may_hold_table(text: str) -> bool:
    """A cheap test: does a 序号 or 单位 column heading stand alone on a line?"""
    w = words()
    return any(f"\n{h}\n" in text for h in w.unit | w.number)


def rows(text: str) -> list:
    """The rows of every flattened indicator table in `text`, in order."""
    if not may_hold_table(text):
        return []
    w = words()
    lines = [(m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
             for m in _LINE.finditer(text)]
    lines = [(s, t) for s, t in lines if t]
    out: list = []
    i = 0
    while i < len(lines):
        t = lines[i][1]
        if t in w.number or t in w.name:
            cols = _header(lines, i, w)
            if cols is not None:
                heads = [t for (_, t), kind in zip(lines[i:i + len(cols)], cols) if kind == "figure"]
                found, i = _rows(lines, i + len(cols), cols, w, heads)
                out += found
                continue
        i += 1
    return out


def figure_cells(text: str) -> list:
    """(start, end, 指标名称, column heading) of every figure cell of every table, in text
    order: one pass, for looking up many figures by offset (bisect on the starts)."""
    return [(s, e, r.name, h) for r in rows(text) for (s, e), h in zip(r.figures, r.headings)]


def row_name_at(text: str, pos: int) -> str | None:
    """The 指标名称 of the table row whose figure cell holds offset `pos`, or None (reads the
    tables of `text` on each call: use figure_cells for many figures)."""
    for s, e, name, _ in figure_cells(text):
        if s <= pos < e:
            return name
    return None


def _kind(cell: str, w: _Words) -> str | None:
    """The kind of a header cell (number, name, unit, attribute, figure) or None."""
    for kind in ("number", "name", "unit", "attribute"):
        if cell in getattr(w, kind):
            return kind
    if len(cell) <= _MAX_HEADING and not cell.isdigit() and any(x in cell for x in w.heading_words):
        return "figure"
    return None


def _header(lines: list, i: int, w: _Words) -> list | None:
    """The column kinds of a header row starting at line i, or None."""
    cols: list = []
    for j in range(i, min(i + _MAX_COLUMNS, len(lines))):
        kind = _kind(lines[j][1], w)
        if kind is None or kind != "figure" and kind in cols:
            break
        cols.append(kind)
    if "name" in cols and "figure" in cols and ("unit" in cols or "number" in cols or "attribute" in cols):
        return cols
    return None


def _rows(lines: list, i: int, cols: list, w: _Words, heads: list) -> tuple:
    """Rows from line i while they keep the header's shape; the rows and the next line."""
    k = len(cols)
    num = cols.index("number") if "number" in cols else None
    name = cols.index("name")
    unit = cols.index("unit") if "unit" in cols else None
    out: list = []
    expected = 1
    while i + k <= len(lines):
        cells = lines[i:i + k]
        if num is not None and cells[num][1].rstrip("、.．") != str(expected):
            # a group heading on a line of its own (经济发展) before the next row
            if i + 1 + k <= len(lines) and lines[i + 1 + num][1].rstrip("、.．") == str(expected) \
                    and not lines[i][1][:1].isdigit():
                i += 1
                continue
            break
        if cells[name][1][:1].isdigit() or unit is not None and (
                len(cells[unit][1]) > _MAX_UNIT or cells[unit][1][:1].isdigit()):
            break
        figs = tuple((s, s + len(t)) for (s, t), kind in zip(cells, cols) if kind == "figure")
        last = cells[-1]
        out.append(Row(cells[0][0], last[0] + len(last[1]), cells[name][1],
                       (cells[name][0], cells[name][0] + len(cells[name][1])),
                       cells[unit][1] if unit is not None else None, figs, tuple(heads)))
        expected += 1
        i += k
    return out, i
