"""claimdb/1 import: one JSON document holding every record in the API's shape (exports.py writes it).

Import is all or nothing and reports every bad record by section, index and field. It checks the
same rules as the record services (shared rule functions) and writes with bulk inserts in one
transaction, because one ORM flush per row is far too slow for real archives. A file is read in two
passes and never held whole (reader.py): this module's first pass collects the ids and the few
references that checks across records need; import_records.py checks and writes section by section.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.models import Accusation, Actor, Affiliation, Claim, Contradiction, Source, Statement
from claimdb.services import audit
from claimdb.services.exchange import reader
from claimdb.wording import counted

FORMAT = "claimdb/1"
PART = 10_000  # records checked as one piece of work in the second pass
PARTED = ("claims", "statements", "accusations")  # the sections checked in parts, side by side
SECTIONS = ("actors", "affiliations", "sources", "statements", "claims", "accusations", "contradictions")
MODELS: dict[str, Any] = {
    "actors": Actor, "affiliations": Affiliation, "sources": Source, "statements": Statement, "claims": Claim,
    "accusations": Accusation, "contradictions": Contradiction,
}


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
    """Import a claimdb/1 file, read incrementally (memory does not grow with the file)."""
    return _import(session, reader.InFile(path), progress, path)


def import_document(session: Session, document: Any, *, progress: Progress | None = None,
                    label: str = "import") -> ImportReport:
    """Check an already decoded document, then insert it in one transaction (all records or none)."""
    return _import(session, reader.InMemory(document), progress, label)


def _import(session: Session, document: reader.Document, progress: Progress | None, label: str) -> ImportReport:
    counts = load(session, document, progress=progress)
    audit.record(session, "import", "import", None, None, {"file": label, "counts": counts})
    session.commit()
    return ImportReport(counts)


def load(session: Session, document: reader.Document, *, progress: Progress | None = None,
         stored: dict[str, set[int]] | None = None, refuse_reimport: bool = True) -> dict[str, int]:
    """Check and write the document without committing; ImportRefused leaves nothing written.

    `stored`: ids of records already in the database that the document may refer to as
    ("stored", id) (the spreadsheet import reuses actors, sources and claims). `refuse_reimport`:
    refuse sources already stored (a sheet reuses those it finds instead)."""
    from claimdb.services.exchange import import_records

    with _no_cyclic_gc():
        index = Index(session, document, stored)
        index.refuse_reimport = refuse_reimport
        _readable(index.read)
        if index.problems:
            raise ImportRefused(index.problems)
        index.allocate()
        savepoint = session.begin_nested()
        try:
            counts: dict[str, int] = _readable(lambda: import_records.Loader(session, index, progress).run())
        except BaseException:
            _undo(session, savepoint)
            raise
        savepoint.commit()
    return counts


def _undo(session: Session, savepoint: Any) -> None:
    try:
        savepoint.rollback()
    except DBAPIError:  # the engine ended the whole transaction itself (SQLite on a full disk)
        session.rollback()


def _readable(read: Callable[[], Any]) -> Any:
    try:
        return read()
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ImportRefused([Problem("file", 0, "body", f"Not a readable JSON file: {e}")]) from None


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


class Index:
    """The first pass: the document's shape, every record's id and the database id it will get, and
    per statement the source, speaker and reporting statement (database ids) that checks across
    records read. Plain ints, never the records themselves."""

    def __init__(self, session: Session, document: reader.Document,
                 stored: dict[str, set[int]] | None = None) -> None:
        self.session = session
        self.document = document
        self.stored = {s: {("stored", i): i for i in ids} for s, ids in (stored or {}).items()}
        self.problems: list[Problem] = []
        self.ids: dict[str, dict[Any, int]] = {s: {} for s in SECTIONS}  # file id -> database id
        self.start: dict[str, int] = {}  # first database id of each section (the ids kept: 1)
        self.source_of: dict[int, int] = {}
        self.speaker_of: dict[int, int] = {}
        self.parent_of: dict[int, int] = {}
        self.refuse_reimport = True
        self.late_parent: set[int] = set()  # statements listed before the statement they are reported through
        self.marks: dict[str, list[tuple[int, Any]]] = {}  # (index, reader mark) of every PART-th record
        self._refs: list[tuple[Any, Any, Any]] = []

    def read(self) -> None:
        heading: list[Problem] = []
        found: dict[str, list[Problem]] = {}
        fmt: Any = None
        try:
            for name, value in self.document.members():
                if name == "format":
                    fmt = value
                elif name not in SECTIONS:
                    heading.append(Problem("file", 0, name, "Unknown section."))
                elif not isinstance(value, reader.Section):
                    found[name] = [Problem(name, 0, "body", "Must be a list of records.")]
                else:
                    found[name] = self._read_section(name, self._marked(name, value))
        except reader.NotAnObject:
            self.problems = [Problem("file", 0, "body", "The file must hold a JSON object.")]
            return
        if fmt != FORMAT:
            heading.insert(0, Problem("file", 0, "format", f'Expected "format": "{FORMAT}".'))
        self.problems = heading + [p for s in SECTIONS for p in found.get(s, [])]

    def _marked(self, section: str, value: reader.Section) -> Iterator[Any]:
        """The section's records; for the PARTED sections, a mark every PART records from which the
        second pass can read a part of them again on its own (import_records checks parts side by side)."""
        if section not in PARTED:
            yield from value.items
            return
        marks = self.marks[section] = [(0, None)]
        for n, record in enumerate(value.items, 1):
            yield record
            if n % PART == 0:
                marks.append((n, value.where()))

    def parts(self, section: str) -> list[tuple[int, Any, int]]:
        """(first index, reader mark, count) of each part of a PARTED section, empty ones left out."""
        marks, total = self.marks.get(section, [(0, None)]), self.count(section)
        ends = [start for start, _mark in marks[1:]] + [total]
        return [(start, mark, end - start) for (start, mark), end in zip(marks, ends, strict=True) if end > start]

    def _read_section(self, section: str, records: Iterator[Any]) -> list[Problem]:
        problems: list[Problem] = []
        ids = self.ids[section]
        refs = self._refs if section == "statements" else None
        for index, record in enumerate(records):
            if type(record) is dict:  # the common case first: a new string id
                rid = record.get("id")
                if type(rid) is str and rid and rid not in ids:
                    ids[rid] = index
                    if refs is not None:
                        refs.append((record.get("source_id"), record.get("speaker_id"), record.get("reported_by_id")))
                    continue
            if not isinstance(record, dict):
                problems.append(Problem(section, index, "body", "Must be an object."))
                continue
            rid = record.get("id")
            if isinstance(rid, bool) or not isinstance(rid, str | int) or rid == "":
                problems.append(Problem(section, index, "id", "Every record needs an id (a string or an integer)."))
                continue
            if rid in ids:
                problems.append(Problem(section, index, "id", f"Duplicate id {rid!r}."))
                continue
            ids[rid] = index
            if refs is not None:
                refs.append((record.get("source_id"), record.get("speaker_id"), record.get("reported_by_id")))
        return problems

    def allocate(self) -> None:
        """Keep the file's integer ids in an empty database (a round trip reproduces it); else new ids."""
        keep = all(isinstance(r, int) and r > 0 for s in SECTIONS for r in self.ids[s]) and all(
            self.session.scalar(select(func.count()).select_from(MODELS[s])) == 0 for s in SECTIONS)
        for section in SECTIONS:
            model = MODELS[section]
            if self.session.get_bind().dialect.name == "postgresql":
                self.session.execute(text(f"LOCK TABLE {model.__tablename__} IN EXCLUSIVE MODE"))
            start = self.start[section] = 1 if keep else (self.session.scalar(select(func.max(model.id))) or 0) + 1
            ids = self.ids[section]  # file id -> position in its section (0, 1, 2, ...: no record had a problem)
            self.ids[section] = dict(zip(ids, ids if keep else range(start, start + len(ids)), strict=True))
        self._resolve_statements(keep)

    def _resolve_statements(self, kept: bool) -> None:
        statements, sources, actors = self.ids["statements"], self.ids["sources"], self.ids["actors"]
        # Kept ids need not follow the file's order; new ids do (start + position).
        position = {db: n for n, db in enumerate(statements.values())} if kept else None
        lookup = self.lookup
        for (source, speaker, parent), db in zip(self._refs, statements.values(), strict=True):
            # The common case inline (a string reference); lookup() for the rest (ints, stored, odd values).
            self.source_of[db] = (sources.get(source) if type(source) is str else lookup("sources", source)) or 0
            self.speaker_of[db] = (actors.get(speaker) if type(speaker) is str else lookup("actors", speaker)) or 0
            if parent is None:
                continue
            reporter = statements.get(parent) if type(parent) is str else lookup("statements", parent)
            if reporter:
                self.parent_of[db] = reporter
                later = position.get(reporter, 0) > position[db] if position is not None else reporter > db
                if later:
                    self.late_parent.add(db)
        self._refs = []

    def lookup(self, section: str, value: Any) -> int | None:
        """The database id a file reference stands for; None if it stands for nothing."""
        if value is None or type(value) is bool:  # True would equal id 1
            return None
        try:
            found = self.ids[section].get(value)
        except TypeError:  # a list or an object where an id belongs
            return None
        if found is None and self.stored and type(value) is tuple:
            return self.stored.get(section, {}).get(value)
        return found

    def count(self, section: str) -> int:
        return len(self.ids[section])
