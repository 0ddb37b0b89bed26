"""The import writes its chunks on a worker thread (exchange/background.py) while it checks the next
records: writes run in the order given, a failed write reaches the import's own thread, and nothing of
a failed import stays written."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from test_scale import document

from claimdb.models import Statement
from claimdb.services.exchange import bulkload, document_import, forked, reader
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
    monkeypatch.setattr(document_import, "PART", 25)
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


@pytest.mark.parametrize("window", [5, 64, 1 << 20])
def test_a_section_is_read_again_from_any_mark(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    monkeypatch.setattr(reader, "CHUNK", window)
    doc = {"format": "claimdb/1", "statements": [{"id": n, "text": "é" * (n % 9), "x": [n, {"y": None}]}
                                                 for n in range(50)], "claims": []}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=n_indent(window)), encoding="utf-8")
    document = reader.InFile(str(path))
    marks = []
    for name, value in document.members():
        if name == "statements":
            for n, _record in enumerate(value.items, 1):
                marks.append((n, value.where()))
    for n, mark in marks:
        assert list(document.records("statements", n, mark)) == doc["statements"][n:]


def n_indent(window: int) -> int | None:
    return None if window == 5 else 1


@pytest.fixture(params=[1, 3], ids=["in process", "forked"])
def in_parts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 7 records, checked in this process or in three forked children."""
    monkeypatch.setattr(document_import, "PART", 7)
    monkeypatch.setattr(forked, "cores", lambda: request.param)


def rows(session: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {table: [tuple(r) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
            for table in ("statement", "statement_claim")}


@pytest.mark.usefixtures("in_parts")
def test_statements_checked_in_forked_parts_are_written_as_from_one_process(session: Any) -> None:
    doc = document(100)
    doc["claims"] = [{"id": "c1", "text": "One"}, {"id": "c2", "text": "Two"}]
    for n, statement in enumerate(doc["statements"]):
        statement["claims"] = [{"claim_id": "c1" if n % 2 else "c2", "stance": "asserts"}]
    doc["statements"][2]["reported_by_id"] = "t18"  # listed before its reporter: set after every part
    try:
        document_import.import_document(session, doc)
    except document_import.ImportRefused as e:
        raise AssertionError(e.problems) from None
    found = rows(session)
    assert len(found["statement"]) == 100 and len(found["statement_claim"]) == 100
    reporter = {r[0]: r[3] for r in found["statement"]}
    assert reporter[3] == 19
    session.rollback()


@pytest.mark.usefixtures("in_parts")
def test_problems_of_every_part_come_back_in_file_order(session: Any) -> None:
    doc = document(60)
    for n in (58, 3, 30, 31):
        doc["statements"][n]["quote_type"] = "rumour"
    doc["statements"][20]["span"] = {"start": 0, "end": 10 ** 6}
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert [(p.index, p.field) for p in refused.value.problems] == [
        (3, "quote_type"), (30, "quote_type"), (31, "quote_type"), (58, "quote_type")]
    assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_parts_are_checked_in_other_processes_only_when_this_is_the_only_thread() -> None:
    jobs = list(range(8))
    pids = list(forked.in_order(lambda job: (job, os.getpid()), jobs, processes=2))
    assert [job for job, _pid in pids] == jobs
    assert os.getpid() not in {pid for _job, pid in pids}
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert {pid for _job, pid in forked.in_order(lambda job: (job, os.getpid()), jobs, processes=2)} == {
            os.getpid()}
    finally:
        stop.set()
        other.join()


def test_postgresql_has_statistics_before_the_report_tables_are_computed(
        session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Planned without statistics, the claims' rebuild took 18 s of a 200k import instead of 1.5 s."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite plans the rebuild without statistics")
    from claimdb.services.exchange import import_records

    refresh, seen = import_records.report_tables.refresh_for, []

    def spy(s: Any, **kwargs: Any) -> None:
        seen.append(s.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'statement_claim'")))
        refresh(s, **kwargs)

    monkeypatch.setattr(import_records.report_tables, "refresh_for", spy)
    doc = document(60)
    doc["claims"] = [{"id": "c1", "text": "One"}]
    doc["statements"][0]["claims"] = [{"claim_id": "c1", "stance": "asserts"}]
    document_import.import_document(session, doc)
    assert seen == [1]


def claims_and_accusations(n: int) -> dict[str, Any]:
    """document(n) with claims (tagged) and accusations enough for several parts of 7 each."""
    doc = document(n)
    doc["claims"] = [{"id": f"c{k}", "text": f"Claim {k}", "occurred": "2015-03" if k % 2 else None,
                      "tags": [" shelling", "shelling", f"t{k % 3}"]} for k in range(30)]
    doc["accusations"] = [{"id": f"x{k}", "statement_id": f"t{k}", "accused_id": f"a{(k + 1) % 12}",
                           "act": "shelled the market", "category": " shelling ", "claim_id": f"c{k % 30}"}
                          for k in range(0, n, 3)]
    for k, statement in enumerate(doc["statements"]):
        statement["speaker_id"] = f"a{k % 12}"  # never the one accused above
    return doc


@pytest.mark.usefixtures("in_parts")
def test_claims_and_accusations_checked_in_parts_are_written_as_from_one_process(session: Any) -> None:
    document_import.import_document(session, claims_and_accusations(60))
    claims = session.execute(text("SELECT id, text, occurred FROM claim ORDER BY id")).all()
    tags = session.execute(text("SELECT claim_id, tag FROM claim_tag ORDER BY claim_id, tag")).all()
    accusations = session.execute(text(
        "SELECT a.id, a.accuser_id, s.speaker_id, a.category, a.claim_id "
        "FROM accusation a JOIN statement s ON s.id = a.statement_id ORDER BY a.id")).all()
    assert [c.text for c in claims] == [f"Claim {k}" for k in range(30)]
    assert len(tags) == 60 and {t.tag for t in tags} == {"shelling", "t0", "t1", "t2"}
    assert len(accusations) == 20
    assert all(a.accuser_id == a.speaker_id and a.category == "shelling" for a in accusations)
    assert [a.claim_id for a in accusations] == [claims[k % 30].id for k in range(0, 60, 3)]
    session.rollback()


@pytest.mark.usefixtures("in_parts")
def test_problems_of_claims_and_accusations_in_parts_come_back_in_file_order(session: Any) -> None:
    doc = claims_and_accusations(60)
    doc["claims"][25]["status"] = "rumoured"
    doc["claims"][3]["text"] = ""
    doc["accusations"][17]["accused_id"] = doc["statements"][51]["speaker_id"]  # accuses the speaker
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert [(p.section, p.index, p.field) for p in refused.value.problems] == [
        ("claims", 3, "text"), ("claims", 25, "status")]  # the rules across records come once these are fixed
    doc["claims"][25]["status"], doc["claims"][3]["text"] = "disputed", "Fixed"
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert [(p.section, p.index, p.field) for p in refused.value.problems] == [("accusations", 17, "accused_id")]
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
