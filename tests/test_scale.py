"""Bounded work at scale: query counts of the main pages, capped totals, bounded name matches, one
token lookup per request, the same answers on both engines, refused re-imports and bad sheets."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from claimdb import create_app
from claimdb.db import db
from claimdb.models import Source, Statement
from claimdb.services import paging
from claimdb.services.exchange import document_import, spreadsheet
from claimdb.services.paging import Page
from claimdb.services.search import names
from claimdb.services.search import statements as search
from claimdb.services.search.names import MAX_MATCHES, resolve
from claimdb.services.search.statements import SearchFilters

from search_data import query_counter

WORDS = ["convoy", "hospital", "ceasefire", "drone", "prisoners", "checkpoint", "bridge", "market"]


def document(n: int, *, seed: int = 5, people: int = 12) -> dict[str, Any]:
    """A small claimdb/1 file shaped like the acceptance generator's (gen_scale.py)."""
    rng = random.Random(seed)
    actors = [{"id": f"a{i}", "name": f"{'Faction' if i < 3 else 'Person'} {i} Zed", "kind":
               "faction" if i < 3 else "person", "aliases": [{"name": f"Alias{i} al-Qamar", "language": "en"}]}
              for i in range(people)]
    affiliations = [{"id": f"f{i}", "member_id": f"a{i}", "organization_id": f"a{i % 3}", "role": "member",
                     "start": "2012", "end": "2016"} for i in range(3, people)]
    sources, statements = [], []
    for s in range(0, n, 20):
        texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))) + f" ({k})."
                 for k in range(s, min(n, s + 20))]
        body = " ".join(texts)
        sources.append({"id": f"s{s}", "title": f"Report {s}", "kind": "news_article", "body": body,
                        "published": f"{2010 + s % 10}"})
        at = 0
        for k, t in enumerate(texts, start=s):
            statements.append({"id": f"t{k}", "source_id": f"s{s}", "speaker_id": f"a{rng.randrange(people)}",
                               "text": t, "quote_type": "direct", "span": {"start": at, "end": at + len(t)},
                               "stated": None if k % 7 == 0 else f"{2010 + k % 10}-{1 + k % 12:02d}"})
            at += len(t) + 1
    return {"format": "claimdb/1", "actors": actors, "affiliations": affiliations, "sources": sources,
            "statements": statements}


def test_query_counts_do_not_grow_with_the_data(app: Flask, api_for: Any, client_for: Any) -> None:
    headers = api_for("viewer")
    web = client_for("viewer")
    calls = [("/api/v1/search", {"speaker": "Person 4 Zed"}, headers),
             ("/api/v1/search", {"faction": "Faction 1 Zed"}, headers),
             ("/api/v1/search", {"q": "convoy"}, headers),
             ("/api/v1/statements", {"page": "2", "per_page": "5"}, headers),
             ("/statements", {"page": "2"}, {}),
             ("/search", {"q": "convoy", "faction": "Faction 1 Zed"}, {})]
    counts = []
    for size in (60, 400):
        with app.app_context():
            document_import.import_document(db.session, document(size, seed=size))
        sizes = []
        for route, args, extra in calls:
            client = web if route.startswith("/api/") is False else app.test_client()
            with query_counter(app) as seen:
                response = client.get(route, query_string=args, headers=extra)
            assert response.status_code == 200, (route, response.get_data(as_text=True)[:300])
            sizes.append(len(seen))
        counts.append(sizes)
    # A few may differ: one query per level of nested attribution, a token's last-use update.
    assert all(abs(a - b) <= 3 for a, b in zip(*counts, strict=True)), counts
    assert max(max(c) for c in counts) <= 20, counts


def test_bearer_token_is_looked_up_once(app: Flask, api_for: Any) -> None:
    headers = api_for("viewer")
    with query_counter(app) as seen:
        assert app.test_client().get("/api/v1/claims", headers=headers).status_code == 200
    assert sum("FROM api_token" in sql for sql in seen) == 1


