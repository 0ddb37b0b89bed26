"""The import's fast lane for its most numerous records (statements): from the file's record straight
to the rows to write, for the common statement that has no problem. Plain checks that accept only
what the slow way accepts (references resolved one by one, StatementIn, the rules across records);
anything they do not clearly accept goes that way, which gives the messages. So a file's problems
read the same either way, and a valid statement skips building a payload, pydantic's model and the
record objects between them (about half of the time to check a statement at 200k).

tests/test_import_stream.py checks on generated records that both ways write the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from claimdb.models import values
from claimdb.partialdate import PartialDateError, parse_iso
from claimdb.rules import MAX_ID
from claimdb.services.exchange import annotation
from claimdb.services.records import rules
from claimdb.services.records.schemas import NO_CONTROL, NOT_BLANK, ClaimLinkIn, StatementIn
from claimdb.services.records.spans import CONTEXT

_NO_CONTROL = re.compile(NO_CONTROL).fullmatch
_NOT_BLANK = re.compile(NOT_BLANK).fullmatch
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$").fullmatch
# A statement's members in the API's shape, and the read-only ones a file may carry (import_records.IGNORED).
RECORD_FIELDS = frozenset(StatementIn.model_fields) | {"id", "version", "chain", "target"}
LINK_FIELDS = frozenset(ClaimLinkIn.model_fields)
SPAN_FIELDS = frozenset(("start", "end"))
QUOTE_TYPES = frozenset(values.QuoteType)
STANCES = frozenset(values.Stance)
CERTAINTIES = frozenset(values.Certainty)
LOW, HIGH = min(values.Credibility), max(values.Credibility)
MAX_SPAN = 2_000_000


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


class StatementRows:
    """Rows for statements of one file: `rows(record)` gives (the statement's row, its claim links'
    rows, (statement, reporter) when the reporter is written later) or None (the slow way decides).

    `date_columns` turns a valid wire date into the two column values; `bodies` holds the checked
    sources' bodies by database id."""

    def __init__(self, index: Any, bodies: dict[int, str], date_columns: Callable[[str | None], tuple[Any, Any]]
                 ) -> None:
        ids = index.ids
        self.statements, self.sources, self.actors, self.claims = (
            ids["statements"], ids["sources"], ids["actors"], ids["claims"])
        self.source_of, self.parent_of, self.late_parent = index.source_of, index.parent_of, index.late_parent
        self.limit = index.count("statements") + 1
        self.bodies = bodies
        self.date_columns = date_columns
        self.dates: dict[Any, tuple[Any, Any]] = {None: (None, None)}

    def rows(self, record: Any) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], tuple[int, int] | None] | None:
        if type(record) is not dict or not record.keys() <= RECORD_FIELDS:
            return None
        get = record.get
        db_id = self.statements[record["id"]]  # the first pass took every id
        source_id, speaker_id = _found(self.sources, get("source_id")), _found(self.actors, get("speaker_id"))
        reporter = get("reported_by_id")
        if reporter is not None:
            reporter = _found(self.statements, reporter)
            if reporter is None:
                return None
        text, quote_type, credibility, stated = get("text"), get("quote_type"), get("credibility"), get("stated")
        if not (source_id is not None and speaker_id is not None
                and type(text) is str and 0 < len(text) <= 20_000 and _NOT_BLANK(text) is not None
                and type(quote_type) is str and quote_type in QUOTE_TYPES
                and _text500(get("cue")) and _text500(get("hedge"))
                and (credibility is None or (type(credibility) is int and LOW <= credibility <= HIGH))):
            return None
        if stated is not None and type(stated) is not str:
            return None
        dates = self.dates.get(stated)
        if dates is None:
            if not _date(stated):
                return None
            dates = self.dates[stated] = self.date_columns(stated)
        body = self.bodies.get(source_id)
        if body is None:
            return None
        span = get("span")
        if "target" in record:
            try:
                span = annotation.span_of(record["target"], get("source_id"), span, body)
            except annotation.TargetRefused:
                return None
        if span is None:
            anchor: Any = (None, None, None, None, None)
        else:
            if type(span) is not dict or span.keys() != SPAN_FIELDS:
                return None
            start, end = span["start"], span["end"]
            if not (type(start) is int and type(end) is int and 0 <= start < end <= len(body) and end <= MAX_SPAN):
                return None
            quote = body[start:end]
            if quote_type == "direct" and text != quote:
                return None
            anchor = (start, end, body[max(0, start - CONTEXT):start], quote, body[end:end + CONTEXT])
        claims = get("claims", [])
        if type(claims) is not list or len(claims) > 500:
            return None
        links = []
        for link in claims:
            if type(link) is not dict or not link.keys() <= LINK_FIELDS:
                return None
            claim_id, stance, certainty = _found(self.claims, link.get("claim_id")), link.get("stance"), \
                link.get("certainty", "unknown")
            if not (claim_id is not None and type(stance) is str and stance in STANCES
                    and type(certainty) is str and certainty in CERTAINTIES):
                return None
            links.append((db_id, claim_id, stance, certainty))
        if len(links) > 1 and len({link[1] for link in links}) != len(links):
            return None
        late = None
        if reporter is not None:
            if rules.reporter_problems(db_id, source_id, reporter, self.source_of.get(reporter, 0),
                                       self.parent_of.get, self.limit):
                return None
            if db_id in self.late_parent:
                late, reporter = (db_id, reporter), None
        return ((db_id, source_id, speaker_id, reporter, text, quote_type, get("cue"), get("hedge"), *dates,
                 credibility, *anchor, 1), links, late)


def _found(ids: dict[Any, int], value: Any) -> int | None:
    """The database id of a plain file reference (a string or an integer), if it stands for one."""
    kind = type(value)
    found = ids.get(value) if kind is str or kind is int else None
    return found if found is not None and 1 <= found <= MAX_ID else None
