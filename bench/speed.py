#!/usr/bin/env python
"""Speed benchmark of the extractor against plain word segmenters (issue 6).

    python bench/speed.py                 # ~10 MB, 3 rounds, cold start, peak memory (10 and 100 MB)
    python bench/speed.py --quick         # a smoke run: 1 MB, 1 round, small memory runs
    python bench/speed.py --mb 20 --rounds 5 --mem-mb 10,50

Everything runs in this one process, so on one core at a time (`--pin` also pins it
to one CPU), on the same text:

  baselines   (a) jieba.lcut over every paragraph
              (b) spacy.blank("zh") with the jieba segmenter, nlp.pipe over every paragraph
  contenders  full pipeline       Extractor().extract(text, doc), one call per document
              full, plain jieba   Extractor(segmenter="jieba"): records must be identical
              extraction only     Extractor(dedup=False, context=False)
              dedup only          Extractor().deduplicator.find(norm_text, paragraphs, sents=...)
                                  (normalize and split done beforehand, outside the timing)

Input: the texts of corpus/dev/*.txt and the first half of corpus/seed-report.txt
(its second half repeats the first), copied until the size is reached; every
copy has its digits remapped by a permutation of 0-9 that no other copy uses,
so no copy repeats another (copy 0 is the original text).

Method: time.perf_counter (and time.process_time, shown as MB/s by CPU time,
steadier on a shared machine); each round runs every contender once, in an order
rotated from round to round so machine drift cancels; the median over rounds
is reported. MB = 10^6 bytes of UTF-8 text; MB/s = input bytes / seconds.

Cold start: wall time of `extractor extract FILE` on a one-paragraph file as a
subprocess (median of --cold-runs, after one untimed run), with `python -c pass`
and `python -c "import extractor"` for reference.

Peak memory: ru_maxrss of the child process (os.wait4) running
`extractor batch --workers 1 DIR -o OUT` over a folder of generated documents.
"""
from __future__ import annotations

import argparse
import os

# one core: keep numeric libraries (spaCy's numpy/thinc) from starting thread pools
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import logging
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from _common import first_half_if_doubled  # noqa: E402  (bench/ is on sys.path when run)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MB = 1_000_000


