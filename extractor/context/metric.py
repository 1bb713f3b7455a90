"""Metric rules: what a figure measures, from its clause. Each rule returns the metric and its
name (Record.why["metric"]); they are tried in this order:

  respectively       a figure of a list after 分别 takes the matching item of the list before
                     (化学需氧量、二氧化硫排放量分别减少4.42%和5.95%)
  investment-object  an amount of investment takes its object (投资650万元建成6座|水冲式公厕)
  investment-topic   … or the topic before it (老城区改造工作成效明显。全年共完成投资3.5亿元)
  topic-before       an amount paid out takes the topic of the sentence before (支持健康郑州。拨付125.6亿元)
  rank-before        a rank takes the phrase before it, trimmed of ranking words (综合算力指数全国|第一)
  rank-subject       … or the subject of its sentence (稳居全国15个副省级城市|第1位)
  name-after         a capacity inside a name (大唐|700万吨|露天矿)
  noun-after         a counted thing follows its classifier (建成4所|学校运动场, 100万元|专项资金)
  comparison         a margin after 高于/低于 takes its subject's growth (…高于全国|2.6个百分点)
  share-of           a share of a whole takes the subject it is a share of (民生支出26.6亿元，
                     占一般公共预算支出的|80%)
  needs-subject      a bare act takes its subject (国有及国有控股工业企业…，|实现利润3784亿元)
  phrase-before      the phrase before the figure, trimmed of verbs of change and copulas
                     (规模以上工业增加值|增长11.1%), cut after a leading verb (…进行|安全生产检查8次)
  shared-subject     no phrase of its own: the metric of the sentence's previous figure
  subject-before     … or the subject of an earlier clause (工业投资继续保持快速增长，首次突破|千亿元)
  none               nothing found

After the rule: a figure inside the phrase is cut away (embedded-figure), a short counted
noun in a list item that opens with a label names the label (item-label: 2．森林消防应急物资：
…建设7个|中央级库 → 森林消防应急物资中央级库), a bare measure
after another measure of the same sentence takes its subject (with-subject: 企业营收…、|利润),
and a bare part after 其中 takes its whole's metric (part-of-whole: 常住人口…，其中，城镇|3871万人;
annotate.py).
"""
from __future__ import annotations

import re
from typing import Any, Optional

from .cues import embedded_figure
from .cues import _BEFORE_MAX, _CLAUSE, _FIGURE_GAPS, _RESPECTIVELY, _category, _clause_start
from .phrase import Phrases

_SHARE = "占"  # a share of a whole (占一般公共预算支出的80%)
_BARE_NOUN = 4  # a counted noun this short is named by its list item's label, when it has one
# a list item that opens with a short label and a colon (2．综合性消防救援应急物资：…)
_ITEM_LABEL = re.compile(r"\s*(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]{1,3}[)）])"
                         r"([^，。；：:,;\d]{2,15})[：:]")
_LONG_PHRASE = 12  # a phrase longer than this with a 的 keeps only what follows its last 的
_TAIL_MIN = 5  # … when that is this long (…督察交办的|群众举报问题办结率)
_ASIDE = re.compile(r"[（(][^（）()]{0,12}[）)]")  # （下同）


def list_runs(text: str, mentions: list) -> tuple:
    """For each figure, the first and the last figure of its run of figures joined only by
    、/和/与/及 (one pass each way: the work is linear in the number of figures)."""
    n = len(mentions)
    first, last = list(range(n)), list(range(n))
    for k in range(1, n):
        if text[mentions[k - 1].end:mentions[k].start] in _FIGURE_GAPS:
            first[k] = first[k - 1]
    for k in range(n - 2, -1, -1):
        if text[mentions[k].end:mentions[k + 1].start] in _FIGURE_GAPS:
            last[k] = last[k + 1]
    return first, last


