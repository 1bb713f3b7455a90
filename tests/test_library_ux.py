"""The library as an analyst uses it: words that respect the figures, Document conveniences,
pandas frames, keyword options, extractor.batch, packaging, and the report's display."""
import importlib
import inspect
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import extractor
from extractor import report

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILES = sorted((ROOT / "corpus").rglob("*.txt"))


@pytest.fixture(scope="module")
def corpus_docs():
    ex = extractor.Extractor()
    return [ex.extract_file(f, f.relative_to(ROOT / "corpus").as_posix()) for f in CORPUS_FILES]


# ---- segmentation respects the mentions ---------------------------------------------------

def test_every_quantity_span_is_its_record_text(corpus_docs):
    """Property over corpus/: for every record, the spaCy span is exactly the record."""
    n = 0
    for document in corpus_docs:
        sdoc = document.spacy_doc()
        spans = list(sdoc.spans["quantities"])
        assert len(spans) == len(document.records)
        for span, r in zip(spans, document.records):
            assert (span.start_char, span.end_char, span.text) == (r.start, r.end, r.text), document.doc
            n += 1
    assert n > 1000


def test_the_pipeline_tokenizer_cuts_at_mentions_too(corpus_docs):
    nlp = extractor.load()
    for document in corpus_docs[:4]:
        doc = nlp(document.text)
        assert [(s.text, s._.value) for s in doc.spans["quantities"]] == \
            [(r.text, float(r.value)) for r in document.records]


def test_tokens_never_cross_a_mention_edge(corpus_docs):
    for document in corpus_docs:
        edges = {p for r in document.records for p in (r.start, r.end)}
        kept = [s for s in document.sentences if not document.in_removed(s.start)]
        for sent, words in zip(kept, document.tokens):
            assert "".join(words) == sent.text
            pos, bounds = sent.start, set()
            for w in words:
                bounds.add(pos)
                pos += len(w)
            bounds.add(pos)
            inside = {p for p in edges if sent.start <= p <= sent.end}
            assert inside <= bounds, (document.doc, sent.text)


def test_the_seed_classifiers_stay_with_their_figures():
    seed = extractor.extract_file(ROOT / "corpus" / "seed-report.txt")
    lines = [" ".join(w for w in ws if w.strip()) for ws in seed.tokens]
    text = "\n".join(lines)
    assert "4 个 委属 单位" in text and "6 名 委 领导" in text
    sdoc = seed.spacy_doc()
    spans = {s.text for s in sdoc.spans["quantities"]}
    assert "4个" in spans and "6名" in spans and "4个委属" not in spans and "6名委" not in spans


# ---- Document, Extractor, frames, batch ------------------------------------------------------

def test_document_len_and_iteration():
    doc = extractor.extract("粮食产量达到1.2万吨，增长3%。")
    assert len(doc) == 2 and [r.text for r in doc] == ["1.2万吨", "3%"]


def test_extractor_options_are_keywords_with_docs():
    params = inspect.signature(extractor.Extractor).parameters
    for name in ("dedup", "near_threshold", "min_passage_chars", "min_passage_sentences",
                 "cross_document", "context", "segmenter", "year", "max_bytes", "lexicon"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert name in extractor.Extractor.__init__.__doc__, name
    assert extractor.Extractor(year=2016).settings.year == 2016
    with pytest.raises(extractor.SettingsError):
        extractor.Extractor(year=1800)
    with pytest.raises(extractor.ExtractorError):
        extractor.Extractor(extractor.Settings(), dedup=False)


def test_to_frame(corpus_docs):
    pd = pytest.importorskip("pandas")
    frame = extractor.to_frame(corpus_docs[:3])
    assert len(frame) == sum(len(d) for d in corpus_docs[:3])
    assert list(frame.columns[:12]) == ["doc", "start", "end", "text", "value", "value_float", "unit",
                                        "dimension", "bound", "role", "metric", "period"]
    assert {"change", "basis", "rule", "sentence"} <= set(frame.columns)
    assert isinstance(frame["value"].iloc[0], Decimal)
    one = corpus_docs[0].to_frame()
    assert isinstance(one, pd.DataFrame) and len(one) == len(corpus_docs[0])


def test_to_frame_without_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install"):
        extractor.extract("增长3%。").to_frame()


def test_public_batch_function(tmp_path):
    out = tmp_path / "dev.jsonl"
    stats = extractor.batch(ROOT / "corpus" / "dev", out, workers=1)
    assert stats["exit_code"] == 0 and stats["failed"] == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == stats["records"] > 0 and "change" in json.loads(lines[0])
    with pytest.raises(extractor.ExtractorError, match="workers"):
        extractor.batch(ROOT / "corpus" / "dev", out, workers=0)
    # the module is still there for those who need its parts
    assert importlib.import_module("extractor.cli.batch").run_batch


def test_user_lexicon_in_the_library(tmp_path):
    lex = tmp_path / "mine.yaml"
    lex.write_text("units:\n  count: [羽]\nvetoes:\n  fixed_phrases: [十佳港口]\n", encoding="utf-8")
    text = "全年家禽出栏达到120万羽。"
    assert [r.unit for r in extractor.Extractor().extract(text)] == [None]
    recs = extractor.Extractor(lexicon=lex).extract(text).records
    assert [(r.text, r.value, r.unit) for r in recs] == [("120万羽", Decimal("1200000"), "羽")]


# ---- packaging ------------------------------------------------------------------------------

def test_distribution_metadata():
    import tomllib
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] != "extractor" and meta["name"] == "zhgov-extractor"
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]   # SPDX
    assert "Typing :: Typed" in meta["classifiers"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert (ROOT / "CHANGELOG.md").is_file()
    assert (Path(extractor.__file__).parent / "py.typed").is_file()
    pkg_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "py.typed" in pkg_data["package-data"]["extractor"]


def test_install_hints_name_the_distribution():
    for f in list((ROOT / "extractor").rglob("*.py")) + [ROOT / "README.md", ROOT / "docs" / "batch.md"]:
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"pip install '?extractor\[", text), f


