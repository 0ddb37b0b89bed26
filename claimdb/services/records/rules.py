"""The domain rules that look beyond one field, each written once.

The record services (one record at a time, against the database) and the claimdb/1 import (a whole
document in memory) gather their facts differently, then ask these same functions, so a rule and
its message cannot differ between the web form, the API and an import. Each returns the problems
as {field: message}; empty means the rule holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from claimdb.partialdate import PartialDate, parse_date
from claimdb.services.records.schemas import AffiliationIn


def publisher_problems(publisher_name: str | None, publisher_kind: str | None) -> dict[str, str]:
    """A source's publisher is a media outlet."""
    if publisher_kind is not None and publisher_kind != "media":
        return {"publisher_id": f"{publisher_name} is not a media outlet (kind media); the publisher must be one."}
    return {}


def affiliation_problems(data: AffiliationIn, organization_name: str | None,
                         organization_kind: str | None) -> dict[str, str]:
    """Not with itself, no person as the organization, no end before its start."""
    errors = {}
    if data.member_id == data.organization_id:
        errors["organization_id"] = "An actor cannot be affiliated with itself."
    elif organization_kind == "person":
        errors["organization_id"] = f"{organization_name} is a person; pick an organization, faction or group."
    first, last = parse_date(data.start), parse_date(data.end)
    if first and last and last.last < first.first:
        errors["end"] = f"The end ({last.isoformat()}) is before the start ({first.isoformat()})."
    return errors


def claim_link_problems(claim_ids: Sequence[int]) -> dict[str, str]:
    """A statement bears on each claim once (one stance per claim)."""
    return {"claims": "List each claim once."} if len(set(claim_ids)) != len(claim_ids) else {}


def reporter_problems(statement_id: int | None, source_id: int, reporter_id: int, reporter_source_id: int,
                      reporter_of: Callable[[int], int | None], max_depth: int) -> dict[str, str]:
    """The reporting statement is in the same source and the chain never comes back to this statement.

    `reporter_of(id)` gives the statement that id is reported through (from the database or the file).
    """
    if reporter_source_id != source_id:
        return {"reported_by_id": f"Statement #{reporter_id} is in another source (#{reporter_source_id}); "
                                  "a statement can only be reported through one in the same source."}
    if statement_id is None:
        return {}
    current: int | None = reporter_id
    for _ in range(max_depth):
        if current is None:
            return {}
        if current == statement_id:
            return {"reported_by_id": "That would make a loop: this statement would end up reporting itself."}
        current = reporter_of(current)
    return {}


def accusation_problems(accuser_id: int | None, accused_id: int) -> dict[str, str]:
    """Nobody accuses themselves (the accuser defaults to the statement's speaker)."""
    if accuser_id is not None and accuser_id == accused_id:
        return {"accused_id": "The accused must differ from the accuser (who defaults to the statement's speaker)."}
    return {}


def contradiction_problems(claim_a_id: int, claim_b_id: int, existing: str | None) -> dict[str, str]:
    """Two different claims, linked once in either order; `existing` names the link they already have."""
    if claim_a_id == claim_b_id:
        return {"claim_b_id": "A claim cannot contradict itself: pick a different claim."}
    if existing is not None:
        return {"claim_b_id": f"These two claims are already linked as {existing}."}
    return {}


def date_range_problem(start: PartialDate | None, end: PartialDate | None) -> str | None:
    """A range whose end comes before its start (filters and affiliations alike)."""
    if start and end and end.last < start.first:
        return "The end of the range is before its start."
    return None
