"""`extractor report`: one self-contained HTML file showing the text with the figures marked.

No network: CSS, JS and charts (SVG) are inline, fonts are the system's CJK stack, and a
Content-Security-Policy forbids every fetch and every script but ours (by hash), so a
report text containing `<script>` is shown, never run.

>>> import extractor
>>> html = render_document(extractor.extract("全市地区生产总值增长7.5%，<script>x</script>"))
>>> html.count('class="q '), "<script>x" in html, "&lt;script&gt;x" in html
(1, False, True)
"""
from __future__ import annotations

import base64
import hashlib
import html as _html
import re
from decimal import Decimal

from .values import axis_label, chinese, grouped, plain

DIMENSIONS = {  # dimension: (label, background colour)
    "currency": ("金额 currency", "#fde68a"),
    "percentage": ("百分比 percentage", "#bfdbfe"),
    "percentage_point": ("百分点 percentage point", "#a5f3fc"),
    "count": ("数量 count", "#bbf7d0"),
    "measure": ("度量 measure", "#fbcfe8"),
    "multiple": ("倍数 multiple", "#fed7aa"),
    "rank": ("位次 rank", "#ddd6fe"),
    "number": ("数 number", "#e5e7eb"),
}
ROLES = {"actual": "实际 actual", "target": "目标 target"}
FONT_STACK = ('"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", '
              '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", '
              '"Noto Sans SC", sans-serif')

CSS = """
:root { --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; }
* { box-sizing: border-box; }
body { margin: 0; font-family: %(font)s; color: var(--fg); background: #f9fafb; line-height: 1.7; }
header.top { background: #1e3a5f; color: #fff; padding: .6rem 1.2rem; }
header.top h1 { font-size: 1.15rem; margin: 0; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.summary { color: var(--muted); margin: .2rem 0 .6rem; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: center; font-size: .85rem;
  margin: .5rem 0 1rem; }
.text { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.2rem;
  white-space: pre-wrap; word-break: break-word; font-size: 1rem; }
mark.q { border-radius: 3px; padding: 0 1px; color: inherit; cursor: help; }
mark.q:focus { outline: 2px solid #2563eb; }
mark.r-target { outline: 2px dashed #b91c1c; outline-offset: 1px; }
mark.r-actual { box-shadow: inset 0 -2px 0 rgba(0,0,0,.35); }
%(dims)s
details.removed { margin: .3rem 0; border-left: 3px solid #9ca3af; padding-left: .6rem;
  background: #f3f4f6; white-space: normal; }
details.removed > summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
details.removed del { white-space: pre-wrap; color: #6b7280; text-decoration-color: #9ca3af; }
#tip { position: absolute; z-index: 10; max-width: 24rem; background: #111827; color: #f9fafb;
  font-size: .8rem; line-height: 1.5; padding: .4rem .6rem; border-radius: 5px;
  box-shadow: 0 4px 12px rgba(0,0,0,.25); pointer-events: none; white-space: normal; }
#tip b { color: #fde68a; font-weight: 600; }
#tip[hidden] { display: none; }
table { border-collapse: collapse; background: #fff; font-size: .85rem; width: 100%%; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.dir { white-space: nowrap; }
input.filter { width: 100%%; max-width: 28rem; margin: .2rem 0 .4rem; padding: .25rem .5rem;
  font: inherit; font-size: .85rem; border: 1px solid #d1d5db; border-radius: 4px; }
.tablewrap { max-height: 32rem; overflow: auto; border: 1px solid var(--line); }
.swatch { display: inline-block; padding: 0 .35rem; border-radius: 3px; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .3rem; }
.chart svg text { font-family: %(font)s; }
nav.back { margin: .5rem 0; font-size: .9rem; }
a { color: #1d4ed8; }
@media print { .tablewrap { max-height: none; } #tip { display: none; } }
"""

