"""Duplicate removal through the public API and the `extractor dedup` command."""
import subprocess
import sys
from pathlib import Path

import extractor
from extractor import DedupIndex, Extractor

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed-report.txt"


def test_seed_keeps_exactly_its_first_half():
    doc = extractor.extract_file(SEED)
    assert doc.kept_text == doc.text[:3027]
    [r] = doc.removed
    assert (r.start, r.end, r.reason, r.repeats) == (3027, 6054, "repeated-passage", (0, 3027))
    assert all(rec.end <= 3027 for rec in doc.records)
    assert len(doc.records) == 69


def test_extract_is_stateless_across_calls():
    text = SEED.read_text(encoding="utf-8")
    first = [r.to_dict() for r in extractor.extract(text, "a").records]
    again = [r.to_dict() for r in extractor.extract(text, "a").records]
    assert first == again and first


def test_dedup_off_keeps_everything():
    doc = Extractor(dedup=False).extract_file(SEED)
    assert doc.removed == [] and len(doc.records) == 138


def test_cross_document_index_is_explicit(tmp_path):
    text = SEED.read_text(encoding="utf-8")[:3027]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    ex, index = Extractor(), DedupIndex()
    a = ex.extract_file(tmp_path / "a.txt", index=index)
    b = ex.extract_file(tmp_path / "b.txt", index=index)
    assert a.records and not a.removed
    assert b.records == [] and [(r.reason, r.repeats) for r in b.removed] == [("cross-document", "a.txt")]
    # without the index the same call remembers nothing
    assert ex.extract_file(tmp_path / "b.txt").records


def test_paragraph_level_cross_document(tmp_path):
    para = "全市地区生产总值增长8.5%，达到309亿元，规模以上工业增加值增长11.1%，一般公共预算收入增长10%。"
    ex, index = Extractor(cross_document="paragraph"), DedupIndex(level="paragraph")
    ex.extract(para + "\n第一份报告的其他内容，新增企业100户。", "one", index)
    two = ex.extract("第二份报告的开头，新增企业200户。\n" + para, "two", index)
    assert [(r.reason, r.repeats) for r in two.removed] == [("cross-document", "one")]
    assert [r.text for r in two.records] == ["200户"]


def test_dedup_command_writes_kept_text_and_summary(tmp_path):
    out = tmp_path / "seed.txt"
    run = subprocess.run([sys.executable, "-m", "extractor", "dedup", str(SEED), "-o", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")[:3027]
    assert "removed 1 span(s), 3027 of 6054 characters (1 repeated-passage)" in run.stderr


def test_batch_paragraph_level_cross_document(tmp_path):
    para = "全市地区生产总值增长8.5%，达到309亿元，规模以上工业增加值增长11.1%，一般公共预算收入增长10%。"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(para + "\n其他内容，新增企业100户。", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("开头，新增企业200户。\n" + para, encoding="utf-8")
    out, dups = tmp_path / "out.jsonl", tmp_path / "dups.jsonl"
    for level, expect_b in (("document", 5), ("paragraph", 1)):
        run = subprocess.run([sys.executable, "-m", "extractor", "batch", str(tmp_path / "in"), "-o", str(out),
                              "--workers", "1", "-q", "--cross-document", level, "--duplicates", str(dups)],
                             capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        docs = [line.split('"doc": "')[1].split('"')[0] for line in out.read_text(encoding="utf-8").splitlines()]
        assert docs.count("b.txt") == expect_b, (level, docs)
    assert '"reason": "cross-document", "repeats": "a.txt"' in dups.read_text(encoding="utf-8")
