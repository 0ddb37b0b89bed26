"""Every list, API and web, on databases built by reports.py or search_reports.py (issue 11: any page ≤ 20 ms).

For each of the seven nouns and each offered sort (the default first): the first page, a page deep in
reached by following `next` (the ?after= cursor a client holds after page DEEP-1), and an explicit
?page=DEEP, where DEEP is 2,000 or, for shorter lists, the next-to-last page. Each call is timed
through the app (routing, bearer token for the API, a signed-in session for the pages; no HTTP
server) after warm-ups: median and p95 of wall time, median CPU time of the calling thread
(`time.thread_time()`: on SQLite it includes the database work, on PostgreSQL only the app's), and
the number of SQL statements. The load average is printed with the table: on a shared machine the
CPU column is the robust figure.

--dump DIR writes each call's body (CSRF tokens blanked) so two commits can be compared byte for
byte on the same database (`diff -r`). --explain DIR (PostgreSQL) writes EXPLAIN ANALYZE of every
statement each call runs and prints the calls whose plans sort rows or scan a whole table.

Usage:
  .venv/bin/python benchmarks/lists.py --database-url sqlite:////work/bench/reports1000000.sqlite3
  .venv/bin/python benchmarks/lists.py --database-url postgresql://postgres@127.0.0.1:5432/claimdb_reports_1000000 \
      [--rounds 15] [--only statements claims] [--faces api web] [--dump DIR] [--explain DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import event, func, select

from claimdb import create_app
from claimdb.db import db
from claimdb.errors import DomainError
from claimdb.services import users
from claimdb.services.records.registry import RESOURCES

USERNAME, PASSWORD = "listbench", "pw-listbench-1234"
CSRF = re.compile(r'(name="csrf_token" value=")[^"]*(")|(<meta name="csrf-token" content=")[^"]*(")')
NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next">')


def sign_in(app: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A test client signed in as a viewer (the same user every run, so pages compare equal), and a
    client without a session for the API with that user's token (as an API client calls it)."""
    with app.app_context():
        try:
            users.create_user(db.session, USERNAME, PASSWORD, "viewer")
        except DomainError:
            db.session.rollback()
        user = users.find_user(db.session, USERNAME)
        assert user is not None
        token = users.create_token(db.session, user)
    client = app.test_client()
    client.post("/login", data={"username": USERNAME, "password": PASSWORD})
    return {"web": client, "api": app.test_client()}, {"Authorization": f"Bearer {token}"}


def split(url: str) -> tuple[str, dict[str, str]]:
    path, _, query = url.partition("?")
    return path, dict(parse_qsl(query))


def next_of(clients: dict[str, Any], headers: dict[str, str], face: str, path: str,
            params: dict[str, Any]) -> str | None:
    """The `next` link (path?query) of one page, as the API gives it or the web pager links it."""
    got = clients[face].get(path, query_string=params, headers=headers if face == "api" else {})
    if face == "api":
        return got.get_json()["next"]
    link = NEXT_LINK.search(got.get_data(as_text=True))
    return html.unescape(link.group(1)) if link else None