JS = """
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var FIELDS = [["value", "数值 value"], ["unit", "单位 unit"], ["metric", "指标 metric"],
                ["change", "变化 change"], ["period", "年份 period"], ["role", "角色 role"],
                ["bound", "界 bound"], ["dim", "维度 dimension"]];
  function show(m) {
    tip.textContent = "";
    FIELDS.forEach(function (f) {
      var v = m.getAttribute("data-" + f[0]);
      if (v === null || v === "") { v = "—"; }
      var line = document.createElement("div");
      var k = document.createElement("b");
      k.textContent = f[1] + ": ";
      line.appendChild(k);
      line.appendChild(document.createTextNode(v));
      tip.appendChild(line);
    });
    tip.hidden = false;
    var r = m.getBoundingClientRect();
    var left = Math.max(4, Math.min(window.scrollX + r.left,
                                    window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function hide() { tip.hidden = true; }
  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest ? e.target.closest("mark.q") : null;
    if (m) { show(m); } else { hide(); }
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("mark.q")) { show(e.target); }
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });

  function key(cell) {
    var s = cell.getAttribute("data-sort");
    return s === null ? cell.textContent.trim() : s;
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.setAttribute("tabindex", "0");
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var nx = parseFloat(x), ny = parseFloat(y), c;
          if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) && isFinite(x) && isFinite(y)) { c = nx - ny; }
          else { c = x.localeCompare(y, "zh-CN", {numeric: true}); }
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("input.filter"), function (box) {
    var wrap = box.nextElementSibling;
    var table = wrap ? wrap.querySelector("table") : null;
    if (!table) { return; }
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  });

  var pages = document.querySelectorAll("section.docpage");
  var index = document.getElementById("index");
  function route() {
    if (!index) { return; }
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    var page = el ? el.closest("section.docpage") : null;
    Array.prototype.forEach.call(pages, function (p) { p.hidden = page ? p !== page : true; });
    index.hidden = !!page;
    if (el && el !== page) {
      if (el.tagName === "MARK") { el.focus(); }
      el.scrollIntoView({block: "center"});
    } else { window.scrollTo(0, 0); }
  }
  window.addEventListener("hashchange", route);
  route();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""


def esc(value) -> str:
    """HTML-escape any value (quotes too, so it is safe in attributes); None is ''."""
    return "" if value is None else _html.escape(str(value), quote=True)


def fmt_display(value) -> str:
    """What a table cell shows: 万/亿 for 10,000 and more, separators otherwise.

    >>> fmt_display(Decimal("30900000000")), fmt_display(Decimal("2345.6"))
    ('309亿', '2,345.6')
    """
    v = Decimal(str(value))
    return chinese(v) if abs(v) >= 10000 else grouped(v)


ARROWS = {"increase": "↑", "decrease": "↓"}
CHANGES = {"increase": "增长 increase", "decrease": "下降 decrease"}


def direction(r) -> str:
    """'↑ 同比' / '↓' / '' : the record's change as an arrow, with its basis."""
    arrow = ARROWS.get(r.change or "", "")
    return " ".join(x for x in (arrow, r.basis or "") if x)


def tooltip_value(r) -> str:
    s = grouped(r.value)
    if abs(r.value) >= 10000:
        s += f"（{chinese(r.value)}）"
    return s


def _dims_css() -> str:
    return "\n".join(f"mark.d-{d}, .swatch.d-{d} {{ background: {c}; }}" for d, (_, c) in DIMENSIONS.items())


def legend() -> str:
    items = [f'<span class="swatch d-{d}">{esc(label)}</span>' for d, (label, _) in DIMENSIONS.items()]
    # samples, not mentions: class "sample", not "q"
    items.append('<mark class="sample d-number r-actual">实际 actual</mark>')
    items.append('<mark class="sample d-number r-target">目标 target（虚线框）</mark>')
    items.append('<span><del>重复段落 duplicate</del>（已折叠，点击展开）</span>')
    return '<div class="legend" aria-label="legend">' + " ".join(items) + "</div>"


def _mark_open(r, dom_id: str, i: int) -> str:
    attrs = {
        "id": dom_id, "class": f"q d-{r.dimension} r-{r.role}", "tabindex": "0", "data-i": i,
        "data-value": tooltip_value(r), "data-unit": r.unit, "data-metric": r.metric,
        "data-change": _change_text(r),
        "data-period": r.period, "data-role": ROLES.get(r.role, r.role), "data-bound": r.bound,
        "data-dim": r.dimension,
    }
    return "<mark " + " ".join(f'{k}="{esc(v)}"' for k, v in attrs.items()) + ">"


def _change_text(r) -> str:
    """Tooltip line: '↑ 增长 increase（同比）'."""
    if not r.change and not r.basis:
        return ""
    s = f"{ARROWS.get(r.change or '', '')} {CHANGES.get(r.change or '', r.change or '')}".strip()
    return f"{s}（{r.basis}）" if r.basis else s


