"""Report pages and the report tables on both engines: next links give every entry once, downloads
give them all, the maintained numbers equal a computation from scratch after any sequence of writes."""

from __future__ import annotations

import csv
import io
import random
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claimdb.errors import DomainError, Invalid
from claimdb.models import Contradiction, Statement, StatementClaim
from claimdb.services.exchange import document_import
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports import formats as report_formats
from claimdb.services.reports import tables
from claimdb.services.reports.contradictions import ReportFilters
from claimdb.services.search.factions import faction_matches

from search_data import make, query_counter

SECTIONS = ("contradictions", "stance_conflicts", "mutual_accusations")


def document(n_claims: int = 14, seed: int = 5) -> dict[str, Any]:
    """A claimdb/1 file with more entries per section than a (shrunk) page holds, ties included."""
    rng = random.Random(seed)
    factions = [{"id": f"f{i}", "name": f"Faction {i}", "kind": "faction"} for i in range(6)]
    people = [{"id": f"p{i}", "name": f"Person {i}", "kind": "person"} for i in range(6)]
    claims = [{"id": f"c{i}", "text": f"Claim {i}"} for i in range(n_claims)]
    body = "x" * 10
    sources = [{"id": "s0", "title": f"Report {seed}-{n_claims}", "kind": "news_article", "body": body,
                "published": "2015"}]
    statements = []
    for i in range(60):
        links = [{"claim_id": f"c{c}", "stance": "denies" if rng.random() < 0.35 else "asserts"}
                 for c in rng.sample(range(n_claims), 2)]
        statements.append({"id": f"t{i}", "source_id": "s0", "speaker_id": rng.choice(factions + people)["id"],
                           "text": f"Said {i}", "quote_type": "paraphrase", "stated": f"{rng.randint(2014, 2016)}",
                           "claims": links})
    accusations = []
    for i in range(50):
        a, b = rng.sample(range(6), 2)
        accusations.append({"id": f"x{i}", "statement_id": f"t{rng.randrange(60)}", "accuser_id": f"f{a}",
                            "accused_id": f"f{b}", "act": f"act {i}", "category": rng.choice(["Killing", "killing",
                                                                                              "treason"])})
    pairs = sorted({tuple(sorted(rng.sample(range(n_claims), 2))) for _ in range(12)})
    contradictions = [{"id": f"k{i}", "claim_a_id": f"c{a}", "claim_b_id": f"c{b}", "kind": "other"}
                      for i, (a, b) in enumerate(pairs)]
    affiliations = [{"id": "a0", "member_id": "p0", "organization_id": "f0", "role": "spokesperson", "start": "2015"}]
    return {"format": "claimdb/1", "actors": factions + people, "affiliations": affiliations, "sources": sources,
            "statements": statements, "claims": claims, "accusations": accusations,
            "contradictions": contradictions}


@pytest.fixture
def loaded(session: Session) -> None:
    document_import.import_document(session, document())


def entry_key(section: str, entry: dict[str, Any]) -> Any:
    if section == "contradictions":
        return entry["id"]
    if section == "stance_conflicts":
        return entry["claim"]["id"]
    return (entry["actors"][0]["id"], entry["actors"][1]["id"], entry["category"].lower())


def evidence(section: str, entry: dict[str, Any]) -> int:
    if section == "contradictions":
        return sum(side["statement_count"] for side in entry["sides"])
    if section == "stance_conflicts":
        return entry["asserted_count"] + entry["denied_count"]
    return len(entry["accusations"])


def follow(get: Any, first: dict[str, Any], section: str) -> list[Any]:
    """Every entry of a section, following its next links from the first page."""
    seen = [entry_key(section, e) for e in first[section]]
    weights = [evidence(section, e) for e in first[section]]
    url = first["next"][section]
    while url:
        body = get(url)
        assert all(not body[other] for other in SECTIONS if other != section)
        assert body["summary"]["totals"] == first["summary"]["totals"]
        seen += [entry_key(section, e) for e in body[section]]
        weights += [evidence(section, e) for e in body[section]]
        url = body["next"][section]
    assert weights == sorted(weights, reverse=True)  # most-evidenced first, across pages
    return seen


@pytest.mark.parametrize("dense", [0, 5000])  # a date range probed entry by entry, or driven by its statements
@pytest.mark.parametrize("filters", [{}, {"from": "2015", "to": "2015"}, {"faction": "Faction 0"},
                                     {"status": "open"}])
