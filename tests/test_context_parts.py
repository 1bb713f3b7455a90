"""Context rules for the parts of a figure: a figure cell of a flattened indicator table takes
its row's 指标名称 as metric and its column heading for role and period (context/table.py); a
later number of a ratio shares the first one's fields (ratio-part, context/annotate.py). The
mentions are made here as the finder's table and ratio readers make them."""
from __future__ import annotations

import importlib.util
from decimal import Decimal

import pytest

from extractor import Extractor, extract
from extractor.context import Context
from extractor.normalize import normalize
from extractor.records import Mention
from extractor.split import paragraphs, sentence_spans

PLAN = ("某市国民经济和社会发展第十五个五年规划纲要\n第二章 主要目标\n序号\n指标名称\n单位\n2025年\n2030年\n"
        "年均增长\n属性\n1\n地区生产总值\n亿元\n3800\n5000\n5.5%左右\n预期性\n2\n常住人口城镇化率\n%\n70\n≥75\n[1]\n约束性\n")


def _annotate(text: str, cells):
    nt = normalize(text).text
    ex = Extractor()
    mentions = ex.finder.find(nt)
    found = {m.start for m in mentions}
    for s, e, _, _ in cells(nt):  # the figure cells, read as the table reader reads them
        if s not in found:
            mentions.append(Mention(s, e, Decimal(nt[s:e].lstrip("≥")), None, "number", "=", "table-cell"))
    mentions.sort(key=lambda m: m.start)
    ctx = Context(nt, list(paragraphs(nt)), sentence_spans(nt), None, True, ex.tagger, None, cells(nt))
    return {nt[m.start:m.end]: out for m, out in zip(mentions, ctx.annotate(mentions))}


def test_cells_take_row_name_and_column_heading():
    def cells(nt):  # (start, end, 指标名称, heading) as the pipeline passes them
        at = lambda s, nth=0: [i for i in range(len(nt)) if nt.startswith(s, i)][nth]
        return ((at("3800"), at("3800") + 4, "地区生产总值", "2025年"),
                (at("5000"), at("5000") + 4, "地区生产总值", "2030年"),
                (at("5.5%"), at("5.5%") + 6, "地区生产总值", "年均增长"))
    got = _annotate(PLAN, cells)
    role, metric, period, _, _, _, why = got["3800"]
    assert (role, metric, period) == ("actual", "地区生产总值", "2025")  # the base year's column
    assert dict(why) == {"role": "table-column", "period": "table-column", "metric": "table-row"}
    assert got["5000"][:3] == ("target", "地区生产总值", "2030")
    assert got["5.5%左右"][:3] == ("target", "地区生产总值", "2030")  # 年均增长: to the plan's end


def test_no_cells_no_table_rule():
    got = _annotate("地区生产总值增长5%。", lambda nt: ())
    assert dict(got["5%"][6])["metric"] != "table-row"


@pytest.mark.skipif(importlib.util.find_spec("extractor.tables") is None,
                    reason="this install has no table reader (extractor.tables)")
def test_pipeline_passes_the_table_cells():
    recs = {r.text: r for r in extract(PLAN).records}
    assert (recs["3800"].metric, recs["3800"].role, recs["3800"].period) == ("地区生产总值", "actual", "2025")
    assert (recs["5000"].role, recs["5000"].period) == ("target", "2030")
    assert recs["70"].metric == "常住人口城镇化率" and recs["70"].period == "2025"


def test_ratio_parts_share_the_first_numbers_fields():
    text = "湖北省2024年国民经济和社会发展统计公报\n三次产业结构由2023年的8.9：36.5：54.6调整为9.1:35.9:55.0。\n"
    nt = normalize(text).text
    spans = [(nt.index(x), nt.index(x) + len(x)) for x in ("8.9", "36.5", "54.6", "9.1", "35.9", "55.0")]
    mentions = [Mention(s, e, Decimal(nt[s:e]), None, "number", "=", "ratio") for s, e in spans]
    ex = Extractor()
    ctx = Context(nt, list(paragraphs(nt)), sentence_spans(nt), None, True, ex.tagger)
    got = [(o[1], o[2], dict(o[6])["period"]) for o in ctx.annotate(mentions)]
    assert [p for _, p, _ in got] == ["2023", "2023", "2023", "2024", "2024", "2024"]
    assert all(m == "三次产业结构" for m, _, _ in got), got
    assert [w for _, _, w in got][1:3] == ["ratio-part", "ratio-part"]