def marked_text(document, prefix: str) -> tuple[str, int]:
    """The document text as HTML with one <mark> per record and the removed spans collapsed.

    Returns (html, number of marks). Records overlapping an earlier one are nested when
    contained, otherwise start where the earlier one ends, so every record gets a mark.
    """
    text = document.text
    recs = sorted(((r.start, r.end, i, r) for i, r in enumerate(document.records)),
                  key=lambda x: (x[0], -x[1], x[2]))
    removed = sorted(document.removed, key=lambda d: d.start)
    out: list[str] = []
    n_marks = 0

    def render(start: int, end: int, recs) -> str:
        """Text [start, end) with the records (sorted by start) marked."""
        nonlocal n_marks
        parts, pos, stack = [], start, []  # stack: ends of the open marks

        def close_until(limit):
            nonlocal pos
            while stack and stack[-1] <= limit:
                parts.append(esc(text[pos:stack[-1]]) + "</mark>")
                pos = stack.pop()

        for s, e, i, r in recs:
            s, e = max(s, start, pos), min(e, end)
            close_until(s)
            if stack and e > stack[-1]:  # crosses the end of the open mark: start after it
                s = stack[-1]
                close_until(s)
            e = max(e, s)
            parts.append(esc(text[pos:s]) + _mark_open(r, f"{prefix}-q{i}", i))
            n_marks += 1
            pos = s
            stack.append(e)
        close_until(end)
        parts.append(esc(text[pos:end]))
        return "".join(parts)

    pos = 0
    for d in removed:
        if d.start < pos:
            continue
        out.append(render(pos, d.start, [x for x in recs if pos <= x[0] < d.start]))
        inner = render(d.start, d.end, [x for x in recs if d.start <= x[0] < d.end])
        rep = d.repeats
        if isinstance(rep, (tuple, list)):
            where = f"重复第 {rep[0]}–{rep[1]} 字 (repeats chars {rep[0]}–{rep[1]})"
        else:
            where = f"重复文档 {esc(rep)} (repeats document)"
        out.append(f'<details class="removed" data-start="{d.start}" data-end="{d.end}">'
                   f'<summary>已删除重复内容 removed duplicate: {d.end - d.start} 字, '
                   f'{esc(d.reason)}; {where}</summary><del>{inner}</del></details>')
        pos = d.end
    out.append(render(pos, len(text), [x for x in recs if x[0] >= pos]))
    return "".join(out), n_marks


def _cell(value, sort=None, num=False) -> str:
    attrs = ' class="num"' if num else ""
    if sort is not None:
        attrs += f' data-sort="{esc(sort)}"'
    return f"<td{attrs}>{esc(value)}</td>"


def _value_cell(value) -> str:
    """The value shown with 万/亿 and separators; the exact value sorts and is the title."""
    exact = plain(value)
    return (f'<td class="num" data-sort="{esc(exact)}" title="{esc(grouped(value))}">'
            f"{esc(fmt_display(value))}</td>")


def _change_cell(r) -> str:
    order = {"increase": 1, "decrease": -1}.get(r.change or "", 0)
    title = f' title="{esc(_change_text(r))}"' if r.change or r.basis else ""
    return f'<td class="dir" data-sort="{order}"{title}>{esc(direction(r))}</td>'


FILTER = ('<input type="search" class="filter" placeholder="筛选 filter: 文本、指标、年份… '
          '(text, metric, period)" aria-label="filter the records">')


