"""The contradiction report: explicit contradictions, stance conflicts and mutual accusations, in pages.

Filters select entries (an entry is kept when one of its statements matches); a kept entry is
shown whole, so the analyst sees both sides. Each section is a page of entries, most-evidenced
first, read from the report tables (models/report_tables.py, kept in step with every write): the
order walks an index, and a filter either drives the query from its own index (an actor's or a
faction's statements → their claims) or, for a wide date range, probes each entry in index order
with EXISTS. A page's entries then load their statements in batch. `next` cursors are keysets.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select, union
from sqlalchemy import tuple_ as row
from sqlalchemy.orm import Session, aliased

from claimdb.errors import Invalid
from claimdb.models import Actor, Affiliation, Claim, Contradiction, Statement, StatementClaim
from claimdb.models.report_tables import ReportClaim, ReportContradiction
from claimdb.models.values import ORIGIN_ROLES, ContradictionStatus
from claimdb.partialdate import PartialDate
from claimdb.services.arguments import MAX_FIELD, date_argument, text_argument
from claimdb.services.records.rules import date_range_problem
from claimdb.services.reports import accusations as mutual
from claimdb.services.search.factions import faction_matches, holds
from claimdb.services.search.names import Resolved, resolve_field
from claimdb.services.sqlhints import role_in, unindexed
from claimdb.services.statement_views import VIEW_COLUMNS, stmts

SECTION_LIMIT = 20  # entries per section and page: the first page is the most-evidenced, so the heaviest
SIDE_LIMIT = 10  # statements shown per claim and stance on a page (with their count; downloads show them all)
DOWNLOAD_SIDE_LIMIT = 1_000_000
# A wide date range alone is counted among this many most-evidenced entries of each section (each
# probed once): the work stays the same however large the database; beyond it, totals are lower bounds.
PROBE_BUDGET = 500
ACTOR_CAP = 10  # actors an ambiguous actor= or faction= word may stand for
DENSE = 20_000  # a date range with more statements than this is probed entry by entry, not driven
SECTIONS = ("contradictions", "stance_conflicts", "mutual_accusations")


def encode_cursor(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(token: str, types: Sequence[type]) -> tuple[Any, ...]:
    """The keyset a `next` link carries; Invalid if it was not made by encode_cursor for this section."""
    try:
        key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        key = None
    if not isinstance(key, list) or len(key) != len(types) or not all(
            type(v) is t for v, t in zip(key, types, strict=True)):
        raise Invalid({"after": "Follow a `next` link of the report: this cursor is not one."})
    return tuple(key)


@dataclass(frozen=True)
class ReportFilters:
    actor: str = ""
    faction: str = ""
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    status: str = ""
    section: str = ""  # with `after`: the next page of this section only
    after: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportFilters:
        """Parse query-string arguments; Invalid lists every bad one by field name."""
        errors: dict[str, str] = {}
        names = ("actor", "faction", "from", "to", "status", "section", "after")
        values = {name: text_argument(args, name, errors) for name in names}
        date_from, date_to = date_argument(values["from"], "from", errors), date_argument(values["to"], "to", errors)
        if problem := date_range_problem(date_from, date_to):
            errors["to"] = problem
        if values["status"] and values["status"] not in ContradictionStatus:
            errors["status"] = f"Choose one of: {', '.join(ContradictionStatus)}."
        if values["section"] and values["section"] not in SECTIONS:
            errors["section"] = f"Choose one of: {', '.join(SECTIONS)}."
        if values["after"] and not values["section"]:
            errors["after"] = "A cursor belongs to a section: follow a `next` link of the report."
        if errors:
            raise Invalid(errors)
        return cls(values["actor"].strip()[:MAX_FIELD], values["faction"].strip()[:MAX_FIELD], date_from, date_to,
                   values["status"], values["section"], values["after"].strip())

    def to_args(self) -> dict[str, str]:
        """The filters (not the page) as query-string arguments."""
        args = {"actor": self.actor, "faction": self.faction,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else "", "status": self.status}
        return {k: v for k, v in args.items() if v}

    def page_args(self, section: str, cursor: str) -> dict[str, str]:
        """The query-string arguments of a section's next page."""
        return {**self.to_args(), "section": section, "after": cursor}

    def shows(self, section: str) -> bool:
        return not self.section or self.section == section

    @property
    def first_page(self) -> ReportFilters:
        return replace(self, section="", after="")


