"""Import rate of `claimdb import`, end to end (process start, JSON parse, checks, inserts, commit).

Runs the real command on a fresh SQLite database (or the PostgreSQL URL given) several times and
prints the median wall time and statements per second. Inputs: synthetic files from
../shared/acceptance/gen_scale.py and the LIAR data set converted by liar_to_claimdb.py.

Usage: python benchmarks/import_rate.py [--sizes 20000,200000] [--runs 3] [--liar] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def claimdb(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "claimdb.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def time_import(path: Path, work: Path, runs: int, postgres: str | None) -> list[float]:
    times = []
    for n in range(runs):
        env = dict(os.environ, CLAIMDB_SECRET_KEY="bench")
        if postgres:
            import psycopg

            name = f"claimdb_bench_{os.getpid()}_{n}"
            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            env["CLAIMDB_DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/" + name
        else:
            env["CLAIMDB_DATABASE_URL"] = f"sqlite:///{work / f'bench{n}.sqlite3'}"
        claimdb("init", env=env)
        start = time.perf_counter()
        claimdb("import", str(path), env=env)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,200000", help="synthetic statement counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--liar", action="store_true", help="also import the LIAR data set")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose user may create databases")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = []
        for size in filter(None, args.sizes.split(",")):
            path = work / f"scale{size}.json"
            with open(path, "w") as f:
                generator = str(SHARED / "acceptance" / "gen_scale.py")
                subprocess.run([sys.executable, generator, size], stdout=f, check=True)
            inputs.append((f"synthetic {size}", path))
        if args.liar:
            path = work / "liar.json"
            with open(path, "w") as f:
                subprocess.run([sys.executable, str(HERE / "liar_to_claimdb.py")], stdout=f, check=True)
            inputs.append(("LIAR", path))
        for label, path in inputs:
            statements = len(json.loads(path.read_text(encoding="utf-8"))["statements"])
            times = time_import(path, work, args.runs, args.postgres)
            median = statistics.median(times)
            print(f"{label}: {statements} statements, median {median:.2f} s over {len(times)} runs, "
                  f"{statements / median:,.0f} statements/s")


if __name__ == "__main__":
    main()
