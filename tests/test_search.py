"""Search by speaker, faction, dates, source and claim, on both engines: the service, the page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Statement
from claimdb.services.paging import Page
from claimdb.services.search import statements as search
from claimdb.services.search.statements import SearchFilters
from claimdb.services.statement_views import statement_views, stmt_query, stmts

from search_data import World, make, query_counter


def find(session: Session, **args: str) -> search.SearchResults:
    return search.search(session, SearchFilters.from_args(args), Page(), facets=True)


def texts(found: search.SearchResults) -> list[str]:
    return [item["text"] for item in found.results.items]


@pytest.fixture
def world(session: Session) -> World:
    w = World(session)
    src = w.sources[0]
    w.said = {
        "qahtani_2014": w.statement(src, w.qahtani, "Hazzm kidnapped four Nusra members", stated="2014-06"),
        "qahtani_2015": w.statement(src, w.qahtani, "I no longer speak for anyone", stated="2015-02"),
        "qahtani_undated": w.statement(src, w.qahtani, "An undated remark about the convoy"),
        "aridi_2024": w.statement(w.sources[1], w.aridi, "The Levant Front is absent from the frontline",
                                  stated="2024-01-05"),
        "nusra": w.statement(w.communique, w.nusra, "We will establish Sharia courts", stated="2015-02-20"),
        "sham": w.statement(w.sources[2], w.sham, "Regardless of whose fault it is, the convoy was stopped",
                            stated="2015-03-01"),
    }
    return w


SPELLINGS = ["al qahtani", "Qahtani", "AL-QAHTANI", "Abu Maria al-Qahtani", "qahtani ", "al-Qaḥṭānī",
             "أبو ماريا القحطاني", "ابو ماريا القحطاني", "أَبُو مَارِيَا القَحْطَانِي"]


def test_speaker_by_any_spelling(session: Session, world: World) -> None:
    for typed in SPELLINGS:
        found = find(session, speaker=typed)
        assert [a["name"] for a in found.resolved["speaker"].actors] == ["Abu Maria al-Qahtani"], typed
        assert sorted(texts(found)) == sorted(["Hazzm kidnapped four Nusra members", "I no longer speak for anyone",
                                               "An undated remark about the convoy"]), typed


def test_faction_alias_as_speaker(session: Session, world: World) -> None:
    for typed in ("Nusra Front", "Jabhat al-Nusra", "jabhat AL nusra", "جبهة النصرة", "nusra"):
        assert texts(find(session, speaker=typed)) == ["We will establish Sharia courts"], typed
    unknown = find(session, speaker="jabhat an nusra")  # not an alias: "an" occurs in no name of Nusra
    assert unknown.results.items == [] and unknown.notes


def test_speaker_by_id_and_unknown_name(session: Session, world: World) -> None:
    assert len(texts(find(session, speaker=str(world.aridi["id"])))) == 1
    nobody = find(session, speaker="nobody-at-all")
    assert nobody.results.total == 0 and nobody.resolved["speaker"].actors == [] and nobody.notes


def test_ambiguous_name_offers_every_match(session: Session, world: World) -> None:
    make(session, "actors", name="Abu Omar al-Shishani", kind="person")
    exact = find(session, speaker="Abu Omar")
    assert [a["name"] for a in exact.resolved["speaker"].actors] == ["Abu Omar"]
    assert [a["name"] for a in exact.resolved["speaker"].suggestions] == ["Abu Omar al-Shishani"]
    both = find(session, speaker="omar")
    assert {a["name"] for a in both.resolved["speaker"].actors} == {"Abu Omar", "Abu Omar al-Shishani"}


def test_faction_follows_affiliation_dates(session: Session, world: World) -> None:
    found = find(session, faction="Jabhat al-Nusra")
    by_text = {item["text"]: item for item in found.results.items}
    # Qahtani led Nusra 2012 – 2014-12: in for 2014, out for 2015; Aridi from 2015, open-ended: in for 2024.
    assert set(by_text) == {"Hazzm kidnapped four Nusra members", "An undated remark about the convoy",
                            "The Levant Front is absent from the frontline", "We will establish Sharia courts"}
    assert by_text["An undated remark about the convoy"]["faction"]["undated"] is True
    assert by_text["Hazzm kidnapped four Nusra members"]["faction"] == {
        "organization": {"id": world.nusra["id"], "name": "Nusra Front"}, "role": "leader", "undated": False}
    assert by_text["We will establish Sharia courts"]["faction"]["role"] is None
    assert {f["name"]: f["count"] for f in found.facets["faction"]}["Nusra Front"] == 4


def test_faction_with_dates(session: Session, world: World) -> None:
    assert texts(find(session, faction="Nusra", **{"from": "2015", "to": "2015"})) == [
        "We will establish Sharia courts"]
    assert texts(find(session, faction="Nusra", to="June 2014")) == ["Hazzm kidnapped four Nusra members"]


def test_dates_source_and_grade(session: Session, world: World) -> None:
    assert set(texts(find(session, **{"from": "2015-02", "to": "2015-03"}))) == {
        "I no longer speak for anyone", "We will establish Sharia courts",
        "Regardless of whose fault it is, the convoy was stopped"}
    assert texts(find(session, source=str(world.sources[2]["id"]))) == [
        "Regardless of whose fault it is, the convoy was stopped"]
    assert texts(find(session, source="communiqué")) == ["We will establish Sharia courts"]
    assert set(texts(find(session, reliability="E,F"))) == {
        "We will establish Sharia courts", "Regardless of whose fault it is, the convoy was stopped"}


def test_a_second_search_of_the_same_shape_binds_its_own_values(session: Session, world: World) -> None:
    """The page query is built once per shape of filters; each search still gets its own answers."""
    assert texts(find(session, speaker="Sham")) == ["Regardless of whose fault it is, the convoy was stopped"]
    assert texts(find(session, speaker="Aridi")) == ["The Levant Front is absent from the frontline"]
    assert texts(find(session, source="article 2")) == ["The Levant Front is absent from the frontline"]
    assert texts(find(session, source="Article%")) == texts(find(session, source="Artic_e 2")) == []  # literal
    assert texts(find(session, speaker="Qahtani", to="2014")) == ["Hazzm kidnapped four Nusra members"]
    assert texts(find(session, speaker="Qahtani", to="2015-02")) == ["I no longer speak for anyone",
                                                                      "Hazzm kidnapped four Nusra members"]


def test_claim_and_accusation_filters(session: Session, world: World) -> None:
    claim = make(session, "claims", text="Hazzm kidnapped Nusra members", status="disputed")
    kid = make(session, "statements", source_id=world.sources[0]["id"], speaker_id=world.hazzm["id"],
               text="We kidnapped nobody", quote_type="paraphrase", stated="2015-02",
               claims=[{"claim_id": claim["id"], "stance": "denies"}])
    make(session, "accusations", statement_id=kid["id"], accused_id=world.nusra["id"], act="lying",
         category="Defamation")
    denied = find(session, stance="denies")
    assert texts(denied) == ["We kidnapped nobody"] and denied.results.items[0]["stance"] == "denies"
    assert texts(find(session, status="disputed", speaker="Hazzm")) == ["We kidnapped nobody"]
    assert texts(find(session, status="refuted")) == []
    assert texts(find(session, category="defamation")) == ["We kidnapped nobody"]
    assert find(session, q="nobody").results.items[0]["stance"] is None


def test_full_text_ranked_and_combined(session: Session, world: World) -> None:
    assert set(texts(find(session, q="convoy"))) == {"An undated remark about the convoy",
                                                      "Regardless of whose fault it is, the convoy was stopped"}
    assert texts(find(session, q="convoy", speaker="Sham")) == [
        "Regardless of whose fault it is, the convoy was stopped"]
    assert texts(find(session, q="CONVOY stopped")) == ["Regardless of whose fault it is, the convoy was stopped"]


def test_stmt_shape(session: Session, world: World) -> None:
    item = find(session, speaker="Sham").results.items[0]
    assert set(item) >= {"id", "text", "speaker", "stance", "source", "stated", "credibility", "chain"}
    assert item["source"] == {"id": world.sources[2]["id"], "title": "Article 3", "published": "2015-03-03",
                              "reliability": "E"}
    assert item["chain"][-1]["statement_id"] == item["id"]


@pytest.mark.parametrize("args", [{"from": "2015-99"}, {"to": "notadate"}, {"reliability": "Z"}, {"stance": "maybe"},
                                  {"q": "nul\x00byte"}, {"speaker": "a\x07b"}, {"q": "x" * 10_001},
                                  {"from": "2016", "to": "2015"}])
def test_bad_parameters_are_field_errors(args: dict[str, str]) -> None:
    with pytest.raises(Invalid) as e:
        SearchFilters.from_args(args)
    assert set(e.value.errors) <= {"from", "to", "reliability", "stance", "q", "speaker"} and e.value.errors


def test_bounded_queries(session: Session, world: World) -> None:
    def count(**args: str) -> int:
        with query_counter(session) as seen:
            find(session, **args)
        return len(seen)

    shapes = {"f": {"faction": "Nusra"}, "q": {"q": "convoy"}, "all": {}, "s": {"speaker": "Qahtani"}}
    before = {k: count(**a) for k, a in shapes.items()}
    reporter = world.statement(world.sources[0], world.sham, "Nested convoy report", stated="2015")
    for i in range(25):
        world.statement(world.sources[0], world.qahtani if i % 2 else world.aridi, f"More convoy words {i}",
                        stated="2014-05", reported_by_id=reporter["id"])
    after = {k: count(**a) for k, a in shapes.items()}
    # One more query per level of reporting depth (chains), never per row.
    assert all(after[k] <= before[k] + 1 for k in before), (before, after)


def test_a_speaker_search_is_two_queries(session: Session, world: World) -> None:
    """The name (exact matches and suggestions at once), then the page with its capped count."""
    with query_counter(session) as seen:
        found = search.search(session, SearchFilters.from_args({"speaker": "Qahtani"}), Page())
    queries = [sql for sql in seen if not sql.startswith("BEGIN")]  # SQLite's own BEGIN (claimdb.db)
    assert len(found.results.items) == 3 and len(queries) == 2, queries


def test_page_rows_read_by_position_as_the_views_read(session: Session, world: World) -> None:
    """Rows of stmt_query with columns after STMT_COLUMNS (a score, a count), chains two levels deep,
    and a statement on the page that another on the page reports."""
    relay = world.statement(world.communique, world.spokes, "Omar relayed it", reported_by_id=world.said["nusra"]["id"],
                            hedge="reportedly", cue="claims")
    world.statement(world.communique, world.sham, "Sham heard Omar", reported_by_id=relay["id"], stated="2015-04")
    entities = list(session.scalars(select(Statement).order_by(Statement.id)))
    stances = {entities[1].id: "denies"}
    views = [view.stmt() for view in statement_views(session, entities, stances=stances)]
    rows = session.execute(stmt_query(literal(1.5).label("score"), literal(7).label("counted"))
                           .order_by(Statement.id)).all()
    assert stmts(session, rows, stances=stances) == views
    assert [level["speaker"]["name"] for level in views[-1]["chain"]] == ["Nusra Front", "Abu Omar", "Mujahed al-Sham"]
    assert views[-1]["chain"][1]["hedge"] == "reportedly" and views[-1]["chain"][1]["cue"] == "claims"
    assert stmts(session, rows[-1:]) == views[-1:]  # its parent came along in the row, the grandparent did not


def test_pages_and_capped_totals(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    found = search.search(session, SearchFilters(), Page(1, 2))
    assert found.total_capped and found.results.total == 3 and len(found.results.items) == 2
    second = search.search(session, SearchFilters(), Page(2, 4))
    assert len(second.results.items) == 2


def test_search_page(client_for: Any, app: Any) -> None:
    with app.app_context():
        from claimdb.db import db
        w = World(db.session)
        w.statement(w.sources[0], w.qahtani, "<b>Hazzm</b> kidnapped four members", stated="2014-06")
    page = client_for("viewer").get("/search?q=kidnapped&speaker=Qahtani")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "&lt;b&gt;Hazzm&lt;/b&gt; <mark>kidnapped</mark> four members" in html
    assert "resolved to" in html and "Abu Maria al-Qahtani" in html
    assert f'href="/sources/{w.sources[0]["id"]}#statement-' in html and 'class="facets"' in html
    refused = client_for("viewer").get("/search?from=2015-99&q=kept+words")
    assert refused.status_code == 422 and 'value="kept words"' in refused.get_data(as_text=True)


def test_search_needs_login(app: Any) -> None:
    anonymous = app.test_client()
    assert anonymous.get("/search").status_code in (302, 303)
    assert anonymous.get("/api/v1/search").status_code == 401


def test_search_api(app: Any, api_for: Any) -> None:
    with app.app_context():
        from claimdb.db import db
        w = World(db.session)
        for i in range(3):
            w.statement(w.sources[i], w.nusra, f"Statement number {i}", stated=f"2015-0{i + 1}")
    client, headers = app.test_client(), api_for("viewer")
    body = client.get("/api/v1/search?faction=Jabhat%20al-Nusra&per_page=2", headers=headers).get_json()
    assert body["total"] == 3 and len(body["items"]) == 2 and body["next"].startswith("/api/v1/search?")
    assert body["resolved"]["faction"]["actors"][0]["name"] == "Nusra Front"
    assert client.get(body["next"], headers=headers).get_json()["next"] is None
    bad = client.get("/api/v1/search?from=2015-99", headers=headers)
    assert bad.status_code == 422 and bad.content_type.startswith("application/problem+json")
    assert "from" in bad.get_json()["errors"]


def test_demo_speaker_and_faction(session: Session, demo: Any) -> None:
    qahtani = find(session, speaker="al qahtani")
    assert [a["name"] for a in qahtani.resolved["speaker"].actors] == ["Abu Maria al-Qahtani"]
    nusra = find(session, faction="Jabhat al-Nusra")
    assert nusra.results.total >= 3 and any(f["name"] == "Nusra Front" for f in nusra.facets["faction"])
    assert find(session, q="Hazzm").results.total >= 3
