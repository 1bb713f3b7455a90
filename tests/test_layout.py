"""The PDF layout pass seen through the Document: a sentence wrapped over lines (and over a
page break) is one sentence and one paragraph; page debris is in none."""
from __future__ import annotations

import extractor

WRAPPED = ("　　全市坚持稳中求进工作总基调，扎实推进高质量发展，港\n"
           "口集装箱吞吐量首次突破三千万标箱大关，全年达到3500万\n"
           "标箱，连续多年位居全球前列，航运服务能力持续增强，国际航\n"
           "线不断加密，海铁联运快速发展，集疏运体系日益完善，口岸营\n"
           "商环境进一步优化，通关效率明显提升，枢纽地位更加巩固。\n")

PAGED = ("　　全市规模以上工业增加值增长8.1%，先进制造业增加值占规模以\n"
         "上工业增加值比重提高到67.8%，战略性新兴产业增加值增长10.2%，\n"
         "数字经济核心产业增加值占地区生产总值比重达到31%，工业投资\n"
         "\n- 3 -\n\n深圳市人民政府公报  2026年第10期\n\n"
         "增长12.5%，技术改造投资增长15.1%，新增国家级专精特新小巨人\n"
         "企业120家，产业链供应链韧性和安全水平持续提升，现代化产业体\n"
         "系建设迈出坚实步伐，发展新动能不断积蓄，经济结构持续优化。\n"
         "\n- 4 -\n\n深圳市人民政府公报  2026年第10期\n\n"
         "　　全年社会消费品零售总额增长5.2%。\n")


def test_a_wrapped_paragraph_is_one_paragraph_and_its_sentences_cross_lines():
    doc = extractor.extract(WRAPPED)
    assert len(doc.paragraphs) == 1
    assert [s.text.count("\n") for s in doc.sentences] == [4]
    assert doc.sentences[0].text == WRAPPED.strip()


def test_a_sentence_across_a_page_break_is_one_sentence_without_the_debris():
    doc = extractor.extract(PAGED)
    first = doc.sentences[0]
    assert first.text.startswith("全市规模以上工业增加值") and first.text.endswith("经济结构持续优化。")
    assert [p.text for p in doc.paragraphs][-1] == "全年社会消费品零售总额增长5.2%。"
    assert len(doc.paragraphs) == 2
    record = next(r for r in doc.records if r.text == "12.5%")
    assert record.metric == "工业投资"
    for r in doc.records:  # no figure from the page numbers or the running header
        assert "公报" not in r.text and r.text not in ("3", "4", "2026", "10")
