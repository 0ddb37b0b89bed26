"""GET /api/v1/search and /api/v1/reports/contradictions: the same services as the pages."""

from __future__ import annotations

from flask import Response, jsonify

from claimdb.api import bp
from claimdb.api.wire import next_url, page_from_args, query_args, session
from claimdb.errors import Invalid
from claimdb.report_responses import download, next_urls
from claimdb.services.reports import contradictions as reports
from claimdb.services.search import statements as search
from claimdb.services.search.statements import SearchFilters

FORMATS = ("json", "csv", "md")


@bp.get("/search")
def search_statements() -> Response:
    """The list envelope of STMT rows, plus what speaker= and faction= resolved to."""
    args = query_args()
    page = page_from_args(args)
    found = search.search(session(), SearchFilters.from_args(args), page, facets=args.get("facets") == "1")
    body = {"items": list(found.results.items), "total": found.results.total, "next": next_url(found.results),
            "total_capped": found.total_capped, "resolved": found.resolved_json(), "notes": found.notes}
    if found.facets is not None:
        body["facets"] = found.facets
    return jsonify(body)


@bp.get("/reports/contradictions")
def contradiction_report() -> Response:
    """A page of each section as JSON with a `next` link per section, or with ?format=csv|md every
    entry as a streamed download."""
    args = query_args()
    fmt = args.get("format") or "json"
    if fmt not in FORMATS:
        raise Invalid({"format": "Choose json, csv or md."})
    filters = reports.ReportFilters.from_args(args)
    if fmt != "json":
        return download(filters, fmt)
    report = reports.contradiction_report(session(), filters)
    return jsonify(report.json(next_urls(report, "api.contradiction_report")))


__all__ = ["contradiction_report", "search_statements"]
