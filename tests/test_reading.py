"""The reading service: marking spans in a body, excerpts, and the page data in few queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from claimdb.services.pages import marked_text, source_pages
from claimdb.services.pages.marked_text import Mark, mark_body
from claimdb.services.pages.source_pages import excerpt
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES


def render(tokens: list[marked_text.Token]) -> str:
    """A compact rendering: [N ... ] for a linked piece, {N ... } for an inner one."""
    out = []
    for t in tokens:
        if t.kind == "text":
            out.append(t.text)
        elif t.kind == "open":
            out.append(f"[{t.statement_id} " if t.link else f"{{{t.statement_id} ")
        else:
            out.append("]" if t.link else "}")
    return "".join(out)


def text_of(tokens: list[marked_text.Token]) -> str:
    return "".join(t.text for t in tokens if t.kind == "text")


def test_single_span_wraps_exactly_its_words() -> None:
    body = "Sham said the clashes began, around Base 46."
    tokens = mark_body(body, [Mark(1, 10, 27)])
    assert render(tokens) == "Sham said [1 the clashes began], around Base 46."
    assert text_of(tokens) == body


def test_nested_span_is_an_inner_mark_inside_the_link() -> None:
    body = "Sham said that the Front would intervene, he said."
    tokens = mark_body(body, [Mark(2, 15, 40), Mark(1, 5, 49)])
    assert render(tokens) == "Sham [1 said that {2 the Front would intervene}, he said]."
    assert [t.anchor for t in tokens if t.kind == "open"] == [True, True]


def test_crossing_spans_are_split_and_only_the_first_piece_is_anchored() -> None:
    body = "aaaa bbbb cccc dddd"
    tokens = mark_body(body, [Mark(1, 0, 9), Mark(2, 5, 14)])
    assert render(tokens) == "[1 aaaa {2 bbbb}][2  cccc] dddd"
    opens = [(t.statement_id, t.anchor) for t in tokens if t.kind == "open"]
    assert opens == [(1, True), (2, True), (2, False)]
    assert text_of(tokens) == body


def test_same_start_longer_span_is_outside_and_spans_outside_the_body_are_ignored() -> None:
    body = "one two three"
    tokens = mark_body(body, [Mark(1, 0, 3), Mark(2, 0, 7), Mark(3, 5, 99)])
    assert render(tokens) == "[2 {1 one} two] three"


def test_many_overlaps_keep_the_text_and_balance() -> None:
    body = "".join(chr(97 + i % 26) for i in range(200))
    marks = [Mark(i, (i * 7) % 180, (i * 7) % 180 + 5 + i % 30) for i in range(1, 40)]
    tokens = mark_body(body, marks)
    assert text_of(tokens) == body
    depth = 0
    for t in tokens:
        depth += {"open": 1, "close": -1}.get(t.kind, 0)
        assert depth >= 0
    assert depth == 0


def test_excerpt_cuts_at_words() -> None:
    body = "alpha beta gamma delta epsilon zeta eta theta"
    e = excerpt(body, 17, 22, context=8)
    assert e is not None
    assert (e.before, e.quote, e.after, e.cut_before, e.cut_after) == ("gamma ", "delta", " epsilon", True, True)
    assert excerpt(body, 5, 99) is None


def make_nested(session: Any) -> dict[str, int]:
    """An article quoting Sham, who reports a Levant Front pledge."""
    create = lambda kind, payload: lifecycle.create(session, RESOURCES[kind], payload)["id"]  # noqa: E731
    sham = create("actors", {"name": "Mujahed al-Sham", "kind": "person"})
    front = create("actors", {"name": "Levant Front", "kind": "faction"})
    nusra = create("actors", {"name": "Nusra Front", "kind": "faction"})
    body = "Despite a statement from the Levant Force that it would intervene, no such action was taken, said Sham."
    src = create("sources", {"title": "Clashes", "kind": "news_article", "body": body})
    outer = create("statements", {"source_id": src, "speaker_id": sham, "text": "no action was taken",
                                  "quote_type": "paraphrase", "cue": "said", "span": {"start": 0, "end": 103}})
    inner = create("statements", {"source_id": src, "speaker_id": front, "reported_by_id": outer,
                                  "text": "it would intervene", "quote_type": "direct", "cue": "stated",
                                  "span": {"start": 47, "end": 65}})
    claim = create("claims", {"text": "The Levant Front pledged to intervene"})
    lifecycle.update(session, RESOURCES["statements"], inner, {"version": 1, "claims": [
        {"claim_id": claim, "stance": "asserts", "certainty": "probable"}]})
    create("accusations", {"statement_id": inner, "accused_id": nusra, "act": "attacked first", "category": "attack"})
    return {"sham": sham, "front": front, "src": src, "outer": outer, "inner": inner, "claim": claim}


def count_queries(session: Any) -> Any:
    engine = session.get_bind()
    seen: list[str] = []

    def before(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", before)
    return seen, lambda: event.remove(engine, "before_cursor_execute", before)


def test_source_page_marks_nested_spans_in_reading_order(session: Any) -> None:
    ids = make_nested(session)
    for n in range(10):  # more statements, nested and linked, must not mean more queries
        lifecycle.create(session, RESOURCES["statements"], {
            "source_id": ids["src"], "speaker_id": ids["front"], "reported_by_id": ids["outer"], "text": f"extra {n}",
            "quote_type": "paraphrase", "claims": [{"claim_id": ids["claim"], "stance": "reports"}]})
    session.expunge_all()
    seen, stop = count_queries(session)
    page = source_pages.source_page(session, ids["src"])
    stop()
    assert len(seen) <= 8
    assert [r.id for r in page.statements][:2] == [ids["outer"], ids["inner"]]
    assert len(page.unspanned) == 10 and page.unspanned[0].claims[0]["stance"] == "reports"
    assert render(page.tokens).startswith(f"[{ids['outer']} Despite a statement from the Levant Force that "
                                          f"{{{ids['inner']} it would intervene}}")
    inner = page.statements[1]
    assert inner.sentence == "The article reports that Mujahed al-Sham said that Levant Front stated"
    assert inner.claims[0]["text"] == "The Levant Front pledged to intervene"


def test_statement_page_in_bounded_queries(session: Any) -> None:
    ids = make_nested(session)
    session.expunge_all()
    seen, stop = count_queries(session)
    page = source_pages.statement_page(session, ids["inner"])
    stop()
    assert len(seen) <= 14
    assert [level["speaker"]["name"] for level in page.chain] == ["Mujahed al-Sham", "Levant Front"]
    assert page.sentence.endswith("Levant Front stated: “it would intervene”")
    assert page.excerpt is not None and page.excerpt.quote == "it would intervene"
    assert page.accusations[0]["accused_name"] == "Nusra Front"
    assert page.claims[0]["stance"] == "asserts"
    assert (page.previous_id, page.next_id) == (ids["outer"], None)
    outer = source_pages.statement_page(session, ids["outer"])
    assert [r.id for r in outer.reported] == [ids["inner"]]
    assert (outer.previous_id, outer.next_id) == (None, ids["inner"])


def test_suggestions_are_their_own_marks_and_never_links() -> None:
    body = "Nusra said that the Levant Front is absent, officials said."
    tokens = mark_body(body, [Mark(7, 11, 42), Mark(0, 0, 43, suggestion=True), Mark(1, 16, 58, suggestion=True)])
    assert text_of(tokens) == body
    opens = [t for t in tokens if t.kind == "open"]
    assert all(not t.link for t in opens if t.suggestion)
    assert [t.link for t in opens if not t.suggestion] == [True]  # the statement stays a link inside the mark
    assert sum(t.anchor for t in opens if t.suggestion and t.statement_id == 1) == 1
    depth = 0
    for t in tokens:
        depth += {"open": 1, "close": -1, "text": 0}[t.kind]
        assert depth >= 0
    assert depth == 0
