"""Spreadsheet import: one row per statement, as many desks track claims today.

Columns (header names are case- and spacing-insensitive): speaker, speaker_faction, source_title,
source_url, published, statement, claim, stance, accused, accusation_category. Actors are reused
when a name or alias matches (normalized), sources by URL or else by exact title, claims by their
text ignoring case (SQLite's lower() folds ASCII letters only); everything else is created. The
whole file is checked by the same schemas and rules as the record services and written by the
claimdb/1 import's bulk path in one transaction: a preview rolls it back, an import commits it only
when no row has a problem.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimdb.errors import DomainError, Invalid
from claimdb.models import Actor, ActorAlias, Affiliation, Claim, Source
from claimdb.models.values import Stance
from claimdb.normalize import normalize_name
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.rules import parse_id
from claimdb.services import audit
from claimdb.services.exchange import document_import, reader
from claimdb.services.search.names import resolve
from claimdb.wording import counted

COLUMNS = ("speaker", "speaker_faction", "source_title", "source_url", "published", "statement", "claim", "stance",
           "accused", "accusation_category")
REQUIRED = ("speaker", "source_title", "statement")
MAX_ROWS = 50_000
# Where a record service's field error belongs in the sheet.
FIELD_COLUMNS = {"text": "statement", "speaker_id": "speaker", "source_id": "source_title", "title": "source_title",
                 "url": "source_url", "published": "published", "stance": "stance", "accused_id": "accused",
                 "category": "accusation_category", "name": "speaker", "act": "claim"}


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass
class SheetReport:
    """What an import made (or, for a preview, would make)."""

    committed: bool
    created: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)
    new_names: dict[str, list[str]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def summary(self) -> str:
        made = ", ".join(counted(n, kind) for kind, n in sorted(self.created.items())) or "nothing"
        reused = ", ".join(counted(n, kind) for kind, n in sorted(self.reused.items())) or "nothing"
        verb = "Imported" if self.committed else "Would import"
        return f"{verb}: {made}; reusing {reused}."


class SheetRefused(Invalid):
    """Nothing was imported; every problem is listed by row and column."""

    def __init__(self, report: SheetReport) -> None:
        super().__init__({f"row {p.row}: {p.column}": p.message for p in report.problems[:500]},
                         detail=f"Nothing was imported: {len(report.problems)} problem(s) in the spreadsheet.")
        self.report = report


def header_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_rows(text: str) -> tuple[list[dict[str, str]], list[RowProblem]]:
    """The rows as dicts keyed by column, or the problems with the header and the cells.

    A cell longer than the csv module's field limit (131,072 characters) or a broken quote is a
    problem at its row, never an exception; so is a column named twice."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [header_key(h) for h in next(reader, [])]
    except csv.Error as e:
        return [], [RowProblem(1, "header", _csv_problem(e))]
    problems = [RowProblem(1, h, "Unknown column.") for h in header if h and h not in COLUMNS]
    problems += [RowProblem(1, c, "This column is required.") for c in REQUIRED if c not in header]
    problems += [RowProblem(1, h, f"This column is named {n} times; keep one.")
                 for h, n in Counter(h for h in header if h).items() if n > 1]
    rows: list[dict[str, str]] = []
    while True:
        try:
            line = next(reader, None)
        except csv.Error as e:
            problems.append(RowProblem(reader.line_num, "row", _csv_problem(e)))
            break
        if line is None:
            break
        if not any(cell.strip() for cell in line):
            continue
        rows.append({h: (line[i].strip() if i < len(line) else "") for i, h in enumerate(header) if h in COLUMNS})
        if len(rows) > MAX_ROWS:
            problems.append(RowProblem(len(rows) + 1, "statement", f"At most {MAX_ROWS:,} rows per file."))
            break
    return rows, problems


def _csv_problem(e: csv.Error) -> str:
    if "field larger than field limit" in str(e):
        return f"A cell holds more than {csv.field_size_limit():,} characters; shorten it or split the row."
    return f"Not readable as CSV: {e}."


def import_sheet(session: Session, text: str, *, commit: bool) -> SheetReport:
    """Preview (commit=False) or import a spreadsheet; raises SheetRefused when a row is bad.

    The rows become a claimdb/1 document (referring to the actors, sources and claims reused) and go
    through the claimdb/1 import's bulk path: one transaction, rows written in chunks, so a 50,000-row
    sheet holds the write lock for seconds, not minutes."""
    rows, problems = read_rows(text)
    report = SheetReport(committed=False, problems=problems)
    if not problems:
        sheet = _Sheet(session, report)
        sheet.run(rows)
        sheet.load()  # even after a bad row: every problem in one go
    if report.problems:
        session.rollback()
        raise SheetRefused(report)
    if commit:
        audit.record(session, "import", "import", None, None, {"file": "spreadsheet", "counts": dict(report.created)})
        session.commit()
        report.committed = True
    else:
        session.rollback()
    return report


