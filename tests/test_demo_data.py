"""The packaged demo dataset (claimdb/demo/sample_article.json), a hand-kept claimdb/1 document.

Statements are placed by their quoted text (a W3C TextQuoteSelector), never by typed offsets. The
first test loads the file through the real import on each engine and checks where every statement
landed; the others read the file as the package ships it. Values are checked by that import, so
they are not listed again here.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

import pytest
from sqlalchemy import func, select

from claimdb.models import ActorAlias, values
from claimdb.services.exchange import demo, exports

SECTIONS = ["actors", "affiliations", "sources", "statements", "claims", "accusations", "contradictions"]
# What the dataset holds: an edit may add records, never lose any.
AT_LEAST = {"actors": 20, "affiliations": 6, "sources": 1, "statements": 38, "claims": 42, "accusations": 11,
            "contradictions": 4}
ALIASES = 18
NESTED = 3
KEYS = {
    "actors": {"id", "name", "kind", "description", "reliability", "aliases"},
    "affiliations": {"id", "member_id", "organization_id", "role", "start", "end", "statement_id", "note"},
    "sources": {"id", "title", "kind", "publisher_id", "author", "url", "published", "language", "original_language",
                "body", "reliability", "note"},
    "statements": {"id", "source_id", "speaker_id", "reported_by_id", "text", "quote_type", "cue", "hedge", "stated",
                   "target", "credibility", "claims"},
    "claims": {"id", "text", "occurred", "location", "status", "tags"},
    "accusations": {"id", "statement_id", "accuser_id", "accused_id", "act", "category", "claim_id"},
    "contradictions": {"id", "claim_a_id", "claim_b_id", "kind", "status", "note"},
}


@cache
def _doc() -> dict[str, Any]:
    resource = files("claimdb.demo") / "sample_article.json"
    return json.loads(resource.read_text(encoding="utf-8"))


@pytest.fixture
def doc() -> dict[str, Any]:
    return _doc()


def by_id(doc: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in doc[section]}


def actor_named(doc: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [a for a in doc["actors"] if a["name"] == name]
    assert len(matches) == 1, name
    return matches[0]


def selector(statement: dict[str, Any]) -> dict[str, Any]:
    sel = statement["target"]["selector"]
    assert sel["type"] == "TextQuoteSelector", statement["id"]
    return sel


def span_text(statement: dict[str, Any]) -> str:
    """The text the statement is anchored to (test_the_file_loads_… shows the import puts it exactly there)."""
    return str(selector(statement)["exact"])


# ---------------------------------------------------------------- through the real import


def test_the_file_loads_through_the_real_import_and_every_statement_lands_on_its_quote(
        session: Any, doc: dict[str, Any]) -> None:
    report = demo.load(session)
    assert report is not None and report.counts == {s: len(doc[s]) for s in SECTIONS}
    assert session.scalar(select(func.count()).select_from(ActorAlias)) == sum(len(a["aliases"]) for a in doc["actors"])
    stored = json.loads("".join(exports.document_chunks(session)))
    (source,) = stored["sources"]
    body = source["body"]
    assert body == doc["sources"][0]["body"]
    spans: dict[str, tuple[int, int]] = {}
    # A fresh database numbers the records in file order.
    for mine, got in zip(doc["statements"], stored["statements"], strict=True):
        assert (got["text"], got["quote_type"]) == (mine["text"], mine["quote_type"]), mine["id"]
        start, end = got["span"]["start"], got["span"]["end"]
        sel = selector(mine)
        assert body[start:end] == sel["exact"], mine["id"]
        assert body[:start].endswith(sel.get("prefix") or "") and body[end:].startswith(sel.get("suffix") or "")
        if not (sel.get("prefix") or sel.get("suffix")):
            assert body.count(sel["exact"]) == 1, mine["id"]
        if mine["quote_type"] != "paraphrase":  # a quote or indirect speech: the article's own words
            assert got["text"] == body[start:end], mine["id"]
        spans[mine["id"]] = (start, end)
    for st in doc["statements"]:
        if st["reported_by_id"]:
            # the reported utterance sits inside the span of the statement that reports it
            outer, inner = spans[st["reported_by_id"]], spans[st["id"]]
            assert outer[0] <= inner[0] < inner[1] <= outer[1], st["id"]


# ---------------------------------------------------------------- the file as shipped


def test_format_and_every_key_on_every_record(doc: dict[str, Any]) -> None:
    assert doc["format"] == "claimdb/1"
    assert set(doc) == {"format", *SECTIONS}
    for section in SECTIONS:
        for record in doc[section]:
            assert set(record) == KEYS[section], (section, record["id"])
        ids = [r["id"] for r in doc[section]]
        assert len(ids) == len(set(ids)), section
        assert all(isinstance(i, str) and i for i in ids), section


@pytest.mark.parametrize("section", SECTIONS)
def test_nothing_was_lost(doc: dict[str, Any], section: str) -> None:
    assert len(doc[section]) >= AT_LEAST[section]


def test_counts_of_aliases_and_nested_statements(doc: dict[str, Any]) -> None:
    assert sum(len(a["aliases"]) for a in doc["actors"]) >= ALIASES
    assert sum(1 for st in doc["statements"] if st["reported_by_id"]) >= NESTED


def test_the_source_is_the_article() -> None:
    doc = _doc()
    (source,) = doc["sources"]
    assert source["title"] == "Syrian Nusra Front assault drives Hazzm from Aleppo"
    assert source["kind"] == "news_article"
    assert source["published"] == "2015-03-01"
    assert (source["language"], source["original_language"]) == ("en", "ar")
    assert source["url"] is None
    assert "edited translation from our Arabic edition" in source["note"]
    assert source["body"].startswith("Syrian Nusra Front assault drives Hazzm from Aleppo\n")
    assert source["body"].rstrip().endswith("This article is an edited translation from our Arabic edition.")
    outlet = by_id(doc, "actors")[source["publisher_id"]]
    assert outlet["kind"] == "media"
    assert outlet["name"] == "The article's outlet"
    assert outlet["reliability"] is None


def test_the_demo_shows_every_kind_of_quote_and_more_than_unverified_claims(doc: dict[str, Any]) -> None:
    assert {st["quote_type"] for st in doc["statements"]} == set(values.QuoteType)
    assert {c["status"] for c in doc["claims"]} - {"unverified"}, "every claim is unverified"
    assert {x["status"] for x in doc["contradictions"]} > {"open"}


def test_direct_quotes_equal_their_quoted_text(doc: dict[str, Any]) -> None:
    for st in doc["statements"]:
        if st["quote_type"] == "direct":
            assert st["text"] == span_text(st), st["id"]


def test_reported_by_chains_never_loop(doc: dict[str, Any]) -> None:
    statements = by_id(doc, "statements")
    for st in doc["statements"]:
        seen = {st["id"]}
        parent = st["reported_by_id"]
        while parent is not None:
            assert parent not in seen, st["id"]
            seen.add(parent)
            parent = statements[parent]["reported_by_id"]


def test_nusra_written_statement_is_a_direct_quote(doc: dict[str, Any]) -> None:
    nusra = actor_named(doc, "Nusra Front")
    (st,) = [s for s in doc["statements"] if s["text"].startswith("The Levant Front escalated when Hazzm kidnapped")]
    assert st["speaker_id"] == nusra["id"]
    assert st["quote_type"] == "direct"
    assert st["cue"] == "claims"
    assert st["reported_by_id"] is None
    assert "completely absent from frontline fighting" in span_text(st)


def test_nested_statements(doc: dict[str, Any]) -> None:
    statements = by_id(doc, "statements")
    nested = [s for s in doc["statements"] if s["reported_by_id"]]
    levant = actor_named(doc, "Levant Front")
    sham = actor_named(doc, "Mujahed al-Sham")
    sallal = actor_named(doc, "Munzer al-Sallal")
    parents = {statements[s["reported_by_id"]]["speaker_id"] for s in nested if s["speaker_id"] == levant["id"]}
    assert {sham["id"], sallal["id"]} <= parents
    for st in nested:
        assert span_text(st) in span_text(statements[st["reported_by_id"]]), st["id"]
    # The pledge reported through al-Sham is spelled "Levant Force" by the outlet.
    (via_sham,) = [
        s
        for s in nested
        if s["speaker_id"] == levant["id"] and statements[s["reported_by_id"]]["speaker_id"] == sham["id"]
    ]
    assert "Levant Force that " + span_text(via_sham) in span_text(statements[via_sham["reported_by_id"]])
    assert "intervene" in via_sham["text"]
    # Top-level statements by named speakers are not reported through anyone.
    al_sham_statements = [s for s in doc["statements"] if s["speaker_id"] == sham["id"]]
    assert al_sham_statements and all(s["reported_by_id"] is None for s in al_sham_statements)


def test_direct_quotes_of_al_sham_and_zaidan(doc: dict[str, Any]) -> None:
    sham = actor_named(doc, "Mujahed al-Sham")
    zaidan = actor_named(doc, "Assem Zaidan")
    (regardless,) = [s for s in doc["statements"] if s["text"].startswith("Regardless of whose fault it is")]
    assert (regardless["speaker_id"], regardless["quote_type"], regardless["cue"]) == (sham["id"], "direct", "said")
    (treason,) = [s for s in doc["statements"] if s["text"].startswith("It is not unusual for Nusra")]
    assert (treason["speaker_id"], treason["quote_type"]) == (zaidan["id"], "direct")


def test_hedged_statements(doc: dict[str, Any]) -> None:
    body = doc["sources"][0]["body"]
    hedged = {s["hedge"]: s for s in doc["statements"] if s["hedge"]}
    assert {"there are reports", "reportedly"} <= set(hedged)
    unnamed = by_id(doc, "actors")[hedged["there are reports"]["speaker_id"]]
    assert unnamed["kind"] == "unknown"
    assert "There are reports that " + span_text(hedged["there are reports"]) in body
    assert "merged with the Levant Front" in hedged["there are reports"]["text"]
    assert "reportedly urged Hazzm" in span_text(hedged["reportedly"])


def test_aliases(doc: dict[str, Any]) -> None:
    def aliases(name: str) -> dict[str, str]:
        return {al["name"]: al["language"] for al in actor_named(doc, name)["aliases"]}

    assert "Levant Force" in aliases("Levant Front")
    assert aliases("Levant Front").get("الجبهة الشامية") == "ar"
    assert aliases("Nusra Front").get("جبهة النصرة") == "ar"
    assert {"Jabhat al-Nusra", "Nusra"} <= set(aliases("Nusra Front"))
    assert aliases("Hazzm Movement").get("حركة حزم") == "ar"
    assert {"Hazzm", "Harakat Hazm"} <= set(aliases("Hazzm Movement"))
    assert aliases("Abu Maria al-Qahtani").get("أبو ماريا القحطاني") == "ar"
    assert "SRF" in aliases("Syria Revolutionaries Front")
    for a in doc["actors"]:
        names = [al["name"] for al in a["aliases"]]
        assert len(names) == len(set(names)), a["id"]
        assert a["name"] not in names, a["id"]


def test_affiliations_over_time(doc: dict[str, Any]) -> None:
    statements = by_id(doc, "statements")
    hazzm = actor_named(doc, "Hazzm Movement")["id"]
    levant = actor_named(doc, "Levant Front")["id"]
    nusra = actor_named(doc, "Nusra Front")["id"]
    rows = {(f["member_id"], f["organization_id"], f["role"]): f for f in doc["affiliations"]}
    joined = rows[(hazzm, levant, "member")]
    assert joined["start"] == "2015-02"
    assert "month ago" in " ".join(span_text(statements[joined["statement_id"]]).split())
    merged = rows[(hazzm, levant, "merged_into")]
    assert statements[merged["statement_id"]]["hedge"] == "there are reports"
    qahtani = rows[(actor_named(doc, "Abu Maria al-Qahtani")["id"], nusra, "leader")]
    assert qahtani["start"] is None and qahtani["end"] is not None
    assert "Sharia leader" in qahtani["note"]
    assert (actor_named(doc, "Sami al-Aridi")["id"], nusra, "leader") in rows


def test_accusations_and_mutual_pair(doc: dict[str, Any]) -> None:
    for a in doc["accusations"]:
        assert a["act"] and a["category"], a["id"]
    triples = {(a["accuser_id"], a["accused_id"], a["category"]) for a in doc["accusations"]}
    hazzm = actor_named(doc, "Hazzm Movement")["id"]
    nusra = actor_named(doc, "Nusra Front")["id"]
    assert (nusra, hazzm, "kidnapping") in triples
    assert (hazzm, nusra, "kidnapping") in triples


def test_stance_conflict_and_contradictions(doc: dict[str, Any]) -> None:
    stances: dict[str, set[str]] = {}
    for st in doc["statements"]:
        for link in st["claims"]:
            stances.setdefault(link["claim_id"], set()).add(link["stance"])
    assert any({"asserts", "denies"} <= s for s in stances.values())
    # every claim is borne by at least one statement
    assert set(by_id(doc, "claims")) <= set(stances)
    pairs = Counter(frozenset((x["claim_a_id"], x["claim_b_id"])) for x in doc["contradictions"])
    assert max(pairs.values()) == 1, "a contradiction pair appears twice"
    assert all(x["note"] for x in doc["contradictions"])