def plan(app: Any, clients: dict[str, Any], headers: dict[str, str], nouns: list[str],
         faces: list[str]) -> list[dict[str, Any]]:
    """The calls to time: (face, noun, sort, which page) with its path and query."""
    sizes = {"api": {n: app.config["PER_PAGE"] for n in RESOURCES}}
    from claimdb.services.pages.lists import SPECS

    sizes["web"] = {n: SPECS[n].default_size or app.config["PER_PAGE"] for n in RESOURCES}
    with app.app_context():
        counts = {n: db.session.scalar(select(func.count()).select_from(r.model)) or 0 for n, r in RESOURCES.items()}
    out = []
    for face in faces:
        for noun in nouns:
            resource = RESOURCES[noun]
            path = f"/api/v1/{noun}" if face == "api" else f"/{noun}"
            pages = max(1, -(-counts[noun] // sizes[face][noun]))
            deep = min(2000, max(2, pages - 1))
            for sort in [None, *[s for s in ["id", *resource.sorts] if s != resource.default_sort.lstrip("-")]]:
                base = {"sort": sort} if sort else {}
                label = sort or f"{resource.default_sort} (default)"
                out.append({"face": face, "noun": noun, "sort": label, "page": "first", "path": path, "params": base})
                cursor = next_of(clients, headers, face, path, {**base, "page": deep - 1})
                if cursor:
                    cpath, cparams = split(cursor)
                    out.append({"face": face, "noun": noun, "sort": label, "page": f"next→{deep}",
                                "path": cpath, "params": cparams})
                out.append({"face": face, "noun": noun, "sort": label, "page": f"page={deep}", "path": path,
                            "params": {**base, "page": deep}})
    return out


def time_calls(app: Any, clients: dict[str, Any], headers: dict[str, str], calls: list[dict[str, Any]], rounds: int,
               dump: Path | None) -> list[dict[str, Any]]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(*_: Any) -> None:
        statements.append("")

    rows = []
    for call in calls:
        hdrs = headers if call["face"] == "api" else {}
        client = clients[call["face"]]
        for _ in range(3):  # warm up: statement and template caches, the database's pages
            client.get(call["path"], query_string=call["params"], headers=hdrs)
        walls, cpus = [], []
        event.listen(engine, "before_cursor_execute", count)
        body = b""
        for _ in range(rounds):
            statements.clear()
            t, c = time.perf_counter(), time.thread_time()
            got = client.get(call["path"], query_string=call["params"], headers=hdrs)
            body = got.get_data()
            cpus.append((time.thread_time() - c) * 1000)
            walls.append((time.perf_counter() - t) * 1000)
            if got.status_code != 200:
                raise SystemExit(f"{call} -> {got.status_code} {got.get_data(as_text=True)[:300]}")
        event.remove(engine, "before_cursor_execute", count)
        walls.sort()
        row = {k: call[k] for k in ("face", "noun", "sort", "page")}
        row |= {"median": round(statistics.median(walls), 1), "p95": round(walls[int(0.95 * (len(walls) - 1))], 1),
                "cpu": round(statistics.median(cpus), 1), "queries": len(statements), "bytes": len(body)}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
        if dump:
            name = f"{call['face']}-{call['noun']}-{call['sort'].split()[0]}-{call['page']}".replace("→", "-after-")
            text = CSRF.sub(lambda m: (m.group(1) or m.group(3)) + "X" + (m.group(2) or m.group(4)),
                            body.decode("utf-8", "replace"))
            (dump / name.replace("/", "_")).write_text(text)
    return rows


SORT = re.compile(r"(^|->  )(Incremental )?Sort ")
SCAN = re.compile(r"Seq Scan on (\w+)")
SLOW_MS = 1.0  # a sort or scan that takes less is a small table's cheapest plan, not a problem


def explain_calls(app: Any, clients: dict[str, Any], headers: dict[str, str], calls: list[dict[str, Any]],
                  out: Path) -> list[str]:
    """EXPLAIN ANALYZE of each statement the calls run (PostgreSQL), written to `out`; the calls whose
    plans sort or scan a table whole and take SLOW_MS or more, with the nodes and the statement's time."""
    with app.app_context():
        engine = db.engine
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    found = []
    raw = engine.raw_connection()
    try:
        for call in calls:
            captured.clear()
            event.listen(engine, "before_cursor_execute", capture)
            clients[call["face"]].get(call["path"], query_string=call["params"],
                                      headers=headers if call["face"] == "api" else {})
            event.remove(engine, "before_cursor_execute", capture)
            name = f"{call['face']}-{call['noun']}-{call['sort'].split()[0]}-{call['page']}".replace("→", "-after-")
            text = []
            for statement, parameters in captured:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                cursor = raw.cursor()
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = "\n".join(r[0] for r in cursor.fetchall())
                cursor.close()
                text.append(f"{statement}\n{parameters}\n{plan}\n")
                total = re.search(r"Execution Time: ([\d.]+) ms", plan)
                flags = sorted({m.group(0).strip("-> ").strip() for m in SORT.finditer(plan)}
                               | {m.group(0) for m in SCAN.finditer(plan)})
                if flags and total and float(total.group(1)) >= SLOW_MS:
                    found.append(f"{name}: {', '.join(flags)} ({total.group(1) if total else '?'} ms) "
                                 f"in {' '.join(statement.split())[:160]}")
            raw.rollback()
            (out / name.replace("/", "_")).write_text("\n".join(text))
    finally:
        raw.close()
    return found


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| face | list | sort | page | median | p95 | CPU | queries |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['face']} | {r['noun']} | {r['sort']} | {r['page']} | {r['median']} | {r['p95']} | "
                     f"{r['cpu']} | {r['queries']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a database built by reports.py or search_reports.py")
    parser.add_argument("--rounds", type=int, default=15, help="timed calls per page")
    parser.add_argument("--only", nargs="+", choices=list(RESOURCES), help="these lists only")
    parser.add_argument("--faces", nargs="+", choices=["api", "web"], default=["api", "web"])
    parser.add_argument("--dump", type=Path, help="write each call's body here, for a byte-for-byte comparison")
    parser.add_argument("--explain", type=Path, help="PostgreSQL: write every statement's plan here, list bad ones")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "INSTANCE_PATH": str(Path(os.environ.get("TMPDIR", "/tmp")) / "claimdb-lists-instance")})
    clients, headers = sign_in(app)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    calls = plan(app, clients, headers, args.only or list(RESOURCES), args.faces)
    if args.explain:
        args.explain.mkdir(parents=True, exist_ok=True)
        print("\n".join(explain_calls(app, clients, headers, calls, args.explain)) or "no sorts or table scans")
        return
    load_before = os.getloadavg()
    rows = time_calls(app, clients, headers, calls, args.rounds, args.dump)
    load_after = os.getloadavg()
    engine = args.database_url.split(":")[0]
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {engine}, load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({len(calls)} pages, {args.rounds} calls each)")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"engine": engine, "load": [load_before, load_after], "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
