"""Context of each mention: metric, period, role, change and basis.

The report's year comes from its date line (2016年2月19日在…会议上) or title;
sections come from headings (一、2015年工作回顾 / 二、2016年工作安排) and from
paragraph openings (在部署2015年工作时); the period of a figure is an explicit
year in its sentence, a relative year (今年, 去年) resolved against the report's
year, or its section's year. Cue words are in data/context.yaml.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from importlib import resources
from typing import Any, Final, Optional

import regex
import yaml

from .lexicon import WordList
from .numerals import parse_chinese
from .structure import analyze

_YEAR: Final = re.compile(r"(?<![\d])((?:19|20)\d\d)(?=年)|([〇○零一二三四五六七八九]{4})(?=年)")
_YEAR_EDGES: Final = re.compile(r"^(?:[从到至由在截]?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:度|底|末|前|初)?前?)+"
                            r"|[从由到至]?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:度|底|末)?的?$")
_LIST_MARKER: Final = re.compile(r"^(?:\d{1,2}[.．、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十]{1,3}[)）])")
_EMBEDDED_FIGURE: Final = re.compile(r"\d+(?:\.\d+)?[万亿]*(?:元|个|家|人|户|项|吨|亩|平方米|公里|千瓦|%)")
_BEFORE_MAX: Final = 400  # characters of a sentence read before a figure for its cues
_NOT_PERIOD: Final = re.compile(r"以来|以前|之前|之后|以后|起|前后")
_FROM: Final = re.compile(r"[从由][^，。；]{0,30}$")
_SHORT_ITEM: Final = regex.compile(r"\p{Han}{1,4}")
_NAMED: Final = regex.compile(r"\d[^\p{Han}]*[\p{Han}]{0,2}的(?=\p{Han})")
_DIGIT: Final = re.compile(r"\d")
_ORDINAL_DIGIT: Final = re.compile(r"[第前]?\d")
_WORDY: Final = regex.compile(r"[\p{Han}A-Za-z“\"《]")
_OBJECT_VERB: Final = re.compile(r"(?:重点)?(?:实施了|实施|建成了|建成|完成了|新建|用于|启动)")
_LEADING_OBJECT_VERB: Final = re.compile(r"^(?:完成了|完成|建成|实施了|实施|新建|用于)")
_LEADING_AMOUNT: Final = regex.compile(r"^[\d.,]+[^\p{Han}]*[\p{Han}]?")
_QUOTED: Final = re.compile(r"“[^”]*”|《[^》]*》")
_CLAUSE: Final = frozenset("，、；：。！？,;:（）()—\n")
_COMMAS: Final = "，,；;：:"  # the marks that end a clause inside a sentence
_RESPECTIVELY: Final = "分别"
_LIST_JOINERS: Final = re.compile(r"和|与|及")  # the last item of a list (A、B和C)
_FIGURE_GAPS: Final = frozenset(("、", "和", "与", "及", "以及"))  # between the figures of a list
_TRAILING_BASIS: Final = re.compile(r"(?:比|较)(?:上年|去年|\d{4}年)(?:同期|末)?$|同比$")


@functools.lru_cache(maxsize=None)
def cues() -> dict:
    """The context cue words (data/context.yaml), loaded once."""
    text = resources.files(__package__).joinpath("data").joinpath("context.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    longest = lambda ws: tuple(sorted(set(ws), key=len, reverse=True))
    m = data["metric"]
    m["trailing"], m["leading"] = longest(m["trailing"]), longest(m["leading"])
    data["relative_years"] = dict(sorted(data["relative_years"].items(), key=lambda kv: -len(kv[0])))
    data["_relative"] = re.compile("|".join(map(re.escape, data["relative_years"])))
    data["_basis"] = re.compile("|".join(map(re.escape, longest(data["basis_words"]))))
    return data


def _year_value(m) -> int:
    y = m.group(1)
    if y and y.isdigit():
        return int(y)
    return int(parse_chinese(y or m.group(2)))


def _category(phrase: str) -> str:
    """In `X等Y` keep the category Y (米面油等|生活物资, 《…》等|规章制度) unless it is
    only a generic word after a long list (公交新型客车更换等|项目)."""
    i = phrase.rfind("等", 1)
    if i < 0:
        return phrase
    head, tail = phrase[:i], phrase[i + 1:]
    if len(tail) >= 3 and (len(tail) * 2 >= len(head) or head.endswith(("》", "”"))):
        return tail
    if len(tail) == 2 and head.endswith(("》", "”")):
        return tail
    return head if len(tail) < 3 else phrase


@functools.lru_cache(maxsize=None)
def _cue(group: str, name: str):
    """A compiled alternation of the cue words cues()[group][name]."""
    words = sorted(cues()[group][name], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=None)
def _change_rx():
    words = sorted({w for ws in cues()["change"].values() for w in ws}, key=len, reverse=True)
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    # one match per start (a lookahead), tried only where a word can start
    return re.compile(f"(?=[{firsts}])(?=(" + "|".join(map(re.escape, words)) + "))")


@functools.lru_cache(maxsize=None)
def _any_basis_rx():
    words = sorted({w for ws in cues()["basis"].values() for w in ws}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=None)
def _basis_rxs():
    return tuple((name, re.compile("|".join(map(re.escape, sorted(ws, key=len, reverse=True)))))
                 for name, ws in cues()["basis"].items())


@functools.lru_cache(maxsize=None)
def _trim_affixes():
    """The metric's trailing and leading words."""
    m = cues()["metric"]
    return WordList(m["trailing"]), WordList(m["leading"])


