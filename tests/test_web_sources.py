"""Source pages through the test client with CSRF on: create, read with spans marked, correct the body."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from web_support import CLASHES as BODY
from web_support import csrf_token, make, post_form, read


@pytest.fixture
def article(app: Flask, users: Any) -> dict[str, int]:
    """An outlet, a speaker, an article, and Sham's statement spanning "the clashes began two nights ago"."""
    outlet = make(app, "actors", {"name": "Al-Monitor", "kind": "media", "reliability": "B"})
    sham = make(app, "actors", {"name": "Mujahed al-Sham", "kind": "person"})
    src = make(app, "sources", {"title": "Clashes in Aleppo", "kind": "news_article", "publisher_id": outlet,
                                "body": BODY, "language": "en", "original_language": "ar"})
    st = make(app, "statements", {"source_id": src, "speaker_id": sham, "text": "the clashes began two nights ago",
                                  "quote_type": "indirect", "cue": "said", "span": {"start": 21, "end": 53}})
    return {"outlet": outlet, "sham": sham, "src": src, "st": st}


def test_create_source_through_the_form(client_for: Any) -> None:
    analyst = client_for("analyst")
    r = post_form(analyst, "/sources/new", {"title": "Web check article", "kind": "news_article",
                                            "published": "March 2015", "language": "en", "body": "Line one.\r\nTwo.",
                                            "reliability": "B"})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert re.search(r"/sources/\d+$", r.headers["Location"])
    page = analyst.get(r.headers["Location"]).get_data(as_text=True)
    assert "Web check article" in page and "March 2015" in page
    assert 'class="source-body" id="source-body" data-new-statement-url="/statements/new?source_id=' in page
    assert ">Line one.\nTwo.</div>" in page


def test_new_source_takes_its_publishers_grade_and_an_empty_body(client_for: Any, article: dict[str, int],
                                                                  app: Flask) -> None:
    r = post_form(client_for("analyst"), "/sources/new",
                  {"title": "A post", "kind": "social_post", "publisher_id": "Al-Monitor", "body": ""})
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    created = read(app, "sources", int(r.headers["Location"].rsplit("/", 1)[1]))
    assert (created["publisher_id"], created["reliability"], created["body"]) == (article["outlet"], "B", "")


