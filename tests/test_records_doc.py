"""docs/records.md against the code: a field added to Record or Document, or a value added to
a closed list (dimension, bound, change, basis), fails here until the doc says it."""
import dataclasses
import re
from pathlib import Path

import yaml

from extractor import Document, Record
from extractor.lexicon import BOUNDS, DIMENSIONS

DOC = Path(__file__).resolve().parent.parent / "docs" / "records.md"
TEXT = DOC.read_text(encoding="utf-8")


def _table_after(marker: str) -> dict:
    """{name: (type, meaning)} of the first markdown table after `marker`."""
    rest = TEXT[TEXT.index(marker):].splitlines()[1:]
    rows = {}
    for line in rest:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`(\w+)`", cells[0])
        if m:
            rows[m.group(1)] = (cells[1].strip("`"), cells[2])
    return rows


def _pending(after: str) -> dict:
    """The 'Computed from the text' table that follows `after` (properties, not fields), if any."""
    start = TEXT.index(after)
    at = TEXT.find("### Computed from the text", start)
    return _table_after(TEXT[at:].splitlines()[0]) if at >= 0 else {}


def _type(annotation: str) -> str:
    """'Optional[str]' -> 'str or null' (the doc's spelling)."""
    m = re.fullmatch(r"Optional\[(.+)\]|(.+) \| None", annotation)
    return f"{m.group(1) or m.group(2)} or null" if m else annotation


def _public_fields(cls) -> dict:
    return {f.name: f for f in dataclasses.fields(cls) if not f.name.startswith("_")}


def test_every_record_field_is_documented_with_its_type():
    table = _table_after("<!-- record-fields")
    pending = _pending("<!-- record-fields")
    fields = _public_fields(Record)
    missing = sorted(set(fields) - set(table) - set(pending))
    assert not missing, f"Record fields missing from docs/records.md: {missing}"
    stale = sorted(set(table) - set(fields))
    assert not stale, f"docs/records.md documents fields Record does not have: {stale}"
    for name, (typ, _) in table.items():
        assert typ == _type(str(fields[name].type)), (name, typ, fields[name].type)


def test_record_fields_in_the_doc_follow_the_dataclass_order():
    table = list(_table_after("<!-- record-fields"))
    order = [f for f in _public_fields(Record) if f in table]
    assert table == order


def test_every_document_field_is_documented():
    table = _table_after("<!-- document-fields")
    pending = _pending("<!-- document-fields")
    fields = _public_fields(Document)
    missing = sorted(set(fields) - set(table) - set(pending))
    assert not missing, f"Document fields missing from docs/records.md: {missing}"
    assert not sorted(set(table) - set(fields))


def _values(name: str) -> set:
    meaning = _table_after("<!-- record-fields")[name][1]
    return set(re.findall(r"`([^`]+)`", meaning))


def test_closed_lists_match_the_code():
    assert set(DIMENSIONS) <= _values("dimension")
    assert set(BOUNDS) <= _values("bound")
    assert {"actual", "target"} <= _values("role")
    ctx = yaml.safe_load((Path(__file__).resolve().parent.parent / "extractor" / "data"
                          / "context.yaml").read_text(encoding="utf-8"))
    assert set(ctx["change"]) <= _values("change")
    assert set(ctx["basis"]) <= _values("basis")


def test_rule_names_seen_on_the_corpus_are_documented():
    import extractor
    documented = _values("rule")
    ex = extractor.Extractor()
    root = Path(__file__).resolve().parent.parent / "corpus"
    for f in sorted(root.rglob("*.txt"))[:6]:
        for r in ex.extract_file(f).records:
            assert r.rule in documented or r.rule.startswith("cn-noun-"), r.rule


def test_readme_and_docstrings_point_at_records_md():
    root = DOC.parent.parent
    assert "docs/records.md" in (root / "README.md").read_text(encoding="utf-8")
    assert "docs/records.md" in Record.__doc__
    assert "SPEC.md" not in (root / "README.md").read_text(encoding="utf-8")
    assert "SPEC.md" not in Record.__doc__
