"""The language data of extractor/data: one strict loader, a schema per file, no duplicate
keys or entries, and no key that no code reads."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from extractor import datafile
from extractor.errors import LexiconError
from extractor.userdata import _closed

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"
DATA_FILES = sorted(p.stem for p in (PACKAGE / "data").glob("*.yaml"))


def _code_strings() -> set:
    """Every string constant in the package's code (keys are read by name)."""
    out = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "datafile.py":          # the schemas name every key: not a reader
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def _schema_keys(data, path=()):
    """(path, key) of every key of a schema mapping (identifier keys), at any depth."""
    if isinstance(data, dict) and _closed(data):
        for k, v in data.items():
            yield path, k
            yield from _schema_keys(v, path + (k,))


def test_every_data_file_has_a_schema():
    assert sorted(datafile.SCHEMAS) == DATA_FILES


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_loads_strictly(name):
    assert datafile.load(name)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_key_of_the_data_is_read_by_some_code(name):
    strings = _code_strings()
    unread = [".".join(path + (k,)) for path, k in _schema_keys(datafile.load(name))
              if k not in strings]
    assert not unread, f"data/{name}.yaml: keys no code reads: {unread}"


def test_a_duplicate_key_fails_naming_file_and_key():
    with pytest.raises(LexiconError, match=r"data/x.yaml: key 'units' given twice"):
        datafile.parse("units: [a]\nunits: [b]\n", "data/x.yaml")


def test_a_duplicate_entry_fails_naming_file_and_key():
    with pytest.raises(LexiconError, match=r"data/x.yaml: metric.trailing: entry '去年' given twice"):
        datafile.parse("metric:\n  trailing: [去年, 今年, 去年]\n", "data/x.yaml")


def test_an_undeclared_key_fails_naming_file_and_key():
    with pytest.raises(LexiconError, match=r"data/units.yaml: unknown key 'currencies'"):
        datafile.check_schema({"currencies": []}, "units")
    with pytest.raises(LexiconError, match=r"data/units.yaml: count must be a list"):
        datafile.check_schema({"count": "个"}, "units")
