"""The HTML report: structure, escaping, counts, the folder index and the plot (no browser)."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import extractor
from extractor import report
from extractor import values
from extractor.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed-report.txt"
EVIL = ("全年地区生产总值增长7.5%。<script>alert(1)</script><img src=x onerror=alert(2)>"
        "\"'></mark></div><!-- <style>body{display:none}</style> &amp; 新增就业4万人。\n")


class Tree(HTMLParser):
    """Collects tags, checks nesting, keeps the text content of <script> and <style>."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "line", "circle", "path"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.stack, self.errors, self.scripts = [], [], [], []
        self.marks, self.text_in_marks, self._mark_depth = [], [], 0
        self._cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._cur = []
        if tag == "mark" and "q" in a.get("class", "").split():
            self.marks.append(a)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()
        if tag == "script":
            self.scripts.append("".join(self._cur))
            self._cur = None

    def handle_data(self, data):
        if self._cur is not None:
            self._cur.append(data)


def parse(html):
    t = Tree()
    t.feed(html)
    t.close()
    assert t.errors == [] and t.stack == [], (t.errors, t.stack)
    return t


@pytest.fixture(scope="module")
def seed_doc():
    return extractor.Extractor().extract_file(SEED)


@pytest.fixture(scope="module")
def seed_html(seed_doc):
    return report.render_report([seed_doc])


def test_structure_of_the_seed_report(seed_doc, seed_html):
    t = parse(seed_html)
    assert seed_html.startswith("<!DOCTYPE html>")
    assert len(t.marks) == len(seed_doc.records) == 69
    # every mark carries the record's fields for the tooltip, in text order
    for a, r in zip(t.marks, seed_doc.records):
        assert a["data-value"].startswith(values.grouped(r.value))   # 100,000,000,000（1,000亿）
        assert a["data-unit"] == (r.unit or "") and a["data-metric"] == (r.metric or "")
        assert a["data-period"] == (r.period or "") and a["data-dim"] == r.dimension
        assert f"d-{r.dimension}" in a["class"] and f"r-{r.role}" in a["class"]
    assert len(set(a["id"] for a in t.marks)) == 69
    assert seed_html.count('<details class="removed"') == 1
    assert seed_html.count("<tr>") == 1 + 69 + 1 + len(sum(seed_doc.targets.values(), []))
    assert len(t.scripts) == 1  # ours


def test_marked_text_is_the_original_text(seed_doc):
    body, n = report.marked_text(seed_doc, "d0")
    assert n == 69
    plain = re.sub(r"<summary>.*?</summary>", "", body)
    plain = re.sub(r"<[^>]+>", "", plain)
    import html
    assert html.unescape(plain) == seed_doc.text
    # the duplicate half is inside the collapsed, struck-through block, with no marks
    removed = body[body.index('<details class="removed"'):]
    assert "<del>" in removed and "<mark" not in removed and " open" not in removed[:80]


def test_self_contained_no_network(seed_html):
    t = parse(seed_html)
    for tag, a in t.tags:
        for attr in ("src", "href"):
            v = a.get(attr)
            assert v is None or v.startswith("#") or v.startswith("data:"), (tag, a)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", seed_html)
    assert "@import" not in seed_html and "url(" not in seed_html and "@font-face" not in seed_html
    csp = next(a["content"] for tag, a in t.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1]
    assert "Noto Sans CJK SC" in seed_html and "PingFang SC" in seed_html


