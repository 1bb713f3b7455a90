"""`extractor batch` at scale: engines agree, resume after kill -9, bad files isolated."""
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import importlib

batch = importlib.import_module("extractor.cli.batch")
from extractor.cli import main
from extractor.read import read_file
from extractor.records import SPEC_FIELDS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SMALL = ["seed-report.txt", "dev/004.txt", "dev/001.txt"]


def _run(*argv):
    return main(["batch", *map(str, argv)])


def _lines(path):
    return Path(path).read_text(encoding="utf-8").splitlines()


def _generate(folder: Path, n: int, seed=1, n_paras=12):
    """n distinct small reports: shuffled paragraphs of corpus texts under a numbered title."""
    texts = [read_file(CORPUS / s).text for s in SMALL]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
        rng.shuffle(paras)
        (folder / f"{i:04d}.txt").write_text(f"第{i}号\n" + "\n".join(paras[:n_paras]) + "\n",
                                             encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus_w1(tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "out.jsonl"
    assert _run(CORPUS, "-o", out, "--workers", 1, "-q") == 0
    return out


# -- engines -------------------------------------------------------------------------

def test_workers_2_equals_workers_1(corpus_w1, tmp_path):
    out = tmp_path / "w2.jsonl"
    assert _run(CORPUS, "-o", out, "--workers", 2, "-q") == 0
    assert out.read_bytes() == corpus_w1.read_bytes()
    recs = [json.loads(x) for x in _lines(out)]
    assert recs and all(set(r) == set(SPEC_FIELDS) | {"change", "basis"} for r in recs)
    docs = [r["doc"] for r in recs]
    assert docs == sorted(docs)            # sorted by document


def test_dask_local_cluster_equals_workers_1(corpus_w1, tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "dask.jsonl"
    stats = {}
    from extractor.cli import build_parser
    from extractor.cli.commands import _settings
    args = build_parser().parse_args(["batch", str(CORPUS), "-o", str(out), "--engine", "dask",
                                      "--workers", "2", "-q"])
    assert batch.run_batch(args, _settings(args), stats) == 0
    assert stats["engine"] == "dask"
    assert out.read_bytes() == corpus_w1.read_bytes()


def test_cross_document_duplicate_in_document_order(tmp_path):
    src = _generate(tmp_path / "in", 3)
    (src / "0009.txt").write_bytes((src / "0001.txt").read_text(encoding="utf-8")
                                   .encode("gb18030"))      # same text, another encoding
    out = tmp_path / "o.sqlite"
    assert _run(src, "-o", out, "--workers", 1, "-q") == 0
    db = sqlite3.connect(out)
    rows = dict(db.execute("SELECT doc, status FROM documents"))
    assert rows["0009.txt"] == "duplicate" and rows["0001.txt"] == "ok"
    assert db.execute("SELECT COUNT(*) FROM records WHERE doc='0009.txt'").fetchone() == (0,)
    rep = db.execute("SELECT reason, repeats FROM duplicates WHERE doc='0009.txt'").fetchall()
    assert rep == [("cross-document", '"0001.txt"')]


# -- resume --------------------------------------------------------------------------

def _kill_midway(argv, state, min_docs, cwd):
    """Start `extractor batch` in a subprocess, SIGKILL it once min_docs documents are done."""
    p = subprocess.Popen([sys.executable, "-m", "extractor", "batch", *map(str, argv)], cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and p.poll() is None:
            if state(min_docs):
                break
            time.sleep(0.01)
        finished = p.poll() is not None
        p.send_signal(signal.SIGKILL)
    finally:
        p.wait()
        p.stderr.close()
    return not finished


def _jsonl_done(part_state):
    def enough(n):
        try:
            return len(Path(part_state).read_bytes().splitlines()) > n
        except FileNotFoundError:
            return False
    return enough


def _sqlite_done(part):
    def enough(n):
        if not Path(part).exists():
            return False
        try:
            db = sqlite3.connect(f"file:{part}?mode=ro", uri=True, timeout=0.1)
            try:
                return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= n
            finally:
                db.close()
        except sqlite3.Error:
            return False
    return enough


def _sqlite_rows(path):
    db = sqlite3.connect(path)
    recs = db.execute('SELECT doc, start, "end", text, value, value_text, unit, dimension, bound, '
                      "role, metric, period FROM records ORDER BY doc, start, \"end\"").fetchall()
    docs = db.execute("SELECT doc, content_hash, status, error, records FROM documents "
                      "ORDER BY seq").fetchall()
    dups = db.execute('SELECT doc, start, "end", reason, repeats FROM duplicates '
                      'ORDER BY doc, start').fetchall()
    return recs, docs, dups


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("big") / "in", 60, n_paras=6)


@pytest.mark.parametrize("ext", ["jsonl", "sqlite"])
def test_resume_after_sigkill_equals_uninterrupted(big_folder, tmp_path, ext):
    ref = tmp_path / f"ref.{ext}"
    assert _run(big_folder, "-o", ref, "--workers", 1, "-q") == 0
    out = tmp_path / f"out.{ext}"
    part = str(out) + ".part"
    probe = _jsonl_done(part + ".state") if ext == "jsonl" else _sqlite_done(part)
    killed = _kill_midway([big_folder, "-o", out, "--workers", 2, "-q"], probe, 10, ROOT)
    if not killed:
        pytest.skip("the run finished before it could be killed")
    assert not out.exists() and Path(part).exists()      # old output untouched, work kept
    stats = {}
    from extractor.cli import build_parser
    from extractor.cli.commands import _settings
    args = build_parser().parse_args(["batch", str(big_folder), "-o", str(out), "--resume",
                                      "--workers", "1", "-q"])
    assert batch.run_batch(args, _settings(args), stats) == 0
    assert stats["unchanged"] >= 8                     # work done before the kill was kept
    assert stats["documents"] == 60
    if ext == "jsonl":
        got = _lines(out)
        assert got == _lines(ref)
        assert len(got) == len(set(got))               # no duplicate rows
        assert not Path(part).exists()
    else:
        assert _sqlite_rows(out) == _sqlite_rows(ref)


def test_resume_reprocesses_changed_files_and_settings(tmp_path):
    src = _generate(tmp_path / "in", 6)
    out = tmp_path / "out.jsonl"
    assert _run(src, "-o", out, "--workers", 1, "-q") == 0
    # change one file, remove one, add one
    (src / "0002.txt").write_text("2016年，全市粮食产量达到1.2万吨，增长3%。\n", encoding="utf-8")
    (src / "0004.txt").unlink()
    (src / "0007.txt").write_text("2016年，地区生产总值增长7.5%，达到309亿元。\n", encoding="utf-8")
    stats = {}
    from extractor.cli import build_parser
    from extractor.cli.commands import _settings
    args = build_parser().parse_args(["batch", str(src), "-o", str(out), "--resume", "--workers",
                                      "1", "-q"])
    assert batch.run_batch(args, _settings(args), stats) == 0
    assert stats["unchanged"] == 4 and stats["processed"] == 2
    fresh = tmp_path / "fresh.jsonl"
    assert _run(src, "-o", fresh, "--workers", 1, "-q") == 0
    assert out.read_bytes() == fresh.read_bytes()
    # another setting: another fingerprint, so nothing is skipped
    args = build_parser().parse_args(["batch", str(src), "-o", str(out), "--resume", "--no-dedup",
                                      "--workers", "1", "-q"])
    stats = {}
    assert batch.run_batch(args, _settings(args), stats) == 0
    assert stats["unchanged"] == 0
    # resuming a complete, unchanged output does nothing and keeps it
    before = out.read_bytes()
    stats = {}
    assert batch.run_batch(args, _settings(args), stats) == 0
    assert stats["processed"] == 0 and out.read_bytes() == before


def test_without_resume_the_output_is_rebuilt(tmp_path):
    src = _generate(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    Path(str(out) + ".part").write_text("stale work\n")
    assert _run(src, "-o", out, "--workers", 1, "-q") == 0
    assert "old" not in out.read_text(encoding="utf-8")
    assert not Path(str(out) + ".part").exists()


# -- bad files -----------------------------------------------------------------------

def test_bad_files_are_reported_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    src = _generate(tmp_path / "in", 3)
    good = _generate(tmp_path / "good", 3)
    (src / "bad-decode.txt").write_bytes("增长".encode("utf-8") + b"\x80\x80\x80abc\xff")
    (src / "bad-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (src / "bad-huge.txt").write_text("增长3%。" * 20000, encoding="utf-8")
    (src / "bad-denied.txt").write_text("增长3%。", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    denied = str(src / "bad-denied.txt")
    if os.geteuid() == 0:                       # root reads anything: simulate the error
        real_open = open

        def fake_open(p, *a, **k):
            if str(p) == denied:
                raise PermissionError(13, "Permission denied", denied)
            return real_open(p, *a, **k)
        monkeypatch.setattr(importlib.import_module("extractor.read"), "open", fake_open,
                            raising=False)         # the one file reader
    else:
        os.chmod(denied, 0)
    out, ref = tmp_path / "out.sqlite", tmp_path / "ref.jsonl"
    capsys.readouterr()
    code = _run(src, "-o", out, "--workers", 1, "--max-bytes", 100000)
    err = capsys.readouterr().err
    assert code == 1
    db = sqlite3.connect(out)
    docs = {d: (s, e) for d, s, e in db.execute("SELECT doc, status, error FROM documents")}
    assert docs["bad-decode.txt"][0] == "failed" and "GB18030" in docs["bad-decode.txt"][1]
    assert docs["bad-binary.txt"] == ("failed", "binary data, not text")
    assert docs["bad-huge.txt"] == ("failed", "larger than the limit of 100000 bytes")
    assert docs["bad-denied.txt"] == ("failed", "permission denied")
    assert docs["empty.txt"] == ("empty", None)
    assert "4 failed" in err and "1 empty" in err
    for name in ("bad-decode", "bad-binary", "bad-huge", "bad-denied"):
        assert f"{name}.txt:" in err
    # the good files' records are all there: same as a run over the good files alone
    assert _run(good, "-o", ref, "--workers", 1, "-q") == 0
    want = sorted(json.loads(x)["text"] + str(json.loads(x)["start"]) + json.loads(x)["doc"]
                  for x in _lines(ref))
    got = sorted(t + str(s) + d for d, s, t in db.execute("SELECT doc, start, text FROM records"))
    assert got == want and got


def test_default_size_limit_is_64_mb():
    from extractor.settings import Settings
    assert Settings().max_bytes == 64 * 1024 * 1024


def test_usage_errors_exit_2(tmp_path, capsys):
    src = _generate(tmp_path / "in", 1)
    assert _run(src, "-o", tmp_path / "o.jsonl", "--workers", 0) == 2
    assert _run(src, "-o", tmp_path / "o.jsonl", "--scheduler", "tcp://x:1") == 2
    assert _run(src, "-o", "-", "--format", "sqlite") == 2
    assert _run(src, "-o", "-", "--resume") == 2
    assert _run("-o", tmp_path / "o.jsonl") == 2
    assert _run("--files-from", tmp_path / "missing.txt", "-o", tmp_path / "o.jsonl") == 2
    assert _run(src, "-o", tmp_path / "o.jsonl", "--format", "xml") == 2


def test_missing_input_is_a_failure(tmp_path):
    src = _generate(tmp_path / "in", 1)
    assert _run(src, tmp_path / "nope.txt", "-o", tmp_path / "o.jsonl", "-q", "--workers", 1) == 1
    assert _lines(tmp_path / "o.jsonl")


# -- inputs --------------------------------------------------------------------------

def test_stdin_document_and_files_from(tmp_path):
    src = _generate(tmp_path / "in", 2)
    text = (src / "0001.txt").read_bytes()
    p = subprocess.run([sys.executable, "-m", "extractor", "batch", "-", "-o", "-", "-q"],
                       input=text, capture_output=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    recs = [json.loads(x) for x in p.stdout.decode("utf-8").splitlines()]
    assert recs and {r["doc"] for r in recs} == {"-"}
    lst = tmp_path / "list.txt"
    lst.write_text(f"{src / '0001.txt'}\n\n{src / '0000.txt'}\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert _run("--files-from", lst, "-o", out, "-q", "--workers", 1) == 0
    got = [json.loads(x) for x in _lines(out)]
    assert [r["doc"] for r in got if r["doc"] == "0001.txt"] == ["0001.txt"] * len(recs)
    assert {r["doc"] for r in got} == {"0000.txt", "0001.txt"}
    assert [r["start"] for r in got if r["doc"] == "0001.txt"] == [r["start"] for r in recs]


def test_glob_and_encoding_override(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.gbk").write_bytes("2015年，全市地区生产总值增长7.5%。".encode("gbk"))
    (src / "b.txt").write_text("2015年，粮食产量增长3%。", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert _run(src, "-o", out, "--glob", "*.gbk", "--encoding", "gbk", "-q", "--workers", 1) == 0
    recs = [json.loads(x) for x in _lines(out)]
    assert [(r["doc"], r["text"]) for r in recs] == [("a.gbk", "7.5%")]
    assert _run(src, "-o", out, "--glob", "*.txt", "--encoding", "ascii", "-q",
                "--workers", 1) == 1                 # the override is used, and fails