def records_table(document, prefix: str) -> str:
    head = ["#", "文本 text", "数值 value", "单位 unit", "维度 dimension", "界 bound", "角色 role",
            "指标 metric", "年份 period", "位置 start", "变化 change"]
    rows = []
    for i, r in enumerate(document.records):
        rows.append(
            "<tr>" + f'<td class="num" data-sort="{i}"><a href="#{esc(prefix)}-q{i}">{i + 1}</a></td>'
            + _cell(r.text) + _value_cell(r.value)
            + _cell(r.unit) + _cell(r.dimension) + _cell(r.bound) + _cell(r.role) + _cell(r.metric)
            + _cell(r.period) + _cell(r.start, num=True) + _change_cell(r) + "</tr>")
    return (FILTER + '<div class="tablewrap"><table class="sortable records"><thead><tr>'
            + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def targets_table(document, prefix: str) -> str:
    targets = document.targets
    if not targets:
        return '<p class="summary">没有目标 (no target records).</p>'
    index = {id(r): i for i, r in enumerate(document.records)}
    rows = []
    for period in sorted(targets, key=lambda p: (p is None, p or "")):
        for r in targets[period]:
            i = index.get(id(r), 0)
            rows.append("<tr>" + _cell(period or "—") + _cell(r.metric)
                        + f'<td><a href="#{esc(prefix)}-q{i}">{esc(r.text)}</a></td>'
                        + _value_cell(r.value) + _cell(r.unit)
                        + _cell(r.bound) + _change_cell(r) + "</tr>")
    head = ["年份 period", "指标 metric", "文本 text", "数值 value", "单位 unit", "界 bound",
            "变化 change"]
    return ('<div class="tablewrap"><table class="sortable targets"><thead><tr>'
            + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def doc_counts(document) -> dict:
    n_target = sum(1 for r in document.records if r.role == "target")
    removed = sum(d.end - d.start for d in document.removed)
    return {"records": len(document.records), "targets": n_target,
            "actual": len(document.records) - n_target, "removed_spans": len(document.removed),
            "removed_chars": removed, "chars": len(document.text)}


def render_document(document, prefix: str = "d0", back: bool = False) -> str:
    """The <section> of one document: summary, legend, marked text, records and targets."""
    c = doc_counts(document)
    body, n = marked_text(document, prefix)
    assert n == c["records"]
    info = [f'{c["records"]} 个数字 records', f'{c["actual"]} 实际 actual', f'{c["targets"]} 目标 targets',
            f'{c["removed_spans"]} 处重复已删除 removed duplicates ({c["removed_chars"]} / {c["chars"]} 字)']
    if document.year:
        info.append(f"报告年份 year {document.year}")
    if document.encoding:
        info.append(f"编码 {esc(document.encoding)}")
    return (f'<section class="docpage" id="{esc(prefix)}" data-doc="{esc(document.doc)}" '
            f'data-records="{c["records"]}">'
            + ('<nav class="back"><a href="#">← 索引 index</a></nav>' if back else "")
            + f"<h2>{esc(document.doc)}</h2>"
            + f'<p class="summary">{" · ".join(esc(x) for x in info)}</p>'
            + legend()
            + f'<div class="text" lang="zh-CN">{body}</div>'
            + f"<h3>数字 records ({c['records']})</h3>" + records_table(document, prefix)
            + f"<h3>目标 targets ({c['targets']})</h3>" + targets_table(document, prefix)
            + "</section>")


# ---- the plot: main metrics over the years of one place ---------------------------------

MAIN_METRICS = [  # (label, pattern the whole metric must match, words that exclude it)
    ("地区生产总值", r"(?:地区|国内)?生产总值|GDP", r"人均|占|比重|单位|能耗"),
    ("财政收入", r"(?:一般公共(?:财政)?预算|公共财政(?:预算)?|地方财政总?|财政总?|全口径财政)收入",
     r"中央|支出|民生"),
    ("固定资产投资", r"(?:全社会|城镇)?固定资产投资(?:总额)?", r"工业|项目"),
    ("社会消费品零售总额", r"社会消费品零售总额", r""),
    ("城镇居民人均可支配收入", r"城镇(?:常住)?居民人均可支配收入", r"农村"),
    ("农村居民人均收入", r"(?:农村(?:常住)?居民|农民|农牧民)人均(?:纯收入|可支配收入)", r"城镇"),
]
_PREFIX = r"(?:全[市省区国县盟州旗]|全社会|区本级|本级|地方|全年)?"
PLACE_RE = re.compile(r"在([^\s，。、：:—-]{0,16}?)第[一二三四五六七八九十]+届(全国)?人民代表大会")
TITLE_RE = re.compile(r"^(?:\d{4}年)?(\S{2,12}?)政府工作报告", re.M)


def place_of(document) -> str:
    head = document.text[:600]
    m = PLACE_RE.search(head)
    if m:
        return "全国" if m.group(2) and not m.group(1) else (m.group(1) or "全国")
    m = TITLE_RE.search(head)
    if m:
        p = m.group(1).strip()
        return "全国" if p == "国务院" else p
    return ""


def main_metric(metric: str | None) -> str | None:
    if not metric:
        return None
    for label, pat, excl in MAIN_METRICS:
        if re.fullmatch(_PREFIX + f"(?:{pat})", metric) and not (excl and re.search(excl, metric)):
            return label
    return None


def series(documents) -> dict:
    """{place: {(metric, kind): {year: (value, record, doc)}}} of the main metrics.

    kind 'level' (元) or 'growth' (% increase, negative for a decrease); the figure for a year is taken
    preferably from the next year's report (the one reviewing it).
    """
    out: dict = {}
    for document in documents:
        place = place_of(document)
        for r in document.records:
            if r.role != "actual" or not r.period or not r.period.isdigit():
                continue
            label = main_metric(r.metric)
            if not label:
                continue
            if r.dimension == "currency" and r.unit == "元":
                kind, v = "level", float(r.value)
            elif (r.unit == "%" and r.dimension == "percentage"
                  and r.change in ("increase", "decrease", "增长", "下降")):
                kind, v = "growth", float(r.value) * (-1 if r.change in ("decrease", "下降") else 1)
            else:
                continue
            year = int(r.period)
            pts = out.setdefault(place, {}).setdefault((label, kind), {})
            preferred = document.year is not None and document.year - 1 == year
            if year not in pts or (preferred and not pts[year][3]):
                pts[year] = (v, r, document.doc, preferred)
    return out


def _nice_ticks(lo: float, hi: float, n: int = 4) -> list:
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    import math
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=10 * mag)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 10))
    return ticks


