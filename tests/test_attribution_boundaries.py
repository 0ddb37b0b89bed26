"""Learned content boundaries for the rules' candidates, quotation continuation, titles in subjects.

Small invented sentences only; each test fails without the behaviour it names.
"""

from __future__ import annotations

from claimdb.attribution import Span, suggest, train
from claimdb.attribution.boundaries import Marks, adjustable_rule, word_class
from claimdb.attribution.candidates import Document
from claimdb.attribution.learn import Example
from claimdb.attribution.perceptron import Vocab
from claimdb.attribution.rules import find
from claimdb.attribution.sources import spans

NAMES = ["Ali Hassan", "Maria Lopez", "John Smith", "Olga Ivanova", "Chen Wei", "Amina Yusuf"]


def _adjunct(k: int) -> Example:
    """ "X said that …, which …": on this desk the relative clause after the comma is not part of the content."""
    name = NAMES[k % len(NAMES)]
    said = f"{name} said that the bridge number {k} would reopen in spring, which surprised the mayor."
    body = f"The river rose again on day {k}. {said} Nobody else spoke on day {k}."
    content = body.index("that the bridge")
    end = body.index(", which")
    cue = body.index(" said") + 1
    start = body.index(name)
    return Example(body, [(Span(content, end), Span(cue, cue + 4), Span(start, start + len(name)))])


def test_rankers_cut_a_trailing_adjunct_from_a_rules_candidate() -> None:
    data = [_adjunct(k) for k in range(40)]
    body = data[35].body
    (rule,) = [s for s in suggest(body) if s.cue == "said"]
    assert rule.text.endswith("which surprised the mayor")  # the rule runs to the sentence end
    model = train(data[:30], seed=0)
    for ex in data[30:]:
        (found,) = [s for s in suggest(ex.body, model=model) if s.cue == "said"]
        gold = ex.attributions[0][0]
        assert (found.span.start, found.span.end) == (gold.start, gold.end)


def test_only_single_sentence_clause_candidates_are_adjustable() -> None:
    body = 'Maria Lopez said that the bridge would reopen. "We will see it soon and then more," Ali Hassan said.'
    doc = Document.analyse(body)
    by_pattern = {c.pattern: c for c in find(doc)}
    assert adjustable_rule(doc, by_pattern["forward"]) is not None
    assert adjustable_rule(doc, by_pattern["quote-after"]) is None  # quotations know their content best


def test_a_quotation_after_content_the_cue_closes_continues_it() -> None:
    body = 'He spoke.\n\n"It\'s heartbreaking," Ryan said. "And this country has to find new ways to heal."\n\nNext.'
    (found,) = suggest(body)
    assert found.cue == "said"
    assert found.text.startswith("\"It's heartbreaking")
    assert found.text.endswith('new ways to heal."')


def test_a_paraphrase_then_a_quotation_is_one_statement() -> None:
    body = 'The administration may wait for the talks, Schiff said. "The other factor is the election."\n'
    (found,) = suggest(body)
    assert found.span.start == 0 and found.text.endswith('the election."')


def test_a_title_stays_in_the_subject_and_the_aside_is_parenthetical() -> None:
    body = "The museum, Mr. Bush said, celebrated several of his heroes, among them the musician Chuck Berry."
    (found,) = suggest(body)
    assert found.cue == "said"
    assert found.speaker_span is not None and body[found.speaker_span.start : found.speaker_span.end] == "Mr. Bush"
    assert found.text == body.rstrip(".")


def test_word_classes_stand_in_for_parts_of_speech() -> None:
    assert word_class("which", "which") == "rel"
    assert word_class("but", "but") == "conj"
    assert word_class("during", "during") == "prep"
    assert word_class("said", "said") == "rv"
    assert word_class("reopened", "reopened") == "ed"
    assert word_class("Lopez", "lopez") == "Xx"
    assert word_class("“", "“") == "q"


def test_marks_count_commas_quotes_and_reporting_verbs_between_tokens() -> None:
    doc = Document.analyse('Ali said, "yes, no," and Maria noted it.')
    mk = Marks.of(doc)
    n = len(doc.tokens)
    assert mk.count(mk.commas, 0, n) == 3
    assert mk.count(mk.quotes, 0, n) == 2
    assert mk.count(mk.verbs, 0, n) == 2  # "said" and "noted"; none inside the quotation


def test_vocab_ids_are_stable_and_counted() -> None:
    v = Vocab()
    assert v.encode(["a", "b"]) == [0, 1]
    assert v.encode(["b", "c", "a"]) == [1, 2, 0]
    assert v.keep(2) == [True, True, False]


def _dashed(k: int) -> Example:
    """ "… - Ali Hassan blorfed that …": a made-up cue whose subject the rules' finder cannot cut from the clause."""
    name = NAMES[k % len(NAMES)]
    said = f"The trail on day {k} was predictable - {name} blorfed that the bridge number {k} would reopen soon."
    body = f"The river rose again on day {k}. {said} Nobody else spoke on day {k}."
    content = body.index("that the bridge")
    end = body.index(" soon.") + len(" soon")
    cue = body.index("blorfed")
    start = body.index(name, body.index(" - "))
    return Example(body, [(Span(content, end), Span(cue, cue + 7), Span(start, start + len(name)))])


def test_source_ranker_finds_the_name_for_a_new_cue() -> None:
    data = [_dashed(k) for k in range(40)]
    model = train(data[:30], seed=0)
    assert model.tagger is not None and model.tagger.source
    for ex in data[30:]:
        (found,) = [s for s in suggest(ex.body, model=model) if s.cue == "blorfed"]
        gold = ex.attributions[0][2]
        assert found.speaker_span == gold
    model.tagger.source = {}  # without it, the rules' subject finder takes the whole clause before the cue
    found_rules = [s for s in suggest(data[35].body, model=model) if s.cue == "blorfed"]
    assert all(s.speaker_span != data[35].attributions[0][2] for s in found_rules)


def test_source_spans_are_names_pronouns_and_descriptions() -> None:
    body = "The group said Donald J. Trump and he met the minister of Bank of America."
    doc = Document.analyse(body)
    cue = (2, 3)  # "said"
    texts = [doc.words(*s) for s in spans(doc, cue)]
    assert "Donald J. Trump" in texts and "he" in texts and "Bank of America" in texts and "The group" in texts
    assert "the minister" in texts
