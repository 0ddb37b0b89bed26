"""Attribution suggestions through the API and the source page's actions: the contract's shape, roles,
dismissing, accepting, CSRF, training, and how long a 5,000-character article takes."""

from __future__ import annotations

import statistics
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from claimdb.db import db
from claimdb.models import DismissedSuggestion, Source, Statement

from web_support import login, snapshot, token

API = "/api/v1"
KEYS = {"span", "text", "quote_type", "cue", "cue_span", "hedge", "speaker", "speaker_span", "reported_by",
        "statement_id", "confidence"}


def demo_source_id(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Source.id)))


def conforms(doc: dict[str, Any], name: str, instance: Any) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=str)
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def post(client: FlaskClient, path: str, headers: dict[str, str], body: Any) -> Any:
    return client.post(path, headers=headers, json=body)


def test_the_demo_suggestions_answer_the_contract(app: Flask, client: FlaskClient, api_for: Any, demo: Any) -> None:
    source = demo_source_id(app)
    viewer = api_for("viewer")
    started = time.perf_counter()
    response = client.get(f"{API}/sources/{source}/suggestions", headers=viewer)
    print(f"\ndemo article through the API: {(time.perf_counter() - started) * 1000:.1f} ms")
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"items"}
    items = answer["items"]
    body = client.get(f"{API}/sources/{source}", headers=viewer).get_json()["body"]
    assert items and [i["span"]["start"] for i in items] == sorted(i["span"]["start"] for i in items)
    for item in items:
        assert set(item) == KEYS
        assert set(item["speaker"]) == {"id", "name"}
        assert item["text"] == body[item["span"]["start"]:item["span"]["end"]]
        assert item["quote_type"] in ("direct", "indirect", "paraphrase")
        for key in ("cue_span", "speaker_span"):
            assert item[key] is None or set(item[key]) == {"start", "end"}
        assert item["cue_span"] is None or body[item["cue_span"]["start"]:item["cue_span"]["end"]] == item["cue"]
        assert 0.6 <= item["confidence"] <= 1  # the page's threshold is the default
        assert item["reported_by"] is None or items[item["reported_by"]]["span"]["start"] <= item["span"]["start"]
    pledge = next(i for i in items if i["text"].startswith("that it would intervene"))
    assert pledge["speaker"]["name"] == "Levant Front" and isinstance(pledge["speaker"]["id"], int)
    assert body[pledge["speaker_span"]["start"]:pledge["speaker_span"]["end"]] == "the Levant Force"
    parent = items[pledge["reported_by"]]
    assert parent["speaker"]["name"] == "Mujahed al-Sham" and parent["statement_id"] is not None
    recorded = client.get(f"{API}/statements/{pledge['statement_id']}", headers=viewer).get_json()
    assert recorded["reported_by_id"] == parent["statement_id"]
    everything = client.get(f"{API}/sources/{source}/suggestions?min_confidence=0", headers=viewer).get_json()
    assert len(everything["items"]) > len(items)
    doc = client.get(f"{API}/openapi.json").get_json()
    conforms(doc, "SuggestionList", everything)
    assert {"/sources/{id}/suggestions", "/sources/{id}/suggestions/dismissals", "/sources/{id}/suggestions/accept",
            "/suggestions/training"} <= set(doc["paths"])
    for bad in ("2", "-0.1", "x", "nan"):
        refused = client.get(f"{API}/sources/{source}/suggestions?min_confidence={bad}", headers=viewer)
        assert refused.status_code == 422 and "min_confidence" in refused.get_json()["errors"]
    assert client.get(f"{API}/sources/999999/suggestions", headers=viewer).status_code == 404


