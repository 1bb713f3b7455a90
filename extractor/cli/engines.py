"""Engines: ordered, bounded streams of DocResults from the per-document work.

`InlineEngine` (--workers 1), `ProcessEngine` (a local process pool) and `DaskEngine`
(a Dask cluster) run the same chunks of tasks and yield results in document order.
"""
from __future__ import annotations

import itertools
import os
from collections import deque

from ..errors import UsageError, WorkerError
from .worker import _GRACE, _WARM, DocResult, _init_pool, run_chunk


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


def _chunk_size(n_tasks, workers):
    return max(1, min(32, n_tasks // (workers * 8)))


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
            ctx.set_forkserver_preload(["extractor.cli.worker"])
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


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _engine(args, job, workers):
    if args.engine == "dask":
        return DaskEngine(job, workers, args.scheduler)
    if workers == 1:
        return InlineEngine(job)
    return ProcessEngine(job, workers)