def svg_chart(title: str, unit: str, points: dict, years: list) -> str:
    """A small line chart (inline SVG) of {year: (value, record, doc, _)}."""
    W, H, L, R, T, B = 340, 190, 58, 30, 26, 28
    ys = [p[0] for p in points.values()]
    ticks = _nice_ticks(min(0.0, min(ys)) if unit == "%" else min(ys), max(ys))
    lo, hi = ticks[0], ticks[-1]
    x0, x1 = years[0], years[-1]

    def X(y):
        return L + (W - L - R) * (0.5 if x1 == x0 else (y - x0) / (x1 - x0))

    def Y(v):
        return T + (H - T - B) * (1 - (v - lo) / (hi - lo or 1))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
             f'role="img" aria-label="{esc(title)}">',
             f'<text x="{L}" y="16" font-size="13" font-weight="600" fill="#1f2937">{esc(title)}'
             f'<tspan font-size="11" font-weight="400" fill="#6b7280">（{esc(unit)}）</tspan></text>']
    for t in ticks:
        parts.append(f'<line x1="{L}" x2="{W - R}" y1="{Y(t):.1f}" y2="{Y(t):.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{L - 5}" y="{Y(t) + 4:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#6b7280">{esc(axis_label(t))}</text>')
    for y in years:
        parts.append(f'<text x="{X(y):.1f}" y="{H - 10}" font-size="10" text-anchor="middle" '
                     f'fill="#6b7280">{y}</text>')
    pts = sorted(points.items())
    path = " ".join(f"{'M' if k == 0 else 'L'}{X(y):.1f},{Y(v[0]):.1f}" for k, (y, v) in enumerate(pts))
    parts.append(f'<path d="{path}" fill="none" stroke="#2563eb" stroke-width="2"/>')
    for y, (v, r, doc, _) in pts:
        parts.append(f'<circle cx="{X(y):.1f}" cy="{Y(v):.1f}" r="3.5" fill="#2563eb">'
                     f'<title>{esc(f"{y}: {r.text} — {r.metric}（{doc}）")}</title></circle>'
                     f'<text x="{X(y):.1f}" y="{Y(v) - 7:.1f}" font-size="10" text-anchor="middle" '
                     f'fill="#1f2937">{esc(axis_label(v))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def plots(documents) -> str:
    """Charts of the main metrics over the years, one group per place with 2+ years."""
    blocks = []
    for place, metrics in sorted(series(documents).items()):
        charts = []
        for label, *_ in MAIN_METRICS:
            for kind, suffix in (("level", ""), ("growth", " 增速")):
                pts = metrics.get((label, kind), {})
                if len(pts) < 2:
                    continue
                unit = "%"
                if kind == "level":  # totals in 亿元, per-capita figures in 元
                    scale, unit = (1e8, "亿元") if min(p[0] for p in pts.values()) >= 1e7 else (1, "元")
                    pts = {y: (p[0] / scale,) + tuple(p[1:]) for y, p in pts.items()}
                years = sorted(pts)
                charts.append(f'<figure class="chart" data-metric="{esc(label)}" data-kind="{kind}">'
                              + svg_chart(label + suffix, unit, pts, years) + "</figure>")
        if charts:
            blocks.append(f'<h3>{esc(place or "（未识别地区）")}</h3><div class="charts">'
                          + "".join(charts) + "</div>")
    if not blocks:
        return ""
    return ('<section class="plots"><h2>主要指标 main metrics over time</h2>'
            '<p class="summary">每个点取自该年的实际数（优先取次年报告的回顾）；鼠标悬停查看原文。</p>'
            + "".join(blocks) + "</section>")


# ---- the page --------------------------------------------------------------------------

def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def page(title: str, body: str) -> str:
    css = CSS % {"font": FONT_STACK, "dims": _dims_css()}
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp(JS))}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="extractor report">'
            '<link rel="icon" href="data:,">'
            f"<title>{esc(title)}</title><style>{css}</style></head><body>"
            f'<header class="top"><h1>{esc(title)}</h1></header><main>{body}</main>'
            '<div id="tip" role="tooltip" hidden></div>'
            f"<script>{JS}</script></body></html>\n")


