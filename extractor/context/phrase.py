"""Phrase helpers of the metric rules: trimming a phrase, the subject of a clause, the noun
after a figure, list items. One `Phrases` per document (its text, sentences and tagger)."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, Optional

from .cues import (_CLAUSE, _DIGIT, _LEADING_AMOUNT, _LEADING_OBJECT_VERB, _LIST_JOINERS, _LIST_MARKER,
                   _NAMED, _OBJECT_VERB, _ORDINAL_DIGIT, _SHORT_ITEM, _TRAILING_BASIS, _YEAR_EDGES, _category,
                   _counted, _trim_affixes, _wordy, cues)
from ..lexicon import WordList

_CLOSE = {"）": "（", ")": "("}  # a closing bracket and its opening one
_ASIDE_MAX = 12  # the longest aside in brackets read as part of its clause
_NOUN_REACH = 16  # characters after a figure read for the thing it counts
_OBJECT_MAX = 20  # the longest object of an investment (投资650万元建成|水冲式公厕)
_ASIDE_BREAK = re.compile(r"[，。；：,;:！？]")


class Phrases:
    """The phrase helpers over one document's normalized text."""

    def __init__(self, text: str, sents: list, tagger: Any) -> None:
        self.text = text
        self.sents = sents
        self._sent_starts = [s for s, _ in sents]
        self.tagger = tagger
        self.c = cues()
        self._object_verbs = frozenset(self.c["object_verbs"])
        self._invest = frozenset(self.c["investment_words"])
        self._after_stop = frozenset(self.c["after_stop"])
        self._cut_verbs = frozenset(self.c["metric"]["cut_after"])
        self._time_units = frozenset(self.c["metric"]["time_units"])
        self._money_nouns = tuple(self.c["metric"]["money_nouns"])
        self._comparisons = tuple(self.c["metric"]["comparisons"])
        self._needs_subject = tuple(self.c["metric"]["needs_subject"])
        self._funding = tuple(self.c["metric"]["funding_verbs"])
        self._subject_measures = WordList(self.c["metric"]["subject_measures"])
        self._trailing, self._leading = _trim_affixes()
        self._leading_verbs = tuple(sorted(self.c["object_verbs"], key=len, reverse=True))
        self._predicates = frozenset(self.c["metric"]["predicate_start"])
        self._long_predicates = tuple(w for w in self._predicates if len(w) >= 2)
        from ..lexicon import load as _lexicon
        self._rank_words = tuple(sorted(_lexicon().rank_cues + tuple(self.c["metric"]["rank_trailing"]),
                                        key=len, reverse=True))
        self._from_to = re.compile("|".join(map(re.escape, self.c["from_to"])))

    def _with_subject(self, measure: str, previous: str) -> str:
        """企业营收增长5.9%、利润增长5.5%: a bare measure (利润) after another measure of the
        same sentence (企业营收) takes that one's subject (企业利润)."""
        word = self._subject_measures.ending(previous, len(previous))
        if word is None or word == measure or len(previous) - len(word) < 2:
            return measure
        return previous[:-len(word)] + measure

    def _funding_phrase(self, phrase: Optional[str]) -> bool:
        """A phrase that only pays money out: a funding verb alone or with a money noun (拨付,
        拨付资金, 下达各类资金) -- it names no measure of its own."""
        if not phrase or not phrase.startswith(self._funding):
            return False
        rest = phrase[next(len(v) for v in self._funding if phrase.startswith(v)):]
        return not rest or (len(rest) <= 4 and rest.endswith(self._money_nouns))

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

    def _clause_begin(self, j: int, lo: int) -> int:
        """Where the clause ending at j begins (after the last clause mark, not before lo); a
        short aside in brackets is part of its clause (公共安全（含国防）支出, 执业（助理）医师)."""
        text = self.text
        while j > lo:
            ch = text[j - 1]
            if ch in _CLOSE:
                o = text.rfind(_CLOSE[ch], max(lo, j - 1 - _ASIDE_MAX), j - 1)
                if o > lo and not _ASIDE_BREAK.search(text, o, j):
                    j = o
                    continue
            if ch in _CLAUSE:
                break
            j -= 1
        return j

    def _subject(self, ss: int, clause_start: int) -> Any:
        """The leading noun chunk of the nearest earlier clause of the sentence that has one."""
        text = self.text
        end = clause_start - 1
        while end > ss:
            start = self._clause_begin(end, ss)
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
        while k < se and text[k] not in _CLAUSE and k - pos < _NOUN_REACH:
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
                return obj if 2 <= len(obj) <= _OBJECT_MAX and not obj[:1].isdigit() else None
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
        return tail if 2 <= len(tail) <= _OBJECT_MAX else None

    def _trim_leading(self, phrase: str) -> str:
        """The phrase without its longest leading filler word shorter than itself; a filler of
        one character that begins a longer word is kept (在校生, 对外贸易)."""
        word = self._leading.starting(phrase, 0, len(phrase) - 1)
        if not word:
            return phrase
        if len(word) == 1 and self.tagger and len(self.tagger.tag(phrase[:8])[0][0]) > 1:
            return phrase
        return phrase[len(word):]

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
