"""Property tests: extraction never raises and keeps its offsets; normalize maps spans back;
decode(encode(text)) round-trips."""
from __future__ import annotations

import codecs
import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import extractor
from extractor.normalize import normalize
from extractor.read import decode

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of government-report text: numbers in every script, units, bounds, cue words,
# punctuation, full-width characters and the whitespace normalize() handles
TOKENS = (
    list("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两零〇点")
    + ["1.5", "23,876", "1,234.5", "１２．５", "3.68万亿", "百亿亿", "2014", "2015年", "12月", "10日"]
    + ["元", "万元", "亿元", "美元", "%", "％", "‰", "个百分点", "百分点", "倍", "个", "人", "人次", "户",
       "家", "名", "项", "吨", "公里", "平方米", "亩", "千瓦", "千瓦时", "两", "岁", "千伏", "年", "天", "位",
       "大", "方面", "成", "一半", "百分之", "翻一番", "翻番", "首位", "第", "前", "全国", "居", "排",
       "余", "多", "左右", "以上", "以下", "以内", "及以上", "约", "近", "超过", "突破", "不到", "不低于",
       "不超过", "增长", "下降", "达到", "提高", "计划", "目标", "是", "级", "周年", "号", "届", "期", "八项规定",
       "十三五", "一是", "PM2.5", "5G", "〔", "〕"]
    + list("，。、；：,.-—–~～至到×（）()“”\"《》!?！？A GPMx")
    + [" ", "  ", "\u3000", "\t", "\r\n", "\n", "\r", "\u200b", "\ufeff", "\u00a0", "\u00ad", "\u2028"]
)
report_text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=60), report_text)


def _check_records(text):
    doc = extractor.extract(text)
    for r in doc.records:
        assert 0 <= r.start < r.end <= len(text), r
        assert text[r.start:r.end] == r.text, r
        assert r.value.is_finite(), r
        assert r.bound in ("=", "~", ">", ">=", "<", "<="), r
    starts = [r.start for r in doc.records]
    assert starts == sorted(starts), "records in text order"
    for s in doc.sentences + doc.paragraphs:
        assert text[s.start:s.end] == s.text
    return doc


@FAST
@given(st.text())
def test_extract_any_text(text):
    _check_records(text)


@FAST
@given(report_text)
def test_extract_report_like_text(text):
    _check_records(text)


@FAST
@given(st.lists(report_text, min_size=1, max_size=6).map("。".join))
def test_extract_multi_sentence_text(text):
    _check_records(text)


