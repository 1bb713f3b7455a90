"""Change and basis rules: the direction of a change (增长 → increase, 下降 → decrease: the last
verb of change in the 12 characters before the figure) and its basis of comparison (同比,
环比, 比上年 …) in the phrase before it."""
from __future__ import annotations

from typing import Any, Optional

from .cues import _basis_rxs

_CHANGE_REACH = 12  # characters before a figure read for its verb of change


def change_of(change_rx: Any, directions: dict, before: str) -> Optional[str]:
    """increase / decrease from the last verb of change in the _CHANGE_REACH characters before."""
    best = None
    for best in change_rx.finditer(before, max(0, len(before) - _CHANGE_REACH)):
        pass  # one match per start (a lookahead): the last starts latest
    return directions[best.group(1)] if best else None


def basis_of(any_basis: Any, before: str) -> Optional[str]:
    """The basis named in the phrase before the figure (同比, 环比, 比上年), or None."""
    if not any_basis.search(before):
        return None
    for name, rx in _basis_rxs():
        if rx.search(before):
            return name
    return None
