"""What the source and statement pages show: a body with every span marked, a statement in context.

Pure shaping over a bounded number of queries; the templates only render what these return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, load_only, selectinload

from claimdb.models import Accusation, Actor, Claim, Source, Statement, StatementClaim
from claimdb.services.records.chains import chain_sentence, chains
from claimdb.services.records.sources import SOURCES, STATEMENTS
from claimdb.services.records.spans import Anchor, reanchor

EXCERPT_CONTEXT = 280  # characters shown around a statement's span on its page

# ---------------------------------------------------------------- marking spans in a body


@dataclass(frozen=True)
class Mark:
    """A statement's span to mark in a body (end exclusive)."""

    statement_id: int
    start: int
    end: int
    title: str = ""


@dataclass(frozen=True)
class Token:
    """One piece of a marked body, in document order.

    "text" carries body text (escaped by the template); "open"/"close" wrap a span piece. The
    outermost open piece is a link (<a class="span"><mark>); a piece inside another is a plain
    <mark class="span"> because links cannot nest. A span that crosses another is split into
    pieces; the first piece of each statement carries its #statement-N anchor.
    """

    kind: Literal["text", "open", "close"]
    text: str = ""
    statement_id: int = 0
    link: bool = False
    anchor: bool = False
    title: str = ""


def mark_body(body: str, marks: Sequence[Mark]) -> list[Token]:
    """The body as properly nested tokens whose text, joined, is exactly the body."""
    usable = sorted((m for m in marks if 0 <= m.start < m.end <= len(body)),
                    key=lambda m: (m.start, -m.end, m.statement_id))
    points = sorted({0, len(body), *(m.start for m in usable), *(m.end for m in usable)})
    starting: dict[int, list[Mark]] = {}
    for m in usable:
        starting.setdefault(m.start, []).append(m)
    tokens: list[Token] = []
    stack: list[tuple[Mark, bool]] = []  # open pieces, outermost first, with whether each is a link
    anchored: set[int] = set()

    def open_(m: Mark) -> None:
        link = not stack
        first = m.statement_id not in anchored
        anchored.add(m.statement_id)
        stack.append((m, link))
        tokens.append(Token("open", statement_id=m.statement_id, link=link, anchor=first, title=m.title))

    def close_top() -> Mark:
        m, link = stack.pop()
        tokens.append(Token("close", statement_id=m.statement_id, link=link))
        return m

    for i, at in enumerate(points):
        ending = [n for n, (m, _) in enumerate(stack) if m.end == at]
        if ending:
            reopen = []
            while len(stack) > ending[0]:
                m = close_top()
                if m.end != at:
                    reopen.append(m)
            for m in reversed(reopen):  # pieces that continue past here, outermost first again
                open_(m)
        for m in starting.get(at, []):
            open_(m)
        if i + 1 < len(points) and points[i + 1] > at:
            tokens.append(Token("text", text=body[at:points[i + 1]]))
    while stack:
        close_top()
    return tokens


# ---------------------------------------------------------------- the source page


@dataclass
class StatementRow:
    """A statement as the source page and lists show it."""

    statement: Statement
    chain: list[dict[str, Any]]
    sentence: str
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SourcePage:
    source: Source
    publisher: Actor | None
    tokens: list[Token]
    statements: list[StatementRow]  # reading order: by span start, unspanned last

    @property
    def unspanned(self) -> list[StatementRow]:
        return [r for r in self.statements if r.statement.span_start is None]


def source_page(session: Session, source_id: int) -> SourcePage:
    """A source with its publisher, its marked body and its statements in reading order."""
    source = SOURCES.fetch(session, source_id)
    publisher = session.get(Actor, source.publisher_id) if source.publisher_id else None
    statements = list(session.scalars(
        select(Statement).where(Statement.source_id == source_id).options(selectinload(Statement.speaker))
        .order_by(Statement.span_start.is_(None), Statement.span_start, Statement.span_end.desc(), Statement.id)))
    rows = statement_rows(session, statements, source_kinds={source.id: source.kind})
    marks = [Mark(r.statement.id, r.statement.span_start, r.statement.span_end,
                  f"#{r.statement.id}: {r.sentence}")
             for r in rows if r.statement.span_start is not None and r.statement.span_end is not None]
    return SourcePage(source, publisher, mark_body(source.body or "", marks), rows)