def git_revision() -> str:
    """Short HEAD commit of the repository, '+dirty' when extractor/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "extractor"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return (head or "?") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# -- input ------------------------------------------------------------------------


def base_texts() -> list[tuple[str, str]]:
    """(doc id, text) of corpus/dev/*.txt and the first half of corpus/seed-report.txt."""
    out = [(f"dev/{p.name}", p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "dev").glob("*.txt"))]
    seed = CORPUS / "seed-report.txt"
    if seed.exists():
        out.append(("seed-report.txt", first_half_if_doubled(seed.read_text(encoding="utf-8"))))
    if not out:
        sys.exit(f"no texts under {CORPUS}")
    return out


def digit_tables(n: int) -> list[dict]:
    """n distinct translation tables remapping 0-9 (and ０-９) by a permutation; the first is identity."""
    rng = random.Random(20240601)
    perms, seen = [], set()
    ident = tuple(range(10))
    while len(perms) < n:
        if not perms:
            perm = ident
        elif len(perms) < 10:                 # the first copies: rotate every digit by the copy's index
            perm = tuple((d + len(perms)) % 10 for d in range(10))
        else:
            perm = list(range(10))
            rng.shuffle(perm)
            perm = tuple(perm)
        if perm in seen:
            continue
        seen.add(perm)
        table = {ord("0") + d: ord("0") + perm[d] for d in range(10)}
        table.update({0xFF10 + d: 0xFF10 + perm[d] for d in range(10)})
        perms.append(table)
    return perms


def make_docs(megabytes: float) -> list[tuple[str, str]]:
    """Distinct documents (doc id, text) totalling at least `megabytes` MB of UTF-8."""
    base = base_texts()
    base_bytes = sum(len(t.encode("utf-8")) for _, t in base)
    copies = max(1, -(-int(megabytes * MB) // base_bytes))
    tables = digit_tables(copies)
    docs, total = [], 0
    for k in range(copies):
        for name, text in base:
            if total >= megabytes * MB:
                break
            t = text.translate(tables[k])
            docs.append((f"copy{k:03d}/{name}", t))
            total += len(t.encode("utf-8"))
    assert len({t for _, t in docs}) == len(docs), "copies are not distinct"
    return docs


def split_paragraphs(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


# -- throughput ----------------------------------------------------------------------
def make_contenders(docs, check: dict):
    """name -> function running it over all docs; `check` collects records of round 0."""
    import jieba
    import spacy

    from extractor import Extractor
    from extractor.normalize import normalize
    from extractor.split import paragraphs, sentences

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ex = Extractor()
    ex_jieba = Extractor(segmenter="jieba")
    ex_only = Extractor(dedup=False, context=False)
    dedup = Extractor().deduplicator
    paras = [p for _, t in docs for p in split_paragraphs(t)]
    prepared = []
    for _, t in docs:
        nt = normalize(t).text
        # dedup gets the sentences the split stage made, as in the pipeline
        prepared.append((nt, list(paragraphs(nt)), [(s, e) for s, e, _ in sentences(nt)]))

    def run_jieba():
        lcut = jieba.lcut
        for p in paras:
            lcut(p)

    def run_spacy():
        for _ in nlp.pipe(paras, batch_size=256):
            pass

    def extract_with(extractor, key):
        def run():
            sink = check.get(key)
            for name, t in docs:
                d = extractor.extract(t, name)
                if sink is not None:
                    sink.append(d.records)
        return run

    def run_dedup():
        find = dedup.find
        for nt, ps, ss in prepared:
            find(nt, ps, sents=ss)

    contenders = {
        "(a) jieba.lcut per paragraph": run_jieba,
        "(b) spaCy zh + jieba, nlp.pipe": run_spacy,
        "full pipeline (default)": extract_with(ex, "default"),
        "full pipeline, segmenter=jieba": extract_with(ex_jieba, "jieba"),
        "extraction only (dedup=False, context=False)": extract_with(ex_only, None),
        "dedup only (Deduplicator.find)": run_dedup,
    }
    # warm up every contender on a small slice (dictionary loads, lazy caches, regex compiles)
    small = docs[: max(1, min(3, len(docs)))]
    for p in split_paragraphs(small[0][1])[:50]:
        jieba.lcut(p)
    list(nlp.pipe(split_paragraphs(small[0][1])[:50]))
    for e in (ex, ex_jieba, ex_only):
        for name, t in small:
            e.extract(t, name)
    for nt, ps, ss in prepared[: len(small)]:
        dedup.find(nt, ps, sents=ss)
    return contenders


def throughput(docs, rounds: int):
    total_bytes = sum(len(t.encode("utf-8")) for _, t in docs)
    check = {"default": [], "jieba": []}
    log(f"loading and warming up ({len(docs)} documents, {total_bytes / MB:.2f} MB) …")
    contenders = make_contenders(docs, check)
    names = list(contenders)
    times = {n: [] for n in names}
    cpu = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for n in order:
            c0, t0 = time.process_time(), time.perf_counter()
            contenders[n]()
            dt = time.perf_counter() - t0
            cpu[n].append(time.process_time() - c0)
            times[n].append(dt)
            log(f"  round {r + 1}/{rounds}  {n:<46} {dt:7.2f} s  {total_bytes / MB / dt:6.2f} MB/s"
                f"  (CPU {cpu[n][-1]:.2f} s)")
        if r == 0:       # records collected once; stop collecting
            same, diff = compare_records(check["default"], check["jieba"], docs)
            check.clear()
    med = {n: statistics.median(times[n]) for n in names}
    med_cpu = {n: statistics.median(cpu[n]) for n in names}
    return total_bytes, med, med_cpu, times, same, diff


def compare_records(a, b, docs):
    """(identical?, first differing doc id or None) comparing every field of to_dict()."""
    if len(a) != len(b):
        return False, f"{len(a)} vs {len(b)} documents"
    for (name, _), ra, rb in zip(docs, a, b):
        if [r.to_dict() for r in ra] != [r.to_dict() for r in rb]:
            return False, name
    return True, None


# -- cold start and memory -------------------------------------------------------------
def extractor_command() -> list[str]:
    exe = Path(sys.executable).with_name("extractor")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("extractor")
    return [found] if found else [sys.executable, "-m", "extractor"]


def wall(cmd, runs: int) -> tuple[float, int]:
    """Median wall time of `cmd` over `runs` runs (after one untimed run) and its exit code."""
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), rc


def cold_start(tmp: Path, runs: int):
    f = tmp / "one-paragraph.txt"
    f.write_text("2015年，全市地区生产总值增长7.5%，达到309亿元；规模以上工业增加值增长8.2%。\n",
                 encoding="utf-8")
    rows = []
    for label, cmd in (
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ('python -c "import extractor"', [sys.executable, "-c", "import extractor"]),
        ("extractor extract FILE (one paragraph)", extractor_command() + ["extract", str(f)]),
    ):
        log(f"cold start: {label} …")
        med, rc = wall(cmd, runs)
        rows.append((label, med, rc))
    return rows


def batch_supports_workers() -> bool:
    out = subprocess.run(extractor_command() + ["batch", "--help"], capture_output=True, text=True)
    return "--workers" in out.stdout


def write_folder(folder: Path, megabytes: float) -> tuple[int, int]:
    docs = make_docs(megabytes)
    total = 0
    for name, t in docs:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        data = t.encode("utf-8")
        p.write_bytes(data)
        total += len(data)
    return len(docs), total


def peak_memory(tmp: Path, sizes: list[float], workers: bool):
    rows = []
    for mb in sizes:
        folder = tmp / f"docs-{mb:g}MB"
        n, total = write_folder(folder, mb)
        out = tmp / f"out-{mb:g}MB.jsonl"
        cmd = extractor_command() + ["batch"] + (["--workers", "1"] if workers else []) + \
            [str(folder), "-o", str(out), "--quiet"]
        log(f"peak memory: batch over {n} documents, {total / MB:.1f} MB …")
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # read stderr in full before waiting, so a chatty child never blocks on a full pipe
        err = p.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        secs = time.perf_counter() - t0
        records = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
        rows.append((mb, n, total, usage.ru_maxrss / 1024, secs, p.returncode, records,
                     err.strip().splitlines()[-1:] if p.returncode else []))
        shutil.rmtree(folder, ignore_errors=True)
        out.unlink(missing_ok=True)
    return rows


# -- report ------------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="input size in MB (default 10)")
    ap.add_argument("--rounds", type=int, default=3, help="timing rounds (default 3)")
    ap.add_argument("--cold-runs", type=int, default=7, help="cold-start runs (default 7)")
    ap.add_argument("--mem-mb", default="10,100", help="folder sizes for peak memory, MB (default 10,100)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 MB, 1 round, 3 cold runs, 1,2 MB memory")
    ap.add_argument("--pin", action="store_true",
                    help="pin the process (and its children) to the first CPU; on a shared machine this "
                         "can hurt, since other processes may be using that CPU")
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.mb, args.rounds, args.cold_runs, args.mem_mb = min(args.mb, 1.0), 1, 3, "1,2"
    mem_sizes = [float(x) for x in args.mem_mb.split(",") if x.strip()]

    pinned = "not pinned to a CPU"
    if args.pin:
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
            pinned = "pinned to one CPU"
        except (AttributeError, OSError):
            pass

    revision = git_revision()
    docs = make_docs(args.mb)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    total_bytes, med, med_cpu, times, same, diff = throughput(docs, args.rounds)
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None

    cold = [] if args.skip_cold else None
    mem = [] if args.skip_memory else None
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmpd:
        tmp = Path(tmpd)
        if cold is None:
            cold = cold_start(tmp, args.cold_runs)
        if mem is None:
            workers = batch_supports_workers()
            mem = peak_memory(tmp, mem_sizes, workers)

    import extractor
    import jieba
    import spacy
    try:
        import rjieba  # noqa: F401
        have_rjieba = "rjieba installed"
    except ImportError:
        have_rjieba = "rjieba not installed"
    compiled = getattr(extractor, "compiled_modules", lambda: [])()
    build = (f"compiled with mypyc: {', '.join(compiled)}" if compiled
             else "pure Python (no compiled modules in this install)")
    print()
    print(f"Input: {len(docs)} documents, {total_bytes / MB:.2f} MB UTF-8 "
          f"({len(base_texts())} corpus texts, digit-remapped copies); "
          f"{args.rounds} round(s), median; one process, {pinned}.  ")
    print(f"Python {platform.python_version()}, extractor {getattr(extractor, '__version__', '?')} "
          f"(git {revision}; {build}; from {Path(extractor.__file__).parent}), "
          f"jieba {jieba.__version__}, spaCy {spacy.__version__}, {have_rjieba}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
          + (f"; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after the timing."
             if load_before else "."))
    spread = max((max(v) - min(v)) / statistics.median(v) for v in times.values())
    if spread > 0.15:
        print(f"Warning: round-to-round spread up to {spread:.0%} of the median (a busy machine?).")
    print()
    a = med["(a) jieba.lcut per paragraph"]
    b = med["(b) spaCy zh + jieba, nlp.pipe"]
    ca = med_cpu["(a) jieba.lcut per paragraph"]
    cb = med_cpu["(b) spaCy zh + jieba, nlp.pipe"]
    print("| contender | MB/s | median s | × jieba.lcut | × spaCy+jieba | MB/s by CPU time |")
    print("|---|---:|---:|---:|---:|---:|")
    for n, t in med.items():
        print(f"| {n} | {total_bytes / MB / t:.2f} | {t:.2f} | {a / t:.2f} | {b / t:.2f} | "
              f"{total_bytes / MB / med_cpu[n]:.2f} |")
    full = med["full pipeline (default)"]
    cfull = med_cpu["full pipeline (default)"]
    print()
    print(f"Full pipeline / (a) jieba.lcut = **{a / full:.2f}×**, "
          f"full pipeline / (b) spaCy+jieba = **{b / full:.2f}×** (wall-clock throughput ratios; >1 means "
          f"the pipeline is faster; by CPU time {ca / cfull:.2f}× and {cb / cfull:.2f}×). "
          f"Default vs segmenter=jieba records: "
          + ("**identical**." if same else f"**DIFFER** (first at {diff})."))
    if cold:
        print()
        print("| cold start (subprocess wall time) | median s | exit |")
        print("|---|---:|---:|")
        for label, t, rc in cold:
            print(f"| `{label}` | {t:.3f} | {rc} |")
        print(f"\n({args.cold_runs} runs after one untimed run.)")
    if mem:
        print()
        flag = "--workers 1" if workers else "(no --workers: not supported by the CLI)"
        print(f"| `extractor batch {flag} DIR -o OUT` | documents | peak RSS MiB | wall s | MB/s | records | exit |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for mb, n, total, rss, secs, rc, records, err in mem:
            print(f"| {total / MB:.1f} MB | {n} | {rss:.0f} | {secs:.1f} | {total / MB / secs:.2f} | "
                  f"{records} | {rc}{' ' + err[0] if err else ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
