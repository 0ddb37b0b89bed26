"""GET /export: the whole database, streamed, in the formats other tools read."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, current_app, stream_with_context

from claimdb.api import bp
from claimdb.api.wire import query_args, session
from claimdb.errors import Invalid
from claimdb.services.exchange import exports as export_service

FORMATS = {
    "json": "the claimdb/1 document (default)",
    "csv": "one record kind (entity=) as CSV, UTF-8 with a BOM for Excel",
    "claimreview": "schema.org ClaimReview JSON-LD for every reviewed claim",
}
CSV_ENTITIES = list(export_service.CSV_ENTITIES)


@bp.get("/export", endpoint="export")
def export() -> Response:
    """Stream an export; the same bytes as `claimdb export --format …`, never all in memory."""
    args = query_args()
    fmt = args.get("format") or "json"
    entity = args.get("entity") or ""
    if fmt not in FORMATS:
        raise Invalid({"format": f"Choose one of: {', '.join(FORMATS)}."})
    if fmt == "csv" and entity not in CSV_ENTITIES:
        raise Invalid({"entity": f"With format=csv, choose one of: {', '.join(CSV_ENTITIES)}."})
    chunks: Iterator[str]
    if fmt == "csv":
        chunks, mimetype, filename = export_service.csv_chunks(session(), entity), "text/csv", f"claimdb-{entity}.csv"
    elif fmt == "claimreview":
        author = current_app.config.get("CLAIMREVIEW_AUTHOR")
        chunks = export_service.claimreview_chunks(session(), author=author)
        mimetype, filename = "application/ld+json", "claimdb-claimreview.jsonld"
    else:
        chunks = export_service.document_chunks(session())
        mimetype, filename = "application/json", "claimdb-export.json"
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
