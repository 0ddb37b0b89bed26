"""claimdb/1 import: one JSON document holding every record in the API's shape (exports.py writes it).

Import is all or nothing and reports every bad record by section, index and field. It checks the
same rules as the record services (shared rule functions), then writes with bulk inserts in one
transaction, because one ORM flush per row is far too slow for real archives.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
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
from claimdb.services import audit
from claimdb.services.exchange import annotation, bulkload
from claimdb.services.records import rules
from claimdb.services.records.actors import unique_aliases
from claimdb.services.records.registry import RESOURCES
from claimdb.services.records.schemas import field_name, message
from claimdb.services.records.sources import span_anchor
from claimdb.services.reports import tables as report_tables
from claimdb.wording import counted

FORMAT = "claimdb/1"
SECTIONS = ("actors", "affiliations", "sources", "statements", "claims", "accusations", "contradictions")
MODELS: dict[str, Any] = {
    "actors": Actor, "affiliations": Affiliation, "sources": Source, "statements": Statement, "claims": Claim,
    "accusations": Accusation, "contradictions": Contradiction,
}
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
# `target` is read by _Plan._locate_target instead).
IGNORED = ("id", "version", "chain", "target")


@dataclass(frozen=True)
class Problem:
    section: str
    index: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.section}[{self.index}].{self.field}: {self.message}"


class ImportRefused(Invalid):
    """The file was not imported; `problems` lists every bad record."""

    def __init__(self, problems: list[Problem]) -> None:
        shown = problems[:500]
        super().__init__({f"{p.section}[{p.index}].{p.field}": p.message for p in shown},
                         detail=f"Nothing was imported: {len(problems)} problem(s) in the file.")
        self.problems = problems


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return "Imported " + ", ".join(counted(n, section) for section, n in self.counts.items()) + "."


Progress = Callable[[int], None]


# ---------------------------------------------------------------- import


def import_file(session: Session, path: str, *, progress: Progress | None = None) -> ImportReport:
    with _no_cyclic_gc():
        try:
            with open(path, encoding="utf-8") as f:
                document = json.load(f)
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
            raise ImportRefused([Problem("file", 0, "body", f"Not a readable JSON file: {e}")]) from None
        return import_document(session, document, progress=progress, label=path)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Millions of short-lived objects, none in cycles: the cyclic collector would rescan them all
    again and again (import time grew faster than the file); reference counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_document(session: Session, document: Any, *, progress: Progress | None = None,
                    label: str = "import") -> ImportReport:
    """Check the whole document, then insert it in one transaction (all records or none)."""
    with _no_cyclic_gc():
        plan = _Plan(session, document)
        plan.check()
        if plan.problems:
            raise ImportRefused(plan.problems)
        counts = plan.write(progress)
    audit.record(session, "import", "import", None, None, {"file": label, "counts": counts})
    session.commit()
    return ImportReport(counts)


class _Plan:
    """One import: ids allocated, records translated and checked, rows ready for bulk insert."""

    def __init__(self, session: Session, document: Any) -> None:
        self.session = session
        self.document = document
        self.problems: list[Problem] = []
        self.raw: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS}
        self.ids: dict[str, dict[Any, int]] = {s: {} for s in SECTIONS}
        self.data: dict[str, dict[int, Any]] = {s: {} for s in SECTIONS}  # db id -> validated schema
        # Sources that state a reliability (even null); the others take their publisher's grade.
        self.graded: set[int] = set()
        self.anchors: dict[int, Any] = {}

    def problem(self, section: str, index: int, name: str, text_: str) -> None:
        self.problems.append(Problem(section, index, name, text_))

    # -- structure and ids

    def check(self) -> None:
        doc = self.document
        if not isinstance(doc, dict):
            self.problem("file", 0, "body", "The file must hold a JSON object.")
            return
        if doc.get("format") != FORMAT:
            self.problem("file", 0, "format", f'Expected "format": "{FORMAT}".')
        for key in doc:
            if key != "format" and key not in SECTIONS:
                self.problem("file", 0, key, "Unknown section.")
        for section in SECTIONS:
            records = doc.get(section, [])
            if not isinstance(records, list):
                self.problem(section, 0, "body", "Must be a list of records.")
                continue
            for index, record in enumerate(records):
                if not isinstance(record, dict):
                    self.problem(section, index, "body", "Must be an object.")
                    continue
                rid = record.get("id")
                if isinstance(rid, bool) or not isinstance(rid, str | int) or rid == "":
                    self.problem(section, index, "id", "Every record needs an id (a string or an integer).")
                    continue
                if rid in self.ids[section]:
                    self.problem(section, index, "id", f"Duplicate id {rid!r}.")
                    continue
                self.ids[section][rid] = -1
                self.raw[section].append(record)
        if self.problems:
            return
        self._allocate()
        for section in SECTIONS:
            self._validate(section)
        if not self.problems:
            self._cross_check()
        if not self.problems:
            self._refuse_reimport()

    def _allocate(self) -> None:
        """Keep the file's integer ids in an empty database (a round trip reproduces it); else new ids."""
        keep = all(isinstance(r, int) and r > 0 for s in SECTIONS for r in self.ids[s]) and all(
            self.session.scalar(select(func.count()).select_from(MODELS[s])) == 0 for s in SECTIONS)
        for section in SECTIONS:
            model = MODELS[section]
            if self.session.get_bind().dialect.name == "postgresql":
                self.session.execute(text(f"LOCK TABLE {model.__tablename__} IN EXCLUSIVE MODE"))
            start = 1 if keep else (self.session.scalar(select(func.max(model.id))) or 0) + 1
            for n, rid in enumerate(self.ids[section]):
                self.ids[section][rid] = rid if keep else start + n

    def _ref(self, section: str, index: int, name: str, target: str, value: Any) -> Any:
        """The database id a file reference stands for, or _MISSING (with a problem noted)."""
        if value is None:
            return None
        try:
            found = None if type(value) is bool else self.ids[target].get(value)  # True would equal id 1
        except TypeError:  # a list or an object where an id belongs
            found = None
        if found is None:
            self.problem(section, index, name, f"Refers to a missing {target[:-1]} {value!r}.")
            return _MISSING
        return found

    def _validate(self, section: str) -> None:
        """Translate file references to database ids and validate each record with its schema.

        The hot loop of big imports: plain dict operations, one schema call per record."""
        validate = RESOURCES[section].schema.model_validate
        refs = list(REFS.get(section, {}).items())
        ids, data_out = self.ids[section], self.data[section]
        ref = self._ref
        for index, record in enumerate(self.raw[section]):
            payload = dict(record)
            for key in IGNORED:
                payload.pop(key, None)
            broken = False
            for name, target in refs:
                value = payload.get(name)
                if value is not None:
                    value = payload[name] = ref(section, index, name, target, value)
                    broken = broken or value is _MISSING
            links = payload.get("claims") if section == "statements" else None
            if isinstance(links, list):
                payload["claims"] = links = [dict(link) if isinstance(link, dict) else link for link in links]
                for n, link in enumerate(links):
                    if isinstance(link, dict) and "claim_id" in link:
                        link["claim_id"] = ref(section, index, f"claims.{n}.claim_id", "claims", link["claim_id"])
                        broken = broken or link["claim_id"] is _MISSING
            if broken:
                continue
            if "target" in record and section == "statements":
                self._locate_target(index, record["target"], record.get("source_id"), payload)
            try:
                data = validate(payload)
            except ValidationError as e:
                for error in e.errors(include_url=False):
                    self.problem(section, index, field_name(tuple(error["loc"])), message(error))
                continue
            db_id = ids[record["id"]]
            data_out[db_id] = data
            if section == "sources" and "reliability" in payload:
                self.graded.add(db_id)

    def _locate_target(self, index: int, target: Any, source_ref: Any, payload: dict[str, Any]) -> None:
        """A statement's Web Annotation target as its span (annotation.place), or a problem at `target`."""
        try:
            found = annotation.read_target(target, source_ref)
            span = payload.get("span")
            if isinstance(span, dict) and type(span.get("start")) is int and type(span.get("end")) is int:
                found.places.append((span["start"], span["end"]))
            elif span is not None:  # the schema reports the malformed span; never replace it silently
                return
            source = self.data["sources"].get(payload.get("source_id") or 0)
            if source is None:  # the source_id's problem is reported on its own
                return
            start, end = annotation.place(found, source.body)
        except annotation.TargetRefused as e:
            self.problem("statements", index, "target", str(e))
            return
        payload["span"] = {"start": start, "end": end}

    # -- rules across records

    def _cross_check(self) -> None:
        actors, sources = self.data["actors"], self.data["sources"]
        index = {s: {self.ids[s][r["id"]]: i for i, r in enumerate(self.raw[s])} for s in SECTIONS}
        for db_id, aff in self.data["affiliations"].items():
            org = actors.get(aff.organization_id)
            self.problems_of("affiliations", index["affiliations"][db_id],
                             rules.affiliation_problems(aff, org.name if org else None, org.kind if org else None))
        for db_id, src in sources.items():
            publisher = actors.get(src.publisher_id) if src.publisher_id else None
            if publisher is not None:
                self.problems_of("sources", index["sources"][db_id],
                                 rules.publisher_problems(publisher.name, publisher.kind))
        statements = self.data["statements"]

        def reporter_of(statement_id: int) -> int | None:
            return statements[statement_id].reported_by_id

        for db_id, st in statements.items():
            errors: dict[str, str] = {}
            self.anchors[db_id] = span_anchor(sources[st.source_id].body, st, errors)
            errors.update(rules.claim_link_problems([link.claim_id for link in st.claims]))
            if st.reported_by_id is not None:
                parent = statements[st.reported_by_id]
                errors.update(rules.reporter_problems(db_id, st.source_id, st.reported_by_id, parent.source_id,
                                                      reporter_of, len(statements) + 1))
            self.problems_of("statements", index["statements"][db_id], errors)
        for db_id, acc in self.data["accusations"].items():
            accuser = acc.accuser_id if acc.accuser_id is not None else statements[acc.statement_id].speaker_id
            self.problems_of("accusations", index["accusations"][db_id],
                             rules.accusation_problems(accuser, acc.accused_id))
        pairs: dict[frozenset[int], int] = {}
        for db_id, con in self.data["contradictions"].items():
            i = index["contradictions"][db_id]
            pair = frozenset((con.claim_a_id, con.claim_b_id))
            earlier = pairs.setdefault(pair, i)
            self.problems_of("contradictions", i, rules.contradiction_problems(
                con.claim_a_id, con.claim_b_id, f"contradictions[{earlier}]" if earlier != i else None))

    def _refuse_reimport(self) -> None:
        """Importing a file twice would duplicate every record: a source already stored with the same
        URL, or the same title and body, is refused (claimdb/1 ids are file-local, so nothing else
        says two records are one). Import into an empty database, or remove those sources first."""
        sources = self.data["sources"]
        if not sources or not self.session.scalar(select(func.count()).select_from(select(Source.id).limit(1)
                                                                                   .subquery())):
            return
        index = {db_id: i for i, db_id in enumerate(sources)}
        by_title: dict[str, list[int]] = {}
        by_url: dict[str, int] = {}
        for db_id, src in sources.items():
            by_title.setdefault(src.title, []).append(db_id)
            if src.url:
                by_url.setdefault(src.url, db_id)
        seen: dict[int, int] = {}  # file source (db id to be) -> stored source id
        titles, urls = list(by_title), list(by_url)
        for n in range(0, len(titles), 500):
            for row in self.session.execute(select(Source.id, Source.title, Source.body)
                                            .where(Source.title.in_(titles[n:n + 500]))):
                for db_id in by_title.get(row.title, ()):
                    if sources[db_id].body == row.body:
                        seen.setdefault(db_id, row.id)
        for n in range(0, len(urls), 500):
            for hit in self.session.execute(select(Source.id, Source.url).where(Source.url.in_(urls[n:n + 500]))):
                seen.setdefault(by_url[hit.url or ""], hit.id)
        for db_id, stored in sorted(seen.items(), key=lambda x: index[x[0]]):
            self.problem("sources", index[db_id], "title",
                         f"Already stored as source {stored} (same URL, or same title and body): this file, or part "
                         "of it, was imported before. Importing it again would duplicate its records.")

    def problems_of(self, section: str, index: int, errors: dict[str, str]) -> None:
        for name, msg in errors.items():
            self.problem(section, index, name, msg)

    # -- writing

    def write(self, progress: Progress | None) -> dict[str, int]:
        tick = progress or (lambda _n: None)
        d = self.data
        run = partial(bulkload.insert_rows, self.session)
        # Rebuilding the full-text index reads every statement: worth it only when this import brings a
        # good share of them; a small file into a big archive keeps the per-row triggers instead.
        stored = self.session.scalar(select(func.count()).select_from(Statement)) or 0
        bulk = len(d["statements"]) >= max(1000, stored // 4)
        with bulkload.fulltext_suspended(self.session) if bulk else nullcontext(), \
                bulkload.indexes_rebuilt(self.session, (Statement, StatementClaim)) if bulk else nullcontext():
            run(Actor, [{"id": i, "name": a.name, "normalized": normalize_name(a.name), "kind": a.kind,
                         "description": a.description, "reliability": a.reliability, "version": 1}
                        for i, a in d["actors"].items()])
            run(ActorAlias, [{"actor_id": i, "name": alias.name, "language": alias.language, "normalized": key}
                             for i, a in d["actors"].items()
                             for key, alias in unique_aliases(normalize_name(a.name), a.aliases)])
            tick(len(d["actors"]))
            run(Source, [self._source_row(i, s) for i, s in d["sources"].items()])
            run(Claim, [{"id": i, "text": c.text, **_date("occurred", c.occurred), "location": c.location,
                         "status": c.status, "version": 1} for i, c in d["claims"].items()])
            run(ClaimTag, [{"claim_id": i, "tag": t} for i, c in d["claims"].items()
                           for t in dict.fromkeys(x.strip() for x in c.tags)])
            tick(len(d["sources"]) + len(d["claims"]))
            ordered = self._parents_first()
            for n in range(0, len(ordered), 20_000):
                run(Statement, [self._statement_row(i) for i in ordered[n:n + 20_000]])
                tick(len(ordered[n:n + 20_000]))
            run(StatementClaim, [{"statement_id": i, "claim_id": link.claim_id, "stance": link.stance,
                                  "certainty": link.certainty} for i in ordered for link in d["statements"][i].claims])
            run(Affiliation, [self._affiliation_row(i, f) for i, f in d["affiliations"].items()])
            run(Accusation, [{"id": i, "statement_id": a.statement_id,
                              "accuser_id": a.accuser_id if a.accuser_id is not None
                              else d["statements"][a.statement_id].speaker_id,
                              "accused_id": a.accused_id, "act": a.act,
                              "category": a.category.strip() if a.category else None, "claim_id": a.claim_id,
                              "version": 1} for i, a in d["accusations"].items()])
            run(Contradiction, [{"id": i, "claim_a_id": c.claim_a_id, "claim_b_id": c.claim_b_id, "kind": c.kind,
                                 "status": c.status, "note": c.note, "version": 1}
                                for i, c in d["contradictions"].items()])
            tick(len(d["affiliations"]) + len(d["accusations"]) + len(d["contradictions"]))
        bulkload.reset_sequences(self.session, MODELS.values())
        # Tables derived from the rows (the contradiction report's), in the same transaction.
        report_tables.refresh_for(self.session, everything=bulk, statements=d["statements"],
                                  accusations=d["accusations"], affiliations=d["affiliations"],
                                  contradictions=d["contradictions"])
        bulkload.analyze(self.session, MODELS.values())  # PostgreSQL: plans for the new rows need fresh statistics
        return {s: len(d[s]) for s in SECTIONS}

    def _source_row(self, db_id: int, s: Any) -> dict[str, Any]:
        reliability = s.reliability
        if db_id not in self.graded and s.publisher_id is not None:
            reliability = self.data["actors"][s.publisher_id].reliability  # the publisher's usual grade
        return {"id": db_id, "title": s.title, "kind": s.kind, "publisher_id": s.publisher_id, "author": s.author,
                "url": s.url, **_date("published", s.published), "language": s.language,
                "original_language": s.original_language, "body": s.body, "reliability": reliability,
                "note": s.note, "version": 1}

    def _statement_row(self, db_id: int) -> dict[str, Any]:
        st, span = self.data["statements"][db_id], self.anchors.get(db_id)
        return {"id": db_id, "source_id": st.source_id, "speaker_id": st.speaker_id,
                "reported_by_id": st.reported_by_id, "text": st.text, "quote_type": st.quote_type, "cue": st.cue,
                "hedge": st.hedge, **_date("stated", st.stated), "credibility": st.credibility,
                "span_start": span.start if span else None, "span_end": span.end if span else None,
                "span_prefix": span.prefix if span else None, "span_quote": span.quote if span else None,
                "span_suffix": span.suffix if span else None, "version": 1}

    @staticmethod
    def _affiliation_row(db_id: int, f: Any) -> dict[str, Any]:
        end = parse_date(f.end)
        return {"id": db_id, "member_id": f.member_id, "organization_id": f.organization_id, "role": f.role,
                **_date("start_on", f.start), **_date("end_on", f.end), "end_last": end.last if end else None,
                "statement_id": f.statement_id, "note": f.note, "version": 1}

    def _parents_first(self) -> list[int]:
        """Statements ordered so that each comes after the one it is reported through."""
        statements = self.data["statements"]
        depth: dict[int, int] = {}
        for start in statements:
            chain, current = [], start
            while current is not None and current not in depth:
                chain.append(current)
                current = statements[current].reported_by_id
            base = depth[current] if current is not None else -1
            for n, sid in enumerate(reversed(chain), start=1):
                depth[sid] = base + n
        return sorted(statements, key=lambda sid: (depth[sid], sid))

_MISSING = object()


def _date(column: str, value: str | None) -> dict[str, Any]:
    """A wire-format partial date as its two columns, for a bulk-inserted row."""
    first, precision = split_partial(parse_date(value))
    return {column: first, f"{column}_precision": precision}
