"""Input documents of the commands: files, folders walked recursively, `-` for stdin."""
from __future__ import annotations

import re
import sys
from pathlib import Path

STDIO = "-"


def natural_key(s: str):
    """Sort key putting 001_2 before 001_10 (digit runs compared as numbers).

    >>> sorted(["001_10", "001_2", "001_1"], key=natural_key)
    ['001_1', '001_2', '001_10']
    """
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s) if t]


def iter_inputs(inputs, pattern="*.txt"):
    """(path, doc id) for each file: folders walked recursively, ids relative to the folder;
    `-` is stdin (path and id `-`)."""
    for inp in inputs:
        if inp == STDIO:
            yield STDIO, STDIO
            continue
        p = Path(inp)
        if p.is_dir():
            for f in sorted(p.rglob(pattern), key=lambda x: x.relative_to(p).as_posix()):
                if f.is_file():
                    yield f, f.relative_to(p).as_posix()
        else:
            yield p, p.name


def collect_inputs(inputs, pattern="*.txt", sort=None) -> list:
    """iter_inputs as a list; a folder with no matching file is a warning, no file at all
    is an error (exit 1)."""
    items = []
    for inp in inputs:
        found = list(iter_inputs([inp], pattern))
        if not found and inp != STDIO:
            print(f"extractor: warning: no files matching {pattern!r} in {inp}", file=sys.stderr)
        items += found
    if not items:
        raise NoInput("no input documents")
    if sort:
        items.sort(key=lambda x: sort(str(x[1])))
    return items


class NoInput(Exception):
    """Nothing matched: a warning was printed, exit 1."""


def read_input(path, args, max_bytes=None):
    """Decoded text of a file or of stdin (`-`); decoding warnings go to stderr."""
    from .read import decode, read_file
    encoding, errors = getattr(args, "encoding", None), getattr(args, "errors", "strict")
    if str(path) == STDIO:
        dec = decode(sys.stdin.buffer.read(), "<stdin>", encoding, errors)
    else:
        dec = read_file(path, encoding, max_bytes, errors)
    if dec.warning:
        print(f"extractor: warning: {path}: {dec.warning}", file=sys.stderr)
    return dec


def extract_input(ex, path, doc, args, index=None):
    """Read (a file or stdin) and extract one document."""
    dec = read_input(path, args, ex.settings.max_bytes)
    return ex.extract(dec.text, doc, index, dec.encoding)
