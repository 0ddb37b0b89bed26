"""A statement as every page, report and export shows it: one read model, built in batch.

Search hits, report rows, cross-reference tables, the source page's margin and the statement list all
show a statement with its speaker, attribution chain, source and dates. They all take a
StatementView from statement_views(), so "a statement as shown" has one shape and one query plan:
one query for the sources, one per level of nesting for the chains, one for the claim links (when
asked), whatever the number of statements.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from claimdb.models import Actor, Claim, Source, Statement, StatementClaim
from claimdb.partialdate import PartialDate, iso
from claimdb.services.records.chains import Level, chain_sentence, chains, walk_chains


@dataclass(frozen=True)
class StatementView:
    """One statement with what a reader needs around it. `stance` and `certainty` are set when the
    statement is shown for a claim (who asserts, who denies)."""

    id: int
    text: str
    quote_type: str
    cue: str | None
    hedge: str | None
    stated: PartialDate | None
    credibility: int | None
    span_start: int | None
    span_end: int | None
    reported_by_id: int | None
    speaker: dict[str, Any]  # {"id", "name"}
    chain: list[dict[str, Any]]  # outermost first, ending with this statement (DESIGN.md)
    source: dict[str, Any]  # {"id", "title", "kind", "published" (PartialDate | None), "reliability"}
    claims: list[dict[str, Any]] = field(default_factory=list)  # [{claim_id, text, status, stance, certainty}]
    stance: str | None = None
    certainty: str | None = None

    @property
    def sentence(self) -> str:
        """The chain read aloud: "The article reports that Sham said that …" (built when a page shows it)."""
        return chain_sentence(self.source["kind"], self.chain)

    @property
    def reported(self) -> bool:
        return self.reported_by_id is not None

    def taking(self, stance: str | None, certainty: str | None = None) -> StatementView:
        """The same statement as shown for one claim."""
        return dataclasses.replace(self, stance=stance, certainty=certainty)

    def stmt(self) -> dict[str, Any]:
        """The STMT shape of DESIGN.md, as the search and report APIs return it."""
        return {"id": self.id, "text": self.text, "speaker": dict(self.speaker), "stance": self.stance,
                "source": {"id": self.source["id"], "title": self.source["title"],
                           "published": iso(self.source["published"]), "reliability": self.source["reliability"]},
                "stated": iso(self.stated), "credibility": self.credibility, "chain": self.chain}


# The columns a view reads: a page of statements may be selected as these instead of ORM entities.
VIEW_COLUMNS: tuple[Any, ...] = (
    Statement.id, Statement.source_id, Statement.speaker_id, Statement.reported_by_id, Statement.text,
    Statement.quote_type, Statement.cue, Statement.hedge, Statement.stated, Statement.stated_precision,
    Statement.credibility, Statement.span_start, Statement.span_end)


def statement_views(session: Session, statements: Sequence[Any], *, with_claims: bool = False,
                    stances: Mapping[int, str] | None = None) -> list[StatementView]:
    """Views of these statements (ORM Statements, or rows of VIEW_COLUMNS), in their order. `stances`
    gives a stance per statement id (search by stance); `with_claims` loads each statement's claim
    links with the claims' texts."""
    if not statements:
        return []
    chain = chains(session, statements)
    sources = {r.id: r for r in session.execute(
        select(Source.id, Source.title, Source.kind, Source.published, Source.published_precision,
               Source.reliability).where(Source.id.in_({s.source_id for s in statements})))}
    links = claim_links(session, [s.id for s in statements]) if with_claims else {}
    views = []
    for s in statements:
        src = sources[s.source_id]
        levels = chain.get(s.id, [])
        views.append(StatementView(
            id=s.id, text=s.text, quote_type=s.quote_type, cue=s.cue, hedge=s.hedge,
            stated=PartialDate.from_columns(s.stated, s.stated_precision),
            credibility=s.credibility, span_start=s.span_start, span_end=s.span_end, reported_by_id=s.reported_by_id,
            speaker=dict(levels[-1]["speaker"]) if levels else {"id": s.speaker_id, "name": None},
            chain=levels,
            source={"id": src.id, "title": src.title, "kind": src.kind, "reliability": src.reliability,
                    "published": PartialDate.from_columns(src.published, src.published_precision)},
            claims=links.get(s.id, []), stance=(stances or {}).get(s.id)))
    return views


# A page of statements read with what its STMT rows show (source, speaker's name, the statement it
# reports through and that one's speaker): `stmt_query`. _joined_stmts reads its rows in this order.
_PARENT = aliased(Statement, name="parent")
_PARENT_SPEAKER = aliased(Actor, name="parent_speaker")
STMT_COLUMNS: tuple[Any, ...] = (
    *VIEW_COLUMNS, Source.title.label("source_title"), Source.published.label("source_published"),
    Source.published_precision.label("source_published_precision"),
    Source.reliability.label("source_reliability"), Actor.name.label("speaker_name"),
    _PARENT.speaker_id.label("parent_speaker_id"), _PARENT_SPEAKER.name.label("parent_speaker_name"),
    _PARENT.reported_by_id.label("parent_reported_by_id"), _PARENT.cue.label("parent_cue"),
    _PARENT.hedge.label("parent_hedge"))


