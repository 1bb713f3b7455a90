"""`extractor batch` against the library on the same folder, by CPU seconds and wall clock.

    python bench/batch_rate.py [--mb 40] [--runs 2]

Builds a folder of ~MB megabytes (corpus/ and ../shared/corpus/genre texts, each copy with
its digits rotated and a numbered first line), then, interleaved, RUNS times each:

* library: a fresh process reads, decodes and `Extractor.extract`s every file (the loop's
  CPU and wall time after loading, and the whole process's CPU);
* `extractor batch --workers 1` and `--workers 2`: CPU of the main process and of the
  workers (from the run's stats), and wall time.

CPU seconds are what other load on a shared machine does not distort; the wall clock and
`os.getloadavg()` say what the machine allowed. Prints one JSON line per run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_folder(folder: Path, mb: float) -> int:
    from extractor.read import read_file
    srcs = sorted((ROOT / "corpus").rglob("*.txt"))
    srcs += sorted((ROOT.parent / "shared" / "corpus" / "genre").rglob("*.txt"))
    texts = [read_file(s).text for s in srcs]
    folder.mkdir(parents=True, exist_ok=True)
    total = i = 0
    digits = "0123456789"
    while total < mb * 1e6:
        k = i // len(texts) + 1
        body = f"第{k}版\n" + texts[i % len(texts)].translate(
            str.maketrans(digits, digits[k % 10:] + digits[:k % 10]))
        (folder / f"{i:05d}.txt").write_text(body, encoding="utf-8")
        total += len(body.encode("utf-8"))
        i += 1
    return total


def library(folder: str) -> dict:
    from extractor.pipeline import Extractor
    from extractor.read import read_file
    ex = Extractor()
    ex.extract("2015年，全市地区生产总值增长7.5%，达到309亿元。")
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for f in sorted(Path(folder).glob("*.txt")):
        d = read_file(f)
        n += len(d.text.encode("utf-8"))
        ex.extract(d.text, f.name)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return dict(what="library", bytes=n, wall=round(time.perf_counter() - t0, 2),
                loop_cpu=round(time.process_time() - c0, 2),
                process_cpu=round(ru.ru_utime + ru.ru_stime, 2))


def batch(folder: str, workers: int, out: str) -> dict:
    from extractor import batch as b
    from extractor.cli import _settings, build_parser
    args = build_parser().parse_args(["batch", folder, "-o", out, "-q", "--workers", str(workers)])
    stats: dict = {}
    t0 = time.perf_counter()
    code = b.run_batch(args, _settings(args), stats)
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return dict(what=f"batch --workers {workers}", code=code,
                wall=round(time.perf_counter() - t0, 2),
                main_cpu=round(ru.ru_utime + ru.ru_stime, 2),
                workers_cpu=round(sum(stats["worker_cpu"].values()), 2) if workers > 1 else 0.0,
                per_worker_cpu=sorted(round(c, 2) for c in stats["worker_cpu"].values())
                if workers > 1 else [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=40)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--child", nargs="+")
    a = ap.parse_args()
    if a.child:
        kind, folder, *rest = a.child
        res = library(folder) if kind == "library" else batch(folder, int(rest[0]), rest[1])
        res["load"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(res, ensure_ascii=False), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        size = make_folder(folder, a.mb)
        print(json.dumps({"folder_bytes": size, "files": len(list(folder.iterdir()))}))
        for _ in range(a.runs):
            for child in (["library", str(folder)],
                          ["batch", str(folder), "1", str(Path(tmp) / "w1.jsonl")],
                          ["batch", str(folder), "2", str(Path(tmp) / "w2.jsonl")]):
                subprocess.run([sys.executable, __file__, "--child", *child], check=True,
                               stderr=subprocess.DEVNULL)
        same = (Path(tmp) / "w1.jsonl").read_bytes() == (Path(tmp) / "w2.jsonl").read_bytes()
        print(json.dumps({"workers_1_equals_workers_2": same}))


if __name__ == "__main__":
    main()
