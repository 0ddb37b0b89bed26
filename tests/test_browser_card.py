"""The source page's confirm card and suggestion cards in a real browser (Debian's Chromium, Playwright).

Select, then confirm in place: the card beside a selection shows the server's guesses, Record (Enter)
stores the statement through the ordinary form post, Escape closes it, the speaker changes without a
reload. Suggestions' cards come beside their dashed highlights on hover and keyboard focus.
"""

from __future__ import annotations

import re
from typing import Any

from test_browser import BODY, LiveServer, analyst, analyst_state, browser, live  # noqa: F401  (fixtures)

SUGGESTED = "The Free Idlib Army said that its fighters had withdrawn from the hills north of the town."


def card(page: Any) -> Any:
    return page.locator("#selection-card")


def keyboard_select(page: Any, words_before: int, words: int) -> None:
    """Keyboard only: focus the text, Ctrl+Home, Ctrl+Right to the first word, Shift+Ctrl+Right over the words."""
    page.locator("#source-body").focus()
    page.keyboard.press("Control+Home")
    for _ in range(words_before):
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.down("Shift")
    for _ in range(words):
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.up("Shift")


ACTORS: dict[str, int] = {}


def setup(live: LiveServer) -> dict[str, int]:  # noqa: F811
    """A fresh source; the two actors once per server (a second "Mujahed al-Sham" would make the name ambiguous)."""
    if not ACTORS or ACTORS.get("url") != hash(live.url):
        ACTORS.update(url=hash(live.url),
                      sham=live.create("actors", {"name": "Mujahed al-Sham", "kind": "person",
                                                  "aliases": [{"name": "Sham"}]}),
                      nusra=live.create("actors", {"name": "Nusra Front", "kind": "faction",
                                                   "aliases": [{"name": "Nusra"}]}))
    ids = dict(ACTORS)
    ids["src"] = live.create("sources", {"title": "Card article", "kind": "news_article", "body": BODY,
                                         "published": "2015-03-04"})
    return ids


def test_select_with_the_keyboard_and_record_with_enter(analyst: Any, live: LiveServer) -> None:  # noqa: F811
    page = analyst
    ids = setup(live)
    page.goto(f"{live.url}/sources/{ids['src']}")
    keyboard_select(page, 5, 6)  # "Mujahed al-Sham said | the clashes began two nights ago"
    card(page).wait_for(state="visible")
    assert page.evaluate("document.activeElement.textContent") == "Record"
    assert card(page).get_attribute("role") == "dialog"
    text, box = page.locator("#source-body").bounding_box(), card(page).bounding_box()
    assert box["x"] >= text["x"] + text["width"]  # beside the text at 1280 px, not over it
    assert page.locator("#card-speaker_id-search").input_value() == "Mujahed al-Sham"
    assert page.locator("#card-stated").input_value() == "4 March 2015"
    span = (int(page.locator("#selection-card input[name=span_start]").input_value()),
            int(page.locator("#selection-card input[name=span_end]").input_value()))
    assert BODY[span[0]:span[1]].startswith("the clashes began two nights")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/sources/{ids['src']}#statement-\d+$"))
    sid = int(page.url.rsplit("-", 1)[1])
    stored = live.read("statements", sid)
    assert stored["speaker_id"] == ids["sham"] and stored["span"] == {"start": span[0], "end": span[1]}
    assert stored["stated"] == "2015-03-04"
    assert page.locator(f'.source-body a.span[data-statement-id="{sid}"]').count() == 1


def test_escape_closes_the_card_and_n_opens_the_full_form(analyst: Any, live: LiveServer) -> None:  # noqa: F811
    page = analyst
    ids = setup(live)
    page.goto(f"{live.url}/sources/{ids['src']}")
    keyboard_select(page, 5, 3)
    card(page).wait_for(state="visible")
    page.locator("#card-hedge").click()
    page.keyboard.type("Reportedly")  # Shift for the capital: the card stays as it is, focus too
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.id") == "card-hedge"
    page.keyboard.press("Escape")
    card(page).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "source-body"
    keyboard_select(page, 5, 3)
    card(page).wait_for(state="visible")
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/statements/new\?"))
    assert page.locator("#speaker_id").input_value() == str(ids["sham"])
    assert page.locator("#text").input_value().startswith("the clashes")


