"""Progress bar and warnings on stderr during a batch run."""
from __future__ import annotations

import sys
import time

from ..errors import shown


class _Progress:
    """tqdm on stderr: files, characters, records, rate, ETA (off when not a terminal)."""

    def __init__(self, total, quiet):
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        tqdm.monitor_interval = 0
        self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True,
                        smoothing=0.05, mininterval=0.5, desc="extractor")
        self.t0, self.last, self.figures = time.perf_counter(), 0.0, (0, 0)

    def update(self, chars, records):
        if self.bar is None:
            return
        self.bar.update(1)
        self.figures = chars, records
        now = time.perf_counter()
        if now - self.last > 0.5:
            self.last = now
            self._postfix(now)

    def _postfix(self, now, refresh=False):
        chars, records = self.figures
        rate = chars / max(now - self.t0, 1e-9)
        self.bar.set_postfix_str(f"{chars / 1e6:.1f}M chars, {records} records, "
                                 f"{rate / 1e3:.0f}k chars/s", refresh=refresh)

    def write(self, msg):
        if self.bar is not None:
            self.bar.write(msg, file=sys.stderr)

    def close(self):
        if self.bar is not None:
            self._postfix(time.perf_counter(), refresh=True)
            self.bar.close()


def _warn(progress, msg):
    """A warning line above the progress bar, or on stderr when there is none."""
    if progress.bar is not None:
        progress.write(msg)
    else:
        print(msg, file=sys.stderr)


SHOWN_FAILURES = 20      # failed documents named in the summary


def summary(n: dict, failures, dups, secs: float, resume: bool) -> None:
    """The run's last lines on stderr: figures, the first failures and duplicates."""
    skipped = f" ({n['unchanged']} unchanged, skipped)" if resume else ""
    print(f"extractor: {n['documents']} documents{skipped}, {n['records']} records, "
          f"{n['removed']} duplicate spans removed ({n['duplicate_docs']} duplicate documents), "
          f"{n['empty']} empty, {n['failed']} failed, {secs:.1f} s "
          f"({n['documents'] / max(secs, 1e-9):.1f} docs/s)", file=sys.stderr)
    for f in failures[:SHOWN_FAILURES]:
        print(f"  failed: {shown(f.path)}: {shown(f.error)}", file=sys.stderr)
    if len(failures) > SHOWN_FAILURES:
        print(f"  … and {len(failures) - SHOWN_FAILURES} more", file=sys.stderr)
    for d in dups:
        print(f"  duplicate: {shown(d.doc)} repeats {shown(d.repeats)}", file=sys.stderr)
    if n["duplicate_docs"] > len(dups):
        print(f"  … and {n['duplicate_docs'] - len(dups)} more duplicate documents",
              file=sys.stderr)
