"""The frozen dataclasses passed between stages and returned to callers."""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from typing import Optional

from .values import json_number

SPEC_FIELDS = ("doc", "start", "end", "text", "value", "unit", "dimension", "bound",
               "role", "metric", "period")


def _fast_init(cls):
    """Give a frozen dataclass an __init__ that fills the instance's fields in one step each.

    A frozen dataclass's generated __init__ sets each field through object.__setattr__,
    which made building records a tenth of the pipeline's time. This __init__ has the
    same signature and defaults; the instance is the same and stays frozen. A slotted class
    (no __dict__: 160 bytes a Record instead of 520) gets its fields set through the slots'
    own descriptors, bound once (about as fast as one dict update).
    """
    fs = fields(cls)
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}" for f in fs)
    namespace = {f"_default_{f.name}": f.default for f in fs if f.default is not MISSING}
    if "__slots__" in cls.__dict__:
        namespace.update({f"_set_{f.name}": cls.__dict__[f.name].__set__ for f in fs})
        body = "\n    ".join(f"_set_{f.name}(self, {f.name})" for f in fs)
    else:
        body = "self.__dict__.update({" + ", ".join(f"{f.name!r}: {f.name}" for f in fs) + "})"
    exec(f"def __init__(self, {params}):\n    {body}\n", namespace)  # noqa: S102 (our own field names)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@_fast_init
@dataclass(frozen=True, slots=True)
class Mention:
    """A quantity found on the normalized text (normalized offsets)."""

    start: int
    end: int
    value: Decimal
    unit: Optional[str]
    dimension: str
    bound: str
    rule: str


@dataclass(frozen=True)
class Span:
    """A stretch of the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Removed:
    """A span removed as a duplicate, with what it repeats.

    `repeats` is the (start, end) of the earlier occurrence in the same
    document, or the id of the earlier document for cross-document repeats.
    """

    start: int
    end: int
    reason: str
    repeats: object

    def to_dict(self) -> dict:
        rep = list(self.repeats) if isinstance(self.repeats, tuple) else self.repeats
        return {"start": self.start, "end": self.end, "reason": self.reason, "repeats": rep}


@_fast_init
@dataclass(frozen=True, slots=True)
class Record:
    """One quantity mention with its context, in original offsets.

    Every field, its type and its allowed values: docs/records.md. `why` names the context
    rules that decided role, period and metric, as pairs (("role", "section:plan/heading"),
    ("period", "explicit-year"), ("metric", "phrase-before")); the rules are listed in order in
    extractor/context/ (document, period, role, metric, table). A role from a section names the
    frame rule that set the section — kind:communique, kind:five-year, heading (the document's
    section tree), turn-year/turn-plan-period/turn-default (a heading or opening sentence that
    turns to a review or a plan), title. The document's kind (work_report, communique, budget_report,
    plan_report, five_year_plan, work_summary, other) is Document.kind.
    """

    doc: str
    start: int
    end: int
    text: str
    value: Decimal
    unit: Optional[str]
    dimension: str
    bound: str = "="
    role: str = "actual"
    metric: Optional[str] = None
    period: Optional[str] = None
    sentence: int = -1
    rule: str = ""
    change: Optional[str] = None
    basis: Optional[str] = None
    why: tuple = ()

    def to_dict(self, extra: bool = True) -> dict:
        """JSON-ready dict: the core fields first, then the extra fields (docs/records.md)."""
        d = {k: getattr(self, k) for k in SPEC_FIELDS}
        d["value"] = json_number(self.value)
        if extra:
            d.update(sentence=self.sentence, rule=self.rule, change=self.change, basis=self.basis,
                     why=dict(self.why) if self.why else None)
        return d
