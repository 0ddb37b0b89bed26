"""The sample article's dataset: loaded once, idempotently, through the ordinary import.

claimdb/demo/sample_article.json is a hand-kept claimdb/1 document (edit it directly): the article's
text is the source body, and each statement is placed by the words it quotes (a W3C TextQuoteSelector
in `target`), which the import finds in the body, so nobody types offsets.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.models import Source
from claimdb.paths import DEMO
from claimdb.services.exchange.document_import import ImportReport, import_document


def document() -> dict[str, object]:
    with open(DEMO, encoding="utf-8") as f:
        data: dict[str, object] = json.load(f)
    return data


def is_loaded(session: Session, doc: dict[str, object] | None = None) -> bool:
    """The demo source is already there (same title and body): loading again would duplicate it."""
    doc = doc or document()
    source = doc["sources"][0]  # type: ignore[index]
    found = session.scalar(select(Source.id).where(Source.title == source["title"]).limit(1))
    return found is not None and session.get(Source, found).body == source["body"]  # type: ignore[union-attr]


def load(session: Session) -> ImportReport | None:
    """Import the sample dataset unless it is already loaded; None when nothing was done."""
    doc = document()
    if is_loaded(session, doc):
        return None
    return import_document(session, doc, label="demo: sample article")
