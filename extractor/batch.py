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

import fnmatch
import hashlib
import itertools
import json
import os
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from .dedup import text_key
from .errors import FileTooLargeError, InputError, MissingFileError
from .read import decode, safe_name, shown
from .write import DONE, UsageError, format_for, n_records, open_writer

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_OUTPUT = 3         # OUT cannot be created (read-only file system, permission denied)
EXIT_WRITE = 4          # writing OUT failed during the run (disk full, I/O error)
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143      # SIGINT (Ctrl-C), SIGTERM
DEFAULT_TIMEOUT = 300.0  # seconds per document (--timeout)
NEAR_COPY = 0.9          # share of a document's text in long paragraphs seen in earlier documents


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
    extra: object = None          # what Job.post made of the Document (e.g. panel facts)
    repeats: str | None = None    # the earlier document a duplicate repeats
    para_keys: list = field(default_factory=list)   # (64-bit key, length) of each long paragraph
    para_chars: int = 0           # characters in all paragraphs (near-copy denominator)
    data: bytes | None = None     # the records encoded by the worker (Job.encode); records
    #                               is then their count


def para_key(text: str) -> int:
    """64-bit hash of a normalized paragraph (near-copy detection across documents)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def content_hash(data: bytes) -> str:
    """BLAKE2b-128 of raw bytes, hex."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def process_text(extractor, text, doc, path="", encoding=None, post=None) -> DocResult:
    """Extract one decoded text into a DocResult (no cross-document state); `post`, when
    given, is a function of the Document whose result goes to `DocResult.extra`."""
    res = DocResult(doc=doc, path=str(path), encoding=encoding, chars=len(text))
    if not text.strip():
        res.status = "empty"
        return res
    d = extractor.extract(text, doc, encoding=encoding)
    res.key = text_key(d._normalized.text)
    # the core fields, then change and basis (docs/records.md: batch output columns)
    res.records = [dict(r.to_dict(extra=False), change=r.change, basis=r.basis) for r in d.records]
    res.removed = [dict(doc=doc, **r.to_dict()) for r in d.removed]
    if post is not None:
        res.extra = post(d)
    settings = extractor.settings
    if settings.dedup:
        nt, least = d._normalized.text, settings.min_passage_chars
        res.para_chars = sum(pe - ps for ps, pe in d._para_spans)
        res.para_keys = [(para_key(nt[ps:pe]), pe - ps) for ps, pe in d._para_spans
                         if pe - ps >= least]
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
            # read(n) allocates n bytes first: ask for the size stat gave (+1 to see growth)
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(max_bytes + 1 - len(data))
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


class DocumentTimeout(BaseException):
    """A document took longer than --timeout (BaseException: no `except Exception` swallows it)."""


def _on_alarm(signum, frame):
    raise DocumentTimeout()


class _Deadline:
    """SIGALRM after `seconds` raises DocumentTimeout in this (main) thread; no-op elsewhere."""

    def __init__(self, seconds):
        self.on = bool(seconds) and hasattr(signal, "setitimer") \
            and threading.current_thread() is threading.main_thread()
        self.seconds = seconds

    def __enter__(self):
        if self.on:
            self.old = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.on:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


_HANG = "_EXTRACTOR_TEST_HANG"   # test hook: "sleep:MARK" / "block:MARK" hangs on text with MARK


def _test_hang(text: str):
    """The tests' slow document: sleep in Python (the alarm stops it), or `block`: sleep in
    C with SIGALRM blocked in this thread, as native code that never returns would."""
    how, _, mark = os.environ.get(_HANG, "").partition(":")
    if mark and mark in text:
        if how == "block":
            import ctypes
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                ctypes.CDLL(None).sleep(3600)
        while True:
            time.sleep(0.05)


def _process(extractor, path, doc, data=None, encoding=None, max_bytes=None, known=None,
             errors="strict", post=None, timeout=None):
    """Read (unless `data` is given), hash, decode and extract; never raises.

    A document over `timeout` seconds is failed with reason 'timeout'."""
    path = str(path)
    try:
        with _Deadline(timeout):
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
                if _HANG in os.environ:
                    _test_hang(dec.text)
                res = process_text(extractor, dec.text, doc, path, dec.encoding, post)
            except Exception as e:  # noqa: BLE001 - one bad document must not stop a batch
                res = DocResult(doc=doc, path=path, status="failed", encoding=dec.encoding,
                                chars=len(dec.text), error=f"{type(e).__name__}: {e}")
    except DocumentTimeout:
        return DocResult(doc=doc, path=path, status="failed", error="timeout")
    res.content_hash = h
    res.warning = dec.warning
    return res


