"""The command as a user runs it (subprocess): one-line errors and exit codes checked before
any work, `-` for stdin/stdout, --help, -V, --files-from, --lexicon, --errors, change/basis
columns in every output format."""
import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed-report.txt"
DIRECTION = "单位GDP能耗下降3.5%，工业增加值增长3.5%，同比增长2.1%。\n"
COMMANDS = ("batch", "extract", "segment", "dedup", "targets", "report")


def run(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd or ROOT,
                          text=not isinstance(stdin, bytes))


def one_line_error(p, code):
    """Exit `code`, nothing on stdout, exactly one line on stderr (no traceback)."""
    err = p.stderr if isinstance(p.stderr, str) else p.stderr.decode()
    assert p.returncode == code, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(scope="module")
def direction_file(tmp_path_factory):
    f = tmp_path_factory.mktemp("dir") / "energy.txt"
    f.write_text(DIRECTION, encoding="utf-8")
    return f


# ---- errors: one line, the right code, before any work ------------------------------

def test_unwritable_output_folder_is_named(direction_file):
    line = one_line_error(run("batch", direction_file, "-o", "/proc/x.jsonl"), 3)
    assert "/proc" in line and "not writable" in line


@pytest.mark.parametrize("ext", ["jsonl", "sqlite", "csv"])
def test_missing_output_folder_is_named(direction_file, tmp_path, ext):
    out = tmp_path / "no" / "such" / f"out.{ext}"
    line = one_line_error(run("batch", direction_file, "-o", out), 2)
    assert str(out.parent) in line and "does not exist" in line
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name", ["out.xlsx", "out.json", "out.tsv"])
def test_output_extension_without_format(direction_file, tmp_path, name):
    line = one_line_error(run("batch", direction_file, "-o", tmp_path / name), 2)
    assert "--format" in line
    assert run("batch", direction_file, "-o", tmp_path / name, "--format", "jsonl", "-q",
               "--workers", 1).returncode == 0


@pytest.mark.parametrize("name", ["records", "tmp.U2OL8JeuaQ"])
def test_output_without_a_known_extension_is_json_lines(direction_file, tmp_path, name):
    out = tmp_path / name          # as `mktemp` names a file: scripts and scorers use these
    p = run("batch", direction_file, "-o", out, "-q", "--workers", 1)
    assert p.returncode == 0, p.stderr
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in recs] and all("value" in r for r in recs)


@pytest.mark.parametrize("opts", [["--year", "1800"], ["--year", "x"], ["--workers", "0"],
                                  ["--encoding", "klingon"], ["--errors", "ignore"],
                                  ["--max-bytes", "-3"], ["--segmenter", "hanlp"]])
def test_bad_option_values(direction_file, tmp_path, opts):
    line = one_line_error(run("batch", direction_file, "-o", tmp_path / "o.jsonl", *opts), 2)
    assert opts[0] in line


def test_bad_year_in_every_command(direction_file, tmp_path):
    for cmd in ("extract", "segment", "targets", "dedup"):
        one_line_error(run(cmd, direction_file, "--year", "1800"), 2)
    one_line_error(run("report", direction_file, "-o", tmp_path / "r.html", "--year", "1800"), 2)


def test_a_folder_given_to_extract(tmp_path):
    for cmd in ("extract", "segment"):
        line = one_line_error(run(cmd, tmp_path), 2)
        assert "folder" in line and "batch" in line


def test_no_matching_input_is_a_warning_and_exit_1(tmp_path):
    (tmp_path / "notes.md").write_text("增长7.5%", encoding="utf-8")
    p = run("batch", tmp_path, "-o", tmp_path / "o.jsonl")
    assert p.returncode == 1 and "warning: no files matching '*.txt'" in p.stderr
    assert "Traceback" not in p.stderr and not (tmp_path / "o.jsonl").exists()
    for args in (["targets", tmp_path], ["dedup", tmp_path], ["report", tmp_path, "-o", tmp_path / "r.html"]):
        p = run(*args)
        assert p.returncode == 1 and "no files matching" in p.stderr, args


def test_missing_input_file_fails_the_document(tmp_path):
    p = run("extract", tmp_path / "nope.txt")
    assert one_line_error(p, 1).endswith("no such file")


def test_usage_error_is_one_line():
    line = one_line_error(run("batch", "corpus"), 2)
    assert "-o/--output" in line
    one_line_error(run("frobnicate"), 2)


def test_version():
    for flag in ("-V", "--version"):
        p = run(flag)
        assert p.returncode == 0 and p.stdout.startswith("extractor ")


# ---- stdin and stdout --------------------------------------------------------------

