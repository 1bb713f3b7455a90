"""The spaCy integration: tokenizer, "quantities" component, load(), serialization."""
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import spacy

import extractor
from extractor.components import EXTENSIONS

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "2015年，全市地区生产总值增长7.5%，达到309亿元。",
    "粮食产量达到1.2万吨，增长3%。  新增就业 4万余人。\n",
    "\u3000\u3000规模以上工业增加值增长11.1%，工业投资突破千亿元。",
    "2016年目标：城镇居民人均可支配收入增长8%左右。",
    "",
    "没有数字的一句话。",
]


def spans(doc):
    return [(s.start_char, s.end_char, s.label_, s._.value, s._.unit, s._.bound, s._.role,
             s._.metric, s._.period) for s in doc.spans["quantities"]]


@pytest.fixture(scope="module")
def nlp():
    return extractor.load()


def test_load_is_configured_language(nlp):
    assert isinstance(nlp, spacy.language.Language)
    assert nlp.lang == "zh" and nlp.pipe_names == ["quantities"]
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "extractor.JiebaTokenizer.v1"
    assert nlp.config["components"]["quantities"]["factory"] == "quantities"


@pytest.mark.parametrize("text", TEXTS + ["a  b", " 开头空格", "结尾空格 ", "\r\n换行\t制表 ", "   "])
def test_tokenizer_keeps_text(nlp, text):
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert all(t.text for t in doc)


def test_tokenizer_uses_user_dictionary(nlp):
    words = [t.text for t in nlp.make_doc("规模以上工业增加值增长11.1%")]
    assert "规模以上工业增加值" in words or "工业增加值" in words


def test_spans_match_records(nlp):
    text = TEXTS[0]
    doc = nlp(text)
    records = extractor.extract(text).records
    got = doc.spans["quantities"]
    assert len(got) == len(records) == 2
    for span, r in zip(got, records):
        assert span.label_ == r.dimension
        assert span.start_char <= r.start and r.end <= span.end_char  # expanded to tokens
        assert span._.value == float(r.value)
        assert (span._.unit, span._.bound, span._.role, span._.metric, span._.period) == (
            r.unit, r.bound, r.role, r.metric, r.period)
    assert [s.text for s in got] == ["7.5%", "309亿元"]
    assert got[1]._.value == 30900000000.0 and got[1]._.unit == "元"


def test_settings_reach_the_component():
    para = "全年规模以上工业增加值增长11.1%，工业投资突破千亿元，全市地区生产总值达到309亿元，比上年增长7.5%。"
    text = para + "\n" + para + "\n"
    nlp = extractor.load(dedup=False)
    assert nlp.config["components"]["quantities"]["settings"] == {"dedup": False}
    kept = len(extractor.extract(text).records)
    assert 0 < kept < len(nlp(text).spans["quantities"]) == len(extractor.extract(text, dedup=False).records)
    assert len(extractor.load()(text).spans["quantities"]) == kept


def test_add_pipe_on_any_blank_language():
    nlp = spacy.blank("zh")
    nlp.add_pipe("quantities", config={"spans_key": "q"})
    doc = nlp("增长7.5%")
    assert [s.text for s in doc.spans["q"]] == ["7.5%"]
    assert doc.spans["q"][0]._.value == 7.5


def test_two_mentions_in_one_token_keep_their_values(nlp):
    doc = nlp("全年新增就业2.1万人，下降0.5个百分点。")
    vals = [s._.value for s in doc.spans["quantities"]]
    assert vals == [float(r.value) for r in extractor.extract(doc.text).records]


def test_document_spacy_doc():
    d = extractor.extract_file(ROOT / "corpus" / "seed-report.txt")
    sdoc = d.spacy_doc()
    assert sdoc.text == d.text
    assert len(sdoc.spans["quantities"]) == len(d.records) == 69
    for span, r in zip(sdoc.spans["quantities"], d.records):
        assert span._.record_text == r.text and span._.value == float(r.value)


def test_pipe_two_processes_same_spans(nlp):
    texts = TEXTS * 2
    one = [spans(d) for d in nlp.pipe(texts, n_process=1)]
    two = [spans(d) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert one == two
    assert sum(map(len, one)) > 0


def test_to_disk_and_spacy_load_round_trip(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    back = spacy.load(tmp_path / "model")
    assert back.pipe_names == ["quantities"]
    assert back.config["nlp"]["tokenizer"] == nlp.config["nlp"]["tokenizer"]
    for t in TEXTS:
        assert spans(back(t)) == spans(nlp(t))
        assert back(t).text == t
    assert back.tokenizer.to_bytes() == nlp.tokenizer.to_bytes()


def test_to_bytes_round_trip(nlp):
    back = extractor.load().from_bytes(nlp.to_bytes())
    assert [spans(back(t)) for t in TEXTS] == [spans(nlp(t)) for t in TEXTS]
    tok = nlp.tokenizer.__class__(nlp.vocab, "jieba").from_bytes(nlp.tokenizer.to_bytes())
    assert tok.kind == nlp.tokenizer.kind
    assert tok(TEXTS[1]).text == TEXTS[1]


def _run(code, cwd):
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_factory_entry_point_without_importing_us(tmp_path):
    eps = [e for e in metadata.entry_points(group="spacy_factories") if e.name == "quantities"]
    if not eps:
        pytest.skip("package installed without its spacy_factories entry point")
    code = ("import sys, spacy\nnlp = spacy.blank('zh')\nnlp.add_pipe('quantities')\n"
            "d = nlp('增长7.5%')\nprint([s._.value for s in d.spans['quantities']])\n")
    res = _run(code, tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[7.5]"


def test_spacy_load_in_a_fresh_process(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    has_tok_ep = any(e.name == "extractor.JiebaTokenizer.v1"
                     for e in metadata.entry_points(group="spacy_tokenizers"))
    pre = "" if has_tok_ep else "import extractor.components\n"
    code = (pre + "import spacy\nnlp = spacy.load('model')\n"
            "d = nlp('粮食产量达到1.2万吨')\nprint([(s.text, s._.value) for s in d.spans['quantities']])\n")
    res = _run(code, tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[('1.2万吨', 12000.0)]"


def test_extensions_registered():
    from spacy.tokens import Span
    for name in ("value", "unit", "bound", "role", "metric", "period"):
        assert name in EXTENSIONS and Span.has_extension(name)