def index_table(documents, prefixes, link=None) -> str:
    """The table of documents; `link(prefix)` is each document's address (default #prefix)."""
    link = link or (lambda prefix: f"#{prefix}")
    head = ["文档 document", "地区 place", "年份 year", "数字 records", "实际 actual", "目标 targets",
            "重复删除 removed (字)", "字数 chars"]
    rows = []
    for document, prefix in zip(documents, prefixes):
        c = doc_counts(document)
        rows.append("<tr>" + f'<td><a href="{esc(link(prefix))}">{esc(document.doc)}</a></td>'
                    + _cell(place_of(document)) + _cell(document.year or "") + _cell(c["records"], num=True)
                    + _cell(c["actual"], num=True) + _cell(c["targets"], num=True)
                    + _cell(f'{c["removed_chars"]:,}', sort=c["removed_chars"], num=True)
                    + _cell(f'{c["chars"]:,}', sort=c["chars"], num=True) + "</tr>")
    total = sum(len(d.records) for d in documents)
    return (f'<p class="summary">{len(documents)} 个文档 documents · {total} 个数字 records</p>'
            + FILTER.replace("文本、指标、年份… (text, metric, period)", "文档、地区… (document, place)")
            + '<div class="tablewrap"><table class="sortable index"><thead><tr>'
            + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def _panel(documents) -> str:
    """The panel page of a folder report (report_panel.py)."""
    from .report_panel import panel_section
    return panel_section(documents)


def render_report(documents, title: str | None = None, folder: bool | None = None,
                  extra_index: str = "") -> str:
    """The whole HTML page: one document, or an index + plots + every document.

    `extra_index`: more HTML for the index section of a folder report (a hook, e.g. a panel)."""
    documents = list(documents)
    if folder is None:
        folder = len(documents) != 1
    if not folder:
        d = documents[0]
        return page(title or f"{d.doc} — 数字标注 report", render_document(d, "d0"))
    prefixes = [f"d{k}" for k in range(len(documents))]
    body = ('<section id="index"><h2>索引 index</h2>' + index_table(documents, prefixes)
            + plots(documents) + extra_index + "</section>" + _panel(documents)
            + "".join(render_document(d, p, back=True) for d, p in zip(documents, prefixes)))
    return page(title or "数字标注 report", body)


def render_pages(documents, title: str | None, pages_dir: str,
                 extra_index: str = "") -> tuple[str, dict]:
    """A report too big for one file: the index page (index and plots) and one page per
    document ({file name: html}, to be written in the folder `pages_dir` beside the index)."""
    documents = list(documents)
    prefixes = [f"d{k}" for k in range(len(documents))]
    title = title or "数字标注 report"
    index = page(title, '<section id="index"><h2>索引 index</h2>'
                 + index_table(documents, prefixes, lambda p: f"{pages_dir}/{p}.html")
                 + plots(documents) + extra_index + "</section>" + _panel(documents))
    back = f'<nav class="back"><a href="../{esc(_index_name(pages_dir))}">← 索引 index</a></nav>'
    pages = {f"{p}.html": page(f"{d.doc} — {title}", back + render_document(d, p))
             for d, p in zip(documents, prefixes)}
    return index, pages


def _index_name(pages_dir: str) -> str:
    """OUT.html's name from its pages folder OUT_pages."""
    return pages_dir[:-len("_pages")] + ".html"
