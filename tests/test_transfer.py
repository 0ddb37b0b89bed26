"""claimdb/1 import and export: round trips, order independence, all-or-nothing refusals."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import func, select, text

from claimdb.models import Statement
from claimdb.services.exchange import demo, document_import, exports
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES


def export_text(session: Any) -> str:
    return "".join(exports.document_chunks(session))


def small_document() -> dict[str, Any]:
    body = "Nusra said Hazzm kidnapped four members. Sham said Nusra attacked first."
    return {
        "format": "claimdb/1",
        "actors": [{"id": "nusra", "name": "Nusra Front", "kind": "faction",
                    "aliases": [{"name": "Jabhat al-Nusra", "language": "en"}]},
                   {"id": "hazzm", "name": "Hazzm", "kind": "faction"},
                   {"id": "sham", "name": "Mujahed al-Sham", "kind": "person"},
                   {"id": "outlet", "name": "Outlet", "kind": "media", "reliability": "B"}],
        "affiliations": [],
        "sources": [{"id": "src", "title": "Article", "kind": "news_article", "publisher_id": "outlet",
                     "published": "2015-03", "body": body}],
        # the nested statement comes before the one it is reported through: order must not matter
        "statements": [{"id": "inner", "source_id": "src", "speaker_id": "nusra", "reported_by_id": "outer",
                        "text": "Nusra attacked first", "quote_type": "paraphrase", "span": {"start": 52, "end": 72},
                        "claims": [{"claim_id": "attack", "stance": "asserts"}]},
                       {"id": "outer", "source_id": "src", "speaker_id": "sham", "text": "Sham said Nusra attacked",
                        "quote_type": "indirect", "cue": "said", "stated": "2015-03-01"},
                       {"id": "quote", "source_id": "src", "speaker_id": "nusra",
                        "text": "Hazzm kidnapped four members", "quote_type": "direct",
                        "span": {"start": 11, "end": 39}}],
        "claims": [{"id": "attack", "text": "Nusra attacked first", "tags": ["aggression"]}],
        "accusations": [{"id": "acc", "statement_id": "quote", "accused_id": "hazzm", "act": "kidnapping",
                         "category": "kidnapping"}],
        "contradictions": [],
    }


def test_export_carries_spans_as_web_annotation_selectors(session: Any, demo: Any) -> None:
    doc = json.loads(export_text(session))
    assert doc["format"] == "claimdb/1" and len(doc["statements"]) >= 25
    quote = next(s for s in doc["statements"] if s["span"] and s["quote_type"] == "direct")
    selectors = {sel["type"]: sel for sel in quote["target"]["selector"]}
    body = next(s["body"] for s in doc["sources"] if s["id"] == quote["source_id"])
    assert selectors["TextQuoteSelector"]["exact"] == body[quote["span"]["start"]:quote["span"]["end"]]
    assert selectors["TextPositionSelector"]["start"] == quote["span"]["start"]


def test_export_import_export_is_identical(app: Any, session: Any, demo: Any, tmp_path: Any) -> None:
    first = export_text(session)
    # wipe by importing into a fresh database of the same engine
    from claimdb import create_app, migrate
    from claimdb.db import db

    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        other_url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
        migrate.upgrade(other_url)
    else:
        pytest.skip("the SQLite variant covers the byte-for-byte round trip")
    other = create_app({"TESTING": True, "DATABASE_URL": other_url, "SECRET_KEY": "t",
                        "INSTANCE_PATH": str(tmp_path / "i2")})
    with other.app_context():
        document_import.import_document(db.session, json.loads(first))
        assert export_text(db.session) == first
        db.session.remove()
        db.engine.dispose()


def test_import_resolves_references_in_any_order(session: Any) -> None:
    report = document_import.import_document(session, small_document())
    assert report.counts["statements"] == 3
    inner = session.scalar(select(Statement).where(Statement.text == "Nusra attacked first"))
    got = lifecycle.get(session, RESOURCES["statements"], inner.id)
    assert [level["speaker"]["name"] for level in got["chain"]] == ["Mujahed al-Sham", "Nusra Front"]
    source = lifecycle.get(session, RESOURCES["sources"], got["source_id"])
    assert source["reliability"] == "B"  # inherited from the publisher
    accusation = lifecycle.list_json(session, RESOURCES["accusations"], {}, lifecycle.Page())
    assert accusation.items[0]["accuser_id"] == got["speaker_id"]  # defaults to the speaker


BREAKAGES = [
    ("statements", 2, "text", lambda d: d["statements"][2].update(text="not what the span says")),
    ("statements", 0, "reported_by_id", lambda d: d["statements"][0].update(reported_by_id="nowhere")),
    ("statements", 1, "quote_type", lambda d: d["statements"][1].update(quote_type="rumour")),
    ("statements", 2, "span", lambda d: d["statements"][2].update(span={"start": 5, "end": 9999})),
    ("actors", 1, "name", lambda d: d["actors"][1].update(name="nul\u0000byte")),
    ("accusations", 0, "accused_id", lambda d: d["accusations"][0].update(accused_id="nusra")),
    ("sources", 0, "published", lambda d: d["sources"][0].update(published="2015-02-30")),
    ("actors", 2, "id", lambda d: d["actors"][2].update(id="nusra")),
]


@pytest.mark.parametrize("section,index,field,breakage", BREAKAGES, ids=[f"{b[0]}.{b[2]}" for b in BREAKAGES])
def test_a_bad_record_refuses_the_whole_file(session: Any, section: str, index: int, field: str,
                                             breakage: Any) -> None:
    doc = small_document()
    breakage(doc)
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert any(p.section == section and p.index == index and p.field.startswith(field)
               for p in refused.value.problems), refused.value.problems
    assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_every_problem_is_reported_at_once(session: Any) -> None:
    doc = small_document()
    doc["statements"][1]["quote_type"] = "rumour"
    doc["claims"][0]["status"] = "maybe"
    doc["actors"][0]["kind"] = "wizard"
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert {(p.section, p.field) for p in refused.value.problems} >= {
        ("statements", "quote_type"), ("claims", "status"), ("actors", "kind")}


def test_loops_in_reporting_chains_are_refused(session: Any) -> None:
    doc = small_document()
    doc["statements"][1]["reported_by_id"] = "inner"
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert any(p.field == "reported_by_id" for p in refused.value.problems)


def test_import_into_a_database_with_records_gets_new_ids(session: Any, demo: Any) -> None:
    before = session.scalar(select(func.count()).select_from(Statement))
    document_import.import_document(session, small_document())
    assert session.scalar(select(func.count()).select_from(Statement)) == before + 3


def test_not_a_claimdb_document(session: Any) -> None:
    for bad in ([], {"format": "other/1"}, {"format": "claimdb/1", "actors": {}}, {"format": "claimdb/1", "x": []}):
        with pytest.raises(document_import.ImportRefused):
            document_import.import_document(session, copy.deepcopy(bad))


def test_demo_is_idempotent_and_complete(session: Any) -> None:
    assert demo.load(session) is not None
    snapshot = export_text(session)
    assert demo.load(session) is None
    assert export_text(session) == snapshot
    doc = json.loads(snapshot)
    body = doc["sources"][0]["body"]
    for st in doc["statements"]:
        if st["span"]:
            assert st["target"]["selector"][1]["exact"] == body[st["span"]["start"]:st["span"]["end"]]
    assert sum(1 for st in doc["statements"] if st["reported_by_id"]) >= 2
    assert any(st["hedge"] for st in doc["statements"])
    aliases = {a["name"] for actor in doc["actors"] for a in actor["aliases"]}
    assert "Levant Force" in aliases and "Jabhat al-Nusra" in aliases


def test_a_bulk_import_keeps_indexes_and_full_text_in_step(session: Any, database_url: str) -> None:
    """Big files take the bulk path (indexes and the full-text index rebuilt once): nothing may drift."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from claimdb.db import Base
    from claimdb.migrate import include_name, include_object
    from claimdb.services.search import fulltext
    from claimdb.services.search import statements as search

    doc = small_document()
    body = doc["sources"][0]["body"]
    doc["statements"] += [{"id": f"bulk{n}", "source_id": "src", "speaker_id": "sham", "text": f"convoy number {n}",
                           "quote_type": "paraphrase", "claims": [{"claim_id": "attack", "stance": "asserts"}]}
                          for n in range(1200)]
    document_import.import_document(session, doc)
    assert body and fulltext.in_step(session)
    found = search.search(session, search.SearchFilters.from_args({"q": "convoy"}), lifecycle.Page(1, 5))
    assert found.results.total >= 1200
    context = MigrationContext.configure(session.connection(), opts={
        "include_name": include_name, "include_object": include_object, "compare_type": True})
    assert compare_metadata(context, Base.metadata) == []


