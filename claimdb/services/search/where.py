"""A search's filters as SQL: a shape (which filters are set) and the values it binds by name.

The same shape always gives the same statement text, so the page query of each shape is built
and compiled once (statements._newest_first) and run with the values as parameters: a speaker
search asks it on every call, and building it cost more than running it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, exists, func, select

from claimdb.models import Accusation, Claim, Source, Statement, StatementClaim
from claimdb.rules import parse_id
from claimdb.services.search.factions import faction_matches

if TYPE_CHECKING:
    from claimdb.services.search.statements import SearchFilters


@dataclass(frozen=True)
class Where:
    """Which filters a search sets, in a fixed order, and the parameter values they bind."""

    shape: tuple[str, ...]
    params: dict[str, Any]

    def conditions(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses with their values bound (for queries built per call)."""
        return conditions(self.shape, self.params)


def where(filters: SearchFilters, speaker_ids: list[int] | None, faction_ids: list[int] | None) -> Where:
    """The filters' shape and values; `speaker_ids` and `faction_ids` are what those names resolved to."""
    shape: list[str] = []
    params: dict[str, Any] = {}

    def add(name: str, **values: Any) -> None:
        shape.append(name)
        params.update(values)

    if speaker_ids is not None:
        add("speaker", speaker_ids=speaker_ids)
    if faction_ids is not None:
        add("faction", faction_ids=faction_ids)
    if filters.date_from:
        add("from", date_from=filters.date_from.first)
    if filters.date_to:
        add("to", date_to=filters.date_to.last)
    if filters.source:
        if (source_id := parse_id(filters.source)) is not None:
            add("source_id", source_id=source_id)
        else:
            add("source_title", source_title=like_escaped(filters.source))
    if filters.reliability:
        add("reliability", reliability=list(filters.reliability))
    if filters.stance:
        add("stance", stance=filters.stance)
    if filters.status:
        add("status", status=filters.status)
    if filters.category:
        add("category", category=filters.category.lower())
    return Where(tuple(shape), params)


def like_escaped(value: str) -> str:
    """The text with LIKE's wildcards escaped by "/" (what `contains(..., autoescape=True)` does)."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


def conditions(shape: tuple[str, ...], values: Mapping[str, Any] | None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a shape (each backed by an index), as named parameters: bound to `values`,
    or left for the caller to pass when `values` is None (a statement prepared once per shape)."""

    def param(name: str, **kw: Any) -> BindParameter[Any]:
        return bindparam(name, **kw) if values is None else bindparam(name, values[name], **kw)

    found: list[ColumnElement[bool]] = []
    if "speaker" in shape:
        found.append(Statement.speaker_id.in_(param("speaker_ids", expanding=True)))
    if "faction" in shape:
        found.append(faction_matches(param("faction_ids", expanding=True)))
    if "from" in shape:
        found.append(Statement.stated >= param("date_from"))
    if "to" in shape:
        found.append(Statement.stated <= param("date_to"))
    if "source_id" in shape:
        found.append(Statement.source_id == param("source_id"))
    if "source_title" in shape:
        titled = select(Source.id).where(Source.title.icontains(param("source_title"), escape="/"))
        found.append(Statement.source_id.in_(titled))
    if "reliability" in shape:
        graded = select(Source.id).where(Source.reliability.in_(param("reliability", expanding=True)))
        found.append(Statement.source_id.in_(graded))
    if "stance" in shape or "status" in shape:
        link = select(StatementClaim.statement_id).where(StatementClaim.statement_id == Statement.id)
        if "stance" in shape:
            link = link.where(StatementClaim.stance == param("stance"))
        if "status" in shape:
            link = link.join(Claim, Claim.id == StatementClaim.claim_id).where(Claim.status == param("status"))
        found.append(exists(link))
    if "category" in shape:
        found.append(exists(select(Accusation.id).where(
            Accusation.statement_id == Statement.id, func.lower(Accusation.category) == param("category"))))
    return found
