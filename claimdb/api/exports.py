"""GET /export: the whole database, streamed, in the formats other tools read."""

from __future__ import annotations

from flask import Response, stream_with_context

from claimdb.api import bp
from claimdb.api.wire import query_args, session
from claimdb.errors import Invalid
from claimdb.services import transfer

SECTIONS = transfer.SECTIONS
FORMATS = {"json": "the claimdb/1 document (default)"}
CSV_ENTITIES: list[str] = []


@bp.get("/export", endpoint="export")
def export() -> Response:
    """Stream the export; the same bytes as `claimdb export --format json`, never all in memory."""
    args = query_args()
    fmt = args.get("format") or "json"
    if fmt not in FORMATS:
        raise Invalid({"format": f"Choose one of: {', '.join(FORMATS)}."})
    response = Response(stream_with_context(transfer.export_chunks(session())), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="claimdb-export.json"'
    return response