def process_file(extractor, path, doc, encoding=None, max_bytes=None) -> DocResult:
    """Read, decode and extract one file; failures become a DocResult with status 'failed'."""
    return _process(extractor, path, doc, None, encoding, max_bytes)


class CrossDocument:
    """Cross-document memory of one batch run, applied in document order.

    A document equal to an earlier one (after normalization: GBK and UTF-8 copies,
    other line endings) is a duplicate and yields no records. So is a near copy: a
    document whose long paragraphs (at least min_passage_chars) already seen in earlier
    documents make up at least `near` (90%) of its paragraph text; it repeats the
    document that holds most of them. Short lines (titles, salutations) count in the
    text but never as seen, so they alone never make a copy. With
    `cross_document="paragraph"` a paragraph seen in an earlier document is removed too.
    Memory: one entry per document and per distinct long paragraph.
    """

    def __init__(self, near: float = NEAR_COPY):
        self.seen: dict[str, str] = {}
        self.paragraphs: dict[str, str] = {}
        self.near = near
        self._docs: list[str] = []              # documents whose long paragraphs are indexed
        self._para_docs: dict[int, int] = {}    # paragraph key -> first such document

    def near_copy(self, res: DocResult):
        """(the earlier document `res` mostly repeats, share of its text) or (None, share)."""
        if not self.near or not res.para_keys or not res.para_chars:
            return None, 0.0
        by_doc: Counter = Counter()
        seen = 0
        for key, length in res.para_keys:
            d = self._para_docs.get(key)
            if d is not None:
                seen += length
                by_doc[d] += length
        share = seen / res.para_chars
        if share < self.near:
            return None, share
        return self._docs[by_doc.most_common(1)[0][0]], share

    def _index(self, res: DocResult):
        if not res.para_keys:
            return
        i = len(self._docs)
        self._docs.append(res.doc)
        for key, _ in res.para_keys:
            self._para_docs.setdefault(key, i)

    def _duplicate(self, res: DocResult, first: str, reason: str) -> DocResult:
        res.status, res.repeats, res.records, res.data = "duplicate", first, [], None
        res.removed = [{"doc": res.doc, "start": 0, "end": res.chars,
                        "reason": reason, "repeats": first}]
        return res

    def apply(self, res: DocResult) -> DocResult:
        if res.status != "ok" or res.key is None:
            return res
        first = self.seen.setdefault(res.key, res.doc)
        if first != res.doc:
            return self._duplicate(res, first, "cross-document")
        earlier, _ = self.near_copy(res)
        if earlier is not None and earlier != res.doc:
            del self.seen[res.key]              # a copy's own text is not a first occurrence
            return self._duplicate(res, earlier, "near-copy")
        self._index(res)
        for key, s, e in res.paragraphs:
            earlier = self.paragraphs.setdefault(key, res.doc)
            if earlier != res.doc:
                res.records = [r for r in res.records if not s <= r["start"] < e]
                res.data = None
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
    post: object = None           # a module-level function of each Document (DocResult.extra)
    timeout: float | None = None      # seconds per document; None or 0: no limit
    encode: str | None = None         # 'jsonl' or 'csv': workers encode the records (and send
    #                                   their count instead) — writers of logs, document dedup
    csv_guard: bool = True


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
    res = _process(worker_extractor(job.settings), path, doc, data, job.encoding,
                   job.max_bytes, known, errors=job.errors, post=job.post, timeout=job.timeout)
    if job.encode and res.records and isinstance(res.records, list):
        from .write import record_bytes
        res.data = record_bytes(res, job.encode, job.csv_guard)
        res.records = len(res.records)
    return res


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
        _STARTED[0] = time.monotonic()
        try:
            out.append(run_task(job, t))
        except Exception as e:  # noqa: BLE001 - e.g. the pipeline cannot load here
            out.append(DocResult(doc=t[1], path=str(t[0]), status="failed",
                                 error=f"{type(e).__name__}: {e}"))
        finally:
            _STARTED[0] = None
    return out, (os.getpid(), _peak_rss(), time.process_time())


_STARTED: list = [None]   # when this process's current document started (its watch thread)


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
            started = _STARTED[0]
            if job.timeout and started is not None \
                    and time.monotonic() - started > job.timeout + 2 * _GRACE:
                os._exit(1)      # stuck where the alarm cannot reach: the parent retries the
                #                  chunk document by document and fails this one with 'timeout'
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