def test_sqlite_files_are_read_memory_mapped(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("a SQLite setting")
        with db.engine.connect() as connection:
            mapped = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    assert mapped == app.config["SQLITE_MMAP_SIZE"] > 0


def test_list_totals_are_capped(app: Flask, api_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        document_import.import_document(db.session, document(40))
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    client, headers = app.test_client(), api_for("viewer")
    first = client.get("/api/v1/statements", query_string={"per_page": 4}, headers=headers)
    assert first.headers.get("X-Total-Capped") == "true" and first.json["total"] == 10 and first.json["next"]
    deep = client.get("/api/v1/statements", query_string={"per_page": 4, "page": 5}, headers=headers)
    assert deep.json["total"] >= 21 and deep.json["next"]  # a lower bound that never undercuts the page
    last = client.get("/api/v1/statements", query_string={"per_page": 4, "page": 10}, headers=headers)
    assert len(last.json["items"]) == 4 and last.json["next"] is None
    small = client.get("/api/v1/actors", headers=headers)
    assert small.json["total"] == 12 and "X-Total-Capped" not in small.headers


def test_every_offered_sort_pages_in_order(app: Flask, api_for: Any) -> None:
    with app.app_context():
        document_import.import_document(db.session, document(60))
    client, headers = app.test_client(), api_for("viewer")
    for sort in ("stated", "-stated", "source", "-speaker", "span", "-span"):
        ids = []
        for number in (1, 2, 3):
            page = client.get("/api/v1/statements", query_string={"sort": sort, "per_page": 20, "page": number},
                              headers=headers)
            ids += [item["id"] for item in page.json["items"]]
        assert sorted(ids) == list(range(1, 61)), sort
        stated = [item["stated"] for item in client.get("/api/v1/statements", query_string={
            "sort": "-stated", "per_page": 200}, headers=headers).json["items"]]
        assert stated.index(None) == len(stated) - stated.count(None)  # undated last


def test_vague_names_resolve_to_a_bounded_set(session: Any) -> None:
    doc = document(20, people=MAX_MATCHES + 5)
    document_import.import_document(session, doc)
    vague = resolve(session, "zed")
    assert len(vague.actors) == MAX_MATCHES and vague.more
    found = search.search(session, SearchFilters.from_args({"speaker": "zed"}), Page())
    assert found.results.items == [] and found.notes and len(found.resolved["speaker"].suggestions) == MAX_MATCHES
    exact = resolve(session, "Person 4 Zed", suggest=0)
    assert [a.name for a in exact.actors] == ["Person 4 Zed"] and exact.suggestions == []
    assert [a.name for a in resolve(session, "qamar alias7").actors] == ["Person 7 Zed"]  # words in any order
    assert {a.name for a in resolve(session, "Person 4").actors} >= {"Person 4 Zed", "Person 40 Zed"}


@pytest.mark.parametrize("word", ["zed", "ze", "al-qamar"])
def test_a_word_in_more_names_than_are_ranked_still_asks_to_choose(session: Any, monkeypatch: pytest.MonkeyPatch,
                                                                   word: str) -> None:
    """Only CANDIDATES of the actors containing a word are ranked by name (the work stays bounded however
    many contain it); more than MAX_MATCHES of them still ask to choose, and fewer give the same answer."""
    document_import.import_document(session, document(20, people=40))
    every = resolve(session, word, most=100)
    assert len(every.actors) == 40 and not every.more
    monkeypatch.setattr(names, "CANDIDATES", 12)
    vague = resolve(session, word, most=10)
    assert len(vague.actors) == 10 and vague.more
    assert {a.id for a in vague.actors} <= {a.id for a in every.actors}
    assert [a.name for a in vague.actors] == sorted(a.name for a in vague.actors)
    assert [a.name for a in vague.actors] != [a.name for a in every.actors][:10]  # only a dozen were ranked
    assert [a.name for a in resolve(session, "Person 17 Zed").actors] == ["Person 17 Zed"]  # exact names: no cap


def test_importing_the_same_file_twice_is_refused(session: Any) -> None:
    doc = document(40)
    document_import.import_document(session, doc)
    with pytest.raises(document_import.ImportRefused) as refused:
        document_import.import_document(session, doc)
    assert {(p.section, p.field) for p in refused.value.problems} == {("sources", "title")}
    assert "imported before" in refused.value.problems[0].message
    assert session.scalar(select(func.count()).select_from(Statement)) == 40
    assert session.scalar(select(func.count()).select_from(Source)) == 2


def test_oversized_cells_and_repeated_headers_are_problems(session: Any, client_for: Any) -> None:
    huge = "speaker,source_title,statement\nX,Log," + "y" * 140_000 + "\n"
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, huge, commit=True)
    assert "more than 131,072 characters" in refused.value.report.problems[0].message
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, "speaker,source_title,statement,Speaker\nX,Log,Said,Y\n", commit=True)
    assert [(p.row, p.column) for p in refused.value.report.problems] == [(1, "speaker")]


def test_sqlite_and_postgresql_give_the_same_answers(tmp_path: Path, both_engines: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_url, pg_url = both_engines
    monkeypatch.setattr(search, "RANK_CAP", 25)  # words alone: rank only the newest 25 matches
    doc = document(300)
    asked = [{"q": "convoy"}, {"q": "drone bridge"}, {"speaker": "Person 4 Zed"}, {"speaker": "alias5 qamar"},
             {"faction": "Faction 1 Zed"}, {"q": "market", "speaker": "Person 7 Zed"},
             {"faction": "Faction 2 Zed", "from": "2013", "to": "2015"}]
    answers = []
    for url in (sqlite_url, pg_url):
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t",
                          "INSTANCE_PATH": str(tmp_path / "i")})
        with app.app_context():
            document_import.import_document(db.session, doc)
            got = []
            for args in asked:
                found = search.search(db.session, SearchFilters.from_args(args), Page(1, 200))
                ids = [item["id"] for item in found.results.items]
                # The ranking functions differ (bm25 / ts_rank): words alone compare the candidates ranked.
                got.append(sorted(ids) if list(args) == ["q"] else ids)
                got.append(found.results.total)
            answers.append(got)
            db.session.remove()
            db.engine.dispose()
    assert answers[0] == answers[1]


def test_category_suggestions_come_from_the_latest_accusations_most_used_first(
        session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The accusation page asks on every call: the suggestions count the latest RECENT accusations,
    not the whole archive (which grew with it)."""
    from claimdb.services.records import accusations

    doc = document(20)
    used = ["shelling"] * 4 + ["kidnapping"] * 2 + ["treason", "kidnapping", "looting", "killing"]
    doc["accusations"] = [{"id": f"x{n}", "statement_id": f"t{n}", "accuser_id": "a1", "accused_id": "a2",
                           "act": "did it", "category": category} for n, category in enumerate(used)]
    document_import.import_document(session, doc)
    assert accusations.categories(session) == ["shelling", "kidnapping", "killing", "looting", "treason"]
    monkeypatch.setattr(accusations, "RECENT", 5)  # the last five: kidnapping, treason, kidnapping, looting, killing
    assert accusations.categories(session) == ["kidnapping", "killing", "looting", "treason"]
    assert accusations.categories(session, "k") == ["kidnapping", "killing"]
    assert accusations.categories(session, "sh") == []  # older than the window: typed, not suggested