def test_following_next_links_yields_every_entry_once(app: Any, api_for: Any, monkeypatch: Any,
                                                      filters: dict[str, str], dense: int) -> None:
    monkeypatch.setattr(reports, "SECTION_LIMIT", 3)
    monkeypatch.setattr(reports, "DENSE", dense)
    with app.app_context():
        from claimdb.db import db
        document_import.import_document(db.session, document())
        everything = reports.contradiction_report(db.session, ReportFilters.from_args(filters), page_size=10_000)
    client, headers = app.test_client(), api_for("viewer")

    def get(url: str) -> dict[str, Any]:
        got = client.get(url, headers=headers)
        assert got.status_code == 200, got.get_data(as_text=True)
        return got.get_json()

    first = get("/api/v1/reports/contradictions?" + "&".join(f"{k}={v}" for k, v in filters.items()))
    for section in SECTIONS:
        expected = [entry_key(section, e) for e in getattr(everything, section)]
        assert first["summary"]["totals"][section] == len(expected)
        seen = follow(get, first, section)
        assert len(seen) == len(set(seen)) and set(seen) == set(expected)
        if not filters:
            assert len(expected) > 3, section  # more entries than a page: the links were followed
        if first["next"][section]:
            query = parse_qs(urlsplit(first["next"][section]).query)
            assert {k: v[0] for k, v in query.items() if k not in ("section", "after")} == filters


