"""Attribution suggestions at the desk, through the service: speakers resolved, recorded ones marked,
dismissals per source, accepting, and learning from what the desk recorded and dismissed."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from claimdb.attribution import DEFAULT_MIN_CONFIDENCE
from claimdb.errors import Invalid, NotFound
from claimdb.models import Actor, Source, Statement, SuggestionModel
from claimdb.services import suggestions
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.suggestions import training
from claimdb.services.suggestions.proposals import reindexed, resolve_speakers, same_span_statements
from claimdb.services.suggestions.store import current_model


def make(session: Any, noun: str, **payload: Any) -> int:
    return int(lifecycle.create(session, RESOURCES[noun], payload)["id"])


def demo_source(session: Any) -> Source:
    return session.scalars(select(Source)).one()


def at(items: list[suggestions.Proposal], words: str, body: str) -> suggestions.Proposal:
    """The narrowest suggestion holding these words."""
    return min((p for p in items if words in body[p.span.start:p.span.end]), key=lambda p: p.span.end - p.span.start)


def test_the_demo_article_is_proposed_in_order_with_speakers_chains_and_recorded_statements(
        session: Any, demo: Any) -> None:
    source = demo_source(session)
    started = time.perf_counter()
    items = suggestions.proposals(session, source.id)
    print(f"\ndemo article ({len(source.body):,} characters): {len(items)} suggestions in "
          f"{(time.perf_counter() - started) * 1000:.1f} ms (service, first call)")
    assert [p.span.start for p in items] == sorted(p.span.start for p in items)
    assert [p.index for p in items] == list(range(len(items)))
    for p in items:
        assert p.text == source.body[p.span.start:p.span.end]
        assert 0 <= p.confidence <= 1
        assert p.reported_by is None or 0 <= p.reported_by < len(items)
    levant = session.scalar(select(Actor.id).where(Actor.name == "Levant Front"))
    # The outlet's misspelling "the Levant Force" resolves through the alias.
    pledge = at(items, "it would intervene if fighting broke out", source.body)
    assert source.body[pledge.speaker_span.start:pledge.speaker_span.end] == "the Levant Force"
    assert (pledge.speaker_id, pledge.speaker_name, pledge.speaker_text) == (levant, "Levant Front", "the Levant Force")
    # Nested: the Levant Front's pledge is relayed through Mujahed al-Sham's statement.
    sham = items[pledge.reported_by]
    assert sham.speaker_name == "Mujahed al-Sham" and "no such action was taken" in sham.text
    # Both are recorded in the demo: each suggestion names its statement.
    recorded = {row.text: row.id for row in session.execute(select(Statement.text, Statement.id))}
    assert sham.statement_id == recorded[next(t for t in recorded if t.startswith("Despite a statement"))]
    assert pledge.statement_id == recorded[next(t for t in recorded if t.startswith("it would intervene"))]
    # "he said" is resolved by the extractor to the name it stands for, then to the actor.
    regardless = at(items, "Regardless of whose fault it is", source.body)
    assert source.body[regardless.speaker_span.start:regardless.speaker_span.end] == "he"
    assert regardless.speaker_name == "Mujahed al-Sham" and regardless.speaker_id is not None
    # Unnamed ("There are reports that…"): no speaker words, no actor.
    reports = at(items, "Hazzm merged with the Levant Front", source.body)
    assert (reports.speaker_id, reports.speaker_name, reports.speaker_span) == (None, "", None)
    assert reports.cue == reports.hedge == "There are reports"


def test_the_source_page_shows_only_confident_undismissed_ones(session: Any, demo: Any) -> None:
    source = demo_source(session)
    everything = suggestions.proposals(session, source.id)
    shown = suggestions.for_source_page(session, source.id)
    assert shown and all(p.confidence >= DEFAULT_MIN_CONFIDENCE for p in shown)
    assert len(shown) < len(everything)
    with pytest.raises(NotFound):
        suggestions.proposals(session, 999_999)


def test_speaker_names_resolve_by_alias_in_any_script_and_by_their_longest_known_run(session: Any) -> None:
    nusra = make(session, "actors", name="Nusra Front", kind="faction",
                 aliases=[{"name": "Jabhat al-Nusra"}, {"name": "جبهة النصرة", "language": "ar"}])
    sham = make(session, "actors", name="Mujahed al-Sham", kind="person")
    make(session, "actors", name="Ahrar al-Sham", kind="faction")
    make(session, "actors", name="Front", kind="faction")
    make(session, "actors", name="The Front", kind="group")  # "front" names two actors
    found = resolve_speakers(session, ["جَبْهَة النُّصْرَة", "jabhat an-Nusra", "Syrian activist Mujahed al-Sham",
                                       "JABHAT AL-NUSRA", "Front", "Ahrar", "", "Nobody Known"])
    assert found["جَبْهَة النُّصْرَة"] == (nusra, "Nusra Front")  # vowel marks and all
    assert found["JABHAT AL-NUSRA"] == (nusra, "Nusra Front")
    assert found["Syrian activist Mujahed al-Sham"] == (sham, "Mujahed al-Sham")
    assert "Front" not in found  # several actors: the analyst picks
    assert "Ahrar" not in found and "Nobody Known" not in found  # no containment guesses here
    assert "jabhat an-Nusra" not in found  # "an-" is not an article the key drops: not an alias yet


def test_arabic_speaker_in_the_text_resolves_and_offsets_are_code_points(session: Any) -> None:
    nusra = make(session, "actors", name="Nusra Front", kind="faction",
                 aliases=[{"name": "جبهة النصرة", "language": "ar"}])
    body = "🙂 Update. جبهة النصرة said that Hazzm kidnapped four members."
    source = make(session, "sources", title="Arabic name", kind="news_article", body=body)
    (item,) = suggestions.proposals(session, source)
    assert (item.speaker_id, item.speaker_name) == (nusra, "Nusra Front")
    assert body[item.span.start:item.span.end] == item.text == "that Hazzm kidnapped four members"
    assert body[item.speaker_span.start:item.speaker_span.end] == "جبهة النصرة"


def test_a_recorded_statement_matches_when_either_span_covers_almost_all_of_the_other() -> None:
    from claimdb.attribution import Span

    spans = [Span(100, 200), Span(120, 180), Span(300, 310)]
    recorded = [(7, 101, 199), (8, 0, 400), (9, 295, 309)]
    # 7 is the first span give or take its quotation marks; 8 holds everything (too little of it is any one);
    # 9 covers 9 of the third span's 10 characters and 9 of its own 14: not "the same".
    assert same_span_statements(spans, recorded) == {0: 7}


def test_dismissing_hides_it_for_that_source_only_and_children_lose_a_dismissed_parent(session: Any,
                                                                                      demo: Any) -> None:
    source = demo_source(session)
    twin = make(session, "sources", title="The same article, syndicated", kind="news_article", body=source.body)
    items = suggestions.proposals(session, source.id)
    pledge = at(items, "it would intervene if fighting broke out", source.body)
    parent = items[pledge.reported_by]
    _, created = suggestions.dismiss(session, source.id, {"span": {"start": parent.span.start,
                                                                   "end": parent.span.end}})
    assert created
    _, again = suggestions.dismiss(session, source.id, {"span": {"start": parent.span.start,
                                                                 "end": parent.span.end}})
    assert not again  # idempotent
    after = suggestions.proposals(session, source.id)
    assert parent.span not in [p.span for p in after]
    assert len(after) == len(items) - 1
    assert at(after, "it would intervene if fighting broke out", source.body).reported_by is None
    assert parent.span in [p.span for p in suggestions.proposals(session, twin)]
    shown_again = suggestions.proposals(session, source.id, include_dismissed=True)
    assert [p.span for p in shown_again if p.dismissed] == [parent.span]
    with pytest.raises(Invalid) as refused:
        suggestions.dismiss(session, source.id, {"span": {"start": 0, "end": 3}})
    assert "span" in refused.value.errors


def test_reindexing_keeps_parents_valid() -> None:
    from claimdb.attribution import Span

    def proposal(index: int, start: int, parent: int | None) -> suggestions.Proposal:
        return suggestions.Proposal(index, Span(start, start + 5), "x", "indirect", "said", None, None, None, "",
                                    "", None, parent, None, 0.9)

    kept = [proposal(0, 0, None), proposal(2, 20, 1), proposal(3, 30, 2)]  # 1 was left out
    assert [(p.index, p.reported_by) for p in reindexed(kept)] == [(0, None), (1, None), (2, 1)]


def test_accepting_records_the_statement_and_it_is_then_marked(session: Any) -> None:
    sham = make(session, "actors", name="Mujahed al-Sham", kind="person")
    levant = make(session, "actors", name="Levant Front", kind="faction", aliases=[{"name": "Levant Force"}])
    body = ('Mujahed al-Sham said that a statement from the Levant Force promised it would intervene. '
            '"We will not wait," he said.')
    source = make(session, "sources", title="Pledges", kind="news_article", body=body)
    items = suggestions.proposals(session, source, min_confidence=0)
    outer = at(items, "a statement from the Levant Force", body)
    made = suggestions.accept(session, source, {"span": {"start": outer.span.start, "end": outer.span.end}})
    assert (made["speaker_id"], made["text"], made["cue"], made["quote_type"]) == (sham, outer.text, "said",
                                                                                   outer.quote_type)
    quote = at(suggestions.proposals(session, source, min_confidence=0), "We will not wait", body)
    direct = suggestions.accept(session, source, {"span": {"start": quote.span.start, "end": quote.span.end}})
    assert direct["text"] == "We will not wait," and direct["quote_type"] == "direct"  # without its marks
    assert body[direct["span"]["start"]:direct["span"]["end"]] == "We will not wait,"
    after = suggestions.proposals(session, source, min_confidence=0)
    assert at(after, "a statement from the Levant Force", body).statement_id == made["id"]
    assert at(after, "We will not wait", body).statement_id == direct["id"]
    with pytest.raises(Invalid) as twice:
        suggestions.accept(session, source, {"span": {"start": outer.span.start, "end": outer.span.end}})
    assert "already recorded" in twice.value.errors["span"]
    nested = [p for p in after if p.reported_by is not None]
    for child in nested:  # a relayed statement defaults to being reported by its recorded parent
        made_child = suggestions.accept(session, source, {"span": {"start": child.span.start,
                                                                   "end": child.span.end}, "speaker_id": levant})
        assert made_child["reported_by_id"] == after[child.reported_by].statement_id


def test_accepting_needs_a_speaker_id_when_the_name_is_unknown(session: Any) -> None:
    body = "Abu Nobody said that the base had fallen."
    source = make(session, "sources", title="Unknown", kind="news_article", body=body)
    (item,) = suggestions.proposals(session, source, min_confidence=0)
    span = {"start": item.span.start, "end": item.span.end}
    before = session.scalar(select(func.count(Statement.id)))
    with pytest.raises(Invalid) as refused:
        suggestions.accept(session, source, {"span": span})
    assert "Abu Nobody" in refused.value.errors["speaker_id"]
    with pytest.raises(Invalid):
        suggestions.accept(session, source, {"span": span, "colour": "red"})
    assert session.scalar(select(func.count(Statement.id))) == before
    who = make(session, "actors", name="Abu Nobody (unverified)", kind="person")
    made = suggestions.accept(session, source, {"span": span, "speaker_id": who, "credibility": 4})
    assert (made["speaker_id"], made["credibility"]) == (who, 4)


TOY_SUBJECTS = ["The mayor", "The governor", "A spokesman", "The minister", "The commander", "The council"]
TOY_FACTS = ["the bridge was closed", "the road reopened", "the curfew ended", "the market burned",
             "the school reopened", "the port was shelled"]


def test_training_from_the_desk_learns_what_it_records_and_dismisses(session: Any) -> None:
    """The desk records named speakers and dismisses "there are reports": the model learns both."""
    speaker = make(session, "actors", name="Officials", kind="group")
    for i, subject in enumerate(TOY_SUBJECTS):
        body = f"{subject} said that {TOY_FACTS[i]} on Monday.\nThere are reports that {TOY_FACTS[(i + 1) % 6]}."
        source = make(session, "sources", title=f"Toy {i}", kind="news_article", body=body)
        named, rumour = suggestions.proposals(session, source, min_confidence=0)
        suggestions.accept(session, source, {"span": {"start": named.span.start, "end": named.span.end},
                                             "speaker_id": speaker})
        suggestions.dismiss(session, source, {"span": {"start": rumour.span.start, "end": rumour.span.end}})
    fresh = make(session, "sources", title="New", kind="news_article",
                 body="The envoy said that the talks failed on Friday.\nThere are reports that the army left.")
    before = {p.cue: p.confidence for p in suggestions.proposals(session, fresh, min_confidence=0)}
    assert training.status(session).due is False  # 6 statements: not yet 25
    report = suggestions.train_from_desk(session)
    assert (report.sources, report.attributions, report.dismissals) == (6, 6, 6)
    print(f"\ntoy desk: {report.summary()}")
    after = {p.cue: p.confidence for p in suggestions.proposals(session, fresh, min_confidence=0)}
    assert after["said"] > before["said"]
    assert after.get("There are reports", 0.0) < before["There are reports"]
    row = session.get(SuggestionModel, 1)
    assert row.revision == 1 and row.statements_seen == 6 and row.model["format"] == "claimdb.attribution/1"
    suggestions.train_from_desk(session)
    assert session.scalars(select(SuggestionModel)).one().revision == 2  # one current row
    assert current_model(session) is not None


def test_retraining_is_due_every_n_statements_and_cheap_enough_inline(session: Any, demo: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = demo_source(session)
    started = time.perf_counter()
    report = suggestions.train_from_desk(session, min_sources=1)
    print(f"\ntraining on the demo desk: {time.perf_counter() - started:.3f} s ({report.summary()})")
    assert suggestions.status(session).due is False
    monkeypatch.setattr(training, "RETRAIN_EVERY", 2)
    outlet = session.scalar(select(Actor.id).where(Actor.name == "Syrian regime"))
    for text in ("Syrian Nusra Front", "assault drives Hazzm"):
        start = source.body.index(text)
        make(session, "statements", source_id=source.id, speaker_id=outlet, text=text, quote_type="direct",
             span={"start": start, "end": start + len(text)})
    assert suggestions.status(session).due is True
    other = make(session, "sources", title="Second", kind="news_article", body="The mayor said that it rained.")
    (item,) = suggestions.proposals(session, other, min_confidence=0)
    suggestions.dismiss(session, other, {"span": {"start": item.span.start, "end": item.span.end}})
    assert suggestions.retrain_if_due(session) is not None  # two worked sources, small: trained in the request
    assert suggestions.status(session).due is False
    monkeypatch.setattr(training, "INLINE_CHARS", 10)
    for text in ("Nusra Front assault", "drives Hazzm from"):
        start = source.body.index(text)
        make(session, "statements", source_id=source.id, speaker_id=outlet, text=text, quote_type="direct",
             span={"start": start, "end": start + len(text)})
    assert suggestions.retrain_if_due(session) is None  # too big for a request: left to the CLI


def test_cue_and_speaker_are_found_near_a_recorded_span() -> None:
    body = "Sham said Nusra lied. Mujahed al-Sham, an activist, said that the clashes began at dawn."
    start = body.index("the clashes")
    _content, cue, speaker = training.labelled_statement(body, start, len(body) - 1, "said",
                                                         ["Mujahed al-Sham", "Sham"])
    assert body[cue.start:cue.end] == "said" and cue.start == body.index("said that")
    assert body[speaker.start:speaker.end] == "Mujahed al-Sham"
    assert training.labelled_statement(body, 0, 4, None, ["Sham"]) is None  # the outlet's own voice


def test_the_cli_trains_when_asked_and_when_due(app: Any, demo: Any) -> None:
    from claimdb.cli import cli

    def run(*args: str) -> Any:
        return app.test_cli_runner().invoke(cli, ["suggestions", *args])

    assert "No model trained yet" in run("status").output
    due = run("train", "--if-due")  # the demo's 38 statements are more than 25: due, so it tries
    assert due.exit_code == 1 and "needs 2" in due.output  # one worked source cannot be calibrated
    with app.app_context():
        from claimdb.db import db

        other = make(db.session, "sources", title="Second", kind="news_article", body="The mayor said that it rained.")
        (item,) = suggestions.proposals(db.session, other, min_confidence=0)
        suggestions.dismiss(db.session, other, {"span": {"start": item.span.start, "end": item.span.end}})
    trained = run("train")
    assert trained.exit_code == 0 and "Trained on 2 source(s)" in trained.output
    assert "Not due: 0 new statement(s)" in run("train", "--if-due").output
    assert "retraining is not due" in run("status").output