def test_dash_is_stdin_and_stdout_for_every_command(tmp_path):
    p = run("extract", "-", stdin=DIRECTION)
    recs = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0 and [r["change"] for r in recs] == ["decrease", "increase", "increase"]
    assert recs[0]["doc"] == "-"
    p = run("segment", "-", stdin="港口等4个委属单位")
    assert p.returncode == 0 and "4 个 委属 单位" in p.stdout
    p = run("targets", "-", "--json", stdin="2016年，地区生产总值力争增长7%左右。\n")
    assert p.returncode == 0 and json.loads(p.stdout)[0]["value"] == 7
    p = run("dedup", "-", stdin="粮食产量达到1.2万吨。\n")
    assert p.returncode == 0 and p.stdout == "粮食产量达到1.2万吨。\n"
    p = run("report", "-", "-o", "-", stdin=DIRECTION)
    assert p.returncode == 0 and p.stdout.startswith("<!DOCTYPE html>")
    assert not (ROOT / "-").exists()
    p = run("batch", "-", "-o", "-", "-q", stdin=DIRECTION)
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 3
    seed = SEED.read_text(encoding="utf-8")
    p = run("batch", SEED, "-o", tmp_path / "o.jsonl", "--duplicates", "-", "-q", "--workers", 1)
    dups = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0 and [d["reason"] for d in dups] == ["repeated-passage"]
    assert dups[0]["end"] - dups[0]["start"] > len(seed) // 3
    one_line_error(run("batch", "-", "-o", "-", "--duplicates", "-", stdin=DIRECTION), 2)


