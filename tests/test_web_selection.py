"""The source page's confirm card without a browser: the selection's guesses as JSON, and Record's form post."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from web_support import make, read, token

BODY = ("Nusra said Hazzm kidnapped four Nusra members on Saturday. "
        "Hazzm denied it, the group reportedly said.")


@pytest.fixture
def world(app: Flask, users: Any) -> dict[str, int]:
    ids = {"nusra": make(app, "actors", {"name": "Nusra Front", "kind": "faction", "aliases": [{"name": "Nusra"}]}),
           "hazzm": make(app, "actors", {"name": "Hazzm Movement", "kind": "faction", "aliases": [{"name": "Hazzm"}]})}
    ids["src"] = make(app, "sources", {"title": "Desk", "kind": "news_article", "body": BODY,
                                       "published": "2015-03-04"})
    ids["says"] = make(app, "statements", {
        "source_id": ids["src"], "speaker_id": ids["nusra"], "quote_type": "indirect", "cue": "said",
        "text": "Hazzm kidnapped four Nusra members on Saturday", "span": {"start": 11, "end": 57}})
    return ids


def test_a_selection_gets_the_forms_guesses_as_json(client_for: Any, world: dict[str, int]) -> None:
    analyst = client_for("analyst")
    start = BODY.index("Hazzm denied it")
    r = analyst.get(f"/sources/{world['src']}/selection?span_start={start}&span_end={start + 15}")
    assert r.status_code == 200 and r.mimetype == "application/json"
    card = r.get_json()
    assert card["text"] == "Hazzm denied it" and card["span"] == {"start": start, "end": start + 15}
    assert card["values"]["hedge"] == "reportedly" and card["values"]["stated"] == "4 March 2015"
    assert card["values"]["quote_type"] == "indirect" and card["values"]["source_id"] == str(world["src"])
    assert card["speaker"]["id"] in (world["hazzm"], world["nusra"]) and card["reasons"]
    assert {"id": world["nusra"], "name": "Nusra Front"} in card["speakers"]
    # the same guesses as the statement form's prefill
    form = analyst.get(f"/statements/new?source_id={world['src']}&span_start={start}&span_end={start + 15}")
    assert f'value="{card["values"]["hedge"]}"' in form.get_data(as_text=True)


def test_a_nested_selection_is_reported_through_the_enclosing_statement(client_for: Any,
                                                                        world: dict[str, int]) -> None:
    start = BODY.index("kidnapped")
    card = client_for("analyst").get(
        f"/sources/{world['src']}/selection?span_start={start}&span_end={start + 9}").get_json()
    assert card["values"]["reported_by_id"] == str(world["says"])
    assert card["reporters"][0]["id"] == world["says"] and card["reporters"][0]["speaker"] == "Nusra Front"
    assert card["values"]["stated"] == "28 February 2015"  # "on Saturday", from the source's Wednesday


@pytest.mark.parametrize("query", ["", "span_start=5", "span_start=a&span_end=9", "span_start=-1&span_end=4",
                                   "span_start=9&span_end=3", "span_start=0&span_end=100000",
                                   "span_start=99999999999&span_end=1", "span_start=4&span_end=4",
                                   "span_start=%00&span_end=4"])
def test_a_bad_span_is_a_400_problem(client_for: Any, world: dict[str, int], query: str) -> None:
    r = client_for("analyst").get(f"/sources/{world['src']}/selection?{query}")
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert r.get_json()["status"] == 400 and r.get_json()["errors"]


def test_a_missing_source_is_a_404_problem(client_for: Any, world: dict[str, int]) -> None:
    r = client_for("analyst").get("/sources/999999/selection?span_start=0&span_end=4")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_only_analysts_ask_for_guesses(client_for: Any, client: Any, world: dict[str, int]) -> None:
    path = f"/sources/{world['src']}/selection?span_start=0&span_end=5"
    assert client_for("viewer").get(path).status_code == 403
    anonymous = client.get(path)
    assert anonymous.status_code in (302, 401)
    if anonymous.status_code == 302:
        assert "/login" in anonymous.headers["Location"]
    assert client_for("admin").get(path).status_code == 200


def test_the_page_carries_the_card_for_analysts_only(client_for: Any, world: dict[str, int]) -> None:
    html = client_for("analyst").get(f"/sources/{world['src']}").get_data(as_text=True)
    assert 'id="selection-card"' in html and f'data-guess-url="/sources/{world["src"]}/selection"' in html
    card = html[html.index('id="selection-card"'):]
    assert 'name="csrf_token"' in card and 'action="/statements/new"' in card
    assert 'id="selection-card"' not in client_for("viewer").get(f"/sources/{world['src']}").get_data(as_text=True)


def test_record_posts_the_ordinary_create_with_csrf(client_for: Any, world: dict[str, int], app: Flask) -> None:
    analyst = client_for("analyst")
    start = BODY.index("Hazzm denied it")
    card = analyst.get(f"/sources/{world['src']}/selection?span_start={start}&span_end={start + 15}").get_json()
    fields = {**card["values"], "speaker_id": str(world["hazzm"]), "then": "source"}
    refused = analyst.post("/statements/new", data=fields)  # no token: nothing stored
    assert refused.status_code == 400
    r = analyst.post("/statements/new", data={**fields, "csrf_token": token(analyst, f"/sources/{world['src']}")})
    assert r.status_code == 302
    found = re.search(rf"/sources/{world['src']}#statement-(\d+)$", r.headers["Location"])
    assert found
    st = read(app, "statements", int(found.group(1)))
    assert st["span"] == {"start": start, "end": start + 15} and st["hedge"] == "reportedly"
    assert st["speaker_id"] == world["hazzm"] and st["stated"] == "2015-03-04"


def test_a_refused_record_comes_back_on_the_full_form_with_everything(client_for: Any,
                                                                      world: dict[str, int]) -> None:
    analyst = client_for("analyst")
    start = BODY.index("Hazzm denied it")
    card = analyst.get(f"/sources/{world['src']}/selection?span_start={start}&span_end={start + 15}").get_json()
    fields = {**card["values"], "speaker_id": "Nobody Known", "stated": "the day after never", "cue": "denied",
              "then": "source", "csrf_token": token(analyst, f"/sources/{world['src']}")}
    r = analyst.post("/statements/new", data=fields)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="speaker_id-errors"' in html and 'id="stated-errors"' in html  # all at once
    assert 'value="denied"' in html and 'value="the day after never"' in html and "Nobody Known" in html


@pytest.mark.parametrize(("body", "name", "full"), [
    ("Clinton blasts Trump. Hillary Clinton has a word for Donald Trump's plan.", "Clinton", "Hillary Clinton"),
    ("Clinton blasts Trump. Hillary Clinton has a word for Donald Trump's plan.", "Trump", "Donald Trump"),
    ("Yesterday Clinton said so. On Monday Clinton left.", "Clinton", "Clinton"),
    ("Mujahed al-Sham said it. Sham left.", "Sham", "Mujahed al-Sham"),
    ("Nusra said it.", "Nusra", "Nusra"),
])
def test_a_name_not_recorded_is_guessed_as_the_text_writes_it_in_full(body: str, name: str, full: str) -> None:
    from claimdb.services.pages.form_context import fuller_name

    assert fuller_name(body, name) == full


def test_the_card_guesses_a_new_speakers_full_name(client_for: Any, app: Flask, users: Any) -> None:
    body = "Clinton blasts Trump over his plan.\n\nHillary Clinton has a word for Donald Trump's plan."
    src = make(app, "sources", {"title": "Full names", "kind": "news_article", "body": body})
    start = body.index("Trump over")
    card = client_for("analyst").get(
        f"/sources/{src}/selection?span_start={start}&span_end={start + len('Trump over his plan')}").get_json()
    assert card["speaker"] == {"id": None, "name": "Hillary Clinton"}


def test_the_card_offers_who_the_sentence_names(client_for: Any, app: Flask, users: Any) -> None:
    body = "Clinton blasts Trump.\n\nHillary Clinton has a word for Donald Trump's plan to deport people."
    clinton = make(app, "actors", {"name": "Hillary Clinton", "kind": "person"})
    src = make(app, "sources", {"title": "Named", "kind": "news_article", "body": body})
    start = body.index("to deport")
    card = client_for("analyst").get(
        f"/sources/{src}/selection?span_start={start}&span_end={start + len('to deport people')}").get_json()
    named = {n["name"]: n["id"] for n in card["named"]}
    assert named.get("Donald Trump", 0) is None  # as the text writes him, not recorded yet
    assert card["speaker"]["id"] == clinton and "Hillary Clinton" not in named  # the guess is not repeated
