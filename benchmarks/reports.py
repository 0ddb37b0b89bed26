"""The contradiction report at scale: every report call at two sizes, against its own SQL.

Builds (or, with --reuse, reuses) databases of the acceptance generator's data (gen_scale.py) with
the real import, then times each report call through the app (routing, token auth, JSON; no HTTP
server): median and p95 in ms, growth from the small size to the large one, and the ratio of the
call to the raw SQL it ran (the same statements with the same parameters, re-executed on the
driver's cursor), so the Python share is visible. The full CSV download is timed once per size,
with the process's peak memory.

Usage:
  .venv/bin/python benchmarks/reports.py [--sizes 100000 1000000] [--rounds 15] [--reuse]
      [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--work DIR] [--csv]
SQLite files live in --work; with --database-url, databases named claimdb_reports_N are made
next to the one named (and kept for --reuse).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url, pool, select, text

from claimdb import create_app, migrate
from claimdb.db import db, normalize_url
from claimdb.models import Actor
from claimdb.services import users
from claimdb.services.exchange import document_import

sys.path.insert(0, str(Path(__file__).parent))
from search_reports import generate

REPORT = "/api/v1/reports/contradictions"


def database(n: int, work: Path, base_url: str | None, reuse: bool) -> tuple[str, bool]:
    """(url, whether it already holds the data)."""
    if not base_url:
        target = work / f"reports{n}.sqlite3"
        if not reuse:
            target.unlink(missing_ok=True)
        return f"sqlite:///{target}", reuse and target.exists()
    admin = normalize_url(base_url)
    name = f"claimdb_reports_{n}"
    engine = create_engine(admin, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is not None
        if exists and not reuse:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if not (exists and reuse):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False), exists and reuse


def calls(names: dict[str, list[str]], first: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(3)
    nxt = first["next"]
    out = {
        "first_page": lambda: (REPORT, {}),
        "next_contradictions": lambda: (nxt["contradictions"], None),
        "next_stance_conflicts": lambda: (nxt["stance_conflicts"], None),
        "next_mutual_accusations": lambda: (nxt["mutual_accusations"], None),
        "actor": lambda: (REPORT, {"actor": rng.choice(names["person"])}),
        "faction": lambda: (REPORT, {"faction": rng.choice(names["faction"])}),
        "faction_ambiguous_a": lambda: (REPORT, {"faction": "a"}),
        "actor_ambiguous_person": lambda: (REPORT, {"actor": "person"}),
        "year": lambda: (REPORT, {"from": "2015", "to": "2015"}),
        "day": lambda: (REPORT, {"from": "2015-03-01", "to": "2015-03-01"}),
        "faction_year": lambda: (REPORT, {"faction": rng.choice(names["faction"]), "from": "2014", "to": "2016"}),
        "status_resolved": lambda: (REPORT, {"status": "resolved"}),
        "web_page": lambda: ("/reports/contradictions", {}),
    }
    return {k: v for k, v in out.items() if not k.startswith("next_") or nxt[k.removeprefix("next_")]}


def run_size(n: int, work: Path, base_url: str | None, rounds: int, reuse: bool, with_csv: bool) -> dict[str, Any]:
    url, ready = database(n, work, base_url, reuse)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(work / "instance"),
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        if not ready:
            path = generate(n, work)
            t0 = time.perf_counter()
            document_import.import_file(db.session, str(path))
            print(f"  {n}: imported (report tables included) in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            if base_url:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        names = {kind: list(db.session.scalars(select(Actor.name).where(Actor.kind == kind).order_by(Actor.id)
                                               .limit(200))) for kind in ("person", "faction")}
        user = users.create_user(db.session, f"bench{uuid.uuid4().hex[:8]}", "pw-bench-1234", "viewer")
        token = users.create_token(db.session, user)
        username = user.username
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "pw-bench-1234"})
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get(REPORT, headers=headers).get_json()
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    results: dict[str, Any] = {}
    for name, make in calls(names, first).items():
        times, sql_times, queries = [], [], 0
        for round_ in range(rounds + 3):  # 3 warm-ups: statement caches, the page cache
            route, params = make()
            captured.clear()
            event.listen(engine, "before_cursor_execute", capture)
            t = time.perf_counter()
            got = client.get(route, query_string=params, headers=headers if route.startswith("/api/") else {})
            elapsed = (time.perf_counter() - t) * 1000
            event.remove(engine, "before_cursor_execute", capture)
            if got.status_code != 200:
                raise SystemExit(f"{name} {params} -> {got.status_code} {got.get_data(as_text=True)[:300]}")
            if round_ < 3:
                continue
            times.append(elapsed)
            queries = len(captured)
            sql_times.append(raw_sql_ms(engine, captured))
        times.sort()
        median, sql = statistics.median(times), statistics.median(sql_times)
        results[name] = {"median": round(median, 1), "p95": round(times[int(0.95 * (len(times) - 1))], 1),
                         "sql": round(sql, 1), "x_sql": round(median / max(sql, 0.01), 2), "queries": queries}
        print(f"  {n} {name}: {results[name]}", file=sys.stderr)
    if with_csv:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        got = client.get(REPORT, query_string={"format": "csv"}, headers=headers)
        size = sum(len(chunk) for chunk in got.response)
        results["csv_all"] = {"seconds": round(time.perf_counter() - t, 1), "mb": round(size / 1e6, 1),
                              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
                              "rss_before_mb": round(before / 1024, 0)}
        print(f"  {n} csv_all: {results['csv_all']}", file=sys.stderr)
    with app.app_context():
        db.engine.dispose()
    return results


def raw_sql_ms(engine: Any, statements: list[tuple[str, Any]]) -> float:
    """The same statements with the same parameters on a raw DBAPI cursor, rows fetched."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        t = time.perf_counter()
        for statement, parameters in statements:
            if statement.split(None, 1)[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT"):
                continue
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        elapsed = (time.perf_counter() - t) * 1000
        raw.rollback()
        return elapsed
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000], help="small and large sizes")
    parser.add_argument("--rounds", type=int, default=15, help="timed calls per kind")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite files in --work)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimdb-bench11"), help="data and SQLite files")
    parser.add_argument("--reuse", action="store_true", help="time the databases a previous run built")
    parser.add_argument("--csv", action="store_true", help="also time the full CSV download once per size")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    small, big = (run_size(n, args.work, args.database_url, args.rounds, args.reuse, args.csv) for n in args.sizes)
    growth = {k: round(big[k]["median"] / max(small[k]["median"], 0.1), 2) for k in small if "median" in small[k]}
    print(json.dumps({"engine": "postgresql" if args.database_url else "sqlite", "sizes": args.sizes,
                      str(args.sizes[0]): small, str(args.sizes[1]): big, "growth": growth,
                      "over_1.5x": [k for k, r in growth.items() if r > 1.5]}, indent=1))


if __name__ == "__main__":
    main()