def _ordered(submit, chunks, window, limit=None):
    """Submit chunks keeping at most `window` in flight; yield results in order.

    `limit(chunk)`, when given, is how long to wait for the oldest chunk (every chunk
    before it is done, so it is running): concurrent.futures.TimeoutError past it."""
    pending = deque()
    chunks = iter(chunks)
    for chunk in itertools.islice(chunks, window):
        pending.append((submit(chunk), chunk))
    while pending:
        future, chunk = pending[0]
        result = future.result(timeout=limit(chunk) if limit else None)
        pending.popleft()
        for chunk in itertools.islice(chunks, 1):
            pending.append((submit(chunk), chunk))
        yield result


class WorkerError(RuntimeError):
    """The worker processes cannot run at all."""


def _chunk_size(n_tasks, workers):
    return max(1, min(32, n_tasks // (workers * 8)))


_GRACE = 10.0     # seconds a worker gets beyond its documents' timeouts before it is killed


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

    def close(self, kill=False):
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

    def _kill(self):
        """Kill the pool's processes (a document stuck where SIGALRM cannot stop it)."""
        for proc in list((getattr(self.pool, "_processes", None) or {}).values()):
            try:
                proc.kill()
            except (OSError, ValueError):
                pass

    def _limit(self, chunk):
        t = self.job.timeout
        return t * len(chunk) + _GRACE if t else None

    def map(self, tasks):
        """Ordered results; a worker that dies (out of memory, a crash in native code)
        takes only its own document down: the pool is restarted, the chunk in hand is
        retried document by document, and the one that kills a worker again is failed.
        A chunk over its time (--timeout per document, plus a grace) gets its workers
        killed and is retried the same way; the document over time fails with 'timeout'."""
        from concurrent.futures import TimeoutError as FuturesTimeout
        from concurrent.futures.process import BrokenProcessPool
        tasks = list(tasks)
        size = _chunk_size(len(tasks), self.workers)
        chunks = list(_chunks(tasks, size))
        submit = lambda chunk: self.pool.submit(run_chunk, self.job, chunk)
        limit = self._limit if self.job.timeout else None
        i = deaths = 0
        while i < len(chunks):
            try:
                for results, (pid, rss, cpu) in _ordered(submit, chunks[i:], self.workers * 4,
                                                         limit):
                    self.peaks[pid] = max(rss, self.peaks.get(pid, 0))
                    self.cpu[pid] = cpu
                    i += 1
                    yield from results
            except (BrokenProcessPool, FuturesTimeout):
                self._kill()
                self._restart()
                for task in chunks[i]:
                    try:
                        results, _ = submit([task]).result(timeout=limit([task]) if limit else None)
                        deaths = 0
                    except FuturesTimeout:
                        self._kill()
                        self._restart()
                        results = [DocResult(doc=task[1], path=str(task[0]), status="failed",
                                             error="timeout")]
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

    def close(self, kill=False):
        if kill:
            self._kill()
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

    def close(self, kill=False):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# -- the command -----------------------------------------------------------------------

def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _reason(e: OSError) -> str:
    return "permission denied" if isinstance(e, PermissionError) else \
        (os.strerror(e.errno) if e.errno else str(e))


def walk(folder, pattern="*.txt"):
    """(path, doc id, error or None) for what a folder holds that matches `pattern`, like
    inputs.iter_inputs (Path.rglob sorted by relative path, symbolic links to folders not
    entered), but nothing is skipped silently: a folder that cannot be listed comes as
    (folder, 'sub/', reason), and a match that is not a regular file (FIFO, socket,
    device, dangling link) comes like a file, for the worker to report.
    Document ids are safe_name()d (bytes that are not UTF-8 become \\xNN)."""
    root = Path(folder)
    if "/" in pattern or os.sep in pattern or "**" in pattern:      # rglob's own syntax
        from .inputs import iter_inputs
        for path, doc in iter_inputs([root], pattern):
            yield path, safe_name(doc), None
        return
    found, stack = [], [(str(root), "")]
    while stack:
        d, rel = stack.pop()
        try:
            with os.scandir(d) as it:
                entries = list(it)
        except OSError as e:
            found.append((d, (rel or (root.name or str(root)) + "/"),
                          f"folder cannot be read: {_reason(e)}"))
            continue
        for e in entries:
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((e.path, rel + e.name + "/"))
            if fnmatch.fnmatchcase(e.name, pattern):
                try:
                    if e.is_dir():                       # a folder (or a link to one) named *.txt
                        continue
                except OSError:
                    pass
                found.append((e.path, rel + e.name, None))
    found.sort(key=lambda t: t[1])
    for path, doc, error in found:
        yield Path(path), safe_name(doc), error


def _inputs(args):
    """(path, doc id, bytes or None) for each input document, in run order; an input that
    cannot be listed comes as (path, doc id, InputError)."""
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
        if os.path.isdir(p):
            for path, doc, error in walk(p, args.glob):
                items.append((str(path), doc, InputError(path, error) if error else None))
        else:
            items.append((str(Path(p)), safe_name(Path(p).name), None))
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


class Locked(Exception):
    """Another run holds OUT's lock (exit code 2)."""


class OutputError(Exception):
    """OUT cannot be written (OSError or sqlite3.Error from a writer)."""

    def __init__(self, output, error):
        self.error = error
        reason = (os.strerror(error.errno) if isinstance(error, OSError) and error.errno
                  else str(error))
        super().__init__(f"cannot write {shown(output)}: {reason}")


class OutputLock:
    """An exclusive lock on OUT for the length of a run: OUT.lock, flock()ed, holding the
    pid; removed when the run ends (the kernel drops the lock of a killed run)."""

    def __init__(self, output: str):
        self.path, self.fd = output + ".lock", None
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                raise Locked(f"{shown(output)} is being written by another run (pid {pid}); "
                             f"wait for it to end or choose another -o") from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:                     # not a lock file the previous holder just removed
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd

    def release(self):
        if self.fd is not None:
            try:
                os.remove(self.path)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None


class _Guarded:
    """A writer whose OSError / sqlite3.Error become OutputError (one line, exit code 4)."""

    def __init__(self, writer, output):
        self._w, self._out = writer, output

    def __getattr__(self, name):
        attr = getattr(self._w, name)
        if not callable(attr):
            return attr

        def call(*a, **k):
            import sqlite3
            try:
                return attr(*a, **k)
            except (OSError, sqlite3.Error) as e:
                raise OutputError(self._out, e) from None
        return call


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the run ends cleanly."""


def _on_term(signum, frame):
    raise _Terminated()


def _catch_sigterm():
    """Turn SIGTERM into _Terminated (main thread only); returns the handler to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _on_term)


def run_batch(args, settings, stats: dict | None = None) -> int:
    """Run the batch command; returns the exit code (see docs/batch.md: 0 ok, 1 some
    documents failed, 2 usage or OUT locked, 3 OUT cannot be created, 4 writing OUT
    failed, 130 interrupted, 143 terminated).

    `stats`, when given, is filled with the run's figures (documents, records, peak
    memory per worker…), for benchmarks and tests.
    """
    lock, old_term = None, _catch_sigterm()
    try:
        try:
            code, lock = _start(args, settings, stats)
        except _Terminated:
            print("extractor: terminated before any document was written", file=sys.stderr)
            return EXIT_TERMINATED
        except KeyboardInterrupt:
            print("extractor: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        return code
    finally:
        if lock is not None:
            lock.release()
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _start(args, settings, stats):
    """Check the options, lock and open OUT, run; (exit code, lock to release)."""
    t0 = time.perf_counter()
    lock = None
    try:
        workers = _cores() if args.workers is None else args.workers
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        if args.scheduler and args.engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        if args.max_bytes is not None and args.max_bytes < 1:
            raise UsageError("--max-bytes must be positive")
        timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
        if timeout is not None and timeout < 0:
            raise UsageError("--timeout must be positive (0: no limit)")
        fmt = format_for(args.output, args.format)
        items = _inputs(args)
        if args.output != "-":
            lock = OutputLock(args.output)
        writer = _open_writer(fmt, args)
    except (UsageError, Locked) as e:
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_USAGE, lock
    except (OSError, OutputError) as e:
        if not isinstance(e, OutputError):
            e = OutputError(args.output, e)
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_OUTPUT, lock
    guard = not getattr(args, "csv_raw", False)
    encode = None
    if fmt in ("jsonl", "csv", "parquet") and settings.cross_document == "document":
        encode = "csv" if fmt == "csv" else "jsonl"      # the Parquet log is JSON Lines
    job = Job(settings, args.encoding, args.max_bytes or settings.max_bytes,
              errors=getattr(args, "errors", "strict"), timeout=timeout or None, encode=encode,
              csv_guard=guard)
    return _run(args, settings, stats, t0, workers, fmt, items, writer, job), lock


def _open_writer(fmt, args):
    """open_writer, its sqlite3 errors as OutputError, its notes printed."""
    import sqlite3
    try:
        if getattr(args, "csv_raw", False):
            writer = open_writer(fmt, args.output, args.resume, csv_guard=False)
        else:
            writer = open_writer(fmt, args.output, args.resume)
    except sqlite3.Error as e:
        raise OutputError(args.output, e) from None
    for note in getattr(writer, "notes", ()):
        print(f"extractor: {shown(note)}", file=sys.stderr)
    return _Guarded(writer, args.output)


def _run(args, settings, stats, t0, workers, fmt, items, writer, job) -> int:
    """The run proper: documents through the engine to the writer, then the summary."""
    fp = _fingerprint(settings, args.encoding)

    # one document id, one document: a second file under the same id is refused
    done, tasks, failures, ids = writer.done, [], [], {}
    for path, doc, data in items:
        if isinstance(data, InputError):                 # a folder that cannot be listed
            res = DocResult(doc=doc, path=path, status="failed", error=data.reason)
            writer.write(res, fp)                        # its id ends with '/': no file's id
            failures.append(res)
            continue
        if doc in ids:
            if path != "-" and Path(ids[doc]).resolve() == Path(path).resolve():
                continue                                    # the same file given twice
            failures.append(DocResult(doc=doc, path=path, status="failed",
                                      error=f"document id {doc!r} already used by "
                                            f"{safe_name(ids[doc])}"))
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
    cross = CrossDocument()
    progress = _Progress(len(tasks), args.quiet)
    engine, dups, killed = None, [], False
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
                progress.write(f"extractor: {shown(res.path)}: {shown(res.error)}")
            elif getattr(res, "warning", None):
                _warn(progress, f"extractor: warning: {shown(res.path)}: {res.warning}")
            elif res.status == "duplicate" and len(dups) < 10:
                dups.append(res)
            n["records"] += n_records(res)
            n["removed"] += res.removed if isinstance(res.removed, int) else len(res.removed)
            n["duplicate_docs"] += res.status == "duplicate"
            n["empty"] += res.status == "empty"
            n["chars"] += res.chars or 0
            progress.update(n["chars"], n["records"])
        writer.finish()
        if args.duplicates:
            try:
                _write_duplicates(args.duplicates, writer.iter_removed())
            except OSError as e:
                raise OutputError(args.duplicates, e) from None
    except WorkerError as e:
        writer.abort()
        progress.close()
        print(f"extractor: {e}; what was written is kept for --resume", file=sys.stderr)
        return EXIT_FAILED
    except (OutputError, KeyboardInterrupt, _Terminated) as e:
        killed = not isinstance(e, OutputError)
        writer.abort()
        progress.close()
        kept = "; rerun with --resume to continue" if args.output != "-" else ""
        if isinstance(e, OutputError):
            print(f"extractor: {e}; what was written is kept for --resume", file=sys.stderr)
            return EXIT_WRITE
        what = "interrupted" if isinstance(e, KeyboardInterrupt) else "terminated"
        print(f"extractor: {what} after {n['documents']} documents{kept}", file=sys.stderr)
        return EXIT_INTERRUPTED if isinstance(e, KeyboardInterrupt) else EXIT_TERMINATED
    except BaseException:
        killed = True
        writer.abort()
        raise
    finally:
        progress.close()
        if engine is not None:
            engine.close(kill=killed)
    n["failed"] = len(failures)
    secs = time.perf_counter() - t0
    skipped = f" ({n['unchanged']} unchanged, skipped)" if args.resume else ""
    print(f"extractor: {n['documents']} documents{skipped}, {n['records']} records, "
          f"{n['removed']} duplicate spans removed ({n['duplicate_docs']} duplicate documents), "
          f"{n['empty']} empty, {n['failed']} failed, {secs:.1f} s "
          f"({n['documents'] / max(secs, 1e-9):.1f} docs/s)", file=sys.stderr)
    for f in failures[:20]:
        print(f"  failed: {shown(f.path)}: {shown(f.error)}", file=sys.stderr)
    if len(failures) > 20:
        print(f"  … and {len(failures) - 20} more", file=sys.stderr)
    for d in dups:
        print(f"  duplicate: {shown(d.doc)} repeats {shown(d.repeats)}", file=sys.stderr)
    if n["duplicate_docs"] > len(dups):
        print(f"  … and {n['duplicate_docs'] - len(dups)} more duplicate documents",
              file=sys.stderr)
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
    if now.status == "ok" and hasattr(writer, "para_keys"):
        now.para_keys, now.para_chars = writer.para_keys(res.doc)
    cross.apply(now)
    if now.status == was and now.repeats == entry.get("repeats"):
        writer.keep(res.doc)
        res.status, res.chars, res.repeats = was, now.chars, now.repeats
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
