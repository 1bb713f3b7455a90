"""Headline indicators: a document's records → panel facts (PANEL.md §2–4).

A fact is a record whose figure gives one of the indicators of data/indicators.yaml
for the document's whole region: the indicator's wording is the subject of the figure
(in the text between the previous figure of the sentence and this one, else in the
record's metric), with no sub-scope before it and nothing between that makes the figure
a share or a ranking. The measure comes from the unit and the verb right before the
figure (增长7.5% growth, 增加3.21万人 change, 309亿元 level); a fall makes the value
negative and mirrors the bound. Role and period are the record's.

Lists: the figures of `A、B分别增长8.7%和8.6%` take the wordings in order; one figure
after coordinated wordings (`城镇…、农村…均增长8%`) gives one fact each; a range
(`6.5%－7%`) gives its lower end. Each fact names the rule that made it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

# the catalog (data/indicators.yaml) lives in indicator_data.py; its names are kept here
from .indicator_data import (MEASURES, Catalog, Indicator, IndicatorDataError, _either_width,  # noqa: F401
                             catalog, fold, parse)
from .values import json_number

_CLAUSE_MARKS = "，。；：,;:！？!?\n"
_MIRROR = {">=": "<=", "<=": ">=", ">": "<", "<": ">"}


@dataclass(frozen=True)
class Fact:
    """One panel fact: a figure giving an indicator of the document's region."""

    doc: str
    indicator: str
    measure: str
    period: Optional[str]
    role: str
    value: Decimal
    unit: Optional[str]
    bound: str
    text: str
    start: int
    end: int
    rule: str
    scope: Optional[str] = None    # the whole-region word before the wording (全市), if any

    def to_dict(self) -> dict:
        return {"doc": self.doc, "indicator": self.indicator, "measure": self.measure,
                "period": self.period, "role": self.role, "value": json_number(self.value),
                "unit": self.unit, "bound": self.bound, "text": self.text,
                "start": self.start, "end": self.end, "rule": self.rule, "scope": self.scope}



# -- lists of figures ---------------------------------------------------------------

def _groups(text: str, recs: list, cat: Catalog) -> list:
    """Records of one sentence → [(kind, [records])], kind 'list' or 'range'."""
    out: list = []
    for r in recs:
        if out:
            kind, items = out[-1]
            gap = text[items[-1].end:r.start].strip()
            same = items[-1].unit == r.unit or items[-1].unit is None
            if same and gap in cat.range_separators and len(items) == 1 and kind == "list":
                out[-1] = ("range", items + [r])
                continue
            if same and gap in cat.list_separators and kind == "list":
                items.append(r)
                continue
        out.append(("list", [r]))
    return out


# -- subjects -------------------------------------------------------------------------

def _clause_start(text: str, pos: int, lo: int) -> int:
    """Where the clause holding `pos` begins (after the last clause mark, at least `lo`)."""
    i = max(text.rfind(m, lo, pos) for m in _CLAUSE_MARKS)
    return max(i + 1, lo)


_PLACE = re.compile(r"[\u4e00-\u9fff](?:省|市|县|旗|盟|自治州|自治区)")


def _whole_region(prefix: str, ind: Indicator, cat: Catalog, region: Optional[str]) -> Optional[str]:
    """None when the words before a wording keep the region whole, else the veto's name."""
    for v in ind.vetoes:
        if prefix.endswith(v):
            return f"veto:{v}"
    rest = prefix
    if region:
        rest = rest.replace(region, "")
    for s in cat.scopes:
        rest = rest.replace(s, "")
    for s in cat.subscopes:
        if s in rest:
            return f"subscope:{s}"
    if _PLACE.search(rest):
        return "subscope:place"
    return None


def _matches(text: str, lo: int, hi: int, cat: Catalog, region) -> list:
    """Wordings in text[lo:hi]: [(start, end, indicator id, measures, veto or None, wording)]."""
    out = []
    for m in cat.alias_rx.finditer(text, lo, hi):
        w = m.group()
        iid, ms = cat.alias_of.get(w) or cat.alias_of[fold(w)]
        cs = _clause_start(text, m.start(), lo)
        veto = _whole_region(text[cs:m.start()], cat.indicators[iid], cat, region)
        out.append((m.start(), m.end(), iid, ms, veto, w))
    return out


def _coordinated(text: str, ms: list, cat: Catalog) -> bool:
    """Wordings joined only by list separators (城镇…、农村…)."""
    return all(text[a[1]:b[0]].strip() in cat.list_separators for a, b in zip(ms, ms[1:]))


def _split(cat: Catalog, iid: str, wording: str) -> tuple:
    """The indicator ids a wording of two indicators splits into (城乡居民人均可支配收入), or ()."""
    return dict(cat.indicators[iid].split).get(wording, ())


