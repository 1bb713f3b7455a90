"""Output writers: CSV for Excel, SQLite schema and queries, Parquet round-trip, crash recovery."""
import csv
import json
import sqlite3
from pathlib import Path

import pytest

from extractor import write
from extractor.cli.worker import DocResult
from extractor.cli import main
from extractor.records import SPEC_FIELDS

ROOT = Path(__file__).resolve().parent.parent
BIG = 10360000000000000000       # 10.36百亿亿 (> 2**63)


def _rec(doc, start, text, value, unit="元", metric="投资"):
    return {"doc": doc, "start": start, "end": start + len(text), "text": text, "value": value,
            "unit": unit, "dimension": "currency", "bound": "=", "role": "actual",
            "metric": metric, "period": "2015"}


def _res(doc, records=(), status="ok", removed=(), error=None):
    return DocResult(doc=doc, path=f"/in/{doc}", status=status, error=error, encoding="utf-8",
                     chars=100, key=f"k-{doc}" if status == "ok" else None,
                     records=list(records), removed=list(removed), content_hash=f"h-{doc}")


DOCS = [
    _res("a.txt", [_rec("a.txt", 3, "6.56亿元", 656000000), _rec("a.txt", 20, "11.1%", 11.1, "%", None)],
         removed=[{"doc": "a.txt", "start": 50, "end": 90, "reason": "exact", "repeats": [0, 40]}]),
    _res("b.txt", status="empty"),
    _res("c.txt", [_rec("c.txt", 0, "10.36百亿亿次/秒", BIG, "次/秒", "运算速度")]),
    _res("d.txt", status="failed", error="binary data, not text"),
]


def _write_all(fmt, out, docs=DOCS, resume=False):
    w = write.open_writer(fmt, str(out), resume)
    for d in docs:
        w.write(d, "fp1")
    w.finish()
    return w


@pytest.fixture(scope="module")
def corpus_outputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("fmt")
    outs = {}
    for ext in ("jsonl", "csv", "sqlite"):
        outs[ext] = d / f"out.{ext}"
        assert main(["batch", str(ROOT / "corpus"), "-o", str(outs[ext]), "--workers", "1",
                     "-q"]) == 0
    return outs


def test_format_from_extension_or_flag():
    assert write.format_for("x/out.parquet") == "parquet"
    assert write.format_for("out.sqlite3") == "sqlite"
    assert write.format_for("out.unknown") == "jsonl"
    assert write.format_for("out.jsonl", "csv") == "csv"


