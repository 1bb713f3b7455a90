"""Typed errors raised for bad input, the command's exit codes, and how a file is named
in a one-line message (`safe_name`, `shown`)."""
from __future__ import annotations

import os
import re

#: exit codes of the `extractor` command (docs/batch.md)
EXIT_OK = 0             # every document succeeded
EXIT_FAILED = 1         # some documents failed, or no input matched
EXIT_USAGE = 2          # a bad option; OUT locked by another run
EXIT_OUTPUT = 3         # OUT cannot be created (read-only file system, permission denied)
EXIT_WRITE = 4          # writing OUT failed during the run (disk full, I/O error)
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C)
EXIT_TERMINATED = 143   # SIGTERM


class ExtractorError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(ExtractorError):
    """An input file that cannot be turned into text; names the file."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class MissingFileError(InputError, FileNotFoundError):
    """The path does not exist or is not a file."""


class BinaryFileError(InputError):
    """The bytes are not text (NUL bytes, control characters)."""


class DecodeError(InputError, UnicodeError):
    """The bytes are not valid in any supported encoding."""


class FileTooLargeError(InputError):
    """The file is larger than the configured limit."""


class SettingsError(ExtractorError, ValueError):
    """An invalid setting."""


class LexiconError(ExtractorError):
    """A data file under extractor/data is malformed."""


class UsageError(ExtractorError):
    """A bad option or argument: one line on stderr, exit 2."""

    exit_code = EXIT_USAGE


class UnwritableOutput(UsageError):
    """The output's folder cannot be written: one line on stderr, exit 3 (as OutputError:
    the output cannot be created)."""

    exit_code = EXIT_OUTPUT


class NoInput(ExtractorError):
    """Nothing matched: a warning was printed, exit 1."""


class Locked(ExtractorError):
    """Another run holds OUT's lock (exit code 2)."""


class WorkerError(ExtractorError, RuntimeError):
    """The worker processes cannot run at all."""


class OutputError(ExtractorError):
    """OUT cannot be written (OSError or sqlite3.Error from a writer)."""

    def __init__(self, output, error):
        self.error = error
        reason = (os.strerror(error.errno) if isinstance(error, OSError) and error.errno
                  else str(error))
        super().__init__(f"cannot write {shown(output)}: {reason}")


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(32), 127)}
_ESCAPES.update({9: "\\t", 10: "\\n", 13: "\\r"})


def safe_name(name: str) -> str:
    """A file name as text any UTF-8 writer accepts: bytes that are not UTF-8 (which the
    OS layer surrogate-escapes) become ``\\xNN``, other lone surrogates ``\\uXXXX``;
    a valid name is returned unchanged.

    >>> safe_name("odd\\udcff.txt"), safe_name("报告.txt"), safe_name("\\ud800")
    ('odd\\\\xff.txt', '报告.txt', '\\\\ud800')
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return _SURROGATE.sub(_escape_surrogate, name)


def _escape_surrogate(m) -> str:
    c = ord(m.group())
    return f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}"


def shown(text) -> str:
    """`text` for a one-line message: safe_name, and control characters (newlines) escaped.

    >>> shown("a\\nb\\udcff")
    'a\\\\nb\\\\xff'
    """
    return safe_name(str(text)).translate(_ESCAPES)
