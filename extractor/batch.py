"""`extractor batch`: many files → one output, one bad file never stops the run.

The per-document function (`run_task`: read, hash, decode, extract) runs in
worker processes, each holding one loaded Extractor: inline for ``--workers 1``,
a process pool for ``--workers N``, a Dask cluster for ``--engine dask``. Results
come back in document order through a bounded window of chunks; the main process
applies the cross-document duplicate memory (`CrossDocument`) in that order and
hands each document to a writer (extractor/write.py), so the output is the same
for any worker count or engine.

``--resume`` skips a document whose content hash and fingerprint (extractor
version + settings + ``--encoding``) match what the output already holds; the
worker hashes the file and answers ``unchanged`` without extracting it.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import stat
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .dedup import text_key
from .errors import FileTooLargeError, InputError, MissingFileError
from .read import decode
from .write import DONE, UsageError, format_for, open_writer

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class DocResult:
    """What one document yields: records (dicts), removed spans, status and error."""

    doc: str
    path: str
    status: str = "ok"            # ok | empty | failed | duplicate | unchanged (resume)
    error: str | None = None
    encoding: str | None = None
    chars: int = 0
    key: str | None = None        # hash of the normalized text (cross-document dedup)
    records: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    content_hash: str | None = None   # hash of the file's bytes (resume)
    paragraphs: list = field(default_factory=list)  # (key, start, end) when dedup is per paragraph
    warning: str | None = None    # a doubtful decoding, bytes replaced (--errors replace)


def content_hash(data: bytes) -> str:
    """BLAKE2b-128 of raw bytes, hex."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def process_text(extractor, text, doc, path="", encoding=None) -> DocResult:
    """Extract one decoded text into a DocResult (no cross-document state)."""
    res = DocResult(doc=doc, path=str(path), encoding=encoding, chars=len(text))
    if not text.strip():
        res.status = "empty"
        return res
    d = extractor.extract(text, doc, encoding=encoding)
    res.key = text_key(d._normalized.text)
    # the core fields, then change and basis (docs/records.md: batch output columns)
    res.records = [dict(r.to_dict(extra=False), change=r.change, basis=r.basis) for r in d.records]
    res.removed = [dict(doc=doc, **r.to_dict()) for r in d.removed]
    settings = extractor.settings
    if settings.dedup and settings.cross_document == "paragraph":
        nt, norm = d._normalized.text, d._normalized
        for ps, pe in d._para_spans:
            s, e = norm.to_original(ps, pe)
            if pe - ps >= settings.min_passage_chars and not d._in_removed(s):
                res.paragraphs.append((text_key(nt[ps:pe]), s, e))
    return res


