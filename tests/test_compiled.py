"""The compiled build changes nothing: the installed, mypyc-compiled modules give the source's records.

setup.py compiles find, context, lexicon and numerals with mypyc when it can. `python -m pytest`
imports the source tree, so every other test checks the pure-Python modules. This one runs the
*installed* package in a subprocess (`python -I`, outside the source tree) over every corpus
file, every text of the spec files and a few hundred random report-like texts, and compares
every field of every record and removed span (or the error raised) with the source's.

Skipped when the installed package has no compiled modules (a pure install, or an editable
install of the source), unless EXTRACTOR_REQUIRE_COMPILED=1 (set by CI): then it fails.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from extractor import Extractor
from extractor.cli.inputs import iter_inputs

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs"

# runs in the installed package: reads a JSON job from stdin, writes the results as JSON
_CHILD = r"""
import json, sys
import extractor
job = json.load(sys.stdin)
if job.get("probe"):
    print(json.dumps({"file": extractor.__file__, "compiled": extractor.compiled_modules()}))
    sys.exit(0)
from extractor import Extractor
ex = Extractor()
def run(fn):
    try:
        d = fn()
    except Exception as e:
        return {"error": type(e).__name__}
    return {"records": [r.to_dict() for r in d.records], "removed": [r.to_dict() for r in d.removed]}
out = [run(lambda: ex.extract_file(p, doc)) for p, doc in job["files"]]
out += [run(lambda: ex.extract(t, "t")) for t in job["texts"]]
print(json.dumps(out, ensure_ascii=False, default=str))
"""


def _child(job: dict, tmp_path) -> object:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-I", "-c", _CHILD], input=json.dumps(job, ensure_ascii=False),
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _spec_texts() -> list[str]:
    """Every `text` of every case of tests/specs/*.yaml (repeated as a crash case asks)."""
    texts = []
    for path in sorted(SPECS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")).get("cases", []):
            text = case.get("text", case.get("input"))
            if isinstance(text, str):
                texts.append(text * int(case.get("repeat", 1)))
    return texts


def _random_texts(n: int = 400, seed: int = 6) -> list[str]:
    """Report-like noise: numerals, magnitudes, units, bounds, cue words and punctuation."""
    pieces = list("0123456789０１２３４５６７８９.,%％一二三四五六七八九十百千万亿两零〇第前余多近约超"
                  "元吨人个家项年月日亿元万元左右以上以下增长下降提高百分点倍，。、；：“”《》（）\n 　") \
        + ["2015年", "今年", "去年", "预计", "目标", "计划", "完成", "投资", "地区生产总值", "增长",
           "比上年", "同比", "一是", "八项规定", "百分之", "翻一番", "千瓦", "平方米", "亿元", "个百分点"]
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(n)]


def _local(files, texts) -> list:
    ex = Extractor()
    out = []
    for fn in [lambda p=p, d=d: ex.extract_file(p, d) for p, d in files] + \
              [lambda t=t: ex.extract(t, "t") for t in texts]:
        try:
            d = fn()
        except Exception as e:
            out.append({"error": type(e).__name__})
            continue
        out.append({"records": [r.to_dict() for r in d.records], "removed": [r.to_dict() for r in d.removed]})
    # the same JSON round trip as the child's output
    return json.loads(json.dumps(out, ensure_ascii=False, default=str))


def test_installed_compiled_modules_give_the_sources_records(tmp_path):
    probe = _child({"probe": True}, tmp_path)
    if not probe["compiled"]:
        msg = f"the installed extractor ({probe['file']}) has no compiled modules"
        if os.environ.get("EXTRACTOR_REQUIRE_COMPILED", "0") not in ("", "0"):
            pytest.fail(msg + " but EXTRACTOR_REQUIRE_COMPILED is set")
        pytest.skip(msg)
    assert Path(probe["file"]).resolve().parent != (ROOT / "extractor").resolve()
    files = [(str(p), doc) for p, doc, _ in iter_inputs([str(ROOT / "corpus")])]
    texts = _spec_texts() + _random_texts()
    assert len(files) >= 2 and len(texts) > 500
    theirs = _child({"files": files, "texts": texts}, tmp_path)
    ours = _local(files, texts)
    assert len(theirs) == len(ours)
    names = [doc for _, doc in files] + [repr(t[:40]) for t in texts]
    diff = [name for name, a, b in zip(names, ours, theirs) if a != b]
    assert not diff, f"{len(diff)} inputs differ between source and compiled build, first: {diff[:5]}"
    assert sum(len(r.get("records", ())) for r in ours) > 1000