def test_offsets_are_code_points(app: Flask, client: FlaskClient, api_for: Any) -> None:
    analyst = api_for("analyst")
    body = "𝕏 🙂 Update. Nusra said that Hazzm kidnapped four members."  # astral characters: two UTF-16 units each
    source = post(client, f"{API}/sources", analyst, {"title": "t", "kind": "news_article", "body": body})
    items = client.get(f"{API}/sources/{source.get_json()['id']}/suggestions", headers=analyst).get_json()["items"]
    (item,) = items
    assert item["span"] == {"start": body.index("that"), "end": len(body) - 1}
    assert item["speaker_span"] == {"start": 12, "end": 17} and body[12:17] == "Nusra"
    assert item["speaker"] == {"id": None, "name": "Nusra"}


def test_roles_viewers_read_analysts_act_anonymous_is_refused(app: Flask, client: FlaskClient, api_for: Any,
                                                              demo: Any) -> None:
    source = demo_source_id(app)
    viewer = api_for("viewer")
    path = f"{API}/sources/{source}/suggestions"
    assert client.get(path).status_code == 401
    assert client.get(f"{API}/suggestions/training").status_code == 401
    assert client.get(path, headers=viewer).status_code == 200
    assert client.get(f"{API}/suggestions/training", headers=viewer).status_code == 200
    span = client.get(path, headers=viewer).get_json()["items"][0]["span"]
    before = snapshot(app)
    for action in ("dismissals", "accept"):
        assert post(client, f"{path}/{action}", {}, {"span": span}).status_code == 401
        assert post(client, f"{path}/{action}", viewer, {"span": span}).status_code == 403
    assert post(client, f"{API}/suggestions/training", viewer, {}).status_code == 403
    assert snapshot(app) == before


def test_dismissing_hides_it_for_that_source_only(app: Flask, client: FlaskClient, api_for: Any, demo: Any) -> None:
    source = demo_source_id(app)
    analyst = api_for("analyst")
    body = client.get(f"{API}/sources/{source}", headers=analyst).get_json()["body"]
    twin = post(client, f"{API}/sources", analyst, {"title": "Syndicated", "kind": "news_article", "body": body})
    twin_id = twin.get_json()["id"]
    path = f"{API}/sources/{source}/suggestions"
    target = next(i for i in client.get(path, headers=analyst).get_json()["items"] if i["statement_id"] is None)
    first = post(client, f"{path}/dismissals", analyst, {"span": target["span"]})
    assert first.status_code == 201
    dismissal = first.get_json()
    assert (dismissal["span"], dismissal["text"], dismissal["dismissed_by"]) == (target["span"], target["text"],
                                                                                 "analyst")
    assert post(client, f"{path}/dismissals", analyst, {"span": target["span"]}).status_code == 200
    assert target["span"] not in [i["span"] for i in client.get(path, headers=analyst).get_json()["items"]]
    in_twin = client.get(f"{API}/sources/{twin_id}/suggestions", headers=analyst).get_json()["items"]
    assert target["span"] in [i["span"] for i in in_twin]
    refused = post(client, f"{path}/dismissals", analyst, {"span": {"start": 0, "end": 2}})
    assert refused.status_code == 422 and "span" in refused.get_json()["errors"]
    assert post(client, f"{path}/dismissals", analyst, {"span": {"start": "0", "end": 2}}).status_code == 422
    assert post(client, f"{path}/dismissals", analyst, {"span": target["span"], "x": 1}).status_code == 422
    assert post(client, f"{API}/sources/999999/suggestions/dismissals", analyst,
                {"span": target["span"]}).status_code == 404


