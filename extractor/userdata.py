"""A user's lexicon: YAML merged over the packaged data files of extractor/data.

The user file's top-level keys name data files (`units` → data/units.yaml, `cues`,
`vetoes`; any data file whose loader calls `data()` and is listed in MERGEABLE);
`classifiers: [标箱]` is short for `units: {count: [标箱]}`. Each section is merged
over its packaged file: mappings key by key, lists extended (no duplicates), scalars
replaced. A key that the packaged file does not have fails, naming the file and the
key, where the packaged mapping is a schema (identifier keys such as `count`,
`fixed_phrases`); mappings keyed by words (`fractions`, bound symbols) take new keys.
The merged data is then validated the same way as the packaged data.

>>> merge({"count": ["个"], "fractions": {"一半": 50}}, {"count": ["标箱"], "fractions": {"两成": 20}}, "u.yaml")
{'count': ['个', '标箱'], 'fractions': {'一半': 50, '两成': 20}}
"""
from __future__ import annotations

import copy
import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import datafile
from .errors import LexiconError

ALIASES = {"classifiers": ("units", "count")}
#: the data files whose loaders merge the user's section (through `data()`); a loader that
#: calls `data(name, user)` adds its file here (e.g. "indicators")
MERGEABLE = ("units", "cues", "vetoes")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def data_files() -> tuple:
    """Names of the packaged data files (without .yaml) a user lexicon may extend."""
    root = resources.files(__package__).joinpath("data")
    return tuple(sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml")))


def packaged(name: str) -> Any:
    """The packaged data file `name`.yaml (datafile.load: strict, schema-checked), a copy
    the caller may change."""
    return copy.deepcopy(datafile.load(name))


def _closed(mapping: dict) -> bool:
    """A schema mapping (identifier keys): new keys are mistakes, not new words."""
    return bool(mapping) and all(isinstance(k, str) and _IDENT.match(k) for k in mapping)


def merge(base: Any, extra: Any, where: str, strict: bool = True) -> Any:
    """`extra` merged over `base` (see the module doc); `where` names the place for errors.
    With strict=False any key is taken (two sections of the user's own file)."""
    if isinstance(base, dict):
        if not isinstance(extra, dict):
            raise LexiconError(f"{where}: must be a mapping, not {type(extra).__name__}")
        out = dict(base)
        for k, v in extra.items():
            if k not in base:
                if strict and _closed(base):
                    known = ", ".join(sorted(map(str, base)))
                    raise LexiconError(f"{where}: unknown key {k!r} (known: {known})")
                out[k] = v
            else:
                out[k] = merge(base[k], v, f"{where}.{k}", strict)
        return out
    if isinstance(base, list):
        if not isinstance(extra, list):
            raise LexiconError(f"{where}: must be a list, not {type(extra).__name__}")
        return base + [x for x in extra if x not in base]
    if base is not None and isinstance(extra, (dict, list)):
        raise LexiconError(f"{where}: must be a single value")
    return extra


def read_user(path: str) -> dict:
    """The user's lexicon file, checked: {data file name: section}."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: no such lexicon file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read: {e}") from None
    except yaml.YAMLError as e:
        raise LexiconError(f"{path}: not valid YAML: {' '.join(str(e).split())}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: must be a mapping of data files (units, cues, vetoes, …)")
    known = set(MERGEABLE) & set(data_files())
    out: dict = {}
    for key, section in raw.items():
        if key in ALIASES:
            name, sub = ALIASES[key]
            section = {sub: section}
            key = name
        if key not in known:
            raise LexiconError(f"{path}: unknown key {key!r} (known: "
                               f"{', '.join(sorted(known | set(ALIASES)))})")
        out[key] = merge(out[key], section, f"{path}: {key}", strict=False) if key in out else section
    return out


def data(name: str, user: str | None = None) -> Any:
    """Data file `name` with the user lexicon's section merged over it."""
    base = packaged(name)
    section = read_user(user).get(name) if user else None
    if section is None:
        return base
    return merge(base, section, f"{user}: {name}")


def file_hash(path: str | None) -> str:
    """A short hash of the user lexicon's bytes ('' for none): part of the batch fingerprint."""
    if not path:
        return ""
    try:
        return hashlib.blake2b(Path(path).read_bytes(), digest_size=6).hexdigest()
    except OSError:
        return "unreadable"
