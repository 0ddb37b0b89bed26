"""The source page shows unrecorded suggestions in place, dashed, for analysts: accept, edit, dismiss."""

from __future__ import annotations

import html as html_mod
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from sqlalchemy import func, select

from claimdb.db import db
from claimdb.models import Source, Statement

from web_support import form_fields

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class BodyText(HTMLParser):
    """The source body's text and whether its elements nest properly (no <a> inside an <a>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.stack: list[str] = []
        self.text: list[str] = []
        self.nested_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and ("id", "source-body") in attrs:
            self.depth = 1
            return
        if self.depth and tag not in VOID:
            if tag == "a" and "a" in self.stack:
                self.nested_links += 1
            self.stack.append(tag)
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if self.depth == 1:
            assert tag == "div"
            self.depth = 0
            return
        assert self.stack.pop() == tag, f"</{tag}> closes something else"
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def body_of(page: str) -> BodyText:
    parser = BodyText()
    parser.feed(page)
    return parser


def demo_source(app: Flask) -> tuple[int, str]:
    with app.app_context():
        source = db.session.scalars(select(Source)).one()
        return source.id, source.body or ""


def cards(page: str) -> dict[str, str]:
    """Each suggestion card's HTML by its index."""
    return dict(re.findall(r'<li class="card suggestion-card" id="suggestion-(\d+)"[^>]*>(.*?)</li>', page, re.S))


def form(card: str, action: str) -> dict[str, str]:
    found = re.search(rf'<form method="post" action="([^"]*/suggestions/{action})">(.*?)</form>', card, re.S)
    assert found, f"no {action} form"
    return form_fields(found.group(2))


def test_analysts_see_dashed_suggestions_with_accept_edit_dismiss(app: Flask, client_for: Any, demo: Any) -> None:
    source, body = demo_source(app)
    page = client_for("analyst").get(f"/sources/{source}").get_data(as_text=True)
    parsed = body_of(page)
    assert "".join(parsed.text) == body and parsed.nested_links == 0 and not parsed.stack
    found = cards(page)
    assert found, "the demo article has unrecorded suggestions"
    assert 'id="suggestions"' in page
    for index, card in found.items():
        assert f'data-suggestion="{index}"' in page.split('id="source-body"')[1].split("</div>")[0]
        assert f'id="suggested-{index}"' in page
        assert re.search(r"\d+% confident", card)
        accept = form(card, "accept")
        prefilled = {"csrf_token", "span_start", "span_end", "speaker_id", "text", "quote_type", "cue", "hedge"}
        assert prefilled <= set(accept)
        assert set(form(card, "dismiss")) == {"csrf_token", "span_start", "span_end"}
        edit = re.search(r'<a class="button button-secondary" href="([^"]*/statements/new\?[^"]*)">Edit', card)
        assert edit, "an Edit link"
        query = {k: v[0] for k, v in parse_qs(urlsplit(html_mod.unescape(edit.group(1))).query).items()}
        assert query["source_id"] == str(source)
        assert (query["span_start"], query["span_end"], query["text"]) == (
            accept["span_start"], accept["span_end"], accept["text"])
        if accept["quote_type"] != "direct":  # indirect speech is never printed inside quotation marks
            assert "“" not in re.search(r'<p class="card-text">(.*?)</p>', card, re.S).group(1)  # type: ignore[union-attr]


def test_viewers_see_no_suggestions(app: Flask, client_for: Any, demo: Any) -> None:
    source, body = demo_source(app)
    page = client_for("viewer").get(f"/sources/{source}").get_data(as_text=True)
    assert not cards(page) and 'id="suggestions"' not in page and "suggestions/accept" not in page
    assert "data-suggestion" not in page and "".join(body_of(page).text) == body


def test_accept_records_in_one_post_and_dismiss_hides(app: Flask, client_for: Any, demo: Any) -> None:
    source, _ = demo_source(app)
    analyst = client_for("analyst")
    page = analyst.get(f"/sources/{source}").get_data(as_text=True)
    found = cards(page)
    resolved = [i for i, c in found.items() if form(c, "accept")["speaker_id"].isdigit()]
    assert len(found) >= 2 and resolved
    chosen = form(found[resolved[0]], "accept")
    with app.app_context():
        before = db.session.scalar(select(func.count(Statement.id)))
    r = analyst.post(f"/sources/{source}/suggestions/accept", data=chosen)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/sources/{source}#suggestions")
    with app.app_context():
        assert db.session.scalar(select(func.count(Statement.id))) == before + 1
        st = db.session.scalars(select(Statement).order_by(Statement.id.desc())).first()
        assert st is not None
        assert (st.span_start, st.span_end, st.speaker_id) == (
            int(chosen["span_start"]), int(chosen["span_end"]), int(chosen["speaker_id"]))
    page = analyst.get(f"/sources/{source}").get_data(as_text=True)
    assert f'id="statement-{st.id}"' in page  # recorded: highlighted as a statement now
    after = cards(page)
    spans = {(form(c, "accept")["span_start"], form(c, "accept")["span_end"]) for c in after.values()}
    assert (chosen["span_start"], chosen["span_end"]) not in spans and len(after) == len(found) - 1

    gone = form(next(iter(after.values())), "dismiss")
    r = analyst.post(f"/sources/{source}/suggestions/dismiss", data=gone)
    assert r.status_code == 302 and r.headers["Location"].endswith("#suggestions")
    page = analyst.get(f"/sources/{source}").get_data(as_text=True)
    spans = {(form(c, "dismiss")["span_start"], form(c, "dismiss")["span_end"]) for c in cards(page).values()}
    assert (gone["span_start"], gone["span_end"]) not in spans and len(cards(page)) == len(after) - 1


def test_source_page_with_suggestions_in_bounded_queries(app: Flask, demo: Any) -> None:
    from sqlalchemy import event

    from claimdb.services.pages import source_pages

    source, _ = demo_source(app)
    with app.app_context():
        seen: list[str] = []

        def before(*args: Any) -> None:
            seen.append(args[2])

        engine = db.session.get_bind()
        source_pages.source_page(db.session, source, suggestions=True)  # the model is cached after this
        db.session.expunge_all()
        event.listen(engine, "before_cursor_execute", before)
        page = source_pages.source_page(db.session, source, suggestions=True)
        event.remove(engine, "before_cursor_execute", before)
        assert page.suggestions and len(seen) <= 14, seen