def test_accepting_records_the_statement_which_then_marks_the_suggestion(app: Flask, client: FlaskClient,
                                                                         api_for: Any) -> None:
    analyst = api_for("analyst")
    sham = post(client, f"{API}/actors", analyst, {"name": "Mujahed al-Sham", "kind": "person"}).get_json()["id"]
    body = 'Mujahed al-Sham said that the clashes began at dawn. Abu Nobody said that the base fell.'
    source = post(client, f"{API}/sources", analyst, {"title": "t", "kind": "news_article", "body": body})
    path = f"{API}/sources/{source.get_json()['id']}/suggestions"
    known, unknown = client.get(path, headers=analyst).get_json()["items"]
    made = post(client, f"{path}/accept", analyst, {"span": known["span"], "stated": "2015-03"})
    assert made.status_code == 201
    statement = made.get_json()
    assert made.headers["Location"].endswith(f"/statements/{statement['id']}")
    assert statement == client.get(f"{API}/statements/{statement['id']}", headers=analyst).get_json()
    assert (statement["speaker_id"], statement["text"], statement["cue"], statement["stated"], statement["span"]) == (
        sham, known["text"], "said", "2015-03", known["span"])
    marked = client.get(path, headers=analyst).get_json()["items"][0]
    assert marked["statement_id"] == statement["id"]
    assert post(client, f"{path}/accept", analyst, {"span": known["span"]}).status_code == 422  # already recorded
    refused = post(client, f"{path}/accept", analyst, {"span": unknown["span"]})
    assert refused.status_code == 422 and "speaker_id" in refused.get_json()["errors"]
    assert "Abu Nobody" in refused.get_json()["errors"]["speaker_id"]
    given = post(client, f"{path}/accept", analyst, {"span": unknown["span"], "speaker_id": sham,
                                                     "quote_type": "paraphrase", "cue": "claimed"})
    assert given.status_code == 201 and (given.get_json()["cue"], given.get_json()["quote_type"]) == (
        "claimed", "paraphrase")
    doc = client.get(f"{API}/openapi.json").get_json()
    conforms(doc, "Statement", given.get_json())


def _form_client(app: Flask, role: str) -> tuple[FlaskClient, str]:
    client = login(app.test_client(), role)
    return client, token(client, "/")


def test_web_actions_need_csrf_and_go_back_to_the_suggestions(app: Flask, users: Any, demo: Any) -> None:
    source = demo_source_id(app)
    browser, csrf = _form_client(app, "analyst")
    items = browser.get(f"{API}/sources/{source}/suggestions").get_json()["items"]
    target = next(i for i in items if i["statement_id"] is None and i["speaker"]["id"] is not None)
    fields = {"span_start": target["span"]["start"], "span_end": target["span"]["end"]}
    before = snapshot(app)
    for action in ("dismiss", "accept"):
        assert browser.post(f"/sources/{source}/suggestions/{action}", data=fields).status_code == 400
    assert snapshot(app) == before
    dismissed = browser.post(f"/sources/{source}/suggestions/dismiss", data={**fields, "csrf_token": csrf})
    assert dismissed.status_code == 302
    assert dismissed.headers["Location"].endswith(f"/sources/{source}#suggestions")
    with app.app_context():
        assert db.session.scalar(select(func.count(DismissedSuggestion.id))) == 1
    accepted = browser.post(f"/sources/{source}/suggestions/accept",
                            data={**fields, "csrf_token": csrf, "text": target["text"], "cue": target["cue"],
                                  "hedge": "", "stated": "March 2015", "credibility": "3",
                                  "speaker_id": str(target["speaker"]["id"])})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/sources/{source}#suggestions")
    page = browser.get(f"/sources/{source}").get_data(as_text=True)
    assert "recorded from the suggestion" in page
    with app.app_context():
        st = db.session.scalars(select(Statement).order_by(Statement.id.desc())).first()
        assert (st.text, st.credibility, st.hedge, st.stated_precision) == (target["text"], 3, None, "month")
        assert db.session.scalar(select(func.count(DismissedSuggestion.id))) == 0  # accepting undoes the dismissal
    viewer, viewer_csrf = _form_client(app, "viewer")
    assert viewer.post(f"/sources/{source}/suggestions/dismiss",
                       data={**fields, "csrf_token": viewer_csrf}).status_code == 403
    assert browser.post("/sources/999999/suggestions/dismiss",
                        data={**fields, "csrf_token": csrf}).status_code == 404