def stmt_query(*extra: Any) -> Select[Any]:
    """SELECT STMT_COLUMNS (and `extra`) of statements joined to their source, speaker and the first
    level of their chain: add WHERE and ORDER BY, then give the rows to stmts() (no further query
    for sources or names, nor for chains but those reported through two statements or more)."""
    return (select(*STMT_COLUMNS, *extra).join(Source, Source.id == Statement.source_id)
            .join(Actor, Actor.id == Statement.speaker_id)
            .outerjoin(_PARENT, _PARENT.id == Statement.reported_by_id)
            .outerjoin(_PARENT_SPEAKER, _PARENT_SPEAKER.id == _PARENT.speaker_id))


_SOURCES = select(Source.id, Source.title, Source.published, Source.published_precision, Source.reliability).where(
    Source.id.in_(bindparam("ids", expanding=True)))


def stmts(session: Session, statements: Sequence[Any], *,
          stances: Mapping[int, str] | None = None) -> list[dict[str, Any]]:
    """The STMT shape of each statement, in their order: what `statement_views(...)[i].stmt()` gives,
    built straight from the rows (search answers one on every call: no views, no PartialDate objects,
    statements prepared once). Rows of `stmt_query` need no query but one per level of reporting."""
    if not statements:
        return []
    if hasattr(statements[0], "speaker_name"):
        return _joined_stmts(session, statements, stances or {})
    levels: dict[int, Level] = {s.id: (s.speaker_id, s.reported_by_id, s.cue, s.hedge) for s in statements}
    sources = {r.id: {"id": r.id, "title": r.title, "published": _iso(r.published, r.published_precision),
                      "reliability": r.reliability}
               for r in session.connection().execute(_SOURCES, {"ids": list({s.source_id for s in statements})})}
    chain = walk_chains(session, [s.id for s in statements], levels, {})
    stances = stances or {}
    return [{"id": s.id, "text": s.text, "speaker": dict(chain[s.id][-1]["speaker"]), "stance": stances.get(s.id),
             "source": dict(sources[s.source_id]), "stated": _iso(s.stated, s.stated_precision),
             "credibility": s.credibility, "chain": chain[s.id]} for s in statements]


def _joined_stmts(session: Session, rows: Sequence[Any], stances: Mapping[int, str]) -> list[dict[str, Any]]:
    """stmts() of rows of stmt_query, whose sources, names and parents came along. Read by position, in
    the order of STMT_COLUMNS: looking up a row's columns by name cost more than the rest of the work."""
    levels: dict[int, Level] = {}
    parents: list[tuple[int, Level]] = []
    names: dict[int, str | None] = {}
    sources: dict[int, dict[str, Any]] = {}
    page: list[tuple[int, str, int, str | None, int | None]] = []
    for row in rows:
        (statement_id, source_id, speaker_id, reported_by_id, text, _quote_type, cue, hedge, stated,
         stated_precision, credibility, _span_start, _span_end, source_title, source_published,
         source_published_precision, source_reliability, speaker_name, parent_speaker_id, parent_speaker_name,
         parent_reported_by_id, parent_cue, parent_hedge, *_extra) = row
        levels[statement_id] = (speaker_id, reported_by_id, cue, hedge)
        names[speaker_id] = speaker_name
        if reported_by_id is not None and parent_speaker_id is not None:
            parents.append((reported_by_id, (parent_speaker_id, parent_reported_by_id, parent_cue, parent_hedge)))
            names[parent_speaker_id] = parent_speaker_name
        if source_id not in sources:
            sources[source_id] = {"id": source_id, "title": source_title,
                                  "published": _iso(source_published, source_published_precision),
                                  "reliability": source_reliability}
        page.append((statement_id, text, source_id, _iso(stated, stated_precision), credibility))
    for parent_id, level in parents:  # a parent on the page keeps the level read as its own row
        levels.setdefault(parent_id, level)
    chain = walk_chains(session, [p[0] for p in page], levels, names)
    return [{"id": statement_id, "text": text, "speaker": dict(chain[statement_id][-1]["speaker"]),
             "stance": stances.get(statement_id), "source": dict(sources[source_id]), "stated": stated,
             "credibility": credibility, "chain": chain[statement_id]}
            for statement_id, text, source_id, stated, credibility in page]


@functools.lru_cache(maxsize=4096)
def _iso(first: Any, precision: str | None) -> str | None:
    """A stored partial date (two columns) in the wire format, checked as PartialDate checks it."""
    return iso(PartialDate.from_columns(first, precision))


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