# -- normalize ----------------------------------------------------------------
# A character whose normalization depends on its neighbours: a space is kept only between two
# ASCII letters or digits, and a comma stays ',' only as a thousands separator.
_CONTEXTUAL = set("0123456789,.% ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _cut_ok(norm: str, i: int) -> bool:
    """A span boundary where cutting does not change how the neighbours normalize."""
    if i in (0, len(norm)):
        return True
    return norm[i - 1] not in _CONTEXTUAL and norm[i] not in _CONTEXTUAL


@FAST
@given(any_text, st.data())
def test_normalize_spans_map_back(text, data):
    n = normalize(text)
    assert n.original == text
    m = len(n.text)
    # each normalized character comes from one original character, in order
    idx = [n.original_index(i) for i in range(m)]
    assert idx == sorted(set(idx))
    assert all(0 <= i < len(text) for i in idx)
    assert n.original_index(m) == len(text)
    cuts = [i for i in range(m + 1) if _cut_ok(n.text, i)]
    s = data.draw(st.sampled_from(cuts))
    e = data.draw(st.sampled_from([c for c in cuts if c >= s]))
    os_, oe = n.to_original(s, e)
    assert 0 <= os_ <= oe <= len(text)
    assert normalize(text[os_:oe]).text == n.text[s:e]


@FAST
@given(any_text)
def test_normalize_single_characters_map_back(text):
    n = normalize(text)
    for i, ch in enumerate(n.text):
        s, e = n.to_original(i, i + 1)
        assert e - s == 1
        alone = normalize(text[s:e]).text
        # a kept space needs its neighbours, a thousands comma its digits; all else maps alone
        expected = {" ": "", ",": "，"}.get(ch, ch)
        assert alone == expected, (i, ch, text[s:e])


@FAST
@given(any_text)
def test_normalize_is_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


# -- decode(encode(text)) -----------------------------------------------------
def _plain_text(text: str) -> bool:
    """Text a file can hold unambiguously: no control characters (they mark binary data),
    no surrogates, no leading byte-order mark."""
    if text.startswith("\ufeff"):
        return False
    return not any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n\r" for c in text)


COMMON_HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
cjk_text = st.lists(st.sampled_from(TOKENS + list(COMMON_HANZI)), min_size=1, max_size=80).map("".join)


@FAST
@given(st.one_of(st.text(max_size=80), cjk_text),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_decode_encode_round_trip(text, enc):
    assume(_plain_text(text))
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        assume(False)
    if enc == "gb18030":
        # GB18030 bytes that are also valid UTF-8 are read as UTF-8 (UTF-8 is tried first): the
        # bytes themselves are ambiguous, so only unambiguous GB18030 data must round-trip
        try:
            data.decode("utf-8")
            assume(not any(ord(c) > 127 for c in text))
        except UnicodeDecodeError:
            pass
    got = decode(data)
    assert got.text == text, (enc, got.encoding)


# -- fast paths equal the plain ones ------------------------------------------
@FAST
@given(st.one_of(any_text, st.lists(report_text, max_size=6).map("。".join)))
def test_sentence_spans_equal_sentences(text):
    from extractor.split import sentence_spans, sentences
    for t in (text, normalize(text).text):
        assert sentence_spans(t) == [(s, e) for s, e, _ in sentences(t)]


@FAST
@given(any_text, st.data())
def test_spans_to_original_equals_to_original(text, data):
    n = normalize(text)
    m = len(n.text)
    assume(m > 0)
    starts = data.draw(st.lists(st.integers(0, m - 1), max_size=8))
    spans = [(s, data.draw(st.integers(s + 1, m))) for s in starts]
    assert n.spans_to_original(spans) == [n.to_original(s, e) for s, e in spans]


def test_record_init_matches_its_fields():
    """Record/Mention have a hand-built __init__ (speed): same parameters and defaults as the
    dataclass fields, and the instances stay frozen and hashable."""
    import dataclasses
    import inspect
    from decimal import Decimal

    import pytest

    from extractor.records import Mention, Record
    for cls in (Record, Mention):
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        fields = dataclasses.fields(cls)
        assert [p.name for p in params] == [f.name for f in fields]
        assert [p.default for p in params] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields]
    r = Record("d", 0, 2, "3%", Decimal(3), "%", "percentage")
    assert r == Record(doc="d", start=0, end=2, text="3%", value=Decimal(3), unit="%",
                       dimension="percentage", bound="=", role="actual")
    assert hash(r) == hash(dataclasses.replace(r))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.start = 1
    with pytest.raises(TypeError):
        Record("d", 0)


def test_context_tuples_follow_the_record_fields():
    """The pipeline builds a Record positionally from Context.annotate's tuples: their fields
    must stand where Record has them (role, metric, period, sentence, then rule, change, basis)."""
    import dataclasses

    from extractor.context import Context
    from extractor.records import Record
    names = [f.name for f in dataclasses.fields(Record)]
    assert names[:8] == ["doc", "start", "end", "text", "value", "unit", "dimension", "bound"]
    assert names[8:] == list(Context.FIELDS[:4]) + ["rule"] + list(Context.FIELDS[4:])
    doc = extractor.extract("2015年，全市地区生产总值增长7.5%。", year=2016)
    r = doc.records[0]
    assert (r.role, r.metric, r.period, r.sentence, r.rule, r.change, r.basis) == \
        ("actual", "全市地区生产总值", "2015", 0, "ar-unit", "increase", None)
