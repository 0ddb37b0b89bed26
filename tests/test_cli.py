"""The claimdb command, through Click's runner, as an operator would use it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from claimdb import create_app
from claimdb.cli import cli
from claimdb.db import db
from claimdb.models import AuditEntry


def run(app: Flask, *args: str, input: str | None = None) -> Any:
    result = app.test_cli_runner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result


def test_init_is_repeatable(app: Flask) -> None:
    result = run(app, "init")
    assert result.exit_code == 0 and "Database ready" in result.output
    assert run(app, "init").exit_code == 0


def test_demo_twice_changes_nothing(app: Flask) -> None:
    first = run(app, "demo")
    assert first.exit_code == 0 and "Imported" in first.output and "38 statements" in first.output
    assert "1 source," in first.output, first.output
    with app.app_context():
        credited = db.session.scalars(select(AuditEntry.username).distinct()).all()
    assert credited == ["claimdb demo"]
    second = run(app, "demo")
    assert second.exit_code == 0 and "already loaded" in second.output


def test_password_is_read_from_piped_input_without_a_prompt(app: Flask) -> None:
    """The README's start command pipes the password in; getpass would warn and read nothing usable."""
    made = run(app, "user", "create", "dora", "--role", "admin", input="pw-long-enough\n")
    assert made.exit_code == 0 and "admin dora" in made.output
    assert "Warning" not in made.output and "Password" not in made.output


def test_run_help_describes_claimdbs_own_options(app: Flask) -> None:
    shown = run(app, "run", "--help").output
    assert "--threads" in shown and "--dev" in shown and "production WSGI server" in shown
    assert "--cert" not in shown and "--reload" not in shown


def test_users_and_tokens(app: Flask) -> None:
    made = run(app, "user", "create", "Barbara", "--role", "analyst", "--password-stdin", input="pw-long-enough\n")
    assert made.exit_code == 0 and "analyst barbara" in made.output
    again = run(app, "user", "create", "barbara", "--role", "viewer", "--password-stdin", input="pw-long-enough\n")
    assert again.exit_code == 1 and "already a user" in again.output
    short = run(app, "user", "create", "carl", "--role", "viewer", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "at least" in short.output
    token = run(app, "token", "create", "barbara").output.strip().splitlines()[-1]
    assert len(token) >= 20
    response = app.test_client().get("/api/v1/claims", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert run(app, "token", "create", "nobody").exit_code == 1


def test_export_then_import_elsewhere(app: Flask, tmp_path: Path) -> None:
    run(app, "demo")
    out = tmp_path / "export.json"
    assert run(app, "export", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "claimdb/1" and len(doc["statements"]) >= 25
    stdout = run(app, "export").output
    assert stdout == out.read_text(encoding="utf-8")

    fresh = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                        "SECRET_KEY": "t", "INSTANCE_PATH": str(tmp_path / "fresh")})
    assert run(fresh, "init").exit_code == 0
    imported = run(fresh, "import", str(out))
    assert imported.exit_code == 0, imported.output
    assert run(fresh, "export").output == stdout


def test_import_refuses_a_bad_file_with_every_problem(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "claimdb/1", "actors": [{"id": 1, "name": "", "kind": "wizard"}]}))
    result = app.test_cli_runner().invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1
    assert "actors[0].name" in result.output and "actors[0].kind" in result.output


def test_backup_copies_sqlite_consistently(app: Flask, tmp_path: Path) -> None:
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        result = app.test_cli_runner().invoke(cli, ["backup", str(tmp_path / "b.sqlite3")])
        assert result.exit_code == 2 and "pg_dump" in result.output
        return
    run(app, "demo")
    target = tmp_path / "backup.sqlite3"
    assert run(app, "backup", str(target)).exit_code == 0
    copy = sqlite3.connect(target)
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("select count(*) from statement").fetchone()[0] >= 25
    copy.close()


def test_production_refuses_to_start_without_a_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMDB_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CLAIMDB_SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)})


def test_development_makes_and_keeps_its_own_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMDB_SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": "sqlite://", "INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_csv_and_claimreview_exports(app: Flask, tmp_path: Path) -> None:
    run(app, "demo")
    out = tmp_path / "claims.csv"
    assert run(app, "export", "--format", "csv", "--entity", "claims", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # Excel-friendly: BOM and CRLF
    reviews = json.loads(run(app, "export", "--format", "claimreview").output)
    assert reviews["@graph"] and all(r["@type"] == "ClaimReview" for r in reviews["@graph"])


def test_flask_cli_offers_the_same_commands(app: Flask) -> None:
    assert {"init", "demo", "user", "token", "import", "export", "backup"} <= set(app.cli.commands)


# ---------------------------------------------------------------- the database file


def _console(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    """The installed `claimdb` console script, as an analyst runs it, from `cwd`."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMDB_")}
    return subprocess.run([sys.executable, "-m", "claimdb.console", *args], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["backup", "copy.sqlite3"], ["demo"], ["user", "list"], ["export"],
                                  ["token", "create", "someone"], ["run", "--port", "5999"]])
def test_no_command_but_init_creates_a_database(tmp_path: Path, args: list[str]) -> None:
    """Run outside the project folder: it says there is no database, exits non-zero, and creates none."""
    done = _console(*args, cwd=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "there is no database" in lines[0] and "claimdb init" in lines[0], done.stderr
    assert "Traceback" not in done.stderr and "Backed up" not in done.stdout
    assert not (tmp_path / "instance" / "claimdb.sqlite3").exists()
    assert not (tmp_path / "copy.sqlite3").exists()


def test_an_empty_file_is_not_backed_up(tmp_path: Path) -> None:
    (tmp_path / "empty.sqlite3").touch()
    done = _console("backup", "copy.sqlite3", cwd=tmp_path,
                    env={"CLAIMDB_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert done.returncode != 0 and "claimdb init" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_backup_restores_to_a_working_database(app: Flask, tmp_path: Path) -> None:
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("pg_dump's own business")
    run(app, "demo")
    with app.app_context():
        from claimdb.services.paging import Page
        from claimdb.services.records import lifecycle
        from claimdb.services.records.registry import RESOURCES

        originals = [c.id for c in lifecycle.list_records(db.session, RESOURCES["claims"], {}, Page(1, 200)).items]
        wanted = {i: lifecycle.get(db.session, RESOURCES["claims"], i) for i in originals}
    target = tmp_path / "restored.sqlite3"
    assert run(app, "backup", str(target)).exit_code == 0
    restored = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{target}", "SECRET_KEY": "t",
                           "INSTANCE_PATH": str(tmp_path / "restored")})
    with restored.app_context():
        from claimdb.services.records import lifecycle
        from claimdb.services.records.registry import RESOURCES

        assert {i: lifecycle.get(db.session, RESOURCES["claims"], i) for i in originals} == wanted
        made = lifecycle.create(db.session, RESOURCES["claims"], {"text": "written to the restored copy"})
        assert made["id"] > max(originals)
    assert run(restored, "export").exit_code == 0


def test_run_with_a_bad_production_secret_says_one_line(tmp_path: Path) -> None:
    done = _console("run", "--port", "5999", cwd=tmp_path, env={"CLAIMDB_ENV": "production",
                                                                 "CLAIMDB_SECRET_KEY": "too-short"})
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "CLAIMDB_SECRET_KEY is too short" in done.stderr
    assert "Traceback" not in done.stderr