def test_a_refused_web_accept_opens_the_statement_form_with_what_was_sent(app: Flask, users: Any) -> None:
    browser, csrf = _form_client(app, "analyst")
    body = "Abu Nobody said that the base fell."
    with app.app_context():
        source = Source(title="t", kind="news_article", body=body)
        db.session.add(source)
        db.session.commit()
        source_id = source.id
    (item,) = browser.get(f"{API}/sources/{source_id}/suggestions").get_json()["items"]
    answer = browser.post(f"/sources/{source_id}/suggestions/accept",
                          data={"csrf_token": csrf, "span_start": item["span"]["start"],
                                "span_end": item["span"]["end"], "cue": "claimed"})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith("/statements/new?") and "cue=claimed" in location and "span_start=" in location
    form = browser.get(location).get_data(as_text=True)
    assert "Abu Nobody" in form and "claimed" in form
    bad = browser.post(f"/sources/{source_id}/suggestions/dismiss", data={"csrf_token": csrf, "span_start": "x"})
    assert bad.status_code == 302


def test_training_on_explicit_action(app: Flask, client: FlaskClient, api_for: Any, users: Any) -> None:
    analyst = api_for("analyst")
    status = client.get(f"{API}/suggestions/training", headers=analyst).get_json()
    assert status["trained_at"] is None and status["due"] is False
    refused = post(client, f"{API}/suggestions/training", analyst, {})
    assert refused.status_code == 422  # nothing to learn from yet
    speaker = post(client, f"{API}/actors", analyst, {"name": "Officials", "kind": "group"}).get_json()["id"]
    for i in range(2):
        body = f"The mayor said that the bridge number {i} was closed.\nThere are reports that it reopened."
        source = post(client, f"{API}/sources", analyst, {"title": f"t{i}", "kind": "news_article", "body": body})
        path = f"{API}/sources/{source.get_json()['id']}/suggestions"
        named, rumour = client.get(f"{path}?min_confidence=0", headers=analyst).get_json()["items"]
        accepted = post(client, f"{path}/accept", analyst, {"span": named["span"], "speaker_id": speaker})
        assert accepted.status_code == 201
        assert post(client, f"{path}/dismissals", analyst, {"span": rumour["span"]}).status_code == 201
    trained = post(client, f"{API}/suggestions/training", analyst, {})
    assert trained.status_code == 200
    result = trained.get_json()
    assert (result["report"]["sources"], result["report"]["attributions"], result["report"]["dismissals"]) == (2, 2, 2)
    assert result["status"]["trained_at"] is not None
    conforms(client.get(f"{API}/openapi.json").get_json(), "TrainingResult", result)
    browser, csrf = _form_client(app, "analyst")
    again = browser.post("/suggestions/train", data={"csrf_token": csrf, "next": "/sources"})
    assert again.status_code == 302 and again.headers["Location"] == "/sources"
    assert "Trained on 2 source(s)" in browser.get("/sources").get_data(as_text=True)


def test_a_5000_character_article_through_the_api(app: Flask, client: FlaskClient, api_for: Any, demo: Any) -> None:
    """The limit is 200 ms end to end; measured and printed, not asserted (shared CI machines vary)."""
    analyst = api_for("analyst")
    demo_body = client.get(f"{API}/sources/{demo_source_id(app)}", headers=analyst).get_json()["body"]
    body = (demo_body * 2)[:5000]
    source = post(client, f"{API}/sources", analyst, {"title": "5k", "kind": "news_article", "body": body})
    path = f"{API}/sources/{source.get_json()['id']}/suggestions?min_confidence=0"
    times = []
    for _ in range(15):
        started = time.perf_counter()
        response = client.get(path, headers=analyst)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"\n5,000-character article through the API: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms over {len(times)} requests ({len(response.get_json()['items'])} suggestions)")