def test_the_speaker_changes_in_place_and_keeps_the_other_guesses(analyst: Any, live: LiveServer) -> None:  # noqa: F811
    page = analyst
    ids = setup(live)
    start = BODY.index("the Levant Front")
    live.create("statements", {"source_id": ids["src"], "speaker_id": ids["nusra"], "quote_type": "indirect",
                               "text": BODY[start:-1], "span": {"start": start, "end": len(BODY) - 1}})
    page.goto(f"{live.url}/sources/{ids['src']}")
    page.evaluate("window.notReloaded = true")
    keyboard_select(page, 5, 6)
    card(page).wait_for(state="visible")
    before = {name: page.locator(f"#card-{name}").input_value() for name in ("cue", "hedge", "stated", "quote_type")}
    picks = page.locator("#selection-card .speaker-pick")
    assert picks.count() == 1 and picks.inner_text() == "Nusra Front"  # every speaker of the source
    picks.click()
    assert page.locator("#card-speaker_id").input_value() == str(ids["nusra"])
    # or look one up by any name
    search = page.locator("#card-speaker_id-search")
    search.fill("Sham")
    page.locator("#card-speaker_id-listbox [role=option]", has_text="Mujahed al-Sham").first.wait_for()
    search.press("ArrowDown")
    search.press("Enter")
    assert page.locator("#card-speaker_id").input_value() == str(ids["sham"])
    picks.click()
    after = {name: page.locator(f"#card-{name}").input_value() for name in ("cue", "hedge", "stated", "quote_type")}
    assert after == before and page.evaluate("window.notReloaded") is True
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(rf"/sources/{ids['src']}#statement-\d+$"))
    assert live.read("statements", int(page.url.rsplit("-", 1)[1]))["speaker_id"] == ids["nusra"]


def test_a_refused_record_opens_the_full_form_with_everything(analyst: Any, live: LiveServer) -> None:  # noqa: F811
    page = analyst
    ids = setup(live)
    page.goto(f"{live.url}/sources/{ids['src']}")
    keyboard_select(page, 5, 6)
    card(page).wait_for(state="visible")
    page.fill("#card-stated", "the day after never")
    page.fill("#card-cue", "told reporters")
    page.get_by_role("button", name="Record").click()
    page.wait_for_load_state()
    assert page.locator("#stated-errors").is_visible()
    assert page.locator("#cue").input_value() == "told reporters"
    assert page.locator("#stated").input_value() == "the day after never"


def test_suggestion_cards_on_hover_and_focus(analyst: Any, live: LiveServer) -> None:  # noqa: F811
    page = analyst
    army = live.create("actors", {"name": "Free Idlib Army", "kind": "faction"})
    src = live.create("sources", {"title": "Suggestion cards", "kind": "news_article", "body": SUGGESTED})
    page.goto(f"{live.url}/sources/{src}")
    margin = page.locator(".annotation-margin .margin-suggestion")
    page.locator(".source-body mark.suggestion").hover()
    margin.wait_for(state="visible")
    text = margin.inner_text()
    assert "Free Idlib Army" in text and "said" in text and "% confident" in text
    assert margin.get_by_role("button", name=re.compile("^Accept")).is_visible()
    assert margin.get_by_role("link", name=re.compile("^Edit")).is_visible()
    assert margin.get_by_role("button", name=re.compile("^Dismiss")).is_visible()
    box, mark = margin.bounding_box(), page.locator(".source-body mark.suggestion").bounding_box()
    assert box["x"] > mark["x"] and abs(box["y"] - mark["y"]) < 60  # beside its highlight
    page.mouse.move(0, 0)
    margin.wait_for(state="detached")
    # keyboard: focus the dashed highlight, Enter goes to Accept, Enter records it
    page.locator(".source-body mark.suggestion").focus()
    margin.wait_for(state="visible")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent").startswith("Accept")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/sources/{src}#suggestions$"))
    recorded = page.locator(".source-body a.span")
    assert recorded.count() == 1
    assert live.read("statements", int(recorded.get_attribute("data-statement-id")))["speaker_id"] == army


def test_cards_stack_below_the_text_on_a_phone(browser: Any, analyst_state: Any, live: LiveServer) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=analyst_state)
    page = context.new_page()
    live.create("actors", {"name": "Free Idlib Army", "kind": "faction"})
    src = live.create("sources", {"title": "Suggestion cards", "kind": "news_article", "body": SUGGESTED})
    page.goto(f"{live.url}/sources/{src}")
    body = page.locator("#source-body").bounding_box()
    suggestion = page.locator("#suggestions .suggestion-card").first
    box = suggestion.bounding_box()
    assert box["y"] >= body["y"] + body["height"] and box["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.locator(".source-body mark.suggestion").hover()
    assert page.locator(".margin-suggestion").count() == 0  # no copy in a margin: the list below is the card
    page.evaluate("""() => { const b = document.getElementById("source-body");
        const t = document.createTreeWalker(b, NodeFilter.SHOW_TEXT).nextNode();
        const r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 20);
        getSelection().removeAllRanges(); getSelection().addRange(r);
        b.dispatchEvent(new MouseEvent("mouseup", {bubbles: true})); }""")
    card(page).wait_for(state="visible")
    box = card(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()
