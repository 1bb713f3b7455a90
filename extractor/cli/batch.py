"""`extractor batch`: many files → one output, one bad file never stops the run.

The per-document function (`run_task`: read, hash, decode, extract) runs in
worker processes (worker.py), each holding one loaded Extractor: inline for ``--workers 1``,
a process pool for ``--workers N``, a Dask cluster for ``--engine dask`` (engines.py). Results
come back in document order through a bounded window of chunks; the main process
applies the cross-document duplicate memory (`CrossDocument`, cross.py) in that order and
hands each document to a writer (extractor/write.py), so the output is the same
for any worker count or engine.

``--resume`` skips a document whose content hash and fingerprint (extractor
version + settings + ``--encoding``) match what the output already holds; the
worker hashes the file and answers ``unchanged`` without extracting it.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

from ..errors import (EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_TERMINATED,
                      EXIT_USAGE, EXIT_WRITE, InputError, Locked, OutputError, UsageError,
                      WorkerError, safe_name, shown)
from ..write import DONE, format_for, n_records, open_writer
from .cross import CrossDocument
from .engines import _cores, _engine
from .inputs import batch_inputs
from .lock import OutputLock, _catch_sigterm, _Guarded, _Terminated
from .progress import _Progress, _warn, summary
from .worker import DEFAULT_TIMEOUT, DocResult, Job, run_task

SHOWN_DUPLICATES = 10    # duplicate documents named in the summary


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
        items = batch_inputs(args)
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


def _tasks(items, writer, fp):
    """(tasks, failures): one task (path, doc, data, known hash) per document id; a
    folder that cannot be listed, or a second file under an id already used, fails."""
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
    return tasks, failures


class _Run:
    """The state of one run: figures, failures, the first duplicates, the memory."""

    def __init__(self, args, writer, fp, job, stdin, failures):
        self.args, self.writer, self.fp, self.job, self.stdin = args, writer, fp, job, stdin
        self.failures, self.dups = failures, []
        self.n = dict(documents=0, processed=0, unchanged=0, records=0, removed=0,
                      duplicate_docs=0, empty=0, failed=0, chars=0)
        self.cross = CrossDocument()

    def take(self, res, progress):
        """One document's result, in document order: memory, writer, figures."""
        n = self.n
        n["documents"] += 1
        if res.status == "unchanged":
            res, kept = _replay(res, self.writer.done[res.doc], self.cross, self.writer,
                                self.fp, self.job, self.stdin)
            n["unchanged"] += kept
        else:
            n["processed"] += 1
            res = self.cross.apply(res)
            self.writer.write(res, self.fp)
        if res.status == "failed":
            self.failures.append(res)
            progress.write(f"extractor: {shown(res.path)}: {shown(res.error)}")
        elif getattr(res, "warning", None):
            _warn(progress, f"extractor: warning: {shown(res.path)}: {res.warning}")
        elif res.status == "duplicate" and len(self.dups) < SHOWN_DUPLICATES:
            self.dups.append(res)
        n["records"] += n_records(res)
        n["removed"] += res.removed if isinstance(res.removed, int) else len(res.removed)
        n["duplicate_docs"] += res.status == "duplicate"
        n["empty"] += res.status == "empty"
        n["chars"] += res.chars or 0
        progress.update(n["chars"], n["records"])


def _run(args, settings, stats, t0, workers, fmt, items, writer, job) -> int:
    """The run proper: documents through the engine to the writer, then the summary."""
    fp = _fingerprint(settings, args.encoding)
    tasks, failures = _tasks(items, writer, fp)
    stdin = next((data for path, doc, data in items if path == "-"), None)
    del items
    run = _Run(args, writer, fp, job, stdin, failures)
    progress = _Progress(len(tasks), args.quiet)
    try:
        engine = _engine(args, job, workers)
    except UsageError as e:
        writer.abort()
        progress.close()
        print(f"extractor: {e}", file=sys.stderr)
        return EXIT_USAGE
    code = _drive(run, engine, tasks, progress)
    if code is not None:
        return code
    run.n["failed"] = len(failures)
    secs = time.perf_counter() - t0
    summary(run.n, failures, run.dups, secs, args.resume)
    if stats is not None:
        stats.update(run.n, seconds=secs, workers=workers, engine=engine.name, format=fmt,
                     worker_peak_rss=dict(engine.peaks), worker_cpu=dict(engine.cpu))
    return EXIT_FAILED if failures else EXIT_OK


def _drive(run, engine, tasks, progress):
    """Every task through the engine into `run`; None when the run completed, else the
    exit code of how it ended (workers lost, OUT not writable, interrupted)."""
    args, writer, killed = run.args, run.writer, False
    try:
        for res in engine.map(tasks):
            run.take(res, progress)
        writer.finish()
        if args.duplicates:
            try:
                _write_duplicates(args.duplicates, writer.iter_removed())
            except OSError as e:
                raise OutputError(args.duplicates, e) from None
    except WorkerError as e:
        writer.abort()
        print(f"extractor: {e}; what was written is kept for --resume", file=sys.stderr)
        return EXIT_FAILED
    except (OutputError, KeyboardInterrupt, _Terminated) as e:
        killed = not isinstance(e, OutputError)
        writer.abort()
        return _stopped(e, run.n["documents"], args.output)
    except BaseException:
        killed = True
        writer.abort()
        raise
    finally:
        progress.close()
        engine.close(kill=killed)
    return None


def _stopped(e, documents: int, output) -> int:
    """The line and exit code of a run stopped by an output error or a signal."""
    progress_kept = "; rerun with --resume to continue" if output != "-" else ""
    if isinstance(e, OutputError):
        print(f"extractor: {e}; what was written is kept for --resume", file=sys.stderr)
        return EXIT_WRITE
    what = "interrupted" if isinstance(e, KeyboardInterrupt) else "terminated"
    print(f"extractor: {what} after {documents} documents{progress_kept}", file=sys.stderr)
    return EXIT_INTERRUPTED if isinstance(e, KeyboardInterrupt) else EXIT_TERMINATED


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


def code_hash() -> str:
    """Hash of the package's code and data files: a changed extractor changes it even
    when its version number does not (development, a patched install)."""
    root = Path(__file__).resolve().parent.parent     # the whole package
    h = hashlib.blake2b(digest_size=6)
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix not in (".pyc", ".pyo") and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _fingerprint(settings, encoding) -> str:
    """Extractor version + code hash + Settings.fingerprint() (+ --encoding)."""
    from .._version import __version__
    fp = f"{__version__}-{code_hash()}-{settings.fingerprint()}"
    return fp + (f"-{encoding}" if encoding else "")
