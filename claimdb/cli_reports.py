"""`claimdb reports …`: upkeep of the contradiction report's tables."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from claimdb.cli import cli
from claimdb.db import db
from claimdb.models.report_tables import ReportAccusationEdge, ReportClaim, ReportContradiction, ReportMutualPair
from claimdb.services.reports import tables


@cli.group("reports")
def reports() -> None:
    """The contradiction report's maintained tables."""


@reports.command("rebuild")
@with_appcontext
def rebuild() -> None:
    """Recompute the report tables from scratch in one transaction (every write keeps them up to date;
    use this after changing rows outside claimdb)."""
    session = db.session()
    started = time.perf_counter()
    tables.rebuild(session)
    session.commit()
    counts = {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
              for model in (ReportClaim, ReportContradiction, ReportAccusationEdge, ReportMutualPair)}
    click.echo(f"Rebuilt the report tables in {time.perf_counter() - started:.1f}s: "
               + ", ".join(f"{name} {n:,} rows" for name, n in counts.items()) + ".")
