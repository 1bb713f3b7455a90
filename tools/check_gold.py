"""Check the gold files under corpus/gold against SPEC.md (records) and PANEL.md (panel facts).

    python tools/check_gold.py [GOLD_DIR]

GOLD_DIR defaults to corpus/gold; the documents are looked up in its parent folder.
Prints one line per problem (`file:line: message`) and exits 1 when there is any, 0 otherwise.
"""
import json
import math
import re
import sys
from datetime import date
from pathlib import Path

RECORD_KEYS = {"doc", "start", "end", "text", "value", "unit", "dimension", "bound", "role",
               "metric", "period"}
DIMENSIONS = {"currency", "percentage", "percentage_point", "count", "measure", "multiple",
              "rank", "number"}
BOUNDS = {"=", "~", ">", ">=", "<", "<="}
ROLES = {"actual", "target", None}
META_KEYS = {"region", "level", "kind", "body", "date"}
LEVELS = {"national", "province", "prefecture", "county", None}
KINDS = {"work_report", "communique", "budget_report", "plan_report", "five_year_plan",
         "work_summary", "other", None}
FACT_KEYS = {"doc", "indicator", "measure", "period", "role", "value", "unit", "bound", "text"}
MEASURES = {"level", "growth", "change"}
# PANEL.md §2, the headline indicators
INDICATORS = {
    "gdp", "gdp_per_capita", "primary_va", "secondary_va", "tertiary_va", "industrial_va",
    "fixed_investment", "retail_sales", "budget_revenue", "fiscal_revenue_total",
    "budget_expenditure", "trade", "exports", "fdi", "income", "urban_income", "rural_income",
    "cpi", "urban_new_jobs", "unemployment_registered", "unemployment_surveyed",
    "energy_intensity", "carbon_intensity", "grain_output", "rd_intensity", "population",
    "urbanization_rate", "deficit_ratio", "good_air_days", "pm25",
}
YEAR = re.compile(r"\d{4}")


def _is_number(v):
    """True for a finite int or float (bool excluded)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _opt_str(v):
    """True for None or a non-empty string."""
    return v is None or (isinstance(v, str) and v != "")


def _period_ok(v, allow_none=True):
    """A period is a 4-digit year string (or None where SPEC allows it)."""
    return (v is None and allow_none) or (isinstance(v, str) and YEAR.fullmatch(v) is not None)


def _date_ok(v):
    """None or an ISO date YYYY-MM-DD that exists."""
    if v is None:
        return True
    try:
        return isinstance(v, str) and len(v) == 10 and date.fromisoformat(v) is not None
    except ValueError:
        return False


def _read_lines(path):
    """Parsed JSON objects of a JSON Lines file with their line numbers; problems for bad lines."""
    rows, problems = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append((n, f"not JSON: {e.msg}"))
            continue
        if not isinstance(obj, dict):
            problems.append((n, "not a JSON object"))
            continue
        rows.append((n, obj))
    return rows, problems


def _expected_doc(gold_file, gold_root):
    """The doc id a gold file must describe: its path under gold/ (panel/ stripped), .txt."""
    rel = gold_file.relative_to(gold_root).with_suffix(".txt").as_posix()
    return rel[len("panel/"):] if rel.startswith("panel/") else rel


def _load_text(doc, corpus_root, cache):
    """The decoded document text for a doc id, or None when the file is missing."""
    if doc not in cache:
        p = corpus_root / doc
        cache[doc] = p.read_text(encoding="utf-8") if p.is_file() else None
    return cache[doc]


def _check_windows(windows, text):
    """Problems with an `annotated` list: pairs of ints inside the text, ascending, disjoint."""
    if not isinstance(windows, list) or not windows:
        return ["annotated must be a non-empty list of [start, end]"]
    out, last = [], -1
    for w in windows:
        if not (isinstance(w, list) and len(w) == 2 and all(type(x) is int for x in w)):
            out.append(f"bad window {w!r}")
            continue
        a, b = w
        if not 0 <= a < b <= len(text):
            out.append(f"window {w} outside the text (length {len(text)})")
        if a < last:
            out.append(f"window {w} overlaps or precedes the previous one")
        last = b
    return out


def _check_record(r, text, windows):
    """Problems with one quantity record against its document text and windows."""
    out = []
    keys = set(r)
    if keys != RECORD_KEYS:
        missing, extra = RECORD_KEYS - keys, keys - RECORD_KEYS
        out.append(f"fields: missing {sorted(missing)}, unexpected {sorted(extra)}")
        if missing:
            return out
    s, e = r["start"], r["end"]
    if not (type(s) is int and type(e) is int and 0 <= s < e <= len(text)):
        return out + [f"bad offsets {s!r}..{e!r}"]
    if text[s:e] != r["text"]:
        out.append(f"text {r['text']!r} != original[{s}:{e}] {text[s:e]!r}")
    if windows is not None and not any(a <= s and e <= b for a, b in windows):
        out.append(f"span {s}..{e} outside the annotated windows")
    if not _is_number(r["value"]):
        out.append(f"value {r['value']!r} is not a finite number")
    if not _opt_str(r["unit"]):
        out.append(f"unit {r['unit']!r} must be null or a non-empty string")
    if r["dimension"] not in DIMENSIONS:
        out.append(f"dimension {r['dimension']!r} not in {sorted(DIMENSIONS)}")
    if r["bound"] not in BOUNDS:
        out.append(f"bound {r['bound']!r} not in {sorted(BOUNDS)}")
    if r["role"] not in ROLES:
        out.append(f"role {r['role']!r} must be actual, target or null")
    if not _opt_str(r["metric"]):
        out.append(f"metric {r['metric']!r} must be null or a non-empty string")
    if not _period_ok(r["period"]):
        out.append(f"period {r['period']!r} must be null or a 4-digit year string")
    return out


def check_records_file(path, gold_root, corpus_root, cache=None):
    """Problems (line, message) of one SPEC.md gold file."""
    cache = {} if cache is None else cache
    rows, problems = _read_lines(path)
    doc = _expected_doc(path, gold_root)
    text = _load_text(doc, corpus_root, cache)
    if text is None:
        return problems + [(0, f"document {doc} not found under {corpus_root}")]
    windows = None
    if rows and "annotated" in rows[0][1]:
        n, head = rows.pop(0)
        if head.get("doc") != doc:
            problems.append((n, f"header doc {head.get('doc')!r} != {doc!r}"))
        problems += [(n, m) for m in _check_windows(head.get("annotated"), text)]
        windows = [w for w in head.get("annotated") or [] if isinstance(w, list) and len(w) == 2]
    spans = []
    for n, r in rows:
        if "annotated" in r:
            problems.append((n, "a second header line"))
            continue
        if r.get("doc") != doc:
            problems.append((n, f"doc {r.get('doc')!r} != {doc!r}"))
        problems += [(n, m) for m in _check_record(r, text, windows)]
        if type(r.get("start")) is int and type(r.get("end")) is int:
            spans.append((r["start"], r["end"], n))
    spans.sort()
    for (s1, e1, n1), (s2, e2, n2) in zip(spans, spans[1:]):
        if (s1, e1) == (s2, e2):
            problems.append((n2, f"duplicate span {s2}..{e2} (also line {n1})"))
        elif s2 < e1:
            problems.append((n2, f"span {s2}..{e2} overlaps {s1}..{e1} (line {n1})"))
    return problems


def _check_meta(meta):
    """Problems with a panel file's document metadata."""
    if not isinstance(meta, dict) or set(meta) != META_KEYS:
        return [f"meta must have exactly {sorted(META_KEYS)}"]
    out = []
    for k in ("region", "body"):
        if not _opt_str(meta[k]):
            out.append(f"meta {k} {meta[k]!r} must be null or a non-empty string")
    if meta["level"] not in LEVELS:
        out.append(f"meta level {meta['level']!r} not allowed")
    if meta["kind"] not in KINDS:
        out.append(f"meta kind {meta['kind']!r} not allowed")
    if not _date_ok(meta["date"]):
        out.append(f"meta date {meta['date']!r} must be null or YYYY-MM-DD")
    return out


