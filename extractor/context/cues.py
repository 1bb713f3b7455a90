"""Context cue words (data/context.yaml), the patterns built from them, and small pure helpers
shared by the context rules."""
from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any, Final, Optional

import regex
import yaml

from ..lexicon import WordList, load

_YEAR_EDGES: Final = re.compile(r"^(?:[从到至由在截]?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:度|底|末|前|初)?前?)+"
                            r"|[从由到至]?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:度|底|末)?的?$")
_LIST_MARKER: Final = re.compile(r"^(?:\d{1,2}[.．、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}[、是]|[（(][一二三四五六七八九十]{1,3}[)）])")
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
    text = resources.files("extractor").joinpath("data").joinpath("context.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    longest = lambda ws: tuple(sorted(set(ws), key=len, reverse=True))
    m = data["metric"]
    m["trailing"], m["leading"] = longest(m["trailing"]), longest(m["leading"])
    data["relative_years"] = dict(sorted(data["relative_years"].items(), key=lambda kv: -len(kv[0])))
    data["_relative"] = re.compile("|".join(map(re.escape, data["relative_years"])))
    data["_basis"] = re.compile("|".join(map(re.escape, longest(data["basis_words"]))))
    return data


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
def embedded_figure() -> Any:
    """A figure written inside a metric phrase (建成2所学校的…): Arabic digits, large scales
    (data/numerals.yaml: 万, 亿) and a unit of data/units.yaml that reads as a unit everywhere (not a restricted one such
    as 年, a count only after 连续); not a rate's denominator (每50公斤)."""
    lex = load()
    units = [u for u in lex.unit_words if u not in lex.restricted_units]
    scales = "".join(map(re.escape, sorted(lex.large_scales)))
    return re.compile(rf"(?<![\d.每])\d+(?:\.\d+)?[{scales}]*(?:" + "|".join(map(re.escape, units)) + ")")


@functools.lru_cache(maxsize=None)
def _cue(group: str, name: str):
    """A compiled alternation of the cue words cues()[group][name]."""
    words = sorted(cues()[group][name], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=None)
def _change_rx():
    """Every word of change (cues: change), one lookahead match per start."""
    words = sorted({w for ws in cues()["change"].values() for w in ws}, key=len, reverse=True)
    firsts = "".join(sorted({re.escape(w[0]) for w in words}))
    # one match per start (a lookahead), tried only where a word can start
    return re.compile(f"(?=[{firsts}])(?=(" + "|".join(map(re.escape, words)) + "))")


@functools.lru_cache(maxsize=None)
def _any_basis_rx():
    """Any word of a comparison basis (cues: basis), longest first."""
    words = sorted({w for ws in cues()["basis"].values() for w in ws}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=None)
def _basis_rxs():
    """((basis name, pattern of its words), …) in the order of cues: basis."""
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
