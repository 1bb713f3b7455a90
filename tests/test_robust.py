"""Issue 15: nothing stops a batch, nothing is counted twice.

Each test names the defect it covers; the batch ones run `extractor batch` in a
subprocess, as a user does.
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import extract
from extractor.errors import BinaryFileError, DecodeError
from extractor.read import decode, safe_name, shown
from extractor.write import csv_bytes, csv_cell

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "corpus" / "dev"
HANG = "_EXTRACTOR_TEST_HANG"
TEXT = "2015年，全市地区生产总值增长7.5%，达到309亿元。\n"


def _batch(*argv, env=None, timeout=300, **kw):
    """`extractor batch ARGV…` in a subprocess; argv may hold bytes (file names)."""
    e = dict(os.environ)
    e.update(env or {})
    args = [sys.executable, "-m", "extractor", "batch"]
    args += [a if isinstance(a, bytes) else str(a) for a in argv]
    return subprocess.run(args, cwd=ROOT, env=e, capture_output=True, timeout=timeout, **kw)


def _err_lines(p):
    return p.stderr.decode("utf-8").splitlines()


def _docs(db):
    con = sqlite3.connect(db)
    try:
        return {d: (s, e) for d, s, e in con.execute("SELECT doc, status, error FROM documents")}
    finally:
        con.close()


def _folder(tmp_path, n=3, name="in"):
    src = tmp_path / name
    src.mkdir()
    for i in range(n):
        (src / f"{i:02d}.txt").write_text(f"{2015 + i}年，全市粮食产量增长{i + 1}%。\n",
                                          encoding="utf-8")
    return src


# -- 1. file names that are not UTF-8 ----------------------------------------------------

def _odd_folder(tmp_path):
    src = tmp_path / "odd"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    try:
        f = open(os.path.join(os.fsencode(src), b"odd\xff.txt"), "wb")
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    with f:
        f.write("x增长7.5%。\n".encode("utf-8"))
    with open(os.path.join(os.fsencode(src), b"two\nlines.txt"), "wb") as f:
        f.write(b"\x00\x01binary" * 100)                          # fails: its name is shown
    return src


@pytest.mark.parametrize("ext", ["jsonl", "csv", "parquet", "sqlite"])
def test_names_that_are_not_utf8_never_abort_a_batch_or_resume(tmp_path, ext):
    if ext == "parquet":
        pytest.importorskip("pyarrow")
    src = _odd_folder(tmp_path)
    out = tmp_path / f"o.{ext}"
    for extra in ([], ["--resume"]):
        p = _batch(src, "-o", out, "--workers", "1", "-q", *extra)
        assert p.returncode == 1, p.stderr                         # the binary file failed
        lines = _err_lines(p)
        assert all(ln.startswith(("extractor: ", "  ")) for ln in lines), lines  # no forged line
        assert any("two\\nlines.txt: binary data" in ln for ln in lines), lines
    if ext == "sqlite":
        docs = _docs(out)
        assert docs["odd\\xff.txt"] == ("ok", None)
        assert docs["two\nlines.txt"] == ("failed", "binary data, not text")
    elif ext == "parquet":
        import pyarrow.parquet as pq
        assert "odd\\xff.txt" in pq.read_table(out).column("doc").to_pylist()
    elif ext == "jsonl":
        docs = {json.loads(x)["doc"] for x in out.read_text(encoding="utf-8").splitlines()}
        assert docs == {"a.txt", "odd\\xff.txt"}
    else:
        import csv
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))[1:]
        assert {r[0] for r in rows} == {"a.txt", "odd\\xff.txt"}


def test_names_that_are_not_utf8_in_the_report(tmp_path):
    src = _odd_folder(tmp_path)
    out = tmp_path / "r.html"
    p = subprocess.run([sys.executable, "-m", "extractor", "report", str(src), "-o", str(out)],
                       cwd=ROOT, capture_output=True, timeout=300)
    assert p.returncode == 1, p.stderr                             # the binary file failed
    assert "odd\\xff.txt" in out.read_text(encoding="utf-8")
    assert all(ln.startswith("extractor: ") for ln in _err_lines(p))


def test_safe_name_and_shown():
    assert safe_name("odd\udcff.txt") == "odd\\xff.txt"
    assert safe_name("\ud800x") == "\\ud800x"
    assert safe_name("报告 1.txt") == "报告 1.txt"
    assert shown("a\nb\rc\udcfe") == "a\\nb\\rc\\xfe"


# -- 2. --timeout ------------------------------------------------------------------------

@pytest.mark.parametrize("workers,how", [("1", "sleep"), ("2", "sleep"), ("2", "block")])
def test_a_document_over_the_timeout_fails_and_the_run_goes_on(tmp_path, workers, how):
    """`block` hangs with SIGALRM blocked, as native code would: the worker is killed."""
    src = _folder(tmp_path, 6)
    (src / "03.txt").write_text("SLOWDOC " + TEXT, encoding="utf-8")
    out = tmp_path / "o.sqlite"
    p = _batch(src, "-o", out, "--workers", workers, "--timeout", "1", "-q",
               env={HANG: f"{how}:SLOWDOC"})
    assert p.returncode == 1, p.stderr
    docs = _docs(out)
    assert docs.pop("03.txt") == ("failed", "timeout")
    assert set(docs.values()) == {("ok", None)} and len(docs) == 5
    assert "03.txt: timeout" in p.stderr.decode()


def test_timeout_must_not_be_negative(tmp_path):
    p = _batch(_folder(tmp_path), "-o", tmp_path / "o.jsonl", "--timeout", "-1")
    assert p.returncode == 2


# -- 3. one run per OUT ------------------------------------------------------------------

def _start_hanging_run(src, out, workers="1"):
    """A batch run that hangs on SLOWDOC (no timeout), started in the background."""
    env = dict(os.environ, **{HANG: "sleep:SLOWDOC"})
    return subprocess.Popen([sys.executable, "-m", "extractor", "batch", str(src), "-o", str(out),
                             "--workers", workers, "--timeout", "0", "-q"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(cond, what, seconds=120):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def _state_docs(part_state):
    try:
        return len(Path(part_state).read_bytes().splitlines()) - 1
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("ext", ["jsonl", "sqlite"])
def test_a_second_run_on_the_same_out_is_refused(tmp_path, ext):
    src = _folder(tmp_path, 4)
    (src / "02.txt").write_text("SLOWDOC " + TEXT, encoding="utf-8")
    out = tmp_path / f"o.{ext}"
    first = _start_hanging_run(src, out)
    try:
        _wait_for(lambda: Path(str(out) + ".lock").exists() and
                  Path(str(out) + ".lock").read_text().strip(), "the lock")
        second = _batch(src, "-o", out, "--workers", "1", "-q")
        assert second.returncode == 2
        lines = _err_lines(second)
        assert len(lines) == 1 and f"pid {first.pid}" in lines[0], lines
    finally:
        first.kill()
        first.wait()
        first.stderr.close()
    # the kernel dropped the killed run's lock: a new run goes ahead
    p = _batch(src, "-o", out, "--workers", "1", "-q")
    assert p.returncode == 0, p.stderr
    assert not Path(str(out) + ".lock").exists()


# -- 4. inputs that cannot be read -------------------------------------------------------

def test_fifo_and_socket_in_a_folder_are_failures(tmp_path):
    src = _folder(tmp_path)
    os.mkfifo(src / "pipe.txt")
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(src / "sock.txt"))
    except OSError:                    # path too long for AF_UNIX: the FIFO still counts
        s.close()
        s = None
    out = tmp_path / "o.sqlite"
    p = _batch(src, "-o", out, "--workers", "1", "-q")
    if s is not None:
        s.close()
    assert p.returncode == 1, p.stderr
    docs = _docs(out)
    assert docs["pipe.txt"] == ("failed", "not a regular file")
    if s is not None:
        assert docs["sock.txt"] == ("failed", "not a regular file")
    assert docs["00.txt"] == ("ok", None)


def _as_other_user():
    """argv prefix that runs a command as user nobody, or None (not root, or no setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    pre = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    ok = subprocess.run(pre + [sys.executable, "-c", "import extractor.cli.batch"], cwd="/",
                        capture_output=True)
    return pre if ok.returncode == 0 else None


def test_an_unreadable_folder_is_a_failure(tmp_path):
    pre = _as_other_user()
    if pre is None:
        pytest.skip("root reads every folder and no other user can run extractor here")
    import tempfile
    base = Path(tempfile.mkdtemp(prefix="robust-", dir="/tmp"))
    try:
        os.chmod(base, 0o777)
        src = _folder(base)
        (src / "locked").mkdir()
        (src / "locked" / "a.txt").write_text(TEXT, encoding="utf-8")
        for d in (src, src / "locked"):
            os.chmod(d, 0o777)
        os.chmod(src / "locked", 0)
        out = base / "o.sqlite"
        p = subprocess.run(pre + [sys.executable, "-m", "extractor", "batch", str(src), "-o",
                                  str(out), "--workers", "1", "-q"],
                           cwd="/", capture_output=True, timeout=300,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert p.returncode == 1, p.stderr
        docs = _docs(out)
        assert docs["locked/"] == ("failed", "folder cannot be read: permission denied")
        assert docs["00.txt"] == ("ok", None)
        assert "in/locked: folder cannot be read: permission denied" in p.stderr.decode()
    finally:
        os.chmod(base / "in" / "locked", 0o755)
        shutil.rmtree(base)


# -- 5. CSV formula guard ----------------------------------------------------------------

def test_csv_cells_are_guarded_against_formulas_by_default(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "=cmd|calc!A1.txt").write_text("2015年，全市粮食产量增长-3.2%，利润2%。\n",
                                          encoding="utf-8")
    out, raw = tmp_path / "o.csv", tmp_path / "raw.csv"
    assert _batch(src, "-o", out, "--workers", "1", "-q").returncode == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert rows and all(r.startswith("'=cmd|calc!A1.txt,") for r in rows), rows
    values = [r.split(",")[4] for r in rows]
    assert values == ["-3.2", "2"]     # numbers, a negative one too, are never guarded
    assert _batch(src, "-o", raw, "--workers", "1", "-q", "--csv-raw").returncode == 0
    assert all(r.startswith("=cmd|calc!A1.txt,")
               for r in raw.read_text(encoding="utf-8-sig").splitlines()[1:])


def test_csv_cell_rules():
    for bad in ("=1+1的投资", "+A1", "-cmd", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(bad) == "'" + bad
    for fine in ("-3.5%", "+2", "-0.5", "增长", "", "=".join(["a", "b"])):
        assert csv_cell(fine) == fine
    rec = dict(doc="d", start=0, end=2, text="-3%", value=-3, unit="%", dimension="percentage",
               bound="=", role="actual", metric="=1+1的投资", period="2015", change="decrease",
               basis=None)
    row = csv_bytes([rec]).decode().strip()
    assert row == "d,0,2,-3%,-3,%,percentage,=,actual,'=1+1的投资,2015,decrease,"
    assert csv_bytes([rec], guard=False).decode().strip().endswith(",=1+1的投资,2015,decrease,")


# -- 6. near copies of a document --------------------------------------------------------

def test_forty_copies_of_each_report_count_once(tmp_path):
    src = tmp_path / "copies"
    src.mkdir()
    reports = sorted(DEV.glob("*.txt"))
    for f in reports:
        text = f.read_text(encoding="utf-8")
        for i in range(40):
            (src / f"{f.stem}-{i:02d}.txt").write_text(f"来源：网站{i}\n" + text,
                                                      encoding="utf-8")
    ref = tmp_path / "ref.jsonl"
    assert _batch(DEV, "-o", ref, "-q").returncode == 0
    out, dups = tmp_path / "o.sqlite", tmp_path / "dups.jsonl"
    p = _batch(src, "-o", out, "-q", "--duplicates", dups)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(out)
    n_records = con.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    assert n_records == len(ref.read_text(encoding="utf-8").splitlines())
    rows = con.execute("SELECT doc, status, repeats FROM documents").fetchall()
    for doc, status, repeats in rows:
        stem, i = doc[:-4].rsplit("-", 1)
        if i == "00":
            assert (status, repeats) == ("ok", None)
        else:
            assert (status, repeats) == ("duplicate", f"{stem}-00.txt"), doc
    err = p.stderr.decode()
    assert f"({len(reports) * 39} duplicate documents)" in err
    assert "duplicate: 001-01.txt repeats 001-00.txt" in err
    spans = [json.loads(x) for x in dups.read_text(encoding="utf-8").splitlines()]
    whole = [s for s in spans if s["reason"] == "near-copy"]
    assert len(whole) == len(reports) * 39 and whole[0]["repeats"] == "001-00.txt"


def test_a_copy_with_its_paragraphs_reordered_is_a_copy(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = (DEV / "005.txt").read_text(encoding="utf-8")
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_text("\n".join(reversed(text.split("\n"))), encoding="utf-8")
    out = tmp_path / "o.sqlite"
    assert _batch(src, "-o", out, "--workers", "1", "-q").returncode == 0
    con = sqlite3.connect(out)
    assert con.execute("SELECT status, repeats FROM documents WHERE doc = 'b.txt'").fetchone() \
        == ("duplicate", "a.txt")


def test_short_lines_alone_never_make_a_copy(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    short = "".join(f"各位代表！第{i}项增长{i}%。\n" for i in range(30))   # lines under 40
    (src / "a.txt").write_text(short + "全市粮食产量达到1.2万吨。\n", encoding="utf-8")
    (src / "b.txt").write_text(short + "全市粮食产量达到1.5万吨。\n", encoding="utf-8")
    out = tmp_path / "o.sqlite"
    assert _batch(src, "-o", out, "--workers", "1", "-q").returncode == 0
    assert _docs(out)["b.txt"] == ("ok", None)


def test_a_report_that_shares_some_paragraphs_is_no_copy(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    a = (DEV / "001.txt").read_text(encoding="utf-8")
    b = (DEV / "002.txt").read_text(encoding="utf-8")
    half = a.split("\n")
    (src / "a.txt").write_text(a, encoding="utf-8")
    (src / "b.txt").write_text("\n".join(half[: len(half) // 2]) + "\n" + b, encoding="utf-8")
    out = tmp_path / "o.sqlite"
    assert _batch(src, "-o", out, "--workers", "1", "-q").returncode == 0
    assert _docs(out)["b.txt"] == ("ok", None)


def test_resume_keeps_the_near_copy_verdicts(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = (DEV / "003.txt").read_text(encoding="utf-8")
    for i in range(3):
        (src / f"c{i}.txt").write_text(f"转载{i}\n" + text, encoding="utf-8")
    for ext in ("jsonl", "sqlite"):
        out = tmp_path / f"o.{ext}"
        assert _batch(src, "-o", out, "--workers", "1", "-q").returncode == 0
        before = out.read_bytes()
        p = _batch(src, "-o", out, "--workers", "1", "-q", "--resume")
        assert p.returncode == 0 and "(3 unchanged, skipped)" in p.stderr.decode()
        assert "2 duplicate documents" in p.stderr.decode()
        if ext == "jsonl":
            assert out.read_bytes() == before
        # the original changes: its first copy becomes the one the other copies repeat
        (src / "c0.txt").write_text("另一份报告。增长3%。\n", encoding="utf-8")
        p = _batch(src, "-o", out, "--workers", "1", "-q", "--resume")
        assert p.returncode == 0 and "1 duplicate documents" in p.stderr.decode()
        assert "duplicate: c2.txt repeats c1.txt" in p.stderr.decode()
        (src / "c0.txt").write_text(f"转载0\n" + text, encoding="utf-8")


# -- 7. output errors, SIGTERM, decoding, lone surrogates ---------------------------------

@pytest.fixture
def tiny_fs(tmp_path):
    """A 64 KiB tmpfs (root only), unmounted afterwards."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                                             str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_disk_full_is_one_line_exit_4_and_resume_continues(tmp_path, tiny_fs):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(DEV.glob("*.txt")):
        shutil.copy(f, src / f.name)
    out = tiny_fs / "o.jsonl"
    p = _batch(src, "-o", out, "--workers", "1", "-q")
    assert p.returncode == 4, p.stderr
    lines = _err_lines(p)
    assert len(lines) == 1 and "No space left on device" in lines[0], lines
    assert "--resume" in lines[0]
    subprocess.run(["mount", "-o", "remount,size=20m", str(tiny_fs)], check=True)
    p = _batch(src, "-o", out, "--workers", "1", "-q", "--resume")
    assert p.returncode == 0, p.stderr
    ref = tmp_path / "ref.jsonl"
    assert _batch(src, "-o", ref, "--workers", "1", "-q").returncode == 0
    assert out.read_bytes() == ref.read_bytes()


@pytest.mark.parametrize("ext", ["jsonl", "sqlite"])
def test_read_only_output_is_one_line_exit_3(tmp_path, ext):
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)],
                          capture_output=True).returncode:
            pytest.skip("cannot mount a read-only file system here")
    else:
        os.chmod(ro, 0o555)
    try:
        p = _batch(_folder(tmp_path), "-o", ro / f"o.{ext}", "--workers", "1", "-q")
        assert p.returncode == 3, p.stderr
        lines = _err_lines(p)
        assert len(lines) == 1 and lines[0].startswith("extractor: cannot write"), lines
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(ro)], capture_output=True)


@pytest.mark.parametrize("workers,sig", [("1", "SIGTERM"), ("2", "SIGTERM"), ("2", "SIGINT")])
def test_sigterm_is_one_line_exit_143_no_leak_and_resume(tmp_path, workers, sig):
    src = _folder(tmp_path, 40)                     # --workers 1 writes chunks of 16 documents
    (src / "35.txt").write_text("SLOWDOC " + TEXT, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    run = _start_hanging_run(src, out, workers)
    try:
        _wait_for(lambda: _state_docs(str(out) + ".part.state") >= 5, "five documents")
        run.send_signal(getattr(signal, sig))
        _, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    code, word = (143, "terminated") if sig == "SIGTERM" else (130, "interrupted")
    assert run.returncode == code
    lines = err.decode().splitlines()
    assert len(lines) == 1 and f"{word} after" in lines[0] and "--resume" in lines[0], lines
    assert "leaked" not in err.decode()
    (src / "35.txt").write_text(TEXT, encoding="utf-8")
    p = _batch(src, "-o", out, "--workers", "1", "-q", "--resume")
    assert p.returncode == 0, p.stderr
    kept = int(re.search(r"\((\d+) unchanged, skipped\)", p.stderr.decode()).group(1))
    assert kept >= 5


def test_utf8_with_a_stray_byte_names_its_position_and_is_never_gb18030():
    import random
    text = (DEV / "001.txt").read_text(encoding="utf-8")
    rng = random.Random(15)
    for trial in range(800):
        body = text[: rng.choice((40, 200, 2000))].encode("utf-8")
        pos = rng.randrange(len(body))
        data = body[:pos] + bytes([rng.randrange(0x80, 0x100)]) + body[pos:]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            at = e.start
        with pytest.raises(DecodeError) as exc:
            decode(data)
        assert f"at byte {at};" in exc.value.reason, (trial, exc.value.reason)


def test_gb18030_text_is_still_gb18030():
    text = (DEV / "001.txt").read_text(encoding="utf-8")[:3000]
    for n in (10, 100, 3000):
        assert decode(text[:n].encode("gb18030")).encoding == "gb18030"


def test_chinese_only_utf16_without_bom_is_text():
    text = "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。\n一、过去五年工作回顾\n" * 3
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode(text.encode(enc)) .text == text
    assert decode("一二三四五六七八".encode("utf-16-le")).encoding == "utf-16-le"  # U+4E00: a NUL
    with pytest.raises(BinaryFileError):
        decode(bytes(range(256)) * 8)


def test_a_lone_surrogate_does_not_raise():
    text = "2015年，全市\ud800地区生产总值增长7.5%，达到309亿元\udcff。"
    doc = extract(text)
    assert [r.text for r in doc.records] == ["7.5%", "309亿元"]
    assert all(text[r.start:r.end] == r.text for r in doc.records)


def test_walk_lists_what_rglob_lists(tmp_path):
    """The one walk of the inputs lists the files Path.rglob finds: same files, ids, order."""
    from extractor.cli.inputs import iter_inputs
    src = tmp_path / "in"
    for rel in ("b.txt", "a.txt", "sub/z.txt", "sub/deeper/y.txt", ".hidden.txt", "A.TXT",
                "notes.md", "sub-a/x.txt", "dir.txt/inner.txt"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(TEXT, encoding="utf-8")
    os.symlink(src / "sub", src / "linked")              # a link to a folder is not entered
    os.symlink(src / "a.txt", src / "link.txt")          # a link to a file is a file
    for pattern in ("*.txt", "*", "[ab].txt"):
        want = [(str(p), p.relative_to(src).as_posix()) for p in
                sorted(src.rglob(pattern), key=lambda x: x.relative_to(src).as_posix())
                if p.is_file()]
        got = [(str(p), d) for p, d, err in iter_inputs([src], pattern) if err is None]
        assert got == want, pattern


def test_any_name_becomes_one_writable_line():
    from hypothesis import given, strategies as st

    @given(st.text())
    def check(name):
        safe_name(name).encode("utf-8")
        line = shown(name)
        line.encode("utf-8")
        assert "\n" not in line and "\r" not in line
        if not any("\ud800" <= c <= "\udfff" for c in name):
            assert safe_name(name) == name            # valid names are kept as they are
    check()
