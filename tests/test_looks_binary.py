"""read._looks_binary counts control bytes in C (bytes.translate) and decides as the old loop did."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.read import _CONTROL, _looks_binary


def _looks_binary_loop(data: bytes) -> bool:
    """The former implementation: a Python loop over the first 8 KB."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    bad = sum(b in _CONTROL for b in sample)
    return bad > max(2, len(sample) // 100)


# text bytes with control bytes (NUL included) sprinkled in at every density
_text = st.sampled_from([b"a", b"\n", b"\t", "增长".encode("utf-8"), "７".encode("gb18030"), b"\x1a", b"\x1b"])
_control = st.sampled_from(sorted(_CONTROL - {0}) + [0, 9, 10, 13, 26, 27, 128, 255])
_chunks = st.lists(st.one_of(_text, _control.map(lambda b: bytes([b])), st.binary(max_size=40)), max_size=400)


@settings(max_examples=400, deadline=None)
@given(_chunks, st.integers(min_value=0, max_value=9000))
def test_same_decision_as_the_loop(chunks, pad):
    data = b"".join(chunks)
    assert _looks_binary(data) == _looks_binary_loop(data)
    # past 8 KB only the first 8 KB count: pad with text so the sample boundary moves
    padded = "年".encode("utf-8") * (pad // 3) + data
    assert _looks_binary(padded) == _looks_binary_loop(padded)


def test_thresholds():
    assert not _looks_binary(b"")
    assert not _looks_binary(b"\x01\x02")               # at most 2 control bytes: text
    assert _looks_binary(b"\x01\x02\x03")
    assert _looks_binary(b"text\x00")                   # NUL: binary
    text = "增长7.5%".encode("utf-8") * 1000            # 9 KB: the sample is its first 8192 bytes
    assert not _looks_binary(b"\x01" * 81 + text)       # 81 of 8192 = 1% of the sample: text
    assert _looks_binary(b"\x01" * 82 + text)
    assert _looks_binary_loop(b"\x01" * 82 + text) and not _looks_binary_loop(b"\x01" * 81 + text)