def statement_rows(session: Session, statements: Sequence[Statement],
                   source_kinds: Mapping[int, str] | None = None) -> list[StatementRow]:
    """Chain, chain sentence and claim links for each statement, in a few batch queries."""
    if not statements:
        return []
    kinds = dict(source_kinds or {})
    missing = {s.source_id for s in statements} - kinds.keys()
    if missing:
        found = session.execute(select(Source.id, Source.kind).where(Source.id.in_(missing)))
        kinds.update({r.id: r.kind for r in found})
    chain = chains(session, statements)
    links = claim_links(session, [s.id for s in statements])
    return [StatementRow(s, chain[s.id], chain_sentence(kinds.get(s.source_id, "other"), chain[s.id]),
                         links.get(s.id, [])) for s in statements]


def claim_links(session: Session, statement_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each statement's claim links with the claims' texts and statuses: one query."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not statement_ids:
        return found
    rows = session.execute(
        select(StatementClaim.statement_id, StatementClaim.claim_id, StatementClaim.stance,
               StatementClaim.certainty, Claim.text, Claim.status)
        .join(Claim, Claim.id == StatementClaim.claim_id)
        .where(StatementClaim.statement_id.in_(statement_ids))
        .order_by(StatementClaim.statement_id, StatementClaim.claim_id))
    for r in rows:
        found.setdefault(r.statement_id, []).append(
            {"claim_id": r.claim_id, "stance": r.stance, "certainty": r.certainty, "text": r.text, "status": r.status})
    return found


# ---------------------------------------------------------------- the statement page


@dataclass(frozen=True)
class Excerpt:
    """The span with some text either side, cut at word boundaries."""

    before: str
    quote: str
    after: str
    cut_before: bool
    cut_after: bool


def excerpt(body: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> Excerpt | None:
    if not (0 <= start < end <= len(body)):
        return None
    lo, hi = max(0, start - context), min(len(body), end + context)
    if lo > 0 and not body[lo - 1].isspace():
        space = body.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(body) and not body[hi].isspace():
        space = body.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return Excerpt(body[lo:start], body[start:end], body[end:hi], lo > 0, hi < len(body))


@dataclass
class StatementPage:
    statement: Statement
    source: Source
    publisher: Actor | None
    speaker: Actor
    chain: list[dict[str, Any]]
    sentence: str
    excerpt: Excerpt | None
    claims: list[dict[str, Any]]
    accusations: list[dict[str, Any]]
    reported: list[StatementRow]  # statements reported through this one
    serialized: dict[str, Any]  # the API shape (version, claims) for forms
    previous_id: int | None = None  # the neighbours in the source's reading order
    next_id: int | None = None


def statement_page(session: Session, statement_id: int) -> StatementPage:
    """Everything the statement page shows, in about ten queries whatever the data."""
    st = STATEMENTS.fetch(session, statement_id)
    source = session.get(Source, st.source_id)
    speaker = session.get(Actor, st.speaker_id)
    assert source is not None and speaker is not None  # foreign keys
    publisher = session.get(Actor, source.publisher_id) if source.publisher_id else None
    chain = chains(session, [st])[st.id]
    snippet = excerpt(source.body or "", st.span_start, st.span_end) if st.span_start is not None \
        and st.span_end is not None else None
    children = list(session.scalars(select(Statement).where(Statement.reported_by_id == st.id)
                                    .options(selectinload(Statement.speaker))
                                    .order_by(Statement.span_start, Statement.id)))
    return StatementPage(
        statement=st, source=source, publisher=publisher, speaker=speaker, chain=chain,
        sentence=chain_sentence(source.kind, chain, st.text), excerpt=snippet,
        claims=claim_links(session, [st.id]).get(st.id, []), accusations=accusations_in(session, st.id),
        reported=statement_rows(session, children, {source.id: source.kind}),
        serialized=STATEMENTS.read(session, st), **neighbours(session, st))


def neighbours(session: Session, st: Statement) -> dict[str, int | None]:
    """The statements before and after this one in its source's reading order: one query of ids."""
    ids = list(session.scalars(select(Statement.id).where(Statement.source_id == st.source_id).order_by(
        Statement.span_start.is_(None), Statement.span_start, Statement.span_end.desc(), Statement.id)))
    at = ids.index(st.id) if st.id in ids else -1
    return {"previous_id": ids[at - 1] if at > 0 else None,
            "next_id": ids[at + 1] if 0 <= at < len(ids) - 1 else None}


def accusations_in(session: Session, statement_id: int) -> list[dict[str, Any]]:
    """The accusations made in a statement with both parties' names and the claim's text: one query."""
    accuser, accused = aliased(Actor), aliased(Actor)
    rows = session.execute(
        select(Accusation.id, Accusation.act, Accusation.category, Accusation.claim_id, Claim.text.label("claim_text"),
               accuser.id.label("accuser_id"), accuser.name.label("accuser_name"),
               accused.id.label("accused_id"), accused.name.label("accused_name"))
        .join(accuser, accuser.id == Accusation.accuser_id).join(accused, accused.id == Accusation.accused_id)
        .outerjoin(Claim, Claim.id == Accusation.claim_id)
        .where(Accusation.statement_id == statement_id).order_by(Accusation.id))
    return [dict(r._mapping) for r in rows]


# ---------------------------------------------------------------- small look-ups for forms


def source_brief(session: Session, source_id: int | None) -> Source | None:
    """A source's title and body length for the statement form, without the relationship loads."""
    if source_id is None:
        return None
    return session.scalars(select(Source).where(Source.id == source_id)
                           .options(load_only(Source.id, Source.title, Source.kind, Source.body, Source.published,
                                              Source.published_precision))).first()


def statement_brief(session: Session, statement_id: int | None) -> Statement | None:
    """A statement with its speaker, to name a reporting statement on a form."""
    if statement_id is None:
        return None
    return session.scalars(select(Statement).where(Statement.id == statement_id)
                           .options(selectinload(Statement.speaker))).first()


def enclosing_statements(session: Session, source_id: int, start: int, end: int) -> list[Statement]:
    """Statements of the source whose span contains [start, end): candidates to report a selection through.

    Innermost first, so the likeliest reporter comes first.
    """
    return list(session.scalars(
        select(Statement).where(Statement.source_id == source_id, Statement.span_start <= start,
                                Statement.span_end >= end)
        .options(selectinload(Statement.speaker))
        .order_by((Statement.span_end - Statement.span_start), Statement.id).limit(5)))


def lost_spans(session: Session, source_id: int, body: str) -> list[Statement]:
    """The statements whose quoted span a corrected body would lose (as the source's update will refuse)."""
    statements = session.scalars(select(Statement).where(Statement.source_id == source_id,
                                                         Statement.span_start.is_not(None))
                                 .options(selectinload(Statement.speaker)).order_by(Statement.span_start)).all()
    return [st for st in statements
            if reanchor(body, Anchor(st.span_start or 0, st.span_end or 0, st.span_prefix or "", st.span_quote or "",
                                     st.span_suffix or "")) is None]


def recent_speakers(session: Session, source_id: int, limit: int = 6) -> list[Actor]:
    """The speakers of a source's latest statements, most recent first: one-click picks on the next form."""
    latest = (select(Statement.speaker_id, func.max(Statement.id).label("last"))
              .where(Statement.source_id == source_id).group_by(Statement.speaker_id).subquery())
    return list(session.scalars(select(Actor).join(latest, latest.c.speaker_id == Actor.id)
                                .order_by(latest.c.last.desc()).limit(limit)))