def test_csv_is_utf8_with_bom_and_right_columns(corpus_outputs):
    raw = corpus_outputs["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(corpus_outputs["csv"], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(write.RECORD_COLUMNS)   # core fields, change, basis
    recs = [json.loads(x) for x in corpus_outputs["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(recs)
    for row, rec in zip(rows, recs):
        assert row["doc"] == rec["doc"] and row["text"] == rec["text"]
        assert int(row["start"]) == rec["start"] and json.loads(row["value"]) == rec["value"]
        assert (row["metric"] or None) == rec["metric"]


def test_csv_keeps_big_values_exact(tmp_path):
    out = tmp_path / "o.csv"
    _write_all("csv", out)
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["value"] for r in rows] == ["656000000", "11.1", str(BIG)]


def test_sqlite_schema_and_query(corpus_outputs):
    db = sqlite3.connect(corpus_outputs["sqlite"])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "records", "duplicates"} <= tables
    cols = lambda t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")]
    assert {"doc", "path", "content_hash", "encoding", "characters", "status", "error"} \
        <= set(cols("documents"))
    assert set(write.RECORD_COLUMNS) | {"value_text"} <= set(cols("records"))
    indexed = {db.execute(f"PRAGMA index_info({name})").fetchone()[2]
               for _, name, *_ in db.execute("PRAGMA index_list(records)")}
    assert {"doc", "metric"} <= indexed
    n_jsonl = len(corpus_outputs["jsonl"].read_text(encoding="utf-8").splitlines())
    assert db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == n_jsonl
    # a sample question: the biggest currency figures of the seed report
    top = db.execute("SELECT text, value FROM records WHERE doc = 'seed-report.txt' "
                     "AND dimension = 'currency' ORDER BY value DESC LIMIT 3").fetchall()
    assert len(top) == 3 and top[0][1] >= top[1][1] >= top[2][1]
    assert db.execute("SELECT status FROM documents WHERE doc='seed-report.txt'").fetchone() == ("ok",)
    assert db.execute("SELECT reason FROM duplicates WHERE doc='seed-report.txt'").fetchall() \
        == [("repeated-passage",)]
    assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_sqlite_big_values_as_real_and_exact_text(tmp_path):
    out = tmp_path / "o.sqlite"
    _write_all("sqlite", out)
    db = sqlite3.connect(out)
    v, t, typ = db.execute("SELECT value, value_text, typeof(value) FROM records "
                           "WHERE doc = 'c.txt'").fetchone()
    assert typ == "real" and v == float(BIG) and t == str(BIG)
    docs = db.execute("SELECT doc, status, error, records FROM documents ORDER BY seq").fetchall()
    assert docs == [("a.txt", "ok", None, 2), ("b.txt", "empty", None, 0), ("c.txt", "ok", None, 1),
                    ("d.txt", "failed", "binary data, not text", 0)]
    assert not Path(str(out) + ".part").exists()


def test_parquet_round_trip(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "o.parquet"
    _write_all("parquet", out)
    rows = pq.read_table(out).to_pylist()
    want = [r for d in DOCS for r in d.records]
    assert len(rows) == len(want)
    for row, rec in zip(rows, want):
        assert {k: row[k] for k in SPEC_FIELDS if k != "value"} == \
            {k: rec[k] for k in SPEC_FIELDS if k != "value"}
        assert row["value"] == float(rec["value"]) and json.loads(row["value_text"]) == rec["value"]
    # resuming a finished Parquet output skips what it holds and rebuilds the same file
    w = write.open_writer("parquet", str(out), resume=True)
    assert set(w.done) == {"a.txt", "b.txt", "c.txt", "d.txt"}
    for d in DOCS:
        w.keep(d.doc) if d.status != "failed" else w.write(d, "fp1")
    w.finish()
    assert pq.read_table(out).to_pylist() == rows


def test_parquet_cli_round_trip(tmp_path, corpus_outputs):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "o.parquet"
    assert main(["batch", str(ROOT / "corpus" / "seed-report.txt"), "-o", str(out), "-q",
                 "--workers", "1"]) == 0
    rows = pq.read_table(out).to_pylist()
    recs = [json.loads(x) for x in corpus_outputs["jsonl"].read_text(encoding="utf-8").splitlines()
            if json.loads(x)["doc"] == "seed-report.txt"]
    assert [(r["start"], r["text"], json.loads(r["value_text"])) for r in rows] == \
        [(r["start"], r["text"], r["value"]) for r in recs]


def test_parquet_without_pyarrow_is_a_usage_error(tmp_path, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_pyarrow(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(write.UsageError, match="pyarrow"):
        write.open_writer("parquet", str(tmp_path / "o.parquet"))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_torn_tail_is_truncated_on_resume(tmp_path, fmt):
    """kill -9 between a document's records and its done mark: both are dropped on resume."""
    out = tmp_path / f"o.{fmt}"
    w = write.open_writer(fmt, str(out))
    w.write(DOCS[0], "fp1")
    w.write(DOCS[1], "fp1")
    w.abort()                                  # what a kill leaves (work files only)
    part, state = Path(str(out) + ".part"), Path(str(out) + ".part.state")
    assert not out.exists() and part.exists()
    with open(part, "ab") as f:
        f.write(b'{"doc": "c.txt", "start": 0, "end"')       # records half written
    with open(state, "ab") as f:
        f.write(b'{"doc": "c.txt", "path"')                  # done mark half written
    w = write.open_writer(fmt, str(out), resume=True)
    assert set(w.done) == {"a.txt", "b.txt"}
    w.keep("a.txt")
    w.keep("b.txt")
    for d in DOCS[2:]:
        w.write(d, "fp1")
    w.finish()
    ref = tmp_path / f"ref.{fmt}"
    _write_all(fmt, ref)
    assert out.read_bytes() == ref.read_bytes()
    assert Path(str(out) + ".state").read_bytes() == Path(str(ref) + ".state").read_bytes()


def test_state_naming_missing_data_is_dropped(tmp_path):
    """A done mark whose records never reached the disk (power loss) is not trusted."""
    out = tmp_path / "o.jsonl"
    w = write.open_writer("jsonl", str(out))
    for d in DOCS:
        w.write(d, "fp1")
    w.abort()
    part = Path(str(out) + ".part")
    data = part.read_bytes()
    part.write_bytes(data[:len(data) - 10])     # the last records lost, their mark kept
    w = write.open_writer("jsonl", str(out), resume=True)
    assert set(w.done) == {"a.txt", "b.txt"}
    w.abort()


def test_out_of_order_resume_is_compacted(tmp_path):
    """A changed document rewritten at the end of the log still lands in document order."""
    out = tmp_path / "o.jsonl"
    _write_all("jsonl", out)
    changed = _res("a.txt", [_rec("a.txt", 1, "5亿元", 500000000)])
    w = write.open_writer("jsonl", str(out), resume=True)
    w.write(changed, "fp1")
    for d in DOCS[1:]:
        w.keep(d.doc)
    w.finish()
    ref = tmp_path / "ref.jsonl"
    _write_all("jsonl", ref, [changed] + DOCS[1:])
    assert out.read_bytes() == ref.read_bytes()
    assert not Path(str(out) + ".part").exists()
    removed = list(w.iter_removed())
    assert removed == []                        # a.txt's old removed span went with it


def test_jsonl_holds_spec_records_only(corpus_outputs):
    for line in corpus_outputs["jsonl"].read_text(encoding="utf-8").splitlines():
        assert list(json.loads(line)) == list(write.RECORD_COLUMNS)   # core fields, change, basis
