"""The report's charts: the main metrics of a folder of reports over the years, as inline
SVG line charts (no network)."""
from __future__ import annotations

import functools
import re

from . import datafile
from .report_assets import esc
from .values import axis_label


@functools.lru_cache(maxsize=1)
def main_metrics() -> tuple:
    """(label, pattern, excluding words) of each charted metric (data/report.yaml), and the
    prefix a metric may have: ((label, compiled whole-metric pattern, excluding), ...)."""
    data = datafile.load("report")
    return tuple((m["label"], re.compile(data["prefix"] + f"(?:{m['pattern']})"), m["not"])
                 for m in data["main_metrics"])


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
    for label, whole, excl in main_metrics():
        if whole.fullmatch(metric) and not (excl and re.search(excl, metric)):
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


def nice_ticks(lo: float, hi: float, n: int = 4) -> list:
    """About `n` round ticks (steps of 1, 2, 2.5, 5 × 10^k) from the last at or below `lo` to
    the first at or above `hi`; a float's hair of error (7.500000000000001) adds no tick.

    >>> nice_ticks(0, 7.5), nice_ticks(0, 7.500000000000001), nice_ticks(5, 5)
    ([0, 2, 4, 6, 8], [0, 2, 4, 6, 8], [4.0, 4.5, 5.0, 5.5, 6.0])
    """
    import math
    if hi - lo <= 1e-9 * max(1.0, abs(hi)):   # one value (or a hair apart): a range around it
        hi, lo = hi + 1, lo - 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=10 * mag)
    hair = step * 1e-9
    t = math.floor(lo / step + 1e-9) * step
    ticks = [round(t, 10)]
    while t < hi - hair:
        t += step
        ticks.append(round(t, 10))
    return ticks


def svg_chart(title: str, unit: str, points: dict, years: list) -> str:
    """A small line chart (inline SVG) of {year: (value, record, doc, _)}."""
    W, H, L, R, T, B = 340, 190, 58, 30, 26, 28
    ys = [p[0] for p in points.values()]
    ticks = nice_ticks(min(0.0, min(ys)) if unit == "%" else min(ys), max(ys))
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
        for label, *_ in main_metrics():
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
