"""Import rate of `claimdb import`, end to end (process start, JSON parse, checks, inserts, commit).

Runs the real command on a fresh SQLite database (or the PostgreSQL URL given) several times and
prints the median wall time, statements per second, the command's CPU time and its peak resident
memory (ru_maxrss). Inputs: synthetic files from ../shared/acceptance/gen_scale.py, the LIAR data
set converted by liar_to_claimdb.py, and with --sheet N a generated N-row spreadsheet
(`claimdb import --format csv`).

Usage: python benchmarks/import_rate.py [--sizes 20000,200000] [--runs 3] [--liar] [--sheet 50000]
                                        [--postgres URL]
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


def claimdb(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Run the command; its CPU seconds and peak resident memory in MB (with the processes it forks to
    check statements: their CPU counts in, and the peak is the largest one's)."""
    command = [sys.executable, "-c", "from claimdb.console import main; main()", *args]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"claimdb {' '.join(args)} failed ({status})")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def sheet(rows: int) -> str:
    """A desk's spreadsheet: 2,000 speakers in 100 factions, 500 sources, 5,000 claims, an accusation
    every tenth row."""
    lines = ["speaker,speaker_faction,source_title,source_url,published,statement,claim,stance,accused,"
             "accusation_category"]
    for n in range(rows):
        accused = f"Sheet person {(n * 7) % 2000}" if n % 10 == 0 and (n * 7) % 2000 != n % 2000 else ""
        lines.append(f"Sheet person {n % 2000},Sheet faction {n % 100},Sheet log {n % 500},"
                     f"https://example.org/log/{n % 500},2015-{1 + n % 12:02d},Convoy {n} was stopped at the bridge,"
                     f"Sheet claim {n % 5000},{'denies' if n % 5 == 0 else 'asserts'},{accused},"
                     f"{'kidnapping' if accused else ''}")
    return "\n".join(lines) + "\n"


def time_import(path: Path, work: Path, runs: int, postgres: str | None,
                *extra: str) -> list[tuple[float, float, float]]:
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
        cpu, rss = claimdb("import", *extra, str(path), env=env)
        times.append((time.perf_counter() - start, cpu, rss))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,200000", help="synthetic statement counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--liar", action="store_true", help="also import the LIAR data set")
    parser.add_argument("--sheet", type=int, default=0, help="also import a generated spreadsheet of this many rows")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose user may create databases")
    parser.add_argument("--work", type=Path, help="keep generated files here and reuse them (default: a temporary "
                                                  "folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        inputs = []
        for size in filter(None, args.sizes.split(",")):
            path = work / f"scale{size}.json"
            if not path.exists():
                with open(path.with_suffix(".part"), "w") as f:
                    generator = str(SHARED / "acceptance" / "gen_scale.py")
                    subprocess.run([sys.executable, generator, size], stdout=f, check=True)
                path.with_suffix(".part").rename(path)
            inputs.append((f"synthetic {size}", path, int(size)))
        if args.liar:
            path = work / "liar.json"
            with open(path, "w") as f:
                subprocess.run([sys.executable, str(HERE / "liar_to_claimdb.py")], stdout=f, check=True)
            inputs.append(("LIAR", path, len(json.loads(path.read_text(encoding="utf-8"))["statements"])))
        for label, path, statements in inputs:
            report(label, statements, time_import(path, work, args.runs, args.postgres))
        if args.sheet:
            path = work / "sheet.csv"
            path.write_text(sheet(args.sheet), encoding="utf-8")
            report(f"spreadsheet {args.sheet} rows", args.sheet,
                   time_import(path, work, args.runs, args.postgres, "--format", "csv"))


def report(label: str, statements: int, runs: list[tuple[float, float, float]]) -> None:
    median = statistics.median(wall for wall, _cpu, _rss in runs)
    cpu = statistics.median(cpu for _wall, cpu, _rss in runs)
    rss = max(rss for _wall, _cpu, rss in runs)
    print(f"{label}: {statements} statements, median {median:.2f} s over {len(runs)} runs, "
          f"{statements / median:,.0f} statements/s; CPU {cpu:.2f} s ({statements / cpu:,.0f}/s of CPU); "
          f"peak RSS {rss:,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
