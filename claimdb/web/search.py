"""The /search page and the printable /reports/contradictions page (with CSV and Markdown downloads)."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from claimdb import auth
from claimdb.errors import Invalid
from claimdb.models import values
from claimdb.report_responses import download, next_urls
from claimdb.services.paging import Page
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports import formats as report_formats
from claimdb.services.search import fulltext
from claimdb.services.search import statements as search
from claimdb.services.search.statements import SearchFilters
from claimdb.web import bp, pictures
from claimdb.web.editing import session

REPORT_FORMATS = ("html", "csv", "md")


@bp.get("/search")
@auth.require("viewer")
def search_page() -> ResponseReturnValue:
    """The search form and, unless its input is refused, one page of ranked results with facets."""
    args = request.args.to_dict()
    found, errors = None, {}
    try:
        page = Page.from_args(args, current_app.config, default_size=25)
        found = search.search(session(), SearchFilters.from_args(args), page, facets=True)
    except Invalid as e:
        errors = e.errors
    html = render_template("search/index.html", args=args, found=found, errors=errors, highlight=fulltext.highlight,
                           values=values)
    return html, 422 if errors else 200


@bp.get("/reports/contradictions")
@auth.require("viewer")
def contradiction_report_page() -> ResponseReturnValue:
    """The report to print or hand over, a page per section with "more" links; ?format=csv|md
    downloads every entry."""
    args = request.args.to_dict()
    fmt = args.get("format") or "html"
    report, errors = None, {}
    try:
        if fmt not in REPORT_FORMATS:
            raise Invalid({"format": "Choose html, csv or md."})
        filters = reports.ReportFilters.from_args(args)
        if fmt in ("csv", "md"):
            return download(filters, fmt)
        report = reports.contradiction_report(session(), filters)
    except Invalid as e:
        errors = e.errors
    network = pictures.accusation_network_svg(report.edges) if report is not None else None
    more = next_urls(report, "web.contradiction_report_page") if report is not None else {}
    html = render_template("reports/contradictions.html", args=args, report=report, errors=errors, network=network,
                           more=more, chain_text=report_formats.chain_text, values=values)
    return html, 422 if errors else 200