def _assign(text: str, items: list, ms: list, cat: Catalog, recent: list) -> list:
    """The wording (start, end, id, measures, veto) each figure of a list takes, or None."""
    k = len(items)
    if not ms:
        return [None] * k
    if k == 1:
        if len(ms) > 1 and _coordinated(text, ms, cat):
            return [ms]
        return [[ms[-1]]]
    if len(ms) >= k:
        return [[m] for m in ms[-k:]]
    if len(ms) == 1:
        m = ms[0]
        ids = _split(cat, m[2], text[m[0]:m[1]])
        if len(ids) == k:
            return [[(m[0], m[1], i, m[3], m[4], m[5])] for i in ids]
        if len(recent) >= k and recent[-1][2] == m[2]:   # 城镇…X元，农村…Y元，增长8.4%和8%
            return [[r] for r in recent[-k:]]
        return [[m]] + [None] * (k - 1)
    return [None] * k


@functools.lru_cache(maxsize=4096)
def _metric_matches(metric: Optional[str], region) -> tuple:
    """Wordings of a record's metric phrase as ((wording, id, measures, veto), …)."""
    if not metric:
        return ()
    mt = fold(metric)
    return tuple((w, iid, ms, veto) for _, _, iid, ms, veto, w in _matches(mt, 0, len(mt), catalog(), region))


# -- measure, sign, exclusions -------------------------------------------------------

def _verb(between: str, cat: Catalog) -> tuple:
    """(direction +1/-1 or 0, a level verb like 增长到) of the last verb of change."""
    best, sign, word = -1, 0, ""
    for w, s in cat.changes:       # longest first: at a tie the longer word stays
        i = between.rfind(w)
        if i > best:
            best, sign, word = i, s, w
    if best < 0:
        return 0, False
    after = between[best + len(word):].lstrip()
    to_level = any(after.startswith(w) for w in cat.level_after_change)
    return sign, to_level


def _measure(unit, ind: Indicator, sign: int, to_level: bool) -> Optional[str]:
    """level, growth or change from the unit and the verb of change, None for a foreign unit."""
    if unit == "个百分点":
        return "change"
    if unit == "%":
        if "%" not in ind.units:
            return "growth"
        return "growth" if sign and not to_level else "level"
    if ind.units and unit not in ind.units:
        return None
    return "change" if sign and not to_level else "level"


_FROM = re.compile(r"[由从](?![于而此事])[^，。；,;到至为]{0,12}$")   # 由2010年的|162.4亿元, 由前三年分别上升|4.9%


def _excluded(before: str, after: str, cat: Catalog) -> Optional[str]:
    """Why a figure is no single-year fact (年均, 累计, 由A增加到B's A), or None."""
    for w in cat.not_before:
        if w in before:
            return f"not:{w}"
    if _FROM.search(before.rstrip()):
        return "not:from"
    a = after.lstrip()
    for w in cat.not_after:
        if a.startswith(w):
            return f"not-after:{w}"
    for w in cat.from_to:
        if a.startswith(w):
            return "not:from"
    return None


_CLAUSE_END = re.compile(r"[，,；;。]")
_AMOUNT_WORD = re.compile(r"[\d０-９万亿千百]")


def _own_clause_ends(between: str) -> bool:
    """The wording's clause states an amount of its own (not a record: 万亿级) before the
    figure's clause begins (一般公共预算收入达万亿级规模，新增减税降费超|万亿元); a clause that
    only describes (平稳较快增长，同比增长|11.1%) keeps the wording."""
    m = _CLAUSE_END.search(between)
    return m is not None and _AMOUNT_WORD.search(between, 0, m.start()) is not None


def _between_veto(between: str, cat: Catalog, wording: str = "") -> Optional[str]:
    """A word between the wording and its figure that makes the figure a share, a rank or a
    comparison (words of the wording itself excepted: 赤字占国内生产总值比重)."""
    for w in cat.bound_phrases:
        between = between.replace(w, "")
    for w in cat.not_between:
        if w in between and w not in wording:
            return w
    return None


# -- facts ------------------------------------------------------------------------------

def facts_from_records(doc: str, text: str, records: list, sentences: list,
                       region: Optional[str] = None, multi_year: tuple = ()) -> list:
    """The panel facts of one document from its records (Record objects, text order)
    and the original start of their sentences (a list of Spans, or {sentence index: start}).

    `multi_year` holds the (start, end) stretches that review several years (五年来,
    “十四五”时期): there only levels are facts (the end year's; of a flow such as new jobs
    only one reached by a change, 由A增加到B), and a statement of the
    same key in a single-year stretch wins, then one with a full wording (城镇新增就业 over a
    weak 新增就业); otherwise the first statement of a key wins."""
    cat = catalog()
    by_sent: dict = {}
    for r in records:
        by_sent.setdefault(r.sentence, []).append(r)
    found = []
    for si in sorted(by_sent):
        lo = _sentence_start(sentences, si, by_sent[si][0].start)
        for f in _sentence_facts(doc, text, lo, by_sent[si], cat, region):
            multi = any(s <= f.start < e for s, e in multi_year)
            if multi and (f.measure != "level" or (cat.indicators[f.indicator].cumulates
                                                     and not f.rule.endswith(">to"))):
                continue
            weak = f.rule.split(":", 1)[1].split(">")[0] in cat.indicators[f.indicator].weak
            found.append((multi, weak, f.start, f))
    best: dict = {}
    for *_, f in sorted(found, key=lambda x: x[:3]):
        best.setdefault((f.indicator, f.measure, f.period, f.role), f)
    return sorted(best.values(), key=lambda f: f.start)