@dataclass
class Report:
    filters: ReportFilters
    resolved: dict[str, Resolved] = field(default_factory=dict)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    stance_conflicts: list[dict[str, Any]] = field(default_factory=list)
    mutual_accusations: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: {
        "contradictions": 0, "stance_conflicts": 0, "mutual_accusations": 0})
    edges: list[dict[str, Any]] = field(default_factory=list)  # who accuses whom, by category, most first
    notes: list[str] = field(default_factory=list)
    next: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(SECTIONS))  # cursors
    capped: dict[str, bool] = field(default_factory=dict)  # totals that are lower bounds (PROBE_BUDGET)
    counted: set[str] = field(default_factory=set)  # sections whose first page brought their total along

    def most_contested(self, n: int = 5) -> list[dict[str, Any]]:
        """Claims with the most statements for and against, across the two claim sections."""
        seen: dict[int, dict[str, Any]] = {}
        for entry in self.stance_conflicts:
            seen[entry["claim"]["id"]] = {"claim": entry["claim"], "asserted": len(entry["asserted_by"]),
                                          "denied": len(entry["denied_by"])}
        for entry in self.contradictions:
            for side in entry["sides"]:
                seen.setdefault(side["claim"]["id"], {"claim": side["claim"], "asserted": len(side["statements"]),
                                                      "denied": 0})
        ranked = sorted(seen.values(), key=lambda c: (-min(c["asserted"], c["denied"]) if c["denied"] else 1,
                                                       -(c["asserted"] + c["denied"]), c["claim"]["id"]))
        return ranked[:n]

    def top_accusers(self, n: int = 10) -> list[dict[str, Any]]:
        pairs: Counter[tuple[int, int]] = Counter()
        names: dict[int, str] = {}
        for e in self.edges:
            pairs[(e["accuser"]["id"], e["accused"]["id"])] += e["count"]
            names[e["accuser"]["id"]], names[e["accused"]["id"]] = e["accuser"]["name"], e["accused"]["name"]
        return [{"accuser": {"id": a, "name": names[a]}, "accused": {"id": b, "name": names[b]}, "count": c}
                for (a, b), c in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    def summary(self) -> dict[str, Any]:
        """The totals, and which of them are lower bounds (a wide date range alone: see PROBE_BUDGET)."""
        return {"totals": self.totals, "totals_capped": {s: bool(self.capped.get(s)) for s in SECTIONS},
                "most_contested": self.most_contested(), "top_accusers": self.top_accusers()}

    def json(self, next_urls: Mapping[str, str | None] | None = None) -> dict[str, Any]:
        return {"filters": self.filters.to_args(), "resolved": {k: r.json() for k, r in self.resolved.items()},
                "summary": self.summary(), "notes": self.notes, "contradictions": self.contradictions,
                "stance_conflicts": self.stance_conflicts, "mutual_accusations": self.mutual_accusations,
                "next": dict(next_urls) if next_urls is not None else dict(self.next)}


@dataclass(frozen=True)
class Scope:
    """What the filters keep: statement conditions, accusation conditions, and how to use them."""

    statements: list[ColumnElement[bool]]
    accusations: list[ColumnElement[bool]]
    driven: bool  # the filter's own index finds few enough statements to start from

    @property
    def filtered(self) -> bool:
        return bool(self.statements)


def contradiction_report(session: Session, filters: ReportFilters, *, page_size: int | None = None,
                         side_limit: int = SIDE_LIMIT) -> Report:
    """One page of each section (or, with filters.section, the next page of that one), with totals
    of every section and the accusation network."""
    page_size = page_size or SECTION_LIMIT
    report = Report(filters)
    scope = _scope(session, report)
    if scope is None:
        return report
    for section in SECTIONS:
        if filters.shows(section):
            page(session, report, scope, section, filters.after if filters.section else "", page_size, side_limit)
    _totals(session, report, scope)
    probed = scope.filtered and not scope.driven
    report.edges, sampled = mutual.accusation_edges(session, scope.accusations, sample=probed)
    for section in SECTIONS:
        if report.capped.get(section):
            report.notes.append(
                f"{section.replace('_', ' ').capitalize()}: at least {report.totals[section]:,} in this date range "
                f"(counted among the {PROBE_BUDGET:,} with the most evidence); narrow the range, or filter by actor "
                "or faction, for an exact count. The pages still reach every entry.")
    if sampled:
        report.notes.append(f"The accusation network counts the {mutual.EDGE_SAMPLE:,} most recent accusations in "
                            "this date range; narrow it for the whole network.")
    return report


def report_pages(session: Session, filters: ReportFilters, section: str,
                 page_size: int = SECTION_LIMIT) -> Iterator[Report]:
    """Every page of one section in order, each a Report holding that page only (downloads)."""
    filters = replace(filters.first_page, section=section)
    report = Report(filters)
    scope = _scope(session, report)
    if scope is None:
        return
    cursor = ""
    while True:
        chunk = Report(filters, resolved=report.resolved)
        page(session, chunk, scope, section, cursor, page_size, DOWNLOAD_SIDE_LIMIT)
        yield chunk
        cursor = chunk.next[section] or ""
        if not cursor:
            return


def _scope(session: Session, report: Report) -> Scope | None:
    """Resolve actor= and faction= (at most ACTOR_CAP actors each) into conditions; None: nobody matches."""
    filters = report.filters
    for name, value in (("actor", filters.actor), ("faction", filters.faction)):
        if not value:
            continue
        resolved = resolve_field(session, name, value)
        if len(resolved.actors) > ACTOR_CAP:
            shown = ", ".join(a["name"] for a in resolved.actors[:ACTOR_CAP])
            report.notes.append(
                f"“{value}” matches {'at least ' if len(resolved.actors) >= 200 else ''}{len(resolved.actors)} "
                f"actors; the report uses the first {ACTOR_CAP} by name ({shown}). Type more of the name, or "
                "choose one of them.")
            resolved = replace(resolved, actors=resolved.actors[:ACTOR_CAP],
                               suggestions=resolved.actors[ACTOR_CAP:ACTOR_CAP + 10])
        report.resolved[name] = resolved
        if resolved.more:  # part of too many names: the analyst chooses among the suggestions
            report.notes.append(f"“{value}” is part of more than {len(resolved.suggestions)} actors' names: choose "
                                f"one of them or type more of the name for the {name} filter.")
            return None
        if not resolved.actors:
            report.notes.append(f"No actor matches the {name} “{value}”.")
            return None
    actor_ids = report.resolved["actor"].ids if "actor" in report.resolved else []
    faction_ids = report.resolved["faction"].ids if "faction" in report.resolved else []
    statements = _statement_scope(filters, actor_ids, faction_ids)
    driven = bool(actor_ids or faction_ids)
    if statements and not driven:  # a date range alone: is it narrow enough to start from?
        in_range = select(Statement.id).where(*statements).limit(DENSE + 1).subquery()
        driven = (session.scalar(select(func.count()).select_from(in_range)) or 0) <= DENSE
    return Scope(statements, mutual.accusation_scope(filters, actor_ids, faction_ids), driven)


def page(session: Session, report: Report, scope: Scope, section: str, cursor: str, size: int,
         side_limit: int) -> None:
    """Fill one page of a section into the report, with the cursor of the next one."""
    if section == "contradictions":
        _contradictions(session, report, scope, cursor, size, side_limit)
    elif section == "stance_conflicts":
        _stance_conflicts(session, report, scope, cursor, size, side_limit)
    else:
        after = decode_cursor(cursor, (int, int, int, str)) if cursor else None
        report.mutual_accusations, last = mutual.mutual_accusations(session, scope.accusations, size, after,
                                                                    probe=scope.filtered and not scope.driven)
        report.next["mutual_accusations"] = encode_cursor(last) if last else None


def _statement_scope(f: ReportFilters, actor_ids: Sequence[int],
                     faction_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    """Conditions on Statement that a kept entry's statement must meet (empty: keep every entry)."""
    scope: list[ColumnElement[bool]] = []
    if actor_ids:
        scope.append(Statement.speaker_id.in_(actor_ids))
    if faction_ids:
        scope.append(faction_matches(faction_ids))
    if f.date_from:
        scope.append(Statement.stated >= f.date_from.first)
    if f.date_to:
        scope.append(Statement.stated <= f.date_to.last)
    return scope


def _claims_in_scope(scope: list[ColumnElement[bool]], stances: Sequence[str]) -> Select[Any]:
    return (select(StatementClaim.claim_id).join(Statement, Statement.id == StatementClaim.statement_id)
            .where(StatementClaim.stance.in_(stances), *scope))


def _has_statement(claim: Any, scope: list[ColumnElement[bool]], stances: Sequence[str]) -> ColumnElement[bool]:
    """SQL: the claim has a statement with one of these stances in scope (probed by claim id).

    OFFSET 0 keeps it a probe on PostgreSQL: without it the planner may turn the EXISTS into a hashed
    subplan that first collects every claim with a statement in scope (a year at 1M statements: a
    sequential scan of all claim links, 0.8 to 1.3 s per section) instead of probing the few hundred
    candidates by index (0.1 s). tests/test_report_plans.py checks the SQL."""
    return exists(select(StatementClaim.statement_id).join(Statement, Statement.id == StatementClaim.statement_id)
                  .where(StatementClaim.claim_id == claim, StatementClaim.stance.in_(stances), *scope).offset(0))


def _contradiction_query(report: Report, scope: Scope) -> Select[Any]:
    weight = ReportContradiction.weight
    query: Any = select(Contradiction, weight).join(ReportContradiction,
                                               ReportContradiction.contradiction_id == Contradiction.id)
    if report.filters.status:
        query = query.where(Contradiction.status == report.filters.status)
    if scope.filtered and scope.driven:
        claims = _claims_in_scope(scope.statements, ["asserts"])
        ids = union(select(Contradiction.id).where(Contradiction.claim_a_id.in_(claims)),
                    select(Contradiction.id).where(Contradiction.claim_b_id.in_(claims)))
        query = query.where(Contradiction.id.in_(ids))
    elif scope.filtered:
        query = query.where(or_(_has_statement(Contradiction.claim_a_id, scope.statements, ["asserts"]),
                                _has_statement(Contradiction.claim_b_id, scope.statements, ["asserts"])))
    return query


def _stance_query(scope: Scope) -> Select[Any]:
    query: Any = select(ReportClaim.claim_id, ReportClaim.conflict_weight).where(
        ReportClaim.conflict_weight.is_not(None))
    if scope.filtered and scope.driven:
        query = query.where(ReportClaim.claim_id.in_(_claims_in_scope(scope.statements, ["asserts", "denies"])))
    elif scope.filtered:
        query = query.where(_has_statement(ReportClaim.claim_id, scope.statements, ["asserts", "denies"]))
    return query


def _by_evidence(scope: Scope, weight: Any) -> ColumnElement[Any]:
    """The section's order: its weight, which an index serves, unless an actor, a faction or a narrow
    date range drives the query; then `weight + 0` (the same order), so that no index serves it.

    Walking the weight index under LIMIT looks cheap to PostgreSQL, but the first page's
    COUNT(*) OVER () needs every row in scope, so it probed each entry of the index against the
    scope's claims (a faction at 100k statements: 1.2 s; at 1M, minutes). Starting from the scope's
    claims and sorting the few that match takes milliseconds (tests/test_report_plans.py)."""
    return weight + 0 if scope.filtered and scope.driven else weight


def _page_rows(session: Session, scope: Scope, query: Any, size: int) -> list[Any]:
    """A page of a section and one row more. A driven filter's query has no LIMIT: with one,
    PostgreSQL costs its plans as if the first rows came early (it does not see that COUNT(*) OVER ()
    needs them all) and probes the whole sorted section against the scope row by row (a day at 1M
    statements: minutes). Without one it plans for every row in scope, which the count needs anyway,
    and only the page's rows are taken from the result."""
    if not (scope.filtered and scope.driven):
        return list(session.execute(query.limit(size + 1)).all())
    result = session.execute(query)
    try:
        return list(result.fetchmany(size + 1))
    finally:
        result.close()


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _probe_count(session: Session, candidates: Select[Any], hit: ColumnElement[bool]) -> tuple[int, bool]:
    """Matches among the first PROBE_BUDGET candidates (in index order), and whether there are more
    candidates than that: the EXISTS probes run at most PROBE_BUDGET times."""
    probed = candidates.add_columns(case((hit, 1), else_=0).label("hit")).limit(PROBE_BUDGET).subquery()
    matched = session.scalar(select(func.coalesce(func.sum(probed.c.hit), 0))) or 0
    more = session.scalar(select(func.count()).select_from(candidates.offset(PROBE_BUDGET).limit(1).subquery()))
    return int(matched), bool(more)


def _with_total(report: Report, scope: Scope, section: str, query: Any, cursor: str) -> Any:
    """A filtered first page counts its section in the same query (COUNT(*) OVER (): one pass over
    the scope instead of two); unfiltered sections count from the report tables' indexes instead."""
    if cursor or not scope.filtered or not scope.driven:
        return query
    report.counted.add(section)
    return query.add_columns(func.count().over().label("total"))


def _take_total(report: Report, section: str, found: Sequence[Any]) -> None:
    if section in report.counted:
        report.totals[section] = found[0].total if found else 0
        report.capped[section] = False


def _totals(session: Session, report: Report, scope: Scope) -> None:
    """Every section's size: exact, except for a wide date range alone (probed within PROBE_BUDGET)."""
    if scope.filtered and not scope.driven:
        _probed_totals(session, report, scope)
        return
    queries = {"contradictions": _contradiction_query(report, scope).with_only_columns(Contradiction.id),
               "stance_conflicts": _stance_query(scope).with_only_columns(ReportClaim.claim_id),
               "mutual_accusations": mutual.mutual_query(scope.accusations)}
    for section, query in queries.items():
        if section not in report.counted:
            report.totals[section], report.capped[section] = _count(session, query), False


def _probed_totals(session: Session, report: Report, scope: Scope) -> None:
    contradictions = select(Contradiction.id).join(
        ReportContradiction, ReportContradiction.contradiction_id == Contradiction.id).order_by(
        ReportContradiction.weight.desc(), ReportContradiction.contradiction_id.desc())
    if report.filters.status:
        contradictions = contradictions.where(Contradiction.status == report.filters.status)
    conflicts = select(ReportClaim.claim_id).where(ReportClaim.conflict_weight.is_not(None)).order_by(
        ReportClaim.conflict_weight.desc(), ReportClaim.claim_id.desc())
    asserted = or_(*(_has_statement(claim, scope.statements, ["asserts"])
                     for claim in (Contradiction.claim_a_id, Contradiction.claim_b_id)))
    probes = {
        "contradictions": (contradictions, asserted),
        "stance_conflicts": (conflicts, _has_statement(ReportClaim.claim_id, scope.statements, ["asserts", "denies"])),
        "mutual_accusations": mutual.mutual_probe(scope.accusations)}
    for section, (candidates, hit) in probes.items():
        report.totals[section], report.capped[section] = _probe_count(session, candidates, hit)


def _contradictions(session: Session, report: Report, scope: Scope, cursor: str, size: int,
                    side_limit: int) -> None:
    query = _with_total(report, scope, "contradictions", _contradiction_query(report, scope), cursor)
    key = row(ReportContradiction.weight, ReportContradiction.contradiction_id)
    if cursor:
        query = query.where(key < row(*decode_cursor(cursor, (int, int))))
    found = _page_rows(session, scope, query.order_by(_by_evidence(scope, ReportContradiction.weight).desc(),
                                                      ReportContradiction.contradiction_id.desc()), size)
    _take_total(report, "contradictions", found)
    rows = [r[0] for r in found[:size]]
    report.next["contradictions"] = encode_cursor((found[size - 1][1], rows[-1].id)) if len(found) > size else None
    claim_ids = {c for r in rows for c in (r.claim_a_id, r.claim_b_id)}
    texts = _claim_texts(session, claim_ids)
    asserting = _statements_by_claim(session, claim_ids, ("asserts",), side_limit)
    counted = {r.claim_id: r for r in session.execute(
        select(ReportClaim.claim_id, ReportClaim.asserts, ReportClaim.origins)
        .where(ReportClaim.claim_id.in_(claim_ids)))} if claim_ids else {}
    report.contradictions = [
        {"id": r.id, "kind": r.kind, "status": r.status, "note": r.note,
         "sides": [{"claim": texts[c], "statements": asserting.get((c, "asserts"), []),
                    "statement_count": counted[c].asserts if c in counted else 0,
                    "origins": counted[c].origins if c in counted else 0}
                   for c in (r.claim_a_id, r.claim_b_id)]}
        for r in rows]


def _stance_conflicts(session: Session, report: Report, scope: Scope, cursor: str, size: int,
                      side_limit: int) -> None:
    query = _with_total(report, scope, "stance_conflicts", _stance_query(scope), cursor)
    if cursor:
        query = query.where(row(ReportClaim.conflict_weight, ReportClaim.claim_id)
                            < row(*decode_cursor(cursor, (int, int))))
    found = _page_rows(session, scope, query.order_by(_by_evidence(scope, ReportClaim.conflict_weight).desc(),
                                                      ReportClaim.claim_id.desc()), size)
    _take_total(report, "stance_conflicts", found)
    claim_ids = [r.claim_id for r in found[:size]]
    counts = {r.claim_id: r for r in session.execute(
        select(ReportClaim.claim_id, ReportClaim.asserts, ReportClaim.denies)
        .where(ReportClaim.claim_id.in_(claim_ids)))} if claim_ids else {}
    report.next["stance_conflicts"] = (encode_cursor((found[size - 1].conflict_weight, claim_ids[-1]))
                                       if len(found) > size else None)
    texts = _claim_texts(session, claim_ids)
    statements = _statements_by_claim(session, claim_ids, ("asserts", "denies"), side_limit)
    report.stance_conflicts = [
        {"claim": texts[c], "asserted_by": statements.get((c, "asserts"), []),
         "denied_by": statements.get((c, "denies"), []),
         "asserted_count": counts[c].asserts, "denied_count": counts[c].denies}
        for c in claim_ids]


def _claim_texts(session: Session, ids: Sequence[int] | set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    return {r.id: {"id": r.id, "text": r.text, "status": r.status}
            for r in session.execute(select(Claim.id, Claim.text, Claim.status).where(Claim.id.in_(ids)))}


def _statements_by_claim(session: Session, claim_ids: Sequence[int] | set[int], stances: Sequence[str],
                         side_limit: int = SIDE_LIMIT) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """STMT rows (with their origin) per (claim, stance), at most `side_limit` each, oldest first."""
    if not claim_ids:
        return {}
    rank = func.row_number().over(partition_by=(StatementClaim.claim_id, StatementClaim.stance),
                                  order_by=(Statement.stated, Statement.id)).label("rank")
    ranked = (select(StatementClaim.claim_id, StatementClaim.stance, Statement.id.label("statement_id"), rank)
              .join(Statement, Statement.id == StatementClaim.statement_id)
              .where(StatementClaim.claim_id.in_(claim_ids), StatementClaim.stance.in_(stances))).subquery()
    rows = session.execute(select(ranked.c.claim_id.label("side_claim_id"), ranked.c.stance.label("side_stance"),
                                  *_PICKED_COLUMNS)
                           .join(_PICKED, _PICKED.id == ranked.c.statement_id)
                           .where(ranked.c.rank <= side_limit).order_by(ranked.c.rank)).all()
    statements = list({r.id: r for r in rows}.values())
    stmt = {found["id"]: found for found in stmts(session, statements)}
    origin = origins(session, statements)
    out: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault((r.side_claim_id, r.side_stance), []).append(
            dict(stmt[r.id], stance=r.side_stance, origin=origin[r.id]))
    return out


# The statements of a page's sides, read as the columns their views need (rows, not ORM objects: a first
# page shows up to 400 of them) through one alias made once (an alias per call cost its own adaptation).
_PICKED = aliased(Statement, name="picked")
_PICKED_COLUMNS = tuple(getattr(_PICKED, column.key) for column in VIEW_COLUMNS)


def origins(session: Session, statements: Sequence[Any]) -> dict[int, dict[str, Any]]:
    """Each statement's independent origin: its speaker, or the organization that speaker was
    spokesperson or leader of on the statement's date (an undated one: ever)."""
    speakers = {s.speaker_id for s in statements}
    by_member: dict[int, list[Any]] = {}
    if speakers:
        for link in session.execute(  # spokesperson sorts before leader: a spokesperson speaks for it
                select(Affiliation.member_id, Affiliation.organization_id, Affiliation.role, Affiliation.start_on,
                       Affiliation.end_last, Actor.name)
                .join(Actor, Actor.id == Affiliation.organization_id)
                .where(Affiliation.member_id.in_(speakers), role_in(Affiliation.role, ORIGIN_ROLES))
                .order_by(unindexed(Affiliation.role).desc(), Affiliation.id)):
            by_member.setdefault(link.member_id, []).append(link)
    names = dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(speakers))).all())
    out = {}
    for s in statements:
        origin = {"id": s.speaker_id, "name": names.get(s.speaker_id), "via": None}
        for link in by_member.get(s.speaker_id, ()):
            if s.stated is None or holds(link, s.stated):
                origin = {"id": link.organization_id, "name": link.name, "via": link.role}
                break
        out[s.id] = origin
    return out


__all__ = ["SECTIONS", "Report", "ReportFilters", "contradiction_report", "origins", "report_pages"]
