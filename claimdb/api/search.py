"""GET /api/v1/search and /api/v1/reports/contradictions: the same services as the pages."""

from __future__ import annotations

from flask import Response, jsonify

from claimdb.api import bp
from claimdb.api.wire import next_url, page_from_args, query_args, session
from claimdb.errors import Invalid
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports import formats as report_formats
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
    """The report as JSON, or with ?format=csv|md as a download."""
    args = query_args()
    fmt = args.get("format") or "json"
    if fmt not in FORMATS:
        raise Invalid({"format": "Choose json, csv or md."})
    report = reports.contradiction_report(session(), reports.ReportFilters.from_args(args))
    if fmt == "json":
        return jsonify(report.json())
    return download(report, fmt)


def download(report: reports.Report, fmt: str) -> Response:
    """A CSV or Markdown attachment of the report (shared with the web page)."""
    body, content_type, filename = report_formats.download(report, fmt)
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["contradiction_report", "download", "search_statements"]
