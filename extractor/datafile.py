"""The one loader of the packaged language data (extractor/data/*.yaml): parsed once,
checked against the file's declared schema; a duplicate key, a duplicate list entry or a
key the schema does not declare fails at load, naming the file and the key.

A schema maps each top-level key of a file to the type of its value (`dict`, `list`,
`str`, `int`, `float`, `bool`, or a tuple of them). Adding a key to a data file means
declaring it here and reading it in code (tests/test_data.py checks both).
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from .errors import LexiconError

_NUMBER = (int, float)
#: the top-level keys of every packaged data file and the type of each value
SCHEMAS: dict = {
    "context": {"sections": dict, "heading_markers": list, "relative_years": dict,
        "basis_words": list, "role": dict, "change": dict, "basis": dict, "metric": dict,
        "object_verbs": list, "after_stop": list, "investment_words": list, "plan_periods":
        dict, "five_year_words": list, "from_to": list, "document_kinds": dict,
        "opening_kinds": list, "kinds": list},
    "cues": {"bounds": dict, "range_joiners": list, "rank_cues": list, "rank_units": list,
        "null_unit_nouns": list, "big_not_before": list, "magnitude_only_not_before": list,
        "magnitude_only_not_after": list, "outside_suffix": dict, "suffix_not_before": dict, "rank_top_prefix": str,
        "rank_top_suffixes": list, "rank_first_words": list, "fractions": dict, "multiples":
        dict, "prefix_not_after": dict, "cheng_not_before": list, "one_classifiers": list,
        "cn_not_units": list, "unit_not_before": dict, "bare_number_before": list,
        "not_rank_before": list},
    "indicators": {"scopes": list, "whole": list, "subscopes": list, "not_between": list,
        "bound_phrases": list, "not_after": list, "not_before": list, "from_to": list,
        "change": dict, "level_after_change": list, "list_separators": list,
        "range_separators": list, "indicators": list},
    "numerals": {"digits": dict, "small_scales": dict, "large_scales": dict, "magnitudes":
        dict},
    "regions": {"provinces": list, "national": list, "suffixes": dict, "national_issuers":
        list, "not_bodies": list, "departments": list},
    "report": {"prefix": str, "main_metrics": list},
    "tables": {"columns": dict, "figure_heading_words": list, "signs": dict, "heading_roles": dict},
    "units": {"percentage": list, "percentage_point": list, "multiple": list, "currency": list,
        "measure": list, "count": list, "restricted": dict},
    "vetoes": {"fixed_phrases": list, "following": dict, "preceding": list,
        "list_marker_brackets": list, "list_marker_following": list},
}


class _StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a mapping with the same key twice."""


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise LexiconError(f"{loader.name}: key {key!r} given twice "
                               f"(line {key_node.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def parse(text: str, where: str):
    """YAML text parsed strictly: duplicate keys and duplicate list entries fail."""
    try:
        loader = _StrictLoader(text)
        loader.name = where
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        raise LexiconError(f"{where}: {e}") from None
    _no_duplicate_entries(data, where)
    return data


def _no_duplicate_entries(data, where: str, path: str = "") -> None:
    if isinstance(data, dict):
        for k, v in data.items():
            _no_duplicate_entries(v, where, f"{path}.{k}" if path else str(k))
    elif isinstance(data, list):
        seen = set()
        for item in data:
            if isinstance(item, (str, int, float)):
                if item in seen:
                    raise LexiconError(f"{where}: {path or 'list'}: entry {item!r} given twice")
                seen.add(item)
            else:
                _no_duplicate_entries(item, where, path)


def check_schema(data, name: str) -> None:
    """The top-level keys of `data` are those SCHEMAS declares for `name`, with their types."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return
    where = f"data/{name}.yaml"
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: must be a mapping")
    for key, value in data.items():
        if key not in schema:
            raise LexiconError(f"{where}: unknown key {key!r} (declared: {', '.join(schema)})")
        if value is not None and not isinstance(value, schema[key]):
            raise LexiconError(f"{where}: {key} must be {_names(schema[key])}, "
                               f"not {type(value).__name__}")


def _names(types) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join({"dict": "a mapping", "list": "a list"}.get(t.__name__, t.__name__)
                       for t in types)


def text(name: str) -> str:
    """The text of the packaged data file `name` (with its extension)."""
    try:
        return resources.files(__package__).joinpath("data").joinpath(name).read_text(
            encoding="utf-8")
    except OSError as e:
        raise LexiconError(f"data/{name}: {e}") from None


@functools.lru_cache(maxsize=None)
def load(name: str):
    """The packaged data file `name`.yaml, parsed strictly and checked against its schema
    (once per process; treat the result as read-only)."""
    data = parse(text(f"{name}.yaml"), f"data/{name}.yaml")
    check_schema(data, name)
    return data
