"""A rule that spans fields or records says the same thing to a form, the API and a claimdb/1 import."""

from __future__ import annotations

from typing import Any

import pytest

from claimdb.errors import Invalid
from claimdb.rules import parse_id
from claimdb.services.exchange.document_import import ImportRefused, import_document
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

BODY = "Nusra said Hazzm kidnapped four members. Hazzm denied it."


def _document(**changes: list[dict[str, Any]]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "claimdb/1",
        "actors": [{"id": "nusra", "name": "Nusra Front", "kind": "faction"},
                   {"id": "hazzm", "name": "Hazzm", "kind": "faction"},
                   {"id": "sham", "name": "Mujahed al-Sham", "kind": "person"}],
        "sources": [{"id": "a", "title": "A", "kind": "news_article", "body": BODY},
                    {"id": "b", "title": "B", "kind": "news_article", "body": BODY}],
        "statements": [{"id": "s1", "source_id": "a", "speaker_id": "nusra", "text": "Hazzm kidnapped four members",
                        "quote_type": "indirect"}],
        "claims": [{"id": "c1", "text": "Hazzm kidnapped four members"}, {"id": "c2", "text": "Nobody was taken"}],
        "accusations": [], "contradictions": [], "affiliations": [],
    }
    doc.update(changes)
    return doc


def _import_problem(session: Any, doc: dict[str, Any]) -> str:
    with pytest.raises(ImportRefused) as refused:
        import_document(session, doc)
    session.rollback()
    return refused.value.problems[0].message


def _service_problem(session: Any, noun: str, payload: dict[str, Any], field: str) -> str:
    with pytest.raises(Invalid) as refused:
        lifecycle.create(session, RESOURCES[noun], payload)
    session.rollback()
    return refused.value.errors[field]


def test_self_accusation_reads_the_same_from_an_import_and_a_form(session: Any) -> None:
    from_file = _import_problem(session, _document(accusations=[
        {"id": 1, "statement_id": "s1", "accused_id": "nusra", "act": "attacked"}]))
    import_document(session, _document())
    direct = _service_problem(session, "accusations", {"statement_id": 1, "accused_id": 1, "act": "attacked"},
                              "accused_id")
    assert from_file == direct


def test_contradiction_rules_read_the_same(session: Any) -> None:
    itself = _import_problem(session, _document(contradictions=[
        {"id": 1, "claim_a_id": "c1", "claim_b_id": "c1", "kind": "negation"}]))
    twice = _import_problem(session, _document(contradictions=[
        {"id": 1, "claim_a_id": "c1", "claim_b_id": "c2", "kind": "negation"},
        {"id": 2, "claim_a_id": "c2", "claim_b_id": "c1", "kind": "negation"}]))
    import_document(session, _document(contradictions=[
        {"id": 1, "claim_a_id": "c1", "claim_b_id": "c2", "kind": "negation"}]))
    assert itself == _service_problem(session, "contradictions",
                                      {"claim_a_id": 1, "claim_b_id": 1, "kind": "negation"}, "claim_b_id")
    again = _service_problem(session, "contradictions", {"claim_a_id": 2, "claim_b_id": 1, "kind": "negation"},
                             "claim_b_id")
    assert twice.removesuffix("contradictions[0].") == again.removesuffix("contradiction #1.")


def test_publisher_and_reporting_rules_read_the_same(session: Any) -> None:
    not_media = _import_problem(session, _document(sources=[
        {"id": "a", "title": "A", "kind": "news_article", "body": BODY, "publisher_id": "sham"}]))
    elsewhere = _import_problem(session, _document(statements=[
        {"id": "s1", "source_id": "a", "speaker_id": "nusra", "text": "x", "quote_type": "indirect"},
        {"id": "s2", "source_id": "b", "speaker_id": "hazzm", "text": "y", "quote_type": "indirect",
         "reported_by_id": "s1"}]))
    import_document(session, _document())
    assert not_media == _service_problem(session, "sources", {"title": "C", "kind": "news_article",
                                                              "publisher_id": 3}, "publisher_id")
    assert elsewhere.replace("#1", "#N") == _service_problem(
        session, "statements", {"source_id": 2, "speaker_id": 2, "text": "y", "quote_type": "indirect",
                                "reported_by_id": 1}, "reported_by_id").replace("#1", "#N")


@pytest.mark.parametrize(("typed", "expected"), [
    ("42", 42), ("#42", 42), (" 7 ", 7), (42, 42), ("0", None), ("-1", None), ("4.2", None), ("٤٢", None),
    ("99999999999", None), ("2147483648", None), (True, None), (None, None), ("", None), ("abc", None),
])
def test_one_id_parser(typed: Any, expected: int | None) -> None:
    assert parse_id(typed) == expected
