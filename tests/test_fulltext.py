"""The native full-text index on both engines: kept in step, safe with any input, ranked, highlighted."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from claimdb.services.paging import Page
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.search import fulltext
from claimdb.services.search import statements as search
from claimdb.services.search.names import resolve
from claimdb.services.search.statements import SearchFilters

from search_data import World, query_counter

# Every hostile search from /work/shared/acceptance/check_robust.py, plus more of the same.
HOSTILE = ['"', "AND OR NOT (", "*", "' OR 1=1 --", "NEAR(a b", "from=2015-99", "nobody-at-all", "\u202e",
           "a" * 5000, 'kidnapped"', '"kidnapped', "kidnapped*", "^kidnapped", "kidnapped:", "text:kidnapped",
           "{text}: x", "kidnapped NOT", "(((", "a & b | !c", "x <-> y", "'", "\\", "%_", "NEAR(kidnapped, 2)",
           "ّ", "🙂", "SELECT * FROM statement; --"]


def words(session: Session, q: str) -> list[str]:
    found = search.search(session, SearchFilters.from_args({"q": q}), Page())
    return [item["text"] for item in found.results.items]


@pytest.fixture
def world(session: Session) -> World:
    w = World(session)
    w.one = w.statement(w.sources[0], w.nusra, "Hazzm kidnapped four Nusra members")
    w.two = w.statement(w.sources[1], w.hazzm, "Nusra attacked the Hazzm convoy near Atarib")
    return w


def test_index_follows_inserts_updates_and_deletes(session: Session, world: World) -> None:
    assert words(session, "kidnapped") == ["Hazzm kidnapped four Nusra members"]
    lifecycle.update(session, RESOURCES["statements"], world.one["id"],
                   {"version": world.one["version"], "text": "Hazzm abducted four Nusra members"})
    assert words(session, "kidnapped") == [] and words(session, "abducted") == ["Hazzm abducted four Nusra members"]
    lifecycle.delete(session, RESOURCES["statements"], world.one["id"])
    assert words(session, "abducted") == []
    assert words(session, "Atarib") == ["Nusra attacked the Hazzm convoy near Atarib"]


def test_every_word_must_occur_in_any_case_and_accent(session: Session, world: World) -> None:
    assert words(session, "hazzm CONVOY") == ["Nusra attacked the Hazzm convoy near Atarib"]
    assert words(session, "hazzm tanks") == []
    if session.get_bind().dialect.name == "sqlite":  # unicode61 remove_diacritics 2 folds accents
        assert words(session, "Atarïb") == ["Nusra attacked the Hazzm convoy near Atarib"]


def test_ranked_by_relevance(session: Session, world: World) -> None:
    world.statement(world.sources[2], world.sham, "Hazzm, Hazzm and again Hazzm")
    assert words(session, "Hazzm")[0] == "Hazzm, Hazzm and again Hazzm"


# Of HOSTILE: input with no letters or digits (ignored, with a note), and input whose only word is "kidnapped".
NO_WORDS = {'"', "*", "\u202e", "(((", "'", "\\", "%_", "ّ", "🙂"}
JUST_KIDNAPPED = {'kidnapped"', '"kidnapped', "kidnapped*", "^kidnapped", "kidnapped:"}


def test_hostile_words_are_plain_words(session: Session, world: World) -> None:
    """Query syntax is just text: only the words count, and every word must occur."""
    assert set(HOSTILE) > NO_WORDS | JUST_KIDNAPPED
    for typed in HOSTILE:
        for other in ({}, {"speaker": "Nusra"}):
            found = search.search(session, SearchFilters.from_args({"q": typed, **other}), Page())
            if typed in NO_WORDS:
                expected = {world.one["text"]} if other else {world.one["text"], world.two["text"]}
                assert any("no letters or digits" in note for note in found.notes), (typed, found.notes)
            elif typed in JUST_KIDNAPPED:
                expected = {world.one["text"]}
            else:
                expected = set()
            texts = [item["text"] for item in found.results.items]
            assert set(texts) == expected and found.results.total == len(texts), (typed, other, texts)


@pytest.mark.parametrize("typed", ["nul\x00byte", "bell\x07", "\x1b[31m"])
def test_control_characters_are_refused(client_for: Any, app: Any, api_for: Any, typed: str) -> None:
    api = app.test_client().get(f"/api/v1/search?q={quote(typed)}", headers=api_for("viewer"))
    assert api.status_code == 422 and api.content_type.startswith("application/problem+json")
    assert "q" in api.get_json()["errors"]
    assert client_for("viewer").get(f"/search?q={quote(typed)}").status_code == 422


def test_hostile_input_over_http(app: Any, client_for: Any, api_for: Any) -> None:
    with app.app_context():
        from claimdb.db import db
        w = World(db.session)
        w.statement(w.sources[0], w.sham, "Some text")
    page, headers = client_for("viewer"), api_for("viewer")
    api = app.test_client()
    for typed in HOSTILE:
        for name in ("q", "speaker", "faction", "source", "category"):
            got = api.get(f"/api/v1/search?{name}={quote(typed)}", headers=headers)
            assert got.status_code < 500 and (got.status_code == 200 or got.content_type.startswith(
                "application/problem+json")), (name, typed, got.status_code)
        assert page.get(f"/search?q={quote(typed)}").status_code == 200


def test_highlight_cuts_text_into_matching_pieces() -> None:
    pieces = fulltext.highlight('<script>alert("kidnapped")</script> Kidnapped kidnappers', ["kidnapped"])
    assert pieces == [('<script>alert("', False), ("kidnapped", True), ('")</script> ', False),
                      ("Kidnapped", True), (" kidnappers", False)]
    assert fulltext.highlight("Atarīb <b>", ["atarib"]) == [("Atarīb", True), (" <b>", False)]
    assert fulltext.highlight("no terms", []) == [("no terms", False)]


def test_words_are_plain_tokens() -> None:
    assert fulltext.words('NEAR("a" b*) AND x_y OR -z') == ["NEAR", "a", "b", "AND", "x", "y", "OR", "z"]
    assert len(fulltext.words(" ".join(f"w{i}" for i in range(100)))) == fulltext.MAX_WORDS


def test_suspend_and_rebuild(session: Session, world: World) -> None:
    assert fulltext.in_step(session)
    fulltext.suspend(session)
    session.commit()
    late = world.statement(world.sources[0], world.sham, "A late statement about tanks")
    if session.get_bind().dialect.name == "sqlite":
        assert not fulltext.in_step(session) and words(session, "tanks") == []
    fulltext.rebuild(session)
    session.commit()
    assert fulltext.in_step(session)
    assert words(session, "tanks") == ["A late statement about tanks"] and late["id"]
    if session.get_bind().dialect.name == "sqlite":
        # FTS5's integrity-check raises (SQLITE_CORRUPT_VTAB) when the index disagrees with the table.
        session.execute(text("INSERT INTO statement_fts(statement_fts, rank) VALUES ('integrity-check', 1)"))


def test_rebuild_merges_the_names_index_too(session: Session, world: World) -> None:
    """A bulk load adds names one small segment at a time; rebuild() merges them (speaker look-ups)."""
    with query_counter(session) as seen:
        fulltext.rebuild(session)
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        assert "INSERT INTO actor_name_fts(actor_name_fts) VALUES ('optimize')" in seen
        session.execute(text("INSERT INTO actor_name_fts(actor_name_fts, rank) VALUES ('integrity-check', 1)"))
    assert [a.name for a in resolve(session, "qahtani").actors] == ["Abu Maria al-Qahtani"]


def test_demo_words(session: Session, demo: Any) -> None:
    assert words(session, "Sharia courts")
    assert words(session, '"caliphate') and words(session, "AND OR NOT (") == []


def test_words_alone_rank_a_bounded_set(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_CAP", 1)
    found = search.search(session, SearchFilters.from_args({"q": "Nusra"}), Page())
    assert len(found.results.items) == 1 and found.total_capped and found.notes
    # Another filter bounds the work instead: every match is ranked.
    narrowed = search.search(session, SearchFilters.from_args({"q": "Nusra", "from": "1900"}), Page())
    assert narrowed.results.items == [] and not narrowed.total_capped
    both = search.search(session, SearchFilters.from_args({"q": "Nusra", "reliability": "B,C"}), Page())
    assert len(both.results.items) == 2
