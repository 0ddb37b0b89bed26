"""Statement pages through the test client with CSRF on: quick entry, field errors, chains, claim links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from claimdb.db import db
from claimdb.models import Statement

from web_support import CLASHES as BODY
from web_support import csrf_token, make, post_form, read

NESTED = ("Despite a statement from the Levant Force that it would intervene if fighting broke out, "
          "no such action was taken, said Sham, according to the activist.")


@pytest.fixture
def desk(app: Flask, users: Any) -> dict[str, int]:
    """Speakers, two sources and a claim, ready for statements."""
    ids = {
        "sham": make(app, "actors", {"name": "Mujahed al-Sham", "kind": "person",
                                     "aliases": [{"name": "Sham"}]}),
        "front": make(app, "actors", {"name": "Levant Front", "kind": "faction",
                                      "aliases": [{"name": "Levant Force"}]}),
        "activist": make(app, "actors", {"name": "a Syrian activist", "kind": "unknown"}),
        "nusra": make(app, "actors", {"name": "Nusra Front", "kind": "faction"}),
    }
    ids["src"] = make(app, "sources", {"title": "Clashes", "kind": "news_article", "body": BODY})
    ids["other"] = make(app, "sources", {"title": "Nested", "kind": "news_article", "body": NESTED})
    ids["claim"] = make(app, "claims", {"text": "The Levant Front pledged to intervene"})
    return ids


def statement_form(desk: dict[str, int], **changes: Any) -> dict[str, Any]:
    data = {"source_id": str(desk["src"]), "speaker_id": str(desk["sham"]), "text": "the clashes began two nights ago",
            "quote_type": "indirect", "cue": "said", "stated": "2015-03-01", "span_start": "21", "span_end": "53"}
    return {**data, **changes}


def test_create_statement_redirects_to_its_page(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    r = post_form(client_for("analyst"), "/statements/new", statement_form(desk))
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    sid = int(re.search(r"/statements/(\d+)$", r.headers["Location"]).group(1))  # type: ignore[union-attr]
    st = read(app, "statements", sid)
    assert st["span"] == {"start": 21, "end": 53} and st["stated"] == "2015-03-01"


def test_selection_prefills_the_form_and_saving_returns_to_the_text(client_for: Any, desk: dict[str, int],
                                                                    app: Flask) -> None:
    analyst = client_for("analyst")
    url = f"/statements/new?source_id={desk['src']}&span_start=21&span_end=53&text=the+clashes+began+two+nights+ago"
    html = analyst.get(url).get_data(as_text=True)
    assert f'<input type="hidden" name="source_id" id="source_id" value="{desk["src"]}">' in html
    assert re.search(r'name="span_start"[^>]*value="21"', html) and re.search(r'name="span_end"[^>]*value="53"', html)
    assert "<mark>the clashes began two nights ago</mark>" in html  # the selected passage, shown
    assert 'name="then" value="source"' in html
    r = analyst.post(url, data={**statement_form(desk, speaker_id="al Sham", stated="March 2015"), "then": "source",
                                "csrf_token": csrf_token(html)})
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    location = r.headers["Location"]
    assert re.search(rf"/sources/{desk['src']}#statement-\d+$", location)
    sid = int(location.rsplit("-", 1)[1])
    st = read(app, "statements", sid)
    assert (st["speaker_id"], st["stated"]) == (desk["sham"], "2015-03")
    page = analyst.get(f"/sources/{desk['src']}").get_data(as_text=True)
    assert f'id="statement-{sid}"' in page and f"Statement #{sid} saved" in page


def test_direct_quote_mismatch_is_a_field_error_and_keeps_input(client_for: Any, desk: dict[str, int]) -> None:
    r = post_form(client_for("analyst"), "/statements/new",
                  statement_form(desk, quote_type="direct", text="the clashes started two nights ago",
                                 hedge="kept hedge"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "the clashes started two nights ago" in html and "kept hedge" in html
    assert re.search(r'<ul class="field-errors" id="text-errors">.*must equal the spanned text', html, re.S)


def test_bad_spans_are_field_errors(client_for: Any, desk: dict[str, int]) -> None:
    r = post_form(client_for("analyst"), "/statements/new", statement_form(desk, span_start="60", span_end="500"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'id="span_start-errors">.*must lie inside the source body', html, re.S)
    assert re.search(r'name="span_end"[^>]*value="500"', html)
    analyst = client_for("analyst")
    r = post_form(analyst, "/statements/new", statement_form(desk, span_end=""))
    assert r.status_code == 422 and "both ends of the span" in r.get_data(as_text=True)
    r = post_form(analyst, "/statements/new", statement_form(desk, span_start="40", span_end="30"))
    assert r.status_code == 422 and "end after it starts" in r.get_data(as_text=True)
    r = post_form(analyst, "/statements/new", statement_form(desk, span_start="x"))
    assert r.status_code == 422


def test_bad_references_are_field_errors(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    elsewhere = make(app, "statements", {"source_id": desk["other"], "speaker_id": desk["sham"], "text": "x",
                                         "quote_type": "paraphrase"})
    r = post_form(client_for("analyst"), "/statements/new", statement_form(desk, reported_by_id=str(elsewhere)))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'id="reported_by_id-errors">.*in another source', html, re.S)
    r = post_form(client_for("analyst"), "/statements/new", statement_form(desk, speaker_id="Nobody Atall"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and re.search(r'id="speaker_id-errors">.*No actor is called', html, re.S)
    assert "Nobody Atall" in html


def nested_chain(app: Flask, desk: dict[str, int]) -> dict[str, int]:
    """The article reports the activist, who says Sham said the Levant Front stated it would intervene."""
    src = desk["other"]
    top = make(app, "statements", {"source_id": src, "speaker_id": desk["activist"], "text": "Sham said so",
                                   "quote_type": "paraphrase", "cue": "according to", "span": {"start": 0, "end": 151}})
    mid = make(app, "statements", {"source_id": src, "speaker_id": desk["sham"], "reported_by_id": top,
                                   "text": "no action was taken", "quote_type": "paraphrase", "cue": "said",
                                   "span": {"start": 0, "end": 123}})
    inner = make(app, "statements", {"source_id": src, "speaker_id": desk["front"], "reported_by_id": mid,
                                     "text": "it would intervene", "quote_type": "direct", "cue": "stated",
                                     "hedge": "reportedly", "span": {"start": 47, "end": 65}})
    return {"top": top, "mid": mid, "inner": inner}


def test_nested_chain_as_sentence_and_breadcrumb(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    html = client_for("viewer").get(f"/statements/{ids['inner']}").get_data(as_text=True)
    assert ("The article reports that a Syrian activist according to that Mujahed al-Sham said that "
            "Levant Front (reportedly) stated: “it would intervene”") in html
    crumbs = re.search(r'<nav class="chain"[^>]*>(.*?)</nav>', html, re.S)
    assert crumbs is not None
    links = re.findall(r'href="(/(?:sources|actors|statements)/\d+)"', crumbs.group(1))
    assert links == [f"/sources/{desk['other']}",
                     f"/actors/{desk['activist']}", f"/statements/{ids['top']}",
                     f"/actors/{desk['sham']}", f"/statements/{ids['mid']}",
                     f"/actors/{desk['front']}", f"/statements/{ids['inner']}"]
    assert "<mark>it would intervene</mark>" in html  # the excerpt in context
    source = client_for("viewer").get(f"/sources/{desk['other']}").get_data(as_text=True)
    # three nested spans: one link, two inner marks, the innermost exactly around its words
    assert re.search(rf'<mark class="span sp-\d nested[^"]*" data-statement-id="{ids["inner"]}"[^>]* '
                     rf'id="statement-{ids["inner"]}"', source)
    assert re.search(r"Levant Force that <mark[^>]*>it would intervene</mark> if fighting", source)
    outer = client_for("viewer").get(f"/statements/{ids['mid']}").get_data(as_text=True)
    assert f'href="/statements/{ids["inner"]}"' in outer and "reported through this one" in outer


def test_reported_by_prefill_fixes_the_source(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    analyst = client_for("analyst")
    html = analyst.get(f"/statements/new?reported_by_id={ids['mid']}&source_id={desk['src']}")
    text = html.get_data(as_text=True)
    assert f'name="source_id" id="source_id" value="{desk["other"]}"' in text
    assert f"statement #{ids['mid']}" in text and 'value="another"' in text
    r = analyst.post(f"/statements/new?reported_by_id={ids['mid']}", data={
        "source_id": str(desk["other"]), "speaker_id": str(desk["nusra"]), "reported_by_id": str(ids["mid"]),
        "text": "Nusra was silent", "quote_type": "paraphrase", "then": "another", "csrf_token": csrf_token(text)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/statements/new?reported_by_id={ids['mid']}")


def test_link_a_claim_then_a_new_one_then_unlink(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    analyst = client_for("analyst")
    path = f"/statements/{ids['inner']}"
    r = post_form(analyst, f"{path}/claims/new", {"claim_id": str(desk["claim"]), "stance": "asserts",
                                                  "certainty": "probable"}, form_path=path)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"{path}#claims")
    r = post_form(analyst, f"{path}/claims/new", {"new_claim": "No action was taken by the Front",
                                                  "stance": "denies", "certainty": "possible"}, form_path=path)
    assert r.status_code == 302
    links = read(app, "statements", ids["inner"])["claims"]
    assert [(x["stance"], x["certainty"]) for x in links] == [("asserts", "probable"), ("denies", "possible")]
    html = analyst.get(path).get_data(as_text=True)
    assert "No action was taken by the Front" in html and "badge-stance-denies" in html
    r = post_form(analyst, f"{path}/claims/{desk['claim']}/delete", {}, form_path=path)
    assert r.status_code == 302
    assert [x["claim_id"] for x in read(app, "statements", ids["inner"])["claims"]] != [desk["claim"]]
    assert len(read(app, "statements", ids["inner"])["claims"]) == 1


def test_link_form_errors(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    analyst = client_for("analyst")
    path = f"/statements/{ids['inner']}"
    r = post_form(analyst, f"{path}/claims/new", {"stance": "asserts", "certainty": "unknown"}, form_path=path)
    assert r.status_code == 422 and "Pick a claim or type the text" in r.get_data(as_text=True)
    r = post_form(analyst, f"{path}/claims/new", {"claim_id": "999999", "stance": "asserts", "certainty": "unknown"},
                  form_path=path)
    assert r.status_code == 422 and "There is no claim 999999" in r.get_data(as_text=True)
    r = post_form(analyst, f"{path}/claims/new", {"claim_id": "pledged", "stance": "nonsense"}, form_path=path)
    assert r.status_code == 422
    assert read(app, "statements", ids["inner"])["claims"] == []


def test_edit_replaces_claim_links_and_refuses_a_stale_version(client_for: Any, desk: dict[str, int],
                                                               app: Flask) -> None:
    ids = nested_chain(app, desk)
    second = make(app, "claims", {"text": "The Front stayed out"})
    analyst = client_for("analyst")
    edit = f"/statements/{ids['inner']}/edit"
    html = analyst.get(edit).get_data(as_text=True)
    assert 'name="claims-0-claim_id"' in html  # one empty row to add a link
    base = {"source_id": str(desk["other"]), "speaker_id": str(desk["front"]), "reported_by_id": str(ids["mid"]),
            "text": "it would intervene", "quote_type": "direct", "cue": "stated", "span_start": "47",
            "span_end": "65", "version": "1", "csrf_token": csrf_token(html)}
    r = analyst.post(edit, data={**base, "claims-0-claim_id": str(desk["claim"]), "claims-0-stance": "asserts",
                                 "claims-0-certainty": "certain", "claims-1-claim_id": str(second),
                                 "claims-1-stance": "questions", "claims-1-certainty": "unknown"})
    assert r.status_code == 302, r.get_data(as_text=True)[:1000]
    assert [x["claim_id"] for x in read(app, "statements", ids["inner"])["claims"]] == [desk["claim"], second]
    html = analyst.get(edit).get_data(as_text=True)
    assert "The Front stayed out" in html  # the rows name their claims
    r = analyst.post(edit, data={**base, "version": "2", "claims-0-claim_id": str(second),
                                 "claims-0-stance": "denies", "claims-0-certainty": "unknown"})
    assert r.status_code == 302
    links = read(app, "statements", ids["inner"])["claims"]
    assert [(x["claim_id"], x["stance"]) for x in links] == [(second, "denies")]
    r = analyst.post(edit, data={**base, "text": "stale text", "version": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "stale text" in html
    assert read(app, "statements", ids["inner"])["text"] == "it would intervene"


def test_statement_list_filters(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    make(app, "statements", {"source_id": desk["src"], "speaker_id": desk["nusra"], "text": "Hazzm escalated",
                             "quote_type": "indirect", "stated": "2014-11"})
    viewer = client_for("viewer")
    html = viewer.get("/statements?speaker=Levant Force").get_data(as_text=True)
    assert f'href="/statements/{ids["inner"]}"' in html and "Hazzm escalated" not in html
    assert "means" in html and "Levant Front" in html
    html = viewer.get("/statements?quote_type=indirect&from=2014&to=2014-12").get_data(as_text=True)
    assert "Hazzm escalated" in html and f'href="/statements/{ids["inner"]}"' not in html
    html = viewer.get(f"/statements?source_id={desk['other']}&sort=-stated").get_data(as_text=True)
    assert "Hazzm escalated" not in html and f'href="/statements/{ids["top"]}"' in html
    html = viewer.get(f"/statements?speaker={desk['sham']}&sort=speaker").get_data(as_text=True)
    assert f'href="/statements/{ids["mid"]}"' in html
    assert viewer.get("/statements?source_id=abc&sort=zzz").status_code == 422
    assert viewer.get("/statements?speaker=nobody-at-all").status_code == 200


def test_statement_routes_by_role(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    sid = ids["inner"]
    anonymous = app.test_client()
    for path in ("/statements", f"/statements/{sid}", "/statements/new", f"/statements/{sid}/edit",
                 f"/statements/{sid}/history", f"/statements/{sid}/claims/new"):
        r = anonymous.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
    viewer = client_for("viewer")
    for path in ("/statements", f"/statements/{sid}", f"/statements/{sid}/history"):
        assert viewer.get(path).status_code == 200, path
    for path in ("/statements/new", f"/statements/{sid}/edit", f"/statements/{sid}/claims/new"):
        assert viewer.get(path).status_code == 403, path
    page = viewer.get(f"/statements/{sid}").get_data(as_text=True)
    assert "Link a claim" not in page and "Add an accusation" not in page
    token = csrf_token(page)
    assert viewer.post(f"/statements/{sid}/claims/new", data={"csrf_token": token, "claim_id": "1",
                                                              "stance": "asserts"}).status_code == 403
    assert viewer.post(f"/statements/{sid}/delete", data={"csrf_token": token}).status_code == 403
    analyst = client_for("analyst")
    page = analyst.get(f"/statements/{sid}").get_data(as_text=True)
    assert f'href="/accusations/new?statement_id={sid}&amp;accuser_id={desk["front"]}"' in page
    assert f'href="/statements/new?reported_by_id={sid}"' in page
    assert analyst.post(f"/statements/{sid}/delete", data={"csrf_token": csrf_token(page)}).status_code == 403
    admin = client_for("admin")
    token = csrf_token(admin.get(f"/statements/{sid}").get_data(as_text=True))
    r = admin.post(f"/statements/{ids['mid']}/delete", data={"csrf_token": token})
    assert r.status_code == 409 and f"/statements/{sid}" in r.get_data(as_text=True)
    assert admin.post(f"/statements/{sid}/delete", data={"csrf_token": token}).status_code == 302
    assert admin.get(f"/statements/{sid}").status_code == 404
    assert "it would intervene" in admin.get(f"/statements/{sid}/history").get_data(as_text=True)


def test_nesting_a_selection_in_a_recorded_statement(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    analyst = client_for("analyst")
    # a selection inside recorded spans offers them as reporters, innermost first
    html = analyst.get(f"/statements/new?source_id={desk['other']}&span_start=50&span_end=60&text=x").get_data(
        as_text=True)
    offered = re.findall(r"reported_by_id=(\d+)\">Report it through", html)
    assert offered == [str(ids["inner"]), str(ids["mid"]), str(ids["top"])]
    # the statement page sends the analyst to the text, where a selection is reported through it
    page = analyst.get(f"/statements/{ids['mid']}").get_data(as_text=True)
    assert f'href="/sources/{desk["other"]}?reported_by_id={ids["mid"]}#statement-{ids["mid"]}"' in page
    source = analyst.get(f"/sources/{desk['other']}?reported_by_id={ids['mid']}").get_data(as_text=True)
    assert (f'data-new-statement-url="/statements/new?source_id={desk["other"]}&amp;reported_by_id={ids["mid"]}"'
            in source)
    assert "Stop nesting" in source
    # a reporter from another source is ignored
    source = analyst.get(f"/sources/{desk['src']}?reported_by_id={ids['mid']}").get_data(as_text=True)
    assert f'data-new-statement-url="/statements/new?source_id={desk["src"]}"' in source


def test_odd_query_strings_never_break_a_page(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    ids = nested_chain(app, desk)
    analyst = client_for("analyst")
    for path in (
        "/statements/new?source_id=abc&span_start=x&span_end=-5&reported_by_id=99999999999999&text=%00",
        "/statements/new?source_id=999999&span_start=1&span_end=2",
        f"/statements/new?source_id={desk['src']}&span_start=60&span_end=9999&credibility=9&quote_type=shout",
        f"/statements/new?reported_by_id={ids['mid']}&stated=someday",
        f"/sources/{desk['src']}?reported_by_id=abc",
        f"/statements/{ids['inner']}/claims/new?claim_id=abc&stance=zzz",
        "/statements?page=0&per_page=100000&from=never",
        "/sources?page=-1&publisher=%00",
    ):
        r = analyst.get(path)
        assert r.status_code in (200, 404, 422), (path, r.status_code)
    r = post_form(analyst, "/statements/new", statement_form(desk, source_id="999999", speaker_id="99999999999999",
                                                             credibility="9", quote_type="shout", text="a\x00b"))
    assert r.status_code == 422


def test_a_selection_between_quotation_marks_defaults_to_a_direct_quote(client_for: Any, app: Flask,
                                                                        desk: dict[str, int]) -> None:
    body = 'Nusra said: "Hazzm escalated first," in a statement.'
    src = make(app, "sources", {"title": "Quoted", "kind": "communique", "body": body})
    analyst = client_for("analyst")
    html = analyst.get(f"/statements/new?source_id={src}&span_start=13&span_end=34&text=Hazzm+escalated+first")
    assert re.search(r'<input checked id="quote_type-0" name="quote_type" type="radio" value="direct">',
                     html.get_data(as_text=True))
    html = analyst.get(f"/statements/new?source_id={src}&span_start=0&span_end=10&text=Nusra+said")
    assert re.search(r'<input checked id="quote_type-1" name="quote_type" type="radio" value="indirect">',
                     html.get_data(as_text=True))


def test_the_sources_speakers_are_one_click_picks(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    nested_chain(app, desk)
    analyst = client_for("analyst")
    html = analyst.get(f"/statements/new?source_id={desk['other']}&span_start=0&span_end=7&text=Despite").get_data(
        as_text=True)
    picks = re.findall(r'name="pick_speaker" value="(\d+)"', html)
    assert [int(i) for i in picks] == [desk["front"], desk["sham"], desk["activist"]]  # latest first
    # Without a script the button posts the form back: the speaker is set and everything typed is kept.
    r = post_form(analyst, "/statements/new", {"source_id": desk["other"], "span_start": "0", "span_end": "7",
                                               "text": "Despite", "cue": "typed cue", "pick_speaker": desk["sham"]})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "There is a problem" not in html
    assert re.search(rf'name="speaker_id"[^>]*value="{desk["sham"]}"', html) and "Mujahed al-Sham" in html
    assert re.search(r'name="span_end"[^>]*value="7"', html) and 'value="typed cue"' in html


def test_a_refused_form_reports_every_error_at_once(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    """An unreadable date and a direct quote that differs from its span: both messages in one round trip."""
    r = post_form(client_for("analyst"), "/statements/new",
                  statement_form(desk, stated="the 45th of Smarch", quote_type="direct", text="not what the span says"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="stated-errors"' in html and 'id="text-errors"' in html, html[html.find("There is a problem"):][:800]
    assert 'value="the 45th of Smarch"' in html  # what was typed comes back
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Statement)) == 0  # nothing stored


def test_a_selection_is_prefilled_from_its_surroundings(client_for: Any, desk: dict[str, int], app: Flask) -> None:
    """Speaker by alias, cue, reporter and date are guessed server-side, so the form works without a script."""
    outer = make(app, "statements", {"source_id": desk["other"], "speaker_id": desk["sham"], "quote_type": "indirect",
                                     "text": NESTED[:118], "span": {"start": 0, "end": 118}, "cue": "said"})
    inner = "it would intervene if fighting broke out"
    at = NESTED.index(inner)
    html = client_for("analyst").get(
        f"/statements/new?source_id={desk['other']}&span_start={at}&span_end={at + len(inner)}").get_data(as_text=True)
    assert re.search(rf'name="speaker_id"[^>]*value="{desk["front"]}"', html)  # "Levant Force" is an alias
    assert re.search(rf'name="reported_by_id"[^>]*value="{outer}"', html)
    assert re.search(rf'id="text"[^>]*>\s*{inner}</textarea>', html)
    assert "Prefilled from the text" in html
