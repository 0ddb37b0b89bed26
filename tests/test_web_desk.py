"""The analyst's desk without a browser: the source page's annotations, form helpers, the claim page hints."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from claimdb.models.values import ActorKind
from claimdb.web.lookups import categories_for_act

from web_support import csrf_token, make, read

BODY = ("Nusra said Hazzm kidnapped four Nusra members. "
        "Hazzm denied it, the group reportedly said.")


@pytest.fixture
def world(app: Flask, users: Any) -> dict[str, int]:
    ids = {"nusra": make(app, "actors", {"name": "Nusra Front", "kind": "faction", "aliases": [{"name": "Nusra"}]}),
           "hazzm": make(app, "actors", {"name": "Hazzm Movement", "kind": "faction", "aliases": [{"name": "Hazzm"}]})}
    ids["src"] = make(app, "sources", {"title": "Desk", "kind": "news_article", "body": BODY,
                                       "published": "2015-03-01"})
    ids["claim"] = make(app, "claims", {"text": "Hazzm kidnapped four Nusra members"})
    ids["says"] = make(app, "statements", {
        "source_id": ids["src"], "speaker_id": ids["nusra"], "quote_type": "indirect", "cue": "said",
        "text": "Hazzm kidnapped four Nusra members", "span": {"start": 11, "end": 45},
        "claims": [{"claim_id": ids["claim"], "stance": "asserts", "certainty": "certain"}]})
    ids["denies"] = make(app, "statements", {
        "source_id": ids["src"], "speaker_id": ids["hazzm"], "quote_type": "indirect", "hedge": "reportedly",
        "text": "Hazzm denied it", "span": {"start": 47, "end": 62},
        "claims": [{"claim_id": ids["claim"], "stance": "denies", "certainty": "unknown"}]})
    make(app, "accusations", {"statement_id": ids["says"], "accuser_id": ids["nusra"], "accused_id": ids["hazzm"],
                              "act": "kidnapped four members", "category": "kidnapping"})
    return ids


def test_the_source_page_is_an_annotation_view(client_for: Any, world: dict[str, int]) -> None:
    html = client_for("viewer").get(f"/sources/{world['src']}").get_data(as_text=True)
    # a colour per speaker, by first appearance, as classes (no style attributes: CSP)
    assert re.search(rf'<a class="span sp-0 outer q-indirect" href="/statements/{world["says"]}"', html)
    assert re.search(rf'<a class="span sp-1 outer hedged q-indirect" href="/statements/{world["denies"]}"', html)
    assert 'data-label="Nusra Front"' in html and " style=" not in html
    assert re.search(r'class="legend-item sp-0" data-speaker-id="\d+" aria-pressed="true">.*Nusra Front', html)
    # the margin note: speaker, cue, claims with stance, accusations, a link to the statement
    card = html[html.index(f'id="card-{world["says"]}"'):]
    card = card[:card.index("</li>\n</li>") if "</li>\n</li>" in card else 3000]
    assert "Nusra Front" in card and "said" in card and "asserts" in card
    assert "accuses" in card and "kidnapping" in card and f'href="/statements/{world["says"]}"' in card
    assert f'aria-describedby="card-{world["says"]}"' in html
    # indirect speech is not printed in quotation marks
    assert "“Hazzm kidnapped four Nusra members”" not in html


def test_a_claim_asserted_and_denied_is_offered_disputed(client_for: Any, world: dict[str, int], app: Flask) -> None:
    analyst = client_for("analyst")
    html = analyst.get(f"/claims/{world['claim']}").get_data(as_text=True)
    assert "this claim is <strong>disputed</strong>" in html
    form = html[html.index('<div class="status-hint"'):]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form[:form.index("</form>")]))
    r = analyst.post(f"/claims/{world['claim']}/edit", data={**fields, "csrf_token": csrf_token(html)})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    claim = read(app, "claims", world["claim"])
    assert claim["status"] == "disputed" and claim["text"] == "Hazzm kidnapped four Nusra members"
    assert "status-hint" not in analyst.get(f"/claims/{world['claim']}").get_data(as_text=True)


def test_the_timeline_places_an_undated_statement_on_its_sources_date(client_for: Any, world: dict[str, int]) -> None:
    html = client_for("viewer").get(f"/claims/{world['claim']}").get_data(as_text=True)
    assert "2015-03-01" in html and "publication date" in html
    assert ">undated<" not in html


def test_categories_are_offered_from_the_act() -> None:
    used = ["treason", "kidnapping", "aggression", "killing"]
    assert categories_for_act(used, "kidnapped four Nusra members and leaders") == ["kidnapping"]
    assert categories_for_act(used, "killing and capturing a number of its fighters") == ["killing"]
    assert categories_for_act(used, "something else entirely") == []


def test_the_category_lookup_takes_the_act(client_for: Any, world: dict[str, int]) -> None:
    r = client_for("analyst").get("/lookup/categories?act=kidnapping+of+members")
    assert r.get_json() == [{"id": "kidnapping", "label": "kidnapping"}]


def test_actor_fields_create_with_a_kind_and_the_publisher_as_media(client_for: Any, world: dict[str, int]) -> None:
    analyst = client_for("analyst")
    html = analyst.get("/sources/new").get_data(as_text=True)
    assert 'data-create-kinds="media"' in html
    html = analyst.get(f"/statements/new?source_id={world['src']}").get_data(as_text=True)
    assert f'data-create-kinds="{",".join(ActorKind)}"' in html  # every kind, person first
