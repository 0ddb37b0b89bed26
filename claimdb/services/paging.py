"""Pages of results: bounded sizes, a total, and whether more follow.

Totals are counted up to COUNT_CAP rows, never further: counting a million rows costs more than the
page itself. A capped total is a lower bound (`Results.capped`); the API says so with the
`X-Total-Capped: true` header and the pages with "10,000+" (benchmarks/README.md, "Lists").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from claimdb.config import Defaults
from claimdb.errors import Invalid

COUNT_CAP = 10_000

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = Defaults.PER_PAGE

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
        if number > 10_000_000:
            errors["page"] = "Too large."
        if errors:
            raise Invalid(errors)
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
        return Results(fn(self.items), self.total, self.page, self.capped, self.more)


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
