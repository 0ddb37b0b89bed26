"""The claimdb/1 import reads its file incrementally: memory does not follow the file's size, the
reader agrees with json.load at any window size, the quick statement check accepts only what the
schema accepts, and PostgreSQL's COPY path writes the same rows as SQLite."""

from __future__ import annotations

import json
import os
import shutil
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from test_scale import document

from claimdb import create_app
from claimdb.db import db
from claimdb.models import Statement
from claimdb.services.exchange import bulkload, document_import, fastcheck, forked, reader


def write(tmp_path: Path, doc: Any, name: str = "doc.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)


def read_all(path: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in reader.InFile(path).members():
        found[name] = list(value.items) if isinstance(value, reader.Section) else value
    return found


@pytest.mark.parametrize("window", [1, 7, 64, 1 << 20])
def test_the_reader_agrees_with_json_load_at_any_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       window: int) -> None:
    monkeypatch.setattr(reader, "CHUNK", window)
    doc = {"format": "claimdb/1", "odd": {"n": [1, 2.5e-3, -0, True, None]}, "actors": [], "sources": [
        {"id": 12345678901234567890, "body": "é" * 300 + "\u2028\"\\ \U0001f600", "x": [[], {}]}],
        "statements": [{"id": f"t{n}", "text": "ü" * n} for n in range(40)], "claims": [1, "two", None]}
    path = write(tmp_path, doc)
    assert read_all(path) == doc
    sections = reader.InFile(path)
    assert [name for name, _ in sections.members()] == list(doc)
    assert list(sections.records("statements")) == doc["statements"]
    assert list(sections.records("claims")) == doc["claims"]


@pytest.mark.parametrize("broken", ['{"format": "claimdb/1", "actors": [{"id": 1},]}', '{"actors": [1 2]}',
                                    '{"actors": []} []', '{"actors": [{"id": "a', "", '\xff{}'])
def test_unreadable_files_are_refused_with_a_reason(session: Any, tmp_path: Path, broken: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(broken.encode("utf-8") if not broken.startswith("\xff") else b"\xff{}")
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_file(session, str(path))
    [problem] = refused.value.problems
    assert (problem.section, problem.field) == ("file", "body")
    assert problem.message.startswith("Not a readable JSON file")


def test_the_file_is_never_loaded_whole(session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the import decoded the whole document")

    path = write(tmp_path, document(60))
    monkeypatch.setattr(json, "load", refuse)
    monkeypatch.setattr(json, "loads", refuse)
    report = document_import.import_file(session, path)
    assert report.counts["statements"] == 60


def peak_of_import(app_factory: Any, path: str) -> int:
    app = app_factory()
    with app.app_context():
        tracemalloc.start()
        try:
            document_import.import_file(db.session, path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()


def test_memory_does_not_follow_the_file(tmp_path: Path, request: pytest.FixtureRequest,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight times the file: the peak grows by far less than the file (what grows is the ids and a few
    ints per statement, not the records; json.load's peak grew by more than the file itself)."""
    monkeypatch.setattr(reader, "CHUNK", 1 << 14)
    monkeypatch.setattr(bulkload, "CHUNK_ROWS", 200)
    monkeypatch.setattr(document_import, "PART", 200)  # rows of a part of statements are held until written
    # Checked here, not in forked children: this process then does all the work (the peak counts it),
    # and how many parts forked children have sent ahead does not depend on the timing.
    monkeypatch.setattr(forked, "cores", lambda: 1)
    peaks, sizes = [], []
    for n in (500, 4000):
        doc = document(n, seed=n)
        for st in doc["statements"]:
            st["cue"], st["hedge"] = "said " + "x" * 400, "y" * 450  # records heavier than their ids
        path = write(tmp_path, doc, f"doc{n}.json")
        sizes.append(os.path.getsize(path))
        target = tmp_path / f"db{n}.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)

        def factory(target: Path = target) -> Any:
            return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{target}", "SECRET_KEY": "t",
                               "INSTANCE_PATH": str(tmp_path / "i")})

        peaks.append(peak_of_import(factory, path))
    assert sizes[1] / sizes[0] > 7
    assert peaks[1] - peaks[0] < 0.5 * (sizes[1] - sizes[0]), (peaks, sizes)


def test_a_statement_may_come_before_the_one_it_is_reported_through(session: Any) -> None:
    doc = document(40)
    doc["statements"][3]["reported_by_id"] = "t9"
    doc["statements"][9]["reported_by_id"] = "t12"
    document_import.import_document(session, doc)
    reporter = {text_: by for text_, by in session.execute(
        select(Statement.text, Statement.reported_by_id))}
    ids = {text_: id_ for id_, text_ in session.execute(select(Statement.id, Statement.text))}
    texts = [st["text"] for st in doc["statements"]]
    assert reporter[texts[3]] == ids[texts[9]] and reporter[texts[9]] == ids[texts[12]]


def test_a_bad_record_late_in_a_big_file_leaves_nothing_written(session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulkload, "CHUNK_ROWS", 50)  # earlier chunks are written before the bad record is read
    doc = document(400)
    doc["statements"][390]["quote_type"] = "rumour"
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert [(p.section, p.index, p.field) for p in refused.value.problems] == [("statements", 390, "quote_type")]
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
    document_import.import_document(session, document(40))  # the session is usable afterwards
    assert session.scalar(select(func.count()).select_from(Statement)) == 40


def test_check_constraints_are_proved_once_after_the_rows_and_enforced_again_afterwards(
        session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite writes the import's rows without a CHECK per row (bulkload.checks_deferred) and tests them
    with one query per table after: a row that broke a rule is refused with the rule's name, and the
    connection enforces every constraint again once the import is over."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL checks every copied row itself")
    write = bulkload.RowWriter._write

    def corrupt(writer: bulkload.RowWriter, connection: Any, rows: list[tuple[Any, ...]]) -> None:
        if writer.table == "statement":  # a quote type no rule of the import lets through
            rows = [(*row[:5], "rumour", *row[6:]) if row[0] % 7 == 3 else row for row in rows]
        write(writer, connection, rows)

    monkeypatch.setattr(bulkload.RowWriter, "_write", corrupt)
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, document(40))
    [problem] = refused.value.problems
    assert (problem.section, problem.index, problem.field) == ("statements", 2, "body")
    assert "ck_statement_quote_type_valid" in problem.message
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
    monkeypatch.setattr(bulkload.RowWriter, "_write", write)
    document_import.import_document(session, document(40))
    statement_id = session.scalar(select(func.min(Statement.id)))
    with pytest.raises(IntegrityError, match="CHECK constraint failed"):
        session.execute(text("UPDATE statement SET quote_type = 'rumour' WHERE id = :id"),
                        {"id": statement_id})
    session.rollback()


BODY = "They attacked. Then they left the town."
GOOD: dict[str, Any] = {
    "id": "s1", "source_id": "src", "speaker_id": "a", "reported_by_id": None, "text": "They attacked.",
    "quote_type": "direct", "cue": "said", "hedge": None, "stated": "2015-02", "span": {"start": 0, "end": 14},
    "credibility": 3, "claims": [{"claim_id": "c5", "stance": "denies", "certainty": "probable"},
                                 {"claim_id": "c6", "stance": "asserts"}]}
QUOTE = {"type": "TextQuoteSelector", "exact": "They attacked."}
VARIANTS: list[dict[str, Any]] = [
    {}, {"stated": "2015-02-30"}, {"stated": "2015-2"}, {"stated": "2015\n"}, {"stated": ["2015"]},
    {"text": " \u200b", "quote_type": "paraphrase"}, {"text": ""}, {"text": "a\x00b"}, {"text": "They attacked!"},
    {"text": "ok\n", "quote_type": "paraphrase"}, {"text": "x" * 20_001}, {"cue": "c" * 501}, {"cue": "\x07"},
    {"source_id": True}, {"source_id": 0}, {"source_id": "nope"}, {"source_id": 1.0}, {"source_id": None},
    {"speaker_id": 2**31}, {"speaker_id": ["a"]}, {"reported_by_id": 1.0}, {"reported_by_id": "s0"},
    {"reported_by_id": "s2"}, {"reported_by_id": "s1"}, {"reported_by_id": "elsewhere"},
    {"quote_type": "rumour"}, {"quote_type": ["direct"]}, {"span": {"start": 0}},
    {"span": {"start": 0, "end": 1, "x": 1}}, {"span": {"start": -1, "end": 3}}, {"span": [0, 3]}, {"span": None},
    {"span": {"start": 5, "end": 99}}, {"span": {"start": 3, "end": 3}}, {"credibility": 7}, {"credibility": False},
    {"claims": None}, {"claims": [{"claim_id": "c5"}]}, {"claims": [{"claim_id": "c5", "stance": "asserts",
    "certainty": None}]}, {"claims": [5]}, {"claims": [{"claim_id": "c5", "stance": "asserts"}] * 2},
    {"claims": [{"claim_id": "c9", "stance": "asserts"}]}, {"claims": [{"stance": "asserts"}]}, {"extra": 1},
    {"hedge": "maybe"}, {"version": 4, "chain": []}, {"target": {"selector": QUOTE}, "span": None},
    {"target": {"selector": QUOTE, "source": "src"}}, {"target": {"selector": QUOTE, "source": "other"}},
    {"target": {"selector": {"type": "TextQuoteSelector", "exact": "Then"}}},
    {"target": {"selector": {"type": "TextQuoteSelector", "exact": "nowhere"}}, "span": None},
    {"target": {"selector": QUOTE}, "span": {"start": 1}}, {"target": "They attacked."},
]


def lane_document(change: dict[str, Any]) -> dict[str, Any]:
    """A statement (GOOD with the change) among others it may refer to: s0 reports nothing, s2 comes
    after it in the same source, "elsewhere" is in another source."""
    statement = {**GOOD, **change}
    return {"format": "claimdb/1",
            "actors": [{"id": "a", "name": "A", "kind": "faction"}, {"id": 1, "name": "One", "kind": "person"}],
            "sources": [{"id": "src", "title": "T", "kind": "news_article", "body": BODY},
                        {"id": "src2", "title": "U", "kind": "news_article", "body": "Other."}],
            "statements": [{"id": "s0", "source_id": "src", "speaker_id": "a", "text": "Then",
                            "quote_type": "paraphrase"},
                           statement,
                           {"id": "s2", "source_id": "src", "speaker_id": "a", "text": "left",
                            "quote_type": "paraphrase"},
                           {"id": "elsewhere", "source_id": "src2", "speaker_id": "a", "text": "Other",
                            "quote_type": "paraphrase"}],
            "claims": [{"id": "c5", "text": "Five"}, {"id": "c6", "text": "Six"}]}



def outcome(session: Any, doc: dict[str, Any]) -> Any:
    """The rows the import writes, or the problems it reports; nothing stays written."""
    try:
        document_import.load(session, reader.InMemory(doc))
    except document_import.ImportRefused as refused:
        session.rollback()
        return [str(p) for p in refused.problems]
    rows = {table: session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
            for table in ("statement", "statement_claim")}
    session.rollback()
    return rows


@pytest.mark.parametrize("change", VARIANTS, ids=[str(sorted(v.items()))[:40] for v in VARIANTS])
def test_the_fast_lane_writes_what_the_slow_way_writes(session: Any, monkeypatch: pytest.MonkeyPatch,
                                                       change: dict[str, Any]) -> None:
    """Every variant: the same rows, or the same problems, with the fast lane as without it."""
    doc = lane_document(change)
    taken = []
    rows = fastcheck.StatementRows.rows

    def counted(self: fastcheck.StatementRows, record: Any) -> Any:
        found = rows(self, record)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(fastcheck.StatementRows, "rows", counted)
    fast = outcome(session, doc)
    monkeypatch.setattr(fastcheck.StatementRows, "rows", lambda _self, _record: None)
    assert outcome(session, doc) == fast
    plain = set(change) <= {"hedge", "version", "chain", "span", "target", "reported_by_id"}
    if not change or (plain and isinstance(fast, dict) and change.get("reported_by_id") != 1.0):
        assert taken[1], "the common statement takes the fast lane"


TABLES = ("actor", "actor_alias", "affiliation", "source", "statement", "statement_claim", "claim", "claim_tag",
          "accusation", "contradiction", "report_claim", "report_contradiction")


def test_postgresql_copies_the_same_rows_as_sqlite(tmp_path: Path, both_engines: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_url, pg_url = both_engines
    doc = document(1100)  # the bulk path: indexes and foreign keys dropped and built again
    doc["statements"][5]["claims"] = [{"claim_id": "c1", "stance": "denies"}]
    doc["claims"] = [{"id": "c1", "text": "A claim", "occurred": "2015-03-01", "tags": ["x", " x"]},
                     {"id": "c2", "text": "Another"}]
    doc["contradictions"] = [{"id": "k", "claim_a_id": "c1", "claim_b_id": "c2", "kind": "incompatible"}]
    doc["accusations"] = [{"id": "x", "statement_id": "t5", "accused_id": "a1", "act": "shelling"}]
    path = write(tmp_path, doc)
    statements: list[str] = []
    real_flush = bulkload.RowWriter.flush

    def flush(self: bulkload.RowWriter) -> None:
        statements.append(self.sql.split(" ", 1)[0])
        real_flush(self)

    monkeypatch.setattr(bulkload.RowWriter, "flush", flush)
    dumps = []
    for url in (sqlite_url, pg_url):
        statements.clear()
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t",
                          "INSTANCE_PATH": str(tmp_path / "i")})
        with app.app_context():
            document_import.import_file(db.session, path)
            assert set(statements) == ({"COPY"} if url == pg_url else {"INSERT"})
            dump = {}
            for table in TABLES:
                rows = db.session.execute(text(f"SELECT * FROM {table}")).mappings().all()
                dump[table] = sorted(repr(sorted((k, str(v)) for k, v in row.items())) for row in rows)
            dumps.append(dump)
            db.session.remove()
            db.engine.dispose()
    for table in TABLES:
        assert dumps[0][table] == dumps[1][table], table