@functools.lru_cache(maxsize=65536)
def _counted(phrase: str, tagger: Any, stop: frozenset) -> Optional[str]:
    """The counted noun at the start of `phrase`, then its predicate up to twice the noun's
    length (企业|完成迁建, 优秀个人|颁发了): short, but it says what happened to the things
    counted; None when the phrase starts with a conjunction, preposition or particle.
    (A pure function of its arguments, cached: the same phrases follow figures again and again.)"""
    words: list = []
    noun_len = 0
    for w, t in tagger.tag(phrase):
        if not words and t[:1] in ("c", "p", "u"):
            return None
        taken = sum(map(len, words))
        idiom = t == "i" and len(w) >= 4  # 楼宇|拔地而起
        is_verb = idiom or t[:1] in ("c", "p") or (t[:1] == "v" and t != "vn")
        if noun_len == 0 and is_verb and words:
            noun_len = taken
        if words and (idiom or t[:1] in ("c", "p") or w in stop):
            break
        if noun_len and taken + len(w) > max(2 * noun_len, 8):
            break
        words.append(w)
    phrase = _category("".join(words))
    return phrase if len(phrase) >= 2 else None


@functools.lru_cache(maxsize=None)
def _wordy(ch: str) -> bool:
    """Can a counted thing start with this character (a Han character, a letter, a quote)?"""
    return _WORDY.match(ch) is not None


def _near_figure(pos: int, taken: Any) -> bool:
    """Does a figure of `taken` start within 4 characters from pos?"""
    return pos in taken or pos + 1 in taken or pos + 2 in taken or pos + 3 in taken


def _clause_start(text: str, clauses: int, start: int = 0, end: int | None = None) -> int:
    """Where the last `clauses` clauses of text[start:end] begin (start when it has fewer)."""
    pos = len(text) if end is None else end
    for _ in range(clauses):
        last = -1
        for mark in _COMMAS:
            last = max(last, text.rfind(mark, start, pos))
        if last < 0:
            return start
        pos = last
    return pos + 1


