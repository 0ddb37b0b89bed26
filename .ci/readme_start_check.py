"""Paste the README's start command into a shell in a fresh clone, as a new user would, and use the result.

The command must install claimdb, load the demo, create the admin from a password given on standard
input (not a terminal), and serve at the address the README names; we then sign in and read the
demo article. Stdlib only: it runs before any virtual environment exists.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from readme_command import README, command  # noqa: E402

BASE = "http://127.0.0.1:5000"
PASSWORD = "readme-check-password"
DEADLINE = 600  # seconds: a cold `pip install .` included


def main() -> int:
    start = command("start", README.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="claimdb-readme-") as tmp:
        clone = Path(tmp) / "claimdb"
        subprocess.run(["git", "clone", "-q", str(README.parent), str(clone)], check=True)
        log = open(Path(tmp) / "start.log", "w+")  # noqa: SIM115
        print(f"$ {start}", flush=True)
        proc = subprocess.Popen(["bash", "-c", start], cwd=clone, stdin=subprocess.PIPE, stdout=log,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                env={k: v for k, v in os.environ.items() if not k.startswith("CLAIMDB_")})
        assert proc.stdin is not None
        proc.stdin.write(PASSWORD + "\n")
        proc.stdin.close()
        try:
            return check(proc, log)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


def check(proc: subprocess.Popen[str], log: object) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    started = time.monotonic()
    while True:
        if proc.poll() is not None:
            return fail(f"the start command exited with {proc.returncode} before serving", log)
        try:
            login_page = opener.open(f"{BASE}/login", timeout=5).read().decode()
            break
        except OSError:
            if time.monotonic() - started > DEADLINE:
                return fail(f"nothing answered at {BASE} after {DEADLINE} s", log)
            time.sleep(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
    if token is None:
        return fail("the login page has no CSRF token", log)
    form = urllib.parse.urlencode({"username": "admin", "password": PASSWORD, "csrf_token": token.group(1)})
    opener.open(f"{BASE}/login", data=form.encode(), timeout=10).read()
    sources = opener.open(f"{BASE}/sources", timeout=10).read().decode()
    if "Hazzm" not in sources:
        return fail("signed in as admin, but /sources does not list the demo article", log)
    if "GetPassWarning" in read(log):
        return fail("the password prompt warned about an echoing terminal", log)
    print(f"README start command: served the demo at {BASE}, admin signed in", flush=True)
    return 0


def read(log: object) -> str:
    log.seek(0)  # type: ignore[attr-defined]
    return str(log.read())  # type: ignore[attr-defined]


def fail(message: str, log: object) -> int:
    print(f"FAIL: {message}\n--- output of the start command ---\n{read(log)[-4000:]}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