Ref = str | tuple[str, int]  # a new record's id in the document, or ("stored", id) for one reused


class _Sheet:
    """The rows as a claimdb/1 document: new records with ids of their own, reused ones by stored id."""

    def __init__(self, session: Session, report: SheetReport) -> None:
        self.session = session
        self.report = report
        self.actors: dict[tuple[str, str], Ref] = {}  # (normalized name, column) -> actor
        self.spelled: dict[tuple[str, str], Ref] = {}  # (name as written, column) -> actor
        self.new_actors: dict[str, Ref] = {}  # normalized name -> new actor (found again in any column)
        self.sources: dict[str, Ref] = {}
        self.new_titles: dict[str, Ref] = {}
        self.claims: dict[str, Ref] = {}
        self.new_claims: dict[str, Ref] = {}  # lower-cased text -> new claim
        self.affiliations: set[tuple[Ref, Ref]] = set()
        self.document: dict[str, list[dict[str, Any]]] = {p: [] for p in document_import.SECTIONS}
        self.rows: dict[str, list[int]] = {p: [] for p in document_import.SECTIONS}  # record -> sheet row
        self.stored: dict[str, set[int]] = {"actors": set(), "sources": set(), "claims": set()}
        self.number = 1
        self.exact: dict[str, list[tuple[str, int]]] = {}  # normalized name -> stored actors (name, id)
        self.stored_claims: dict[str, int] = {}  # lower-cased text -> first stored claim

    def run(self, rows: list[dict[str, str]]) -> None:
        self.prefetch(rows)
        for self.number, row in enumerate(rows, start=2):
            try:
                self.row(row)
            except _RowError as e:
                self.report.problems.append(RowProblem(self.number, e.column, e.message))

    def prefetch(self, rows: list[dict[str, str]]) -> None:
        """The stored actors named exactly as the sheet's names (normalized, names and aliases alike, as
        names.resolve matches them) and the stored claims the sheet's claims repeat: a few queries
        for the whole sheet instead of one or two per distinct name (resolve also ran a word search
        for every new name, which the sheet never used)."""
        keys = {normalize_name(name) for name in {row[c] for row in rows for c in ("speaker", "speaker_faction",
                                                                                   "accused") if row.get(c)}}
        keys.discard("")
        batch = sorted(keys)
        found: dict[str, set[int]] = {}
        for n in range(0, len(batch), 500):
            part = batch[n:n + 500]
            for key, actor_id in [*self.session.execute(select(Actor.normalized, Actor.id)
                                                        .where(Actor.normalized.in_(part))),
                                  *self.session.execute(select(ActorAlias.normalized, ActorAlias.actor_id)
                                                        .where(ActorAlias.normalized.in_(part)))]:
                found.setdefault(key, set()).add(actor_id)
        ids = sorted({i for hits in found.values() for i in hits})
        names: dict[int, str] = {}
        for n in range(0, len(ids), 500):
            rows_ = self.session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(ids[n:n + 500])))
            names.update((actor_id, name) for actor_id, name in rows_)
        self.exact = {key: sorted((names[i], i) for i in hits) for key, hits in found.items()}
        texts = sorted({row["claim"].lower() for row in rows if row.get("claim")})
        for n in range(0, len(texts), 500):
            for claim_id, lowered in self.session.execute(
                    select(Claim.id, func.lower(Claim.text)).where(func.lower(Claim.text).in_(texts[n:n + 500]))):
                if lowered not in self.stored_claims or claim_id < self.stored_claims[lowered]:
                    self.stored_claims[lowered] = claim_id

    def load(self) -> None:
        try:
            document_import.load(self.session, reader.InMemory({"format": document_import.FORMAT, **self.document}),
                                 stored=self.stored, refuse_reimport=False)
        except document_import.ImportRefused as e:
            for p in e.problems:
                number = self.rows[p.section][p.index] if p.section in self.rows else 1
                column = FIELD_COLUMNS.get(p.field.split(".")[0], p.field)
                self.report.problems.append(RowProblem(number, column, p.message))
            self.report.problems.sort(key=lambda p: p.row)

    def row(self, row: dict[str, str]) -> None:
        for column in REQUIRED:
            if not row.get(column):
                raise _RowError(column, "Required.")
        published = None
        if row.get("published"):
            try:
                published = PartialDate.parse(row["published"], lenient=True).isoformat()
            except PartialDateError as e:
                raise _RowError("published", str(e)) from None
        stance = row.get("stance") or "asserts"
        if stance not in Stance:
            raise _RowError("stance", f"Use {', '.join(Stance)}.")
        speaker = self.actor(row["speaker"], "person", "speaker")
        if row.get("speaker_faction"):
            self.affiliate(speaker, self.actor(row["speaker_faction"], "faction", "speaker_faction"))
        source = self.source(row["source_title"], row.get("source_url") or None, published)
        claims = []
        claim_id = self.claim(row["claim"]) if row.get("claim") else None
        if claim_id is not None:
            claims.append({"claim_id": claim_id, "stance": stance, "certainty": "unknown"})
        statement = self.create("statements", {"source_id": source, "speaker_id": speaker, "text": row["statement"],
                                               "quote_type": "paraphrase", "stated": published, "claims": claims})
        if row.get("accused"):
            accused = self.actor(row["accused"], "unknown", "accused")
            act = (row.get("claim") or row["statement"])[:500]
            self.create("accusations", {"statement_id": statement, "accuser_id": speaker, "accused_id": accused,
                                        "act": act, "category": row.get("accusation_category") or None,
                                        "claim_id": claim_id})

    def create(self, plural: str, payload: dict[str, Any]) -> str:
        records = self.document[plural]
        ref = f"{plural[0]}{len(records)}"
        records.append({"id": ref, **payload})
        self.rows[plural].append(self.number)
        self.report.created[plural] += 1
        return ref

    def reuse(self, plural: str, stored_id: int) -> Ref:
        self.stored[plural].add(stored_id)
        self.report.reused[plural] += 1
        return ("stored", stored_id)

    def actor(self, name: str, kind: str, column: str) -> Ref:
        known = self.spelled.get((name, column))
        if known is not None:  # the same spelling again: no need to normalize it again
            return known
        key = (normalize_name(name), column)
        if key in self.actors:
            self.spelled[(name, column)] = self.actors[key]
            return self.actors[key]
        actor_id: Ref | None = self.new_actors.get(key[0])
        if actor_id is None:
            if parse_id(name.strip()) is not None:  # "#12": resolve reads it as an id
                found = resolve(self.session, name, suggest=0)
                matches = [(a.name, a.id) for a in found.actors] if found.exact else []
            else:
                matches = self.exact.get(key[0], [])
            if len(matches) > 1:
                listed = "; ".join(f"{a_name} (#{a_id})" for a_name, a_id in matches[:5])
                raise _RowError(column, f"“{name}” matches several actors: {listed}. Use one of their exact names.")
            if matches:
                actor_id = self.reuse("actors", matches[0][1])
            else:
                actor_id = self.new_actors[key[0]] = self.create("actors", {"name": name, "kind": kind})
                self.report.new_names.setdefault("actors", []).append(name)
        else:
            self.report.reused["actors"] += 1
        self.actors[key] = self.spelled[(name, column)] = actor_id
        return actor_id

    def affiliate(self, member: Ref, organization: Ref) -> None:
        if member == organization or (member, organization) in self.affiliations:
            return
        self.affiliations.add((member, organization))
        exists = None
        if isinstance(member, tuple) and isinstance(organization, tuple):
            exists = self.session.scalar(select(Affiliation.id).where(
                Affiliation.member_id == member[1], Affiliation.organization_id == organization[1]).limit(1))
        if exists is None:
            self.create("affiliations", {"member_id": member, "organization_id": organization, "role": "member"})

    def source(self, title: str, url: str | None, published: str | None) -> Ref:
        key = url or title
        if key in self.sources:
            return self.sources[key]
        found: Ref | None = None if url else self.new_titles.get(title)
        if found is not None:
            self.report.reused["sources"] += 1
        else:
            match = Source.url == url if url else Source.title == title
            stored = self.session.scalar(select(Source.id).where(match).order_by(Source.id).limit(1))
            if stored is not None:
                found = self.reuse("sources", stored)
            else:
                found = self.create("sources", {"title": title, "kind": "news_article" if url else "other", "url": url,
                                                "published": published})
                self.new_titles.setdefault(title, found)
                self.report.new_names.setdefault("sources", []).append(title)
        self.sources[key] = found
        return found

    def claim(self, text: str) -> Ref:
        if text in self.claims:
            return self.claims[text]
        found: Ref | None = self.new_claims.get(text.lower())
        if found is not None:
            self.report.reused["claims"] += 1
        else:
            stored = self.stored_claims.get(text.lower())
            if stored is not None:
                found = self.reuse("claims", stored)
            else:
                found = self.new_claims[text.lower()] = self.create("claims", {"text": text})
                self.report.new_names.setdefault("claims", []).append(text)
        self.claims[text] = found
        return found


class _RowError(DomainError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
