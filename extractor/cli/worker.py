"""The per-document work of a batch run, as run in a worker process: read, hash, decode,
extract (`run_task`, `run_chunk`); a document over --timeout fails with 'timeout'.

Each process holds one loaded Extractor per settings (`worker_extractor`).
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field

from ..dedup import text_key
from ..errors import InputError
from ..read import decode, read_bytes


DEFAULT_TIMEOUT = 300.0  # seconds per document (--timeout)

_GRACE = 10.0     # seconds a worker gets beyond its documents' timeouts before it is killed


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
    res.key = text_key(d.normalized.text)
    # the core fields, then change and basis (docs/records.md: batch output columns)
    res.records = [dict(r.to_dict(extra=False), change=r.change, basis=r.basis) for r in d.records]
    res.removed = [dict(doc=doc, **r.to_dict()) for r in d.removed]
    if post is not None:
        res.extra = post(d)
    settings = extractor.settings
    if settings.dedup:
        nt, least = d.normalized.text, settings.min_passage_chars
        res.para_chars = sum(pe - ps for ps, pe in d.paragraph_spans)
        res.para_keys = [(para_key(nt[ps:pe]), pe - ps) for ps, pe in d.paragraph_spans
                         if pe - ps >= least]
    if settings.dedup and settings.cross_document == "paragraph":
        nt, norm = d.normalized.text, d.normalized
        for ps, pe in d.paragraph_spans:
            s, e = norm.to_original(ps, pe)
            if pe - ps >= settings.min_passage_chars and not d.in_removed(s):
                res.paragraphs.append((text_key(nt[ps:pe]), s, e))
    return res


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
        from ..pipeline import Extractor
        ex = _EXTRACTORS[settings] = Extractor(settings)
        ex.extract("2015年，全市地区生产总值增长7.5%，达到309亿元。")   # load lexicons, segmenter
    return ex


def run_task(job: Job, task) -> DocResult:
    """One document: task is (path, doc, data or None, known content hash or None)."""
    path, doc, data, known = task
    res = _process(worker_extractor(job.settings), path, doc, data, job.encoding,
                   job.max_bytes, known, errors=job.errors, post=job.post, timeout=job.timeout)
    if job.encode and res.records and isinstance(res.records, list):
        from ..write import record_bytes
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

_WARM = "EXTRACTOR_BATCH_WARM_FORKSERVER"


def _warm_fork_server():
    """In the fork server (see ProcessEngine): load lexicons, cues and jieba before forking."""
    os.environ.pop(_WARM, None)
    try:
        from ..settings import Settings
        worker_extractor(Settings())
    except Exception:  # noqa: BLE001 - workers will load (and report) it themselves
        pass


if os.environ.get(_WARM) == "1":
    _warm_fork_server()