def quote_target(exact: str, **context: str) -> dict[str, Any]:
    return {"selector": {"type": "TextQuoteSelector", "exact": exact, **context}}


def import_with_target(session: Any, index: int, target: Any, *, keep_span: bool = False) -> Statement:
    """small_document with statements[index] located by `target` (its span dropped unless kept)."""
    doc = small_document()
    statement = doc["statements"][index]
    if not keep_span:
        statement.pop("span", None)
    statement["target"] = target
    document_import.import_document(session, doc)
    return session.scalar(select(Statement).where(Statement.text == statement["text"]))


def refusal_at_target(session: Any, index: int, target: Any, *, keep_span: bool = False) -> str:
    with pytest.raises(document_import.ImportRefused) as refused:
        import_with_target(session, index, target, keep_span=keep_span)
    messages = [p.message for p in refused.value.problems if (p.section, p.index, p.field) == ("statements", index,
                                                                                                "target")]
    assert len(messages) == 1, refused.value.problems
    assert session.scalar(select(func.count()).select_from(Statement)) == 0
    return messages[0]


def test_a_statement_located_by_its_quoted_text(session: Any) -> None:
    quote = import_with_target(session, 2, quote_target("Hazzm kidnapped four members"))
    assert (quote.span_start, quote.span_end, quote.span_quote) == (11, 39, "Hazzm kidnapped four members")
    assert quote.span_prefix == "Nusra said " and quote.span_suffix.startswith(". Sham said")


