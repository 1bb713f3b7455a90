"""Reading files: typed errors that name the file; every supported encoding decodes right."""
from __future__ import annotations

import codecs

import pytest

import extractor
from extractor.errors import (BinaryFileError, DecodeError, FileTooLargeError, InputError,
                              MissingFileError)
from extractor.read import decode, read_file

TEXT = "2015年，全市地区生产总值增长7.5%，达到309亿元；新增４万余元。\n二、工作安排\n"
GB_ONLY = "𠮷𡈽"  # in GB18030 (four-byte sequences), not in GBK


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# -- typed errors, each naming the file ------------------------------------------
def _names_file(err, path):
    assert isinstance(err, InputError)
    assert err.path == str(path)
    assert str(path) in str(err)


def test_missing_file(tmp_path):
    p = tmp_path / "no-such-report.txt"
    with pytest.raises(MissingFileError) as ei:
        read_file(p)
    _names_file(ei.value, p)
    assert isinstance(ei.value, FileNotFoundError)


def test_missing_file_through_extract_file(tmp_path):
    p = tmp_path / "absent.txt"
    with pytest.raises(MissingFileError) as ei:
        extractor.extract_file(p)
    _names_file(ei.value, p)


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(MissingFileError) as ei:
        read_file(tmp_path)
    _names_file(ei.value, tmp_path)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
    bytes(range(32)) * 8,
    "增长7.5%".encode("utf-8") + b"\x00\x00\x00" + b"\x01\x02\x03\x04\x05\x06",
], ids=["png", "zip", "control-bytes", "text-with-nuls"])
def test_binary_file(tmp_path, data):
    p = _write(tmp_path, "report.bin", data)
    with pytest.raises(BinaryFileError) as ei:
        read_file(p)
    _names_file(ei.value, p)


@pytest.mark.parametrize("data", [
    b"abc\x80def",
    "增长".encode("utf-8") + b"\xff\xff" + "完成".encode("utf-8"),
    b"\xff",
], ids=["lone-0x80", "0xff-in-utf8", "lone-0xff"])
def test_undecodable_bytes(tmp_path, data):
    p = _write(tmp_path, "broken.txt", data)
    with pytest.raises(DecodeError) as ei:
        read_file(p)
    _names_file(ei.value, p)
    assert isinstance(ei.value, UnicodeError)


def test_wrong_explicit_encoding_names_the_file(tmp_path):
    p = _write(tmp_path, "gbk.txt", "增长7.5%".encode("gbk"))
    with pytest.raises(DecodeError) as ei:
        read_file(p, encoding="utf-8")
    _names_file(ei.value, p)


def test_invalid_bytes_after_bom(tmp_path):
    p = _write(tmp_path, "bom.txt", codecs.BOM_UTF8 + b"abc\xff\xfe\xfd")
    with pytest.raises(DecodeError) as ei:
        read_file(p)
    _names_file(ei.value, p)


def test_file_too_large(tmp_path):
    p = _write(tmp_path, "big.txt", TEXT.encode("utf-8"))
    size = p.stat().st_size
    with pytest.raises(FileTooLargeError) as ei:
        read_file(p, max_bytes=size - 1)
    _names_file(ei.value, p)
    assert read_file(p, max_bytes=size).text == TEXT


def test_file_too_large_through_settings(tmp_path):
    p = _write(tmp_path, "big.txt", TEXT.encode("utf-8"))
    with pytest.raises(FileTooLargeError) as ei:
        extractor.extract_file(p, max_bytes=10)
    _names_file(ei.value, p)


# -- encodings ---------------------------------------------------------------------
ENCODED = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8-bom": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "gbk": TEXT.encode("gbk"),
    "gb18030": (TEXT + GB_ONLY).encode("gb18030"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_encodings_decode_right(tmp_path, name):
    expected = TEXT + GB_ONLY if name == "gb18030" else TEXT
    p = _write(tmp_path, f"{name}.txt", ENCODED[name])
    got = read_file(p)
    assert got.text == expected  # no BOM left in the text
    assert decode(ENCODED[name]).text == expected


def test_utf16_without_bom_mostly_ascii():
    text = "GDP grew 7.5% in 2015, to 309亿元.\n" * 3
    assert decode(text.encode("utf-16-le")).text == text
    assert decode(text.encode("utf-16-be")).text == text


def test_explicit_encoding_wins():
    data = "增长7.5%".encode("gbk")
    assert decode(data, encoding="gbk").text == "增长7.5%"


def test_empty_file(tmp_path):
    p = _write(tmp_path, "empty.txt", b"")
    assert read_file(p).text == ""
    assert extractor.extract_file(p).records == []


@pytest.mark.parametrize("name", list(ENCODED))
def test_extract_file_offsets_index_the_decoded_text(tmp_path, name):
    p = _write(tmp_path, f"r-{name}.txt", ENCODED[name])
    doc = extractor.extract_file(p)
    assert doc.doc == p.name
    got = [(r.text, r.value) for r in doc.records]
    assert ("7.5%", 7.5) in [(t, float(v)) for t, v in got]
    assert ("309亿元", 30900000000) in [(t, int(v)) for t, v in got]
    for r in doc.records:
        assert doc.text[r.start:r.end] == r.text
