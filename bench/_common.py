"""Helpers shared by the benchmark scripts."""


def first_half_if_doubled(text: str) -> str:
    """The text up to where it starts over (seed-report.txt is a report appended to itself)."""
    head = text.lstrip()[:40]
    if len(head) < 20:
        return text
    p = text.find(head, len(text) - len(text.lstrip()) + 1)
    return text[:p] if p > 0 else text
