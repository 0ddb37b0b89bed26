"""Create, read, update and delete for every record kind, the same way for the web, the API and the CLI.

Each kind is a `Resource` (defined next to its domain rules in actors.py, sources.py, claims.py,
accusations.py); this module owns the shared life cycle: validate, apply, check the version,
guard deletes, audit, commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claimdb.db import database_error
from claimdb.errors import Conflict, InUse, Invalid, NotFound
from claimdb.services import audit
from claimdb.services.paging import Page, Results, SortKey, keyset_page
from claimdb.services.records.schemas import Strict, validate
from claimdb.services.reports import tables as report_tables  # noqa: F401  (keeps the report tables in step with every flush)

Serializer = Callable[[Session, Sequence[Any]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Resource:
    """One kind of record and the rules that are its own."""

    name: str  # singular, as in audit entries and dependants: "statement"
    plural: str  # as in URLs: "statements"
    model: type[Any]
    schema: type[Strict]
    # Copy validated input onto the ORM object, checking references and cross-record rules.
    write: Callable[[Session, Any, Any], None]
    serialize: Serializer
    # Records that would be orphaned by a delete: [{type, id, label}].
    dependants: Callable[[Session, int], list[dict[str, Any]]]
    label: Callable[[Any], str]
    # ?name=value list filters: each turns a query-string value into a WHERE clause (or raises Invalid).
    filters: Mapping[str, Callable[[Select[Any], str], Select[Any]]] = field(default_factory=dict)
    sorts: Mapping[str, Any] = field(default_factory=dict)
    default_sort: str = "-id"

    def fetch(self, session: Session, record_id: int, *, lock: bool = False, key_share: bool = False) -> Any:
        """The record, or NotFound. lock: read it afresh with SELECT … FOR UPDATE (PostgreSQL; SQLite
        writers already hold the database's write lock from BEGIN IMMEDIATE) so the version compared
        is the one this transaction will overwrite. key_share: FOR NO KEY UPDATE, which lets others
        insert rows that reference this one meanwhile."""
        if lock:
            record = session.get(self.model, record_id, populate_existing=True,
                                 with_for_update={"key_share": key_share})
        else:
            record = session.get(self.model, record_id)
        if record is None:
            raise NotFound(f"There is no {self.name} {record_id}.")
        return record

    def read(self, session: Session, record: Any) -> dict[str, Any]:
        return self.serialize(session, [record])[0]


def get(session: Session, resource: Resource, record_id: int) -> dict[str, Any]:
    """The record as the API shows it."""
    return resource.read(session, resource.fetch(session, record_id))


def create(session: Session, resource: Resource, payload: Any, *, commit: bool = True) -> dict[str, Any]:
    """Validate, store, audit and commit a new record; answer it as a read would.

    With commit=False the record is only flushed, so that a caller can make several records in
    one all-or-nothing transaction (the spreadsheet import) and commit or roll back at the end.
    """
    data = validate(resource.schema, payload)
    record = resource.model()
    with _guarded(session, resource):
        with session.no_autoflush:  # write's own reads must not flush a half-written record
            resource.write(session, record, data)
        session.add(record)
        _flush(session, resource)
        after = resource.read(session, record)
        audit.record(session, "create", resource.name, record.id, None, after)
        if commit:
            _commit(session, resource)
    return after


def update(session: Session, resource: Resource, record_id: int, payload: Any) -> dict[str, Any]:
    """Apply a partial change sent with the version it was based on; a stale version changes nothing."""
    if not isinstance(payload, dict):
        raise Invalid({"body": "Send a JSON object."})
    version = payload.get("version")
    if type(version) is not int:
        raise Invalid({"version": "Send the version you read (an integer): edits without it could overwrite others."})
    with _guarded(session, resource, record_id):
        # Lock the row before comparing versions: of several simultaneous edits of one version,
        # the first to lock it wins and the others then see its new version (a clean 409).
        record = resource.fetch(session, record_id, lock=True, key_share=True)
        before = resource.read(session, record)
        if version != record.version:
            raise Conflict(
                f"This {resource.name} was changed by someone else (version {record.version}, you sent {version}). "
                "Review the current record and apply your change again.",
                current=before,
            )
        changes = {k: v for k, v in payload.items() if k != "version"}
        stored = {k: before[k] for k in resource.schema.model_fields if k in before}
        data = validate(resource.schema, stored | changes)
        if data.model_dump() == validate(resource.schema, stored).model_dump():
            session.rollback()  # release the lock
            return before  # nothing changed: no new version, no audit entry
        with session.no_autoflush:  # write's own reads must not flush a half-applied change
            resource.write(session, record, data)
        record.bump_version()
        _flush(session, resource)
        after = resource.read(session, record)
        audit.record(session, "update", resource.name, record.id, before, after)
        _commit(session, resource)
    return after


def delete(session: Session, resource: Resource, record_id: int) -> None:
    """Delete a record nothing depends on; otherwise refuse and name the dependants."""
    with _guarded(session, resource, record_id):
        # FOR UPDATE (not NO KEY): a record being deleted takes no new dependants meanwhile; a create
        # referencing it waits, then finds it gone.
        record = resource.fetch(session, record_id, lock=True)
        _refuse_if_used(session, resource, record)
        before = resource.read(session, record)
        session.delete(record)
        audit.record(session, "delete", resource.name, record_id, before, None)
        try:
            session.commit()
        except IntegrityError:  # a dependant appeared meanwhile
            session.rollback()
            _refuse_if_used(session, resource, resource.fetch(session, record_id))
            raise Conflict(f"This {resource.name} changed while it was being deleted; try again.",
                           current=get(session, resource, record_id)) from None


def _refuse_if_used(session: Session, resource: Resource, record: Any) -> None:
    dependants = resource.dependants(session, record.id)
    if dependants:
        kinds = sorted({d["type"] for d in dependants})
        raise InUse(
            f"{resource.label(record)} cannot be deleted: {len(dependants)} record(s) depend on it "
            f"({', '.join(kinds)}). Delete or re-link those first.",
            dependants,
        )


def list_records(session: Session, resource: Resource, args: Mapping[str, str], page: Page,
                 query: Select[Any] | None = None) -> Results[Any]:
    """A page of ORM records, filtered by the resource's ?filters and ordered by ?sort."""
    query = query if query is not None else select(resource.model)
    errors: dict[str, str] = {}
    for name, apply in resource.filters.items():
        value = args.get(name)
        if value is None or value == "":
            continue
        try:
            query = apply(query, value)
        except Invalid as e:
            errors.update(e.errors or {name: e.detail})
    sort = args.get("sort") or resource.default_sort
    key = sort.removeprefix("-")
    if key != "id" and key not in resource.sorts:
        errors["sort"] = f"Sort by one of: {', '.join(['id', *resource.sorts])}."
    if errors:
        raise Invalid(errors)
    column = None if key == "id" else resource.sorts[key]
    # Records without a value (undated, ungraded) come last either way, on SQLite and PostgreSQL alike.
    nullable = column is not None and getattr(getattr(column, "expression", column), "nullable", False)
    order = SortKey(sort, resource.model.id, column, sort.startswith("-"), bool(nullable))
    return keyset_page(session, query, order, page)


def list_json(session: Session, resource: Resource, args: Mapping[str, str], page: Page) -> Results[dict[str, Any]]:
    """A page of records in the API's shape, serialized in one batch."""
    return list_records(session, resource, args, page).map(lambda items: resource.serialize(session, items))


# PostgreSQL's SQLSTATEs for a transaction that lost a race: serialization failure, deadlock.
RACE_LOST = frozenset({"40001", "40P01"})


@contextmanager
def _guarded(session: Session, resource: Resource, record_id: int | None = None) -> Iterator[None]:
    """Turn a lost race into Conflict (with the current record) and a storage fault into Unavailable.

    Either way the transaction is rolled back, so nothing of the attempt is stored.
    """
    try:
        yield
    except StaleDataError:
        session.rollback()
        raise _lost(session, resource, record_id) from None
    except OperationalError as e:
        session.rollback()
        if getattr(e.orig, "sqlstate", None) in RACE_LOST:
            raise _lost(session, resource, record_id) from None
        fault = database_error(e)
        if fault is None:
            raise
        raise fault from None


def _lost(session: Session, resource: Resource, record_id: int | None) -> Conflict:
    current = None
    if record_id is not None and session.get(resource.model, record_id) is not None:
        current = get(session, resource, record_id)
    return Conflict(f"This {resource.name} was changed by someone else while you were saving. "
                    "Review it and try again.", current=current)


def _flush(session: Session, resource: Resource) -> None:
    try:
        session.flush()
    except IntegrityError as e:
        session.rollback()
        raise Invalid({"body": f"This {resource.name} conflicts with a stored record ({_reason(e)})."}) from None


def _commit(session: Session, resource: Resource) -> None:
    try:
        session.commit()
    except IntegrityError as e:
        session.rollback()
        raise Invalid({"body": f"This {resource.name} conflicts with a stored record ({_reason(e)})."}) from None


def _reason(e: IntegrityError) -> str:
    text = str(e.orig).splitlines()[0] if e.orig else str(e)
    return text[:200]


def ids_in(values: Sequence[int | None]) -> list[int]:
    """Distinct non-null ids, for one IN query per batch."""
    return sorted({v for v in values if v is not None})


def require_ids(session: Session, model: type[Any], wanted: Mapping[str, int | None],
                errors: dict[str, str], what: str) -> dict[int, Any]:
    """Load the referenced records in one query; note a field error for each missing one."""
    ids = ids_in(list(wanted.values()))
    found = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    for field_name, value in wanted.items():
        if value is not None and value not in found:
            errors.setdefault(field_name, f"There is no {what} {value}.")
    return found


DEPENDANTS_SHOWN = 50


def dependants(session: Session, kind: str, query: Select, label: Any) -> list[dict[str, Any]]:
    """Up to DEPENDANTS_SHOWN records of one kind that depend on another, as {type, id, label}."""
    rows = session.execute(query.limit(DEPENDANTS_SHOWN)).all()
    return [{"type": kind, "id": row[0], "label": label(row)} for row in rows]
