"""Real-browser tests: Playwright drives Debian's Chromium against a real server on a migrated SQLite database.

One server and one browser for the module; each test has its own browser context (cookies) and its
own records, so the tests do not depend on each other's order.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from claimdb import create_app, migrate
from claimdb.db import db
from claimdb.services import users as user_service
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

from web_support import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

BODY = ("Mujahed al-Sham said the clashes began two nights ago, around Base 46. "
        "Nusra said that the Levant Front is completely absent from frontline fighting.")


class LiveServer:
    def __init__(self, app: Flask, url: str) -> None:
        self.app = app
        self.url = url

    def create(self, kind: str, payload: dict[str, Any]) -> int:
        with self.app.app_context():
            return int(lifecycle.create(db.session, RESOURCES[kind], payload)["id"])

    def read(self, kind: str, record_id: int) -> dict[str, Any]:
        with self.app.app_context():
            return lifecycle.get(db.session, RESOURCES[kind], record_id)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from werkzeug.serving import make_server

    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{Path(folder) / 'live.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "live-test",
                      "INSTANCE_PATH": str(folder / "instance")})
    with app.app_context():
        for role in ("viewer", "analyst", "admin"):
            user_service.create_user(db.session, role, PASSWORD, role)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def new_tab(browser: Any, state: Any = None) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, storage_state=state)
    context.set_default_timeout(5000)
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab in a fresh context: no one is signed in."""
    tab = new_tab(browser)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def analyst_state(browser: Any, live: LiveServer) -> Any:
    """The cookies of one analyst sign-in, reused by the tests (a sign-in costs a password hash)."""
    tab = new_tab(browser)
    sign_in(tab, live)
    state = tab.context.storage_state()
    tab.context.close()
    return state


@pytest.fixture
def analyst(browser: Any, analyst_state: Any) -> Iterator[Any]:
    """A tab signed in as the analyst."""
    tab = new_tab(browser, analyst_state)
    yield tab
    tab.context.close()


def sign_in(page: Any, live: LiveServer, username: str = "analyst") -> None:
    page.goto(f"{live.url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def choose(page: Any, field: str, typed: str, label: str) -> None:
    """Drive a searchable select with the keyboard: type, arrow down to the option, Enter."""
    search = page.locator(f"#{field}-search")
    search.click()
    search.fill(typed)
    page.locator(f"#{field}-listbox [role=option]", has_text=label).first.wait_for()
    options = page.locator(f"#{field}-listbox [role=option]")
    for n in range(options.count()):
        search.press("ArrowDown")
        if label in options.nth(n).inner_text():
            break
    search.press("Enter")
    page.wait_for_function(f"document.getElementById('{field}').value.match(/^\\d+$/)")


def test_login(page: Any, live: LiveServer) -> None:
    page.goto(f"{live.url}/sources")
    assert "/login" in page.url
    page.fill("#username", "analyst")
    page.fill("#password", "wrong password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert "/login" in page.url
    page.fill("#username", "analyst")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live.url}/sources")
    assert page.locator(".site-user-name").inner_text().startswith("analyst")


def test_select_text_to_create_a_statement(analyst: Any, live: LiveServer) -> None:
    page = analyst
    sham = live.create("actors", {"name": "Mujahed al-Sham", "kind": "person", "aliases": [{"name": "Sham"}]})
    src = live.create("sources", {"title": "Browser article", "kind": "news_article", "body": BODY})
    page.goto(f"{live.url}/sources/{src}")
    quote = "the clashes began two nights ago"
    offsets = page.evaluate(
        """(quote) => {
            const body = document.getElementById("source-body");
            // The text may sit inside a dashed suggestion's <mark>: find the text node that holds it.
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && node.textContent.indexOf(quote) < 0) {}
            const at = node.textContent.indexOf(quote);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + quote.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            body.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
            return window.claimdb.selectionOffsets(body);
        }""", quote)
    assert offsets == {"start": 21, "end": 53, "text": quote}
    # the selection's confirm card; Edit… opens the full form, prefilled
    page.locator("#selection-card").get_by_role("link", name="Edit…").click()
    page.wait_for_url(re.compile(r"/statements/new\?"))
    assert page.locator("input[name=source_id]").input_value() == str(src)
    assert page.locator("#span_start").input_value() == "21"
    assert page.locator("#span_end").input_value() == "53"
    assert page.locator("#text").input_value() == quote
    choose(page, "speaker_id", "al sham", "Mujahed al-Sham")
    assert page.locator("#speaker_id").input_value() == str(sham)
    page.fill("#cue", "said")
    page.get_by_role("button", name="Save and return to the text").click()
    page.wait_for_url(re.compile(rf"/sources/{src}#statement-\d+$"))
    sid = int(page.url.rsplit("-", 1)[1])
    span = page.locator(f'.source-body a.span[data-statement-id="{sid}"]')
    assert span.inner_text() == quote
    assert span.get_attribute("href") == f"/statements/{sid}"
    assert page.evaluate("document.getElementById('source-body').textContent") == BODY
    assert live.read("statements", sid)["span"] == {"start": 21, "end": 53}


def test_link_a_claim_with_the_keyboard(analyst: Any, live: LiveServer) -> None:
    page = analyst
    nusra = live.create("actors", {"name": "Nusra Front", "kind": "faction"})
    src = live.create("sources", {"title": "Claims article", "kind": "news_article", "body": BODY})
    st = live.create("statements", {"source_id": src, "speaker_id": nusra, "quote_type": "indirect",
                                    "text": "the Levant Front is completely absent from frontline fighting",
                                    "span": {"start": 87, "end": 148}})
    claim = live.create("claims", {"text": "The Levant Front is absent from the frontline"})
    page.goto(f"{live.url}/statements/{st}")
    choose(page, "claim_id", "absent frontline", "The Levant Front is absent")
    page.select_option("#stance", "asserts")
    page.select_option("#certainty", "probable")
    page.get_by_role("button", name="Link claim").click()
    page.wait_for_url(re.compile(rf"/statements/{st}#claims$"))
    item = page.locator(".claim-links-full li", has_text="The Levant Front is absent from the frontline")
    assert "asserts" in item.inner_text() and "probable" in item.inner_text()
    assert live.read("statements", st)["claims"] == [{"claim_id": claim, "stance": "asserts", "certainty": "probable"}]


def test_create_a_contradiction(analyst: Any, live: LiveServer) -> None:
    page = analyst
    a = live.create("claims", {"text": "Nusra started the fighting at Base 46"})
    b = live.create("claims", {"text": "Hazzm started the fighting at Base 46"})
    page.goto(f"{live.url}/contradictions/new")
    choose(page, "claim_a_id", "Nusra started", "Nusra started the fighting")
    choose(page, "claim_b_id", "Hazzm started", "Hazzm started the fighting")
    page.select_option("#kind", "incompatible")
    page.select_option("#status", "open")
    page.fill("#note", "Each side says the other began it.")
    page.locator("form.record-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/contradictions/\d+$"))
    cid = int(page.url.rsplit("/", 1)[1])
    text = page.locator("main").inner_text()
    assert "Nusra started the fighting at Base 46" in text and "Hazzm started the fighting at Base 46" in text
    stored = live.read("contradictions", cid)
    assert {stored["claim_a_id"], stored["claim_b_id"]} == {a, b} and stored["kind"] == "incompatible"