_MULTI = re.compile(r"^[^，。；\d]{0,8}?(?:十[一二三四五六七八九]?五|[五几多]年|这些年)")


def multi_year_stretches(document) -> tuple:
    """(start, end) of the stretches of a document (original offsets) that review or plan
    several years: from a review turn (structure.turns) whose opening sentence starts with a plan
    period or 五年 (“十四五”时期，…; 过去五年，…), or a plan turn whose heading names a plan
    period and no year (二、“十五五”时期主要目标任务), to the next turn."""
    st = getattr(document, "structure", None)
    if st is None or not st.turns:
        return ()
    nt, norm = document.normalized.text, document.normalized
    out, turns = [], list(st.turns)
    for t, nxt in zip(turns, turns[1:] + [(len(nt),)]):
        start = t[0]
        if t[1] not in ("review", "plan"):
            continue
        line_end = nt.find("\n", start, start + 80)
        opening = nt[line_end + 1:] if line_end >= 0 else nt[start:]
        opening = opening[:60].lstrip()
        heading = nt[start:line_end] if line_end >= 0 else ""
        if t[1] == "plan":  # 二、“十五五”时期主要目标任务: a flow's figure there is a five-year total
            if _MULTI.search(heading) and not t[2]:
                out.append(norm.to_original(start, max(nxt[0], start + 1)))
            continue
        if _MULTI.search(opening) or (_MULTI.search(heading) and not t[2]):
            out.append(norm.to_original(start, max(nxt[0], start + 1)))
    return tuple(out)


def _sentence_facts(doc, text, lo, recs, cat, region):
    """The facts of one sentence's records (`lo` its start): each group of figures (a list or a
    range) takes the wordings before it, else the wording in its first figure's metric."""
    prev_end, recent = lo, []
    for kind, items in _groups(text, recs, cat):
        first = items[0]
        ms = _matches(text, prev_end, first.start, cat, region)
        rule, base = "subject", prev_end
        if ms and all(m[4] for m in ms):
            ms = []      # only parts or shares of wordings (占国内生产总值比重): the metric may say more
        if not ms:
            found = _metric_matches(first.metric, region)[-1:]
            if found:
                w, iid, allowed, veto = found[0]
                ids = _split(cat, iid, w) if len(items) > 1 else ()
                ms = [(prev_end, prev_end, i, allowed, veto, w)
                      for i in (ids if len(ids) == len(items) else [iid])]
                rule = "metric"
        prev_end = items[-1].end
        if kind == "range":
            items = items[:1]
        assigned = _assign(text, items, ms, cat, recent)
        subj_end = max((m[1] for m in ms), default=base)
        for r, subj in zip(items, assigned):
            if not subj:
                continue
            for m in subj:
                f = _fact(doc, text, lo, r, m, kind, rule, max(base, subj_end), items[0], cat)
                if f is not None:
                    yield f
            recent.extend(m for m in subj if m[4] is None)


def _fact(doc, text, lo, r, m, kind, rule, base, head, cat) -> Optional[Fact]:
    """The fact of record `r` under wording `m`, or None (vetoed, excluded, no measure)."""
    start, end, iid, allowed, veto, wording = m
    if veto or r.period is None:
        return None
    ind = cat.indicators[iid]
    between = text[base:head.start]
    if _between_veto(between, cat, wording) or (rule == "subject" and _own_clause_ends(between)):
        return None
    clause = text[_clause_start(text, head.start, lo):head.start]
    if _excluded(clause, text[r.end:r.end + 4], cat):
        return None
    sign, to_level = _verb(between, cat)
    measure = _measure(r.unit, ind, sign, to_level)
    if measure is None or (allowed and measure not in allowed):
        return None
    value, bound = r.value, r.bound
    if kind == "range":
        bound = ">="
    if sign < 0 and measure != "level":
        value, bound = -value, _MIRROR.get(bound, bound)
    if rule == "subject":
        prefix = text[_clause_start(text, start, lo):start]
    else:
        mt = fold(r.metric or "")
        prefix = mt[:max(mt.find(wording), 0)]
    scope = next((w for w in cat.whole if w in prefix), None)
    return Fact(doc, iid, measure, r.period, r.role, value, r.unit, bound, r.text, r.start, r.end,
                f"{rule}:{wording}" + (">to" if to_level else ""), scope)


def _sentence_start(sentences, si: int, default: int) -> int:
    """The original start of sentence `si` (from Spans or a {index: start} mapping)."""
    if isinstance(sentences, dict):
        return sentences.get(si, default)
    return sentences[si].start if 0 <= si < len(sentences) else default


def document_facts(document, region: Optional[str] = None) -> list:
    """The panel facts of an extracted Document."""
    norm, spans = document.normalized, document.sentence_spans
    starts = {si: norm.original_index(spans[si][0]) for si in {r.sentence for r in document.records}
              if 0 <= si < len(spans)}
    return facts_from_records(document.doc, document.text, document.records,
                              starts, region, multi_year_stretches(document))
