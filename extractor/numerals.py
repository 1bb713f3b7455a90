"""Numeral text to exact Decimal values.

>>> parse_chinese("一百二十万")
Decimal('1200000')
>>> parse_chinese("三十五点六")
Decimal('35.6')
>>> parse_chinese("二〇一五")
Decimal('2015')
>>> parse_chinese("千亿")
Decimal('100000000000')
>>> parse_arabic("1,234.5")
Decimal('1234.5')
>>> parse_magnitude("百亿亿")
Decimal('1000000000000000000')
"""
from __future__ import annotations

from decimal import Decimal

from . import lexicon


def parse_arabic(text: str) -> Decimal:
    """'23,876' -> 23876; full-width digits must be normalized first."""
    return Decimal(text.replace(",", ""))


def _integer(text: str, lex) -> int:
    digits, small, large = lex.digits, lex.small_scales, lex.large_scales
    if text and all(c in digits for c in text):
        # 二〇一五: digit by digit
        return int("".join(str(digits[c]) for c in text))
    total = section = 0
    num = None
    for c in text:
        if c in digits:
            num = digits[c]
        elif c in small:
            section += (1 if num is None else num) * small[c]
            num = None
        elif c in large:
            section += num or 0
            num = None
            if large[c] >= 100000000:
                total = (total + (section or (0 if total else 1))) * large[c]
                section = 0
            else:
                section = (section or 1) * large[c]
                # 一亿二千万: the 万 section joins the total at the end
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (num or 0)


def parse_chinese(text: str) -> Decimal:
    """Chinese numeral (with 点 for the decimal point) -> Decimal."""
    lex = lexicon.load()
    if "点" not in text:
        return Decimal(_integer(text, lex))
    head, tail = text.split("点", 1)
    i = len(tail)
    while i and tail[i - 1] in lex.large_scales:
        i -= 1
    frac, scale = tail[:i], tail[i:]
    if not frac or any(c not in lex.digits for c in frac):
        raise ValueError(f"not a Chinese decimal: {text!r}")
    value = Decimal(_integer(head, lex) if head else 0) + Decimal(
        "0." + "".join(str(lex.digits[c]) for c in frac))
    return value * (parse_magnitude(scale) if scale else 1)


def parse_magnitude(word: str) -> Decimal:
    """A magnitude word (万, 亿, 万亿, 百亿亿 ...) -> its multiplier."""
    lex = lexicon.load()
    if word in lex.magnitudes:
        return lex.magnitudes[word]
    return Decimal(_integer(word, lex))
