"""Document.kind, Document.sections and Document.structure, as the library gives them."""
from __future__ import annotations

from pathlib import Path

import pytest

import extractor

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
TEXT = ("西安市2025年预算执行情况和2026年预算草案的报告\n　——2026年2月27日在西安市第十七届人民代表大会第七次会议上\n"
        "一、2025年预算执行情况\n（一）一般公共预算执行情况\n全市一般公共预算收入完成979.35亿元。\n"
        "三、2026年预算草案\n全市一般公共预算收入安排1000亿元。\n")


def test_kind_structure_and_sections_in_original_offsets():
    doc = extractor.extract(TEXT)
    assert doc.kind == "budget_report"
    assert (doc.structure.date, doc.structure.year) == ("2026-02-27", 2026)
    heads = [s.heading for s in doc.sections]
    assert heads == ["一、2025年预算执行情况", "（一）一般公共预算执行情况", "三、2026年预算草案"]
    for s in doc.sections:  # original offsets: the span opens with its heading
        assert TEXT[s.start:s.end].startswith(s.heading)
    assert doc.sections[1].parent == 0 and doc.sections[0].end == TEXT.index("三、")
    assert [r.role for r in doc.records] == ["actual", "target"]


def test_a_text_without_structure():
    doc = extractor.extract("粮食产量增长3%。")
    assert doc.kind == "other" and doc.sections == [] and doc.structure.title is None


@pytest.mark.skipif(not (SHARED / "gold" / "panel").is_dir(), reason="the shared corpus is not here")
def test_kind_and_date_of_every_shared_document():
    import json
    for gold in sorted((SHARED / "gold" / "panel").rglob("*.jsonl")):
        meta = json.loads(gold.read_text(encoding="utf-8").splitlines()[0])
        meta = meta.get("meta", meta)
        doc = extractor.extract_file(SHARED / gold.relative_to(SHARED / "gold" / "panel").with_suffix(".txt"))
        assert (doc.kind, doc.structure.date) == (meta["kind"], meta["date"]), gold