NESTED = ("Despite a statement from the Levant Force that it would intervene if fighting broke out, "
          "no such action was taken, said Sham.")


def test_drag_inside_a_span_to_nest_a_statement(analyst: Any, live: LiveServer) -> None:
    page = analyst
    sham = live.create("actors", {"name": "Mujahed al-Sham", "kind": "person"})
    front = live.create("actors", {"name": "Levant Front", "kind": "faction", "aliases": [{"name": "Levant Force"}]})
    src = live.create("sources", {"title": "Nesting article", "kind": "news_article", "body": NESTED})
    outer = live.create("statements", {"source_id": src, "speaker_id": sham, "quote_type": "paraphrase",
                                       "text": "no action was taken", "cue": "said",
                                       "span": {"start": 0, "end": len(NESTED) - 1}})
    page.goto(f"{live.url}/statements/{outer}")
    page.get_by_role("link", name="Select one in the text").click()
    page.wait_for_url(re.compile(rf"/sources/{src}\?reported_by_id={outer}"))
    quote = "it would intervene"
    start = NESTED.index(quote)
    box = page.evaluate(
        """([start, end]) => {
            const body = document.getElementById("source-body");
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let seen = 0, node;
            while ((node = walker.nextNode()) && seen + node.length <= start) seen += node.length;
            const at = (i) => {
                const r = document.createRange();
                r.setStart(node, i - seen);
                r.setEnd(node, i - seen + 1);
                return r.getBoundingClientRect();
            };
            const a = at(start), b = at(end - 1);
            return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
        }""", [start, start + len(quote)])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    offsets = page.evaluate("window.claimdb.selectionOffsets(document.getElementById('source-body'))")
    assert offsets == {"start": start, "end": start + len(quote), "text": quote}
    assert f"/sources/{src}" in page.url  # releasing the mouse inside the highlighted link did not follow it
    page.locator("#selection-card").get_by_role("link", name="Edit…").click()
    page.wait_for_url(re.compile(r"/statements/new\?"))
    assert page.locator("#reported_by_id").input_value() == str(outer)
    choose(page, "speaker_id", "levant force", "Levant Front")
    page.check("input[name=quote_type][value=direct]")
    page.get_by_role("button", name="Save and return to the text").click()
    page.wait_for_url(re.compile(rf"/sources/{src}#statement-\d+$"))
    inner = int(page.url.rsplit("-", 1)[1])
    mark = page.locator(f'.source-body a.span[data-statement-id="{outer}"] mark.span[data-statement-id="{inner}"]')
    assert mark.inner_text() == quote
    stored = live.read("statements", inner)
    assert (stored["reported_by_id"], stored["speaker_id"], stored["quote_type"]) == (outer, front, "direct")
    assert [level["statement_id"] for level in stored["chain"]] == [outer, inner]


SUGGESTED = "The Free Idlib Army said that its fighters had withdrawn from the hills north of the town."


def test_accept_a_suggestion_with_one_click(analyst: Any, live: LiveServer) -> None:
    page = analyst
    army = live.create("actors", {"name": "Free Idlib Army", "kind": "faction"})
    src = live.create("sources", {"title": "Suggestion article", "kind": "news_article", "body": SUGGESTED})
    page.goto(f"{live.url}/sources/{src}")
    dashed = page.locator(".source-body .suggestion")
    assert dashed.count() == 1 and "its fighters had withdrawn" in dashed.inner_text()
    assert page.evaluate("document.getElementById('source-body').textContent") == SUGGESTED
    card = page.locator("#suggestions .suggestion-card")
    assert card.count() == 1 and "Free Idlib Army" in card.inner_text()
    card.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_url(re.compile(rf"/sources/{src}#suggestions$"))
    assert page.locator(".source-body .suggestion").count() == 0
    recorded = page.locator(".source-body a.span")
    assert recorded.count() == 1 and "its fighters had withdrawn" in recorded.inner_text()
    stored = live.read("statements", int(recorded.get_attribute("data-statement-id")))
    assert (stored["speaker_id"], stored["quote_type"], stored["cue"]) == (army, "indirect", "said")
    assert page.locator("#suggestions").is_visible()
