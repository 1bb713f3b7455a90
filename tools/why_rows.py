"""List the rule names of Record.why seen on corpora that no spec row pins (tests/specs/*.yaml).

Usage: python tools/why_rows.py corpus ../shared/corpus
"""
import collections, glob, sys, yaml
import extractor
seen = collections.Counter()
for root in sys.argv[1:]:
    for path in glob.glob(root + "/**/*.txt", recursive=True):
        if "/gold/" in path: continue
        text = open(path, encoding="utf-8", errors="replace").read()
        for r in extractor.extract(text):
            for k, v in dict(r.why).items():
                seen[(k, v)] += 1
pinned = set()
for f in glob.glob("tests/specs/*.yaml"):
    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get("why"), dict):
                for k, v in o["why"].items(): pinned.add((k, v))
            for v in o.values(): walk(v)
        elif isinstance(o, list):
            for v in o: walk(v)
    walk(yaml.safe_load(open(f)))
for (k, v), n in sorted(seen.items()):
    if (k, v) not in pinned: print(f"NO ROW {k}={v} ({n} records)")
print(len(seen), "names seen,", sum(1 for x in seen if x not in pinned), "without a row")