def read_bytes(path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; typed InputErrors otherwise."""
    p = Path(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise MissingFileError(p, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(p, "not a regular file")
        if st.st_size > max_bytes:
            raise FileTooLargeError(p, f"larger than the limit of {max_bytes} bytes")
        with open(p, "rb") as f:
            data = f.read(max_bytes + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise MissingFileError(p, "no such file") from None
    except PermissionError:
        raise InputError(p, "permission denied") from None
    except OSError as e:
        raise InputError(p, os.strerror(e.errno) if e.errno else str(e)) from None
    if len(data) > max_bytes:
        raise FileTooLargeError(p, f"larger than the limit of {max_bytes} bytes")
    return data


def _process(extractor, path, doc, data=None, encoding=None, max_bytes=None, known=None,
             errors="strict"):
    """Read (unless `data` is given), hash, decode and extract; never raises."""
    path = str(path)
    try:
        if data is None:
            data = read_bytes(path, max_bytes or extractor.settings.max_bytes)
        h = content_hash(data)
        if known is not None and known == h:
            return DocResult(doc=doc, path=path, status="unchanged", content_hash=h)
        dec = decode(data, path, encoding, errors)
    except InputError as e:
        return DocResult(doc=doc, path=path, status="failed", error=e.reason)
    try:
        res = process_text(extractor, dec.text, doc, path, dec.encoding)
    except Exception as e:  # noqa: BLE001 - one bad document must not stop a batch
        res = DocResult(doc=doc, path=path, status="failed", encoding=dec.encoding,
                        chars=len(dec.text), error=f"{type(e).__name__}: {e}")
    res.content_hash = h
    res.warning = dec.warning
    return res


def process_file(extractor, path, doc, encoding=None, max_bytes=None) -> DocResult:
    """Read, decode and extract one file; failures become a DocResult with status 'failed'."""
    return _process(extractor, path, doc, None, encoding, max_bytes)


class CrossDocument:
    """Cross-document memory of one batch run, applied in document order.

    A document equal to an earlier one (after normalization: GBK and UTF-8 copies,
    other line endings) is a duplicate and yields no records. With
    `cross_document="paragraph"` a paragraph seen in an earlier document is removed too.
    """

    def __init__(self):
        self.seen: dict[str, str] = {}
        self.paragraphs: dict[str, str] = {}

    def apply(self, res: DocResult) -> DocResult:
        if res.status != "ok" or res.key is None:
            return res
        first = self.seen.setdefault(res.key, res.doc)
        if first != res.doc:
            res.status = "duplicate"
            res.records = []
            res.removed = [{"doc": res.doc, "start": 0, "end": res.chars,
                            "reason": "cross-document", "repeats": first}]
            return res
        for key, s, e in res.paragraphs:
            earlier = self.paragraphs.setdefault(key, res.doc)
            if earlier != res.doc:
                res.records = [r for r in res.records if not s <= r["start"] < e]
                res.removed.append({"doc": res.doc, "start": s, "end": e,
                                    "reason": "cross-document", "repeats": earlier})
        res.removed.sort(key=lambda r: r["start"])
        return res


# -- the per-document function, as run in a worker process ----------------------------

@dataclass(frozen=True)
class Job:
    """What every worker needs to know about the run (small; pickled with each chunk)."""

    settings: object
    encoding: str | None = None
    max_bytes: int | None = None
    errors: str = "strict"        # --errors


_EXTRACTORS: dict = {}     # one loaded Extractor per settings per process


def worker_extractor(settings):
    """This process's Extractor for `settings` (created and warmed up once)."""
    ex = _EXTRACTORS.get(settings)
    if ex is None:
        from .pipeline import Extractor
        ex = _EXTRACTORS[settings] = Extractor(settings)
        ex.extract("2015年，全市地区生产总值增长7.5%，达到309亿元。")   # load lexicons, segmenter
    return ex


def run_task(job: Job, task) -> DocResult:
    """One document: task is (path, doc, data or None, known content hash or None)."""
    path, doc, data, known = task
    return _process(worker_extractor(job.settings), path, doc, data, job.encoding,
                    job.max_bytes, known, job.errors)


def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def run_chunk(job: Job, tasks) -> tuple:
    """A chunk of documents → ([DocResult], (pid, peak rss, cpu seconds)); never raises."""
    out = []
    for t in tasks:
        try:
            out.append(run_task(job, t))
        except Exception as e:  # noqa: BLE001 - e.g. the pipeline cannot load here
            out.append(DocResult(doc=t[1], path=str(t[0]), status="failed",
                                 error=f"{type(e).__name__}: {e}"))
    return out, (os.getpid(), _peak_rss(), time.process_time())


def _init_pool(job: Job, parent: int):
    """Pool initializer: Ctrl-C is the parent's business; die with the parent; load once."""
    import signal
    import threading
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    ppid = os.getppid()          # the main process, or the forkserver it started

    def watch():
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass
            if os.getppid() != ppid:
                os._exit(1)
    threading.Thread(target=watch, daemon=True).start()
    try:
        worker_extractor(job.settings)
    except Exception:  # noqa: BLE001 - reported per document by run_chunk
        pass


# -- engines: ordered, bounded streams of DocResults ---------------------------------

def _chunks(tasks, size):
    it = iter(tasks)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def _ordered(submit, chunks, window):
    """Submit chunks keeping at most `window` in flight; yield results in order."""
    pending = deque()
    chunks = iter(chunks)
    for chunk in itertools.islice(chunks, window):
        pending.append(submit(chunk))
    while pending:
        result = pending.popleft().result()
        for chunk in itertools.islice(chunks, 1):
            pending.append(submit(chunk))
        yield result


class WorkerError(RuntimeError):
    """The worker processes cannot run at all."""


def _chunk_size(n_tasks, workers):
    return max(1, min(8, n_tasks // (workers * 8)))


class InlineEngine:
    """--workers 1: the main process extracts."""

    name = "inline"

    def __init__(self, job, workers=1):
        self.job, self.peaks, self.cpu = job, {}, {}

    def map(self, tasks):
        for chunk in _chunks(tasks, 16):
            results, (pid, rss, cpu) = run_chunk(self.job, chunk)
            self.peaks[pid] = max(rss, self.peaks.get(pid, 0))
            self.cpu[pid] = cpu
            yield from results

    def close(self):
        pass


class ProcessEngine:
    """--workers N: a pool of N processes, each with one loaded Extractor."""

    name = "processes"

    def __init__(self, job, workers):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        if ctx.get_start_method() == "forkserver":
            # the fork server loads the pipeline once; workers fork from it ready to go
            from multiprocessing import forkserver
            ctx.set_forkserver_preload(["extractor.batch"])
            os.environ[_WARM] = "1"
            try:
                forkserver.ensure_running()
            finally:
                os.environ.pop(_WARM, None)
        self.job, self.workers, self.peaks, self.cpu = job, workers, {}, {}
        self._new_pool = lambda: ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init_pool,
            initargs=(job, os.getpid()))
        self.pool = self._new_pool()

    def _restart(self):
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()

    def map(self, tasks):
        """Ordered results; a worker that dies (out of memory, a crash in native code)
        takes only its own document down: the pool is restarted, the chunk in hand is
        retried document by document, and the one that kills a worker again is failed."""
        from concurrent.futures.process import BrokenProcessPool
        tasks = list(tasks)
        size = _chunk_size(len(tasks), self.workers)
        chunks = list(_chunks(tasks, size))
        submit = lambda chunk: self.pool.submit(run_chunk, self.job, chunk)
        i = deaths = 0
        while i < len(chunks):
            try:
                for results, (pid, rss, cpu) in _ordered(submit, chunks[i:], self.workers * 4):
                    self.peaks[pid] = max(rss, self.peaks.get(pid, 0))
                    self.cpu[pid] = cpu
                    i += 1
                    yield from results
            except BrokenProcessPool:
                self._restart()
                for task in chunks[i]:
                    try:
                        results, _ = submit([task]).result()
                        deaths = 0
                    except BrokenProcessPool:
                        deaths += 1
                        if deaths >= 3:
                            raise WorkerError("worker processes die at start or on every "
                                              "document; giving up") from None
                        self._restart()
                        results = [DocResult(doc=task[1], path=str(task[0]), status="failed",
                                             error="the worker process died (out of memory "
                                                   "or a crash) on this document")]
                    yield from results
                i += 1

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """--engine dask: the same chunks as Dask futures on a cluster (or a LocalCluster)."""

    name = "dask"

    def __init__(self, job, workers, scheduler=None):
        try:
            import logging
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--engine dask needs Dask: pip install 'zhgov-extractor[dask]'") from None
        self.job, self.peaks, self.cpu, self.cluster = job, {}, {}, None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        n = len(self.client.scheduler_info().get("workers", {})) or workers
        self.workers = max(1, n)

    def map(self, tasks):
        tasks = list(tasks)
        size = _chunk_size(len(tasks), self.workers)
        submit = lambda chunk: self.client.submit(run_chunk, self.job, chunk, pure=False)
        for results, (pid, rss, cpu) in _ordered(submit, _chunks(tasks, size), self.workers * 4):
            self.peaks[pid] = max(rss, self.peaks.get(pid, 0))
            self.cpu[pid] = cpu
            yield from results

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# -- the command -----------------------------------------------------------------------

def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _inputs(args):
    """(path, doc id, bytes or None) for each input document, in run order."""
    from .inputs import iter_inputs
    paths = list(args.inputs or ())
    if args.files_from:
        if args.files_from == "-":
            if "-" in paths:
                raise UsageError("stdin cannot be both a document and the --files-from list")
            text = sys.stdin.read()
        else:
            try:
                text = Path(args.files_from).read_text(encoding="utf-8-sig")
            except OSError as e:
                raise UsageError(f"--files-from {args.files_from}: {e.strerror or e}") from None
        # blank lines and # comments are skipped
        paths += [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not paths:
        raise UsageError("no inputs: give files, folders, '-' or --files-from LIST")
    if paths.count("-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    items = []
    for p in paths:
        if p == "-":
            items.append(("-", "-", sys.stdin.buffer.read()))
            continue
        for path, doc in iter_inputs([p], args.glob):
            items.append((str(path), doc, None))
    return items


def code_hash() -> str:
    """Hash of the package's code and data files: a changed extractor changes it even
    when its version number does not (development, a patched install)."""
    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=6)
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix not in (".pyc", ".pyo") and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _fingerprint(settings, encoding) -> str:
    """Extractor version + code hash + Settings.fingerprint() (+ --encoding)."""
    from ._version import __version__
    fp = f"{__version__}-{code_hash()}-{settings.fingerprint()}"
    return fp + (f"-{encoding}" if encoding else "")


class _Progress:
    """tqdm on stderr: files, characters, records, rate, ETA (off when not a terminal)."""

    def __init__(self, total, quiet):
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        tqdm.monitor_interval = 0
        self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True,
                        smoothing=0.05, mininterval=0.5, desc="extractor")
        self.t0, self.last, self.figures = time.perf_counter(), 0.0, (0, 0)

    def update(self, chars, records):
        if self.bar is None:
            return
        self.bar.update(1)
        self.figures = chars, records
        now = time.perf_counter()
        if now - self.last > 0.5:
            self.last = now
            self._postfix(now)

    def _postfix(self, now, refresh=False):
        chars, records = self.figures
        rate = chars / max(now - self.t0, 1e-9)
        self.bar.set_postfix_str(f"{chars / 1e6:.1f}M chars, {records} records, "
                                 f"{rate / 1e3:.0f}k chars/s", refresh=refresh)

    def write(self, msg):
        if self.bar is not None:
            self.bar.write(msg, file=sys.stderr)

    def close(self):
        if self.bar is not None:
            self._postfix(time.perf_counter(), refresh=True)
            self.bar.close()


def _engine(args, job, workers):
    if args.engine == "dask":
        return DaskEngine(job, workers, args.scheduler)
    if workers == 1:
        return InlineEngine(job)
    return ProcessEngine(job, workers)


def run_batch(args, settings, stats: dict | None = None) -> int:
    """Run the batch command; returns the exit code (0 ok, 1 some failed, 2 usage).

    `stats`, when given, is filled with the run's figures (documents, records, peak
    memory per worker…), for benchmarks and tests.
    """
    t0 = time.perf_counter()
    try:
        workers = _cores() if args.workers is None else args.workers
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        if args.scheduler and args.engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        if args.max_bytes is not None and args.max_bytes < 1:
            raise UsageError("--max-bytes must be positive")
        fmt = format_for(args.output, args.format)
        items = _inputs(args)
        writer = open_writer(fmt, args.output, args.resume)
    except UsageError as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_USAGE
    fp = _fingerprint(settings, args.encoding)
    job = Job(settings, args.encoding, args.max_bytes or settings.max_bytes,
              getattr(args, "errors", "strict"))
    for note in getattr(writer, "notes", ()):
        print(f"extractor: {note}", file=sys.stderr)

    # one document id, one document: a second file under the same id is refused
    done, tasks, clashes, ids = writer.done, [], [], {}
    for path, doc, data in items:
        if doc in ids:
            if path != "-" and Path(ids[doc]).resolve() == Path(path).resolve():
                continue                                    # the same file given twice
            clashes.append(DocResult(doc=doc, path=path, status="failed",
                                     error=f"document id {doc!r} already used by {ids[doc]}"))
            continue
        ids[doc] = path
        e = done.get(doc)
        known = e["hash"] if e and e.get("fp") == fp and e.get("status") in DONE else None
        tasks.append((path, doc, data, known))
    ids = None
    stdin = next((data for path, doc, data in items if path == "-"), None)
    items = None

    n = dict(documents=0, processed=0, unchanged=0, records=0, removed=0, duplicate_docs=0,
             empty=0, failed=0, chars=0)
    failures = clashes
    cross = CrossDocument()
    progress = _Progress(len(tasks), args.quiet)
    engine = None
    try:
        try:
            engine = _engine(args, job, workers)
        except UsageError as e:
            writer.abort()
            progress.close()
            print(f"extractor: {e}", file=sys.stderr)
            return EXIT_USAGE
        for res in engine.map(tasks):
            n["documents"] += 1
            if res.status == "unchanged":
                res, kept = _replay(res, done[res.doc], cross, writer, fp, job, stdin)
                n["unchanged"] += kept
            else:
                n["processed"] += 1
                res = cross.apply(res)
                writer.write(res, fp)
            if res.status == "failed":
                failures.append(res)
                progress.write(f"extractor: {res.path}: {res.error}")
            elif getattr(res, "warning", None):
                _warn(progress, f"extractor: warning: {res.path}: {res.warning}")
            n["records"] += res.records if isinstance(res.records, int) else len(res.records)
            n["removed"] += res.removed if isinstance(res.removed, int) else len(res.removed)
            n["duplicate_docs"] += res.status == "duplicate"
            n["empty"] += res.status == "empty"
            n["chars"] += res.chars or 0
            progress.update(n["chars"], n["records"])
        writer.finish()
    except WorkerError as e:
        writer.abort()
        print(f"extractor: {e}; what was written is kept for --resume", file=sys.stderr)
        return EXIT_FAILED
    except BaseException as e:
        writer.abort()
        if isinstance(e, KeyboardInterrupt) and args.output != "-":
            print(f"extractor: interrupted after {n['documents']} documents; rerun with "
                  f"--resume to continue", file=sys.stderr)
        raise
    finally:
        progress.close()
        if engine is not None:
            engine.close()
    if args.duplicates:
        _write_duplicates(args.duplicates, writer.iter_removed())
    n["failed"] = len(failures)
    secs = time.perf_counter() - t0
    skipped = f" ({n['unchanged']} unchanged, skipped)" if args.resume else ""
    print(f"extractor: {n['documents']} documents{skipped}, {n['records']} records, "
          f"{n['removed']} duplicate spans removed ({n['duplicate_docs']} duplicate documents), "
          f"{n['empty']} empty, {n['failed']} failed, {secs:.1f} s "
          f"({n['documents'] / max(secs, 1e-9):.1f} docs/s)", file=sys.stderr)
    for f in failures[:20]:
        print(f"  failed: {f.path}: {f.error}", file=sys.stderr)
    if len(failures) > 20:
        print(f"  … and {len(failures) - 20} more", file=sys.stderr)
    if stats is not None:
        stats.update(n, seconds=secs, workers=workers, engine=engine.name, format=fmt,
                     worker_peak_rss=dict(engine.peaks), worker_cpu=dict(engine.cpu))
    return EXIT_FAILED if failures else EXIT_OK


def _warn(progress, msg):
    """A warning line above the progress bar, or on stderr when there is none."""
    if progress.bar is not None:
        progress.write(msg)
    else:
        print(msg, file=sys.stderr)


def _replay(res, entry, cross, writer, fp, job, stdin=None):
    """An unchanged document: keep its output unless the cross-document verdict changed."""
    was = entry["status"]
    now = DocResult(doc=res.doc, path=res.path, status="ok" if entry.get("key") else was,
                    key=entry.get("key"), chars=entry.get("chars") or 0,
                    content_hash=res.content_hash)
    cross.apply(now)
    if now.status == was:
        writer.keep(res.doc)
        res.status, res.chars = was, now.chars
        res.records, res.removed = entry.get("records") or 0, entry.get("removed") or 0
        return res, True
    if now.status == "ok":
        # it was a copy of a document that has since changed: extract it now, here
        task = (res.path, res.doc, stdin if res.path == "-" else None, None)
        now = cross.apply(run_task(job, task))
    now.content_hash = now.content_hash or res.content_hash
    writer.write(now, fp)
    return now, False


def _write_duplicates(path, removed):
    """The removed duplicate spans as JSON Lines (atomically replaced; '-' is stdout)."""
    if path == "-":
        for d in removed:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for d in removed:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


_WARM = "EXTRACTOR_BATCH_WARM_FORKSERVER"


def _warm_fork_server():
    """In the fork server (see ProcessEngine): load lexicons, cues and jieba before forking."""
    os.environ.pop(_WARM, None)
    try:
        from .settings import Settings
        worker_extractor(Settings())
    except Exception:  # noqa: BLE001 - workers will load (and report) it themselves
        pass


if os.environ.get(_WARM) == "1":
    _warm_fork_server()
