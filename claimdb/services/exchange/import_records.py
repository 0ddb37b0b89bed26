"""The claimdb/1 import's second pass: each section read again, in the order its rows may be written
(actors, sources, claims, statements, then what refers to them), every record checked and written in
chunks (bulkload.RowWriter). The numerous sections (claims, statements, accusations) are checked in
parts side by side, in forked children where the machine has cores to spare (forked.in_order), and
written here in file order. Once any problem is found nothing more is written and the caller rolls
the savepoint back; the checks go on, so every problem is reported at once.

Problems come in three stages, as a user fixes them: a record's own fields and references; then the
rules across records (which assume valid records); then "imported before".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claimdb.models import (
    Accusation,
    Actor,
    ActorAlias,
    Affiliation,
    Claim,
    ClaimTag,
    Contradiction,
    Source,
    Statement,
    StatementClaim,
)
from claimdb.models.base import split_partial
from claimdb.normalize import normalize_name
from claimdb.partialdate import parse_date
from claimdb.services.exchange import annotation, bulkload, fastcheck, forked
from claimdb.services.exchange.background import Background
from claimdb.services.exchange.document_import import (
    MODELS,
    PARTED,
    SECTIONS,
    ImportRefused,
    Index,
    Problem,
    Progress,
)
from claimdb.services.records import rules
from claimdb.services.records.actors import unique_aliases
from claimdb.services.records.registry import RESOURCES
from claimdb.services.records.schemas import field_name, message
from claimdb.services.records.sources import span_anchor
from claimdb.services.reports import tables as report_tables
from claimdb.services.search import name_index

# Reference fields of each section and the section they point into.
REFS: dict[str, dict[str, str]] = {
    "affiliations": {"member_id": "actors", "organization_id": "actors", "statement_id": "statements"},
    "sources": {"publisher_id": "actors"},
    "statements": {"source_id": "sources", "speaker_id": "actors", "reported_by_id": "statements"},
    "accusations": {"statement_id": "statements", "accuser_id": "actors", "accused_id": "actors",
                    "claim_id": "claims"},
    "contradictions": {"claim_a_id": "claims", "claim_b_id": "claims"},
}
# Read-only members of the API shape that a file may carry; the import ignores them (a statement's
# `target` is read by _locate_target instead).
IGNORED = ("id", "version", "chain", "target")
COLUMNS: dict[Any, tuple[str, ...]] = {
    Actor: ("id", "name", "normalized", "kind", "description", "reliability", "version"),
    ActorAlias: ("actor_id", "name", "language", "normalized"),
    Source: ("id", "title", "kind", "publisher_id", "author", "url", "published", "published_precision", "language",
             "original_language", "body", "reliability", "note", "version"),
    Claim: ("id", "text", "occurred", "occurred_precision", "location", "status", "version"),
    ClaimTag: ("claim_id", "tag"),
    Statement: ("id", "source_id", "speaker_id", "reported_by_id", "text", "quote_type", "cue", "hedge", "stated",
                "stated_precision", "credibility", "span_start", "span_end", "span_prefix", "span_quote",
                "span_suffix", "version"),
    StatementClaim: ("statement_id", "claim_id", "stance", "certainty"),
    Affiliation: ("id", "member_id", "organization_id", "role", "start_on", "start_on_precision", "end_on",
                  "end_on_precision", "end_last", "statement_id", "note", "version"),
    Accusation: ("id", "statement_id", "accuser_id", "accused_id", "act", "category", "claim_id", "version"),
    Contradiction: ("id", "claim_a_id", "claim_b_id", "kind", "status", "note", "version"),
}
# Each written table, the section its rows come from and the column that is the section's new id.
WRITTEN: dict[Any, tuple[str, Any]] = {
    Actor: ("actors", Actor.id), ActorAlias: ("actors", ActorAlias.actor_id), Source: ("sources", Source.id),
    Claim: ("claims", Claim.id), ClaimTag: ("claims", ClaimTag.claim_id), Statement: ("statements", Statement.id),
    StatementClaim: ("statements", StatementClaim.statement_id),
    Affiliation: ("affiliations", Affiliation.id), Accusation: ("accusations", Accusation.id),
    Contradiction: ("contradictions", Contradiction.id),
}
# The tables each PARTED section's rows go to (written, and flushed, in this order).
SECTION_TABLES: dict[str, tuple[Any, ...]] = {
    "claims": (Claim, ClaimTag), "statements": (Statement, StatementClaim), "accusations": (Accusation,)}
TICK = 5_000


@dataclass
class Part:
    """Records start .. start + count - 1 of a PARTED section (`mark`: where the reader finds the
    first), once checked: their rows by table, or their problems (then no rows)."""

    section: str
    start: int
    mark: Any
    count: int
    rows: dict[Any, list[tuple[Any, ...]]] = field(default_factory=dict)
    late: list[tuple[int, int]] = field(default_factory=list)  # (statement, reporter) set after all are written
    invalid: list[Problem] = field(default_factory=list)
    crossed: list[Problem] = field(default_factory=list)

    def records(self, document: Any) -> Iterator[tuple[int, Any]]:
        return enumerate(islice(document.records(self.section, self.start, self.mark), self.count), self.start)


class _Stop(Exception):
    """Problems were found: leave the bulk-load blocks without rebuilding anything."""


class Loader:
    def __init__(self, session: Session, index: Index, progress: Progress | None) -> None:
        self.session = session
        self.index = index
        self.tick = progress or (lambda _n: None)
        self.invalid: dict[str, list[Problem]] = {s: [] for s in SECTIONS}
        self.crossed: dict[str, list[Problem]] = {s: [] for s in SECTIONS}
        self.again: list[Problem] = []
        self.writers: dict[Any, bulkload.RowWriter] = {}
        self.background = Background()  # drained at the end of each section, before the session is used
        for model, columns in COLUMNS.items():
            parent = {ActorAlias: Actor, ClaimTag: Claim, StatementClaim: Statement}.get(model)
            self.writers[model] = bulkload.RowWriter(session, model, columns, background=self.background,
                                                     parent=self.writers[parent] if parent else None)
        self.iso = session.get_bind().dialect.name == "sqlite"
        self.actors: dict[int, tuple[str, str, str | None]] = {}  # db id -> name, kind, reliability
        self.bodies: dict[int, str] = {}  # source db id -> body
        self.sources_seen: list[tuple[int, int, str, str | None]] = []  # db id, index, title, url
        self.late: list[tuple[int, int]] = []  # (statement, reporter) set after every statement is written
        self.writing = True  # rows are written only until a problem is found (they would be rolled back)
        stored_actors = sorted(index.stored.get("actors", {}).values())
        for n in range(0, len(stored_actors), 500):
            for row in session.execute(select(Actor.id, Actor.name, Actor.kind, Actor.reliability)
                                       .where(Actor.id.in_(stored_actors[n:n + 500]))):
                self.actors[row.id] = (row.name, row.kind, row.reliability)


    def run(self) -> dict[str, int]:
        bulk = self._bulk_sections()
        if self.iso:
            # Every reference was checked above; SQLite still checks each at COMMIT, but an immediate
            # check per row made inserts four times slower. Reset by SQLite at the transaction's end.
            self.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        else:
            # Each of the import's big statements runs once: compiling it to machine code (PostgreSQL's
            # JIT, chosen for their high cost) took longer than it saved (0.6 s of the claims' rebuild).
            self.session.execute(text("SET LOCAL jit = off"))
        try:
            with bulkload.checks_deferred(self.session), \
                    name_index.filled_after(self.session, self.index.start["actors"]), \
                    bulkload.fulltext_suspended(self.session) if "statements" in bulk else nullcontext(), \
                    bulkload.indexes_rebuilt(self.session, self._rebuilt(bulk)):
                try:
                    self._actors()
                    self._sources()
                    self._refuse_reimport()
                    self._in_parts()
                    self._affiliations()
                    self._contradictions()
                finally:  # before anything else uses the connection, on every path
                    self.background.close()
                problems = self.problems()
                if problems:
                    raise _Stop
                self._set_late_reporters()
                self._recheck()
        except _Stop:
            raise ImportRefused(self.problems()) from None
        ids = self.index.ids
        bulkload.reset_sequences(self.session, MODELS.values())
        # Statistics before the report tables are computed from the rows: without them PostgreSQL
        # planned the claims' rebuild 12 times slower (18 s at 200k).
        bulkload.analyze(self.session, [*MODELS.values(), ActorAlias, ClaimTag, StatementClaim])
        # Tables derived from the rows (the contradiction report's), in the same transaction.
        report_tables.refresh_for(self.session, everything="statements" in bulk, statements=ids["statements"].values(),
                                  accusations=ids["accusations"].values(), affiliations=ids["affiliations"].values(),
                                  contradictions=ids["contradictions"].values())
        return {s: self.index.count(s) for s in SECTIONS}

    def _bulk_sections(self) -> set[str]:
        """The sections that bring a good share of their table's rows: their tables' indexes (and the
        statements' full-text index) are built once after the rows instead of kept row by row, which
        reads the whole table: a small file into a big archive keeps the per-row upkeep instead."""
        bulk = set()
        for section in ("actors", "sources", "claims", "statements", "affiliations", "accusations", "contradictions"):
            stored = self.session.scalar(select(func.count()).select_from(MODELS[section])) or 0
            if self.index.count(section) >= max(1000, stored // 4):
                bulk.add(section)
        return bulk

    @staticmethod
    def _rebuilt(bulk: set[str]) -> list[Any]:
        # Sources keep their indexes: _refuse_reimport looks stored ones up by title and URL mid-load
        # (and they are few: a hundredth of the statements).
        return [model for model, (section, _key) in WRITTEN.items() if section in bulk and section != "sources"]

    def problems(self) -> list[Problem]:
        invalid = [p for s in SECTIONS for p in self.invalid[s]]
        if invalid:
            return invalid
        return [p for s in SECTIONS for p in self.crossed[s]] or self.again

    # -- one record

    def _records(self, section: str) -> Iterator[tuple[int, int, Any, dict[str, Any]]]:
        """(index, database id, validated record or None, payload) for each record of the section."""
        check = self._checker(section, self.invalid[section])
        for index, record in enumerate(self.index.document.records(section)):
            if index % TICK == TICK - 1:
                self.tick(TICK)
            yield index, *check(index, record)
        self.tick(self.index.count(section) % TICK)

    def _checker(self, section: str, invalid: list[Problem]) -> Callable[[int, Any], tuple[int, Any, dict[str, Any]]]:
        """The slow way to check one record: its references resolved one by one (file ids, stored
        records, odd values), then the section's schema. Gives (database id, validated record, payload),
        or (0, None, payload) after noting its problems in `invalid`."""
        validate = RESOURCES[section].schema.model_validate
        refs = [(name, self.index.ids[target], target) for name, target in REFS.get(section, {}).items()]
        ids, claims = self.index.ids[section], self.index.ids["claims"]
        lookup = self.index.lookup

        def check(index: int, record: Any) -> tuple[int, Any, dict[str, Any]]:
            payload = dict(record)
            for key in IGNORED:
                payload.pop(key, None)
            broken = False
            for name, table, target in refs:
                value = payload.get(name)
                if value is not None:
                    try:  # the common case inline; lookup() for the rest (stored records, odd values)
                        found = table.get(value) if type(value) is not bool else None
                    except TypeError:
                        found = None
                    if found is None:
                        found = lookup(target, value)
                    if found is None:
                        invalid.append(Problem(section, index, name, f"Refers to a missing {target[:-1]} {value!r}."))
                        broken = True
                    payload[name] = found
            links = payload.get("claims") if section == "statements" else None
            if isinstance(links, list):
                payload["claims"] = links = [dict(link) if isinstance(link, dict) else link for link in links]
                for n, link in enumerate(links):
                    if isinstance(link, dict) and "claim_id" in link and link["claim_id"] is not None:
                        value = link["claim_id"]
                        try:
                            found = claims.get(value) if type(value) is not bool else None
                        except TypeError:
                            found = None
                        link["claim_id"] = found = found if found is not None else lookup("claims", value)
                        if found is None:
                            invalid.append(Problem(section, index, f"claims.{n}.claim_id",
                                                   f"Refers to a missing claim {value!r}."))
                            broken = True
            if broken:
                self.writing = False
                return 0, None, payload
            if "target" in record and section == "statements":
                self._locate_target(index, record["target"], record.get("source_id"), payload, invalid)
            try:
                data = validate(payload)
            except ValidationError as e:
                for error in e.errors(include_url=False):
                    invalid.append(Problem(section, index, field_name(tuple(error["loc"])), message(error)))
                self.writing = False
                return 0, None, payload
            return ids[record["id"]], data, payload

        return check

    def _locate_target(self, index: int, target: Any, source_ref: Any, payload: dict[str, Any],
                       invalid: list[Problem]) -> None:
        """A statement's Web Annotation target as its span (annotation.span_of), or a problem at `target`."""
        try:
            span = annotation.span_of(target, source_ref, payload.get("span"),
                                      self.bodies.get(payload.get("source_id") or 0))
        except annotation.TargetRefused as e:
            invalid.append(Problem("statements", index, "target", str(e)))
            self.writing = False
            return
        if span is not None:
            payload["span"] = span

    def _cross(self, section: str, index: int, errors: dict[str, str]) -> None:
        for name, text_ in errors.items():
            self.crossed[section].append(Problem(section, index, name, text_))
            self.writing = False

    def _date(self, value: str | None) -> tuple[Any, str | None]:
        first, precision = split_partial(parse_date(value))
        return (first.isoformat() if self.iso and first is not None else first), precision

    def _write(self, model: Any, row: tuple[Any, ...]) -> None:
        if self.writing:
            self.writers[model].add(row)

    def _flush(self, *models: Any) -> None:
        for model in models:
            if self.writing:
                self.writers[model].flush()
        self.background.drain()

    # -- the sections, in the order their rows are written

    def _recheck(self) -> None:
        """The CHECK constraints over the rows written (bulkload.checks_deferred): every record passed
        the same rules already, so a broken one is claimdb's own mistake, refused all the same."""
        if not self.iso:  # PostgreSQL checked every copied row
            return
        for model, (section, key) in WRITTEN.items():
            broken = bulkload.broken_check(self.session, model, key >= self.index.start[section])
            if broken is not None:
                db_id, rule = broken
                position = next((n for n, found in enumerate(self.index.ids[section].values()) if found == db_id), 0)
                self.invalid[section].append(Problem(section, position, "body",
                                                     f"Breaks the database's rule {rule}; nothing was imported."))
        if self.problems():
            raise _Stop

    def _actors(self) -> None:
        for _index, db_id, a, _payload in self._records("actors"):
            if a is None:
                continue
            key = normalize_name(a.name)
            self.actors[db_id] = (a.name, a.kind, a.reliability)
            self._write(Actor, (db_id, a.name, key, a.kind, a.description, a.reliability, 1))
            for alias_key, alias in unique_aliases(key, a.aliases):
                self._write(ActorAlias, (db_id, alias.name, alias.language, alias_key))
        self._flush(Actor, ActorAlias)

    def _sources(self) -> None:
        for index, db_id, s, payload in self._records("sources"):
            if s is None:
                continue
            self.bodies[db_id] = s.body
            self.sources_seen.append((db_id, index, s.title, s.url))
            reliability = s.reliability
            publisher = self.actors.get(s.publisher_id) if s.publisher_id is not None else None
            if publisher is not None:
                self._cross("sources", index, rules.publisher_problems(publisher[0], publisher[1]))
                if "reliability" not in payload:
                    reliability = publisher[2]  # the publisher's usual grade
            self._write(Source, (db_id, s.title, s.kind, s.publisher_id, s.author, s.url, *self._date(s.published),
                                 s.language, s.original_language, s.body, reliability, s.note, 1))
        self._flush(Source)

    def _in_parts(self) -> None:
        """Claims, statements and accusations, the numerous records: parts of PART records are checked
        side by side (forked.in_order) and their rows written here in file order, each section's
        after the one before (their rows refer to it)."""
        parts = [Part(section, *part) for section in PARTED for part in self.index.parts(section)]
        self.background.close()  # no thread of ours while the checkers are forked
        section = ""
        alone = len(parts) <= len(PARTED)  # a part per section at most: too little to start processes for
        for part in forked.in_order(self._check_part, parts, processes=1 if alone else None):
            if part.section != section:
                self._flush(*SECTION_TABLES.get(section, ()))
                section = part.section
            self.invalid[section].extend(part.invalid)
            self.crossed[section].extend(part.crossed)
            if part.invalid or part.crossed:
                self.writing = False
            if self.writing:
                for model, rows in part.rows.items():
                    self.writers[model].extend(rows)
                self.late.extend(part.late)
            part.rows, part.late = {}, []  # checked here (one core), `parts` holds it: memory stays bounded
            self.tick(part.count)
        self.bodies.clear()
        self._flush(*SECTION_TABLES.get(section, ()))

    def _check_part(self, part: Part) -> Part:
        """A part checked (in a forked child, or here): its rows, or its problems and no rows."""
        {"claims": self._check_claims, "statements": self._check_statements,
         "accusations": self._check_accusations}[part.section](part)
        if part.invalid or part.crossed:
            part.rows, part.late = {}, []
        return part

    def _check_claims(self, part: Part) -> None:
        check = self._checker("claims", part.invalid)
        claims, tags = part.rows.setdefault(Claim, []), part.rows.setdefault(ClaimTag, [])
        for index, record in part.records(self.index.document):
            db_id, c, _payload = check(index, record)
            if c is None:
                continue
            claims.append((db_id, c.text, *self._date(c.occurred), c.location, c.status, 1))
            tags.extend((db_id, tag) for tag in dict.fromkeys(x.strip() for x in c.tags))

    def _check_accusations(self, part: Part) -> None:
        speaker_of = self.index.speaker_of
        check = self._checker("accusations", part.invalid)
        rows = part.rows.setdefault(Accusation, [])
        for index, record in part.records(self.index.document):
            db_id, a, _payload = check(index, record)
            if a is None:
                continue
            accuser = a.accuser_id if a.accuser_id is not None else speaker_of.get(a.statement_id)
            for name, text_ in rules.accusation_problems(accuser, a.accused_id).items():
                part.crossed.append(Problem("accusations", index, name, text_))
            rows.append((db_id, a.statement_id, accuser, a.accused_id, a.act,
                         a.category.strip() if a.category else None, a.claim_id, 1))

    def _check_statements(self, part: Part) -> None:
        """The common statement takes the fast lane (fastcheck.StatementRows); any other the slow way,
        which words its problems."""
        index_ = self.index
        lane = fastcheck.StatementRows(index_, self.bodies, self._date)
        check = self._checker("statements", part.invalid)
        parent_of, source_of, late_parent = index_.parent_of, index_.source_of, index_.late_parent
        limit = index_.count("statements") + 1
        add_statement = part.rows.setdefault(Statement, []).append
        add_link = part.rows.setdefault(StatementClaim, []).extend
        add_late = part.late.append
        for index, record in part.records(index_.document):
            rows = lane.rows(record)
            if rows is not None:
                add_statement(rows[0])
                add_link(rows[1])
                if rows[2] is not None:
                    add_late(rows[2])
                continue
            db_id, st, _payload = check(index, record)
            if st is None:
                continue
            errors: dict[str, str] = {}
            body = self.bodies.get(st.source_id)
            span = span_anchor(body, st, errors) if body is not None else None
            errors.update(rules.claim_link_problems([link.claim_id for link in st.claims]))
            if st.reported_by_id is not None:
                errors.update(rules.reporter_problems(db_id, st.source_id, st.reported_by_id,
                                                      source_of.get(st.reported_by_id, 0), parent_of.get, limit))
            for name, text_ in errors.items():
                part.crossed.append(Problem("statements", index, name, text_))
            if part.invalid or part.crossed:
                continue
            reporter = st.reported_by_id
            if reporter is not None and db_id in late_parent:
                add_late((db_id, reporter))
                reporter = None
            add_statement((
                db_id, st.source_id, st.speaker_id, reporter, st.text, st.quote_type, st.cue, st.hedge,
                *self._date(st.stated), st.credibility, span.start if span else None, span.end if span else None,
                span.prefix if span else None, span.quote if span else None, span.suffix if span else None, 1))
            add_link([(db_id, link.claim_id, link.stance, link.certainty) for link in st.claims])

    def _set_late_reporters(self) -> None:
        """Statements listed before the statement they are reported through were written without it."""
        if self.late:
            self.session.connection().exec_driver_sql(
                "UPDATE statement SET reported_by_id = %s WHERE id = %s"
                if not self.iso else "UPDATE statement SET reported_by_id = ? WHERE id = ?",
                [(reporter, db_id) for db_id, reporter in self.late])

    def _affiliations(self) -> None:
        for index, db_id, f, _payload in self._records("affiliations"):
            if f is None:
                continue
            org = self.actors.get(f.organization_id)
            self._cross("affiliations", index, rules.affiliation_problems(f, org[0] if org else None,
                                                                          org[1] if org else None))
            end = parse_date(f.end)
            end_last = end.last if end else None
            self._write(Affiliation, (db_id, f.member_id, f.organization_id, f.role, *self._date(f.start),
                                      *self._date(f.end),
                                      end_last.isoformat() if self.iso and end_last is not None else end_last,
                                      f.statement_id, f.note, 1))
        self._flush(Affiliation)

    def _contradictions(self) -> None:
        pairs: dict[frozenset[int], int] = {}
        for index, db_id, c, _payload in self._records("contradictions"):
            if c is None:
                continue
            earlier = pairs.setdefault(frozenset((c.claim_a_id, c.claim_b_id)), index)
            self._cross("contradictions", index, rules.contradiction_problems(
                c.claim_a_id, c.claim_b_id, f"contradictions[{earlier}]" if earlier != index else None))
            self._write(Contradiction, (db_id, c.claim_a_id, c.claim_b_id, c.kind, c.status, c.note, 1))
        self._flush(Contradiction)

    def _refuse_reimport(self) -> None:
        """Importing a file twice would duplicate every record: a source already stored with the same
        URL, or the same title and body, is refused (claimdb/1 ids are file-local, so nothing else
        says two records are one). Import into an empty database, or remove those sources first."""
        seen_sources, self.sources_seen = self.sources_seen, []
        first_new = self.index.start["sources"]
        if not seen_sources or first_new == 1 or not self.index.refuse_reimport:
            return
        by_title: dict[str, list[tuple[int, int]]] = {}
        by_url: dict[str, int] = {}
        for db_id, index, title, url in seen_sources:
            by_title.setdefault(title, []).append((db_id, index))
            if url:
                by_url.setdefault(url, index)
        seen: dict[int, int] = {}  # index in the file -> stored source id
        titles, urls = list(by_title), list(by_url)
        stored = Source.id < first_new
        for n in range(0, len(titles), 500):
            for row in self.session.execute(select(Source.id, Source.title, Source.body)
                                            .where(Source.title.in_(titles[n:n + 500]), stored)):
                for db_id, index in by_title.get(row.title, ()):
                    if self.bodies.get(db_id) == row.body:
                        seen.setdefault(index, row.id)
        for n in range(0, len(urls), 500):
            for hit in self.session.execute(select(Source.id, Source.url)
                                            .where(Source.url.in_(urls[n:n + 500]), stored)):
                seen.setdefault(by_url[hit.url or ""], hit.id)
        for index, stored_id in sorted(seen.items()):
            self.writing = False
            self.again.append(Problem(
                "sources", index, "title",
                f"Already stored as source {stored_id} (same URL, or same title and body): this file, or part "
                "of it, was imported before. Importing it again would duplicate its records."))
