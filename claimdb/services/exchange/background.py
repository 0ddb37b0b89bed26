"""Writes that run on one worker thread, in the order given, while the import checks the next records.

SQLite inserts and PostgreSQL's COPY spend most of their time in the engine's C code (or server), which
runs without Python's global lock: on a second core it overlaps with the checking of the next chunk
instead of following it. The connection is used by one thread at a time: the import hands it to the
worker for a chunk and waits for the worker (drain) before it uses the connection itself again.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

PENDING = 1  # chunks waiting beside the one being written: bounds the memory the rows take


class Background:
    """One worker thread, started on the first submit. After a write fails the rest are skipped and
    drain() raises that first error in the caller's thread."""

    def __init__(self) -> None:
        self.jobs: queue.Queue[Callable[[], Any] | None] = queue.Queue(maxsize=PENDING)
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.idle = threading.Event()
        self.idle.set()
        self.waiting = 0
        self.lock = threading.Lock()
        self.cancelled = False

    def submit(self, job: Callable[[], Any]) -> None:
        if self.error is not None:
            self.drain()
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name="claimdb-import-writer", daemon=True)
            self.thread.start()
        with self.lock:
            self.waiting += 1
            self.idle.clear()
        self.jobs.put(job)

    def drain(self) -> None:
        """Wait until every submitted write is done; raise the first write's error, if any."""
        self.idle.wait()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self) -> None:
        """Stop the worker: the write under way ends, writes still waiting are skipped (on the normal
        path drain() has already waited for them; on an error they would be rolled back anyway)."""
        if self.thread is not None:
            self.cancelled = True
            self.jobs.put(None)
            self.thread.join()
            self.thread = None
            self.cancelled = False  # a later submit starts a new worker

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                if self.error is None and not self.cancelled:
                    job()
            except BaseException as e:  # handed to the caller's thread by drain()
                self.error = e
            finally:
                with self.lock:
                    self.waiting -= 1
                    if not self.waiting:
                        self.idle.set()