def test_web_page_has_more_links(app: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(reports, "SECTION_LIMIT", 3)
    with app.app_context():
        from claimdb.db import db
        document_import.import_document(db.session, document())
    client = client_for("viewer")
    html = client.get("/reports/contradictions").get_data(as_text=True)
    for label in ("More contradictions", "More stance conflicts", "More mutual accusations"):
        assert label in html
    more = html.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    page = client.get(more)
    assert page.status_code == 200 and "A following page of contradictions" in page.get_data(as_text=True)


def test_downloads_hold_every_entry(app: Any, api_for: Any, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(reports, "SECTION_LIMIT", 3)
    monkeypatch.setattr(report_formats, "DOWNLOAD_PAGE", 2)
    with app.app_context():
        from claimdb.db import db
        document_import.import_document(db.session, document())
        everything = reports.contradiction_report(db.session, ReportFilters(), page_size=10_000)
    for client, headers, prefix in ((client_for("viewer"), {}, ""), (app.test_client(), api_for("viewer"), "/api/v1")):
        text = client.get(f"{prefix}/reports/contradictions?format=csv", headers=headers).get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {int(r["entry"]) for r in rows if r["section"] == "contradiction"} == {
            c["id"] for c in everything.contradictions}
        assert {int(r["entry"]) for r in rows if r["section"] == "stance_conflict"} == {
            s["claim"]["id"] for s in everything.stance_conflicts}
        assert {r["entry"] for r in rows if r["section"] == "mutual_accusation"} == {
            f"{m['actors'][0]['id']}-{m['actors'][1]['id']}" for m in everything.mutual_accusations}
        markdown = client.get(f"{prefix}/reports/contradictions?format=md", headers=headers).get_data(as_text=True)
        assert markdown.count("### Contradiction #") == len(everything.contradictions)
        assert markdown.count(" ⇄ ") == len(everything.mutual_accusations)
        assert f"- Stance conflicts: {len(everything.stance_conflicts)}" in markdown


def test_a_cursor_from_elsewhere_is_refused() -> None:
    with pytest.raises(Invalid):
        ReportFilters.from_args({"after": "abc"})
    with pytest.raises(Invalid):
        ReportFilters.from_args({"section": "everything"})
    with pytest.raises(Invalid):
        reports.decode_cursor("bm90IGpzb24", (int, int))


def test_ambiguous_word_uses_a_bounded_set_of_actors(session: Session) -> None:
    for i in range(reports.ACTOR_CAP + 15):
        make(session, "actors", name=f"Brigade {i}", kind="faction")
    r = reports.contradiction_report(session, ReportFilters.from_args({"faction": "brigade"}))
    assert len(r.resolved["faction"].actors) == reports.ACTOR_CAP
    assert any("uses the first" in note for note in r.notes)


def test_page_query_count_does_not_grow(session: Session, monkeypatch: Any) -> None:
    document_import.import_document(session, document(n_claims=6, seed=1))
    with query_counter(session) as small:
        reports.contradiction_report(session, ReportFilters())
    document_import.import_document(session, document(n_claims=30, seed=2))
    with query_counter(session) as big:
        reports.contradiction_report(session, ReportFilters())
    assert len(big) == len(small)
    for args in ({"faction": "Faction 1"}, {"from": "2015"}, {"section": "stance_conflicts"}):
        with query_counter(session) as seen:
            reports.contradiction_report(session, ReportFilters.from_args(args))
        assert len(seen) <= len(small) + 3, args


def test_import_into_a_filled_database_refreshes_only_what_it_touches(session: Session) -> None:
    document_import.import_document(session, document())
    document_import.import_document(session, {**document(seed=9), "affiliations": []})
    maintained = tables.maintained(session)
    tables.rebuild(session)
    assert tables.maintained(session) == maintained


# -- the maintained tables equal a computation from scratch after any writes

OPS = st.lists(st.tuples(st.sampled_from(["statement", "relink", "speaker", "unstate", "delete_statement",
                                          "accuse", "reaccuse", "unaccuse", "affiliate", "unaffiliate",
                                          "contradict", "uncontradict"]),
                         st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=8)


def pick(seq: list[int], n: int) -> int | None:
    return seq[n % len(seq)] if seq else None


def _apply(session: Session, world: dict[str, Any], op: str, x: int, y: int) -> None:
    actors, claims = world["actors"], world["claims"]
    statements = list(session.scalars(select(Statement.id).order_by(Statement.id)))
    links = [{"claim_id": pick(claims, x + k), "stance": ("asserts", "denies", "questions")[(y + k) % 3]}
             for k in range(1 + x % 2)]
    if op == "statement":
        make(session, "statements", source_id=world["source"], speaker_id=pick(actors, y), text=f"s{x}",
             quote_type="paraphrase", stated=f"{2013 + x % 4}", claims=links)
    elif op in ("relink", "speaker", "unstate", "delete_statement") and statements:
        sid = pick(statements, x)
        current = lifecycle.get(session, RESOURCES["statements"], sid)
        change = {"relink": {"claims": links}, "speaker": {"speaker_id": pick(actors, y)},
                  "unstate": {"stated": None}}.get(op)
        if change is None:
            lifecycle.delete(session, RESOURCES["statements"], sid)
        else:
            lifecycle.update(session, RESOURCES["statements"], sid, {"version": current["version"], **change})
    elif op == "accuse" and statements:
        accuser, accused = pick(actors, x), pick(actors, y)
        if accuser != accused:
            make(session, "accusations", statement_id=pick(statements, x), accuser_id=accuser, accused_id=accused,
                 act="a", category=("Killing", "killing", "treason", None)[y % 4])
    elif op in ("reaccuse", "unaccuse") and (found := world["accusations"](session)):
        aid = pick(found, x)
        if op == "unaccuse":
            lifecycle.delete(session, RESOURCES["accusations"], aid)
        else:
            current = lifecycle.get(session, RESOURCES["accusations"], aid)
            if pick(actors, y) != current["accuser_id"]:
                lifecycle.update(session, RESOURCES["accusations"], aid,
                                 {"version": current["version"], "accused_id": pick(actors, y)})
    elif op == "affiliate":
        member, organization = pick(actors, x), pick(actors, y)
        if member != organization:
            make(session, "affiliations", member_id=member, organization_id=organization,
                 role=("spokesperson", "leader", "member")[x % 3], start=f"{2013 + y % 3}")
    elif op == "unaffiliate" and (found := world["affiliations"](session)):
        lifecycle.delete(session, RESOURCES["affiliations"], pick(found, x))
    elif op == "contradict":
        a, b = pick(claims, x), pick(claims, y)
        if a != b:
            make(session, "contradictions", claim_a_id=a, claim_b_id=b, kind="other")
    elif op == "uncontradict" and (found := list(session.scalars(select(Contradiction.id)))):
        lifecycle.delete(session, RESOURCES["contradictions"], pick(found, x))


def _python_counts(session: Session) -> dict[int, tuple[int, int, int | None]]:
    """asserts, denies and conflict weight per claim, counted in Python from the links."""
    counts: dict[int, list[int]] = {}
    for claim_id, stance in session.execute(select(StatementClaim.claim_id, StatementClaim.stance)):
        if stance in ("asserts", "denies"):
            counts.setdefault(claim_id, [0, 0])[stance == "denies"] += 1
    return {c: (a, d, a + d if a and d else None) for c, (a, d) in counts.items()}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_maintained_tables_equal_a_rebuild(session: Session, ops: list[tuple[str, int, int]]) -> None:
    from claimdb.models import Accusation, Affiliation, ReportClaim

    world = session.info.get("test_world")
    if world is None:
        actors = [make(session, "actors", name=f"Actor {i}", kind="faction" if i < 2 else "person")["id"]
                  for i in range(4)]
        world = session.info["test_world"] = {
            "actors": actors, "claims": [make(session, "claims", text=f"C{i}")["id"] for i in range(4)],
            "source": make(session, "sources", title="S", kind="other", body="b")["id"],
            "accusations": lambda s: list(s.scalars(select(Accusation.id).order_by(Accusation.id))),
            "affiliations": lambda s: list(s.scalars(select(Affiliation.id).order_by(Affiliation.id)))}
    for op, x, y in ops:
        try:
            _apply(session, world, op, x, y)
        except DomainError:
            session.rollback()
    maintained = tables.maintained(session)
    assert {r[0]: (r[1], r[2], r[4]) for r in maintained["report_claim"]} == _python_counts(session)
    tables.rebuild(session)
    assert tables.maintained(session) == maintained
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ReportClaim)) == len(maintained["report_claim"])


def test_a_wide_date_range_counts_within_a_budget_and_says_the_totals_are_lower_bounds(
        app: Any, api_for: Any, monkeypatch: Any) -> None:
    """Probed totals (a date range too wide to drive the query) cost the same however big the database:
    they count among the PROBE_BUDGET most-evidenced entries and say so; the pages still reach them all."""
    monkeypatch.setattr(reports, "DENSE", 0)
    monkeypatch.setattr(reports, "SECTION_LIMIT", 3)
    filters = {"from": "2015", "to": "2015"}
    with app.app_context():
        from claimdb.db import db
        document_import.import_document(db.session, document())
        exact = reports.contradiction_report(db.session, ReportFilters.from_args(filters), page_size=10_000)
        assert not any(exact.capped.values())  # within the budget: exact, and not flagged
        monkeypatch.setattr(reports, "PROBE_BUDGET", 2)
        monkeypatch.setattr(reports.mutual, "EDGE_SAMPLE", 3)
        budgeted = reports.contradiction_report(db.session, ReportFilters.from_args(filters), page_size=10_000)
    for section in SECTIONS:
        total = len(getattr(exact, section))
        assert total > 2, section
        assert budgeted.capped[section] and budgeted.totals[section] <= min(total, 2)
        assert len(getattr(budgeted, section)) == total  # the entries themselves are all there
    assert sum(edge["count"] for edge in budgeted.edges) == 3 < sum(edge["count"] for edge in exact.edges)
    assert any("at least" in note for note in budgeted.notes)
    assert any("most recent accusations" in note for note in budgeted.notes)
    body = app.test_client().get("/api/v1/reports/contradictions?from=2015&to=2015", headers=api_for("viewer"))
    assert body.get_json()["summary"]["totals_capped"] == dict.fromkeys(SECTIONS, True)


def test_a_statements_origin_is_found_through_its_speakers_affiliations_not_the_role_index(app: Any) -> None:
    """The affiliation list's (role, id) sort index once lured SQLite (no statistics) into scanning every
    affiliation per statement while rebuilding the report tables: two minutes for a 200k import."""
    with app.app_context():
        from claimdb.db import db
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's planner, without statistics")
        query = select(Statement.id, tables.origin_of().label("origin"))
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_affiliation_member_id" in plan and "ix_affiliation_role_id" not in plan, plan


def test_a_word_in_too_many_names_asks_to_choose_instead_of_saying_nobody_matches(
        app: Any, api_for: Any, monkeypatch: Any) -> None:
    from claimdb.services.search import names

    monkeypatch.setattr(names, "MAX_MATCHES", 3)
    with app.app_context():
        from claimdb.db import db
        document_import.import_document(db.session, document())
    body = app.test_client().get("/api/v1/reports/contradictions?faction=Faction",
                                 headers=api_for("viewer")).get_json()
    assert not any("No actor matches" in note for note in body["notes"])
    assert any("part of more than" in note and "choose" in note for note in body["notes"])
    assert len(body["resolved"]["faction"]["suggestions"]) == 3  # the first ones, to choose from


def test_a_faction_filter_goes_in_through_the_factions_not_the_role_index(app: Any) -> None:
    """Without statistics SQLite took the (role, id) sort index as the way into `role IN (...)`: a report by
    ten factions at 1M statements read every affiliation of those roles per statement (57 s, now 0.4 s)."""
    with app.app_context():
        from claimdb.db import db
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's planner, without statistics")
        query = select(Statement.id).where(faction_matches(list(range(1, 11))))  # ten, as the report's cap
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_affiliation_role_id" not in plan, plan
