"""Period rules: the year a figure refers to. Tried in this order; the first that gives a year
names the period (Record.why["period"]):

  explicit-year   the latest year written before the figure in its sentence (2015年，… 增长7.5%),
                  but not a year that begins a span (1985年以来), a basis (比2009年) or the
                  year of an earlier figure standing right after it (由上年46亿元增加到…)
  span-end        no year of its own, after two figures with their years (从2012年的A增加到
                  2021年的B，增长2.7倍): the span's last year
  relative-year   今年, 去年, 上年 … resolved against the report's year or the section's year,
                  unless it is a basis (比上年, 上年同期)
  from-base       从3826.5亿元增长到4398.6亿元 in a review of a plan period: the first figure is
                  the period's starting point (the year before the period)
  (the frame)     the year of the figure's part of the document (document.py's rule names:
                  kind:communique, kind:five-year, heading, turn-year, turn-plan-period, turn-default, title)
  none            no year
"""
from __future__ import annotations

from typing import Any, Optional

from ..structure import _YEAR, year_value as _year_value
from .cues import _FROM, _NOT_PERIOD, _near_figure


def period_of(c: dict, report_year: Optional[int], before: str, sec_year: Optional[int],
              taken: Any = frozenset(), offset: int = 0) -> tuple:
    """(year or None, rule) from the text before the figure; `taken` holds the starts (offset
    by `offset`) of the sentence's earlier figures, which a year right before them binds to."""
    if "年" not in before:  # every year and relative year (今年, 上年 …) is written with 年
        return None, ""
    cands = []
    bound: list = []  # the years of earlier figures (从2012年的1479万公里增加到2021年的5481万公里)
    for mm in _YEAR.finditer(before):
        s, e = mm.span()
        if taken and _near_figure(offset + e + 1, taken):
            bound.append(_year_value(mm))
            continue  # the year of an earlier figure standing right after it (由上年46亿元增加到…)
        if _NOT_PERIOD.match(before, e + 1) or (s and before[s - 1] in "比较"):
            continue  # 1985年以来, 比2009年提高
        cands.append((s, _year_value(mm), "explicit-year"))
    relative = [mm for mm in c["_relative"].finditer(before)
                if not (taken and _near_figure(offset + mm.end(), taken))]
    if relative:
        basis_spans = [mm.span() for mm in c["_basis"].finditer(before)]
        bases = {"report": report_year, "section": sec_year or report_year}
        for mm in relative:
            s = mm.start()
            if any(bs <= s < be for bs, be in basis_spans):
                continue  # 比上年: a basis, not a period
            off, base = c["relative_years"][mm.group()]
            year = bases[base]
            if year is not None:
                cands.append((s, year + off, "relative-year"))
    if cands:
        _, year, rule = max(cands)
        return str(year), rule
    if len(bound) >= 2:  # …增加到2021年的5481万公里，增长2.7倍: the change over that span
        return str(max(bound)), "span-end"
    return None, ""


def from_base(text: str, before: str, end: int, from_to: Any, base: Optional[int]) -> Optional[str]:
    """从3826.5亿元增长到4398.6亿元 in a review: the first figure's year is the base year of the
    period reviewed, when no year stands between 从 and the figure."""
    if base is None or not from_to.match(text, end):
        return None
    f = _FROM.search(before)
    if f is None or _YEAR.search(before, f.start()):
        return None
    return str(base)
