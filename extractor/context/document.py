"""Document-structure rules: the frame of each figure — whether its part of the document reviews
results or plans targets, and of which year — from the document's kind and sections
(structure.py). The rules, in order (the first that decides names the frame):

  kind:communique    a communiqué reports the results of its year, all through
  kind:five-year     a five-year plan sets targets for its last year; a part that reviews
                     the past (规划背景, 发展基础, “十三五”时期取得的进展: data `sections.review`)
                     reports the year before its first
  heading            the innermost heading (一、 （一） 1. …) of a budget report, plan report or
                     department summary that names a mode (执行情况, 预算草案, 工作安排) or a year
                     decides: 一、2025年财政收支情况 → review of 2025; 三、2026年工作安排 → plan of
                     2026; a heading year after the year of the results is a plan
  turn               the last heading or opening sentence that turns the text to a review or a
                     plan (一、2015年工作回顾, 在部署2016年工作时 …), the title's year first
                     (a bulletin or summary of 2024 reviews 2024)
                     (in a document of kind other, a turn with no year names none)
  turn-plan-period   such a turn naming a five-year period but no year: the period's last
                     year (二、“十五五”时期主要目标任务 → 2030; a heading of the tree alike)

A frame is (mode, year, rule): mode "review", "plan" or None; the rule's name goes into
Record.why as the source of the role's section and of the period's default.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Final, Optional

from ..numerals import parse_chinese
from ..structure import mode_of
from .cues import _cue, cues

_TREE_KINDS: Final = frozenset(("budget_report", "plan_report", "work_summary"))
_PLAN_ORDINAL: Final = re.compile(r"第([一二三四五六七八九十]{1,3})个五年规划")
_PLAN_SPAN: Final = re.compile(r"((?:19|20)\d\d)年?[—\-－–~～至到](20\d\d)年")
_PLAN_YEARS: Final = 5  # the years of a five-year plan period (十四五: 2021–2025)
_FIRST_ORDINAL_PLAN: Final = (6, 1981)  # the sixth five-year plan began in 1981
_OPENING: Final = 200  # characters of a document's or a turn's opening read for its names


class Frames:
    """The frame of every position of one document."""

    def __init__(self, text: str, structure: Any, year: Optional[int], enabled: bool) -> None:
        self.text = text
        self.structure = structure
        self.kind = structure.kind
        self.c = cues()
        self.year = year or structure.stated_year
        self._bases: list = []
        self.sections = self._turns() if enabled else []
        if enabled and structure.title_mode:  # a bulletin / summary / plan: about its title's year
            mode, ty = structure.title_mode, structure.title_year
            self.sections.insert(0, (0, mode, ty, "title"))
            self.year = self.year or (ty + 1 if mode == "review" else ty)
        if self.year is None and self.sections:
            self.year = self._year_from_turns()
        self._starts = [s for s, _, _, _ in self.sections]
        self._base_starts = [p for p, _ in self._bases]
        self._plan_words = _cue("sections", "plan_parts")
        self._tree = enabled and self.kind in _TREE_KINDS and bool(structure.sections)
        self._five = self._five_year() if enabled and self.kind == "five_year_plan" else None
        # the year of the results: a five-year plan's base year, else the title's or the year before
        self.results_year = self._five[0] - 1 if self._five is not None else self._results_year()

    # -- turns: headings and opening sentences, in order ----------------------
    def _turns(self) -> list:
        """(start, mode, year, rule) for each turn of the structure; a turn with no year of its
        own takes the report's year (a plan) or the year before (a review)."""
        out: list = []
        for ps, mode, years, probe in self.structure.turns:
            if mode is None:  # a 一、 heading with no words of its own continues the turn before
                out.append((ps, out[-1][1], out[-1][2], out[-1][3]))
                continue
            end = None if years else self._period_end(probe)
            if years:
                year, rule = years[-1], "turn-year"
            elif end is not None:
                year, rule = end, "turn-plan-period"
            else:
                year, rule = self._default_year(mode), "turn-default"
            out.append((ps, mode, year, rule))
            if mode == "review":
                line = self.text[ps:ps + _OPENING].split("\n", 1)[0]
                self._bases.append((ps, self._base_year(probe, line)))
        return out

    def _period_end(self, probe: str) -> Optional[int]:
        """The last year of the last five-year plan period a heading names (“十五五”时期主要目标
        → 2030), or None."""
        ends = [(probe.rfind(name), first + _PLAN_YEARS - 1)
                for name, first in self.c["plan_periods"].items() if name in probe]
        return max(ends)[1] if ends else None

    def _default_year(self, mode: str) -> Optional[int]:
        """A turn with no year of its own in an annual document reviews the year before the
        report's and plans the report's; in a document of no known kind (a report on one field
        at any time of the year) it names no year."""
        if self.year is None or self.kind == "other":
            return None
        return self.year - 1 if mode == "review" else self.year

    def _base_year(self, probe: str, ptext: str) -> Optional[int]:
        """The year before the period a review covers: 2020 for “十四五”时期, else None."""
        for name, first in self.c["plan_periods"].items():
            if name in probe:
                return first - 1
        if any(w in ptext for w in self.c["five_year_words"]) and self.year:
            return self.year - _PLAN_YEARS - 1  # 过去五年 in a 2018 report: 2013–2017, base 2012
        return None

    def _year_from_turns(self) -> Optional[int]:
        """No date line: the report's year is that of its plan part, or the year after its review."""
        plans = [y for _, k, y, _ in self.sections if k == "plan" and y]
        if plans:
            return max(plans)
        reviews = [y for _, k, y, _ in self.sections if k == "review" and y]
        return max(reviews) + 1 if reviews else None

    def _results_year(self) -> Optional[int]:
        """The year whose results the document reports: its title's (2024年…统计公报,
        2025年工作总结, 2025年预算执行情况…), else the year before the report's."""
        st = self.structure
        if st.title_mode == "review" and st.title_year:
            return int(st.title_year)
        return self.year - 1 if self.year else None

    def base_at(self, pos: int) -> Optional[int]:
        """The base year of the last review turn before `pos` (its opening line's), or None."""
        i = bisect_right(self._base_starts, pos) - 1
        return self._bases[i][1] if i >= 0 else None

    # -- the frame of a position -----------------------------------------------
    def at(self, pos: int) -> tuple:
        """(mode, year, rule) of the part of the document holding `pos`."""
        if self.kind == "communique" and self.results_year:
            return "review", self.results_year, "kind:communique"
        if self._five is not None:
            return self._five_year_frame(pos)
        if self._tree:
            frame = self._heading_frame(pos)
            if frame is not None:
                return frame
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return None, None, "none"
        _, mode, year, rule = self.sections[i]
        return mode, year, rule

    def _heading_mode(self, heading: str) -> Optional[str]:
        """plan when a plan part's words (sections: plan_parts) are in the heading, else its mode."""
        if self._plan_words.search(heading):
            return "plan"
        return mode_of(heading)

    def _heading_frame(self, pos: int) -> Optional[tuple]:
        """The innermost headings that name a mode or a year decide (None when none does)."""
        st = self.structure
        mode: Optional[str] = None
        years: tuple = ()
        for sec in st.chain(st.section_index(pos)):
            if mode is None:
                mode = self._heading_mode(sec.heading)
            if not years:
                end = self._period_end(sec.heading)
                years = sec.years or ((end,) if end else ())
            if mode is not None and years:
                break
        if mode is None and not years:
            return None
        ry = self.results_year
        if mode is None:
            mode = "review" if ry is None or max(years) <= ry else "plan"
        if years:
            year = min(years) if mode == "review" else max(years)
            return mode, year, "heading"
        if ry is None:
            return mode, None, "heading"
        return mode, (ry if mode == "review" else ry + 1), "heading"

    # -- five-year plans ---------------------------------------------------------
    def _five_year(self) -> Optional[tuple]:
        """(first year, last year) of a five-year plan, from its title and opening (十五五,
        2026—2030年, 2022－2035年)."""
        title = (self.structure.title or "") + "\n" + self.text[:_OPENING]
        m = _PLAN_SPAN.search(title)
        named = [(title.find(name), first) for name, first in self.c["plan_periods"].items() if name in title]
        if named:  # the period named first (the title's, not a review's 十四五 below it)
            first = min(named)[1]
            return first, first + _PLAN_YEARS - 1
        n = _PLAN_ORDINAL.search(title)
        if n:  # 第十五个五年规划
            nth, began = _FIRST_ORDINAL_PLAN
            first = began + _PLAN_YEARS * (int(parse_chinese(n.group(1))) - nth)
            return first, first + _PLAN_YEARS - 1
        if m:  # a plan of a span of years (2022－2035年)
            return int(m.group(1)), int(m.group(2))
        if self.year:
            return self.year, self.year + _PLAN_YEARS - 1
        return None

    def _five_year_frame(self, pos: int) -> tuple:
        """A five-year plan's part that reviews reports its base year; the rest plans its end."""
        first, last = self._five  # type: ignore[misc]
        st = self.structure
        for sec in st.chain(st.section_index(pos)):
            if mode_of(sec.heading) == "review":
                return "review", first - 1, "kind:five-year"
        return "plan", last, "kind:five-year"
