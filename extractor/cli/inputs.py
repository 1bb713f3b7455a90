"""Input documents of the commands: files, folders walked recursively, `-` for stdin.

`iter_inputs` is the one walk of the inputs (every command's); `extract_each` the one loop
that reads and extracts them, reporting a document that fails and going on.
"""
from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path

from ..errors import DecodeError, InputError, NoInput, UsageError, safe_name, shown
from ..read import decode, read_file

STDIO = "-"


def natural_key(s: str):
    """Sort key putting 001_2 before 001_10 (digit runs compared as numbers).

    >>> sorted(["001_10", "001_2", "001_1"], key=natural_key)
    ['001_1', '001_2', '001_10']
    """
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s) if t]


def iter_inputs(inputs, pattern="*.txt"):
    """(path, doc id, error or None) for each document: folders walked (`walk`), ids
    relative to the folder; a file is its own id; `-` is stdin (path and id `-`)."""
    for inp in inputs:
        if inp == STDIO:
            yield STDIO, STDIO, None
        elif os.path.isdir(inp):
            yield from walk(inp, pattern)
        else:
            p = Path(inp)
            yield p, safe_name(p.name), None


def _reason(e: OSError) -> str:
    return "permission denied" if isinstance(e, PermissionError) else \
        (os.strerror(e.errno) if e.errno else str(e))


def walk(folder, pattern="*.txt"):
    """(path, doc id, error or None) for what a folder holds that matches `pattern`, as
    Path.rglob sorted by relative path (symbolic links to folders not entered), but
    nothing is skipped silently: a folder that cannot be listed comes as
    (folder, 'sub/', reason), and a match that is not a regular file (FIFO, socket,
    device, dangling link) comes like a file, for the worker to report.
    Document ids are safe_name()d (bytes that are not UTF-8 become \\xNN)."""
    root = Path(folder)
    if "/" in pattern or os.sep in pattern or "**" in pattern:      # rglob's own syntax
        found = sorted(root.rglob(pattern), key=lambda x: x.relative_to(root).as_posix())
        for f in found:
            if f.is_file():
                yield f, safe_name(f.relative_to(root).as_posix()), None
        return
    found, stack = [], [(str(root), "")]
    while stack:
        d, rel = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except OSError as e:
            found.append((d, (rel or (root.name or str(root)) + "/"),
                          f"folder cannot be read: {_reason(e)}"))
            continue
        for e in entries:
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((e.path, rel + e.name + "/"))
            if fnmatch.fnmatchcase(e.name, pattern):
                try:
                    if e.is_dir():                       # a folder (or a link to one) named *.txt
                        continue
                except OSError:
                    pass
                found.append((e.path, rel + e.name, None))
    found.sort(key=lambda t: t[1])
    for path, doc, error in found:
        yield Path(path), safe_name(doc), error


def batch_inputs(args):
    """(path, doc id, bytes or None) for each input document, in run order; an input that
    cannot be listed comes as (path, doc id, InputError)."""
    paths = list(args.inputs or ())
    if args.files_from:
        if args.files_from == "-":
            if "-" in paths:
                raise UsageError("stdin cannot be both a document and the --files-from list")
            text = sys.stdin.read()
        else:
            try:
                text = Path(args.files_from).read_text(encoding="utf-8-sig")
            except OSError as e:
                raise UsageError(f"--files-from {args.files_from}: {e.strerror or e}") from None
        # blank lines and # comments are skipped
        paths += [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not paths:
        raise UsageError("no inputs: give files, folders, '-' or --files-from LIST")
    if paths.count("-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    items = []
    for path, doc, error in iter_inputs(paths, args.glob):
        if path == STDIO:
            items.append((STDIO, STDIO, sys.stdin.buffer.read()))
        else:
            items.append((str(path), doc, InputError(path, error) if error else None))
    return items


def collect_inputs(inputs, pattern="*.txt", sort=None) -> list:
    """iter_inputs as a list; a folder with no matching file is a warning, no file at all
    is an error (NoInput, exit 1)."""
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


def read_input(path, args, max_bytes=None):
    """Decoded text of a file or of stdin (`-`); decoding warnings go to stderr."""
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


def why(e, args) -> str:
    """An input error, with the option that would get past it."""
    if isinstance(e, DecodeError) and getattr(args, "errors", "strict") == "strict" \
            and not getattr(args, "encoding", None):
        return f"{e} (--errors replace keeps it)"
    return str(e)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)


def extract_each(ex, items, args, index=None, say=_stderr):
    """(path, doc id, Document or None) for each item of iter_inputs, in order: a document
    that cannot be listed, read or extracted is reported with `say` (one line) and comes
    with None; the others still go."""
    for path, doc, error in items:
        if error:
            say(f"extractor: {shown(path)}: {error}")
            yield path, doc, None
            continue
        try:
            yield path, doc, extract_input(ex, path, doc, args, index)
            continue
        except InputError as e:
            say(f"extractor: {shown(why(e, args))}")
        except Exception as e:  # noqa: BLE001 - one bad document must not stop the others
            say(f"extractor: {shown(path)}: {type(e).__name__}: {shown(e)}")
        yield path, doc, None
