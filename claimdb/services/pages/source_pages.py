"""What the source and statement pages show: a body with every span marked, a statement in context.

Pure shaping over a bounded number of queries; the templates only render what these return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from claimdb.models import Accusation, Actor, Claim, Source, Statement
from claimdb.services.pages.marked_text import Mark, Token, mark_body
from claimdb.services.records.chains import chain_sentence, chains
from claimdb.services.records.sources import SOURCES, STATEMENTS
from claimdb.services.statement_views import StatementView, claim_links, statement_views
from claimdb.services.suggestions import Proposal, for_source_page

EXCERPT_CONTEXT = 280  # characters shown around a statement's span on its page


PALETTE_SIZE = 12  # speaker colours .sp-0 … .sp-11 in claimdb.css (Okabe–Ito first, then four more hues)


@dataclass(frozen=True)
class SpeakerKey:
    """One speaker in the source's legend: the colour class every highlight of theirs carries."""

    id: int
    name: str
    colour: int  # palette index: speakers in order of first appearance in the text, cycling
    count: int


@dataclass(frozen=True)
class Annotation:
    """What a statement's highlight and margin card show beyond the StatementView."""

    colour: int
    depth: int  # 0 for a statement the source itself reports; 1 for one reported through another …
    hedged: bool
    accusations: list[dict[str, Any]]
    reported: list[int]  # ids of statements reported through this one

    @property
    def classes(self) -> str:
        """The CSS classes of the statement's highlight (colours by class: CSP forbids style attributes)."""
        return " ".join([f"sp-{self.colour}", "nested" if self.depth else "outer",
                         *(["hedged"] if self.hedged else [])])


@dataclass(frozen=True)
class SuggestionView:
    """An unrecorded suggestion as the source page shows it: dashed in the text, with a card to act on it.

    ``fields`` are the accept route's (and the statement form's) prefilled values: the span as given,
    the speaker (the resolved actor's id, else the name as written), text, quote type, cue, hedge and
    the reporting statement when the suggestion is relayed through one already recorded.
    """

    proposal: Proposal
    fields: dict[str, str]

    @property
    def index(self) -> int:
        return self.proposal.index

    @property
    def speaker(self) -> str:
        return self.proposal.speaker_name or self.proposal.speaker_text

    @property
    def percent(self) -> int:
        return round(self.proposal.confidence * 100)

    @property
    def title(self) -> str:
        who = self.speaker or "someone unnamed"
        return f"Suggested: {who} {self.proposal.cue or 'said'} ({self.percent}% confident)"


def suggestion_views(proposals: Sequence[Proposal]) -> list[SuggestionView]:
    """The proposals not yet recorded, each with its prefilled statement fields."""
    recorded = {p.index: p.statement_id for p in proposals if p.statement_id is not None}
    views = []
    for p in proposals:
        if p.statement_id is not None:
            continue
        speaker = str(p.speaker_id) if p.speaker_id is not None else p.speaker_text
        fields = {"span_start": str(p.span.start), "span_end": str(p.span.end), "speaker_id": speaker,
                  "text": p.text, "quote_type": p.quote_type, "cue": p.cue or "", "hedge": p.hedge or ""}
        reporter = recorded.get(p.reported_by) if p.reported_by is not None else None
        if reporter is not None:
            fields["reported_by_id"] = str(reporter)
        views.append(SuggestionView(p, fields))
    return views


@dataclass
class SourcePage:
    source: Source
    publisher: Actor | None
    tokens: list[Token]
    statements: list[StatementView]  # reading order: by span start, unspanned last
    speakers: list[SpeakerKey] = field(default_factory=list)  # the legend, in order of first appearance
    annotations: dict[int, Annotation] = field(default_factory=dict)  # by statement id
    suggestions: list[SuggestionView] = field(default_factory=list)  # unrecorded, by span start

    @property
    def unspanned(self) -> list[StatementView]:
        return [r for r in self.statements if r.span_start is None]


