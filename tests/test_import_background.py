"""The import writes its chunks on a worker thread (exchange/background.py) while it checks the next
records: writes run in the order given, a failed write reaches the import's own thread, and nothing of
a failed import stays written."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from test_scale import document

from claimdb.models import Statement
from claimdb.services.exchange import bulkload, document_import
from claimdb.services.exchange.background import Background


def test_writes_run_in_order_on_one_other_thread() -> None:
    background, done, threads = Background(), [], set()

    def job(n: int) -> Any:
        return lambda: (done.append(n), threads.add(threading.get_ident()))

    for n in range(20):
        background.submit(job(n))
    background.drain()
    assert done == list(range(20))
    assert len(threads) == 1 and threading.get_ident() not in threads
    background.close()


def test_a_failed_write_is_raised_in_the_callers_thread_and_the_rest_are_skipped() -> None:
    background, done = Background(), []

    def fail() -> None:
        raise OSError("disk full")

    background.submit(lambda: done.append(1))
    background.submit(fail)
    background.submit(lambda: done.append(3))
    with pytest.raises(OSError, match="disk full"):
        background.drain()
    assert done == [1]
    background.drain()  # the error is raised once
    background.close()


def test_a_chunk_that_fails_in_the_engine_leaves_nothing_written(session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulkload, "CHUNK_ROWS", 30)  # earlier chunks are written before the failing one
    write = bulkload.RowWriter._write
    calls = {"statement": 0}

    def flaky(writer: bulkload.RowWriter, connection: Any, rows: list[tuple[Any, ...]]) -> None:
        if writer.table == "statement":
            calls["statement"] += 1
            if calls["statement"] == 3:
                raise OperationalError("INSERT INTO statement", None, Exception("database or disk is full"))
        write(writer, connection, rows)

    monkeypatch.setattr(bulkload.RowWriter, "_write", flaky)
    with pytest.raises(OperationalError, match="disk is full"):
        document_import.import_document(session, document(200))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
    monkeypatch.setattr(bulkload.RowWriter, "_write", write)
    document_import.import_document(session, document(200))  # the connection is sound afterwards
    assert session.scalar(select(func.count()).select_from(Statement)) == 200
