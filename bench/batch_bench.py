"""Benchmark `extractor batch`: throughput of --workers 1 vs 2, memory per worker vs folder size.

    python bench/batch_bench.py                 # 2,000 generated documents (and 500 for memory)
    python bench/batch_bench.py --docs 400 --small 100 --json result.json

Documents are generated from the texts in corpus/: each one is a corpus report
with its paragraphs shuffled (seeded) under a numbered title, so no two are
cross-document duplicates and every one does the full pipeline's work.

Acceptance (issue 5, on 2 cores): --workers 2 runs at ≥ 1.7× the throughput of
--workers 1 on ≥ 2,000 documents, and the peak memory of a worker for 2,000
documents is ≤ 1.1× that for 500.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.cli import build_parser  # noqa: E402
from extractor.cli.batch import run_batch  # noqa: E402
from extractor.cli.commands import _settings  # noqa: E402
from extractor.cli.inputs import iter_inputs  # noqa: E402
from extractor.read import read_file  # noqa: E402


def generate(folder: Path, n: int, seed: int = 0) -> int:
    """Write n distinct reports built from corpus/ texts into folder; returns characters."""
    texts = [read_file(p).text for p, _, _ in iter_inputs([ROOT / "corpus"])]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
        rng.shuffle(paras)
        text = f"第{i + 1}号报告（样本{i % 97}）\n" + "\n".join(paras) + "\n"
        sub = folder / f"{i // 500:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def run(folder: Path, out: Path, workers: int, engine: str = "local") -> dict:
    argv = ["batch", str(folder), "-o", str(out), "--workers", str(workers), "--quiet",
            "--engine", engine]
    args = build_parser().parse_args(argv)
    stats: dict = {}
    t0, c0 = time.perf_counter(), time.process_time()
    code = run_batch(args, _settings(args), stats)
    stats["wall"] = time.perf_counter() - t0
    stats["main_cpu"] = time.process_time() - c0
    if workers == 1:
        stats["worker_cpu"] = {0: stats["main_cpu"]}
    assert code == 0, f"batch failed with exit code {code}"
    return stats


def _burn(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def calibrate(n=15_000_000) -> float:
    """How much faster two processes do two units of pure-Python work than one process."""
    import multiprocessing as mp
    t0 = time.perf_counter()
    _burn(n)
    _burn(n)
    serial = time.perf_counter() - t0
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1000, 1000])              # start-up not measured
        t0 = time.perf_counter()
        pool.map(_burn, [n, n], chunksize=1)
        parallel = time.perf_counter() - t0
    return serial / parallel


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--small", type=int, default=500, help="folder size for the memory baseline")
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each worker count (best kept)")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        big, small = tmp / "big", tmp / "small"
        if not big.exists():
            chars = generate(big, a.docs)
        else:
            chars = sum(len(read_file(p).text) for p, _, _ in iter_inputs([big]))
        if not small.exists():
            generate(small, a.small)
        print(f"{a.docs} documents, {chars / 1e6:.1f} M characters in {big}", file=sys.stderr)
        cal = calibrate()
        print(f"machine: 2 processes of pure-Python work run {cal:.2f}x one "
              f"(2.0 on 2 idle cores)", file=sys.stderr)
        r1s, r2s = [], []
        for _ in range(a.repeat):          # interleaved, best of each: the machine may be shared
            r1s.append(run(big, tmp / "w1.jsonl", 1))
            r2s.append(run(big, tmp / "w2.jsonl", 2))
        r1 = min(r1s, key=lambda r: r["wall"])
        r2 = min(r2s, key=lambda r: r["wall"])
        same = (tmp / "w1.jsonl").read_bytes() == (tmp / "w2.jsonl").read_bytes()
        rs = run(small, tmp / "small.jsonl", 2)
        peak_big = max(max(r["worker_peak_rss"].values()) for r in r2s)
        peak_small = max(rs["worker_peak_rss"].values())
        res = {
            "documents": a.docs, "characters": chars, "machine_parallel_ratio": round(cal, 2),
            "all_workers1_seconds": [round(r["wall"], 2) for r in r1s],
            "all_workers2_seconds": [round(r["wall"], 2) for r in r2s],
            "workers1_seconds": round(r1["wall"], 2), "workers2_seconds": round(r2["wall"], 2),
            "workers1_docs_per_s": round(a.docs / r1["wall"], 2),
            "workers2_docs_per_s": round(a.docs / r2["wall"], 2),
            "speedup": round(r1["wall"] / r2["wall"], 3),
            "outputs_identical": same,
            # CPU seconds, free of other load on the machine: the work per worker and the
            # main process's share, and the speedup they allow on 2 idle cores
            "workers1_cpu_seconds": round(r1["main_cpu"], 2),
            "workers2_worker_cpu_seconds": sorted(round(c, 2) for c in r2["worker_cpu"].values()),
            "workers2_main_cpu_seconds": round(r2["main_cpu"], 2),
            "speedup_on_idle_cores_from_cpu": round(
                r1["main_cpu"] / max(max(r2["worker_cpu"].values()),
                                     (sum(r2["worker_cpu"].values()) + r2["main_cpu"]) / 2), 3),
            "records": r2["records"],
            "worker_peak_rss_mb_small": round(peak_small / 2**20, 1),
            "worker_peak_rss_mb_big": round(peak_big / 2**20, 1),
            "memory_ratio": round(peak_big / peak_small, 3),
            "small_documents": a.small,
        }
        print(json.dumps(res, indent=2))
        if a.json:
            Path(a.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        ok = res["speedup"] >= 1.7 and res["memory_ratio"] <= 1.1 and same
        print("acceptance:", "PASS" if ok else "FAIL", file=sys.stderr)
        return 0 if ok else 1
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
