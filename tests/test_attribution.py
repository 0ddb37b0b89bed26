"""Attribution suggestions (claimdb.attribution): rules on the sample article, spans, the learned model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimdb.attribution import DEFAULT_MIN_CONFIDENCE, Model, Span, Suggestion, suggest, train
from claimdb.attribution.corpus import load_polnear, polnear_dir
from claimdb.attribution.learn import Example, match_by_overlap

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_d74bd5c642664c38.txt"


def _sample() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"the sample article is not at {SAMPLE}")
    return SAMPLE.read_text(encoding="utf-8")


def _at(body: str, span: Span | None) -> str | None:
    return None if span is None else body[span.start : span.end]


def _containing(found: list[Suggestion], words: str) -> Suggestion:
    hits = [s for s in found if words in s.text]
    assert hits, f"no suggestion contains {words!r}: {[s.text[:60] for s in found]}"
    return min(hits, key=lambda s: len(s.text))


def test_sample_statement_issued_by_nusra() -> None:
    body = _sample()
    found = suggest(body)
    s = _containing(found, "The Levant Front escalated when Hazzm kidnapped")
    assert s.quote_type == "direct"
    assert s.cue == "claims"
    assert s.speaker_name == "Nusra"
    assert _at(body, s.speaker_span) == "Nusra"
    assert s.text.endswith("regime's forces.\"")  # the whole multi-sentence quotation


def test_sample_nested_levant_force_statement_relayed_by_sham() -> None:
    body = _sample()
    found = suggest(body)
    inner = _containing(found, "it would intervene if fighting broke out")
    assert _at(body, inner.speaker_span) == "the Levant Force"
    assert inner.cue == "statement"
    assert inner.reported_by is not None
    outer = found[inner.reported_by]
    assert outer.cue == "said"
    assert _at(body, outer.speaker_span) == "Sham"
    assert outer.speaker_name == "Mujahed al-Sham"  # the short name widened to the full one met earlier
    assert "no such action was taken" in outer.text


def test_sample_there_are_reports_has_no_speaker() -> None:
    found = suggest(_sample())
    s = _containing(found, "Hazzm merged with the Levant Front")
    assert s.hedge is not None and s.hedge.lower() == "there are reports"
    assert s.speaker_span is None
    assert s.speaker_name == ""


def test_sample_reportedly_urged() -> None:
    body = _sample()
    s = _containing(suggest(body), "Hazzm not to antagonise Nusra")
    assert s.cue == "urged"
    assert s.hedge == "reportedly"
    assert _at(body, s.speaker_span) == "the Levant Front"


def test_sample_pronouns_resolve_to_the_nearest_named_speaker() -> None:
    body = _sample()
    found = suggest(body)
    he = _containing(found, "It is not unusual for Nusra to accuse its opponents")
    assert _at(body, he.speaker_span) == "he"
    assert he.speaker_name == "Assem Zaidan"
    group = _containing(found, "Nusra of withdrawing its fighters")
    assert _at(body, group.speaker_span) == "the group"
    assert group.speaker_name == "Hazzm"
    it = _containing(found, "stay away from Hazzm sites")
    assert _at(body, it.speaker_span) == "It"
    assert it.speaker_name == "Nusra"


def test_sample_is_ordered_and_spans_match_text() -> None:
    body = _sample()
    found = suggest(body)
    assert len(found) >= 15
    assert [s.span.start for s in found] == sorted(s.span.start for s in found)
    for s in found:
        assert body[s.span.start : s.span.end] == s.text
        assert s.cue_span is None or body[s.cue_span.start : s.cue_span.end] == s.cue
        assert 0.0 <= s.confidence <= 1.0
        assert s.reported_by is None or 0 <= s.reported_by < len(found)


def test_he_said_after_a_named_speaker() -> None:
    body = 'Maria Lopez, the mayor, spoke on Monday. "We will rebuild the bridge by spring," she said.'
    (s,) = suggest(body)
    assert s.quote_type == "direct"
    assert _at(body, s.speaker_span) == "she"
    assert s.speaker_name == "Maria Lopez"


def test_according_to_front_and_back() -> None:
    body = (
        "According to the Interior Ministry, 40 people were detained overnight. "
        "The curfew will be lifted on Friday, according to a police spokesman."
    )
    first, second = suggest(body)
    assert first.cue == "According to"
    assert _at(body, first.speaker_span) == "the Interior Ministry"
    assert first.text == "40 people were detained overnight"
    assert second.cue == "according to"
    assert second.text == "The curfew will be lifted on Friday"
    assert _at(body, second.speaker_span) == "a police spokesman"


def test_split_quote_is_one_suggestion() -> None:
    body = '"The talks have failed," the minister said, "and we will not return to them."'
    (s,) = suggest(body)
    assert s.text == body  # both halves, the cue between them included
    assert s.cue == "said"
    assert _at(body, s.speaker_span) == "the minister"


def test_x_said_that_y_stated_is_nested() -> None:
    body = "Ahmed Saleh said that the council had stated that the vote was fair."
    found = suggest(body)
    outer = _containing(found, "the council had stated")
    inner = _containing(found, "the vote was fair")
    assert inner is not outer
    assert found[inner.reported_by or 0] is outer and inner.reported_by is not None
    assert outer.speaker_name == "Ahmed Saleh"


def test_offsets_are_code_points() -> None:
    prefix = "مقاتلو جبهة النصرة 🚩 𝐁𝐨𝐥𝐝 — "
    body = prefix + 'Hassan Ali said: "The ceasefire will hold until the end of the week."'
    (s,) = suggest(body)
    assert s.span.start == body.index('"')
    assert s.text == body[s.span.start : s.span.end]
    assert s.speaker_span is not None and body[s.speaker_span.start : s.speaker_span.end] == "Hassan Ali"


def test_long_text_works() -> None:
    body = (_sample() * 3)[:5000]
    found = suggest(body)
    assert found and all(s.span.end <= 5000 for s in found)


def _synthetic() -> list[Example]:
    """Bodies where the desk records speech but dismisses beliefs ("thinks", "hopes")."""
    names = ["Ali Hassan", "Maria Lopez", "John Smith", "Olga Ivanova", "Chen Wei", "Amina Yusuf"]
    out = []
    for k in range(30):
        a, b = names[k % 6], names[(k + 1) % 6]
        body = (
            f"{a} said that the bridge number {k} would reopen soon. "
            f"{b} thinks that the river level number {k} is falling. "
            f"{a} hopes that the rain number {k} will stop."
        )
        said = body.index("that the bridge")
        said_end = body.index(" soon.") + len(" soon")
        cue = body.index("said")
        src = Span(0, len(a))
        dismissed = [
            Span(body.index("that the river"), body.index(" is falling") + len(" is falling")),
            Span(body.index("that the rain"), body.index(" will stop") + len(" will stop")),
        ]
        out.append(Example(body, [(Span(said, said_end), Span(cue, cue + 4), src)], dismissed))
    return out


def test_model_learns_from_dismissals_and_round_trips() -> None:
    data = _synthetic()
    model = train(data[:20], seed=1)
    again = Model.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.to_dict() == model.to_dict()
    assert train(data[:20], seed=1).to_dict() == model.to_dict()  # deterministic

    def f1(use: Model | None) -> float:
        tp = pred = gold = 0
        for ex in data[20:]:
            found = suggest(ex.body, model=use)
            pc = [(s.span.start, s.span.end) for s in found]
            gc = [(a[0].start, a[0].end) for a in ex.attributions]
            tp += len(match_by_overlap(pc, gc))
            pred += len(pc)
            gold += len(gc)
        return 2 * tp / (pred + gold)

    assert f1(again) > f1(None)
    assert f1(again) == pytest.approx(1.0)
    shown = [s for ex in data[20:] for s in suggest(ex.body, model=again) if s.confidence >= DEFAULT_MIN_CONFIDENCE]
    assert shown and all(s.cue == "said" for s in shown)


def test_polnear_reading_and_quick_training() -> None:
    root = polnear_dir()
    if not (root / "data" / "train").is_dir():
        pytest.skip(f"PolNeAR is not at {root} (set CLAIMDB_POLNEAR_DIR)")
    articles = list(load_polnear("train", root=root, limit=20))
    assert len(articles) == 20
    for ex in articles[:5]:
        for content, cue, source in ex.attributions:
            assert 0 <= content.start < content.end <= len(ex.body)
            assert cue is None or cue.end <= len(ex.body)
            assert source is None or source.end <= len(ex.body)
    model = train(articles, seed=0)
    assert model.trained_on == 20 and model.weights


def _blorfed(k: int) -> Example:
    """A made-up cue verb no rule knows: "X blorfed that …" is an attribution on this desk."""
    names = ["Ali Hassan", "Maria Lopez", "John Smith", "Olga Ivanova", "Chen Wei", "Amina Yusuf"]
    a, b = names[k % 6], names[(k + 3) % 6]
    first = f"{a} blorfed that the bridge number {k} would reopen soon."
    body = f"The river rose again on day {k}. {first} {b} visited the dam on day {k}."
    start = body.index(first)
    cue = body.index("blorfed")
    content = Span(body.index("that the bridge"), body.index(" soon.") + len(" soon"))
    return Example(body, [(content, Span(cue, cue + len("blorfed")), Span(start, start + len(a)))])


def test_tagger_learns_a_cue_the_rules_do_not_know() -> None:
    data = [_blorfed(k) for k in range(40)]
    body = data[35].body
    assert not suggest(body)  # the rules cannot know "blorfed"
    model = train(data[:30], seed=0)
    assert model.tagger is not None
    found = [s for ex in data[30:] for s in suggest(ex.body, model=model)]
    assert len(found) == 10
    for ex, s in zip(data[30:], found, strict=True):
        content, _, source = ex.attributions[0]
        assert s.cue == "blorfed"
        assert s.text.rstrip(".") == ex.body[content.start : content.end]
        assert s.speaker_span is not None and _at(ex.body, s.speaker_span) == _at(ex.body, source)
        assert s.speaker_name == _at(ex.body, source)
        assert s.confidence >= DEFAULT_MIN_CONFIDENCE


def test_tagger_round_trips_and_trains_deterministically() -> None:
    data = [_blorfed(k) for k in range(20)] + _synthetic()[:10]
    model = train(data, seed=3)
    as_json = json.loads(json.dumps(model.to_dict()))
    assert as_json["tagger"]["cue"] and as_json["tagger"]["start"] and as_json["tagger"]["end"]
    again = Model.from_dict(as_json)
    assert again.to_dict() == model.to_dict()
    assert train(data, seed=3).to_dict() == model.to_dict()  # deterministic for a seed
    body = _blorfed(99).body
    assert suggest(body, model=again) == suggest(body, model=model)


def test_model_without_tagger_still_reads() -> None:
    data = _synthetic()[:10]
    plain = train(data, seed=0, tagger=False)
    d = plain.to_dict()
    assert "tagger" not in d
    assert Model.from_dict(d).tagger is None
