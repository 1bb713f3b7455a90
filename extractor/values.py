"""The one place values become text: exact JSON numbers for the outputs, plain and
grouped notation and 万/亿 amounts for people, chart labels.

Every value is a `Decimal` until it is written; these functions are the only ways out.
"""
from __future__ import annotations

import json
from decimal import Decimal

#: 万亿, 亿, 万: the magnitudes of readable Chinese amounts, largest first
CN_MAGNITUDES = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
#: from this size on a chart label is a whole number with thousands separators
GROUPED_FROM = 100


def to_decimal(value) -> Decimal:
    """A number (Decimal, int, float, JSON text) as a Decimal, exactly as written."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def json_number(value: Decimal):
    """A Decimal as a JSON-ready number: int when integral, float otherwise.

    >>> json_number(Decimal("1640000000.0")), json_number(Decimal("11.1"))
    (1640000000, 11.1)
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def value_text(value) -> str:
    """The exact value as text (JSON number syntax; ints of any size stay exact).

    >>> value_text(10360000000000000000), value_text(11.1)
    ('10360000000000000000', '11.1')
    """
    return json.dumps(value)


def plain(value) -> str:
    """A value in plain notation: Decimal('3.09E+10') -> '30900000000'."""
    return format(to_decimal(value).normalize(), "f")


def grouped(value) -> str:
    """Plain notation with thousands separators: 30900000000 -> '30,900,000,000'.

    >>> grouped(Decimal("1234567.50")), grouped(Decimal("-0.5")), grouped(Decimal("1E+3"))
    ('1,234,567.5', '-0.5', '1,000')
    """
    text = plain(value)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, frac = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def chinese(value) -> str:
    """A readable amount with 万/亿 for large values: 30900000000 -> '309亿'."""
    v = to_decimal(value)
    for mag, word in CN_MAGNITUDES:
        if abs(v) >= mag:
            return f"{grouped((v / mag).quantize(Decimal('0.01')).normalize())}{word}"
    return grouped(v)


def bounded(value: Decimal, bound: str) -> str:
    """The value as a JSON number with its bound (`>= 5`), integers grouped (1,200)."""
    v = json_number(value)
    prefix = "" if bound == "=" else bound + " "
    return f"{prefix}{v:,}" if isinstance(v, int) else f"{prefix}{v}"


def axis_label(v: float, digits: int = 6) -> str:
    """A chart label: grouped whole number when large, else `digits` significant digits."""
    return f"{v:,.0f}" if abs(v) >= GROUPED_FROM else f"{v:.{digits}g}"