def _check_fact(f, text):
    """Problems with one panel fact."""
    keys = set(f)
    if keys != FACT_KEYS:
        return [f"fields: missing {sorted(FACT_KEYS - keys)}, unexpected {sorted(keys - FACT_KEYS)}"]
    out = []
    if f["indicator"] not in INDICATORS:
        out.append(f"indicator {f['indicator']!r} is not a PANEL.md indicator")
    if f["measure"] not in MEASURES:
        out.append(f"measure {f['measure']!r} not in {sorted(MEASURES)}")
    if not _period_ok(f["period"], allow_none=False):
        out.append(f"period {f['period']!r} must be a 4-digit year string")
    if f["role"] not in ("actual", "target"):
        out.append(f"role {f['role']!r} must be actual or target")
    if not _is_number(f["value"]):
        out.append(f"value {f['value']!r} is not a finite number")
    if not _opt_str(f["unit"]):
        out.append(f"unit {f['unit']!r} must be null or a non-empty string")
    if f["bound"] not in BOUNDS:
        out.append(f"bound {f['bound']!r} not in {sorted(BOUNDS)}")
    if not (isinstance(f["text"], str) and f["text"] and f["text"] in text):
        out.append(f"text {f['text']!r} does not occur in the document")
    return out


def check_panel_file(path, gold_root, corpus_root, cache=None):
    """Problems (line, message) of one PANEL.md gold file."""
    cache = {} if cache is None else cache
    rows, problems = _read_lines(path)
    doc = _expected_doc(path, gold_root)
    text = _load_text(doc, corpus_root, cache)
    if text is None:
        return problems + [(0, f"document {doc} not found under {corpus_root}")]
    if not rows or "meta" not in rows[0][1]:
        return problems + [(1, "first line must be the document's meta line")]
    n, head = rows.pop(0)
    if head.get("doc") != doc:
        problems.append((n, f"meta doc {head.get('doc')!r} != {doc!r}"))
    problems += [(n, m) for m in _check_meta(head.get("meta"))]
    seen = {}
    for n, f in rows:
        if f.get("doc") != doc:
            problems.append((n, f"doc {f.get('doc')!r} != {doc!r}"))
        problems += [(n, m) for m in _check_fact(f, text)]
        key = tuple(f.get(k) for k in ("indicator", "measure", "period", "role"))
        if key in seen:
            problems.append((n, f"fact {key} repeats line {seen[key]}"))
        seen.setdefault(key, n)
    return problems


def check_tree(gold_root):
    """All problems of the gold files under gold_root, as 'file:line: message' strings."""
    gold_root = Path(gold_root)
    corpus_root = gold_root.parent
    cache, out = {}, []
    for path in sorted(gold_root.rglob("*.jsonl")):
        is_panel = "panel" in path.relative_to(gold_root).parts
        check = check_panel_file if is_panel else check_records_file
        for n, msg in check(path, gold_root, corpus_root, cache):
            out.append(f"{path}:{n}: {msg}")
    return out


def main(argv=None):
    """CLI entry: print problems, exit 1 when there are any."""
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "corpus" / "gold"
    if not root.is_dir():
        print(f"check_gold: {root} is not a folder", file=sys.stderr)
        return 2
    problems = check_tree(root)
    for p in problems:
        print(p)
    files = sum(1 for _ in root.rglob("*.jsonl"))
    print(f"{files} gold files, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
