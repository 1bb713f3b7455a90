"""Context of each mention: metric, period, role, change and basis.

The report's year comes from its date line (2016年2月19日在…会议上) or title;
sections come from headings (一、2015年工作回顾 / 二、2016年工作安排) and from
paragraph openings (在部署2015年工作时); the period of a figure is an explicit
year in its sentence, a relative year (今年, 去年) resolved against the report's
year, or its section's year. Cue words are in data/context.yaml.
"""
from __future__ import annotations

import functools
from bisect import bisect_right
from importlib import resources

import regex
import yaml

from .numerals import parse_chinese

_YEAR = regex.compile(r"(?<![\d])((?:19|20)\d\d)(?=年)|([〇○零一二三四五六七八九]{4})(?=年)")
_DATE = regex.compile(r"((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日")
_CLAUSE = frozenset("，、；：。！？,;:（）()—\n")
_CJK_OR_WORD = regex.compile(r"[\p{Han}A-Za-z0-9“”\"《》·]+")


@functools.lru_cache(maxsize=None)
def cues() -> dict:
    """The context cue words (data/context.yaml), loaded once."""
    text = resources.files(__package__).joinpath("data").joinpath("context.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    longest = lambda ws: tuple(sorted(set(ws), key=len, reverse=True))
    m = data["metric"]
    m["trailing"], m["leading"] = longest(m["trailing"]), longest(m["leading"])
    data["relative_years"] = dict(sorted(data["relative_years"].items(), key=lambda kv: -len(kv[0])))
    data["_relative"] = regex.compile("|".join(map(regex.escape, data["relative_years"])))
    data["_basis"] = regex.compile("|".join(map(regex.escape, longest(data["basis_words"]))))
    return data


def _year_value(m) -> int:
    y = m.group(1)
    if y and y.isdigit():
        return int(y)
    return int(parse_chinese(y or m.group(2)))


class Context:
    """Document-level context: report year and sections; annotates mentions."""

    def __init__(self, text, paras, sents, year=None, enabled=True):
        self.text = text
        self.paras = paras
        self.sents = sents
        self._sent_starts = [s for s, _ in sents]
        self.enabled = bool(enabled)
        self.c = cues()
        self.year = year or self._report_year()
        self.sections = self._sections() if self.enabled else []
        self._section_starts = [s for s, _, _ in self.sections]

    # -- document level -------------------------------------------------------
    def _report_year(self):
        head = self.text[:600]
        m = _DATE.search(head)
        if m:
            return _year_value(m)
        m = _YEAR.search(self.text[:200])
        if m and ("报告" in self.text[:200] or "计划" in self.text[:200]):
            return _year_value(m)
        return None

    def _kind(self, text):
        if any(w in text for w in self.c["sections"]["plan"]):
            return "plan"
        if any(w in text for w in self.c["sections"]["review"]):
            return "review"
        return None

    def _sections(self):
        """(start, kind, year) for each section opening, in order."""
        out = []
        markers = tuple(self.c["heading_markers"])
        for ps, pe, ptext in self.paras:
            heading = ptext.startswith(markers) or (len(ptext) <= 30 and not ptext.endswith("。"))
            probe = ptext if heading else self.text[ps:self._first_sentence_end(ps, pe)]
            kind = self._kind(probe)
            if kind is None:
                if heading and ptext.startswith(markers) and out:
                    out.append((ps, out[-1][1], out[-1][2]))
                continue
            if not heading and not _YEAR.search(probe):
                continue
            years = [_year_value(m) for m in _YEAR.finditer(probe)]
            year = years[-1] if years else self._default_year(kind)
            out.append((ps, kind, year))
        return out

    def _first_sentence_end(self, ps, pe):
        i = bisect_right(self._sent_starts, ps) - 1
        if 0 <= i < len(self.sents) and self.sents[i][0] >= ps:
            return self.sents[i][1]
        return pe

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
    def annotate(self, mentions):
        """One dict of context fields per mention (metric, period, role, change, basis, sentence)."""
        out = []
        last_metric = {}
        for m in mentions:
            si, (ss, se) = self.sentence_at(m.start)
            info = {"sentence": si}
            if not self.enabled:
                out.append(info)
                continue
            before = self.text[ss:m.start]
            _, kind, sec_year = self.section_at(m.start)
            info["period"] = self._period(before, sec_year)
            info["role"] = self._role(before, kind)
            info["change"] = self._change(before)
            info["basis"] = self._basis(before)
            metric = self._metric(m, ss, se)
            if metric is None:
                metric = last_metric.get(si)
            else:
                last_metric[si] = metric
            info["metric"] = metric
            out.append(info)
        return out

    def _period(self, before, sec_year):
        years = [(mm.start(), _year_value(mm)) for mm in _YEAR.finditer(before)]
        basis_spans = [mm.span() for mm in self.c["_basis"].finditer(before)]
        rel = [(mm.start(), self.c["relative_years"][mm.group()]) for mm in self.c["_relative"].finditer(before)
               if not any(s <= mm.start() < e for s, e in basis_spans)]
        cands = years + [(p, self.year + off) for p, off in rel if self.year is not None]
        if cands:
            return str(max(cands)[1])
        return str(sec_year) if sec_year else None

    def _role(self, before, kind):
        r = self.c["role"]
        if any(w in before for w in r["estimate_actual"]) and kind != "plan":
            return "actual"
        if kind == "plan":
            if any(w in before for w in r["strong_actual"]):
                return "actual"
            return "target"
        if any(w in before for w in r["strong_target"]):
            return "target"
        return "actual"

    def _change(self, before):
        tail = before[-12:]
        best = None
        for direction, words in self.c["change"].items():
            for w in words:
                i = tail.rfind(w)
                if i >= 0 and (best is None or i > best[0]):
                    best = (i, direction)
        return best[1] if best else None

    def _basis(self, before):
        for name, words in self.c["basis"].items():
            if any(w in before for w in words):
                return name
        return None

    def _metric(self, m, ss, se):
        """The phrase before the number in its clause, trimmed of verbs; else the noun after the unit."""
        text = self.text
        i = m.start
        j = i
        while j > ss and text[j - 1] not in _CLAUSE:
            j -= 1
        phrase = self._trim(text[j:i])
        if m.dimension in ("count", "measure") and m.unit:
            after = self._after(m.end, se)
            if after and (not phrase or len(phrase) < 2):
                return after
        return phrase or None

    def _after(self, pos, se):
        text = self.text
        k = pos
        while k < se and text[k] not in _CLAUSE and k - pos < 16:
            k += 1
        phrase = text[pos:k]
        if phrase.startswith("的"):
            phrase = phrase[1:]
        return phrase if len(phrase) >= 2 else None

    def _trim(self, phrase):
        mc = self.c["metric"]
        phrase = phrase.strip()
        changed = True
        while changed and phrase:
            changed = False
            for w in mc["trailing"]:
                if phrase.endswith(w):
                    phrase = phrase[:-len(w)]
                    changed = True
                    break
            for w in mc["leading"]:
                if phrase.startswith(w) and len(phrase) > len(w):
                    phrase = phrase[len(w):]
                    changed = True
                    break
            stripped = _YEAR.sub("", phrase)
            stripped = regex.sub(r"^(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:度)?", "", phrase)
            if stripped != phrase:
                phrase, changed = stripped, True
        if len(phrase) > mc["max_chars"]:
            phrase = phrase[-mc["max_chars"]:]
        return phrase if len(phrase) >= 2 else None
