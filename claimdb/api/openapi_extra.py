"""OpenAPI paths beyond record CRUD: search, the contradiction report and the export.

Each is described only when the app has the route, so the document never promises a URL that 404s.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from claimdb.api import exports, suggestions
from claimdb.api.spec import Builder, json_content, problem_responses, ref
from claimdb.models import values
from claimdb.services.exchange.document_import import SECTIONS
from claimdb.services.search import statements as search


class ActorBrief(BaseModel):
    id: int
    name: str | None


class SourceBrief(BaseModel):
    id: int
    title: str
    published: str | None
    reliability: str | None


class StatementHit(BaseModel):
    """A statement as search and reports show it: who, where, through which chain."""

    id: int
    text: str
    speaker: ActorBrief
    stance: str | None = None
    source: SourceBrief
    stated: str | None
    credibility: int | None
    chain: list[dict[str, Any]]


class Resolution(BaseModel):
    """What a typed speaker, faction or actor name resolved to, and other actors it might mean."""

    query: str
    actors: list[dict[str, Any]]
    suggestions: list[dict[str, Any]]
    exact: bool


class SearchResults(BaseModel):
    """One page of statements; `resolved` shows which actors speaker= and faction= matched."""

    items: list[StatementHit]
    total: int
    next: str | None
    total_capped: bool = False
    resolved: dict[str, Resolution] = {}
    notes: list[str] = []
    facets: dict[str, list[dict[str, Any]]] | None = None


class ClaimBrief(BaseModel):
    id: int
    text: str


class Side(BaseModel):
    claim: ClaimBrief
    statements: list[StatementHit]
    statement_count: int  # every asserting statement; `statements` shows the first few on a page
    origins: int


class ContradictionEntry(BaseModel):
    id: int
    kind: str
    status: str
    note: str | None
    sides: list[Side]


class StanceConflict(BaseModel):
    claim: ClaimBrief
    asserted_by: list[StatementHit]
    denied_by: list[StatementHit]
    asserted_count: int
    denied_count: int


class MutualAccusationItem(BaseModel):
    id: int
    accuser_id: int
    accused_id: int
    act: str
    statement: StatementHit


class MutualAccusation(BaseModel):
    actors: list[ActorBrief]
    category: str | None
    accusations: list[MutualAccusationItem]


class ContradictionReport(BaseModel):
    """Explicit contradictions, stance conflicts and mutual accusations, each with who holds which side."""

    filters: dict[str, Any]
    resolved: dict[str, Resolution] = {}
    notes: list[str] = []
    contradictions: list[ContradictionEntry]
    stance_conflicts: list[StanceConflict]
    mutual_accusations: list[MutualAccusation]
    next: dict[str, str | None]  # per section: the URL of its next page, or null


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema or {"type": "string"}}


DATE_RANGE = [
    _query("from", "Earliest statement date: 2015, 2015-03 or 2015-03-01."),
    _query("to", "Latest statement date: 2015, 2015-03 or 2015-03-01."),
]
PAGING = [
    _query("page", "Page number.", {"type": "integer", "minimum": 1}),
    _query("per_page", "Page size.", {"type": "integer", "minimum": 1, "maximum": 200}),
]


SEARCH_PARAMETERS = {
    "q": ("Full-text search in the statement text.", None),
    "speaker": ("An actor id or any of its names or aliases.", None),
    "faction": ("An actor id or name: statements by it or by anyone affiliated with it at the time.", None),
    "source": ("A source id or words of its title.", None),
    "reliability": ("Source grades, comma-separated: A,B.", None),
    "stance": ("How the statement bears on a claim.", list(values.Stance)),
    "category": ("Accusation category.", None),
    "status": ("Status of a claim the statement bears on.", list(values.ClaimStatus)),
}


def search_path(builder: Builder) -> dict[str, Any]:
    parameters = []
    for name in search.SearchFilters.FIELDS:
        if name in ("from", "to"):
            parameters.append(next(p for p in DATE_RANGE if p["name"] == name))
            continue
        description, values = SEARCH_PARAMETERS.get(name, ("Filter.", None))
        parameters.append(_query(name, description, {"type": "string", "enum": values} if values else None))
    return {"get": {
        "operationId": "search_statements", "tags": ["search"], "summary": "Search statements",
        "parameters": [*parameters, _query("facets", "1 to add counts of the matches by speaker, faction and more.",
                                           {"type": "string", "enum": ["0", "1"]}), *PAGING],
        "responses": {"200": {"description": "Matching statements.", "content": json_content(
            builder.model(SearchResults))}, **problem_responses(401, 403, 422)},
    }}


def report_path(builder: Builder) -> dict[str, Any]:
    content = json_content(builder.model(ContradictionReport))
    content["text/csv"] = {"schema": {"type": "string"}}
    content["text/markdown"] = {"schema": {"type": "string"}}
    return {"get": {
        "operationId": "contradiction_report", "tags": ["reports"], "summary": "Contradiction report",
        "parameters": [
            _query("actor", "Keep entries where this actor (id or name) speaks, accuses or is accused."),
            _query("faction", "As actor=, for the faction and anyone affiliated with it at the time."),
            *DATE_RANGE,
            _query("status", "Only contradictions with this status.",
                   {"type": "string", "enum": list(values.ContradictionStatus)}),
            _query("section", "With after=: the next page of this section only (from a `next` link).",
                   {"type": "string", "enum": ["contradictions", "stance_conflicts", "mutual_accusations"]}),
            _query("after", "The cursor of a `next` link."),
            _query("format", "json (default): a page per section; csv or md: every entry, streamed.",
                   {"type": "string", "enum": ["json", "csv", "md"]}),
        ],
        "responses": {"200": {"description": "The report.", "content": content}, **problem_responses(401, 403, 422)},
    }}


def export_path(formats: dict[str, str], entities: list[str]) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": ref("ExportDocument")}}
    if "csv" in formats:
        content["text/csv"] = {"schema": {"type": "string"}}
    if "claimreview" in formats:
        content["application/ld+json"] = {"schema": {"type": "object"}}
    parameters = [_query("format", "; ".join(f"{k}: {v}" for k, v in formats.items()),
                         {"type": "string", "enum": list(formats), "default": "json"})]
    if entities:
        parameters.append(_query("entity", "With format=csv: which records.", {"type": "string", "enum": entities}))
    return {"get": {
        "operationId": "export", "tags": ["export"], "summary": "Export the database",
        "description": "Streamed; the same bytes as `claimdb export`.", "parameters": parameters,
        "responses": {"200": {"description": "The export.", "content": content}, **problem_responses(401, 403, 422)},
    }}


def export_document_schema(sections: list[str]) -> dict[str, Any]:
    properties: dict[str, Any] = {"format": {"const": "claimdb/1"}}
    for section in sections:
        properties[section] = {"type": "array", "items": {"type": "object"},
                               "description": f"Every {section[:-1]} in the API's read shape, without version."}
    return {"type": "object", "title": "ExportDocument", "description": "The claimdb/1 document.",
            "properties": properties, "required": ["format", *sections]}


def extra_paths(builder: Builder, routes: set[str]) -> dict[str, Any]:
    """The paths for whichever of these routes the app has."""
    paths: dict[str, Any] = {}
    if "/search" in routes:
        paths["/search"] = search_path(builder)
    if "/reports/contradictions" in routes:
        paths["/reports/contradictions"] = report_path(builder)
    if "/export" in routes:
        builder.schemas["ExportDocument"] = export_document_schema(list(SECTIONS))
        paths["/export"] = export_path(exports.FORMATS, exports.CSV_ENTITIES)
    paths.update(suggestions.openapi_paths(builder, routes))
    return paths
