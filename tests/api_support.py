"""A small data set from the sample article, made through the record services, for the API tests."""

from __future__ import annotations

from typing import Any

from flask import Flask

from claimdb.db import db
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

BODY = ("Mujahed al-Sham said the Levant Front would intervene. "
        "Hazzm joined the Levant Front a month ago. Nusra says Hazzm kidnapped four members.")


def span(text: str) -> dict[str, int]:
    start = BODY.index(text)
    return {"start": start, "end": start + len(text)}


def make(noun: str, payload: dict[str, Any]) -> dict[str, Any]:
    return lifecycle.create(db.session, RESOURCES[noun], payload)


def build(app: Flask) -> dict[str, int]:
    """Actors, one source, a three-level reporting chain, claims, an accusation, a contradiction."""
    with app.app_context():
        ids: dict[str, int] = {}
        ids["outlet"] = make("actors", {"name": "Al-Monitor", "kind": "media", "reliability": "B"})["id"]
        ids["nusra"] = make("actors", {"name": "Nusra Front", "kind": "faction",
                                       "aliases": [{"name": "Jabhat al-Nusra", "language": "en"}]})["id"]
        ids["hazzm"] = make("actors", {"name": "Harakat Hazm", "kind": "faction"})["id"]
        ids["levant"] = make("actors", {"name": "Levant Front", "kind": "faction"})["id"]
        ids["sham"] = make("actors", {"name": "Mujahed al-Sham", "kind": "person"})["id"]
        ids["source"] = make("sources", {"title": "Rebel infighting in Aleppo", "kind": "news_article",
                                         "publisher_id": ids["outlet"], "published": "2015-03", "language": "en",
                                         "body": BODY})["id"]
        ids["claim_kidnap"] = make("claims", {"text": "Hazzm kidnapped four Nusra members", "status": "disputed",
                                              "occurred": "2015-02", "tags": ["kidnapping"]})["id"]
        ids["claim_none"] = make("claims", {"text": "Nobody was kidnapped"})["id"]
        ids["claim_spare"] = make("claims", {"text": "Nusra was the aggressor", "status": "unverified"})["id"]
        ids["outer"] = make("statements", {
            "source_id": ids["source"], "speaker_id": ids["sham"], "text": "the Levant Front would intervene",
            "quote_type": "indirect", "cue": "said", "stated": "2015-03-01",
            "span": span("the Levant Front would intervene")})["id"]
        ids["middle"] = make("statements", {
            "source_id": ids["source"], "speaker_id": ids["levant"], "reported_by_id": ids["outer"],
            "text": "would intervene", "quote_type": "paraphrase", "cue": "pledged", "hedge": "reportedly"})["id"]
        ids["inner"] = make("statements", {
            "source_id": ids["source"], "speaker_id": ids["nusra"], "reported_by_id": ids["middle"],
            "text": "Hazzm kidnapped four members", "quote_type": "direct", "cue": "says",
            "span": span("Hazzm kidnapped four members"),
            "claims": [{"claim_id": ids["claim_kidnap"], "stance": "asserts", "certainty": "probable"}]})["id"]
        ids["affiliation"] = make("affiliations", {"member_id": ids["hazzm"], "organization_id": ids["levant"],
                                                   "role": "member", "start": "2015-02"})["id"]
        ids["accusation"] = make("accusations", {"statement_id": ids["inner"], "accused_id": ids["hazzm"],
                                                 "act": "kidnapped four members", "category": "kidnapping",
                                                 "claim_id": ids["claim_kidnap"]})["id"]
        ids["contradiction"] = make("contradictions", {"claim_a_id": ids["claim_kidnap"],
                                                       "claim_b_id": ids["claim_none"], "kind": "negation"})["id"]
        return ids
