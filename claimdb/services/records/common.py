"""Small helpers the record modules share."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from claimdb.partialdate import PartialDate

DEPENDANTS_SHOWN = 50


def iso(value: PartialDate | None) -> str | None:
    return value.isoformat() if value else None


@lru_cache(maxsize=8192)
def parse_iso(text: str) -> PartialDate:
    """PartialDate.parse for the wire format, cached: imports see the same few dates again and again."""
    return PartialDate.parse(text)


def parse_date(text: str | None) -> PartialDate | None:
    """A wire-format partial date (already validated by the schema)."""
    return parse_iso(text) if text else None


def dependants(session: Session, kind: str, query: Select, label: Any) -> list[dict[str, Any]]:
    """Up to DEPENDANTS_SHOWN records of one kind, as {type, id, label}."""
    rows = session.execute(query.limit(DEPENDANTS_SHOWN)).all()
    return [{"type": kind, "id": row[0], "label": label(row)} for row in rows]


def short(text: str | None, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


