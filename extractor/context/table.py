"""Table rules: a figure cell of a flattened indicator table (one cell per line: 序号 / 指标名称 /
单位 / 属性 / 2025年 / 2030年目标) takes its row's 指标名称 as metric (table-row) and its column's
heading for period and role (table-column): a heading year up to the year of the results
reports a result (基期 2025年 → actual 2025), a later one sets a target (2030年目标 → target
2030); a heading with no year is read by its words (基期, 现状, 完成, 实际 → actual; 目标,
预期, 规划, 年均 → target), else the cell follows its part of the document.

The cells come from the finder's table reader as (start, end, name, heading), sorted.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final, Optional

from ..tables import words

_YEAR: Final = re.compile(r"((?:19|20)\d\d)年?")  # a column heading's year (2030年目标, 2025)


class Cells:
    """The figure cells of a document's flattened tables."""

    def __init__(self, cells: tuple) -> None:
        self.cells = tuple(sorted(cells))
        self._starts = [c[0] for c in self.cells]

    def at(self, start: int, end: int) -> Optional[tuple]:
        """(name, heading) of the cell holding the figure start:end, or None."""
        i = bisect_right(self._starts, start) - 1
        if i >= 0 and end <= self.cells[i][1]:
            return self.cells[i][2], self.cells[i][3]
        return None


def column(heading: Optional[str], results_year: Optional[int], mode: Optional[str],
           frame_year: Optional[int]) -> Optional[tuple]:
    """(role, period) from a figure column's heading, or None when it says nothing."""
    if not heading:
        return None
    w = words()
    m = _YEAR.search(heading)
    if m:
        year = int(m.group(1))
        if any(x in heading for x in w.target_headings) or results_year is None or year > results_year:
            return "target", str(year)
        return "actual", str(year)
    if any(x in heading for x in w.actual_headings):
        return "actual", str(results_year) if results_year else None
    if any(x in heading for x in w.target_headings) or mode == "plan":
        return "target", str(frame_year) if frame_year else None
    return None
