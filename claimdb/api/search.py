"""GET /api/v1/search and /api/v1/reports/contradictions: the same services as the pages."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, jsonify, stream_with_context, url_for

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


def next_urls(report: reports.Report, endpoint: str) -> dict[str, str | None]:
    """Each section's next page as a path with the same filters (None when the section is complete)."""
    return {section: url_for(endpoint) + "?" + urlencode(report.filters.page_args(section, cursor)) if cursor
            else None for section, cursor in report.next.items()}


def download(filters: reports.ReportFilters, fmt: str) -> Response:
    """The whole report as a streamed CSV or Markdown attachment (shared with the web page)."""
    chunks, content_type, filename = report_formats.download(session(), filters, fmt)
    response = Response(stream_with_context(chunks), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["contradiction_report", "download", "next_urls", "search_statements"]