class Metrics(Phrases):
    """The metric rules over one document."""

    def metric(self, mentions: list, k: int, ss: int, se: int, bs: int, floor: int,
               shared: Optional[str], runs: tuple) -> tuple:
        """(metric, rule name) of mentions[k]: `bs` is where its cues begin (its sentence start, at
        most _BEFORE_MAX back), `floor` the end of the sentence's previous figure, `shared` the
        metric of that figure."""
        m = mentions[k]
        metric: Optional[str] = self.respectively(mentions, k, ss, se, bs, runs)
        rule = "respectively"
        if metric is None:
            metric, rule = self._metric(m, bs, se, floor, shared)
        if metric is not None:
            fig = embedded_figure().search(metric)
            if fig:  # another figure inside the phrase: keep the longer side of it
                head, tail = metric[:fig.start()], metric[fig.end():]
                metric = max(head, tail, key=len) if max(len(head), len(tail)) >= 2 else None
                rule += "+embedded-figure"
        if rule == "noun-after" and metric is not None and len(metric) <= _BARE_NOUN:
            label = _ITEM_LABEL.match(self.text, ss, m.start)
            if label:  # 2．森林消防应急物资：…建设7个|中央级库 -> 森林消防应急物资中央级库
                metric, rule = label.group(1) + metric, rule + "+item-label"
        if metric is not None and shared is not None and metric in self._subject_measures.words:
            joined = self._with_subject(metric, shared)
            if joined != metric:
                metric, rule = joined, rule + "+with-subject"
        return metric, rule

    def _clause_phrase(self, m: Any, ss: int, floor: int) -> tuple:
        """(j, phrase): where the figure's clause begins (after the last clause mark, at the floor,
        or at the start of a list of short items before it) and its trimmed phrase."""
        text = self.text
        lo = max(ss, floor)
        j = self._clause_begin(m.start, lo)
        if j == m.start and j - 1 > lo and text[j - 1] in "（(":
            # 税收占比（71.7%）, 较“十四五”目标（924亿元）: a figure in brackets measures the
            # phrase before them
            k = self._clause_begin(j - 1, lo)
            return k, self._trim(text[k:j - 1])
        if text[j - 1:j] == "、":
            j = self._list_start(j, ss, lo)
        return j, self._trim(text[j:m.start])

    def _metric(self, m: Any, ss: int, se: int, floor: int, shared: Any = None) -> tuple:
        """(metric, rule) from the figure's clause (the rules after `respectively`, in order)."""
        j, phrase = self._clause_phrase(m, ss, floor)
        if m.dimension == "currency" and phrase is not None and phrase in self._invest:
            found = self._investment(m, phrase, ss, se, j, floor)
            if found[0]:
                return found
        if m.dimension == "currency" and self._funding_phrase(phrase):
            topic = self._previous_topic(ss)
            if topic:  # 支持健康郑州。拨付125.6亿元。
                return topic, "topic-before"
        if phrase and self._verbal(phrase):
            phrase = None
        if m.dimension == "rank":
            return self._rank(m, phrase, ss, j, floor, shared)
        after = self._noun_after(m, phrase, se)
        if after[0]:
            return after
        if m.dimension == "percentage_point" and phrase and len(phrase) <= 5 and phrase.startswith(self._comparisons):
            subject = shared or self._subject(ss, j)
            if subject:  # 进出口总值增长6.4%、高于全国|2.6个百分点
                return subject + "增速" + phrase, "comparison"
        if m.dimension == "percentage" and phrase and phrase.startswith(_SHARE) and len(phrase) > 2:
            subject = shared or self._subject(ss, j)
            if subject:  # 民生支出26.6亿元，|占一般公共预算支出的|80%
                return subject + _ASIDE.sub("", phrase).rstrip("的"), "share-of"
        if phrase and len(phrase) > _LONG_PHRASE and "的" in phrase[4:]:
            tail = phrase[phrase.rindex("的") + 1:]
            phrase = tail if len(tail) >= _TAIL_MIN else phrase  # …督察交办的|群众举报问题办结率
        if phrase:
            phrase = _category(phrase)
        if phrase and len(phrase) <= 6 and phrase.startswith(self._needs_subject):
            subject = self._subject(ss, j)
            if subject:  # 国有及国有控股工业企业…，|实现利润3784亿元
                return self._cut_at_verb(subject + phrase), "needs-subject"
        if phrase:
            return self._cut_at_verb(phrase), "phrase-before"
        if shared:
            return shared, "shared-subject"
        subject = self._subject(ss, j)
        return subject, ("subject-before" if subject else "none")

    def _investment(self, m: Any, phrase: str, ss: int, se: int, j: int, floor: int) -> tuple:
        """投资650万元|建成6座|水冲式公厕: the object after the amount, or the topic before it."""
        obj = self._object_after(m.end, min(se, m.end + _BEFORE_MAX))
        if obj:
            return obj + phrase, "investment-object"
        # 老城区改造工作成效明显。全年共完成投资3.5亿元: the project is the topic before
        topic = self._subject(ss, j) or self._previous_topic(ss)
        if topic and j >= floor:
            return topic + phrase, "investment-topic"
        return None, ""

    def _rank(self, m: Any, phrase: Optional[str], ss: int, j: int, floor: int, shared: Any) -> tuple:
        """稳居全国15个副省级城市|第1位: the ranked thing before the rank, or the sentence's subject."""
        phrase = None if j > ss and j == floor else self._trim_rank(phrase)
        if phrase:
            return phrase, "rank-before"
        text = self.text
        cs = j
        while cs > ss and text[cs - 1] not in _CLAUSE:
            cs -= 1
        found = self._noun_chunk(text[cs:m.start]) or self._subject(ss, cs) or shared
        return found, ("rank-subject" if found else "none")

    def _noun_after(self, m: Any, phrase: Optional[str], se: int) -> tuple:
        """The noun after a measure (a name: 大唐|700万吨|露天矿), a count or an amount (建成4所|
        学校运动场, 100万元|专项资金), or (None, "")."""
        if m.dimension == "measure":
            after = self._after(m.end, se)
            if after:  # a capacity inside a name: 大唐|700万吨|露天矿
                return (self._strip_verbs(phrase) or "") + after, "name-after"
        elif (m.dimension == "count" and m.unit not in self._time_units) or m.dimension == "currency":
            after = self._after(m.end, se)
            if after and m.dimension == "currency" and not self.text.startswith("的", m.end) \
                    and not after.endswith(self._money_nouns):
                after = None  # 1327亿元|支持项目建设: what the money does, not what it is
            if after and m.unit is None and "的" in after:
                after = after[:after.index("的")] or None
            if after:
                return after, "noun-after"
        return None, ""

    def respectively(self, mentions: list, k: int, ss: int, se: int, bs: int, runs: tuple) -> Optional[str]:
        """A figure of a list after 分别 takes the matching item of the list before it:
        化学需氧量、二氧化硫排放量分别减少4.42%和5.95% -> 化学需氧量 | 二氧化硫排放量. The items
        stand in the figures' own clause, or in the clause before (…、社区干部生活补贴和环卫工人
        工资再次提高，月人均分别提高221元、90元、350元和300元). None when the counts differ.
        Only the figure's clause is searched (from `bs` on), so the work per figure is bounded."""
        text = self.text
        m = mentions[k]
        q = text.rfind(_RESPECTIVELY, bs, m.start)
        if q < 0:
            return None
        lo = _clause_start(text, 1, bs, m.start)  # the start of the figure's clause
        if q < lo:
            return None
        first, last = runs[0][k], runs[1][k]  # the figures of the list: after 分别, joined by 、/和/与/及
        while first < k and mentions[first].start <= q:
            first += 1
        if first > 0 and mentions[first - 1].start > q:
            return None  # another figure between 分别 and the list
        count = last - first + 1
        if count < 2:
            return None
        items = self._list_items(text[lo:q], count)
        if items is None and lo - 1 > ss:  # the list is the clause before, up to its own 分别
            before = text[_clause_start(text, 1, max(ss, lo - 1 - _BEFORE_MAX), lo - 1):lo - 1]
            items = self._list_items(before.split(_RESPECTIVELY, 1)[0], count)
        if items is None:
            return None
        return self._item(items, k - first, k == first, k < last)

    def _item(self, items: list, i: int, is_first: bool, not_last: bool) -> Optional[str]:
        """The i-th item of a 分别 list, trimmed; a one- or two-character item shares the head
        of the last one (交通、水利、能源领域投资额 -> 交通领域投资额; 肉、奶产量 -> 肉产量)."""
        raw = items[i].strip()
        item = self._trim(raw) or self._trim_leading(raw)
        if is_first:
            item = self._cut_at_verb(item)
        if not_last and self.tagger:
            tail = [w for w, _ in self.tagger.tag(self._trim(items[-1].strip()) or items[-1].strip())]
            if len(item) <= 2 and len(tail) >= 2:
                item += "".join(tail[1:])
        return item if len(item) >= 2 else None
