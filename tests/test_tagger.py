"""The tagger's tags from rjieba's dictionary equal the tags of the TagIndex (jieba's + ours).

Tagger._word_tag asks rjieba (has_word, tag without HMM) and looks up in the TagIndex only
the tags rjieba also guesses; Tagger.index_tag looks every word up in the TagIndex. Every
word that the segmenter cuts from corpus/ and ../shared/corpus (sentences, clauses, windows
around figures), every word of our user dictionary and a sample of jieba's dictionary must
get the same tag.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.segment import Segmenter, userdict_entries
from extractor.tagger import Tagger, _jieba_dict_path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(ROOT.glob("corpus/**/*.txt")) + sorted((ROOT.parent / "shared" / "corpus").glob("**/*.txt"))


def _phrases():
    out = set()
    for p in FILES:
        text = p.read_text(encoding="utf-8")
        for sent in re.split(r"(?<=[。！？；\n])", text):
            sent = sent.strip()
            if not sent:
                continue
            out.add(sent)
            out.update(c for c in re.split(r"[，、：]", sent) if c)
            for m in re.finditer(r"\d", sent):
                for width in (2, 5, 8, 12):
                    out.add(sent[max(0, m.start() - width):m.start()])
                    out.add(sent[m.start():m.start() + width])
    out.discard("")
    return sorted(out)


def _dictionary_sample(step: int = 7):
    with open(_jieba_dict_path(), encoding="utf-8") as f:
        return [line.split()[0] for i, line in enumerate(f) if i % step == 0 and line.strip()]


@pytest.fixture(scope="module")
def tagger():
    pytest.importorskip("rjieba")
    t = Tagger(Segmenter("rjieba"))
    assert t._rj is not None
    return t


def test_rjieba_tags_equal_index_tags_on_corpus_words(tagger):
    phrases = _phrases()
    words = {w for p in phrases for w in tagger.seg.cut(p)}
    assert len(phrases) > 10000 and len(words) > 5000
    diff = [(w, tagger._word_tag(w), tagger.index_tag(w)) for w in sorted(words)
            if tagger._word_tag(w) != tagger.index_tag(w)]
    assert not diff, f"{len(diff)} of {len(words)} words tagged differently, e.g. {diff[:8]}"


def test_rjieba_tags_equal_index_tags_on_dictionary_words(tagger):
    words = _dictionary_sample() + [w for w, _, _ in userdict_entries()]
    diff = [(w, tagger._word_tag(w), tagger.index_tag(w)) for w in words
            if tagger._word_tag(w) != tagger.index_tag(w)]
    assert not diff, f"{len(diff)} of {len(words)} words tagged differently, e.g. {diff[:8]}"


@pytest.mark.parametrize("phrase", ["义务教育经费增长", "粮食产量", "PM2.5浓度下降", "5G-A基站", "GDP_2024",
                                    "二氧化硫、氨氮排放量", "，", "亿元", "ＡＢＣ公司", "x", "增长7.5%",
                                    "扑下身子", "产品销售率为94.6"])
def test_phrase_tags(tagger, phrase):
    assert tagger.tag(phrase) == tuple((w, tagger.index_tag(w)) for w in tagger.seg.cut(phrase))


def test_plain_jieba_segmenter_uses_the_index():
    t = Tagger(Segmenter("jieba"))
    assert t._rj is None
    assert t.tag("粮食产量增长") == tuple((w, t.index_tag(w)) for w in t.seg.cut("粮食产量增长"))
