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
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import (BinaryFileError, DecodeError, FileTooLargeError, InputError,
                     MissingFileError)
from .errors import safe_name, shown  # noqa: F401 - the names of read's callers

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
    """Decoded text and the encoding it was read with.

    `replaced` counts the bad bytes replaced by U+FFFD (errors="replace");
    `warning` says why the decoding is doubtful (None when it is not).
    """

    text: str
    encoding: str
    replaced: int = 0
    warning: str | None = None


#: what the statistical detector chooses among when bytes are neither UTF-8 nor UTF-16
CANDIDATES = ("gb18030", "big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr", "utf_8")
ERRORS = ("strict", "replace")
_ESCAPED = re.compile("[\udc80-\udcff]")   # the bytes surrogateescape could not decode


def detect(data: bytes) -> tuple[str | None, float]:
    """The most likely encoding of `data` by charset-normalizer, and its chaos (0 clean .. 1).

    Statistical: used only when the bytes are not UTF-8, UTF-16 or BOM-marked. GB18030
    accepts most byte pairs, so Big5 text also decodes as GB18030 (as nonsense); the
    detector tells them apart by which decoding gives plausible text.

    >>> detect("全市地區生產總值增長7.5%，達到309億元。".encode("big5"))[0]
    'big5'
    >>> detect("全市地区生产总值增长7.5%，达到309亿元。".encode("gb18030"))[0]
    'gb18030'
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency; GB18030 is the fallback
        return None, 1.0
    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        return None, 1.0
    return codecs.lookup(best.encoding).name, float(best.chaos)


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode with each bad byte replaced by U+FFFD; returns (text, number of bad bytes)."""
    text = data.decode(encoding, errors="surrogateescape")
    bad = len(_ESCAPED.findall(text))
    return (_ESCAPED.sub("\ufffd", text) if bad else text), bad


def _replacing(data: bytes, name: str, detected: str | None) -> Decoded:
    """errors="replace": the candidate encoding with the fewest bad bytes, replaced."""
    best = None
    for enc in dict.fromkeys(e for e in ("utf-8", detected, "gb18030") if e):
        text, bad = _decode_counting(data, enc)
        if best is None or bad < best[2]:
            best = (text, enc, bad)
    text, enc, bad = best
    return Decoded(text, enc, bad, f"{bad} undecodable byte(s) replaced with U+FFFD (read as {enc})")


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


def decode(data: bytes, name: str = "<bytes>", encoding: str | None = None,
           errors: str = "strict") -> Decoded:
    """Decode `data`, detecting the encoding unless `encoding` is given.

    Raises BinaryFileError for binary data and DecodeError when no supported
    encoding decodes the bytes; with errors="replace" a file with bad bytes is kept,
    the bytes replaced by U+FFFD and counted (`Decoded.replaced`).
    """
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {ERRORS}")
    if encoding:
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError as e:
            raise DecodeError(name, f"cannot decode as {encoding}: {e}") from None
        except UnicodeDecodeError as e:
            if errors == "replace":
                text, bad = _decode_counting(data, encoding)
                return Decoded(text, encoding, bad, f"{bad} undecodable byte(s) replaced with U+FFFD")
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
    if _mostly_utf8(data):
        # UTF-8 with a few stray bytes: never read as GB18030 mojibake
        if errors == "replace":
            return _replacing(data, name, "utf-8")
        raise DecodeError(name, f"invalid UTF-8 ({bad_utf8.reason} at byte {bad_utf8.start}; "
                                f"the rest is UTF-8)") from None
    return _not_utf(data, name, errors, bad_utf8)


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


_COMMON_RANGES = (
    (0x00B0, 0x00F7),   # ° ± · × ÷
    (0x2010, 0x2027), (0x2030, 0x203B),   # dashes, quotes, ‰ ※
    (0x2160, 0x217F),   # Roman numerals Ⅰ Ⅱ
    (0x2460, 0x24FF),   # ① ⑴ ⒈
    (0x25A0, 0x25FF),   # ■ ● ○ △
    (0x3000, 0x303F),   # CJK punctuation 、。「」【】
    (0xFF01, 0xFF5E),   # full-width ASCII ０-９ Ａ-Ｚ ，：（）
    (0xFFE0, 0xFFE6),   # full-width ￥ ￡
)


