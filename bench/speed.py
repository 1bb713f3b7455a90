#!/usr/bin/env python
"""Speed of the extractor on text it has never seen, against plain word segmenters (issue 14).

    python bench/speed.py                 # fresh text, 3 rounds; cold start; one 50 MB document
    python bench/speed.py --quick         # a smoke run: 1 round, no cold start, a 5 MB document
    python bench/speed.py --rounds 5 --big 0 --texts more/texts

Headline: the FIRST PASS over distinct real documents in a fresh process. The texts are
every real document of the repository (corpus/**/*.txt, ../shared/corpus/**/*.txt,
bench/texts/*.txt, and --texts folders), each taken once: files with the same text count
once, and seed-report.txt (a report appended to itself) gives its first half only. Each
contender runs in a process of its own, started afresh, so that no contender warms a cache
(the extractor's phrase caches, jieba's, Python's) for another:

  jieba.lcut        jieba.lcut over every paragraph (jieba.initialize() beforehand)
  spaCy+jieba       spacy.blank("zh") with its jieba segmenter, nlp.pipe over every paragraph
  extractor         Extractor().extract(text, doc), one call per document; then the same
                    documents again in the same process: the warm (second pass) figure
  extractor, jieba  Extractor(segmenter="jieba"): its records must equal the default's

Loading (imports, dictionaries, one call on a one-sentence text that is none of the
documents) is done before the clock starts, for every contender alike; the cold start is
measured on its own. A round starts every contender once, in an order rotated from round to
round; the table gives the median over rounds of MB/s and of the per-round ratios (each
ratio is of two processes of the same round). MB = 10^6 bytes of UTF-8; MB/s = bytes /
wall seconds of the pass (CPU seconds beside it).

Memory: the peak RSS (ru_maxrss from os.wait4) of each child process alone. The parent
never imports the extractor, jieba or spaCy and holds no text, so a child inherits nothing
of it (its own peak RSS is printed too).

One big document (--big MB, 0 to skip): digit-remapped copies of the texts joined into
one document of that size, against the same text cut at line breaks into 1,000 documents;
each through Extractor().extract_file in a fresh process; wall time and peak RSS.

Cold start: wall time of `extractor extract FILE` on a one-paragraph file as a
subprocess (median of --cold-runs, after one untimed run).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# one core: keep numeric libraries (spaCy's numpy/thinc) from starting thread pools
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import first_half_if_doubled  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
WARMUP = "2015年，全市地区生产总值增长7.5%，达到309亿元；规模以上工业增加值增长8.2%。"
CONTENDERS = ("jieba", "spacy", "extractor", "extractor-jieba")
LABELS = {
    "jieba": "jieba.lcut per paragraph",
    "spacy": 'spaCy+jieba: spacy.blank("zh"), nlp.pipe',
    "extractor": "extractor, first pass (default install)",
    "extractor-jieba": "extractor, first pass, segmenter=jieba",
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def git_revision() -> str:
    """Short HEAD commit, '+dirty' when extractor/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "extractor"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return (head or "?") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


# -- the texts ------------------------------------------------------------------------------
def text_folders(extra: list[str]) -> list[Path]:
    folders = [ROOT / "corpus", ROOT.parent / "shared" / "corpus", ROOT / "bench" / "texts"]
    return folders + [Path(p) for p in extra]


def distinct_texts(folders: list[Path]) -> list[tuple[str, str]]:
    """(doc id, text) of every real document under the folders, each distinct text once."""
    out, seen = [], set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for p in sorted(folder.rglob("*.txt")):
            text = p.read_text(encoding="utf-8")
            if p.name == "seed-report.txt":
                text = first_half_if_doubled(text)
            key = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()
            if key in seen or not text.strip():
                continue
            seen.add(key)
            out.append((f"{folder.name}/{p.relative_to(folder)}", text))
    if not out:
        sys.exit("no texts found")
    return out


