"""Every offered sort of every list reads its pages off an index: the plan of a page's id query (the first
page, a page by ?page=, a page after a cursor; both directions) never sorts the table. SQLite's plans
are checked as they are; PostgreSQL's with sequential scans and sorts priced out (a test table is too
small for its planner to prefer an index otherwise), so a Sort node there means no index serves the
order (benchmarks/lists.py --explain checks the real plans at a million statements)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import select, text, tuple_

from claimdb.db import db
from claimdb.services.paging import SortKey
from claimdb.services.records.registry import RESOURCES

SAMPLE = {str: "x", int: 1, dt.date: dt.date(2015, 3, 1)}  # a cursor's sort value, by column type


def sort_keys() -> list[tuple[str, SortKey]]:
    keys = []
    for plural, resource in RESOURCES.items():
        for name in ["id", *resource.sorts]:
            for sort in (name, f"-{name}"):
                column = None if name == "id" else resource.sorts[name]
                nullable = column is not None and getattr(getattr(column, "expression", column), "nullable", False)
                keys.append((plural, SortKey(sort, resource.model.id, column, sort.startswith("-"), bool(nullable))))
    return keys


def page_queries(key: SortKey) -> list[Any]:
    ids = select(key.id) if key.column is None else select(key.id, key.column)
    queries = []
    for segment in key.segments(ids):
        queries += [segment.limit(51), segment.limit(51).offset(100)]
        if key.column is not None:
            value = SAMPLE[key.column.type.python_type]
            queries.append(segment.where(key._after(tuple_(key.column, key.id), tuple_(value, 1))).limit(51))
    return queries


def test_every_list_sort_reads_its_pages_off_an_index(app: Flask) -> None:
    with app.app_context():
        session = db.session
        dialect = session.get_bind().dialect
        if dialect.name == "postgresql":
            session.execute(text("SET LOCAL enable_seqscan = off"))
            session.execute(text("SET LOCAL enable_sort = off"))
        sorted_rows = []
        for plural, key in sort_keys():
            for query in page_queries(key):
                sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                if dialect.name == "sqlite":
                    found = " | ".join(str(r[-1]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
                    sorts = "TEMP B-TREE" in found
                else:
                    found = " | ".join(r[0] for r in session.execute(text("EXPLAIN " + sql)))
                    sorts = " Sort " in f" {found.replace('->', ' ')} "
                if sorts:
                    sorted_rows.append((plural, key.sort, found))
        session.rollback()
        assert not sorted_rows, (sorted({(p, s) for p, s, _ in sorted_rows}), sorted_rows[:1])
