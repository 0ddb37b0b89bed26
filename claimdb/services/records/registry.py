"""Every record kind by its URL name: the faces iterate this instead of naming each kind."""

from __future__ import annotations

from claimdb.services.records.accusations import ACCUSATIONS
from claimdb.services.records.actors import ACTORS, AFFILIATIONS
from claimdb.services.records.claims import CLAIMS, CONTRADICTIONS
from claimdb.services.records.lifecycle import Resource
from claimdb.services.records.sources import SOURCES, STATEMENTS

RESOURCES: dict[str, Resource] = {r.plural: r for r in (
    ACTORS, AFFILIATIONS, SOURCES, STATEMENTS, CLAIMS, ACCUSATIONS, CONTRADICTIONS)}
BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES.values()}
