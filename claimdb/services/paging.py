"""Pages of results: bounded sizes, a total, and whether more follow.

Totals are counted up to COUNT_CAP rows, never further: counting a million rows costs more than the
page itself. A capped total is a lower bound (`Results.capped`); the API says so with the
`X-Total-Capped: true` header and the pages with "10,000+" (benchmarks/README.md, "Lists").

Lists are read by keyset (`keyset_page`): a `next` link carries an opaque cursor (`?after=`) with the
last row's sort value, id and page number, so following it seeks the sort index instead of walking
the rows before it. An explicit `?page=N` reads only ids off the sort index (OFFSET on a covering
index), then loads that page's rows by id (a deferred join).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from claimdb.config import Defaults
from claimdb.errors import BadRequest, Invalid
from claimdb.rules import MAX_ID

COUNT_CAP = 10_000
MAX_PAGE = 10_000_000
MAX_CURSOR = 2_000  # characters of an ?after= token (a sort value is at most a 500-character name)

T = TypeVar("T")
U = TypeVar("U")


class BadCursor(BadRequest):
    """An ?after= token that is not one this server wrote for this list (400, never a 500)."""

    def __init__(self, why: str) -> None:
        super().__init__(f"The ?after= cursor is not valid: {why} Follow the list's `next` link or start again "
                         "from the first page.", errors={"after": why})


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after the row with this sort value and id, as page `number`.

    `capped`: the list held more than COUNT_CAP rows when the cursor was made, so the pages that
    follow report a capped total without counting again (the count is the costliest query left)."""

    sort: str  # the ?sort it was made for ("-stated")
    value: Any  # the last row's sort value: str, int, ISO date string, or None
    id: int
    number: int
    capped: bool = False

    def encode(self) -> str:
        raw = json.dumps([self.sort, self.value, self.id, self.number, int(self.capped)], separators=(",", ":"),
                         ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """Strictly: base64url of [sort, value, id, page, capped], each of its type and range, or BadCursor."""
        if not token or len(token) > MAX_CURSOR or not token.isascii() or token.strip("-_" + _ALNUM):
            raise BadCursor("it is not a cursor this list gave out.")
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
            raise BadCursor("it is not a cursor this list gave out.") from None
        if not (isinstance(raw, list) and len(raw) == 5 and isinstance(raw[0], str) and len(raw[0]) <= 100):
            raise BadCursor("it is not a cursor this list gave out.")
        sort, value, row_id, number, capped = raw
        if value is not None and (type(value) not in (str, int) or (type(value) is str and len(value) > 1000)):
            raise BadCursor("its sort value is malformed.")
        if type(row_id) is not int or not 1 <= row_id <= MAX_ID:
            raise BadCursor("its record id is malformed.")
        if type(number) is not int or not 2 <= number <= MAX_PAGE:
            raise BadCursor("its page number is malformed.")
        if type(capped) is not int or capped not in (0, 1):
            raise BadCursor("it is not a cursor this list gave out.")
        return cls(sort, value, row_id, number, bool(capped))


_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = Defaults.PER_PAGE
    after: Cursor | None = None  # ?after=: continue after this row (number is then the cursor's)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @classmethod
    def from_args(cls, args: Mapping[str, str], config: Mapping[str, Any] | None = None, *,
                  default_size: int | None = None) -> Page:
        """?page= and ?per_page= (1 to MAX_PER_PAGE), refused with a field message when out of range.

        `config` is the app's (PER_PAGE, MAX_PER_PAGE); the caller passes it so services need no Flask.
        Without it, claimdb.config's defaults apply. `default_size` is a view's own choice over PER_PAGE."""
        settings = config if config is not None else {}
        most = int(settings.get("MAX_PER_PAGE", Defaults.MAX_PER_PAGE))
        if default_size is None:
            default_size = int(settings.get("PER_PAGE", Defaults.PER_PAGE))
        errors: dict[str, str] = {}
        number = _positive(args.get("page"), 1, "page", errors)
        size = _positive(args.get("per_page"), min(default_size, most), "per_page", errors)
        if size > most:
            errors["per_page"] = f"At most {most}."
        if number > MAX_PAGE:
            errors["page"] = "Too large."
        if errors:
            raise Invalid(errors)
        token = args.get("after")
        if token is not None:
            cursor = Cursor.decode(token)
            return cls(cursor.number, size, cursor)
        return cls(number, size)


def _positive(raw: str | None, default: int, name: str, errors: dict[str, str]) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        errors[name] = "Must be a whole number of at least 1."
        return default
    return int(raw)


@dataclass(frozen=True)
class Results(Generic[T]):
    items: Sequence[T]
    total: int
    page: Page
    capped: bool = False  # `total` stopped counting at COUNT_CAP: there are at least that many
    more: bool | None = None  # whether a next page exists, when known without the total
    after: str | None = None  # the next page's ?after= cursor (keyset lists)

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page.size))

    @property
    def has_prev(self) -> bool:
        return self.page.number > 1

    @property
    def has_next(self) -> bool:
        if self.more is not None:
            return self.more
        return self.page.offset + len(self.items) < self.total

    def map(self, fn: Callable[[Sequence[T]], Sequence[U]]) -> Results[U]:
        """The same page with its items converted in one batch (serializers load in bulk)."""
        return Results(fn(self.items), self.total, self.page, self.capped, self.more, self.after)