def _common(ch: str) -> bool:
    """ASCII, CJK punctuation, full-width forms, or a frequent hanzi (GB2312 level 1 or
    Big5's frequent range): what a Chinese text is mostly made of."""
    o = ord(ch)
    if o < 128 or any(lo <= o <= hi for lo, hi in _COMMON_RANGES):
        return True
    if not 0x4E00 <= o <= 0x9FFF:
        return False
    for enc, lo, hi in (("gb2312", 0xB0A1, 0xD7FE), ("big5", 0xA440, 0xC67E)):
        try:
            b = ch.encode(enc)
        except UnicodeEncodeError:
            continue
        if lo <= b[0] * 256 + b[1] <= hi:
            return True
    return False


def plausibility(text: str, sample: int = 20000) -> float:
    """Share of the non-space characters of (the start of) `text` that are common in
    Chinese text; text decoded with the wrong CJK encoding scores low.

    >>> plausibility("全市地区生产总值增长7.5%"), plausibility("カ跋ネ玻羆糤7.5%")
    (1.0, 0.6)
    """
    chars = [c for c in text[:sample] if not c.isspace()]
    return round(sum(map(_common, chars)) / max(1, len(chars)), 3)


def _clearly_better(cand, gb) -> bool:
    """Another encoding replaces GB18030 only with clear evidence: plausible text (0.9),
    well ahead of GB18030's reading (0.2), and at least 4 non-ASCII characters."""
    return (cand[0] >= 0.9 and cand[0] - gb[0] >= 0.2
            and sum(ord(c) > 127 for c in cand[2][:20000]) >= 4)


def _not_utf(data: bytes, name: str, errors: str, bad_utf8: UnicodeDecodeError) -> Decoded:
    """Bytes that are not UTF-8: GB18030, or what the detector finds (Big5…) when its
    decoding is more plausible Chinese text; a warning when the choice is doubtful."""
    detected, _ = detect(data)
    scored = []
    # Chinese-only UTF-16 without BOM has few NULs: it competes as one more reading
    candidates = ("gb18030", detected, "big5", _utf16_cjk(data))
    for enc in dict.fromkeys(e for e in candidates if e and e != "utf-8"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text), enc, text))   # ties: the earlier (GB18030) wins
    if not scored:
        if errors == "replace":
            return _replacing(data, name, detected)
        try:
            data.decode("gb18030")
        except UnicodeDecodeError as e:
            raise DecodeError(name, f"not UTF-8, UTF-16 or GB18030 text (UTF-8: {bad_utf8.reason} "
                                    f"at byte {bad_utf8.start}; GB18030: {e.reason} at byte "
                                    f"{e.start})") from None
    best = scored[0]
    for cand in scored[1:]:
        if best[1] == "gb18030" and not _clearly_better(cand, best):
            continue                  # GB18030 stays unless another reading is clearly better
        if cand[0] > best[0]:
            best = cand
    others = [p for p, enc, _ in scored if enc != best[1]]
    doubt = None
    if best[0] < 0.9 or (others and best[0] - max(others) < 0.05):
        doubt = (f"encoding uncertain: read as {best[1]} (plausibility {best[0]:.2f}); "
                 f"give --encoding if the text looks wrong")
    return Decoded(best[2], best[1], 0, doubt)


def read_bytes(path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (None: no limit); typed
    InputErrors otherwise. The one way the package reads an input file."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise MissingFileError(p, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(p, "not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise FileTooLargeError(p, f"larger than the limit of {max_bytes} bytes")
        with open(p, "rb") as f:
            # read(n) allocates n bytes first: ask for the size stat gave (+1 to see growth)
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(-1 if max_bytes is None else max_bytes + 1 - len(data))
    except InputError:
        raise
    except FileNotFoundError:
        raise MissingFileError(p, "no such file") from None
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except OSError as e:
        raise InputError(p, os.strerror(e.errno) if e.errno else str(e)) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLargeError(p, f"larger than the limit of {max_bytes} bytes")
    return data


def read_file(path, encoding: str | None = None, max_bytes: int | None = None,
              errors: str = "strict") -> Decoded:
    """Read (read_bytes) and decode a file; typed errors name the file."""
    return decode(read_bytes(path, max_bytes), str(Path(path)), encoding, errors)
