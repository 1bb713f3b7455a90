"""Read bytes and decode them to text: BOMs, UTF-8, GB18030/GBK, UTF-16.

>>> decode("１２．５％".encode("gb18030")).text
'１２．５％'
>>> decode(b"\\xef\\xbb\\xbfabc").encoding
'utf-8-sig'
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import BinaryFileError, DecodeError, FileTooLargeError, InputError, MissingFileError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# control characters other than \t \n \v \f \r and ESC/SUB that old files carry
_CONTROL = set(range(0, 9)) | set(range(14, 26)) | {28, 29, 30, 31, 127}


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding it was read with."""

    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without BOM from where the NUL bytes fall."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_CONTROL_BYTES = bytes(sorted(_CONTROL))


def _looks_binary(data: bytes) -> bool:
    """NUL in the first 8 KB, or more than 1% (at least 3) control bytes there.

    The control bytes are counted in C: what bytes.translate deletes.
    """
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bad > max(2, len(sample) // 100)


def decode(data: bytes, name: str = "<bytes>", encoding: str | None = None) -> Decoded:
    """Decode `data`, detecting the encoding unless `encoding` is given.

    Raises BinaryFileError for binary data and DecodeError when no supported
    encoding decodes the bytes.
    """
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise DecodeError(name, f"cannot decode as {encoding}: {e}") from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as e:
                raise DecodeError(name, f"invalid {enc} after its byte-order mark: {e}") from None
    guess = _utf16_without_bom(data)
    if guess:
        try:
            return Decoded(data.decode(guess), guess)
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise BinaryFileError(name, "binary data, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError as e:
        raise DecodeError(name, f"not UTF-8, UTF-16 or GB18030 text ({e.reason} at byte {e.start})") from None


def read_file(path, encoding: str | None = None, max_bytes: int | None = None) -> Decoded:
    """Read and decode a file; typed errors name the file."""
    p = Path(path)
    try:
        if not p.is_file():
            raise MissingFileError(p, "no such file")
        if max_bytes is not None and p.stat().st_size > max_bytes:
            raise FileTooLargeError(p, f"larger than the limit of {max_bytes} bytes")
        data = p.read_bytes()
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except IsADirectoryError:
        raise MissingFileError(p, "is a directory") from None
    except OSError as e:
        if isinstance(e, InputError):
            raise
        raise InputError(p, os.strerror(e.errno) if e.errno else str(e)) from None
    return decode(data, str(p), encoding)