def test_rejected_source_keeps_input(client_for: Any) -> None:
    r = post_form(client_for("analyst"), "/sources/new",
                  {"title": "", "kind": "news_article", "published": "2015-02-30", "author": "Kept Author",
                   "url": "ftp://nope", "body": "kept body"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Kept Author" in html and "kept body" in html and "ftp://nope" in html
    assert "field-errors" in html


def test_source_page_highlights_and_links_the_span(client_for: Any, article: dict[str, int]) -> None:
    html = client_for("viewer").get(f"/sources/{article['src']}").get_data(as_text=True)
    st = article["st"]
    assert re.search(r"Mujahed al-Sham said\s*(?:<(?!/)[^>]+>\s*)+the clashes began two nights ago\s*(?:</[^>]+>\s*)+",
                     html)
    assert re.search(rf'<a class="span sp-0 outer q-\w+" href="/statements/{st}" data-statement-id="{st}" '
                     rf'data-speaker-id="\d+" id="statement-{st}"', html)
    assert f'href="/actors/{article["outlet"]}"' in html  # publisher linked
    assert "a translation from" in html and "usually reliable" in html
    assert "data-new-statement-url" not in html  # viewers cannot create statements


def test_source_body_text_is_exactly_the_body(client_for: Any, article: dict[str, int]) -> None:
    html = client_for("analyst").get(f"/sources/{article['src']}").get_data(as_text=True)
    inner = re.search(r'<div class="source-body"[^>]*>(.*?)</div>', html, re.S)
    assert inner is not None
    assert re.sub(r"<[^>]+>", "", inner.group(1)) == BODY


def test_body_correction_moves_the_span(client_for: Any, article: dict[str, int], app: Flask) -> None:
    analyst = client_for("analyst")
    path = f"/sources/{article['src']}/edit"
    corrected = "On Monday, " + BODY
    r = post_form(analyst, path, {"title": "Clashes in Aleppo", "kind": "news_article", "body": corrected,
                                  "publisher_id": str(article["outlet"]), "version": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    st = read(app, "statements", article["st"])
    assert st["span"] == {"start": 32, "end": 64}
    assert corrected[32:64] == "the clashes began two nights ago"


def test_orphaning_correction_is_refused_with_the_statement_listed(client_for: Any, article: dict[str, int],
                                                                   app: Flask) -> None:
    analyst = client_for("analyst")
    typed = "Mujahed al-Sham said fighting started on Sunday, around Base 46."
    r = post_form(analyst, f"/sources/{article['src']}/edit",
                  {"title": "Clashes in Aleppo", "kind": "news_article", "body": typed, "version": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert typed in html  # the typed body is kept
    assert f"#{article['st']}" in html and "the clashes began two nights ago" in html
    assert re.search(r'class="field has-error field-(?:textarea|bodyfield)"[^>]*>\s*<label for="body"', html)
    assert f'<a href="/statements/{article["st"]}/edit"' in html  # the statement to fix, linked
    assert read(app, "sources", article["src"])["body"] == BODY


def test_hostile_text_is_escaped_and_still_highlighted(client_for: Any, app: Flask, users: Any) -> None:
    evil = make(app, "actors", {"name": "<script>alert('speaker')</script>", "kind": "person"})
    body = "He said <script>alert(1)</script> & left."
    src = make(app, "sources", {"title": "<script>alert('title')</script>", "kind": "report", "body": body})
    st = make(app, "statements", {"source_id": src, "speaker_id": evil, "text": "<script>alert(1)</script>",
                                  "quote_type": "direct", "span": {"start": 8, "end": 33}})
    analyst = client_for("analyst")
    for path in (f"/sources/{src}", "/sources", f"/statements/{st}", "/statements", f"/statements/{st}/edit"):
        html = analyst.get(path).get_data(as_text=True)
        assert "<script>alert" not in html, path
    html = client_for("viewer").get(f"/sources/{src}").get_data(as_text=True)  # no suggestions drawn in it
    assert "He said <a class=\"span sp-0 outer q-direct\"" in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark></a> &amp; left." in html


def test_source_list_filters_and_sorts(client_for: Any, article: dict[str, int], app: Flask) -> None:
    make(app, "sources", {"title": "Communiqué of the Front", "kind": "communique", "published": "2014-10"})
    viewer = client_for("viewer")
    html = viewer.get("/sources?kind=communique").get_data(as_text=True)
    assert "Communiqué of the Front" in html and "Clashes in Aleppo" not in html
    html = viewer.get("/sources?publisher=al monitor").get_data(as_text=True)
    assert "Clashes in Aleppo" in html and "Communiqué of the Front" not in html
    html = viewer.get("/sources?from=2014&to=October 2014&sort=title").get_data(as_text=True)
    assert "Communiqué of the Front" in html and "Clashes in Aleppo" not in html
    html = viewer.get("/sources?q=aleppo&sort=-reliability").get_data(as_text=True)
    assert "Clashes in Aleppo" in html
    r = viewer.get("/sources?from=someday&sort=nonsense&page=x")
    assert r.status_code in (400, 422) and "cannot be used" in r.get_data(as_text=True)


def test_roles(client_for: Any, article: dict[str, int], app: Flask) -> None:
    """Everyone signed in reads; analysts write; only admins delete, and not a source with statements."""
    for role in ("viewer", "analyst", "admin"):
        c = client_for(role)
        for path in ("/sources", f"/sources/{article['src']}", f"/sources/{article['src']}/history"):
            assert c.get(path).status_code == 200, (role, path)
    anonymous = app.test_client()
    for path in ("/sources", f"/sources/{article['src']}", "/sources/new", f"/sources/{article['src']}/edit"):
        r = anonymous.get(path)
        assert r.status_code in (302, 401) and "/login" in r.headers.get("Location", ""), path
    viewer = client_for("viewer")
    assert viewer.get("/sources/new").status_code == 403
    assert viewer.get(f"/sources/{article['src']}/edit").status_code == 403
    token = csrf_token(viewer.get(f"/sources/{article['src']}").get_data(as_text=True))
    assert viewer.post(f"/sources/{article['src']}/delete", data={"csrf_token": token}).status_code == 403
    analyst = client_for("analyst")
    token = csrf_token(analyst.get(f"/sources/{article['src']}/edit").get_data(as_text=True))
    assert analyst.post(f"/sources/{article['src']}/delete", data={"csrf_token": token}).status_code == 403
    admin = client_for("admin")
    token = csrf_token(admin.get(f"/sources/{article['src']}/edit").get_data(as_text=True))
    r = admin.post(f"/sources/{article['src']}/delete", data={"csrf_token": token})
    assert r.status_code == 409 and "the clashes began" in r.get_data(as_text=True)
    lonely = make(app, "sources", {"title": "Nothing in it", "kind": "other"})
    r = admin.post(f"/sources/{lonely}/delete", data={"csrf_token": token})
    assert r.status_code == 302
    assert admin.get(f"/sources/{lonely}").status_code == 404
    assert "Nothing in it" in admin.get(f"/sources/{lonely}/history").get_data(as_text=True)


def test_post_without_csrf_stores_nothing(client_for: Any) -> None:
    analyst = client_for("analyst")
    r = analyst.post("/sources/new", data={"title": "no token here", "kind": "other"})
    assert r.status_code == 400
    assert "no token here" not in analyst.get("/sources").get_data(as_text=True)


def test_missing_source_is_a_404_page(client_for: Any) -> None:
    viewer = client_for("viewer")
    assert viewer.get("/sources/999999").status_code == 404
    assert viewer.get("/sources/99999999999999999999").status_code == 404
