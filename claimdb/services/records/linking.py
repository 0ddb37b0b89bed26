"""Adding and removing one claim link from a statement's page, through the statement's own update.

The API replaces a statement's `claims` list as a whole; these helpers read the current list,
change one link and write it back at the version just read, so the change is audited like any
edit and a concurrent edit is refused rather than overwritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from claimdb.errors import Invalid
from claimdb.services.records import lifecycle
from claimdb.services.records.claims import CLAIMS
from claimdb.services.records.sources import STATEMENTS


def link_claim(session: Session, statement_id: int, *, claim_id: int | None, new_claim: str | None,
               stance: str, certainty: str) -> tuple[int, bool]:
    """Link an existing claim (or a new one made from its text); answers (claim id, whether it replaced a link).

    Errors are keyed by the link form's fields: claim_id, new_claim, stance, certainty.
    """
    current = lifecycle.get(session, STATEMENTS, statement_id)
    if claim_id is None:
        if not new_claim:
            raise Invalid({"claim_id": "Pick a claim or type the text of a new one."})
        try:
            claim_id = lifecycle.create(session, CLAIMS, {"text": new_claim})["id"]
        except Invalid as e:
            raise Invalid({"new_claim": "; ".join(e.errors.values()) or e.detail}) from None
    kept = [link for link in current["claims"] if link["claim_id"] != claim_id]
    links = [*kept, {"claim_id": claim_id, "stance": stance, "certainty": certainty}]
    _write(session, statement_id, current["version"], links)
    return claim_id, len(kept) != len(current["claims"])


def unlink_claim(session: Session, statement_id: int, claim_id: int) -> bool:
    """Remove one claim link; False when there was none."""
    current = lifecycle.get(session, STATEMENTS, statement_id)
    links = [link for link in current["claims"] if link["claim_id"] != claim_id]
    if len(links) == len(current["claims"]):
        return False
    _write(session, statement_id, current["version"], links)
    return True


def _write(session: Session, statement_id: int, version: int, links: list[dict[str, Any]]) -> None:
    try:
        lifecycle.update(session, STATEMENTS, statement_id, {"version": version, "claims": links})
    except Invalid as e:
        errors = {("claim_id" if key.startswith("claims") else key): message for key, message in e.errors.items()}
        raise Invalid(errors) from None
