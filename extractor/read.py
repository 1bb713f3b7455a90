"""Read bytes and decode them to text: BOMs, UTF-8, GB18030/GBK, UTF-16.

>>> decode("１２．５％".encode("gb18030")).text
'１２．５％'
>>> decode(b"\\xef\\xbb\\xbfabc").encoding
'utf-8-sig'
"""
from __future__ import annotations

import codecs
import os
import re
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


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    bad = sum(b in _CONTROL for b in sample)
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
        guess = _utf16_cjk(data)         # Chinese-only UTF-16 without BOM has few NULs
        if guess is None:
            raise BinaryFileError(name, "binary data, not text")
        return Decoded(data.decode(guess), guess)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        bad_utf8 = e
    guess = _utf16_cjk(data)
    if guess is not None:
        return Decoded(data.decode(guess), guess)
    if _mostly_utf8(data):
        # UTF-8 with a few stray bytes: never read as GB18030 mojibake
        raise DecodeError(name, f"invalid UTF-8 ({bad_utf8.reason} at byte {bad_utf8.start}; "
                                f"the rest is UTF-8)") from None
    try:
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError as e:
        raise DecodeError(name, f"not UTF-8, UTF-16 or GB18030 text (UTF-8: {bad_utf8.reason} "
                                f"at byte {bad_utf8.start}; GB18030: {e.reason} at byte "
                                f"{e.start})") from None


_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CJK_TEXT = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\r\n\t ]")


def _mostly_utf8(data: bytes) -> bool:
    """Bytes that are UTF-8 but for a few stray bytes: at least 20 bytes of valid multi-byte
    sequences for each byte outside one (GB18030 text has few valid UTF-8 sequences)."""
    seqs = _UTF8_SEQ.findall(data)
    good = sum(map(len, seqs))
    stray = len(_NON_ASCII.findall(data)) - good
    return len(seqs) >= 4 and stray * 20 <= good


def _utf16_cjk(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for Chinese text in UTF-16 without BOM (9 in 10 of its
    first 4,096 characters CJK, CJK punctuation, full-width forms or white space)."""
    if len(data) < 8 or len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            sample = data[:8192].decode(enc)
        except UnicodeDecodeError:
            try:                        # the sample may end inside a surrogate pair
                sample = data[:8190].decode(enc)
            except UnicodeDecodeError:
                continue
        if len(_CJK_TEXT.findall(sample)) >= 0.9 * len(sample):
            try:
                data.decode(enc)
            except UnicodeDecodeError:
                continue
            return enc
    return None


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
