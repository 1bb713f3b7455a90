"""The Context of one document: annotates each mention with role, metric, period, change,
basis and the names of the rules that decided them (why)."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Optional

from ..structure import analyze
from .change import basis_of, change_of
from .cues import _BEFORE_MAX, _any_basis_rx, _change_rx, _cue, cues
from .document import Frames
from .metric import Metrics, list_runs
from .period import from_base, period_of
from .table import Cells, column
from .role import adjust, goal_after, passed, role_of


class _RoleCues:
    """The compiled role cues."""

    def __init__(self) -> None:
        self.estimate_actual = _cue("role", "estimate_actual")
        self.strong_actual = _cue("role", "strong_actual")
        self.strong_target = _cue("role", "strong_target")
        self.estimate_review = _cue("role", "estimate_review")
        self.named_targets = tuple(cues()["role"]["named_targets"])

_RATIO_COLONS = frozenset((":", "："))  # between the numbers of a ratio
_PART_REACH = 30  # the farthest a part's figure stands after 其中
_PART_OF = re.compile(rf"其中[，,：:]?[^。；;]{{0,{_PART_REACH}}}$")  # a figure among the parts after 其中


class Context(Metrics):
    """Document-level context (kind, frames of its parts, report year); annotates mentions."""

    # the fields of annotate's tuples, in Record's order
    FIELDS = ("role", "metric", "period", "sentence", "change", "basis", "why")

    def __init__(self, text: str, paras: list, sents: list, year: Optional[int] = None,
                 enabled: bool = True, tagger: Any = None, structure: Any = None,
                 table_cells: tuple = ()) -> None:
        super().__init__(text, sents, tagger)
        self.cells = Cells(table_cells)
        self.paras = paras
        self.enabled = bool(enabled)
        self.structure = structure if structure is not None else analyze(text, paras, sents)
        self.frames = Frames(text, self.structure, year, self.enabled)
        self.year = self.frames.year
        self.kind = self.structure.kind
        self._roles = _RoleCues()
        self._directions = {w: d for d, ws in self.c["change"].items() for w in ws}
        self._change_rx = _change_rx()
        self._any_basis = _any_basis_rx()
        self._scopes = tuple(self.c["metric"]["scope_words"])
        self._parts = frozenset(self.c["metric"]["part_words"])

    def sentence_at(self, pos: int) -> tuple:
        """(index, (start, end)) of the sentence holding `pos`, or (-1, (pos, pos)) outside any."""
        i = bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and pos < self.sents[i][1]:
            return i, self.sents[i]
        return -1, (pos, pos)

    def annotate(self, mentions: list) -> list:
        """The context fields of each mention, as one tuple per mention in the order of
        `FIELDS`: (role, metric, period, sentence, change, basis, why). The work per mention
        is bounded (its cues are read at most _BEFORE_MAX characters back), so the whole is
        linear in the text."""
        out: list = []
        state = _SentenceState()
        runs = list_runs(self.text, mentions) if self.enabled else ((), ())
        for k, m in enumerate(mentions):
            si, (ss, se) = self.sentence_at(m.start)
            if not self.enabled:
                out.append(("actual", None, None, si, None, None, None))
                continue
            if k and out and self.text[mentions[k - 1].end:m.start] in _RATIO_COLONS:
                out.append(self._ratio_part(out[-1], si))  # 8.9：36.5：54.6 is one ratio
                state.last_end[si] = m.end
                continue
            out.append(self._one(mentions, k, si, ss, se, state, runs))
        return out

    def _one(self, mentions: list, k: int, si: int, ss: int, se: int, state: Any, runs: tuple) -> tuple:
        """The context tuple of mentions[k] in sentence si (ss, se)."""
        m = mentions[k]
        # the cues of a figure stand before it in its sentence; a very long sentence (a table
        # flattened into one line) is read only so far back, which keeps the work linear
        bs = max(ss, m.start - _BEFORE_MAX)
        before = self.text[bs:m.start]
        mode, sec_year, frame_rule = self.frames.at(m.start)
        cell = self.cells.at(m.start, m.end) if self.cells.cells else None
        if cell is not None:
            return self._cell(m, si, cell, before, mode, sec_year, frame_rule)
        taken = state.taken(si)  # a year cue right before an earlier figure binds to that figure
        period, period_rule = self._period(m, before, bs, mode, sec_year, frame_rule, taken)
        taken.add(m.start)
        role, role_rule = role_of(self._roles, before, mode, self.kind)
        role, role_rule = adjust(role, role_rule, mode, sec_year, period,
                                 str(self.year) if self.year else None, self._roles.strong_actual, before,
                                 passed(before, self.structure.date))
        role, role_rule = goal_after(role, role_rule, self.text, m.end, se)
        shared = state.last_metric.get(si)
        metric, metric_rule = self.metric(mentions, k, ss, se, bs, state.last_end.get(si, bs), shared, runs)
        state.last_end[si] = max(m.end, bs)
        if metric is not None and _PART_OF.search(before):
            whole = self._part_of(metric, state.whole)
            if whole is not None:  # 常住人口5834万人，其中，城镇3871万人 -> 城镇常住人口
                metric, metric_rule = whole, metric_rule + "+part-of-whole"
        elif metric is not None:
            state.whole = metric
        if metric is not None:
            state.last_metric[si] = metric
        why = (("role", _named(role_rule, frame_rule)), ("period", period_rule), ("metric", metric_rule))
        return (role, metric, period, si, change_of(self._change_rx, self._directions, before),
                basis_of(self._any_basis, before), why)

    def _part_of(self, item: str, whole: Optional[str]) -> Optional[str]:
        """A bare part (城镇, 农村: a word of data `part_words`) after 其中 named with its whole's
        metric, the whole's scope words dropped (年末全省常住人口 -> 城镇常住人口)."""
        if whole is None or item not in self._parts or item in whole:
            return None
        head = whole
        changed = True
        while changed:
            changed = False
            for w in self._scopes:
                if head.startswith(w) and len(head) > len(w) + 1:
                    head, changed = head[len(w):], True
        return item + head

    @staticmethod
    def _ratio_part(prev: tuple, si: int) -> tuple:
        """A later number of a ratio (三次产业结构由2023年的8.9：36.5：54.6) shares the first one's
        role, metric and period."""
        role, metric, period = prev[0], prev[1], prev[2]
        why = (("role", "ratio-part"), ("period", "ratio-part"), ("metric", "ratio-part"))
        return (role, metric, period, si, prev[4], prev[5], why)

    def _cell(self, m: Any, si: int, cell: tuple, before: str, mode: Optional[str],
              sec_year: Optional[int], frame_rule: str) -> tuple:
        """A figure cell of a flattened table: metric from its row, role and period from its column."""
        name, heading = cell
        decided = column(heading, self.frames.results_year, mode, sec_year)
        if decided is not None:
            role, period = decided
            why_role = why_period = "table-column"
        else:
            role, why_role = role_of(self._roles, "", mode, self.kind)
            period, why_period = (str(sec_year), frame_rule) if sec_year else (None, "none")
        why = (("role", _named(why_role, frame_rule)), ("period", why_period), ("metric", "table-row"))
        return (role, name, period, si, None, None, why)

    def _period(self, m: Any, before: str, bs: int, mode: Optional[str], sec_year: Optional[int],
                frame_rule: str, taken: Any) -> tuple:
        """(period, rule): a year before the figure, the base year of 从A增长到B, or the frame's."""
        period, rule = period_of(self.c, self.year, before, sec_year, taken, bs)
        if period is None:
            period, rule = (str(sec_year), frame_rule) if sec_year else (None, "none")
        if mode == "review":
            base = from_base(self.text, before, m.end, self._from_to, self.frames.base_at(m.start))
            if base is not None:
                period, rule = base, "from-base"
        return period, rule


def _named(role_rule: str, frame_rule: str) -> str:
    """A section rule names the frame rule that set the section (section:plan/heading)."""
    if role_rule.startswith("section:"):
        return f"{role_rule}/{frame_rule}"
    return role_rule


class _SentenceState:
    """Per-sentence memory of annotate: the starts of its figures so far, the end of its
    previous figure and that figure's metric."""

    def __init__(self) -> None:
        self._taken: dict = {}
        self.last_end: dict = {}
        self.last_metric: dict = {}
        self.whole: Optional[str] = None  # the metric of the last figure that is no part (其中 …)

    def taken(self, si: int) -> set:
        """The starts of the figures of sentence `si` annotated so far (made on first use)."""
        t = self._taken.get(si)
        if t is None:
            t = self._taken[si] = set()
        return t

