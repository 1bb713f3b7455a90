"""Document structure: kind, title, date line, report year and the section tree.

Pure functions over the normalized text. The kind comes from the title, then from the
opening lines (PANEL.md §1): 统计公报 → communique, 预算执行情况…预算草案 → budget_report,
计划执行情况…计划草案 → plan_report, 规划纲要 → five_year_plan, 政府工作报告 → work_report,
a department's 工作总结/工作安排/工作要点 → work_summary, else other. The date is the
document's own date line (——2026年1月26日在…会议上, a lone date line under a communiqué's
issuers), never a 来源/时间 web stamp. Sections come from headings: 一、 and 第X部分 (level 1),
（一） (2), 1. (3), （1） (4) — or 第X篇, 第X章, 第X节 in a plan, levels by the markers a document
uses; short heading lines and 专栏 take a level from their context.
Each section names the years of its heading and whether it reviews or plans (its mode).
The word lists are data (data/context.yaml: `kinds`, `sections`).

>>> s = analyze("郑州市财政局2025年工作总结\\n一、2025年财政收支情况\\n收入增长2%。\\n二、2026年工作安排\\n")
>>> s.kind, s.year, [(x.heading, x.years, x.mode) for x in s.sections]
('work_summary', 2026, [('一、2025年财政收支情况', (2025,), None), ('二、2026年工作安排', (2026,), 'plan')])
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Optional

import yaml

from .numerals import parse_chinese
from .split import paragraphs, sentence_spans

_CN_DIGITS: Final = "〇○零一二三四五六七八九"
_YEAR: Final = re.compile(r"(?<![\d])((?:19|20)\d\d)(?=年)|([〇○零一二三四五六七八九]{4})(?=年)")
_DATE: Final = re.compile(r"((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日")
_NUM: Final = r"(?:\d{1,2}|[〇○零一二三四五六七八九十]{1,3})"
# a date line: ——2026年1月26日在…会议上 / 2026年4月30日 alone on its line / (2026年1月26日)
_DATE_LINE: Final = re.compile(r"^[—\-－–─_~～（(\s]*((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年"
                               rf"({_NUM})月({_NUM})日(?:[)）]?$|在.{{0,60}}(?:会议|大会)上)")
# a news report's dateline: 2月10日上午，…召开… (its year is the document's)
_NEWS_DATE: Final = re.compile(rf"^({_NUM})月({_NUM})日(?:上午|下午|晚|晚上)?[，,]")
# heading markers in their usual order of nesting: (kind, pattern); a document's levels are
# the ranks of the kinds it uses (篇 1, 章 2, 节 3 in a plan; 一、 1, （一） 2, 1. 3 in a report)
_HEADINGS: Final = (
    ("part", re.compile(r"第[一二三四五六七八九十]{1,3}(?:部分|篇)")),
    ("chapter", re.compile(r"第[一二三四五六七八九十]{1,3}章")),
    ("section", re.compile(r"第[一二三四五六七八九十]{1,3}节")),
    ("cn", re.compile(r"[一二三四五六七八九十]{1,3}[、．.]")),
    ("cn-paren", re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]")),
    ("num", re.compile(r"\d{1,2}[、．.](?!\d)")),
    ("num-paren", re.compile(r"[（(]\d{1,2}[)）]")),
)
_KIND_RANK: Final = {kind: i for i, (kind, _) in enumerate(_HEADINGS)}
_COLUMN: Final = re.compile(r"专栏\s*\d*")
_SHORT: Final = 30  # a line this short, not ending a sentence, may be a heading
_TITLE_MAX: Final = 60  # a first line longer than this is no title
_OPENING_LINES: Final = 12  # a date line is looked for among the first lines …
_CLOSING_LINES: Final = 6  # … and among the last (a communiqué's date under its issuers)
_HEAD_LINES: Final = 8  # the title block: title, date, author and web-stamp lines
_DATE_REACH: Final = 600  # a date this near the start is the document's
_NAME_REACH: Final = 200  # a year this near the start, with 报告 or 计划, is the report's year
_SENTENCE_END: Final = ("。", "！", "？", "；", "：", ":", "!", "?", ";", "…")
_CAPTION: Final = re.compile(r"^(?:图|表|附表|附图)\s*\d|^(?:单位|注|资料来源|数据来源)[：:]")
_SPACES: Final = re.compile(r"[ \u3000\t]+")
_WEB_STAMP: Final = re.compile(r"^(?:来源|时间|发布时间|发布日期|日期|作者|编辑|责任编辑|字号|浏览次数)[：:]")


@dataclass(frozen=True)
class Section:
    """A heading and the text it governs (normalized offsets).

    start, end  the heading line to before the next heading of the same or a higher level
    level       the rank of its marker among those the document uses: 1 = 一、/第X部分, 2 = （一）,
                3 = 1., 4 = （1） in a report; 篇 1, 章 2, 节 3 in a plan; a short line or 专栏 by context
    heading     the heading line
    years       the years its heading names
    mode        "review", "plan" or None (from its heading's words)
    parent      index of the enclosing section in Structure.sections, or None
    marked      whether the heading has a marker (一、 （一） 1. …) rather than being a short line
    """

    start: int
    end: int
    level: int
    heading: str
    years: tuple
    mode: Optional[str]
    parent: Optional[int]
    marked: bool = True


@dataclass(frozen=True)
class Structure:
    """What kind of document a text is, its title, date line, report year and sections.

    kind      work_report | communique | budget_report | plan_report | five_year_plan |
              work_summary | other (PANEL.md §1)
    title     the title line, or None
    date      ISO YYYY-MM-DD from the document's own date line, or None
    year      the year the document is written in (its report year), or None
    sections  Section tuple, in text order
    title_year   the year the title names, with the title's mode: a bulletin's or summary's
                 year of results ("review"), a plan's year ("plan"); None when it names none
    title_mode   that mode
    stated_year  the year the opening lines state (a date, or a report's or plan's year)
    turns        (start, mode, years, probe) where a heading or an opening sentence turns the
                 text to a review or a plan (see _turns)
    """

    kind: str
    title: Optional[str]
    date: Optional[str]
    year: Optional[int]
    sections: tuple
    title_year: Optional[int] = None
    title_mode: Optional[str] = None
    stated_year: Optional[int] = None
    turns: tuple = ()

    @functools.cached_property
    def _starts(self) -> list:
        """The start of each section, in order (for bisect)."""
        return [s.start for s in self.sections]

    def section_index(self, pos: int) -> Optional[int]:
        """Index of the innermost section holding `pos`, or None."""
        i: Optional[int] = bisect_right(self._starts, pos) - 1
        while i is not None and i >= 0:
            if pos < self.sections[i].end:
                return i
            i = self.sections[i].parent
        return None

    def chain(self, i: Optional[int]) -> list:
        """The section `i` and its ancestors, innermost first."""
        out = []
        while i is not None:
            out.append(self.sections[i])
            i = self.sections[i].parent
        return out


@functools.lru_cache(maxsize=None)
def _data() -> dict:
    """The structure words of data/context.yaml, compiled (once)."""
    text = resources.files(__package__).joinpath("data").joinpath("context.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {
        "kinds": tuple((k, re.compile(rx)) for k, rx in data["kinds"]),
        "review": _alternation(data["sections"]["review"]),
        "plan": _alternation(data["sections"]["plan"]),
        "background": tuple(data["sections"]["background"]),
        "opening_kinds": frozenset(data["opening_kinds"]),
        "title_modes": {mode: tuple(ws) for mode, ws in data["document_kinds"].items()},
        "markers": tuple(data["heading_markers"]),
    }


def _alternation(words) -> Any:
    """A pattern matching any of the words, longest first."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def year_value(m: Any) -> int:
    """The year of a _YEAR or _DATE match (Arabic or Chinese digits)."""
    y = m.group(1)
    if y and y.isdigit():
        return int(y)
    return int(parse_chinese(y or m.group(2)))


def _small(num: str) -> int:
    """A month or day number in Arabic or Chinese digits."""
    return int(num) if num.isdigit() else int(parse_chinese(num))


def years_in(text: str) -> tuple:
    """The years (as int) that `text` names, in order."""
    return tuple(year_value(m) for m in _YEAR.finditer(text))


def mode_of(text: str) -> Optional[str]:
    """'review' or 'plan' from a heading's or an opening sentence's words (review wins); a
    heading that begins with a background word (规划背景, 发展基础) reviews."""
    d = _data()
    if d["review"].search(text) or _unmarked(text).startswith(d["background"]):
        return "review"
    if d["plan"].search(text):
        return "plan"
    return None


def _unmarked(line: str) -> str:
    """A heading line without its marker (一、 （一） 第一章 …) and the spaces after it."""
    ml = _marker_level(line)
    return line[ml[1]:].lstrip(" \u3000") if ml else line


def kind_of(title: Optional[str], head: str, opening: str = "") -> str:
    """The document's kind: the first rule of data `kinds` that matches the title, else the
    first that matches `head` (the title block when there is a title, else the opening text),
    else a kind of data `opening_kinds` that matches `opening` (the opening text after a
    title: 向大会报告政府工作 tells a work report, but a body sentence's 工作计划 no summary),
    else 'other'."""
    d = _data()
    probes = [(p, d["kinds"]) for p in ((title,) if title else ()) + (head,)]
    if opening:
        probes.append((opening, tuple(k for k in d["kinds"] if k[0] in d["opening_kinds"])))
    for probe, rules in probes:
        probe = _SPACES.sub("", probe)  # 政 府 工 作 报 告
        for kind, rx in rules:
            if rx.search(probe):
                return kind
    return "other"


def _title_block(paras: list) -> str:
    """The opening lines up to the first that ends a sentence or a salutation (the title, a
    title split over lines, a document number, the date and author lines)."""
    lines = []
    for _, _, line in paras[:_HEAD_LINES]:
        if len(line) > _TITLE_MAX or line.endswith(_SENTENCE_END):
            break
        lines.append(line)
    return "\n".join(lines)


def _title(paras: list) -> Optional[str]:
    """The first line when it is short and no date line, salutation or web stamp."""
    if not paras:
        return None
    line = paras[0][2]
    if len(line) > _TITLE_MAX or _DATE_LINE.match(line) or _WEB_STAMP.match(line) or line.endswith(_SENTENCE_END) \
            or _marker_level(line) is not None:
        return None
    return line


def _iso(y: int, mo: int, d: int) -> Optional[str]:
    """YYYY-MM-DD, or None for an impossible month or day."""
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _date_line(paras: list) -> Optional[tuple]:
    """(year, month, day) of the document's date line: among its first lines, or a lone date
    among its last (a communiqué's date under its issuers)."""
    candidates = paras[:_OPENING_LINES] + paras[-_CLOSING_LINES:]
    for _, _, line in candidates:
        m = _DATE_LINE.match(line)
        if m:
            y = year_value(m)
            return y, _small(m.group(2)), _small(m.group(3))
    return None


def _report_year(text: str) -> Optional[int]:
    """The year of a date in the first _DATE_REACH characters, or of the first _NAME_REACH when
    they name a report or plan."""
    m = _DATE.search(text, 0, _DATE_REACH)
    if m:
        return year_value(m)
    head = text[:_NAME_REACH]
    m = _YEAR.search(head)
    if m and ("报告" in head or "计划" in head):
        return year_value(m)
    return None


def _title_mode(text: str) -> Optional[tuple]:
    """(mode, year) when the first line names a bulletin, summary or plan of a year."""
    end = text.find("\n", 0, _NAME_REACH)
    head = text[:end if end >= 0 else _NAME_REACH]
    m = _YEAR.search(head)
    if not m:
        return None
    for mode, words in _data()["title_modes"].items():
        if any(w in head for w in words):
            return mode, year_value(m)
    return None


def _marker_level(line: str) -> Optional[tuple]:
    """(kind, marker end) of a heading marker at the start of the line."""
    for kind, rx in _HEADINGS:
        m = rx.match(line)
        if m:
            return kind, m.end()
    return None


def without_marker(line: str) -> str:
    """A heading line without its marker: 一、全国一般公共预算收支情况 → 全国一般公共预算收支情况."""
    found = _marker_level(line)
    return line[found[1]:] if found else line


def _headings(paras: list, body_start: int) -> list:
    """(start, end, level, text, marked) of each heading line. A marked heading's level is the
    rank of its marker among the markers used so far (一、 1, （一） 2, 1. 3; 篇 1, 章 2, 节 3);
    a short unmarked line (专栏, a heading without marker) sits one level below the last marked
    heading, or at level 1 before any."""
    out: list = []
    seen: set = set()
    last_marked = 0
    for ps, pe, line in paras:
        if ps < body_start:
            continue
        ml = _marker_level(line)
        if ml is not None:
            kind, _ = ml
            if kind.startswith("num") and len(line) > _SHORT and line.endswith("。") and not out:
                continue  # a numbered sentence before any heading is a list item
            seen.add(kind)
            level = 1 + sum(1 for k in seen if _KIND_RANK[k] < _KIND_RANK[kind])
            cut = line.find("。")
            out.append((ps, pe, level, line[:cut + 1] if cut >= 0 else line, True))
            last_marked = level
        elif _COLUMN.match(line) or (len(line) <= _SHORT and not line.endswith(_SENTENCE_END)
                                     and not _WEB_STAMP.match(line) and not _CAPTION.match(line)):
            out.append((ps, pe, last_marked + 1 if last_marked else 1, line, False))
    return out


def _tree(heads: list, text_end: int) -> tuple:
    """Sections with ends and parents from the heading list."""
    sections: list = []
    stack: list = []  # indices of open sections
    for ps, pe, level, line, marked in heads:
        while stack and sections[stack[-1]]["level"] >= level:
            sections[stack.pop()]["end"] = ps
        parent = stack[-1] if stack else None
        sections.append({"start": ps, "end": text_end, "level": level, "heading": line,
                         "years": years_in(line), "mode": mode_of(line), "parent": parent,
                         "marked": marked})
        stack.append(len(sections) - 1)
    return tuple(Section(**s) for s in sections)


def _turns(text: str, paras: list, sents: list) -> tuple:
    """(start, mode, years, probe) of each heading or paragraph opening that turns the text to a
    review or a plan: a heading line (一、… or a short line) by its words, a paragraph by its
    opening sentence when that names a year (在部署2015年工作时 …). A 一、 heading with no such
    words has mode None: it continues the turn before it."""
    markers = _data()["markers"]
    starts = [s for s, _ in sents]
    out: list = []
    for ps, pe, line in paras:
        heading = line.startswith(markers) or (len(line) <= _SHORT and not line.endswith("。"))
        if heading:
            probe = line
        else:
            i = bisect_right(starts, ps) - 1
            probe = text[ps:sents[i][1] if 0 <= i < len(sents) and sents[i][0] >= ps else pe]
        mode = mode_of(probe)
        if mode is None:
            if heading and line.startswith(markers) and out:
                out.append((ps, None, (), line))
            continue
        if not heading and not _YEAR.search(probe):
            continue
        out.append((ps, mode, years_in(probe), probe))
    return tuple(out)


def _body_start(paras: list, title: Optional[str]) -> int:
    """Where the body begins: after the title and the date, author and web-stamp lines."""
    start = 0
    for i, (ps, pe, line) in enumerate(paras[:_HEAD_LINES]):
        if (i == 0 and title) or _DATE_LINE.match(line) or _WEB_STAMP.match(line):
            start = pe
    return start


def analyze(text: str, paras: Optional[list] = None, sents: Optional[list] = None) -> Structure:
    """The structure of a normalized text (its paragraphs and sentence spans may be passed in
    when the caller has them)."""
    paras = list(paragraphs(text)) if paras is None else paras
    sents = sentence_spans(text) if sents is None else sents
    title = _title(paras)
    head = text[:_DATE_REACH]
    kind = kind_of(title, _title_block(paras), head) if title else kind_of(None, head)
    turns = _turns(text, paras, sents)
    stated = _report_year(text)
    titled = _title_mode(text)
    year = stated
    if year is None and titled:
        year = titled[1] + 1 if titled[0] == "review" else titled[1]
    if year is None:
        year = _year_from_turns(turns)
    heads = _headings(paras, _body_start(paras, title))
    dl = _date_line(paras)
    date = _iso(*dl) if dl else None
    if date is None and paras and year:
        m = _NEWS_DATE.match(paras[0][2])
        if m:
            date = _iso(year, _small(m.group(1)), _small(m.group(2)))
    return Structure(kind, title, date, year, _tree(heads, len(text)),
                     titled[1] if titled else None, titled[0] if titled else None, stated, turns)


def _year_from_turns(turns: tuple) -> Optional[int]:
    """No date line: the year of the plan part, or the year after the review part (the last
    year each turn names; a 一、 heading with no words of its own continues the turn before)."""
    plans: list = []
    reviews: list = []
    mode, year = None, None
    for _, m, years, _ in turns:
        if m is not None:
            mode, year = m, (years[-1] if years else None)
        if year:
            (plans if mode == "plan" else reviews).append(year)
    if plans:
        return max(plans)
    return max(reviews) + 1 if reviews else None
