"""The contradiction report on both engines: its three sections, independent origins, filters, downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.rules import spreadsheet_cell
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports import formats as report_formats
from claimdb.services.reports.contradictions import ReportFilters

from search_data import World, make, query_counter


def report(session: Session, **args: str) -> reports.Report:
    return reports.contradiction_report(session, ReportFilters.from_args(args))


@pytest.fixture
def world(session: Session) -> World:
    return build(session)


def build(session: Session) -> World:
    """Three articles quote one Nusra communiqué; Hazzm denies; each accuses the other of kidnapping."""
    w = World(session)
    w.kidnap = make(session, "claims", text="Hazzm kidnapped four Nusra members")
    w.nobody = make(session, "claims", text="Nobody was kidnapped", status="disputed")
    w.contra = make(session, "contradictions", claim_a_id=w.kidnap["id"], claim_b_id=w.nobody["id"], kind="negation")
    asserts = [{"claim_id": w.kidnap["id"], "stance": "asserts"}]
    w.quotes = [w.statement(src, w.nusra, "Hazzm kidnapped four of our members", stated="2015-02-20", claims=asserts)
                for src in w.sources]
    # Nusra's spokesperson (2014–2016) says it too: still Nusra, the same origin.
    w.spoken = w.statement(w.communique, w.spokes, "Hazzm kidnapped our brothers", stated="2015-02-21",
                           claims=asserts)
    w.denial = w.statement(w.sources[0], w.hazzm, "Nobody was kidnapped", stated="2015-02-22", claims=[
        {"claim_id": w.nobody["id"], "stance": "asserts"}, {"claim_id": w.kidnap["id"], "stance": "denies"}])
    make(session, "accusations", statement_id=w.quotes[0]["id"], accused_id=w.hazzm["id"], act="kidnapping members",
         category="kidnapping")
    make(session, "accusations", statement_id=w.denial["id"], accused_id=w.nusra["id"], act="kidnapping fighters",
         category="Kidnapping")
    make(session, "accusations", statement_id=w.denial["id"], accused_id=w.levant["id"], act="doing nothing",
         category="abandonment")
    return w


def test_explicit_contradiction_with_origins(session: Session, world: World) -> None:
    r = report(session)
    [entry] = r.contradictions
    assert entry["id"] == world.contra["id"] and entry["kind"] == "negation" and entry["status"] == "open"
    side_a, side_b = entry["sides"]
    assert side_a["claim"]["text"] == "Hazzm kidnapped four Nusra members"
    assert len(side_a["statements"]) == 4 and side_a["origins"] == 1  # three quotes + a spokesperson: Nusra
    assert {s["origin"]["name"] for s in side_a["statements"]} == {"Nusra Front"}
    spoken = next(s for s in side_a["statements"] if s["id"] == world.spoken["id"])
    assert spoken["origin"]["via"] == "spokesperson" and spoken["speaker"]["name"] == "Abu Omar"
    assert side_b["origins"] == 1 and side_b["statements"][0]["stance"] == "asserts"
    stmt = side_a["statements"][0]
    assert set(stmt) >= {"id", "text", "speaker", "stance", "source", "stated", "credibility", "chain"}


def test_an_independent_voice_adds_an_origin(session: Session, world: World) -> None:
    world.statement(world.sources[1], world.sham, "They were kidnapped", stated="2015-02-25",
                    claims=[{"claim_id": world.kidnap["id"], "stance": "asserts"}])
    # A spokesperson speaking after the affiliation ended counts as himself.
    world.statement(world.sources[2], world.spokes, "Kidnapped, I still say", stated="2017-01",
                    claims=[{"claim_id": world.kidnap["id"], "stance": "asserts"}])
    assert report(session).contradictions[0]["sides"][0]["origins"] == 3


def test_stance_conflicts(session: Session, world: World) -> None:
    [conflict] = report(session).stance_conflicts
    assert conflict["claim"]["text"] == "Hazzm kidnapped four Nusra members"
    assert len(conflict["asserted_by"]) == 4
    assert [s["speaker"]["name"] for s in conflict["denied_by"]] == ["Hazzm Movement"]
    assert conflict["denied_by"][0]["stance"] == "denies"


def test_mutual_accusations_same_category_any_case(session: Session, world: World) -> None:
    r = report(session)
    [pair] = r.mutual_accusations
    assert {a["name"] for a in pair["actors"]} == {"Nusra Front", "Hazzm Movement"}
    assert pair["category"].lower() == "kidnapping" and len(pair["accusations"]) == 2
    assert {a["statement"]["id"] for a in pair["accusations"]} == {world.quotes[0]["id"], world.denial["id"]}
    summary = r.summary()
    assert summary["totals"] == {"contradictions": 1, "stance_conflicts": 1, "mutual_accusations": 1}
    assert summary["most_contested"][0]["claim"]["id"] == world.kidnap["id"]
    assert {(e["accuser"]["name"], e["accused"]["name"], e["count"]) for e in summary["top_accusers"]} == {
        ("Nusra Front", "Hazzm Movement", 1), ("Hazzm Movement", "Nusra Front", 1),
        ("Hazzm Movement", "Levant Front", 1)}


def test_actor_filter(session: Session, world: World) -> None:
    assert report(session, actor="Hazzm").totals == {"contradictions": 1, "stance_conflicts": 1,
                                                     "mutual_accusations": 1}
    levant = report(session, actor="Levant Force")  # accused, never speaks
    assert levant.contradictions == [] and levant.mutual_accusations == [] and levant.edges
    nobody = report(session, actor="999999")
    assert nobody.notes and nobody.contradictions == []


def test_faction_filter_uses_affiliation_dates(session: Session, world: World) -> None:
    # Only the spokesperson speaks in this new contradiction, and only after leaving Nusra.
    late = make(session, "claims", text="The ceasefire held")
    broken = make(session, "claims", text="The ceasefire broke down")
    make(session, "contradictions", claim_a_id=late["id"], claim_b_id=broken["id"], kind="negation",
         status="resolved")
    world.statement(world.sources[2], world.spokes, "The ceasefire held", stated="2017-03",
                    claims=[{"claim_id": late["id"], "stance": "asserts"}])
    assert len(report(session, actor="Abu Omar").contradictions) == 2
    assert [c["id"] for c in report(session, faction="Jabhat al-Nusra").contradictions] == [world.contra["id"]]
    assert report(session, status="resolved").totals["contradictions"] == 1
    assert report(session, faction="Nusra", status="resolved").contradictions == []


def test_date_filter(session: Session, world: World) -> None:
    assert report(session, **{"from": "2015-02-22", "to": "2015-02"}).totals == {
        "contradictions": 1, "stance_conflicts": 1, "mutual_accusations": 1}
    assert report(session, **{"from": "2016"}).totals == {
        "contradictions": 0, "stance_conflicts": 0, "mutual_accusations": 0}


@pytest.mark.parametrize("args", [{"from": "notadate"}, {"status": "closed"}, {"actor": "x\x00"},
                                  {"from": "2016", "to": "2015"}])
def test_bad_filters(args: dict[str, str]) -> None:
    with pytest.raises(Invalid):
        ReportFilters.from_args(args)


def test_bounded_queries(session: Session, world: World) -> None:
    with query_counter(session) as small:
        report(session)
    for i in range(10):
        claim = make(session, "claims", text=f"Claim {i}")
        other = make(session, "claims", text=f"Not claim {i}")
        make(session, "contradictions", claim_a_id=claim["id"], claim_b_id=other["id"], kind="other")
        world.statement(world.sources[i % 3], world.aridi if i % 2 else world.sham, f"Says {i}", stated="2015",
                        claims=[{"claim_id": claim["id"], "stance": "asserts"},
                                {"claim_id": other["id"], "stance": "denies"}])
    with query_counter(session) as big:
        report(session)
    assert len(big) == len(small)


def test_csv_and_markdown(session: Session, world: World) -> None:
    make(session, "actors", name="=HYPERLINK(1)", kind="person")
    r = report(session)
    rows = list(csv.DictReader(io.StringIO(report_formats.to_csv(r))))
    assert {row["section"] for row in rows} == {"contradiction", "stance_conflict", "mutual_accusation"}
    side_a = [row for row in rows if row["section"] == "contradiction" and row["side"] == "A"]
    assert len(side_a) == 4 and {row["origins"] for row in side_a} == {"1"}
    assert spreadsheet_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    text = report_formats.to_markdown(r)
    assert "## Explicit contradictions" in text and "1 independent origin" in text
    assert "## Stance conflicts" in text and "## Mutual accusations" in text


def test_pictures_escape_and_link(app: Any, session: Session, world: World) -> None:
    from claimdb.services.pages.timeline import claim_timeline
    from claimdb.web import pictures

    hostile = make(session, "actors", name="<script>alert(1)</script>", kind="faction")
    make(session, "accusations", statement_id=world.denial["id"], accused_id=hostile["id"], act="x",
         category="<b>c</b>")
    with app.test_request_context():  # the pictures link with url_for
        svg = str(pictures.accusation_network_svg(report(session).edges))
        timeline = str(pictures.claim_timeline_svg(claim_timeline(session, world.kidnap["id"])))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;c" in svg
    assert f'href="/actors/{hostile["id"]}"' in svg
    assert timeline.startswith("<svg") and f'href="/statements/{world.denial["id"]}"' in timeline
    assert "Denies" in timeline and "Asserts" in timeline


def test_report_page_and_downloads(app: Any, client_for: Any, api_for: Any) -> None:
    with app.app_context():  # not the `session` fixture: its app context would outlive requests (and logins)
        from claimdb.db import db
        build(db.session)
    page = client_for("viewer").get("/reports/contradictions?actor=Hazzm")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Summary" in html and "<svg" in html and "independent origin" in html and "Mutual accusations" in html
    for client, headers, prefix in ((client_for("viewer"), {}, ""), (app.test_client(), api_for("viewer"), "/api/v1")):
        for fmt, kind in (("csv", "text/csv"), ("md", "text/markdown")):
            got = client.get(f"{prefix}/reports/contradictions?format={fmt}&actor=Hazzm", headers=headers)
            assert got.status_code == 200 and got.content_type.startswith(kind)
            assert got.headers["Content-Disposition"].startswith("attachment;")
            assert "Hazzm" in got.get_data(as_text=True)  # read to the end: the download is streamed
    body = app.test_client().get("/api/v1/reports/contradictions", headers=api_for("viewer")).get_json()
    assert set(body) >= {"filters", "contradictions", "stance_conflicts", "mutual_accusations"}
    for bad in ("from=notadate", "actor=%00", "format=pdf"):
        got = app.test_client().get(f"/api/v1/reports/contradictions?{bad}", headers=api_for("viewer"))
        assert got.status_code == 422 and got.content_type.startswith("application/problem+json")
    assert client_for("viewer").get("/reports/contradictions?from=x").status_code == 422
    assert app.test_client().get("/reports/contradictions").status_code in (302, 303)


def test_demo_report(session: Session, demo: Any) -> None:
    r = report(session)
    assert r.totals["contradictions"] >= 3
    assert any({a["name"] for a in m["actors"]} == {"Nusra Front", "Hazzm Movement"} for m in r.mutual_accusations)
    nusra = report(session, faction="Jabhat al-Nusra")
    assert nusra.totals["contradictions"] >= 1 and nusra.edges
    assert all(side["origins"] >= 1 for c in r.contradictions for side in c["sides"] if side["statements"])