def paginate(session: Session, query: Select[Any], page: Page) -> Results[Any]:
    """One page query (a row more than the page, to know whether another follows) and, unless the
    first page holds everything, one COUNT that stops at COUNT_CAP rows.

    The caller's ORDER BY should match an index (models: every offered sort has one), so the page
    is read from the index instead of sorting the table."""
    rows = list(session.scalars(query.limit(page.size + 1).offset(page.offset)))
    more, items = len(rows) > page.size, rows[:page.size]
    if page.offset == 0 and not more:
        return Results(items, len(items), page, False, False)
    counted = session.scalar(select(func.count()).select_from(
        query.order_by(None).limit(COUNT_CAP + 1).subquery())) or 0
    if counted <= COUNT_CAP:
        return Results(items, counted, page, False, more)
    return Results(items, max(COUNT_CAP, page.offset + len(items) + int(more)), page, True, more)


@dataclass(frozen=True)
class SortKey:
    """A list's order: one column (or the id alone), ascending or descending, then the id the same
    way; rows without a value (nullable columns) come after all others either way.

    Read as two segments, each an index range: the rows with a value in (column, id) order, then the
    rows without one in id order. So ascending and descending, SQLite and PostgreSQL alike, walk a
    plain (column, id) index forwards or backwards; no NULLS LAST index is needed."""

    sort: str  # as ?sort= spells it ("-stated")
    id: Any  # the model's id column
    column: Any = None  # None: by id alone
    descending: bool = False
    nullable: bool = False

    def _after(self, column: Any, value: Any) -> Any:
        return column < value if self.descending else column > value

    def _order(self, *columns: Any) -> list[Any]:
        return [c.desc() if self.descending else c.asc() for c in columns]

    def segments(self, ids: Select[Any]) -> list[Select[Any]]:
        """The ordered id queries: [with a value] or [with a value, without one]."""
        if self.column is None:
            return [ids.order_by(*self._order(self.id))]
        if not self.nullable:
            return [ids.order_by(*self._order(self.column, self.id))]
        return [ids.where(self.column.is_not(None)).order_by(*self._order(self.column, self.id)),
                ids.where(self.column.is_(None)).order_by(*self._order(self.id))]

    def value_of(self, raw: Any) -> Any:
        """A cursor's sort value as the column holds it, or BadCursor."""
        if raw is None:
            if self.column is not None and self.nullable:
                return None
            raise BadCursor("its sort value is malformed.")
        kind = _python_type(self.column)
        if kind is dt.date:
            if type(raw) is not str:
                raise BadCursor("its sort value is malformed.")
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise BadCursor("its sort value is malformed.") from None
        if kind is not None and type(raw) is not kind:
            raise BadCursor("its sort value is malformed.")
        return raw

    def cursor(self, value: Any, row_id: int, number: int, capped: bool) -> str:
        wire = value.isoformat() if isinstance(value, dt.date) else value
        return Cursor(self.sort, wire, row_id, number, capped).encode()


