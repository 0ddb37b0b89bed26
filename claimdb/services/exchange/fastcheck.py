"""A quick yes for the import's most numerous records (statements): plain checks that accept only
what StatementIn accepts. Anything they do not clearly accept goes to the schema, which gives the
messages; so a file's problems read the same either way, and a valid record skips pydantic's
model building (a third of the import's checking time at 200k statements).

tests/test_import_stream.py checks on generated records that this and StatementIn agree.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from claimdb.models import values
from claimdb.partialdate import PartialDateError, parse_iso
from claimdb.rules import MAX_ID
from claimdb.services.records.schemas import NO_CONTROL, NOT_BLANK, ClaimLinkIn, StatementIn

_NO_CONTROL = re.compile(NO_CONTROL).fullmatch
_NOT_BLANK = re.compile(NOT_BLANK).fullmatch
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$").fullmatch
STATEMENT_FIELDS = frozenset(StatementIn.model_fields)
LINK_FIELDS = frozenset(ClaimLinkIn.model_fields)
SPAN_FIELDS = frozenset(("start", "end"))
QUOTE_TYPES = frozenset(values.QuoteType)
STANCES = frozenset(values.Stance)
CERTAINTIES = frozenset(values.Certainty)
LOW, HIGH = min(values.Credibility), max(values.Credibility)
MAX_SPAN = 2_000_000


def _ref(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _text500(value: Any) -> bool:
    return value is None or (type(value) is str and len(value) <= 500 and _NO_CONTROL(value) is not None)


def _date(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is not str or _DATE(value) is None:
        return False
    try:
        parse_iso(value)
    except PartialDateError:
        return False
    return True


def statement(p: dict[str, Any]) -> Any:
    """The statement with StatementIn's attributes, or None: ask the schema."""
    if not p.keys() <= STATEMENT_FIELDS:
        return None
    get = p.get
    source_id, speaker_id, reported_by_id = get("source_id"), get("speaker_id"), get("reported_by_id")
    text, quote_type, credibility = get("text"), get("quote_type"), get("credibility")
    if not (_ref(source_id) and _ref(speaker_id) and (reported_by_id is None or _ref(reported_by_id))
            and type(text) is str and 0 < len(text) <= 20_000 and _NOT_BLANK(text) is not None
            and type(quote_type) is str and quote_type in QUOTE_TYPES
            and _text500(get("cue")) and _text500(get("hedge")) and _date(get("stated"))
            and (credibility is None or (type(credibility) is int and LOW <= credibility <= HIGH))):
        return None
    span = get("span")
    if span is not None:
        if type(span) is not dict or span.keys() != SPAN_FIELDS:
            return None
        start, end = span["start"], span["end"]
        if not (type(start) is int and type(end) is int and 0 <= start <= MAX_SPAN and 0 <= end <= MAX_SPAN):
            return None
        span = SimpleNamespace(start=start, end=end)
    claims = get("claims", [])
    if type(claims) is not list or len(claims) > 500:
        return None
    links = []
    for link in claims:
        if type(link) is not dict or not link.keys() <= LINK_FIELDS:
            return None
        stance, certainty = link.get("stance"), link.get("certainty", "unknown")
        if not (_ref(link.get("claim_id")) and type(stance) is str and stance in STANCES
                and type(certainty) is str and certainty in CERTAINTIES):
            return None
        links.append(SimpleNamespace(claim_id=link["claim_id"], stance=stance, certainty=certainty))
    return SimpleNamespace(source_id=source_id, speaker_id=speaker_id, reported_by_id=reported_by_id, text=text,
                           quote_type=quote_type, cue=get("cue"), hedge=get("hedge"), stated=get("stated"),
                           span=span, credibility=credibility, claims=links)
