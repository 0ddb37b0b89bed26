"""Checking spread over forked processes, results taken back in order.

Checking a statement is pure Python, so one process checks at one core's speed however many the
machine has. A forked child starts with everything the first pass and the earlier sections built
(ids, references, source bodies) without copying or pickling it; it reads its own part of the file
again and sends back rows ready to write. The parent writes them in order, so ids and problems come
out exactly as from one process. Children never touch the parent's database connection.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

AHEAD = 2  # results each child may have ready before the parent takes them: bounds their memory

_work: Callable[[Any], Any] | None = None  # set before the fork; children inherit it


def _call(job: Any) -> Any:
    assert _work is not None
    return _work(job)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def in_order(work: Callable[[Job], Result], jobs: Sequence[Job], *, processes: int | None = None) -> Iterator[Result]:
    """work(job) for every job, in the jobs' order: in forked children on Linux when there are several
    cores and jobs and this is the process's only thread (a fork copies only the calling thread, so a
    lock another thread held would stay held in the child); else here."""
    global _work
    processes = min(processes or cores(), len(jobs))
    if processes < 2 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        # One core; no fork (Windows), or one that macOS's system libraries do not survive; or other
        # threads (a web server's): here.
        yield from map(work, jobs)
        return
    _work = work
    pool = multiprocessing.get_context("fork").Pool(processes)
    try:
        waiting = iter(jobs)
        pending = deque(pool.apply_async(_call, (job,)) for job in islice(waiting, processes * AHEAD))
        while pending:
            result = pending.popleft().get()
            for job in waiting:
                pending.append(pool.apply_async(_call, (job,)))
                break
            yield result
    finally:
        pool.terminate()
        pool.join()
        _work = None
