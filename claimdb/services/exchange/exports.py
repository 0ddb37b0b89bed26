"""Exports: the claimdb/1 document, CSV per record kind, schema.org ClaimReview JSON-LD.

All stream in batches (never the whole database in memory) and are shared by the API
(`GET /api/v1/export?format=json|csv|claimreview`) and the CLI (`claimdb export --format …`), so both
give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Actor, Claim, Source, Statement, StatementClaim
from claimdb.models.base import read_partial
from claimdb.partialdate import iso
from claimdb.rules import spreadsheet_cell
from claimdb.services.exchange.annotation import web_annotation_target
from claimdb.services.exchange.document_import import FORMAT, SECTIONS
from claimdb.services.records.lifecycle import Resource
from claimdb.services.records.registry import RESOURCES

BATCH = 1000
CSV_ENTITIES = tuple(RESOURCES)
BOM = "\ufeff"  # Excel reads a UTF-8 file as UTF-8 only when it starts with this

# Reference columns followed by a readable column, so a spreadsheet needs no lookups.
ACTOR_REFS = {"speaker_id": "speaker", "member_id": "member", "organization_id": "organization",
              "accuser_id": "accuser", "accused_id": "accused", "publisher_id": "publisher"}
CLAIM_REFS = {"claim_id": "claim", "claim_a_id": "claim_a", "claim_b_id": "claim_b"}
SOURCE_REFS = {"source_id": "source"}



def batches(session: Session, resource: Resource, ids: Sequence[int] | None = None) -> Iterator[list[Any]]:
    """The records of one kind in id order, BATCH at a time, released from the session after each."""
    model = resource.model
    last = 0
    while True:
        query = select(model).where(model.id > last)
        if ids is not None:
            query = query.where(model.id.in_(ids))
        batch = list(session.scalars(query.order_by(model.id).limit(BATCH)))
        if not batch:
            return
        yield batch
        last = batch[-1].id
        session.expunge_all()


# ---------------------------------------------------------------- claimdb/1


def document_chunks(session: Session) -> Iterator[str]:
    """The whole database as one claimdb/1 document: each record in the API's shape without its
    `version` and `chain`, statements with their span also as W3C Web Annotation selectors."""
    yield '{"format": "' + FORMAT + '"'
    for section in SECTIONS:
        yield f',\n "{section}": ['
        first = True
        resource = RESOURCES[section]
        for batch in batches(session, resource):
            for row, record in zip(batch, resource.serialize(session, batch), strict=True):
                record.pop("version", None)
                record.pop("chain", None)
                if section == "statements" and row.span_start is not None:
                    record["target"] = web_annotation_target(row)
                yield ("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False)
                first = False
        yield "]" if first else "\n ]"
    yield "\n}\n"


# ---------------------------------------------------------------- CSV


def csv_columns(resource: Resource) -> list[str]:
    """id, then the input fields in schema order, each reference followed by its readable name."""
    columns = ["id"]
    for name in resource.schema.model_fields:
        if name == "span":
            columns += ["span_start", "span_end"]
            continue
        columns.append(name)
        label = ACTOR_REFS.get(name) or CLAIM_REFS.get(name) or SOURCE_REFS.get(name)
        if label:
            columns.append(f"{label}_{'title' if name in SOURCE_REFS else 'text' if name in CLAIM_REFS else 'name'}")
    if resource.plural == "statements":
        columns.append("chain")
    return columns


def csv_chunks(session: Session, entity: str) -> Iterator[str]:
    """One record kind as CSV: UTF-8 with a BOM, CRLF rows, lists joined with "; ", formulas defused."""
    resource = RESOURCES.get(entity)
    if resource is None:
        raise Invalid({"entity": f"Choose one of: {', '.join(CSV_ENTITIES)}."})
    columns = csv_columns(resource)
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the default dialect ("excel"): CRLF, quotes where needed
    writer.writerow(columns)
    yield BOM + _drain(buffer)
    for batch in batches(session, resource):
        records = resource.serialize(session, batch)
        labels = _labels(session, records)
        for record in records:
            writer.writerow([spreadsheet_cell(value) for value in _flat(record, columns, labels)])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _labels(session: Session, records: list[dict[str, Any]]) -> dict[str, dict[int, str]]:
    """Names of the actors, texts of the claims and titles of the sources this batch refers to."""
    def wanted(fields: dict[str, str]) -> set[int]:
        return {r[f] for r in records for f in fields if r.get(f) is not None}

    out: dict[str, dict[int, str]] = {}
    lookups = (("actor", ACTOR_REFS, Actor.id, Actor.name), ("claim", CLAIM_REFS, Claim.id, Claim.text),
               ("source", SOURCE_REFS, Source.id, Source.title))
    for kind, refs, key, label in lookups:
        ids = wanted(refs)
        out[kind] = {row[0]: row[1] for row in session.execute(select(key, label).where(key.in_(ids)))} if ids else {}
    return out


def _flat(record: dict[str, Any], columns: list[str], labels: dict[str, dict[int, str]]) -> list[Any]:
    values: dict[str, Any] = dict(record)
    span = record.get("span")
    values["span_start"], values["span_end"] = (span["start"], span["end"]) if span else (None, None)
    for refs, kind, suffix in ((ACTOR_REFS, "actor", "name"), (CLAIM_REFS, "claim", "text"),
                               (SOURCE_REFS, "source", "title")):
        for name, label in refs.items():
            if name in record:
                values[f"{label}_{suffix}"] = labels[kind].get(record[name]) if record[name] is not None else None
    if "aliases" in record:
        values["aliases"] = "; ".join(a["name"] + (f" [{a['language']}]" if a.get("language") else "")
                                      for a in record["aliases"])
    if "tags" in record:
        values["tags"] = "; ".join(record["tags"])
    if "claims" in record:
        values["claims"] = "; ".join(f"{c['claim_id']} {c['stance']} ({c['certainty']})" for c in record["claims"])
    if "chain" in record:
        values["chain"] = " > ".join(level["speaker"]["name"] + (f" {level['cue']}" if level.get("cue") else "")
                                     + (f" ({level['hedge']})" if level.get("hedge") else "")
                                     for level in record["chain"])
    return [values.get(column) for column in columns]


# ---------------------------------------------------------------- ClaimReview

# status -> (ratingValue on a 1 (false) to 5 (true) scale, the verdict in words)
RATINGS = {
    "refuted": (1, "Refuted"),
    "disputed": (2, "Disputed"),
    "corroborated": (4, "Corroborated"),
    "confirmed": (5, "Confirmed"),
}
PERSON_KINDS = {"person"}


def claimreview_chunks(session: Session, *, author: str | None = None) -> Iterator[str]:
    """schema.org ClaimReview JSON-LD for every reviewed claim (a status other than unverified).

    claimReviewed is the claim's text; the claimants are the speakers of the statements that assert
    it; its appearances are the sources of those statements; reviewRating comes from the status.
    """
    yield '{"@context": "https://schema.org",\n "@graph": ['
    first = True
    reviewed = select(Claim.id).where(Claim.status.in_(RATINGS)).order_by(Claim.id)
    ids = list(session.scalars(reviewed))
    for start in range(0, len(ids), BATCH):
        for review in _reviews(session, ids[start:start + BATCH], author):
            yield ("\n  " if first else ",\n  ") + json.dumps(review, ensure_ascii=False)
            first = False
        session.expunge_all()
    yield "]}\n" if first else "\n ]}\n"


def _reviews(session: Session, ids: list[int], author: str | None) -> Iterator[dict[str, Any]]:
    claims = list(session.scalars(select(Claim).where(Claim.id.in_(ids)).order_by(Claim.id)))
    rows = session.execute(
        select(StatementClaim.claim_id, Actor.id, Actor.name, Actor.kind, Source.id, Source.title, Source.url,
               Source.published, Source.published_precision)
        .join(Statement, Statement.id == StatementClaim.statement_id)
        .join(Actor, Actor.id == Statement.speaker_id)
        .join(Source, Source.id == Statement.source_id)
        .where(StatementClaim.claim_id.in_(ids), StatementClaim.stance == "asserts")
        .order_by(StatementClaim.claim_id, Statement.id)).all()
    claimants: dict[int, dict[int, dict[str, Any]]] = {}
    appearances: dict[int, dict[int, dict[str, Any]]] = {}
    for claim_id, actor_id, name, kind, source_id, title, url, published, precision in rows:
        claimants.setdefault(claim_id, {})[actor_id] = {
            "@type": "Person" if kind in PERSON_KINDS else "Organization", "name": name}
        work: dict[str, Any] = {"@type": "CreativeWork", "headline": title}
        if url:
            work["url"] = url
        if published is not None:
            work["datePublished"] = iso(read_partial(published, precision))
        appearances.setdefault(claim_id, {})[source_id] = work
    for claim in claims:
        rating, verdict = RATINGS[claim.status]
        item: dict[str, Any] = {"@type": "Claim", "text": claim.text}
        if claim.id in claimants:
            item["author"] = list(claimants[claim.id].values())
        if claim.id in appearances:
            item["appearance"] = list(appearances[claim.id].values())
        if claim.occurred is not None:
            item["datePublished"] = iso(claim.occurred_date)
        if claim.location:
            item["contentLocation"] = {"@type": "Place", "name": claim.location}
        review: dict[str, Any] = {
            "@type": "ClaimReview", "identifier": f"claim-{claim.id}", "claimReviewed": claim.text,
            "itemReviewed": item,
            "reviewRating": {"@type": "Rating", "ratingValue": rating, "bestRating": 5, "worstRating": 1,
                             "alternateName": verdict},
        }
        if author:
            review["author"] = {"@type": "Organization", "name": author}
        yield review