def test_files_from_skips_blank_and_comment_lines(tmp_path, direction_file):
    lst = tmp_path / "list.txt"
    lst.write_text(f"# my reports\n\n{direction_file}\n   \n  # {SEED}\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    p = run("batch", "--files-from", lst, "-o", out, "-q", "--workers", 1)
    assert p.returncode == 0, p.stderr
    assert {json.loads(x)["doc"] for x in out.read_text(encoding="utf-8").splitlines()} == {"energy.txt"}


# ---- help ---------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_has_a_description_options_and_two_examples(cmd):
    p = run(cmd, "--help")
    assert p.returncode == 0
    text = p.stdout
    assert text.splitlines()[0].startswith(f"usage: extractor {cmd}")
    examples = text[text.index("examples:"):].splitlines()[1:]
    assert sum(ln.strip().startswith("extractor ") or "| extractor" in ln for ln in examples) >= 2


def test_every_option_and_positional_is_explained():
    from extractor.cli import build_parser
    ap = build_parser()
    sub = next(a for a in ap._actions if a.choices and "batch" in a.choices)
    for name, parser in sub.choices.items():
        assert parser.description, name
        for action in parser._actions:
            assert action.help, (name, action.dest)


# ---- change and basis in every output format -------------------------------------------

def test_change_and_basis_columns_in_every_format(direction_file, tmp_path):
    want = [("decrease", None), ("increase", None), ("increase", "同比")]
    got = {}
    for fmt in ("jsonl", "csv", "sqlite", "parquet"):
        out = tmp_path / f"o.{fmt}"
        p = run("batch", direction_file, "-o", out, "-q", "--workers", 1)
        if fmt == "parquet" and "pyarrow" in p.stderr:
            continue
        assert p.returncode == 0, p.stderr
        if fmt == "jsonl":
            rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
            got[fmt] = [(r["change"], r["basis"]) for r in rows]
        elif fmt == "csv":
            with open(out, encoding="utf-8-sig", newline="") as f:
                got[fmt] = [(r["change"] or None, r["basis"] or None) for r in csv.DictReader(f)]
        elif fmt == "sqlite":
            got[fmt] = sqlite3.connect(out).execute(
                "SELECT change, basis FROM records ORDER BY start").fetchall()
        else:
            import pyarrow.parquet as pq
            t = pq.read_table(out).to_pylist()
            got[fmt] = [(r["change"], r["basis"]) for r in t]
    assert got and all(v == want for v in got.values()), got


# ---- user lexicon --------------------------------------------------------------------

def test_lexicon_adds_a_unit(tmp_path):
    lex = tmp_path / "mine.yaml"
    lex.write_text("classifiers: [羽]\n", encoding="utf-8")
    text = "全年家禽出栏达到120万羽。\n"
    before = json.loads(run("extract", "-", stdin=text).stdout.splitlines()[0])
    assert before["unit"] is None
    after = json.loads(run("extract", "-", "--lexicon", lex, stdin=text).stdout.splitlines()[0])
    assert (after["text"], after["value"], after["unit"], after["dimension"]) == \
        ("120万羽", 1200000, "羽", "count")


def test_lexicon_errors_name_the_file_and_the_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  weight: [担]\n", encoding="utf-8")
    line = one_line_error(run("extract", SEED, "--lexicon", bad), 2)
    assert str(bad) in line and "'weight'" in line
    bad.write_text("unitz: {count: [标箱]}\n", encoding="utf-8")
    line = one_line_error(run("batch", SEED, "-o", tmp_path / "o.jsonl", "--lexicon", bad), 2)
    assert str(bad) in line and "'unitz'" in line
    line = one_line_error(run("extract", SEED, "--lexicon", tmp_path / "none.yaml"), 2)
    assert "none.yaml" in line


def test_lexicon_content_is_part_of_the_batch_fingerprint(tmp_path):
    from extractor.settings import Settings
    lex = tmp_path / "mine.yaml"
    lex.write_text("classifiers: [标箱]\n", encoding="utf-8")
    a = Settings(lexicon=str(lex)).fingerprint()
    lex.write_text("classifiers: [标箱, 车]\n", encoding="utf-8")
    b = Settings(lexicon=str(lex)).fingerprint()
    assert len({a, b, Settings().fingerprint()}) == 3


# ---- encodings ---------------------------------------------------------------------------

BIG5 = "2015年，全市地區生產總值增長7.5%，新增就業4500人。\n"   # (億 is no magnitude word yet)


def test_big5_is_detected(tmp_path):
    f = tmp_path / "big5.txt"
    f.write_bytes(BIG5.encode("big5"))
    recs = [json.loads(x) for x in run("extract", f).stdout.splitlines()]
    assert [r["text"] for r in recs] == ["7.5%", "4500人"]
    assert "生產總值" in recs[0]["metric"]
    out = tmp_path / "o.sqlite"
    assert run("batch", f, "-o", out, "-q", "--workers", 1).returncode == 0
    assert sqlite3.connect(out).execute("SELECT encoding FROM documents").fetchone() == ("big5",)


def test_errors_replace_keeps_a_file_with_bad_bytes(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes("全市地区生产总值增长7.5%。\n".encode() + b"\xff\xfe\xfa" + "达到309亿元。\n".encode() * 20)
    line = one_line_error(run("extract", f), 1)
    assert line.startswith(f"extractor: {f}: ") and line.endswith("(--errors replace keeps it)")
    p = run("extract", f, "--errors", "replace")
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 21
    assert "3 undecodable byte(s) replaced" in p.stderr
    out = tmp_path / "o.jsonl"
    p = run("batch", f, "-o", out, "--errors", "replace", "-q", "--workers", 1)
    assert p.returncode == 0 and "3 undecodable byte(s) replaced" in p.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 21


def test_resume_reextracts_when_the_lexicon_changes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "port.txt").write_text("港口集装箱吞吐量达到120万标箱，完成货运量20万车。\n", encoding="utf-8")
    lex, out = tmp_path / "mine.yaml", tmp_path / "o.jsonl"
    lex.write_text("classifiers: [标箱]\n", encoding="utf-8")
    units = lambda: [json.loads(x)["unit"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert run("batch", src, "-o", out, "--lexicon", lex, "-q", "--workers", 1).returncode == 0
    first = units()
    assert first == ["标箱", None]
    p = run("batch", src, "-o", out, "--lexicon", lex, "--resume", "-q", "--workers", 1)
    assert p.returncode == 0 and "1 unchanged" in p.stderr and units() == first
    lex.write_text("classifiers: [标箱, 车]\n", encoding="utf-8")
    p = run("batch", src, "-o", out, "--lexicon", lex, "--resume", "-q", "--workers", 1)
    assert p.returncode == 0 and "0 unchanged" in p.stderr and units() == ["标箱", "车"]


def test_extract_document_line_shows_kind_meta_and_sections(tmp_path):
    f = tmp_path / "budget.txt"
    f.write_text("某市2025年预算执行情况和2026年预算草案的报告\n"
                 "——2026年1月10日在某市第十届人民代表大会第五次会议上\n"
                 "一、2025年预算执行情况\n全市一般公共预算收入120亿元，增长5%。\n"
                 "二、2026年预算草案\n全市一般公共预算收入预计126亿元，增长5%。\n", encoding="utf-8")
    p = run("extract", "--document", f)
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    head, records = lines[0], lines[1:]
    doc = head["document"]
    assert doc["kind"] == "budget_report" and doc["meta"]["region"] == "某市"
    assert doc["date"] == "2026-01-10"
    modes = {s["heading"]: (s["mode"], s["years"]) for s in doc["sections"]}
    assert modes["一、2025年预算执行情况"] == ("review", [2025])
    assert modes["二、2026年预算草案"][1] == [2026]
    assert [(r["text"], r["role"], r["period"]) for r in records] == [
        ("120亿元", "actual", "2025"), ("5%", "actual", "2025"),
        ("126亿元", "target", "2026"), ("5%", "target", "2026")]
    assert all(set(r["why"]) == {"role", "period", "metric"} for r in records)
    plain = run("extract", f)
    assert [json.loads(x) for x in plain.stdout.splitlines()] == records
