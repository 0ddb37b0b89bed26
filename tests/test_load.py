"""The real server under a team's load: `claimdb run` (waitress) on loopback, writers and readers at once.

Bounded in time and requests: CLAIMDB_LOAD_SECONDS (default 10 here; 30 when run by hand) and
MAX_REQUESTS. Zero 5xx (so zero 503 "busy" too), every write accounted for; prints the p95.
Deselect with `-m 'not load'`.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from claimdb.db import db
from claimdb.models import Claim

from web_support import PASSWORD, build

pytestmark = pytest.mark.load

WRITERS = 8
READERS = 16
SECONDS = float(os.environ.get("CLAIMDB_LOAD_SECONDS", "10"))
MAX_REQUESTS = int(os.environ.get("CLAIMDB_LOAD_MAX_REQUESTS", "4000"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(app: Flask, database_url: str, tmp_path: Path) -> Iterator[str]:
    """`claimdb run` in its own process, on the test's database; the base URL."""
    port = free_port()
    env = {**os.environ, "CLAIMDB_DATABASE_URL": database_url, "CLAIMDB_SECRET_KEY": "load-test-" + "k" * 32,
           "CLAIMDB_INSTANCE_PATH": str(tmp_path / "instance")}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "claimdb.console", "run", "--host", "127.0.0.1",
                                "--port", str(port), "--threads", "8"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class Client:
    """One keep-alive connection, as a browser or script holds it."""

    def __init__(self, host: str, headers: dict[str, str]) -> None:
        self.host = host
        self.headers = headers
        self.conn = http.client.HTTPConnection(host, timeout=60)

    def call(self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None,
             ) -> tuple[int, bytes, dict[str, str], float]:
        headers = dict(self.headers)
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            from urllib.parse import urlencode

            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, timeout=60)
            raise
        return response.status, payload, dict(response.getheaders()), time.perf_counter() - started


def browser_login(host: str, username: str) -> Client:
    client = Client(host, {})
    _, page, headers, _ = client.call("GET", "/login")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    client.headers["Cookie"] = cookie
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    status, _, headers, _ = client.call("POST", "/login", form={
        "username": username, "password": PASSWORD, "csrf_token": token.group(1).decode()})
    assert status in (302, 303)
    client.headers["Cookie"] = headers.get("Set-Cookie", "").split(";")[0]
    return client


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else 0.0


def test_writers_and_readers_on_the_real_server(app: Flask, users: Any, api_for: Any, server: str,
                                                database_url: str) -> None:
    d = build(app)
    tokens = [api_for("analyst") for _ in range(WRITERS)] + [api_for("viewer") for _ in range(READERS // 2)]
    viewer_pages = browser_login(server, "viewer")
    stop = threading.Event()
    sent = [0]
    lock = threading.Lock()
    results: list[tuple[str, int, float]] = []
    made: list[int] = []
    errors: list[str] = []

    def record(kind: str, status: int, elapsed: float) -> bool:
        with lock:
            results.append((kind, status, elapsed))
            sent[0] += 1
            if sent[0] >= MAX_REQUESTS:
                stop.set()
        return not stop.is_set()

    def writer(i: int) -> None:
        client = Client(server, tokens[i])
        k = 0
        try:
            while not stop.is_set():
                k += 1
                status, body, _, t = client.call("POST", "/api/v1/claims", {"text": f"load claim {i}.{k}",
                                                                           "tags": [f"w{i}"]})
                record("create", status, t)
                if status != 201:
                    continue
                claim = json.loads(body)
                with lock:
                    made.append(claim["id"])
                status, _, _, t = client.call("PATCH", f"/api/v1/claims/{claim['id']}",
                                              {"version": claim["version"], "status": "disputed"})
                record("update", status, t)
                status, body, _, t = client.call("GET", f"/api/v1/claims/{d.other_claim}")
                record("read", status, t)
                if status == 200:  # everyone edits one shared claim: 409s are expected, 5xx are not
                    status, _, _, t = client.call("PATCH", f"/api/v1/claims/{d.other_claim}",
                                                  {"version": json.loads(body)["version"], "location": f"w{i}.{k}"})
                    record("shared edit", status, t)
                status, _, _, t = client.call("POST", "/api/v1/statements", {
                    "source_id": d.source, "speaker_id": d.nusra, "text": f"load statement {i}.{k}",
                    "quote_type": "paraphrase", "claims": [{"claim_id": claim["id"], "stance": "asserts",
                                                            "certainty": "certain"}]})
                record("create", status, t)
        except Exception as e:  # collected and failed on below
            errors.append(f"writer {i}: {e!r}")

    paths = ["/api/v1/claims?per_page=50", "/api/v1/statements?per_page=50", "/api/v1/search?q=Hazzm",
             f"/api/v1/statements/{d.statement}", "/api/v1/actors?q=nusra", "/api/v1/reports/contradictions",
             "/api/v1/claims?status=disputed&sort=-id"]
    pages = ["/claims", "/statements", f"/statements/{d.statement}", "/search?q=Nusra", f"/sources/{d.source}"]

    def reader(i: int) -> None:
        client = viewer_pages if i == 0 else Client(server, tokens[WRITERS + i % (READERS // 2)])
        n = 0
        try:
            while not stop.is_set():
                n += 1
                path = pages[n % len(pages)] if i == 0 else paths[(i + n) % len(paths)]
                status, _, _, t = client.call("GET", path)
                if not record("page" if i == 0 else "read", status, t):
                    break
        except Exception as e:  # collected and failed on below
            errors.append(f"reader {i}: {e!r}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    stop.wait(SECONDS)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.monotonic() - started

    statuses = [s for _, s, _ in results]
    by_kind: dict[str, list[float]] = {}
    for kind, _, t in results:
        by_kind.setdefault(kind, []).append(t)
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    print(f"\nload [{engine}]: {len(results)} requests in {elapsed:.1f}s ({len(results) / elapsed:.0f}/s), "
          f"p95 {p95([t for _, _, t in results]) * 1000:.0f} ms; "
          + ", ".join(f"{k} n={len(v)} p95={p95(v) * 1000:.0f}ms" for k, v in sorted(by_kind.items()))
          + f"; statuses {dict(sorted({s: statuses.count(s) for s in set(statuses)}.items()))}")
    assert not errors, errors[:5]
    assert [s for s in statuses if s >= 500] == []
    assert set(statuses) <= {200, 201, 409}, sorted(set(statuses))
    assert len(results) > 50
    with app.app_context():  # every created claim is there once, with its edit
        stored = db.session.scalar(select(func.count()).select_from(Claim).where(Claim.id.in_(made)))
        disputed = db.session.scalar(select(func.count()).select_from(Claim).where(
            Claim.id.in_(made), Claim.status == "disputed"))
    assert stored == len(set(made)) == len(made)
    updates = [s for k, s, _ in results if k == "update"]
    assert disputed == updates.count(200)
