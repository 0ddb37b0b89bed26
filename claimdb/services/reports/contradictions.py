"""The contradiction report: explicit contradictions, stance conflicts and mutual accusations.

Filters select entries (an entry is kept when one of its statements matches); a kept entry is
shown whole, so the analyst sees both sides. Each section is a bounded number of queries: find
the entries (driven by the filter's index when there is one), then load their statements in batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.orm import Session, aliased

from claimdb.errors import Invalid
from claimdb.models import Actor, Affiliation, Claim, Contradiction, Statement, StatementClaim
from claimdb.models.values import ORIGIN_ROLES, ContradictionStatus
from claimdb.partialdate import PartialDate
from claimdb.services.arguments import MAX_FIELD, date_argument, text_argument
from claimdb.services.records.rules import date_range_problem
from claimdb.services.reports import accusations as mutual
from claimdb.services.search.factions import faction_matches, holds
from claimdb.services.search.names import Resolved, resolve_field
from claimdb.services.statement_views import statement_views

SECTION_LIMIT = 100  # entries per section; the summary says how many there are in all
SIDE_LIMIT = 200  # statements loaded per claim
COUNT_CAP = 10_000


@dataclass(frozen=True)
class ReportFilters:
    actor: str = ""
    faction: str = ""
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportFilters:
        """Parse query-string arguments; Invalid lists every bad one by field name."""
        errors: dict[str, str] = {}
        values = {name: text_argument(args, name, errors) for name in ("actor", "faction", "from", "to", "status")}
        date_from, date_to = date_argument(values["from"], "from", errors), date_argument(values["to"], "to", errors)
        if problem := date_range_problem(date_from, date_to):
            errors["to"] = problem
        if values["status"] and values["status"] not in ContradictionStatus:
            errors["status"] = f"Choose one of: {', '.join(ContradictionStatus)}."
        if errors:
            raise Invalid(errors)
        return cls(values["actor"].strip()[:MAX_FIELD], values["faction"].strip()[:MAX_FIELD], date_from, date_to,
                   values["status"])

    def to_args(self) -> dict[str, str]:
        args = {"actor": self.actor, "faction": self.faction,
                "from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else "", "status": self.status}
        return {k: v for k, v in args.items() if v}


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
        return {"totals": self.totals, "most_contested": self.most_contested(), "top_accusers": self.top_accusers()}

    def json(self) -> dict[str, Any]:
        return {"filters": self.filters.to_args(), "resolved": {k: r.json() for k, r in self.resolved.items()},
                "summary": self.summary(), "notes": self.notes, "contradictions": self.contradictions,
                "stance_conflicts": self.stance_conflicts, "mutual_accusations": self.mutual_accusations}


def contradiction_report(session: Session, filters: ReportFilters) -> Report:
    """The three sections, each limited to SECTION_LIMIT entries, with totals and the accusation network."""
    report = Report(filters)
    for name, value in (("actor", filters.actor), ("faction", filters.faction)):
        if value:
            report.resolved[name] = resolved = resolve_field(session, name, value)
            if not resolved.actors:
                report.notes.append(f"No actor matches the {name} “{value}”.")
                return report
    actor_ids = report.resolved["actor"].ids if "actor" in report.resolved else []
    faction_ids = report.resolved["faction"].ids if "faction" in report.resolved else []
    scope = _statement_scope(filters, actor_ids, faction_ids)
    _contradictions(session, report, scope)
    _stance_conflicts(session, report, scope)
    scope_accusation = mutual.accusation_scope(filters, actor_ids, faction_ids)
    report.mutual_accusations, report.totals["mutual_accusations"] = mutual.mutual_accusations(
        session, scope_accusation, SECTION_LIMIT)
    report.edges = mutual.accusation_edges(session, scope_accusation)
    for section, total in report.totals.items():
        if total > SECTION_LIMIT:
            report.notes.append(f"{section.replace('_', ' ').capitalize()}: showing {SECTION_LIMIT} of "
                                f"{'more than ' + format(COUNT_CAP, ',') if total > COUNT_CAP else total}; "
                                "filter by actor, faction or dates to see the rest.")
    return report


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


def _total(session: Session, query: Select[Any], shown: int) -> int:
    """How many entries there are: the shown ones when the page is not full, else a capped count."""
    if shown < SECTION_LIMIT:
        return shown
    return session.scalar(select(func.count()).select_from(query.order_by(None).limit(COUNT_CAP + 1).subquery())) or 0


def _contradictions(session: Session, report: Report, scope: list[ColumnElement[bool]]) -> None:
    query = select(Contradiction)
    if report.filters.status:
        query = query.where(Contradiction.status == report.filters.status)
    if scope:
        claims = _claims_in_scope(scope, ["asserts"])
        ids = union(select(Contradiction.id).where(Contradiction.claim_a_id.in_(claims)),
                    select(Contradiction.id).where(Contradiction.claim_b_id.in_(claims)))
        query = query.where(Contradiction.id.in_(ids))
    rows = session.scalars(query.order_by(Contradiction.id.desc()).limit(SECTION_LIMIT)).all()
    report.totals["contradictions"] = _total(session, query, len(rows))
    claim_ids = {c for row in rows for c in (row.claim_a_id, row.claim_b_id)}
    texts = _claim_texts(session, claim_ids)
    asserting = _statements_by_claim(session, claim_ids, ("asserts",))
    report.contradictions = [
        {"id": row.id, "kind": row.kind, "status": row.status, "note": row.note,
         "sides": [_side(texts[c], asserting.get((c, "asserts"), [])) for c in (row.claim_a_id, row.claim_b_id)]}
        for row in rows]


def _side(claim: dict[str, Any], statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"claim": claim, "statements": statements, "origins": len({s["origin"]["id"] for s in statements})}


def _stance_conflicts(session: Session, report: Report, scope: list[ColumnElement[bool]]) -> None:
    both = (select(StatementClaim.claim_id)
            .where(StatementClaim.stance.in_(("asserts", "denies")))
            .group_by(StatementClaim.claim_id)
            .having(func.count(func.distinct(StatementClaim.stance)) == 2))
    if scope:
        both = both.where(StatementClaim.claim_id.in_(_claims_in_scope(scope, ["asserts", "denies"])))
    weight = func.count().label("weight")
    claim_ids = list(session.scalars(both.add_columns(weight).order_by(weight.desc(), StatementClaim.claim_id.desc())
                                     .limit(SECTION_LIMIT)))
    report.totals["stance_conflicts"] = _total(session, both, len(claim_ids))
    texts = _claim_texts(session, claim_ids)
    found = _statements_by_claim(session, claim_ids, ("asserts", "denies"))
    report.stance_conflicts = [
        {"claim": texts[c], "asserted_by": found.get((c, "asserts"), []), "denied_by": found.get((c, "denies"), [])}
        for c in claim_ids]


def _claim_texts(session: Session, ids: Sequence[int] | set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    return {r.id: {"id": r.id, "text": r.text, "status": r.status}
            for r in session.execute(select(Claim.id, Claim.text, Claim.status).where(Claim.id.in_(ids)))}


def _statements_by_claim(session: Session, claim_ids: Sequence[int] | set[int],
                         stances: Sequence[str]) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """STMT rows (with their origin) per (claim, stance), at most SIDE_LIMIT each, oldest first."""
    if not claim_ids:
        return {}
    rank = func.row_number().over(partition_by=(StatementClaim.claim_id, StatementClaim.stance),
                                  order_by=(Statement.stated, Statement.id)).label("rank")
    ranked = (select(StatementClaim.claim_id, StatementClaim.stance, Statement.id.label("statement_id"), rank)
              .join(Statement, Statement.id == StatementClaim.statement_id)
              .where(StatementClaim.claim_id.in_(claim_ids), StatementClaim.stance.in_(stances))).subquery()
    picked = aliased(Statement)
    rows = session.execute(select(ranked.c.claim_id, ranked.c.stance, picked)
                           .join(picked, picked.id == ranked.c.statement_id)
                           .where(ranked.c.rank <= SIDE_LIMIT).order_by(ranked.c.rank)).all()
    statements = list({r[2].id: r[2] for r in rows}.values())
    stmt = {view.id: view.stmt() for view in statement_views(session, statements)}
    origin = origins(session, statements)
    out: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for claim_id, stance, st in rows:
        out.setdefault((claim_id, stance), []).append(dict(stmt[st.id], stance=stance, origin=origin[st.id]))
    return out


def origins(session: Session, statements: Sequence[Statement]) -> dict[int, dict[str, Any]]:
    """Each statement's independent origin: its speaker, or the organization that speaker was
    spokesperson or leader of on the statement's date (an undated one: ever)."""
    speakers = {s.speaker_id for s in statements}
    by_member: dict[int, list[Any]] = {}
    if speakers:
        for link in session.execute(  # spokesperson sorts before leader: a spokesperson speaks for it
                select(Affiliation.member_id, Affiliation.organization_id, Affiliation.role, Affiliation.start_on,
                       Affiliation.end_last, Actor.name)
                .join(Actor, Actor.id == Affiliation.organization_id)
                .where(Affiliation.member_id.in_(speakers), Affiliation.role.in_(ORIGIN_ROLES))
                .order_by(Affiliation.role.desc(), Affiliation.id)):
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


__all__ = ["Report", "ReportFilters", "contradiction_report", "origins"]
