"""What keeps a batch run's output whole: the lock on OUT, writer errors as OutputError,
SIGTERM as an exception the run loop handles."""
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from ..errors import Locked, OutputError, shown


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
