"""Record and Mention are slotted frozen dataclasses: the public behaviour a dict-backed one had."""
from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest

from extractor import extract
from extractor.records import Mention, Record


def _record(**kw) -> Record:
    return Record("d", 3, 9, "3.5万亿元", Decimal("3.5E12"), "元", "currency", **kw)


def test_defaults_and_fields_as_before():
    r = _record()
    assert (r.bound, r.role, r.metric, r.period, r.sentence, r.rule, r.change, r.basis, r.why) == \
        ("=", "actual", None, None, -1, "", None, None, ())
    assert [f.name for f in dataclasses.fields(Record)] == list(Record.__slots__)
    assert not hasattr(r, "__dict__")


def test_frozen():
    r = _record()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.role = "target"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        r.extra = 1  # type: ignore[attr-defined]


def test_equality_hash_copy_replace_pickle():
    r = _record(role="target", period="2025", why=(("role", "section:plan/heading"),))
    for other in (pickle.loads(pickle.dumps(r)), copy.copy(r), copy.deepcopy(r)):
        assert other == r and hash(other) == hash(r) and other.to_dict() == r.to_dict()
    assert dataclasses.replace(r, role="actual") == _record(period="2025", why=r.why)
    m = Mention(0, 2, Decimal(5), "%", "percentage", "=", "ar-unit")
    assert pickle.loads(pickle.dumps(m)) == m and not hasattr(m, "__dict__")


def test_records_of_a_document_pickle():
    doc = extract("2020年全省生产总值3.68万亿元，增长5%。")
    assert doc.records and pickle.loads(pickle.dumps(doc.records)) == doc.records
