"""The record forms through the test client with CSRF on: create, reject and keep input, stale edits,
guarded deletes, history."""

from __future__ import annotations

from typing import Any

from flask import Flask

from claimdb.db import db
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

from web_support import build, form_fields, text, token


def read(app: Flask, noun: str, record_id: int) -> dict[str, Any]:
    with app.app_context():
        return lifecycle.get(db.session, RESOURCES[noun], record_id)


def post_form(client: Any, path: str, data: dict[str, str], form_path: str | None = None) -> Any:
    return client.post(path, data={**data, "csrf_token": token(client, form_path or path)})


def new_id(response: Any, noun: str) -> int:
    assert response.status_code == 302, (response.status_code, text(response)[:2000])
    location = response.headers["Location"]
    assert location.startswith(f"/{noun}/"), location
    return int(location.rsplit("/", 1)[1])


def test_an_analyst_records_each_noun_through_its_form(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    actor = new_id(post_form(analyst, "/actors/new", {
        "name": "Abu Maria al-Qahtani", "kind": "person", "aliases": "al-Qahtani\r\nأبو ماريا القحطاني [ar]",
        "description": "Nusra's Sharia leader\r\nuntil replaced", "reliability": ""}), "actors")
    stored = read(app, "actors", actor)
    assert stored["aliases"] == [{"name": "al-Qahtani", "language": None},
                                 {"name": "أبو ماريا القحطاني", "language": "ar"}]
    assert stored["description"] == "Nusra's Sharia leader\nuntil replaced" and stored["reliability"] is None

    # Actor fields take a typed alias as well as an id; dates are typed as analysts write them.
    affiliation = new_id(post_form(analyst, "/affiliations/new", {
        "member_id": str(actor), "organization_id": "Jabhat al-Nusra", "role": "leader",
        "start": "March 2014", "end": "2015", "statement_id": ""}), "affiliations")
    assert read(app, "affiliations", affiliation) | {"version": 0} == {
        "id": affiliation, "member_id": actor, "organization_id": d.nusra, "role": "leader", "start": "2014-03",
        "end": "2015", "statement_id": None, "note": None, "version": 0}
    assert "March 2014" in text(analyst.get(f"/affiliations/{affiliation}"))  # dates read as analysts write them

    claim = new_id(post_form(analyst, "/claims/new", {
        "text": "Nusra withdrew its fighters from the frontlines", "occurred": "1 March 2015", "location": "",
        "status": "disputed", "tags": "withdrawal, frontline , "}), "claims")
    assert read(app, "claims", claim)["occurred"] == "2015-03-01"
    assert read(app, "claims", claim)["tags"] == ["frontline", "withdrawal"]

    accusation = new_id(post_form(analyst, "/accusations/new", {
        "statement_id": str(d.statement), "accuser_id": "", "accused_id": "Hazzm", "act": "escalated first",
        "category": "escalation", "claim_id": ""}), "accusations")
    assert read(app, "accusations", accusation)["accuser_id"] == d.nusra  # the speaker, by default

    contradiction = new_id(post_form(analyst, "/contradictions/new", {
        "claim_a_id": str(claim), "claim_b_id": "kidnapped nobody", "kind": "incompatible", "status": "open",
        "note": ""}), "contradictions")
    assert read(app, "contradictions", contradiction)["claim_b_id"] == d.other_claim

    page = text(analyst.get(f"/contradictions/{contradiction}"))
    assert "Nusra withdrew its fighters" in page and "Hazzm kidnapped nobody" in page


def test_a_new_form_is_prefilled_from_the_query_string(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    page = text(analyst.get(f"/contradictions/new?claim_a_id={d.claim}"))
    assert form_fields(page)["claim_a_id"] == str(d.claim)
    assert "Hazzm kidnapped four Nusra members" in page  # the chosen claim is named next to the field


def test_a_rejected_form_keeps_what_was_typed_and_says_why(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    response = post_form(analyst, "/claims/new", {"text": "", "location": "Atarib countryside",
                                                  "occurred": "2015-02-30", "status": "unverified",
                                                  "tags": "a, b"})
    page = text(response)
    assert response.status_code == 422
    assert 'value="Atarib countryside"' in page and 'value="2015-02-30"' in page and 'value="a, b"' in page
    assert "Required." in page and "There is a problem" in page

    response = post_form(analyst, "/affiliations/new", {"member_id": "Nobody Known", "organization_id": "Levant",
                                                        "role": "member", "start": "2016", "end": "2015"})
    page = text(response)
    assert response.status_code == 422
    assert "No actor is called “Nobody Known”" in page and 'value="Nobody Known"' in page

    response = post_form(analyst, "/affiliations/new", {"member_id": str(d.sham), "organization_id": str(d.levant),
                                                        "role": "member", "start": "2016", "end": "2015"})
    assert response.status_code == 422 and "before the start" in text(response)

    response = post_form(analyst, "/contradictions/new", {"claim_a_id": str(d.claim), "claim_b_id": str(d.claim),
                                                          "kind": "other", "status": "open"})
    assert response.status_code == 422 and "cannot contradict itself" in text(response)

    response = post_form(analyst, "/actors/new", {"name": "Bad\x01name", "kind": "nonsense"})
    assert response.status_code == 422 and 'value="Bad' in text(response)
    with app.app_context():
        assert lifecycle.list_records(db.session, RESOURCES["affiliations"], {}, lifecycle.Page()).total == 1


def test_a_form_without_a_valid_csrf_token_stores_nothing(app: Flask, users: Any, client_for: Any) -> None:
    build(app)
    analyst = client_for("analyst")
    assert analyst.post("/claims/new", data={"text": "posted without a token"}).status_code == 400
    assert analyst.post("/claims/new", data={"text": "forged", "csrf_token": "forged"}).status_code == 400
    assert "posted without a token" not in text(analyst.get("/claims"))


def test_a_stale_edit_is_refused_shows_the_other_change_and_keeps_the_input(app: Flask, users: Any,
                                                                             client_for: Any) -> None:
    d = build(app)
    first, second = client_for("analyst"), client_for("admin")
    form_one = form_fields(text(first.get(f"/claims/{d.claim}/edit")))
    form_two = form_fields(text(second.get(f"/claims/{d.claim}/edit")))
    assert form_one["version"] == "1" and form_one["occurred"] == "February 2015"

    saved = first.post(f"/claims/{d.claim}/edit", data={**form_one, "text": "Edited by one", "status": "refuted"})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/claims/{d.claim}"

    stale = second.post(f"/claims/{d.claim}/edit", data={**form_two, "text": "Edited by two", "location": "Aleppo"})
    page = text(stale)
    assert stale.status_code == 409
    assert read(app, "claims", d.claim)["text"] == "Edited by one"
    assert "Edited by two" in page and 'value="Aleppo"' in page  # the analyst's own input is kept
    assert "Hazzm kidnapped four Nusra members" in page and "Edited by one" in page  # what the other changed
    assert "Refuted" in page or "refuted" in page
    assert form_fields(page)["version"] == "1"  # not silently moved to the current version

    rebased = second.post(f"/claims/{d.claim}/edit", data={**form_fields(page), "rebase": "1"})
    page = text(rebased)
    assert rebased.status_code == 200 and form_fields(page)["version"] == "2"
    assert read(app, "claims", d.claim)["text"] == "Edited by one"  # re-basing alone saves nothing
    done = second.post(f"/claims/{d.claim}/edit", data=form_fields(page))
    assert done.status_code == 302
    assert read(app, "claims", d.claim)["text"] == "Edited by two"


def test_an_unchanged_edit_creates_no_version(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    for noun, i in (("actors", d.nusra), ("affiliations", d.affiliation), ("claims", d.claim),
                    ("accusations", d.accusation), ("contradictions", d.contradiction)):
        before = read(app, noun, i)
        fields = form_fields(text(analyst.get(f"/{noun}/{i}/edit")))
        response = analyst.post(f"/{noun}/{i}/edit", data=fields)
        assert response.status_code == 302, (noun, text(response)[:3000])
        assert read(app, noun, i) == before, noun


def test_a_guarded_delete_names_the_dependants(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    admin = client_for("admin")
    response = admin.post(f"/actors/{d.nusra}/delete", data={"csrf_token": token(admin)})
    page = text(response)
    assert response.status_code == 409
    assert "statement" in page.lower() and f'href="/statements/{d.statement}"' in page
    assert f'href="/accusations/{d.accusation}"' in page
    assert admin.get(f"/actors/{d.nusra}").status_code == 200

    response = admin.post(f"/claims/{d.other_claim}/delete", data={"csrf_token": token(admin)})
    assert response.status_code == 409 and f'href="/contradictions/{d.contradiction}"' in text(response)


def test_history_shows_who_changed_what(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    analyst = client_for("analyst")
    fields = form_fields(text(analyst.get(f"/actors/{d.hazzm}/edit")))
    analyst.post(f"/actors/{d.hazzm}/edit", data={**fields, "name": "Hazzm Movement", "reliability": "D"})
    page = text(client_for("viewer").get(f"/actors/{d.hazzm}/history"))
    assert "analyst" in page and "Harakat Hazzm" in page and "Hazzm Movement" in page
    assert "changed" in page and "created" in page
    assert page.index("Hazzm Movement") < page.index("created")  # newest first

    page = text(analyst.get(f"/affiliations/{d.affiliation}/history"))
    assert "Mujahed al-Sham" in page  # references are named, not just numbered


def test_the_cross_reference_pages_show_what_records_touch(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for("viewer")
    page = text(viewer.get(f"/actors/{d.nusra}"))
    assert "Jabhat al-Nusra" in page and "جبهة النصرة" in page
    assert f'href="/statements/{d.statement}"' in page  # its statement
    assert "kidnapped four members" in page and "Harakat Hazzm" in page  # accusation made, with counterpart
    assert f'href="/claims/{d.claim}"' in page and f'href="/contradictions/{d.contradiction}"' in page

    page = text(viewer.get(f"/actors/{d.hazzm}"))
    assert "Accused by" in page and "Nusra Front" in page  # accusation received
    assert "Statements about" in page and f'href="/statements/{d.statement}"' in page

    page = text(viewer.get(f"/actors/{d.sham}"))
    assert "Levant Front" in page and "2014" in page  # affiliation timeline

    page = text(viewer.get(f"/claims/{d.claim}"))
    assert "Asserted by" in page and "Denied by" in page and "Nusra Front" in page and "Harakat Hazzm" in page
    assert "Nusra drives Hazzm from Aleppo" in page  # the source of each holder
    assert f'href="/contradictions/{d.contradiction}"' in page

    page = text(viewer.get(f"/contradictions/{d.contradiction}"))
    assert "Hazzm kidnapped four Nusra members" in page and "Hazzm kidnapped nobody" in page
    assert "Held by" in page and "Nusra Front" in page

    page = text(viewer.get(f"/accusations/{d.accusation}"))
    assert "Nusra Front" in page and "Harakat Hazzm" in page and "kidnapping" in page


def test_lists_filter_and_sort(app: Flask, users: Any, client_for: Any) -> None:
    d = build(app)
    viewer = client_for("viewer")
    page = text(viewer.get("/actors?q=jabhat"))
    assert "Nusra Front" in page and "Harakat Hazzm" not in page
    page = text(viewer.get("/actors?kind=person"))
    assert "Mujahed al-Sham" in page and "Nusra Front" not in page
    page = text(viewer.get("/claims?status=disputed"))
    assert "Hazzm kidnapped four" in page and "kidnapped nobody" not in page
    assert "kidnapped nobody" not in text(viewer.get("/claims?tag=kidnapping"))
    page = text(viewer.get("/accusations?accused_id=Hazzm"))
    assert "kidnapped four members" in page
    assert "kidnapped four members" not in text(viewer.get(f"/accusations?accused_id={d.nusra}"))
    page = text(viewer.get("/accusations?accuser_id=Nobody"))
    assert "No actor is called" in page
    page = text(viewer.get("/affiliations?actor_id=Levant Force"))
    assert "Mujahed al-Sham" in page
    response = viewer.get("/claims?from=soon&sort=bogus&page=0")
    assert response.status_code == 422 and "These filters cannot be used" in text(response)
    names = text(viewer.get("/actors?sort=-name"))
    assert names.index("Syria Direct") < names.index("Harakat Hazzm")
    assert "No contradictions" in text(viewer.get("/contradictions?status=resolved"))


def test_a_stale_edit_of_an_imported_record_still_shows_what_changed(app: Flask, users: Any, client_for: Any,
                                                                    demo: Any) -> None:
    first, second = client_for("analyst"), client_for("admin")
    claim_id = 1
    form_one = form_fields(text(first.get(f"/claims/{claim_id}/edit")))
    form_two = form_fields(text(second.get(f"/claims/{claim_id}/edit")))
    original = read(app, "claims", claim_id)
    assert first.post(f"/claims/{claim_id}/edit", data={**form_one, "location": "Changed by one"}).status_code == 302
    stale = second.post(f"/claims/{claim_id}/edit", data={**form_two, "status": "refuted"})
    page = text(stale)
    assert stale.status_code == 409 and "When you opened the form" in page
    assert "Changed by one" in page and (original["location"] or "—") in page
    rebased = form_fields(text(second.post(f"/claims/{claim_id}/edit", data={**form_fields(page), "rebase": "1"})))
    assert rebased["version"] == "2" and "Changed by one" in rebased["started"]
    assert second.post(f"/claims/{claim_id}/edit", data=rebased).status_code == 302
    after = read(app, "claims", claim_id)
    assert after["status"] == "refuted" and after["location"] == "Changed by one"