def speaker_colours(rows: Sequence[StatementView]) -> list[SpeakerKey]:
    """A palette index per speaker, deterministic: by first appearance in reading order (then id)."""
    counts: dict[int, int] = {}
    names: dict[int, str] = {}
    for r in rows:
        sid = int(r.speaker["id"])
        counts[sid] = counts.get(sid, 0) + 1
        names.setdefault(sid, r.speaker.get("name") or f"#{sid}")
    return [SpeakerKey(sid, names[sid], n % PALETTE_SIZE, counts[sid]) for n, sid in enumerate(counts)]


def source_page(session: Session, source_id: int, *, suggestions: bool = False) -> SourcePage:
    """A source with its publisher, its marked body and its statements in reading order, annotated.

    With ``suggestions`` (for analysts), the unrecorded attribution suggestions are marked too, as
    their own kind of piece: a fixed number of queries more (claimdb.services.suggestions.proposals)."""
    source = SOURCES.fetch(session, source_id)
    publisher = session.get(Actor, source.publisher_id) if source.publisher_id else None
    statements = list(session.scalars(
        select(Statement).where(Statement.source_id == source_id).options(selectinload(Statement.speaker))
        .order_by(Statement.span_start.is_(None), Statement.span_start, Statement.span_end.desc(), Statement.id)))
    rows = statement_views(session, statements, with_claims=True)
    speakers = speaker_colours(rows)
    colour = {k.id: k.colour for k in speakers}
    accused = accusations_by_statement(session, [r.id for r in rows])
    children: dict[int, list[int]] = {}
    for r in rows:
        if r.reported_by_id is not None:
            children.setdefault(r.reported_by_id, []).append(r.id)
    notes = {r.id: Annotation(colour=colour[int(r.speaker["id"])], depth=max(0, len(r.chain) - 1),
                              hedged=bool(r.hedge), accusations=accused.get(r.id, []),
                              reported=children.get(r.id, []))
             for r in rows}
    marks = [Mark(r.id, r.span_start, r.span_end, f"#{r.id}: {r.sentence}",
                  classes=f"{notes[r.id].classes} q-{r.quote_type}", label=r.speaker.get("name") or "",
                  speaker_id=int(r.speaker["id"]))
             for r in rows if r.span_start is not None and r.span_end is not None]
    suggested = suggestion_views(for_source_page(session, source_id)) if suggestions and source.body else []
    marks += [Mark(v.index, v.proposal.span.start, v.proposal.span.end, v.title,
                   classes=f"suggested q-{v.proposal.quote_type}", suggestion=True) for v in suggested]
    return SourcePage(source, publisher, mark_body(source.body or "", marks), rows, speakers, notes, suggested)


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
    reported: list[StatementView]  # statements reported through this one
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
        reported=statement_views(session, children, with_claims=True),
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
    return accusations_by_statement(session, [statement_id]).get(statement_id, [])


def accusations_by_statement(session: Session, statement_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The accusations made in each of these statements, with names and claim texts: one query."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not statement_ids:
        return found
    accuser, accused = aliased(Actor), aliased(Actor)
    rows = session.execute(
        select(Accusation.id, Accusation.statement_id, Accusation.act, Accusation.category, Accusation.claim_id,
               Claim.text.label("claim_text"),
               accuser.id.label("accuser_id"), accuser.name.label("accuser_name"),
               accused.id.label("accused_id"), accused.name.label("accused_name"))
        .join(accuser, accuser.id == Accusation.accuser_id).join(accused, accused.id == Accusation.accused_id)
        .outerjoin(Claim, Claim.id == Accusation.claim_id)
        .where(Accusation.statement_id.in_(statement_ids)).order_by(Accusation.id))
    for r in rows:
        found.setdefault(r.statement_id, []).append(dict(r._mapping))
    return found


