"""Search and the contradiction report on real material: LIAR (speakers, parties) and ICEWS18 accusations.

Reads /work/shared/data (never copied into the repository), turns each set into a claimdb/1
document, imports it into a fresh database and times typical calls. Prints medians in ms.

  LIAR: 12.8k PolitiFact statements; speaker -> person, party -> faction (undated membership),
        each statement its own source and claim (PolitiFact's label -> claim status).
  ICEWS18: the "Accuse…" events of the test and valid splits; one source per day, the subject
        accuses the object, the CAMEO relation is the category: mutual accusations appear.

Usage: .venv/bin/python benchmarks/real_data.py [--rounds 9] [--database-url postgresql://…] [--work DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from search_reports import database  # type: ignore[import-not-found]

from claimdb import create_app, migrate
from claimdb.db import db
from claimdb.services import users
from claimdb.services.exchange import document_import

DATA = Path("/work/shared/data")
STATUS = {"true": "confirmed", "mostly-true": "corroborated", "half-true": "disputed", "barely-true": "disputed",
          "false": "refuted", "pants-fire": "refuted"}


def liar_document() -> dict[str, Any]:
    actors: dict[str, dict[str, Any]] = {}
    affiliations: dict[tuple[str, str], dict[str, Any]] = {}
    sources, statements, claims = [], [], []
    csv.field_size_limit(10_000_000)
    for split in ("train", "valid", "test"):
        with (DATA / "liar" / f"{split}.tsv").open(newline="") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 14 or not row[2].strip() or not row[4].strip():
                    continue
                key, label, text, speaker, party, context = row[0], row[1], row[2].strip(), row[4], row[7], row[13]
                person = actors.setdefault(f"p:{speaker}", {"id": f"p:{speaker}", "kind": "person",
                                                            "name": speaker.replace("-", " ").title(), "aliases": []})
                if party and party != "none":
                    actors.setdefault(f"f:{party}", {"id": f"f:{party}", "kind": "faction",
                                                     "name": party.replace("-", " ").title(), "aliases": []})
                    affiliations.setdefault((person["id"], party), {
                        "id": f"m:{speaker}:{party}", "member_id": person["id"], "organization_id": f"f:{party}",
                        "role": "member"})
                n = len(statements)
                sources.append({"id": f"s{n}", "title": f"PolitiFact {key}: {context or 'statement'}"[:500],
                                "kind": "other", "body": text, "language": "en"})
                claims.append({"id": f"c{n}", "text": text, "status": STATUS.get(label, "unverified")})
                statements.append({"id": f"t{n}", "source_id": f"s{n}", "speaker_id": person["id"], "text": text,
                                   "quote_type": "direct", "span": {"start": 0, "end": len(text)},
                                   "claims": [{"claim_id": f"c{n}", "stance": "asserts"}]})
    return {"format": "claimdb/1", "actors": list(actors.values()), "affiliations": list(affiliations.values()),
            "sources": sources, "statements": statements, "claims": claims, "accusations": [], "contradictions": []}


def icews_document() -> dict[str, Any]:
    base = DATA / "icews18"
    names, relations = (
        {int(i): n for n, i in (line.rstrip("\n").rsplit("\t", 1) for line in (base / f"{kind}2id.txt").open())}
        for kind in ("entity", "relation"))
    actors: dict[int, dict[str, Any]] = {}
    days: dict[int, list[tuple[int, int, str]]] = {}
    for split in ("valid", "test"):
        for line in (base / f"{split}.txt").open():
            s, r, o, t = (int(x) for x in line.split()[:4])
            if relations[r].startswith("Accuse") and s != o:
                days.setdefault(t // 24, []).append((s, o, relations[r]))
    sources, statements, accusations = [], [], []
    for day, events in sorted(days.items()):
        date = (dt.date(2018, 1, 1) + dt.timedelta(days=day)).isoformat()
        sources.append({"id": f"d{day}", "title": f"ICEWS events of {date}", "kind": "report", "published": date,
                        "body": "", "language": "en", "reliability": "C"})
        for s, o, relation in events:
            for a in (s, o):
                actors.setdefault(a, {"id": f"a{a}", "name": names[a][:500], "kind": "unknown", "aliases": []})
            n = len(statements)
            statements.append({"id": f"t{n}", "source_id": f"d{day}", "speaker_id": f"a{s}", "stated": date,
                               "text": f"{names[s]} accuses {names[o]}: {relation}", "quote_type": "paraphrase"})
            accusations.append({"id": f"x{n}", "statement_id": f"t{n}", "accuser_id": f"a{s}",
                                "accused_id": f"a{o}", "act": relation, "category": relation})
    return {"format": "claimdb/1", "actors": list(actors.values()), "affiliations": [], "sources": sources,
            "statements": statements, "claims": [], "accusations": accusations, "contradictions": []}


SETS: dict[str, tuple[Any, dict[str, list[tuple[str, dict[str, str]]]]]] = {
    "liar": (liar_document, {
        "speaker": [("/api/v1/search", {"speaker": n}) for n in ("barack obama", "Trump", "scott walker")],
        "faction": [("/api/v1/search", {"faction": n}) for n in ("Republican", "Democrat")],
        "fulltext": [("/api/v1/search", {"q": q}) for q in ("health care", "jobs", "tax cuts", "Obamacare")],
        "fulltext_faction": [("/api/v1/search", {"q": "taxes", "faction": "Democrat"})],
        "report_faction": [("/api/v1/reports/contradictions", {"faction": "Republican"})],
    }),
    "icews": (icews_document, {
        "speaker": [("/api/v1/search", {"speaker": n}) for n in ("Russia", "United States", "Donald Trump")],
        "fulltext": [("/api/v1/search", {"q": q}) for q in ("aggression", "war crimes")],
        "report": [("/api/v1/reports/contradictions", {})],
        "report_actor": [("/api/v1/reports/contradictions", {"actor": n}) for n in ("Russia", "Israel")],
        "report_dates": [("/api/v1/reports/contradictions", {"from": "2018-10", "to": "2018-10"})],
    }),
}


def run(name: str, work: Path, base_url: str | None, rounds: int) -> dict[str, Any]:
    make, calls = SETS[name]
    path = work / f"{name}.json"
    document = make()
    path.write_text(json.dumps(document))
    url = database(0, work / name, base_url) if base_url else f"sqlite:///{work / name}.sqlite3"
    Path(f"{work / name}.sqlite3").unlink(missing_ok=True)
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(work / "instance")})
    with app.app_context():
        t0 = time.perf_counter()
        document_import.import_file(db.session, str(path))
        imported = time.perf_counter() - t0
        token = users.create_token(db.session, users.create_user(db.session, "bench", "pw-bench-1234", "viewer"))
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    out: dict[str, Any] = {"statements": len(document["statements"]), "import_s": round(imported, 1), "median_ms": {},
                           "examples": {}}
    for label, requests in calls.items():
        times = []
        for i in range(rounds):
            route, params = requests[i % len(requests)]
            t = time.perf_counter()
            response = client.get(route, query_string=params, headers=headers)
            times.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{name} {label} {params}: {response.status_code} {response.get_data(as_text=True)}")
            body = response.get_json()
            if i < len(requests):
                out["examples"][f"{label} {params}"] = (
                    {"total": body["total"], "resolved": {k: [a["name"] for a in v["actors"]][:5]
                                                          for k, v in body["resolved"].items()}}
                    if "total" in body else body["summary"]["totals"])
        out["median_ms"][label] = round(statistics.median(times), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite files in --work)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/claimdb-bench"))
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = {name: run(name, args.work, args.database_url, args.rounds) for name in args.sets}
    json.dump(results, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