def test_csp_hash_matches_our_script(seed_html):
    import base64
    import hashlib
    t = parse(seed_html)
    digest = base64.b64encode(hashlib.sha256(t.scripts[0].encode()).digest()).decode()
    csp = next(a["content"] for tag, a in t.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert f"script-src 'sha256-{digest}'" in csp


def test_script_in_text_is_escaped():
    doc = extractor.extract(EVIL, doc="<b>evil</b>.txt")
    html = report.render_report([doc])
    t = parse(html)
    assert len(t.scripts) == 1 and "alert" not in t.scripts[0]
    assert [tag for tag, _ in t.tags].count("img") == 0
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>evil</b>" not in html and "&lt;b&gt;evil&lt;/b&gt;.txt" in html
    assert "&lt;!-- &lt;style&gt;" in html and "&amp;amp;" in html
    assert len(t.marks) == len(doc.records) == 2


def test_attribute_values_are_escaped():
    doc = extractor.extract('“<x onmouseover=alert(1)>\'指标"”增长7.5%。')
    html = report.render_report([doc])
    t = parse(html)
    assert len(t.marks) == 1
    assert not any(k.startswith("on") for _, a in t.tags for k in a)


def test_overlapping_records_all_get_a_mark():
    from decimal import Decimal
    from extractor.records import Record
    text = "增长8-10%，合计1200万元。"
    recs = [Record("t", 2, 7, text[2:7], Decimal(10), "%", "percentage"),
            Record("t", 4, 7, text[4:7], Decimal(10), "%", "percentage"),
            Record("t", 6, 9, text[6:9], Decimal(1), None, "number"),
            Record("t", 11, 17, text[11:17], Decimal(12000000), "元", "currency")]
    doc = extractor.extract(text)
    doc.records[:] = recs
    body, n = report.marked_text(doc, "d0")
    assert n == 4 and body.count("<mark") == body.count("</mark>") == 4
    assert __import__("html").unescape(re.sub(r"<[^>]+>", "", body)) == text


def test_values_formatted():
    from decimal import Decimal
    assert values.plain(Decimal("3.09E+10")) == "30900000000"
    assert values.plain(Decimal("11.10")) == "11.1"
    assert values.chinese(Decimal("30900000000")) == "309亿"
    assert values.chinese(Decimal("1.2E+12")) == "1.2万亿"


def test_cli_single_file(tmp_path, capsys):
    out = tmp_path / "seed.html"
    assert cli_main(["report", str(SEED), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert len(parse(html).marks) == 69
    assert 'id="index"' not in html


def test_cli_folder_index_and_plot(tmp_path):
    folder = tmp_path / "place"
    folder.mkdir()
    years = {2014: ("180亿元", "8.5%"), 2015: ("195亿元", "7.9%"), 2016: ("210亿元", "7.2%")}
    for y, (gdp, growth) in years.items():
        (folder / f"{y + 1}.txt").write_text(
            f"{y + 1}年海拉尔区政府工作报告\n——{y + 1}年2月19日在海拉尔区第十四届人民代表大会第五次会议上\n"
            f"{y}年，全区地区生产总值完成{gdp}，增长{growth}。{y + 1}年，地区生产总值力争增长7%左右。\n",
            encoding="utf-8")
    (folder / "copy.txt").write_text((folder / "2015.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "place.html"
    assert cli_main(["report", str(folder), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    t = parse(html)
    index = html[html.index('<section id="index"'):html.index('<section class="docpage"')]
    assert index.count("<tr>") == 1 + 4
    assert html.count('<section class="docpage"') == 4
    # the whole-document copy is removed as a cross-document duplicate
    assert 'data-doc="copy.txt" data-records="0"' in html
    assert "重复文档 2015.txt" in html
    # the plot: GDP level and growth over 2014-2016 for 海拉尔区
    assert "<h3>海拉尔区</h3>" in index
    level = re.search(r'<figure class="chart" data-metric="地区生产总值" data-kind="level">(.*?)</figure>',
                      index).group(1)
    assert level.count("<circle") == 3 and "2014" in level and "2016" in level and "亿元" in level
    growth = re.search(r'data-kind="growth">(.*?)</figure>', index).group(1)
    assert growth.count("<circle") == 3 and ">7.9<" in growth
    assert len(t.marks) == 3 * 3


def test_place_and_metric_helpers():
    doc = extractor.extract("2009年国务院政府工作报告\n——２００９年３月５日在第十一届全国人民代表大会第二次会议上\n")
    assert report.place_of(doc) == "全国"
    assert report.main_metric("全市地区生产总值") == "地区生产总值"
    assert report.main_metric("人均地区生产总值") is None
    assert report.main_metric("一般公共预算收入") == "财政收入"
    assert report.main_metric("中央财政收入") is None
    assert report.main_metric("农民人均纯收入") == "农村居民人均收入"


def test_cli_no_documents(tmp_path):
    assert cli_main(["report", str(tmp_path), "-o", str(tmp_path / "x.html")]) == 1
