"""The writer of `-o -`: records straight to stdout, no resume."""
from __future__ import annotations

import sys

from .encode import CSV_HEADER, record_bytes


class StreamWriter:
    """Records straight to stdout (no resume)."""

    done: dict = {}

    def __init__(self, fmt, csv_guard=True):
        self.fmt, self.guard = fmt, csv_guard
        self.out = sys.stdout.buffer
        self._removed = []
        if fmt == "csv":
            self.out.write(CSV_HEADER)

    def write(self, res, fingerprint):
        if res.records:
            self.out.write(record_bytes(res, self.fmt, self.guard))
            self.out.flush()
        self._removed.extend(res.removed)

    def keep(self, doc):  # pragma: no cover - never resumed
        raise AssertionError("stdout output cannot resume")

    def finish(self):
        self.out.flush()

    abort = finish

    def iter_removed(self):
        return iter(self._removed)
