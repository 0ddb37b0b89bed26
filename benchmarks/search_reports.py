"""Search and contradiction-report medians at two data sizes, and how much they grow.

Generates data with the acceptance checks' gen_scale.py (same seed, same shape), imports it with
the real import service, then times the same calls the acceptance `scale` probe makes, through the
app (routing, token auth and JSON included, HTTP server excluded). Prints medians in ms and the
growth ratio per call; the acceptance check wants at most 2x growth for 10x data.

Also times list pages deep in the statement and claim lists, by ?page= (ids off the sort index,
then the page by id) and by following `next` (an ?after= keyset cursor; `*_after2000` is the
cursor a client holds after 1,999 pages), prints p95 next to each median, and the same answers
straight from SQL (one query, no app) for the ratio claimdb / raw SQL. --reuse times the databases
(SQLite files or PostgreSQL databases) a previous run imported.

Usage:
  .venv/bin/python benchmarks/search_reports.py [--sizes 100000 1000000] [--rounds 15] [--reuse]
      [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--work DIR]
With --database-url, a fresh database per size is created next to the one named (PostgreSQL).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import create_engine, make_url, pool, text

from claimdb import create_app, migrate
from claimdb.db import db, normalize_url
from claimdb.services import users
from claimdb.services.exchange import document_import

GEN_SCALE = Path("/work/shared/acceptance/gen_scale.py")


def generate(n: int, work: Path) -> Path:
    path = work / f"scale{n}.json"
    if not path.exists():
        with path.open("w") as out:
            subprocess.run([sys.executable, str(GEN_SCALE), str(n)], stdout=out, check=True)
    return path


def database(n: int, work: Path, base_url: str | None, reuse: bool = False) -> str:
    if not base_url:
        target = work / f"scale{n}.sqlite3"
        if not reuse:
            target.unlink(missing_ok=True)
        return f"sqlite:///{target}"
    admin = normalize_url(base_url)
    name = f"claimdb_bench_{n}_{uuid.uuid4().hex[:6]}"
    engine = create_engine(admin, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def calls(doc: dict[str, Any], cursors: dict[str, str]) -> dict[str, Any]:
    """The acceptance probe's calls (scale_probe.py), drawn from the file with its seed; `cursors`:
    the `next` links (path?query) that list pages 1,999 gave."""
    rng = random.Random(3)
    people = [a for a in doc["actors"] if a["kind"] == "person"][:200]
    factions = [a for a in doc["actors"] if a["kind"] == "faction"][:5]
    return {
        "speaker": lambda: ("/api/v1/search", {"speaker": rng.choice(people)["name"]}),
        "speaker_alias": lambda: ("/api/v1/search", {"speaker": rng.choice(people)["aliases"][1]["name"]}),
        "faction": lambda: ("/api/v1/search", {"faction": rng.choice(factions)["name"]}),
        "fulltext": lambda: ("/api/v1/search", {"q": rng.choice(["convoy", "ceasefire negotiations", "hospital",
                                                                 "drone tanks"])}),
        "fulltext_speaker": lambda: ("/api/v1/search", {"q": "convoy", "speaker": rng.choice(people)["name"]}),
        "report_actor": lambda: ("/api/v1/reports/contradictions", {"actor": rng.choice(people)["name"]}),
        "report_faction": lambda: ("/api/v1/reports/contradictions", {"faction": rng.choice(factions)["name"]}),
        "search_page": lambda: ("/search", {"q": "convoy", "faction": rng.choice(factions)["name"]}),
        "report_page": lambda: ("/reports/contradictions", {"faction": rng.choice(factions)["name"]}),
        "list_api_page2000": lambda: ("/api/v1/statements", {"page": 2000}),
        "list_api_after2000": lambda: split(cursors["api"]),
        "list_web_after2000": lambda: split(cursors["web"]),
        "list_api_speaker_after2000": lambda: split(cursors["api_speaker"]),
        "list_api_sort_speaker": lambda: ("/api/v1/statements", {"page": rng.randint(100, 2000), "sort": "speaker"}),
        "list_web_page2000": lambda: ("/statements", {"page": 2000}),
        "list_claims_occurred": lambda: ("/api/v1/claims", {"page": rng.randint(100, 2000), "sort": "-occurred"}),
    }


def split(url: str) -> tuple[str, dict[str, str]]:
    path, _, query = url.partition("?")
    return path, dict(parse_qsl(query))


def cursors(client: Any, headers: dict[str, str]) -> dict[str, str]:
    """The `next` links of page 1,999: what a client following `next` holds when it asks for page 2,000."""
    found = {"api": client.get("/api/v1/statements?page=1999", headers=headers).get_json()["next"]
             or "/api/v1/statements?page=2000",
             "api_speaker": client.get("/api/v1/statements?page=1999&sort=speaker", headers=headers).get_json()["next"]
             or "/api/v1/statements?page=2000&sort=speaker"}
    page = client.get("/statements?page=1999").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" rel="next">', page)
    found["web"] = html.unescape(link.group(1)) if link else "/statements?page=2000"
    return found


# The same answers straight from the database, one query each, for the ratio "claimdb / raw SQL".
RAW = {
    "speaker": "SELECT s.id, s.text, s.stated, a.name, src.title FROM statement s JOIN actor a ON a.id = s.speaker_id "
               "JOIN source src ON src.id = s.source_id WHERE a.normalized = :name "
               "ORDER BY s.stated DESC, s.id DESC LIMIT 50",
    "list_api_page2000": "SELECT * FROM statement ORDER BY stated DESC, id DESC LIMIT 50 OFFSET 99950",
    # page 2,000 by keyset, from the last row of page 1,999 (looked up once, not timed)
    "list_api_after2000": "SELECT * FROM statement WHERE (stated, id) < (:stated, :id) "
                          "ORDER BY stated DESC, id DESC LIMIT 50",
}
LAST_OF_1999 = "SELECT stated, id FROM statement ORDER BY stated DESC, id DESC LIMIT 1 OFFSET 99949"


def raw_medians(url: str, doc: dict[str, Any], rounds: int) -> dict[str, float]:
    from claimdb.normalize import normalize_name

    rng = random.Random(3)
    people = [a for a in doc["actors"] if a["kind"] == "person"][:200]
    engine = create_engine(normalize_url(url))
    out = {}
    with engine.connect() as conn:
        last = conn.execute(text(LAST_OF_1999)).one()
        for name, sql in RAW.items():
            times = []
            for n in range(rounds + 3):
                params = {"name": normalize_name(rng.choice(people)["name"])} if ":name" in sql else {}
                if ":stated" in sql:
                    params = {"stated": last.stated, "id": last.id}
                t = time.perf_counter()
                conn.execute(text(sql), params).all()
                if n >= 3:
                    times.append((time.perf_counter() - t) * 1000)
            out[name] = round(statistics.median(times), 2)
    engine.dispose()
    return out


def run_size(n: int, work: Path, base_url: str | None, rounds: int, reuse: bool = False,
             only: list[str] | None = None) -> dict[str, Any]:
    path = generate(n, work)
    kept = work / f"scale{n}.{'pg' if base_url else 'sqlite'}.url"
    reuse = reuse and kept.exists()
    url = kept.read_text() if reuse else database(n, work, base_url, reuse)
    kept.write_text(url)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(work / "instance"),
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        if not reuse:
            t0 = time.perf_counter()
            document_import.import_file(db.session, str(path))
            print(f"  {n}: imported in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
            if base_url:  # autovacuum analyzes a fresh bulk load only later; plans before that are guesses
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        user = users.create_user(db.session, f"bench{uuid.uuid4().hex[:8]}", "pw-bench-1234", "viewer")
        token = users.create_token(db.session, user)
        user_name = user.username
    client = app.test_client()
    client.post("/login", data={"username": user_name, "password": "pw-bench-1234"})
    headers = {"Authorization": f"Bearer {token}"}
    with path.open() as f:
        doc = json.load(f)
    medians, p95 = {}, {}
    for name, make in calls(doc, cursors(client, headers)).items():
        if only and name not in only:
            continue
        times = []
        for _ in range(3):  # warm up: compiled-statement and template caches, the page cache
            route, params = make()
            client.get(route, query_string=params, headers=headers if route.startswith("/api/") else {})
        for _ in range(rounds):
            route, params = make()
            t = time.perf_counter()
            response = client.get(route, query_string=params, headers=headers if route.startswith("/api/") else {})
            times.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name} {params} -> {response.status_code} {response.get_data(as_text=True)[:300]}")
        medians[name] = round(statistics.median(times), 1)
        p95[name] = round(statistics.quantiles(times, n=20)[-1], 1)
    with app.app_context():
        db.engine.dispose()
    raw = raw_medians(url, doc, rounds)
    return {"median": medians, "p95": p95, "raw_sql": raw,
            "over_raw": {k: round(medians[k] / max(v, 0.01), 1) for k, v in raw.items() if k in medians}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000],
                        help="small and large statement counts")
    parser.add_argument("--rounds", type=int, default=15, help="timed calls per query type")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite files in --work)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimdb-bench"), help="where data files go")
    parser.add_argument("--reuse", action="store_true", help="time the databases a previous run imported")
    parser.add_argument("--only", nargs="+", help="time only these calls (names as printed)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    small, big = (run_size(n, args.work, args.database_url, args.rounds, args.reuse, args.only) for n in args.sizes)
    ratios = {k: round(big["median"][k] / max(small["median"][k], 0.1), 2) for k in small["median"]}
    engine = "postgresql" if args.database_url else "sqlite"
    print(json.dumps({"engine": engine, "sizes": args.sizes, str(args.sizes[0]): small, str(args.sizes[1]): big,
                      "growth": ratios, "over_2x": [k for k, r in ratios.items() if r > 2.0]}, indent=1))


if __name__ == "__main__":
    main()
