"""The contradiction report's filtered pages start from the filter's claims, not from the weight index.

With an actor, a faction or a narrow date range, the first page counts its section with COUNT(*) OVER ()
over every entry in scope; ordered by the indexed weight, PostgreSQL walked that index under the LIMIT
and probed every entry against the scope (1.2 s for a faction at 100k statements, minutes at 1M).
Ordered by `weight + 0` (the same order) it starts from the scope's claims and sorts the few found.
Unfiltered pages keep walking the index: there the order is the whole work."""

from __future__ import annotations

import re
from typing import Any

from test_reports_pages import document

from claimdb.db import db
from claimdb.services.exchange import document_import
from claimdb.services.reports import contradictions as reports
from claimdb.services.reports.contradictions import ReportFilters

from search_data import query_counter

WALKED = re.compile(r"ORDER BY report_(claim\.conflict_weight|contradiction\.weight) DESC")
SORTED = re.compile(r"ORDER BY report_(claim\.conflict_weight|contradiction\.weight) \+ \S+ DESC")


def report_sql(args: dict[str, str]) -> tuple[list[str], Any]:
    with query_counter(db.session) as seen:
        report = reports.contradiction_report(db.session, ReportFilters.from_args(args))
    return [" ".join(s.split()) for s in seen], report


def test_filtered_pages_sort_what_the_filter_finds_and_unfiltered_pages_walk_the_index(app: Any) -> None:
    with app.app_context():
        document_import.import_document(db.session, document())
        unfiltered, _ = report_sql({})
        assert len([s for s in unfiltered if WALKED.search(s)]) == 2
        assert not any(SORTED.search(s) for s in unfiltered)
        for args in ({"faction": "Faction 0"}, {"actor": "Person 1"}, {"from": "2015", "to": "2015"}):
            filtered, report = report_sql(args)
            assert report.stance_conflicts and report.contradictions, args
            assert len([s for s in filtered if SORTED.search(s)]) == 2, args
            assert not any(WALKED.search(s) for s in filtered), args


def test_a_wide_date_range_probes_its_candidates_one_by_one(app: Any, monkeypatch: Any) -> None:
    """A date range too wide to drive the query is checked entry by entry (EXISTS per candidate, in
    index order, within PROBE_BUDGET). Each EXISTS carries OFFSET 0: otherwise PostgreSQL may hash a
    whole year's claims first (0.8 to 1.3 s per section at 1M statements)."""
    monkeypatch.setattr(reports, "DENSE", 0)
    with app.app_context():
        document_import.import_document(db.session, document())
        seen, report = report_sql({"from": "2015", "to": "2015"})
    assert report.stance_conflicts and report.contradictions
    probes = [s for s in seen if "EXISTS (SELECT statement_claim.statement_id" in s]
    assert probes
    for sql in probes:
        assert sql.count("EXISTS (SELECT statement_claim.statement_id") <= sql.count(" OFFSET "), sql
