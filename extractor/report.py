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
from decimal import Decimal

from .report_assets import CSS, FONT_STACK, JS, esc  # noqa: F401 - the report's names
from .report_charts import main_metric, main_metrics, place_of, plots, series, svg_chart  # noqa: F401
from .values import chinese, grouped, plain

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