def write_texts(texts, folder: Path) -> Path:
    """The texts as files plus a manifest (doc id, path) for the children."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, (doc, text) in enumerate(texts):
        p = folder / f"{i:04d}.txt"
        p.write_text(text, encoding="utf-8")
        rows.append((doc, str(p)))
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return manifest


def digit_tables(n: int) -> list[dict]:
    """n distinct tables remapping 0-9 (and ０-９) by a permutation; the first is identity."""
    rng = random.Random(20240601)
    perms, seen = [], set()
    while len(perms) < n:
        if not perms:
            perm = tuple(range(10))
        elif len(perms) < 10:                 # the first copies rotate every digit by the copy index
            perm = tuple((d + len(perms)) % 10 for d in range(10))
        else:
            lst = list(range(10))
            rng.shuffle(lst)
            perm = tuple(lst)
        if perm in seen:
            continue
        seen.add(perm)
        table = {ord("0") + d: ord("0") + perm[d] for d in range(10)}
        table.update({0xFF10 + d: 0xFF10 + perm[d] for d in range(10)})
        perms.append(table)
    return perms


def copies(texts, megabytes: float) -> list[str]:
    """Digit-remapped copies of the texts (no copy repeats another) totalling `megabytes`."""
    size = sum(len(t.encode("utf-8")) for _, t in texts)
    tables = digit_tables(max(1, -(-int(megabytes * MB) // size)))
    out, total = [], 0
    for table in tables:
        for _, text in texts:
            if total >= megabytes * MB:
                return out
            t = text.translate(table)
            out.append(t)
            total += len(t.encode("utf-8"))
    return out


# -- the children: each contender in a fresh process ----------------------------------------
def child(kind: str, manifest: str) -> dict:
    """Run one contender over the documents of the manifest; the result as a dict."""
    rows = json.loads(Path(manifest).read_text(encoding="utf-8"))
    docs = [(doc, Path(p).read_text(encoding="utf-8")) for doc, p in rows]
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    out: dict = {"bytes": size, "documents": len(docs)}
    if kind in ("jieba", "spacy"):
        paras = [ln.strip() for _, t in docs for ln in t.splitlines() if ln.strip()]
        if kind == "jieba":
            import logging

            import jieba
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            jieba.lcut(WARMUP)

            def run():
                lcut = jieba.lcut
                for p in paras:
                    lcut(p)
        else:
            import spacy
            nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
            nlp(WARMUP)

            def run():
                for _ in nlp.pipe(paras, batch_size=256):
                    pass
        out["first"] = _timed(run)
        return out
    from extractor import Extractor
    ex = Extractor(segmenter="jieba") if kind == "extractor-jieba" else Extractor()
    ex.extract(WARMUP, "warm-up")
    digest = hashlib.sha1()
    records = []

    def first():
        for doc, t in docs:
            records.append(ex.extract(t, doc))

    def second():
        for doc, t in docs:
            ex.extract(t, doc)

    out["first"] = _timed(first)
    for d in records:
        digest.update(json.dumps([r.to_dict() for r in d.records] + [r.to_dict() for r in d.removed],
                                 ensure_ascii=False, default=str).encode("utf-8"))
    out["records"] = sum(len(d.records) for d in records)
    out["digest"] = digest.hexdigest()
    del records
    if kind == "extractor":
        out["second"] = _timed(second)
    return out


def _timed(fn) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def big_child(paths: list[str]) -> dict:
    """Extract every file (in order) with one Extractor; wall time and records."""
    from extractor import Extractor
    ex = Extractor()
    ex.extract(WARMUP, "warm-up")
    n = 0
    c0, t0 = time.process_time(), time.perf_counter()
    for p in paths:
        n += len(ex.extract_file(p).records)
    t = (time.perf_counter() - t0, time.process_time() - c0)
    return {"time": t, "records": n}


def spawn(args: list[str]) -> tuple[dict, float]:
    """Run this script as a child with `args`; (its JSON result, its own peak RSS in MiB)."""
    p = subprocess.Popen([sys.executable, __file__] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=str(ROOT))
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"child {args[:2]} failed:\n{err.decode('utf-8', 'replace')[-2000:]}")
    return json.loads(out.decode("utf-8").strip().splitlines()[-1]), usage.ru_maxrss / 1024


# -- the parts of the report ----------------------------------------------------------------
def fresh_text(manifest: Path, rounds: int):
    """{contender: [result per round]} with 'rss' (MiB) in every result."""
    results: dict = {k: [] for k in CONTENDERS}
    # one untimed run of each first: the per-user caches a first install builds once (the
    # extractor's tag index in ~/.cache/extractor, jieba's prefix dictionary) are then built
    # as on any later run, and do not count in a round's time or memory
    warm = manifest.with_name("warm-up.json")
    warm.write_text(json.dumps([("warm-up", str(manifest.with_name("warm-up.txt")))]), encoding="utf-8")
    manifest.with_name("warm-up.txt").write_text(WARMUP, encoding="utf-8")
    for kind in CONTENDERS:
        spawn(["--child", kind, str(warm)])
    for r in range(rounds):
        order = CONTENDERS[r % len(CONTENDERS):] + CONTENDERS[:r % len(CONTENDERS)]
        for kind in order:
            res, rss = spawn(["--child", kind, str(manifest)])
            res["rss"] = rss
            results[kind].append(res)
            mbps = res["bytes"] / MB / res["first"][0]
            log(f"  round {r + 1}/{rounds}  {kind:<16} first pass {res['first'][0]:6.3f} s  {mbps:6.2f} MB/s"
                + (f"  second {res['bytes'] / MB / res['second'][0]:6.2f} MB/s" if "second" in res else "")
                + f"  peak RSS {rss:.0f} MiB")
    return results


def make_big(megabytes: float, folder: str, extra: list[str]) -> dict:
    """Write the one-document file and its 1,000 parts under `folder` (run in a child)."""
    texts = distinct_texts(text_folders(extra))
    text = "\n".join(copies(texts, megabytes))
    big = Path(folder)
    (big / "parts").mkdir(parents=True, exist_ok=True)
    (big / "one.txt").write_text(text, encoding="utf-8")
    paths, start = [], 0
    for k in range(1, 1001):  # cut at the first line break after each thousandth of the text
        end = len(text) if k == 1000 else text.find("\n", max(start, len(text) * k // 1000))
        if end < 0:
            end = len(text)
        if end > start:
            p = big / "parts" / f"{len(paths):04d}.txt"
            p.write_text(text[start:end], encoding="utf-8")
            paths.append(str(p))
        start = end + 1
        if start >= len(text):
            break
    (big / "parts.json").write_text(json.dumps(paths), encoding="utf-8")
    return {"bytes": len(text.encode("utf-8")), "parts": len(paths)}


def big_document(megabytes: float, tmp: Path, extra: list[str]):
    """(one-document result, 1,000-document result), each with 'rss', and the sizes.

    The texts are made by a child too: a child's peak RSS counts its parent's at the time
    it was started (exec keeps the high-water mark), so the parent never holds them.
    """
    big = tmp / "big"
    made, _ = spawn(["--make-big", str(megabytes), str(big)] + sum((["--texts", t] for t in extra), []))
    log(f"one document of {made['bytes'] / MB:.1f} MB vs {made['parts']} documents …")
    res_one, rss_one = spawn(["--big-child", json.dumps([str(big / "one.txt")])])
    res_many, rss_many = spawn(["--big-child", "@" + str(big / "parts.json")])
    res_one["rss"], res_many["rss"] = rss_one, rss_many
    shutil.rmtree(big, ignore_errors=True)
    return res_one, res_many, made["bytes"], made["parts"]


def extractor_command() -> list[str]:
    exe = Path(sys.executable).with_name("extractor")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("extractor")
    return [found] if found else [sys.executable, "-m", "extractor"]


def cold_start(tmp: Path, runs: int):
    f = tmp / "one-paragraph.txt"
    f.write_text(WARMUP + "\n", encoding="utf-8")
    rows = []
    for label, cmd in (
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ('python -c "import extractor"', [sys.executable, "-c", "import extractor"]),
        ("extractor extract FILE (one paragraph)", extractor_command() + ["extract", str(f)]),
    ):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            ts.append(time.perf_counter() - t0)
        rows.append((label, statistics.median(ts), rc))
    return rows


def versions() -> dict:
    """Versions and build of the installed packages, asked of a child (the parent imports none)."""
    code = ("import json, jieba, spacy, extractor\n"
            "try:\n import rjieba; rj = 'rjieba installed'\nexcept ImportError:\n rj = 'rjieba not installed'\n"
            "print(json.dumps({'jieba': jieba.__version__, 'spacy': spacy.__version__, 'rjieba': rj,"
            " 'extractor': getattr(extractor, '__version__', '?'), 'path': str(extractor.__file__),"
            " 'compiled': getattr(extractor, 'compiled_modules', lambda: [])()}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    return json.loads(out.stdout) if out.returncode == 0 else {}


def report(texts, results, big, cold, info, args, load):
    compiled = info.get("compiled")
    build = (f"compiled with mypyc: {', '.join(compiled)}" if compiled
             else "pure Python (no compiled modules in this install)")
    print()
    n_bytes = sum(len(t.encode("utf-8")) for _, t in texts)
    print(f"Fresh text: {len(texts)} distinct real documents, {n_bytes / MB:.3f} MB UTF-8; "
          f"{args.rounds} round(s) of one fresh process per contender; median.  ")
    print(f"Python {platform.python_version()}, extractor {info.get('extractor', '?')} (git {git_revision()}; "
          f"{build}; from {Path(info.get('path', '?')).parent}), jieba {info.get('jieba', '?')}, "
          f"spaCy {info.get('spacy', '?')}, {info.get('rjieba', '?')}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average {load[0]:.2f} before, {load[1]:.2f} after.")
    if results:
        fresh_table(results)
    big_table(big)
    cold_table(cold, args)


def fresh_table(results):
    print()
    med = {k: statistics.median(v["bytes"] / MB / v["first"][0] for v in results[k]) for k in CONTENDERS}
    cpu = {k: statistics.median(v["bytes"] / MB / v["first"][1] for v in results[k]) for k in CONTENDERS}
    rss = {k: statistics.median(v["rss"] for v in results[k]) for k in CONTENDERS}

    def ratio(k, base, clock=0, run="first"):  # median over rounds of the ratio within a round
        return statistics.median(b["first"][clock] / v[run][clock] for v, b in zip(results[k], results[base]))
    print("| contender (own fresh process) | MB/s | × jieba.lcut | × spaCy+jieba | MB/s by CPU time "
          "| × jieba.lcut, CPU | × spaCy+jieba, CPU | peak RSS MiB (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in CONTENDERS:
        print(f"| {LABELS[k]} | {med[k]:.2f} | {ratio(k, 'jieba'):.2f} | {ratio(k, 'spacy'):.2f} | "
              f"{cpu[k]:.2f} | {ratio(k, 'jieba', 1):.2f} | {ratio(k, 'spacy', 1):.2f} | {rss[k]:.0f} |")
    warm = [v["bytes"] / MB / v["second"][0] for v in results["extractor"]]
    warm_cpu = [v["bytes"] / MB / v["second"][1] for v in results["extractor"]]
    print(f"| extractor, second pass over the same text (caches warm) | {statistics.median(warm):.2f} | "
          f"{ratio('extractor', 'jieba', 0, 'second'):.2f} | {ratio('extractor', 'spacy', 0, 'second'):.2f} | "
          f"{statistics.median(warm_cpu):.2f} | {ratio('extractor', 'jieba', 1, 'second'):.2f} | "
          f"{ratio('extractor', 'spacy', 1, 'second'):.2f} | |")
    spread = {k: (max(x) - min(x)) / statistics.median(x) for k in CONTENDERS
              for x in [[v["first"][0] for v in results[k]]]}
    digests = {v["digest"] for k in ("extractor", "extractor-jieba") for v in results[k]}
    print()
    print(f"First pass, default install: **{ratio('extractor', 'jieba'):.2f}× jieba.lcut**, "
          f"**{ratio('extractor', 'spacy'):.2f}× spaCy+jieba** (wall-clock ratios of processes of one round, "
          f"median over rounds; by CPU time {ratio('extractor', 'jieba', 1):.2f}× and "
          f"{ratio('extractor', 'spacy', 1):.2f}×). Records of the default and of segmenter=jieba: "
          + ("**identical**" if len(digests) == 1 else "**DIFFER**")
          + f" ({results['extractor'][0]['records']} records). Round-to-round spread of the first pass: "
          + ", ".join(f"{k} {s:.0%}" for k, s in spread.items())
          + f". Peak RSS of this parent process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB.")


def big_table(big):
    if big:
        one, many, size, n = big
        print()
        print(f"| {size / MB:.1f} MB of digit-remapped copies, own fresh process | documents | wall s | "
              f"CPU s | MB/s | peak RSS MiB | records |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, r, k in (("one document", one, 1), (f"the same text cut into {n} documents", many, n)):
            print(f"| {label} | {k} | {r['time'][0]:.1f} | {r['time'][1]:.1f} | {size / MB / r['time'][0]:.2f} | "
                  f"{r['rss']:.0f} | {r['records']} |")
        print()
        print(f"One document / {n} documents: **{one['time'][0] / many['time'][0]:.2f}×** the wall time "
              f"({one['time'][1] / many['time'][1]:.2f}× the CPU time).")


def cold_table(cold, args):
    if cold:
        print()
        print("| cold start (subprocess wall time) | median s | exit |")
        print("|---|---:|---:|")
        for label, t, rc in cold:
            print(f"| `{label}` | {t:.3f} | {rc} |")
        print(f"\n({args.cold_runs} runs after one untimed run.)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="rounds of fresh processes (default 3)")
    ap.add_argument("--texts", action="append", default=[], help="another folder of real .txt documents")
    ap.add_argument("--big", type=float, default=50.0, help="size in MB of the one-document check (0: skip)")
    ap.add_argument("--cold-runs", type=int, default=7, help="cold-start runs (default 7)")
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 round, no cold start, a 5 MB document")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "MANIFEST"), help=argparse.SUPPRESS)
    ap.add_argument("--big-child", metavar="PATHS", help=argparse.SUPPRESS)
    ap.add_argument("--make-big", nargs=2, metavar=("MB", "FOLDER"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    if args.make_big:
        print(json.dumps(make_big(float(args.make_big[0]), args.make_big[1], args.texts)))
        return 0
    if args.big_child:
        spec = args.big_child
        paths = json.loads(Path(spec[1:]).read_text() if spec.startswith("@") else spec)
        print(json.dumps(big_child(paths)))
        return 0
    if args.quick:
        args.rounds, args.skip_cold, args.big = 1, True, min(args.big, 5.0)

    texts = distinct_texts(text_folders(args.texts))
    info = versions()
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmpd:
        tmp = Path(tmpd)
        manifest = write_texts(texts, tmp / "texts")
        log(f"{len(texts)} distinct documents, {sum(len(t.encode('utf-8')) for _, t in texts) / MB:.3f} MB")
        load0 = os.getloadavg()[0]
        results = fresh_text(manifest, args.rounds) if args.rounds > 0 else None
        load1 = os.getloadavg()[0]
        big = big_document(args.big, tmp, args.texts) if args.big > 0 else None
        cold = None if args.skip_cold else cold_start(tmp, args.cold_runs)
    report(texts, results, big, cold, info, args, (load0, load1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