def test_a_quoted_text_not_in_the_body_is_refused(session: Any) -> None:
    message = refusal_at_target(session, 2, quote_target("Hazzm kidnapped five members"))
    assert "not found" in message and "Hazzm kidnapped five members" in message


def test_a_quoted_text_found_twice_asks_for_context(session: Any) -> None:
    message = refusal_at_target(session, 0, quote_target("Nusra"))
    assert "occurs 2 times; add a prefix or suffix" in message


def test_a_prefix_or_suffix_picks_out_one_occurrence(session: Any) -> None:
    by_prefix = import_with_target(session, 0, quote_target("Nusra", prefix="Sham said "))
    assert (by_prefix.span_start, by_prefix.span_end, by_prefix.span_quote) == (51, 56, "Nusra")


def test_a_suffix_picks_out_one_occurrence_and_a_wrong_context_finds_nothing(session: Any) -> None:
    assert "not found" in refusal_at_target(session, 0, quote_target("Nusra", prefix="Hazzm said "))
    by_suffix = import_with_target(session, 0, quote_target("Nusra", suffix=" said Hazzm"))
    assert (by_suffix.span_start, by_suffix.span_end) == (0, 5)


def test_a_span_and_a_selector_must_agree(session: Any) -> None:
    message = refusal_at_target(session, 2, quote_target("Sham said"), keep_span=True)
    assert "does not agree with the span 11–39" in message
    agreeing = quote_target("Hazzm kidnapped four members", prefix="said ")
    assert import_with_target(session, 2, agreeing, keep_span=True).span_start == 11


def test_a_position_selector_must_agree_with_the_quote(session: Any) -> None:
    quote = quote_target("Hazzm kidnapped four members")["selector"]
    target = {"selector": [{"type": "TextPositionSelector", "start": 41, "end": 69}, quote]}
    assert "does not agree" in refusal_at_target(session, 2, target)


def test_a_malformed_span_is_reported_not_replaced_by_the_selector(session: Any) -> None:
    doc = small_document()
    doc["statements"][2].update(span="11-39", target=quote_target("Hazzm kidnapped four members"))
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert [(p.index, p.field) for p in refused.value.problems] == [(2, "span")]


@pytest.mark.parametrize("target", [
    "Hazzm kidnapped four members",
    {"selector": []},
    {"selector": {"type": "RangeSelector"}},
    {"selector": {"type": "TextQuoteSelector", "exact": ""}},
    {"selector": {"type": "TextQuoteSelector", "exact": "Hazzm", "colour": "red"}},
    {"selector": {"type": "TextQuoteSelector", "exact": "Hazzm kidnapped"}, "source": "elsewhere"},
], ids=["string", "no-selector", "unknown-type", "empty-quote", "unknown-field", "other-source"])
def test_a_malformed_target_is_refused(session: Any, target: Any) -> None:
    assert refusal_at_target(session, 2, target)


def test_imported_names_are_indexed_as_their_triggers_would_index_them(session: Any) -> None:
    """The import fills the names' trigram index in one go after the rows (search.name_index), not
    by a trigger per row: the index must read exactly as the triggers write it, and the triggers
    must be back for the names added next."""
    from claimdb.services.search import names

    document_import.import_document(session, small_document())
    lifecycle.create(session, RESOURCES["actors"], {"name": "Levant Front", "kind": "faction",
                                                    "aliases": [{"name": "Jabhat al-Shamiya"}]})
    found = {actor.name for part in ("nusr", "shamiya", "levant") for actor in names.resolve(session, part).actors}
    assert found == {"Nusra Front", "Levant Front"}
    if session.get_bind().dialect.name == "sqlite":
        indexed = session.execute(text("SELECT rowid, actor_id, name FROM actor_name_fts ORDER BY rowid")).all()
        expected = session.execute(text("SELECT 2 * id, id, normalized FROM actor UNION ALL "
                                        "SELECT 2 * id + 1, actor_id, normalized FROM actor_alias ORDER BY 1")).all()
        assert indexed == expected and len(expected) == 7