def _python_type(column: Any) -> type | None:
    try:
        return column.type.python_type
    except (AttributeError, NotImplementedError):
        return None


def keyset_page(session: Session, query: Select[Any], key: SortKey, page: Page) -> Results[Any]:
    """A page of the query's rows (ORM entities with an `id`) in the key's order, its `after` cursor,
    and a total counted up to COUNT_CAP.

    The query's WHERE (no joins) is applied to an id query over the sort index: from the cursor
    (`page.after`, a seek) or from the page's offset (ids only: a covering index walk). Then the
    page's rows are loaded by id with the query's own columns and options."""
    ids = select(key.id) if key.column is None else select(key.id, key.column)
    if query.whereclause is not None:
        ids = ids.where(query.whereclause)
    want = page.size + 1
    found: list[Any] = []
    if page.after is not None:
        if page.after.sort != key.sort:
            raise BadCursor(f"it was made for another order (sort={page.after.sort}).")
        value = key.value_of(page.after.value) if key.column is not None else None
        segments = key.segments(ids)
        if key.column is None:
            found = list(session.execute(segments[0].where(key._after(key.id, page.after.id)).limit(want)))
        elif value is None:  # inside the rows without a value
            found = list(session.execute(segments[-1].where(key._after(key.id, page.after.id)).limit(want)))
        else:
            # (column, id) past the cursor's; the plain bound on the column alone lets SQLite seek an
            # expression index too (it does not take a row value on an expression as a range)
            bound = key.column <= value if key.descending else key.column >= value
            after = key._after(tuple_(key.column, key.id), tuple_(value, page.after.id))
            found = list(session.execute(segments[0].where(bound, after).limit(want)))
            if len(found) < want and len(segments) > 1:
                found += session.execute(segments[1].limit(want - len(found))).all()
    else:
        skip = page.offset
        for segment in key.segments(ids):
            rows = session.execute(segment.limit(want - len(found)).offset(skip or None)).all()
            if skip and not rows:  # the offset lies past this segment: skip all of it, go on with the next
                skip = max(0, skip - (session.scalar(select(func.count()).select_from(
                    segment.order_by(None).subquery())) or 0))
                continue
            skip = 0
            found += rows
            if len(found) >= want:
                break
    more, wanted = len(found) > page.size, found[:page.size]
    by_id = {r.id: r for r in session.scalars(query.where(key.id.in_([r[0] for r in wanted])))} if wanted else {}
    items = [by_id[r[0]] for r in wanted if r[0] in by_id]

    def next_cursor(capped: bool) -> str | None:
        if not (more and wanted):
            return None
        last = wanted[-1]
        return key.cursor(last[1] if key.column is not None else None, last[0], page.number + 1, capped)

    if page.number == 1 and not more:
        return Results(items, len(items), page, False, False, None)
    if page.after is not None and page.after.capped:
        counted = COUNT_CAP + 1  # counted when the cursor was made: still past the cap
    else:
        counted = session.scalar(select(func.count()).select_from(ids.limit(COUNT_CAP + 1).subquery())) or 0
    if counted <= COUNT_CAP:
        return Results(items, counted, page, False, more, next_cursor(False))
    return Results(items, max(COUNT_CAP, page.offset + len(items) + int(more)), page, True, more, next_cursor(True))