class Context:
    """Document-level context: report year and sections; annotates mentions."""

    FIELDS = ("role", "metric", "period", "sentence", "change", "basis")  # of annotate's tuples

    def __init__(self, text: str, paras: list, sents: list, year: Optional[int] = None,
                 enabled: bool = True, tagger: Any = None, structure: Any = None) -> None:
        self.text = text
        self.paras = paras
        self.sents = sents
        self._sent_starts = [s for s, _ in sents]
        self.enabled = bool(enabled)
        self.c = cues()
        self._object_verbs = frozenset(self.c["object_verbs"])
        self._invest = frozenset(self.c["investment_words"])
        self.tagger = tagger
        self._after_stop = frozenset(self.c["after_stop"])
        self._cut_verbs = frozenset(self.c["metric"]["cut_after"])
        self._time_units = frozenset(self.c["metric"]["time_units"])
        self._money_nouns = tuple(self.c["metric"]["money_nouns"])
        self._comparisons = tuple(self.c["metric"]["comparisons"])
        self._needs_subject = tuple(self.c["metric"]["needs_subject"])
        self._subject_measures = WordList(self.c["metric"]["subject_measures"])
        self._directions = {w: d for d, ws in self.c["change"].items() for w in ws}
        self._trailing, self._leading = _trim_affixes()
        self._leading_verbs = tuple(sorted(self.c["object_verbs"], key=len, reverse=True))
        self._predicates = frozenset(self.c["metric"]["predicate_start"])
        self._long_predicates = tuple(w for w in self._predicates if len(w) >= 2)
        from .lexicon import load as _lexicon
        self._rank_words = tuple(sorted(_lexicon().rank_cues + tuple(self.c["metric"]["rank_trailing"]),
                                        key=len, reverse=True))
        st = structure if structure is not None else analyze(text, paras, sents)
        self.structure = st
        self.year = year or st.stated_year
        self._bases: list = []
        self._estimate_actual = _cue("role", "estimate_actual")
        self._strong_actual = _cue("role", "strong_actual")
        self._strong_target = _cue("role", "strong_target")
        self._change_rx = _change_rx()
        self._any_basis = _any_basis_rx()
        self._from_to = re.compile("|".join(map(re.escape, self.c["from_to"])))
        self.sections = self._sections() if self.enabled else []
        if self.enabled and st.title_mode:  # a bulletin / summary / plan: the whole text is about its title's year
            kind, year = st.title_mode, st.title_year
            self.sections.insert(0, (0, kind, year))
            self.year = self.year or (year + 1 if kind == "review" else year)
        if self.year is None and self.sections:
            self.year = self._year_from_sections()
        self._section_starts = [s for s, _, _ in self.sections]

    # -- document level -------------------------------------------------------
    def _sections(self):
        """(start, kind, year) for each turn of the document structure (a heading or an opening
        sentence naming a review or a plan), in order; a turn with no year of its own takes the
        report's year (a plan) or the year before (a review)."""
        out: list = []
        for ps, kind, years, probe in self.structure.turns:
            if kind is None:  # a 一、 heading with no words of its own continues the turn before
                out.append((ps, out[-1][1], out[-1][2]))
                continue
            year = years[-1] if years else self._default_year(kind)
            out.append((ps, kind, year))
            if kind == "review":
                self._bases.append((ps, self._base_year(probe, self.text[ps:ps + 200].split("\n", 1)[0])))
        return out

    def _base_year(self, probe, ptext):
        """The year before the period a review covers: 2020 for “十四五”时期, else None."""
        for name, first in self.c["plan_periods"].items():
            if name in probe:
                return first - 1
        if any(w in ptext[:200] for w in self.c["five_year_words"]) and self.year:
            return self.year - 6
        return None

    def base_at(self, pos):
        i = bisect_right([p for p, _ in self._bases], pos) - 1
        return self._bases[i][1] if i >= 0 else None

    def _year_from_sections(self):
        """No date line: the report's year is that of its plan part, or the year after its review."""
        plans = [y for _, k, y in self.sections if k == "plan" and y]
        if plans:
            return max(plans)
        reviews = [y for _, k, y in self.sections if k == "review" and y]
        return max(reviews) + 1 if reviews else None

    def _default_year(self, kind):
        if self.year is None:
            return None
        return self.year - 1 if kind == "review" else self.year

    def section_at(self, pos):
        i = bisect_right(self._section_starts, pos) - 1
        return self.sections[i] if i >= 0 else (0, None, None)

    def sentence_at(self, pos):
        i = bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and pos < self.sents[i][1]:
            return i, self.sents[i]
        return -1, (pos, pos)

    # -- per mention ----------------------------------------------------------
    def annotate(self, mentions: list) -> list:
        """The context fields of each mention, as one tuple per mention in the order of
        `FIELDS`: (role, metric, period, sentence, change, basis)."""
        out: list = []
        last_metric: dict = {}
        starts: dict[int, set] = {}   # starts of the sentence's earlier figures
        last_end: dict[int, int] = {}  # end of the sentence's previous figure
        sent_starts, sents = self._sent_starts, self.sents
        section_starts, sections = self._section_starts, self.sections
        report_year = str(self.year) if self.year else None
        text = self.text
        for k, m in enumerate(mentions):
            si = bisect_right(sent_starts, m.start) - 1  # (sentence_at, inline: it runs per figure)
            if si >= 0 and m.start < sents[si][1]:
                ss, se = sents[si]
            else:
                si, ss, se = -1, m.start, m.start
            if not self.enabled:
                out.append(("actual", None, None, si, None, None))
                continue
            # the cues of a figure stand before it in its sentence; a very long sentence (a table
            # flattened into one line) is read only so far back, which keeps the work linear
            bs = max(ss, m.start - _BEFORE_MAX)
            before = text[bs:m.start]
            i = bisect_right(section_starts, m.start) - 1
            _, kind, sec_year = sections[i] if i >= 0 else (0, None, None)
            # a year cue right before an earlier figure of the sentence binds to that figure
            taken = starts.get(si)
            if taken is None:
                taken = starts[si] = set()
            period: Optional[str]
            if "年" in before:  # every year and relative year (今年, 上年 …) is written with 年
                period = self._period(before, sec_year, kind, taken, bs)
            else:
                period = str(sec_year) if sec_year else None
            if kind == "review" and self._from_to.match(text, m.end) and _FROM.search(before):
                # 从3826.5亿元增长到4398.6亿元: the first figure is the period's starting point
                base = self.base_at(m.start)
                if base and not _YEAR.search(before[_FROM.search(before).start():]):  # type: ignore[union-attr]
                    period = str(base)
            taken.add(m.start)
            role = self._role(before, kind)
            if kind == "plan" and sec_year and period and int(period) < sec_year:
                role = "actual"  # a past year's figure recalled in the plan part
            if kind is None and report_year and period == report_year \
                    and not self._strong_actual.search(before):
                role = "target"  # 2017年，地区生产总值增长7%左右 in a 2017 report
            metric = self._respectively(mentions, k, ss, se)
            if metric is None:
                metric = self._metric(m, bs, se, last_end.get(si, bs), last_metric.get(si))
            last_end[si] = max(m.end, bs)
            if metric is not None:
                fig = _EMBEDDED_FIGURE.search(metric)
                if fig:  # another figure inside the phrase: keep the longer side of it
                    head, tail = metric[:fig.start()], metric[fig.end():]
                    metric = max(head, tail, key=len) if max(len(head), len(tail)) >= 2 else None
            shared = last_metric.get(si)
            if metric is not None and shared is not None and metric in self._subject_measures.words:
                metric = self._with_subject(metric, shared)
            if metric is not None:
                last_metric[si] = metric
            out.append((role, metric, period, si, self._change(before), self._basis(before)))
        return out

    def _period(self, before: str, sec_year: Optional[int], kind: Optional[str], taken: Any = frozenset(),
                offset: int = 0) -> Optional[str]:
        """The year of a figure from the text before it; `taken` holds the starts (offset by
        `offset`) of the sentence's earlier figures, which a year right before them binds to."""
        if "年" not in before:  # every year and relative year (今年, 上年 …) is written with 年
            return str(sec_year) if sec_year else None
        cands = []
        for mm in _YEAR.finditer(before):
            s, e = mm.span()
            if taken and _near_figure(offset + e + 1, taken):
                continue  # the year of an earlier figure standing right after it (由上年46亿元增加到…)
            if _NOT_PERIOD.match(before, e + 1) or (s and before[s - 1] in "比较"):
                continue  # 1985年以来, 比2009年提高
            cands.append((s, _year_value(mm)))
        relative = [mm for mm in self.c["_relative"].finditer(before)
                    if not (taken and _near_figure(offset + mm.end(), taken))]
        if relative:
            basis_spans = [mm.span() for mm in self.c["_basis"].finditer(before)]
            bases = {"report": self.year, "section": sec_year or self.year}
            for mm in relative:
                s = mm.start()
                if any(bs <= s < be for bs, be in basis_spans):
                    continue  # 比上年: a basis, not a period
                off, base = self.c["relative_years"][mm.group()]
                year = bases[base]
                if year is not None:
                    cands.append((s, year + off))
        if cands:
            return str(max(cands)[1])
        return str(sec_year) if sec_year else None

    def _role(self, before: str, kind: Any) -> str:
        if "“" in before or "《" in before:
            before = _QUOTED.sub("", before)  # “六个倍增计划” names a programme, it is no cue
        if kind != "plan" and self._estimate_actual.search(before):
            return "actual"
        if kind == "plan":
            if self._strong_actual.search(before):
                return "actual"
            return "target"
        # outside a plan part a target cue counts only near the figure: in a review, in its own
        # clause (新开工项目计划总投资… earlier in the sentence is no cue for a later figure);
        # with no section known, in its clause or the one before (预期目标是：…增长7.5%)
        near = before[_clause_start(before, 1 if kind == "review" else 2):]
        if self._strong_target.search(near):
            return "target"
        return "actual"

    def _change(self, before: str) -> str | None:
        """increase / decrease from the last verb of change in the 12 characters before."""
        best = None
        for best in self._change_rx.finditer(before, max(0, len(before) - 12)):
            pass  # one match per start (a lookahead): the last starts latest
        return self._directions[best.group(1)] if best else None

    def _basis(self, before: str) -> str | None:
        if not self._any_basis.search(before):
            return None
        for name, rx in _basis_rxs():
            if rx.search(before):
                return name
        return None

    def _metric(self, m: Any, ss: int, se: int, floor: int, shared: Any = None) -> Any:
        """What the figure measures, from its clause.

        A counted thing follows its classifier when a noun follows (建成4所|学校运动场,
        15个|副省级城市, 700万吨|露天矿); otherwise the metric is the phrase before
        the number, trimmed of verbs of change (规模以上工业增加值|增长11.1%) and of a
        leading clause before its last verb (市黄金办全年进行|安全生产检查8次); an
        amount of investment takes its object (投资650万元建成6座|水冲式公厕); with no
        subject in its own clause the figure takes that of the clause before
        (工业投资继续保持快速增长，首次突破|千亿元).
        """
        text = self.text
        j = m.start  # just after the last clause mark before the figure (or at the floor)
        lo = max(ss, floor)
        while j > lo and text[j - 1] not in _CLAUSE:
            j -= 1
        if text[j - 1:j] == "、":
            j = self._list_start(j, ss, max(ss, floor))
        raw = text[j:m.start]
        phrase = self._trim(raw)
        if m.dimension == "currency" and phrase is not None and phrase in self._invest:
            obj = self._object_after(m.end, se)
            if obj:
                return obj + phrase
            # 老城区改造工作成效明显。全年共完成投资3.5亿元: the project is the topic before
            topic = self._subject(ss, j) or self._previous_topic(ss)
            if topic and j >= floor:
                return topic + phrase
        if phrase and self._verbal(phrase):
            phrase = None
        if m.dimension == "rank":
            # 稳居全国15个副省级城市|第1位: the ranked thing is the sentence's subject
            phrase = None if j > ss and j == floor else self._trim_rank(phrase)
            if phrase:
                return phrase
            cs = j
            while cs > ss and text[cs - 1] not in _CLAUSE:
                cs -= 1
            return self._noun_chunk(text[cs:m.start]) or self._subject(ss, cs) or shared
        if m.dimension == "measure":
            after = self._after(m.end, se)
            if after:  # a capacity inside a name: 大唐|700万吨|露天矿
                return (self._strip_verbs(phrase) or "") + after
        elif (m.dimension == "count" and m.unit not in self._time_units) or m.dimension == "currency":
            after = self._after(m.end, se)
            if after and m.dimension == "currency" and not text.startswith("的", m.end) \
                    and not after.endswith(self._money_nouns):
                after = None  # 1327亿元|支持项目建设: what the money does, not what it is
            if after and m.unit is None and "的" in after:
                after = after[:after.index("的")] or None
            if after:
                return after
        if m.dimension == "percentage_point" and phrase and len(phrase) <= 5 and phrase.startswith(self._comparisons):
            subject = shared or self._subject(ss, j)
            if subject:  # 进出口总值增长6.4%、高于全国|2.6个百分点
                return subject + "增速" + phrase
        if phrase and len(phrase) > 12 and "的" in phrase[4:]:
            tail = phrase[phrase.rindex("的") + 1:]
            phrase = tail if len(tail) >= 5 else phrase  # …督察交办的|群众举报问题办结率
        if phrase:
            phrase = _category(phrase)
        if phrase and len(phrase) <= 6 and phrase.startswith(self._needs_subject):
            subject = self._subject(ss, j)
            if subject:  # 国有及国有控股工业企业…，|实现利润3784亿元
                phrase = subject + phrase
        if phrase:
            return self._cut_at_verb(phrase)
        return shared or self._subject(ss, j)

    def _respectively(self, mentions: list, k: int, ss: int, se: int) -> Optional[str]:
        """A figure of a list after 分别 takes the matching item of the list before it:
        化学需氧量、二氧化硫排放量分别减少4.42%和5.95% -> 化学需氧量 | 二氧化硫排放量. The items
        stand in the figures' own clause, or in the clause before (…、社区干部生活补贴和环卫工人
        工资再次提高，月人均分别提高221元、90元、350元和300元). None when the counts differ."""
        text = self.text
        m = mentions[k]
        q = text.rfind(_RESPECTIVELY, ss, m.start)
        if q < 0:
            return None
        lo = _clause_start(text, 1, ss, m.start)  # the start of the figure's clause
        if q < lo:
            return None
        first = k  # the figures of the list: after 分别, joined only by 、/和/与/及
        while first > 0 and mentions[first - 1].start > q \
                and text[mentions[first - 1].end:mentions[first].start] in _FIGURE_GAPS:
            first -= 1
        if first > 0 and mentions[first - 1].start > q:
            return None  # another figure between 分别 and the list
        last = k
        while last + 1 < len(mentions) and mentions[last + 1].start < se \
                and text[mentions[last].end:mentions[last + 1].start] in _FIGURE_GAPS:
            last += 1
        count = last - first + 1
        if count < 2:
            return None
        items = self._list_items(text[lo:q], count)
        if items is None and lo - 1 > ss:  # the list is the clause before
            items = self._list_items(text[_clause_start(text, 1, ss, lo - 1):lo - 1], count)
        if items is None:
            return None
        raw = items[k - first].strip()
        item = self._trim(raw) or self._trim_leading(raw)
        if k == first:
            item = self._cut_at_verb(item)
        if k < last and self.tagger:
            # an item of one or two characters shares the head of the last one (交通、水利、能源领域
            # 投资额 -> 交通领域投资额; 肉、奶产量 -> 肉产量); a longer one names its thing itself
            tail = [w for w, _ in self.tagger.tag(self._trim(items[-1].strip()) or items[-1].strip())]
            if len(item) <= 2 and len(tail) >= 2:
                item += "".join(tail[1:])
        return item if len(item) >= 2 else None

    def _with_subject(self, measure: str, previous: str) -> str:
        """企业营收增长5.9%、利润增长5.5%: a bare measure (利润) after another measure of the
        same sentence (企业营收) takes that one's subject (企业利润)."""
        word = self._subject_measures.ending(previous, len(previous))
        if word is None or word == measure or len(previous) - len(word) < 2:
            return measure
        return previous[:-len(word)] + measure

    def _list_items(self, phrase: str, count: int) -> Optional[list]:
        """The `count` items of a list A、B、C (or A、B和C), or None."""
        phrase = _TRAILING_BASIS.sub("", phrase)
        items = phrase.split("、")
        if len(items) != count:
            parts = _LIST_JOINERS.split(items[-1])
            if len(parts) == 2 and len(items) + 1 == count:
                items = items[:-1] + parts
        if len(items) != count or not all(it.strip() for it in items):
            return None
        return items

    def _strip_verbs(self, phrase: Any) -> Any:
        """加快推进大唐哈克 -> 大唐哈克: leading verbs of a name's prefix."""
        changed = True
        while phrase and changed:
            changed = False
            for w in self._leading_verbs:
                if phrase.startswith(w) and len(phrase) > len(w):
                    phrase, changed = phrase[len(w):], True
                    break
        return phrase if phrase and not self._verbal(phrase) else None

    def _list_start(self, j: int, ss: int, floor: int) -> int:
        """Extend a phrase back over a list of short items (教育、卫生、科技、文化、体育事业的支出)."""
        text = self.text
        while j - 1 > floor and text[j - 1] == "、":
            k = j - 1
            while k > floor and text[k - 1] not in _CLAUSE and j - 1 - k < 4:
                k -= 1
            item = text[k:j - 1]
            starts_clause = k == ss or (k > floor and text[k - 1] in "、，,；：")
            if not starts_clause or not _SHORT_ITEM.fullmatch(item):
                break
            j = k
        return j

    def _subject(self, ss: int, clause_start: int) -> Any:
        """The leading noun chunk of the nearest earlier clause of the sentence that has one."""
        text = self.text
        end = clause_start - 1
        while end > ss:
            start = end
            while start > ss and text[start - 1] not in _CLAUSE:
                start -= 1
            chunk = self._noun_chunk(text[start:end])
            if chunk:
                return chunk
            end = start - 1
        return None

    def _predicate_at(self, text: str) -> int | None:
        """Offset of the first word that starts a predicate (增长, 居, 有 …), on word boundaries."""
        if not self.tagger:
            return None
        pos = 0
        for w, _ in self.tagger.tag(text):
            if w in self._predicates or w.startswith(self._long_predicates):
                return pos
            pos += len(w)
        return None

    def _previous_topic(self, ss: int) -> Any:
        """The subject of the sentence before (within the same paragraph)."""
        i = bisect_right(self._sent_starts, ss - 1) - 1
        if i < 0:
            return None
        ps, pe = self.sents[i]
        if "\n" in self.text[pe:ss]:
            return None
        k = ps
        while k < pe and self.text[k] not in _CLAUSE:
            k += 1
        return self._noun_chunk(self.text[ps:k])

    def _noun_chunk(self, clause: str) -> Any:
        """The subject of a clause: its text up to the first word that starts a predicate."""
        clause = self._trim_leading(clause.strip())
        named = _NAMED.search(clause)
        if named:  # 总投资18.8亿元的|大兴安岭…工程: the named thing
            clause = clause[named.end():]
        cut = self._predicate_at(clause)
        chunk = clause[:cut] if cut is not None else clause
        digit = _DIGIT.search(chunk)
        noun = self._trim(chunk[:digit.start()] if digit else chunk)
        if noun and noun.endswith("工作") and len(noun) > 4:
            noun = noun[:-2]  # 老城区改造工作|成效明显
        if not noun or noun.startswith(self._comparisons) or noun in self._rank_words:
            return None
        return noun if len(noun) <= self.c["metric"]["max_chars"] else None

    def _cut_at_verb(self, phrase: str) -> str:
        """Long phrase with a verb inside: keep what follows the last verb (进行|安全生产检查)."""
        if len(phrase) <= 8 or not self.tagger:
            return phrase
        tags = self.tagger.tag(phrase)
        pos = 0
        cut = None
        for w, t in tags:
            pos += len(w)
            if w in self._cut_verbs and pos < len(phrase):
                cut = pos
        if cut is not None and len(phrase) - cut >= 3:
            return phrase[cut:]
        return phrase

    def _verbal(self, phrase: str) -> bool:
        """True when the phrase is only a verb or adverb (建成, 首次), no subject of its own."""
        if phrase in self._object_verbs:
            return True
        tags: Any = self.tagger.tag(phrase) if self.tagger else ()
        return len(tags) == 1 and tags[0][1][:1] in ("d", "p", "c", "r", "u")

    def _trim_rank(self, phrase: Any) -> Any:
        """综合算力指数全国|第一: drop the ranking words before a rank."""
        changed = True
        while phrase and changed:
            changed = False
            for w in self._rank_words:
                if phrase.endswith(w) and len(phrase) > len(w):
                    phrase, changed = self._trim(phrase[:-len(w)]) or "", True
                    break
        return phrase or None

    def _after(self, pos: int, se: int) -> str | None:
        """The phrase after the unit naming what is counted (建成4所|学校运动场|和…).

        It ends at a clause mark, a number, a stop word, or a verb, conjunction or
        preposition once a noun has been taken (项目|争取…, 处室|被命名…); a phrase
        that starts with a verb is kept whole (2人|当选中国工程院院士). In
        `X等Y` the category Y is kept (米面油等|生活物资).
        """
        text = self.text
        if pos < len(text) and text[pos] == "的":
            pos += 1
        k = pos
        while k < se and text[k] not in _CLAUSE and k - pos < 16:
            k += 1
        phrase = text[pos:k].lstrip("级")
        digit = _ORDINAL_DIGIT.search(phrase)
        if digit:
            phrase = phrase[:digit.start()]
        if len(phrase) < 2 or self._from_to.match(phrase) or phrase.startswith(("稳定在", "达到", "保持在")) \
                or not _wordy(phrase[0]):
            return None  # 0.94万家|增加到…: a change, not what is counted
        if self.tagger:
            return _counted(phrase, self.tagger, self._after_stop)
        phrase = _category(phrase)
        return phrase if len(phrase) >= 2 else None

    def _object_after(self, pos: int, se: int) -> str | None:
        """投资650万元|建成6座|水冲式公厕 -> 水冲式公厕; 投资4.2亿元的|“十个全覆盖”工程 -> that."""
        text = self.text
        k = pos
        while k < se and text[k] not in _CLAUSE:
            k += 1
        tail = text[pos:k]
        if not tail and k < len(text) and text[k] in "，,":
            # 投资2.5亿元，实施俄罗斯风情精品街项目: the object is in the next clause
            nk = k + 1
            while nk < se and text[nk] not in _CLAUSE:
                nk += 1
            nxt = text[k + 1:nk]
            verb = _OBJECT_VERB.match(nxt)
            if verb:
                obj = nxt[verb.end():]
                return obj if 2 <= len(obj) <= 20 and not obj[:1].isdigit() else None
            return None
        if tail.startswith("的"):
            obj = tail[1:]
            for w in ("开工建设", "全部完工", "完工", "投入使用", "实现", "开工", "建成", "全线", "顺利", "基本"):
                i = obj.find(w)
                if i > 0:
                    obj = obj[:i]
            return obj if len(obj) >= 2 else None
        tail = _LEADING_OBJECT_VERB.sub("", tail)
        tail = _LEADING_AMOUNT.sub("", tail) if tail[:1].isdigit() else tail
        return tail if 2 <= len(tail) <= 20 else None

    def _trim_leading(self, phrase: str) -> str:
        """The phrase without its longest leading filler word shorter than itself."""
        word = self._leading.starting(phrase, 0, len(phrase) - 1)
        return phrase[len(word):] if word else phrase

    def _trim(self, phrase: str) -> str | None:
        """Strip verbs of change, copulas and adverbs from the end, filler from the start, and
        years from both ends, until nothing changes."""
        mc = self.c["metric"]
        phrase = phrase.strip()
        marker = _LIST_MARKER.match(phrase)  # 2.实现城镇新增就业 / （三）…
        if marker:
            phrase = phrase[marker.end():]
        changed = True
        while changed and phrase:
            changed = False
            word = self._trailing.ending(phrase, len(phrase))
            if word:
                phrase = phrase[:-len(word)]
                changed = True
            stripped = self._trim_leading(phrase)
            if stripped != phrase:
                phrase, changed = stripped, True
            if "年" in phrase:
                stripped = _YEAR_EDGES.sub("", phrase)  # 2015年|… and …|从2020年的
                if stripped != phrase:
                    phrase, changed = stripped, True
        if len(phrase) > mc["max_chars"]:
            phrase = phrase[-mc["max_chars"]:]
        return phrase if len(phrase) >= 2 else None
