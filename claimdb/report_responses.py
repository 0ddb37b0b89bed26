"""The contradiction report's HTTP answers that the page and the API give alike: the streamed
CSV/Markdown download and each section's link to its next page.

Both faces import this; neither imports the other.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, stream_with_context, url_for

from claimdb.db import db
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports import formats as report_formats


def next_urls(report: reports.Report, endpoint: str) -> dict[str, str | None]:
    """Each section's next page as a path with the same filters (None when the section is complete)."""
    return {section: url_for(endpoint) + "?" + urlencode(report.filters.page_args(section, cursor)) if cursor
            else None for section, cursor in report.next.items()}


def download(filters: reports.ReportFilters, fmt: str) -> Response:
    """The whole report as a streamed CSV or Markdown attachment."""
    chunks, content_type, filename = report_formats.download(db.session(), filters, fmt)
    response = Response(stream_with_context(chunks), content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
