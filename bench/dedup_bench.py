#!/usr/bin/env python
"""Accuracy of duplicate removal on documents with injected duplicates (issue 3).

    python bench/dedup_bench.py                # 240 documents, seed 7, examples, timing share
    python bench/dedup_bench.py --quick        # 60 documents, one timing round
    python bench/dedup_bench.py --docs 500 --seed 3 --examples 5

Documents are windows of consecutive paragraphs of corpus/dev/*.txt and of the
first half of corpus/seed-report.txt (its second half repeats the first),
re-joined with a per-document paragraph separator (\\n, \\n\\n, \\r\\n, an indent
of full-width spaces, …). Into each, at random positions (fixed seed), a few
injections are made; the source of every copy is original text that comes
earlier in the document. Ground truth is kept per character.

Duplicates (every character of the injected block must be removed):
  exact             a paragraph repeated verbatim
  exact-width       … with punctuation/digits switched between full and half width
                    (，,  ；;  ：:  （(  ）)  ！!  ？?  ％%  “"  ０0 …)
  exact-space       … with spaces / ideographic spaces / tabs added inside and around it
  near-edit         a paragraph repeated with one or two non-figure characters
                    substituted, deleted or inserted (never a digit, numeral or
                    a character next to one)
  near-mixed        one such edit plus width changes plus spacing changes
  passage-mid       a run of 2-4 sentences of an earlier paragraph inserted at a
                    sentence boundary in the middle of a later paragraph
  passage-clause    the same, inserted after a comma (the joint inside a sentence)
  passage-cross     a run of sentences spanning a paragraph break of the source (the
                    end of one paragraph and the start of the next), inserted mid-paragraph,
                    with the paragraph break either kept or lost
  self-append       the whole document appended to itself with the paragraph break
                    lost (as in seed-report.txt); in half the cases the first copy's final
                    punctuation is missing too, so the joint falls inside a sentence
Negatives (unique: must be kept):
  neg-figures       a copy of an earlier paragraph in which every sentence has a figure
                    and every number is altered
  neg-figures-mixed the same for a paragraph some of whose sentences have no figure
                    (those sentences repeat verbatim, inside a block that is unique)
  neg-boilerplate   short boilerplate repeated: 现将有关情况报告如下。, 各位代表：, 特此报告。,
                    short headings (a heading of the document, or 主要工作 …), as a
                    paragraph of its own or a sentence inside a paragraph
  orig / source     the original text; `source` marks original characters that some
                    injection copied (removing these instead of the copy is an error)

Only non-whitespace characters are counted. `extractor.Extractor().extract(text).removed`
gives the removed spans (original offsets). Reported: precision and recall of removed
characters, wrongly removed unique characters (total and per kind), documents with any
wrongly removed character, per-kind recall and per-instance outcome (fully removed
≥95%, partly, missed ≤5%), the worst examples, and the share of pipeline time spent in
dedup on corpus/ (and on the generated documents).
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from _common import first_half_if_doubled  # noqa: E402  (bench/ is on sys.path when run)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

DUP_KINDS = ("exact", "exact-width", "exact-space", "near-edit", "near-mixed",
             "passage-mid", "passage-clause", "passage-cross", "self-append")
NEG_KINDS = ("neg-figures", "neg-figures-mixed", "neg-boilerplate")
INJECT_KINDS = ("exact", "exact-width", "exact-space", "near-edit", "near-mixed",
                "passage-mid", "passage-clause", "passage-cross", "neg-figures", "neg-boilerplate")
UNIQUE_TAGS = ("orig", "source", "neg-figures", "neg-figures-mixed", "neg-boilerplate")

SENT_RE = re.compile(r"[^。！？；!?;]+(?:[。！？；!?;]+[”’」』）)\"]*|$)")
ARABIC_RE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
CN_DIGITS = "一二三四五六七八九两"
CN_NUMBER_RE = re.compile(r"[一二三四五六七八九两十百千万亿]*[一二三四五六七八九两][一二三四五六七八九两十百千万亿]*"
                          r"(?=[百千万亿个项家名户人次倍元吨亩所座条公平%])")
FIGURE_CHARS = set("0123456789０１２３４５６７８９零〇○一二两三四五六七八九十百千万亿点%％.．")
# characters used for substitutions and insertions: common, never a numeral or unit
EDIT_POOL = "的是在和了有为进行加强推动建设提升服务经济社会管理改革创新实施开展完善全面深入稳定重点领域" \
            "积极不断持续有效切实基本主要工作发展体系机制能力水平环境质量保障落实促进优化扩大"
WIDTH = {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?", "％": "%",
         "“": '"', "”": '"'}
WIDTH.update({chr(0xFF10 + d): str(d) for d in range(10)})
WIDTH_BACK = {v: k for k, v in WIDTH.items() if k not in "”"}
WIDTH_BACK.update({str(d): chr(0xFF10 + d) for d in range(10)})
BOILERPLATE_PARAS = ("各位代表：", "现将有关情况报告如下。", "现将有关情况报告如下：", "特此报告。",
                     "请予审议。", "主要工作", "存在的问题", "下一步工作打算", "各位代表，")
BOILERPLATE_SENTS = ("现将有关情况报告如下。", "主要工作如下：", "重点抓好以下几个方面：", "特此报告。",
                     "各位代表：现将有关情况报告如下。")
SEPARATORS = ("\n", "\n", "\n\n", "\r\n", "\n\u3000\u3000", "\n\n\u3000\u3000", "\n  ")


# -- base texts ---------------------------------------------------------------------------


def base_texts() -> list[tuple[str, list[str]]]:
    out = []
    for p in sorted((CORPUS / "dev").glob("*.txt")):
        out.append((f"dev/{p.name}", p.read_text(encoding="utf-8")))
    seed = CORPUS / "seed-report.txt"
    if seed.exists():
        out.append(("seed-report.txt", first_half_if_doubled(seed.read_text(encoding="utf-8"))))
    return [(name, [ln.strip() for ln in t.splitlines() if ln.strip()]) for name, t in out]


# -- a document under construction -----------------------------------------------------------
class Para:
    """One paragraph: characters with per-character tag, duplicate flag and injection id."""

    __slots__ = ("ch", "tag", "dup", "inst")

    def __init__(self, text="", tag="orig", dup=False, inst=-1):
        self.ch = list(text)
        self.tag = [tag] * len(text)
        self.dup = [dup] * len(text)
        self.inst = [inst] * len(text)

    @property
    def text(self):
        return "".join(self.ch)

    def pristine(self) -> bool:
        """Untouched original text, not yet used as a source (so every copy matches its source)."""
        return all(t == "orig" for t in self.tag)

    def mark_source(self, s, e):
        for k in range(s, e):
            if self.tag[k] == "orig":
                self.tag[k] = "source"

    def insert(self, at, other: "Para"):
        for name in self.__slots__:
            getattr(self, name)[at:at] = getattr(other, name)

    def split(self, at) -> tuple["Para", "Para"]:
        a, b = Para(), Para()
        for name in self.__slots__:
            setattr(a, name, getattr(self, name)[:at])
            setattr(b, name, getattr(self, name)[at:])
        return a, b


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENT_RE.finditer(text) if m.group().strip()]


def nonspace(s: str) -> int:
    return sum(1 for c in s if not c.isspace())


def latin(c: str) -> bool:
    """An ASCII or full-width letter or digit (a space between two of them is kept by normalization)."""
    return (c.isascii() and c.isalnum()) or "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff5a"


def all_sentences_have_figures(text: str) -> bool:
    return all(ARABIC_RE.search(text[s:e]) or CN_NUMBER_RE.search(text[s:e]) for s, e in sentence_bounds(text))


def substantive(text: str) -> bool:
    """A paragraph of real prose (not a heading): at least 30 characters and a sentence end."""
    return nonspace(text) >= 30 and bool(re.search(r"[。！？；]", text))


class Builder:
    def __init__(self, rng: random.Random, paras: list[str]):
        self.rng = rng
        self.paras = [Para(p) for p in paras]
        self.n_inst = 0
        self.instances = []           # (inst id, kind)

    def new_inst(self, kind):
        self.instances.append((self.n_inst, kind))
        self.n_inst += 1
        return self.n_inst - 1

    def pick_source(self, before: int, ok=substantive):
        cands = [i for i in range(before) if self.paras[i].pristine() and ok(self.paras[i].text)]
        return self.rng.choice(cands) if cands else None

    def pick_target(self, lo=1):
        return self.rng.randint(lo, len(self.paras)) if len(self.paras) >= lo else None

    # -- text transforms (on plain strings) --
    def width_flip(self, text: str) -> str:
        rng = self.rng
        out, changed = [], False
        for c in text:
            if c in WIDTH and rng.random() < 0.7:
                out.append(WIDTH[c]); changed = True
            elif c in WIDTH_BACK and rng.random() < 0.7:
                out.append(WIDTH_BACK[c]); changed = True
            else:
                out.append(c)
        if not changed:
            return None
        return "".join(out)

    def add_spaces(self, text: str) -> str:
        rng = self.rng
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            # never between two ASCII letters/digits: "93 3" would be another figure than "933"
            ok = [k for k in range(1, len(chars)) if not (latin(chars[k - 1]) and latin(chars[k]))]
            if ok:
                chars.insert(rng.choice(ok), rng.choice((" ", "  ", "\u3000", "\t", "\u3000\u3000")))
        lead = rng.choice(("", "\u3000\u3000", " "))
        trail = rng.choice(("", " ", "\u3000"))
        return lead + "".join(chars) + trail

    def edit(self, text: str, n: int) -> str | None:
        rng = self.rng
        chars = list(text)
        for _ in range(n):
            ok = [k for k in range(1, len(chars) - 1)
                  if "\u4e00" <= chars[k] <= "\u9fff"
                  and not FIGURE_CHARS & {chars[k - 1], chars[k], chars[k + 1]}]
            if not ok:
                return None
            k = rng.choice(ok)
            op = rng.random()
            if op < 0.7:
                new = rng.choice([c for c in EDIT_POOL if c != chars[k]])
                chars[k] = new
            elif op < 0.85:
                del chars[k]
            else:
                chars.insert(k, rng.choice(EDIT_POOL))
        return "".join(chars)

    def alter_figures(self, text: str) -> str:
        rng = self.rng

        def arabic(m):
            s = m.group()
            out = []
            for k, c in enumerate(s):
                if c in ".．":
                    out.append(c); continue
                full = c >= "０"
                d = ord(c) - (0xFF10 if full else 48)
                lo = 1 if (k == 0 and len(s) > 1) else 0
                nd = rng.choice([x for x in range(lo, 10) if x != d]) if (k == len(s) - 1 or rng.random() < 0.4) else d
                out.append(chr(nd + (0xFF10 if full else 48)))
            return "".join(out)

        def chinese(m):
            s = m.group()
            ks = [k for k, c in enumerate(s) if c in CN_DIGITS]
            k = rng.choice(ks)
            chars = list(s)
            chars[k] = rng.choice([c for c in "一二三四五六七八九" if c != s[k]])
            return "".join(chars)

        return CN_NUMBER_RE.sub(chinese, ARABIC_RE.sub(arabic, text))

    # -- injections --
    def copy_paragraph(self, kind) -> bool:
        j = self.pick_target()
        if j is None:
            return False
        ok = substantive
        if kind.startswith("neg-figures"):
            ok = lambda t: substantive(t) and ARABIC_RE.search(t) is not None
            if self.rng.random() < 0.6:   # prefer paragraphs in which every sentence has a figure
                strict = ok
                ok = lambda t: strict(t) and all_sentences_have_figures(t)
                if self.pick_source(j, ok) is None:
                    ok = strict
        i = self.pick_source(j, ok)
        if i is None:
            return False
        src = self.paras[i].text
        if kind == "exact":
            new = src
        elif kind == "exact-width":
            new = self.width_flip(src)
        elif kind == "exact-space":
            new = self.add_spaces(src)
        elif kind == "near-edit":
            new = self.edit(src, self.rng.randint(1, 2))
        elif kind == "near-mixed":
            new = self.edit(src, 1)
            new = new and (self.width_flip(new) or new)
            new = new and self.add_spaces(new)
        else:  # neg-figures
            new = self.alter_figures(src)
            kind = "neg-figures" if all_sentences_have_figures(src) else "neg-figures-mixed"
        if not new or new == src and kind != "exact":
            return False
        dup = kind in DUP_KINDS
        self.paras[i].mark_source(0, len(self.paras[i].ch))
        self.paras.insert(j, Para(new, kind, dup, self.new_inst(kind)))
        return True

    def inner_boundaries(self, p: Para, clause: bool) -> list[int]:
        text = p.text
        if clause:
            return [m.end() for m in re.finditer(r"[，,]", text) if 0 < m.end() < len(text) - 1]
        return [e for s, e in sentence_bounds(text)][:-1]

    def run_of_sentences(self, text: str) -> tuple[int, int] | None:
        """A run of 2-4 whole sentences of `text`, at least 30 characters, each at least 6."""
        sb = [(s, e) for s, e in sentence_bounds(text)]
        runs = []
        for a in range(len(sb)):
            for k in range(2, 5):
                if a + k > len(sb):
                    break
                chunk = sb[a:a + k]
                if all(nonspace(text[s:e]) >= 6 for s, e in chunk) and nonspace(text[chunk[0][0]:chunk[-1][1]]) >= 30:
                    runs.append((chunk[0][0], chunk[-1][1]))
        return self.rng.choice(runs) if runs else None

    def passage(self, kind) -> bool:
        rng = self.rng
        targets = [j for j in range(1, len(self.paras))
                   if self.paras[j].pristine() and self.inner_boundaries(self.paras[j], kind == "passage-clause")]
        rng.shuffle(targets)
        for j in targets[:10]:
            if kind == "passage-cross":
                pairs = [i for i in range(j - 1) if self.paras[i].pristine() and self.paras[i + 1].pristine()
                         and len(sentence_bounds(self.paras[i].text)) >= 1
                         and len(sentence_bounds(self.paras[i + 1].text)) >= 1
                         and substantive(self.paras[i].text) and substantive(self.paras[i + 1].text)]
                if not pairs:
                    continue
                i = rng.choice(pairs)
                a, b = self.paras[i], self.paras[i + 1]
                sa, sb = sentence_bounds(a.text), sentence_bounds(b.text)
                ka, kb = rng.randint(1, min(2, len(sa))), rng.randint(1, min(2, len(sb)))
                a_from, b_to = sa[-ka][0], sb[kb - 1][1]
                tail, head = a.text[a_from:], b.text[:b_to]
                a.mark_source(a_from, len(a.ch))
                b.mark_source(0, b_to)
                inst = self.new_inst(kind)
                at = rng.choice(self.inner_boundaries(self.paras[j], False))
                if rng.random() < 0.5:          # break lost: one run inside the paragraph
                    self.paras[j].insert(at, Para(tail + head, kind, True, inst))
                else:                           # break kept: the target paragraph is split in two
                    first, second = self.paras[j].split(at)
                    first.insert(len(first.ch), Para(tail, kind, True, inst))
                    second.insert(0, Para(head, kind, True, inst))
                    self.paras[j:j + 1] = [first, second]
                return True
            cands = [i for i in range(j) if self.paras[i].pristine()]
            rng.shuffle(cands)
            for i in cands[:10]:
                run = self.run_of_sentences(self.paras[i].text)
                if run is None:
                    continue
                s, e = run
                copy = self.paras[i].text[s:e]
                self.paras[i].mark_source(s, e)
                at = rng.choice(self.inner_boundaries(self.paras[j], kind == "passage-clause"))
                self.paras[j].insert(at, Para(copy, kind, True, self.new_inst(kind)))
                return True
        return False

    def boilerplate(self) -> bool:
        rng = self.rng
        inst = self.new_inst("neg-boilerplate")
        mode = rng.random()
        if mode < 0.4:      # a short paragraph repeated: a heading of the document or a stock one
            heads = [p.text for p in self.paras if p.pristine() and nonspace(p.text) <= 20
                     and not re.search(r"[。；]$", p.text)]
            text = rng.choice(heads) if heads and rng.random() < 0.6 else rng.choice(BOILERPLATE_PARAS)
            for _ in range(2):
                self.paras.insert(rng.randint(0, len(self.paras)), Para(text, "neg-boilerplate", False, inst))
        else:               # a boilerplate sentence inside paragraphs (start or a sentence boundary)
            text = rng.choice(BOILERPLATE_SENTS)
            targets = [j for j in range(len(self.paras)) if self.paras[j].pristine()]
            if len(targets) < 2:
                return False
            for j in rng.sample(targets, 2):
                bounds = [0] + self.inner_boundaries(self.paras[j], False)
                self.paras[j].insert(rng.choice(bounds), Para(text, "neg-boilerplate", False, inst))
        return True

    def inject(self, kind) -> bool:
        if kind in ("passage-mid", "passage-clause", "passage-cross"):
            return self.passage(kind)
        if kind == "neg-boilerplate":
            return self.boilerplate()
        return self.copy_paragraph(kind)

    def assemble(self, sep: str, self_append: bool, drop_final_punct: bool):
        """(text, dup flags, tags, instance ids) per character."""
        ch, tag, dup, inst = [], [], [], []
        for k, p in enumerate(self.paras):
            if k:
                ch.extend(sep); tag.extend(["sep"] * len(sep)); dup.extend([False] * len(sep)); inst.extend([-1] * len(sep))
            ch.extend(p.ch); tag.extend(p.tag); dup.extend(p.dup); inst.extend(p.inst)
        if self_append:
            if drop_final_punct:
                while ch and (ch[-1] in "。！？；.!?;" or ch[-1].isspace()):
                    for arr in (ch, tag, dup, inst):
                        arr.pop()
            iid = self.new_inst("self-append")
            n = len(ch)
            ch.extend(ch[:n]); tag.extend(["self-append"] * n); dup.extend([True] * n); inst.extend([iid] * n)
        return "".join(ch), dup, tag, inst


def make_documents(n_docs: int, seed: int):
    bases = base_texts()
    out = []
    for d in range(n_docs):
        rng = random.Random(seed * 1_000_003 + d)
        name, paras = bases[d % len(bases)]
        size = rng.randint(min(20, len(paras)), min(60, len(paras)))
        start = rng.randint(0, len(paras) - size)
        b = Builder(rng, paras[start:start + size])
        kinds = rng.sample(INJECT_KINDS, rng.randint(3, 6))
        # passages last: a paragraph inserted later could fall between the two source
        # paragraphs of a passage-cross copy, which would then no longer repeat one run
        kinds.sort(key=lambda k: k.startswith("passage"))
        for kind in kinds:
            for _ in range(5):
                if b.inject(kind):
                    break
        self_append = rng.random() < 0.2
        text, dup, tag, inst = b.assemble(rng.choice(SEPARATORS), self_append, rng.random() < 0.5)
        out.append(dict(i=d, base=name, text=text, dup=dup, tag=tag, inst=inst,
                        kinds=dict(b.instances)))
    return out


# -- evaluation ----------------------------------------------------------------------------------
def runs(flags, text):
    """Maximal [s, e) runs of True flags, whitespace inside a run allowed."""
    out, s = [], None
    for k, f in enumerate(flags):
        if f:
            if s is None:
                s = k
            last = k
        elif s is not None and not text[k].isspace():
            out.append((s, last + 1)); s = None
    if s is not None:
        out.append((s, last + 1))
    return out


def clip(s: str, n: int = 90) -> str:
    s = s.replace("\r", "\\r").replace("\n", "⏎").replace("\t", "\\t")
    return s if len(s) <= n else s[: n // 2 - 1] + " … " + s[-(n // 2 - 1):]


def evaluate(docs, ex):
    tot = Counter()
    per_tag = Counter()          # non-space characters per tag
    removed_tag = Counter()      # of them removed
    inst_outcome = defaultdict(Counter)
    size_outcome = defaultdict(Counter)   # instance size bucket -> outcome
    docs_fp = 0
    fp_examples, fn_examples = [], []
    reasons = Counter()
    for d in docs:
        text = d["text"]
        doc = ex.extract(text, f"gen{d['i']}")
        rem = [False] * len(text)
        for r in doc.removed:
            reasons[r.reason] += 1
            for k in range(r.start, r.end):
                rem[k] = True
        inst_total, inst_removed = Counter(), Counter()
        fp = [False] * len(text)
        fn = [False] * len(text)
        for k, c in enumerate(text):
            if c.isspace():
                continue
            t, dp, r = d["tag"][k], d["dup"][k], rem[k]
            per_tag[t] += 1
            removed_tag[t] += r
            if dp:
                inst_total[d["inst"][k]] += 1
                inst_removed[d["inst"][k]] += r
                tot["tp" if r else "fn"] += 1
                fn[k] = not r
            else:
                tot["fp" if r else "tn"] += 1
                fp[k] = r
        for iid, n in inst_total.items():
            frac = inst_removed[iid] / n
            kind = d["kinds"][iid]
            outcome = "full" if frac >= 0.95 else "missed" if frac <= 0.05 else "partial"
            inst_outcome[kind][outcome] += 1
            if kind != "self-append":
                size_outcome[size_bucket(n)][outcome] += 1
                size_outcome[size_bucket(n)]["chars"] += n
                size_outcome[size_bucket(n)]["removed"] += inst_removed[iid]
        if any(fp):
            docs_fp += 1
        for s, e in runs(fp, text):
            tags = Counter(d["tag"][k] for k in range(s, e) if not text[k].isspace())
            why = next((r for r in doc.removed if r.start <= s < r.end), None)
            fp_examples.append((nonspace(text[s:e]), d["i"], s, e, tags.most_common(1)[0][0], text[s:e],
                                why, text))
        for s, e in runs(fn, text):
            kind = d["kinds"].get(d["inst"][s], "?")
            fn_examples.append((nonspace(text[s:e]), d["i"], s, e, kind, text[s:e], None, text))
    return tot, per_tag, removed_tag, inst_outcome, size_outcome, docs_fp, fp_examples, fn_examples, reasons


BUCKETS = ((40, "< 40 chars"), (80, "40-79 chars"), (10 ** 9, ">= 80 chars"))


def size_bucket(n: int) -> str:
    return next(label for limit, label in BUCKETS if n < limit)


def timing_share(texts, rounds):
    """(full s, dedup-only s, normalize+split s) medians over `rounds`, alternating order."""
    from extractor import Extractor
    from extractor.normalize import normalize
    from extractor.split import paragraphs, sentences

    ex = Extractor()
    dd = ex.deduplicator
    prepared = [(normalize(t).text,) for t in texts]
    # the pipeline splits sentences once (the split stage) and hands them to dedup and context
    prepared = [(nt, list(paragraphs(nt)), [(s, e) for s, e, _ in sentences(nt)]) for (nt,) in prepared]

    def full():
        for k, t in enumerate(texts):
            ex.extract(t, f"d{k}")

    def dedup_only():
        for nt, ps, ss in prepared:
            dd.find(nt, ps, sents=ss)

    def prep():
        for t in texts:
            nt = normalize(t).text
            list(paragraphs(nt))
            list(sentences(nt))

    fns = {"full": full, "dedup": dedup_only, "prep": prep}
    for f in fns.values():  # warm-up
        f()
    times = defaultdict(list)
    names = list(fns)
    for r in range(rounds):
        for n in names[r % 3:] + names[: r % 3]:
            t0 = time.perf_counter()
            fns[n]()
            times[n].append(time.perf_counter() - t0)
    return {n: statistics.median(v) for n, v in times.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=240, help="generated documents (default 240)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--examples", type=int, default=3, help="worst examples per kind (default 3)")
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds (default 5)")
    ap.add_argument("--quick", action="store_true", help="60 documents, 1 timing round")
    args = ap.parse_args(argv)
    if args.quick:
        args.docs, args.rounds = min(args.docs, 60), 1

    from extractor import Extractor
    import subprocess
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        if subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "extractor"],
                          capture_output=True, text=True, timeout=10).stdout.strip():
            rev += "+dirty"
    except (OSError, subprocess.SubprocessError):
        rev = "?"
    ex = Extractor()
    t0 = time.perf_counter()
    docs = make_documents(args.docs, args.seed)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tot, per_tag, removed_tag, inst_outcome, size_outcome, docs_fp, fp_ex, fn_ex, reasons = evaluate(docs, ex)
    eval_s = time.perf_counter() - t0

    tp, fp, fn = tot["tp"], tot["fp"], tot["fn"]
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    n_chars = sum(per_tag.values())
    print(f"extractor at git {rev}. "
          f"{len(docs)} generated documents (seed {args.seed}), {n_chars} non-space characters, "
          f"{tp + fn} of them duplicated; generated in {gen_s:.1f} s, extracted in {eval_s:.1f} s. "
          f"Removed spans by reason: {dict(reasons)}.")
    print()
    print("| removed characters | value |")
    print("|---|---:|")
    print(f"| precision | {prec:.4f} |")
    print(f"| recall | {rec:.4f} |")
    print(f"| duplicated chars removed / missed | {tp} / {fn} |")
    print(f"| unique chars wrongly removed | {fp} |")
    print(f"| documents with any wrongly removed char | {docs_fp} of {len(docs)} |")
    print()
    print("| kind | instances | chars | removed | recall | fully / partly / missed |")
    print("|---|---:|---:|---:|---:|---|")
    for k in DUP_KINDS:
        n = per_tag[k]
        o = inst_outcome[k]
        insts = sum(o.values())
        print(f"| {k} | {insts} | {n} | {removed_tag[k]} | {removed_tag[k] / n if n else float('nan'):.3f} | "
              f"{o['full']} / {o['partial']} / {o['missed']} |")
    print()
    print("| injected block size (all kinds but self-append) | instances | recall | fully / partly / missed |")
    print("|---|---:|---:|---|")
    for _, label in BUCKETS:
        o = size_outcome[label]
        insts = o["full"] + o["partial"] + o["missed"]
        print(f"| {label} | {insts} | {o['removed'] / o['chars'] if o['chars'] else float('nan'):.3f} | "
              f"{o['full']} / {o['partial']} / {o['missed']} |")
    print()
    print("| unique (must be kept) | instances | chars | wrongly removed | share |")
    print("|---|---:|---:|---:|---:|")
    neg_insts = Counter(k for d in docs for k in d["kinds"].values())
    for k in UNIQUE_TAGS:
        n = per_tag[k]
        insts = neg_insts[k] if k.startswith("neg") else "–"
        print(f"| {k} | {insts} | {n} | {removed_tag[k]} | {removed_tag[k] / n if n else 0:.4f} |")

    ex_n = args.examples
    print()
    print(f"Worst wrongly removed spans (up to {ex_n} per kind of character, longest first):")
    by = defaultdict(list)
    for e in sorted(fp_ex, key=lambda x: -x[0]):
        by[e[4]].append(e)
    if not fp_ex:
        print("  none")
    for k in UNIQUE_TAGS:
        for n, i, s, e, tag, txt, why, full in by[k][:ex_n]:
            rep = ""
            if why is not None:
                rep = f" [{why.reason}"
                if isinstance(why.repeats, tuple):
                    rs, re_ = why.repeats
                    rep += f" of {rs}-{re_}: {clip(full[rs:re_], 50)}"
                rep += "]"
            print(f"  doc {i} {s}-{e} ({n} chars, {tag}){rep}: {clip(txt)}")
    print()
    print(f"Worst missed duplicates (up to {ex_n} per kind, longest first):")
    by = defaultdict(list)
    for e in sorted(fn_ex, key=lambda x: -x[0]):
        by[e[4]].append(e)
    if not fn_ex:
        print("  none")
    for k in DUP_KINDS:
        for n, i, s, e, kind, txt, _, full in by[k][:ex_n]:
            ctx = clip(full[max(0, s - 12):s], 24)
            print(f"  doc {i} {s}-{e} ({n} chars, {kind}) after «{ctx}»: {clip(txt)}")

    # time share
    from extractor.cli.inputs import iter_inputs
    from extractor.read import read_file
    corpus_texts = [read_file(p).text for p, _, _ in iter_inputs([str(CORPUS)])]
    gen_texts = [d["text"] for d in docs]
    print()
    print(f"Dedup share of pipeline time (median of {args.rounds} round(s); dedup only = "
          "Deduplicator.find on pre-normalized text and paragraphs):")
    print()
    print("| input | MB | full extract s | dedup only s | normalize+split s | dedup share |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, texts in (("corpus/ (13 files)", corpus_texts), ("generated documents", gen_texts)):
        m = timing_share(texts, args.rounds)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        print(f"| {label} | {mb:.2f} | {m['full']:.3f} | {m['dedup']:.3f} | {m['prep']:.3f} | "
              f"{m['dedup'] / m['full']:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
