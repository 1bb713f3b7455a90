"""The fixed parts of the HTML report: its style sheet, its script, the font stack, and
the escaping every page uses."""
from __future__ import annotations

import html as _html


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