# ---- the report's display ---------------------------------------------------------------------

def test_report_values_directions_and_filter():
    assert report.fmt_display(Decimal("30900000000")) == "309亿"
    assert report.fmt_display(Decimal("12345678")) == "1,234.57万"
    assert report.fmt_display(Decimal("2345.6")) == "2,345.6"
    doc = extractor.extract("单位GDP能耗下降3.5%，工业增加值同比增长3.5%，投资309亿元。")
    html = report.render_report([doc])
    assert html.count('class="dir"') == 3 * 1 + 0 and "↓" in html and "↑ 同比" in html
    assert 'data-change="↓ 下降 decrease"' in html and 'data-change="↑ 增长 increase（同比）"' in html
    assert ">309亿<" in html and 'title="30,900,000,000"' in html
    assert '<input type="search" class="filter"' in html


def test_report_folder_natural_order_and_pages(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in (1, 10, 2):
        (src / f"001_{n}.txt").write_text(f"全市地区生产总值增长{n}%。\n", encoding="utf-8")
    out = tmp_path / "r.html"
    p = subprocess.run([sys.executable, "-m", "extractor", "report", str(src), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    html = out.read_text(encoding="utf-8")
    assert re.findall(r'data-doc="([^"]+)"', html) == ["001_1.txt", "001_2.txt", "001_10.txt"]
    # from --pages-from documents on: an index page and one page per document
    p = subprocess.run([sys.executable, "-m", "extractor", "report", str(src), "-o", str(out),
                        "--pages-from", "3"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    index = out.read_text(encoding="utf-8")
    pages = sorted(x.name for x in (tmp_path / "r_pages").iterdir())
    assert pages == ["d0.html", "d1.html", "d2.html"]
    assert 'href="r_pages/d2.html">001_10.txt<' in index and 'class="docpage"' not in index
    page = (tmp_path / "r_pages" / "d2.html").read_text(encoding="utf-8")
    assert 'href="../r.html"' in page and 'data-doc="001_10.txt"' in page


def test_the_readme_lexicon_example_works(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# my-words\.yaml\n.*?)```", readme, re.S).group(1)
    lex = tmp_path / "my-words.yaml"
    lex.write_text(block, encoding="utf-8")
    ex = extractor.Extractor(lexicon=lex)
    got = [(r.text, r.unit) for r in ex.extract("港口集装箱吞吐量达到120万标箱，能耗35万吨标准煤。")]
    assert got == [("120万标箱", "标箱"), ("35万吨标准煤", "吨标准煤")]
    assert [r.text for r in ex.extract("推进三个一工程，新增企业3个。")] == ["3个"]
    assert [r.text for r in extractor.extract("推进三个一工程，新增企业3个。")] == ["三个", "3个"]


def test_a_doubtful_decoding_warns_the_library_user(tmp_path):
    f = tmp_path / "short.txt"
    f.write_bytes("增長7.5%".encode("big5"))      # too short to tell Big5 from GB18030
    with pytest.warns(UnicodeWarning, match="encoding uncertain"):
        extractor.extract_file(f)
