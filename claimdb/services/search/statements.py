"""Search statements by words, speaker, faction, date, source and claim: one service for page and API.

Every search is a bounded number of queries whatever the result size: name resolution, a capped
count, one page of rows, then batch loads (chains, sources) for that page; facets add one
GROUP BY each over a capped scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Actor, Claim, Source, Statement, StatementClaim
from claimdb.models.values import ClaimStatus, Reliability, Stance
from claimdb.partialdate import PartialDate
from claimdb.services.arguments import MAX_FIELD, date_argument, text_argument
from claimdb.services.paging import Page, Results
from claimdb.services.records.rules import date_range_problem
from claimdb.services.search import fulltext
from claimdb.services.search.factions import affiliated_speaker, faction_facet, scoped_rows
from claimdb.services.search.names import MAX_MATCHES, Resolved, resolve_field
from claimdb.services.search.where import conditions as sql_conditions
from claimdb.services.search.where import where as sql_where
from claimdb.services.statement_views import stmt_query, stmts

COUNT_CAP = 10_000  # totals above this are shown as "10,000+": counting everything grows with the data
RANK_CAP = 2_000  # a words-only search ranks among this many of the newest matches
NARROW_CAP = 5_000  # words within a speaker/faction/source: at most this many matches are ranked
FACET_SCAN = 5_000  # facets count within this many matching statements
FACET_SIZE = 10


@dataclass(frozen=True)
class SearchFilters:
    """What the analyst asked for, validated; empty strings mean "any"."""

    q: str = ""
    speaker: str = ""
    faction: str = ""
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    source: str = ""
    reliability: tuple[str, ...] = ()
    stance: str = ""
    category: str = ""
    status: str = ""

    FIELDS = ("q", "speaker", "faction", "from", "to", "source", "reliability", "stance", "category", "status")

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchFilters:
        """Parse query-string arguments; Invalid lists every bad one by field name."""
        errors: dict[str, str] = {}
        values = {name: text_argument(args, name, errors, fulltext.MAX_QUERY_CHARS if name == "q" else MAX_FIELD)
                  for name in cls.FIELDS}
        date_from = date_argument(values["from"], "from", errors)
        date_to = date_argument(values["to"], "to", errors)
        if problem := date_range_problem(date_from, date_to):
            errors["to"] = problem
        letters = tuple(dict.fromkeys(x.strip().upper() for x in values["reliability"].replace(",", " ").split()))
        if any(x not in Reliability for x in letters):
            errors["reliability"] = "Use the grades A–F (several may be given, e.g. A,B)."
        for name, allowed in (("stance", Stance), ("status", ClaimStatus)):
            if values[name] and values[name] not in allowed:
                errors[name] = f"Choose one of: {', '.join(allowed)}."
        if errors:
            raise Invalid(errors)
        return cls(q=values["q"].strip(), speaker=values["speaker"].strip(), faction=values["faction"].strip(),
                   date_from=date_from, date_to=date_to, source=values["source"].strip(), reliability=letters,
                   stance=values["stance"], category=values["category"].strip(), status=values["status"])

    def to_args(self) -> dict[str, str]:
        """The filters as query-string arguments (only those set)."""
        args = {"q": self.q, "speaker": self.speaker, "faction": self.faction,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else "", "source": self.source,
                "reliability": ",".join(self.reliability), "stance": self.stance, "category": self.category,
                "status": self.status}
        return {k: v for k, v in args.items() if v}


@dataclass
class SearchResults:
    """One page of STMT rows plus what the page needs around them."""

    results: Results[dict[str, Any]]
    filters: SearchFilters
    terms: list[str] = field(default_factory=list)
    total_capped: bool = False
    resolved: dict[str, Resolved] = field(default_factory=dict)
    facets: dict[str, list[dict[str, Any]]] | None = None
    notes: list[str] = field(default_factory=list)

    def resolved_json(self) -> dict[str, Any]:
        return {name: r.json() for name, r in self.resolved.items()}


def search(session: Session, filters: SearchFilters, page: Page, *, facets: bool = False) -> SearchResults:
    """Statements matching every filter, ranked by relevance when words are given, else newest first."""
    out = SearchResults(Results([], 0, page), filters)
    faction_ids: list[int] = []
    for name, value in (("speaker", filters.speaker), ("faction", filters.faction)):
        if value:
            out.resolved[name] = resolved = resolve_field(session, name, value)
            if resolved.more:
                out.notes.append(f"More than {MAX_MATCHES} actors have “{value}” in their names: pick one of "
                                 f"them or type more of the name.")
                return out
            if not resolved.actors:
                out.notes.append(f"No actor matches the {name} “{value}”.")
                return out
    speaker_ids = out.resolved["speaker"].ids if "speaker" in out.resolved else None
    if "faction" in out.resolved:
        faction_ids = out.resolved["faction"].ids
    found = sql_where(filters, speaker_ids, faction_ids or None)
    out.terms = fulltext.words(filters.q) if filters.q else []
    if filters.q and not out.terms:
        out.notes.append("The words box held no letters or digits to search for; it was ignored.")
    narrowed = bool(filters.speaker or filters.faction or filters.source)
    query: Select[Any] | None = None  # the matches as bare ids, for facets
    ranked = bool(out.terms)
    if out.terms and narrowed:
        query = select(Statement).where(*found.conditions(), fulltext.match_condition(session, out.terms))
        statements, total = _ranked_in_python(session, query, out.terms, page)
        out.total_capped = total > NARROW_CAP
    elif out.terms and not found.shape:
        _ordered, query, ranked = _query(session, out.terms, [])
        statements, total = _ranked_natively(session, out.terms, page)
        out.total_capped = total >= RANK_CAP
    elif out.terms:
        ordered, query, ranked = _query(session, out.terms, found.conditions())
        statements, total = _page(session, _page_queries(ordered, query), found.params, page)
        out.total_capped = total > COUNT_CAP
    else:
        statements, total = _page(session, _newest_first(session, found.shape), found.params, page)
        out.total_capped = total > COUNT_CAP
    stances = _stances(session, [s.id for s in statements], filters) if filters.stance or filters.status else {}
    items = stmts(session, statements, stances=stances)
    if faction_ids:
        how = affiliated_speaker(session, statements, faction_ids)
        for item in items:
            item["faction"] = how.get(item["id"])
    out.results = Results(items, min(total, NARROW_CAP if narrowed and out.terms else COUNT_CAP), page)
    if ranked and not found.shape and total >= RANK_CAP:
        out.notes.append(f"More than {RANK_CAP:,} statements contain these words: the {RANK_CAP:,} newest are "
                         "ranked and shown. Add words or a filter to narrow.")
    if facets:
        out.facets = facet_counts(session, query if query is not None else select(Statement.id).where(
            *found.conditions()))
    return out


def _query(session: Session, terms: list[str],
           conditions: list[ColumnElement[bool]]) -> tuple[Select[Any], Select[Any], bool]:
    """The ordered STMT query (ranked by the native full-text score when there are words), the same
    matches as bare statement ids (to count them and for facets), and whether it is ranked.

    Words alone rank within a bounded set of the newest matches; with other filters, every match
    is joined and ranked.
    """
    if not terms:
        newest: Any = Statement.stated.desc()
        if session.get_bind().dialect.name == "postgresql":
            newest = newest.nulls_last()  # SQLite already sorts NULL last when descending
        return (stmt_query().where(*conditions).order_by(newest, Statement.id.desc()),
                select(Statement.id).where(*conditions), False)
    hits = fulltext.matches(session, terms, limit=None if conditions else RANK_CAP).subquery("hits")
    query = (stmt_query(hits.c.score).join(hits, hits.c.id == Statement.id).where(*conditions)
             .order_by(hits.c.score, Statement.id.desc()))
    return query, select(Statement.id).join(hits, hits.c.id == Statement.id).where(*conditions), True


@dataclass(frozen=True)
class _PageQueries:
    """One page of rows (LIMIT :size OFFSET :offset) with the capped count of all matches alongside,
    and that count alone (for a page past the end)."""

    rows: Select[Any]
    count: Select[Any]


def _page_queries(ordered: Select[Any], matches: Select[Any]) -> _PageQueries:
    # The capped count rides along as an uncorrelated scalar subquery: both engines run it once, and
    # the page costs one round trip instead of two.
    count = select(func.count()).select_from(matches.limit(COUNT_CAP + 1).subquery())
    rows = ordered.add_columns(count.scalar_subquery().label("counted"))
    return _PageQueries(rows.limit(bindparam("size")).offset(bindparam("offset")), count)


_NEWEST_FIRST: dict[tuple[str, tuple[str, ...], int], _PageQueries] = {}


def _newest_first(session: Session, shape: tuple[str, ...]) -> _PageQueries:
    """The page queries of a search without words, newest first, built once per engine and shape of
    filters with the values as parameters (see where.py): a speaker search asks one on every call."""
    key = (session.get_bind().dialect.name, shape, COUNT_CAP)
    queries = _NEWEST_FIRST.get(key)
    if queries is None:
        ordered, matches, _ranked = _query(session, [], sql_conditions(shape, None))
        queries = _NEWEST_FIRST[key] = _page_queries(ordered, matches)
    return queries


def _page(session: Session, queries: _PageQueries, params: dict[str, Any], page: Page) -> tuple[list[Any], int]:
    """One page (STMT rows: no ORM entities to build, so run on the connection) and a total of the
    matches, counted (up to COUNT_CAP) only when the page is full."""
    connection = session.connection()
    rows = connection.execute(queries.rows, {**params, "size": page.size, "offset": page.offset}).all()
    if not rows:
        if page.offset == 0:
            return [], 0
        return [], connection.execute(queries.count, params).scalar() or 0
    return list(rows), rows[0].counted


def _ranked_natively(session: Session, terms: list[str], page: Page) -> tuple[list[Any], int]:
    """Words alone: score the newest RANK_CAP matches once (bm25 / ts_rank), load only the page."""
    hits = fulltext.matches(session, terms, limit=RANK_CAP).subquery("hits")
    ids = list(session.scalars(select(hits.c.id).order_by(hits.c.score, hits.c.id.desc())))
    wanted = ids[page.offset:page.offset + page.size]
    by_id = {s.id: s for s in session.execute(stmt_query().where(Statement.id.in_(wanted)))} if wanted else {}
    return [by_id[i] for i in wanted], len(ids)


def _ranked_in_python(session: Session, query: Select[Any], terms: list[str],
                      page: Page) -> tuple[list[Any], int]:
    """Words within a speaker's, faction's or source's statements: match natively, rank the (bounded)
    matches by term frequency, load only the page."""
    found = session.execute(query.with_only_columns(Statement.id, Statement.text).limit(NARROW_CAP + 1)).all()
    ids = fulltext.rank([(r[0], r[1]) for r in found[:NARROW_CAP]], terms)
    wanted = ids[page.offset:page.offset + page.size]
    by_id = {s.id: s for s in session.execute(stmt_query().where(Statement.id.in_(wanted)))} if wanted else {}
    return [by_id[i] for i in wanted], len(found)


def _stances(session: Session, ids: list[int], f: SearchFilters) -> dict[int, str]:
    """The stance each statement takes on a claim matching the stance/status filter."""
    if not ids:
        return {}
    query = select(StatementClaim.statement_id, StatementClaim.stance).where(StatementClaim.statement_id.in_(ids))
    if f.stance:
        query = query.where(StatementClaim.stance == f.stance)
    if f.status:
        query = query.join(Claim, Claim.id == StatementClaim.claim_id).where(Claim.status == f.status)
    found: dict[int, str] = {}
    for statement_id, stance in session.execute(query.order_by(StatementClaim.claim_id)):
        found.setdefault(statement_id, stance)
    return found


def facet_counts(session: Session, query: Select[Any]) -> dict[str, list[dict[str, Any]]]:
    """Counts by speaker, faction, source and year within (at most FACET_SCAN of) the matches."""
    scoped = scoped_rows(query, FACET_SCAN)
    n = func.count().label("n")
    speakers = session.execute(
        select(Actor.id, Actor.name, n).join(scoped, scoped.c.speaker_id == Actor.id)
        .group_by(Actor.id, Actor.name).order_by(n.desc(), Actor.name).limit(FACET_SIZE)).all()
    sources = session.execute(
        select(Source.id, Source.title, n).join(scoped, scoped.c.source_id == Source.id)
        .group_by(Source.id, Source.title).order_by(n.desc(), Source.title).limit(FACET_SIZE)).all()
    year = func.extract("year", scoped.c.stated)
    years = session.execute(
        select(year.label("year"), n).where(scoped.c.stated.is_not(None))
        .group_by(year).order_by(year.desc()).limit(30)).all()
    return {
        "speaker": [{"id": r.id, "name": r.name, "count": r.n} for r in speakers],
        "faction": faction_facet(session, scoped, FACET_SIZE),
        "source": [{"id": r.id, "title": r.title, "count": r.n} for r in sources],
        "year": [{"year": int(r.year), "count": r.n} for r in years],
    }

