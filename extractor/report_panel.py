"""The report's panel page: per region, each headline indicator's targets and results over
the years on one inline SVG chart (no network), missed targets marked (PANEL.md §5)."""
from __future__ import annotations


from .panel import panel
from .report_assets import esc
from .report_charts import nice_ticks
from .values import axis_label

MEASURES = {"level": "", "growth": " 增速", "change": " 增减"}
_W, _H, _L, _R, _T, _B = 360, 200, 62, 24, 28, 30
ACTUAL, TARGET, MISSED, MET = "#2563eb", "#d97706", "#dc2626", "#16a34a"


def _scale(values: list, unit: str) -> tuple:
    """(divisor, unit shown): 元 totals in 亿元, 人 in 万人, tonnes in 万吨."""
    big = min((abs(v) for v in values if v), default=0)
    for u, div, shown in (("元", 1e8, "亿元"), ("美元", 1e8, "亿美元"), ("人", 1e4, "万人"),
                          ("吨", 1e4, "万吨"), ("斤", 1e8, "亿斤")):
        if unit == u and big >= div / 10:
            return div, shown
    return 1, unit or ""


def chart(title: str, rows: list) -> str:
    """One chart: the rows of one (region, indicator, measure), a point per period."""
    unit = next((r["actual_unit"] or r["target_unit"] for r in rows), "")
    vals = [float(r[k]) for r in rows for k in ("target", "actual") if r[k] is not None]
    div, shown = _scale(vals, unit)
    ticks = nice_ticks(min(vals + [0.0] if unit in ("%", "个百分点") else vals) / div, max(vals) / div)
    lo, hi = ticks[0], ticks[-1]
    years = sorted({int(r["period"]) for r in rows})
    x0, x1 = years[0], years[-1]
    X = lambda y: _L + (_W - _L - _R) * (0.5 if x1 == x0 else (y - x0) / (x1 - x0))
    Y = lambda v: _T + (_H - _T - _B) * (1 - (v / div - lo) / ((hi - lo) or 1))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" '
           f'role="img" aria-label="{esc(title)}">',
           f'<text x="{_L}" y="16" font-size="13" font-weight="600" fill="#1f2937">{esc(title)}'
           f'<tspan font-size="11" font-weight="400" fill="#6b7280">（{esc(shown)}）</tspan></text>']
    for t in ticks:
        out.append(f'<line x1="{_L}" x2="{_W - _R}" y1="{Y(t * div):.1f}" y2="{Y(t * div):.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{_L - 5}" y="{Y(t * div) + 4:.1f}" font-size="10" text-anchor="end" '
                   f'fill="#6b7280">{esc(axis_label(t, 4))}</text>')
    for y in years:
        out.append(f'<text x="{X(y):.1f}" y="{_H - 10}" font-size="10" text-anchor="middle" fill="#6b7280">{y}</text>')
    for key, colour, dash in (("actual", ACTUAL, ""), ("target", TARGET, ' stroke-dasharray="5 3"')):
        pts = [(int(r["period"]), float(r[key])) for r in rows if r[key] is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if i == 0 else 'L'}{X(y):.1f},{Y(v):.1f}" for i, (y, v) in enumerate(pts))
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
    for r in rows:
        y = int(r["period"])
        if r["target"] is not None:
            cx, cy = X(y), Y(float(r["target"]))
            tip = f"{y} 目标 target {r['target_text']}（{r['target_doc']}）"
            out.append(f'<rect class="target" x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="#fff" '
                       f'stroke="{TARGET}" stroke-width="2"><title>{esc(tip)}</title></rect>')
            if r["met"] is False:
                miss = f"{y} 未完成 missed: {r['actual_text']} / {r['target_text']}"
                out.append(f'<circle class="missed" cx="{cx:.1f}" cy="{cy:.1f}" r="8" fill="none" stroke="{MISSED}" '
                           f'stroke-width="2"><title>{esc(miss)}</title></circle>'
                           f'<text x="{cx + 10:.1f}" y="{cy - 6:.1f}" font-size="11" '
                           f'fill="{MISSED}">✗</text>')
            elif r["met"] is True:
                out.append(f'<text class="met" x="{cx + 8:.1f}" y="{cy - 6:.1f}" font-size="11" fill="{MET}">✓</text>')
        if r["actual"] is not None:
            cx, cy = X(y), Y(float(r["actual"]))
            tip = f"{y} 实际 actual {r['actual_text']}（{r['actual_doc']}）"
            out.append(f'<circle class="actual" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{ACTUAL}">'
                       f'<title>{esc(tip)}</title></circle>'
                       f'<text x="{cx:.1f}" y="{cy + 14:.1f}" font-size="10" text-anchor="middle" '
                       f'fill="#1f2937">{esc(axis_label(float(r["actual"]) / div, 4))}</text>')
    out.append("</svg>")
    return "".join(out)


def _legend() -> str:
    return (f'<p class="summary"><span style="color:{ACTUAL}">●</span> 实际 result · '
            f'<span style="color:{TARGET}">□</span> 目标 target · '
            f'<span style="color:{MISSED}">◯✗</span> 未完成目标 missed · '
            f'<span style="color:{MET}">✓</span> 完成 met. 目标取自设定它的报告，实际取自报告该年结果的报告（通常为次年）。</p>')


def panel_section(documents) -> str:
    """The panel page's HTML section ('' when the documents give no panel rows)."""
    from .indicators import catalog
    names = {i.id: i.name for i in catalog().indicators.values()}
    order = list(names)
    groups: dict = {}
    for r in panel(documents).rows:
        groups.setdefault(r["region"] or "（未识别地区）", {}).setdefault((r["indicator"], r["measure"]), []).append(r)
    blocks = []
    for region, series in sorted(groups.items()):
        charts = []
        for (ind, measure), rows in sorted(series.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
            rows.sort(key=lambda r: r["period"])
            if len(rows) < 2 and all(r["met"] is None for r in rows):
                continue   # one lone figure is no series
            units = {r[k] for r in rows for k in ("target_unit", "actual_unit") if r[k]}
            if len(units) > 1:
                continue
            charts.append(f'<figure class="chart panel" data-indicator="{esc(ind)}" data-measure="{measure}">'
                          + chart(names[ind] + MEASURES[measure], rows) + "</figure>")
        if charts:
            blocks.append(f'<h3>{esc(region)}</h3><div class="charts">' + "".join(charts) + "</div>")
    if not blocks:
        return ""
    return ('<section class="panel" id="panel"><h2>指标面板 panel: targets and results</h2>'
            + _legend() + "".join(blocks) + "</section>")
