"""Role rules: is a figure a reported result (actual) or a goal (target)? Cue words are judged
in their phrase and against the figure's frame (document.py), never alone. In order:

  kind:communique      a communiqué reports results: every figure is actual
  cue:named-target     a figure in brackets right after a target's name (较“十四五”目标（924亿元）)
  cue:estimate-actual  outside a plan part, 预计完成 / 预计全年 forecast a result: actual; in a
                       review, any 预计 of the figure's clause (预计增长5.2%)
  cue:strong-actual    in a plan part, a phrase that reports a result (已, 去年, 超额完成,
                       成功争取 …) is actual, unless the figure's own clause sets a target (力争)
  section:plan         any other figure of a plan part is a target
  cue:strong-target    outside a plan part, a strong target cue (力争, 计划, 预期目标 …) in the
                       figure's own clause (in a review) or its clause or the one before (no
                       section known) makes a target; in a review, not a cue inside a
                       modifier (对…拟新增的123个项目开展绩效评估)
  section:review       any other figure of a review part is actual
  default              no section, no cue: actual
  plan-past-year       (after the above) a plan part's figure of a year before the plan's: actual
  goal-after           (after the above) a figure whose phrase ends as a goal's name
                       (…降低4%左右、…减少2%的目标): a target, in a review too
  report-year          (after the above) no section known and the period is the report's own
                       year, not dated to a month before the document's date line (截至2022年6月
                       in a report of October 2022 reports a status) (2017年，地区生产总值增长7%左右 in a 2017 report): a target
"""
from __future__ import annotations

import re
from typing import Any, Final, Optional

from .cues import _QUOTED, _clause_start

# a figure inside a phrase that ends as a goal's name (…降低4%左右、…减少2%的目标。): the goal's
# value, read up to the end of the figure's clause
_GOAL_AFTER: Final = re.compile(r"[^，,。；;：:！？!?\n]{0,40}?的(?:预期|既定)?目标(?:任务)?(?=[，,。；;：:！？!?、)）\s]|$)")
_YEAR_MONTH: Final = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月")
_AFTER_MAX: Final = 48  # characters after a figure read for the goal it names


def role_of(rx: Any, before: str, mode: Optional[str], kind: str) -> tuple:
    """(role, rule) from the phrase before the figure and its frame's mode; `rx` holds the
    compiled cues (estimate_actual, estimate_review, strong_actual, strong_target, named_targets)."""
    if kind == "communique":
        return "actual", "kind:communique"
    if before.endswith(("（", "(")) and before[:-1].endswith(rx.named_targets):
        return "target", "cue:named-target"  # 较“十四五”目标（924亿元）: the figure is that target
    if "“" in before or "《" in before:
        before = _QUOTED.sub("", before)  # “六个倍增计划” names a programme, it is no cue
    if mode != "plan" and rx.estimate_actual.search(before):
        return "actual", "cue:estimate-actual"
    if mode == "review" and rx.estimate_review.search(before, _clause_start(before, 1)):
        return "actual", "cue:estimate-actual"  # 全年地区生产总值预计增长5.2% in a review
    if mode == "plan":
        # a result recalled earlier in the sentence (去年成功争取…，) is no result for a figure
        # whose own clause sets a target (今年力争增长10%)
        if rx.strong_actual.search(before) and not rx.strong_target.search(before[_clause_start(before, 1):]):
            return "actual", "cue:strong-actual"
        return "target", "section:plan"
    # outside a plan part a target cue counts only near the figure: in a review, in its own
    # clause (新开工项目计划总投资… earlier in the sentence is no cue for a later figure);
    # with no section known, in its clause or the one before (预期目标是：…增长7.5%)
    near = before[_clause_start(before, 1 if mode == "review" else 2):]
    cue = None
    for cue in rx.strong_target.finditer(near):
        pass  # the last cue
    if cue is not None and not (mode == "review" and "的" in near[cue.end():]):
        return "target", "cue:strong-target"  # (拟新增的123个项目: a cue inside a modifier is none)
    return "actual", ("section:review" if mode == "review" else "default")


def goal_after(role: str, rule: str, text: str, end: int, se: int) -> tuple:
    """goal-after: a figure (ending at `end`, its sentence at `se`) whose phrase ends in 目标
    (没有实现年初确定的…降低4%左右的目标) is that goal's value: a target, also in a review.
    Only _AFTER_MAX characters are read, so a long sentence costs no more per figure."""
    if role != "target" and _GOAL_AFTER.match(text, end, min(se, end + _AFTER_MAX)):
        return "target", "goal-after"
    return role, rule


def passed(before: str, date: Optional[str]) -> bool:
    """Does the figure's phrase date it to a month before the document's date line (截至2022年6月
    in a report of 2022-10-28)? Such a figure is a status already reached."""
    if date is None or "月" not in before:
        return False
    last = None
    for last in _YEAR_MONTH.finditer(before):
        pass
    return last is not None and (int(last.group(1)), int(last.group(2))) < (int(date[:4]), int(date[5:7]))


def adjust(role: str, rule: str, mode: Optional[str], sec_year: Optional[int], period: Optional[str],
           report_year: Optional[str], strong_actual: Any, before: str, past: bool = False) -> tuple:
    """The two rules that weigh the period against the frame (plan-past-year, report-year);
    `past`: the phrase dates the figure before the document's date (see passed)."""
    if mode == "plan" and sec_year and period and int(period) < sec_year and role != "actual":
        return "actual", "plan-past-year"
    if mode is None and report_year and period == report_year and role != "target" \
            and rule != "kind:communique" and not strong_actual.search(before) and not past:
        return "target", "report-year"
    return role, rule
