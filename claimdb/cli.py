"""claimdb's commands. The `claimdb` console script (claimdb.console) and `flask --app claimdb` both offer them."""

from __future__ import annotations

import functools
import getpass
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from claimdb import schema_version
from claimdb.db import database_error, db, normalize_url
from claimdb.errors import DomainError
from claimdb.models.values import Role
from claimdb.services import audit, users
from claimdb.services.exchange import demo, document_import, exports, spreadsheet


def command_session(tool: str | None = None) -> Session:
    """The app's session, with changes attributed in the audit trail to the tool or the shell's user."""
    session = db.session()
    audit.acting_as(session, None, name=tool or f"cli:{_login_name()}")
    return session


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (some containers)
        return "unknown"


def fail(e: DomainError) -> None:
    """Print a refused command's reason and its field messages, then exit 1 (no traceback)."""
    click.echo(f"Error: {e.detail}", err=True)
    for name, msg in list(e.errors.items())[:200]:
        click.echo(f"  {name}: {msg}", err=True)
    sys.exit(1)


F = TypeVar("F", bound=Callable[..., Any])


def missing_database(url: str) -> str | None:
    """Why there is no claimdb database at url (None when there is one). Never creates anything."""
    parsed = make_url(normalize_url(url))
    shown = parsed.render_as_string()
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            return None
        path = Path(database)
        if not path.is_file():
            return (f"there is no database at {path.resolve()}; run `claimdb init` to make one "
                    "(or set CLAIMDB_DATABASE_URL).")
        if path.stat().st_size == 0:
            return f"{path.resolve()} is empty, not a claimdb database; run `claimdb init` to set it up."
    try:
        revision = schema_version.current_revision(url)
    except DBAPIError as e:
        meaning = database_error(e)
        return f"{meaning.detail if meaning else 'the database cannot be opened'} ({shown})"
    if revision is None:
        return f"{shown} is not set up; run `claimdb init` first."
    return None


def _engine_url() -> str:
    """The database URL as the engine opens it (Flask-SQLAlchemy puts a relative SQLite path in the instance folder)."""
    return db.engine.url.render_as_string(hide_password=False)


def needs_database(command: F) -> F:
    """An app context over an existing database; database faults end in one line, not a traceback."""

    @with_appcontext
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        problem = missing_database(_engine_url())
        if problem:
            click.echo(f"Error: {problem}", err=True)
            sys.exit(1)
        try:
            return command(*args, **kwargs)
        except DBAPIError as e:
            db.session.rollback()
            meaning = database_error(e)
            if meaning is None:
                raise
            click.echo(f"Error: {meaning.title}: {meaning.detail}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group()
def cli() -> None:
    """claimdb: track sources, statements, claims, accusations and contradictions."""


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 listens on every interface (put HTTPS in front).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requests served at once; more wait in the queue (keep-alive connections are cheap).")
@click.option("--dev", is_flag=True, help="Flask's debug server instead: reloads on code changes, shows tracebacks. "
              "Never on a network others can reach.")
@click.pass_context
def run(ctx: click.Context, host: str, port: int, threads: int, dev: bool) -> None:
    """Serve claimdb's web pages and API (a production WSGI server unless --dev)."""
    app: Flask = ctx.ensure_object(ScriptInfo).load_app()
    with app.app_context():
        problem = missing_database(_engine_url())
    if problem:
        click.echo(f"Error: {problem}", err=True)
        sys.exit(1)
    if dev:
        app.run(host=host, port=port, debug=True, threaded=True)
        return
    from waitress import serve

    click.echo(f"claimdb serving on http://{host}:{port} with {threads} threads (Ctrl+C to stop)", err=True)
    serve(app, host=host, port=port, threads=threads, ident="claimdb", clear_untrusted_proxy_headers=True)


@cli.command("init")
@with_appcontext
def init() -> None:
    """Create the database, or upgrade it to the latest schema."""
    url = current_app.config["DATABASE_URL"]
    from claimdb import migrate  # Alembic: only this command needs it (see schema_version)

    migrate.upgrade(url)
    click.echo(f"Database ready at revision {schema_version.current_revision(url)}: {make_url(url).render_as_string()}")


@cli.command("demo")
@needs_database
def demo_() -> None:
    """Load the sample article's dataset (running it again changes nothing)."""
    try:
        report = demo.load(command_session("claimdb demo"))
    except DomainError as e:
        fail(e)
        return
    click.echo("The demo dataset is already loaded; nothing changed." if report is None else report.summary())


@cli.group("user")
def user() -> None:
    """Manage user accounts."""


@user.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(list(Role)), required=True,
              help="viewer reads; analyst writes; admin deletes.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
@needs_database
def user_create(name: str, role: str, password_stdin: bool) -> None:
    """Create a user NAME with a role (asks for the password; reads one line when input is piped)."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        made = users.create_user(command_session(), name, password, role)
    except DomainError as e:
        fail(e)
        return
    click.echo(f"Created {made.role} {made.username}.")


@user.command("list")
@needs_database
def user_list() -> None:
    """List users with their roles."""
    for u in users.list_users(command_session()):
        click.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'deactivated'}")


@cli.group("token")
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--label", help="What the token is for (shown on the admin page).")
@needs_database
def token_create(name: str, label: str | None) -> None:
    """Create an API token for user NAME and print it (last line); only its hash is stored."""
    owner = users.find_user(command_session(), name)
    if owner is None or not owner.active:
        click.echo(f"Error: there is no active user {name}.", err=True)
        sys.exit(1)
    value = users.create_token(command_session(), owner, label)
    click.echo(f"API token for {owner.username} (shown once; send it as 'Authorization: Bearer TOKEN'):", err=True)
    click.echo(value)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "format_", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: a claimdb/1 document; csv: a spreadsheet with one row per statement.")
@click.option("--dry-run", is_flag=True, help="csv: show what would be created, change nothing.")
@needs_database
def import_(path: str, format_: str, dry_run: bool) -> None:
    """Load a claimdb/1 file or a spreadsheet: all records or none."""
    session = command_session()
    if format_ == "csv":
        _import_sheet(session, path, dry_run)
        return
    with click.progressbar(length=_record_estimate(path), label="Importing", file=sys.stderr) as bar:
        try:
            report = document_import.import_file(session, path, progress=bar.update)
        except DomainError as e:
            fail(e)
            return
    click.echo(report.summary())


def _import_sheet(session: Session, path: str, dry_run: bool) -> None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        report = spreadsheet.import_sheet(session, text, commit=not dry_run)
    except UnicodeDecodeError:
        click.echo("Error: the file is not UTF-8 text; save the spreadsheet as CSV UTF-8.", err=True)
        sys.exit(1)
    except spreadsheet.SheetRefused as e:
        click.echo(f"Error: {e.detail}", err=True)
        for problem in e.report.problems[:500]:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(report.summary())
    for kind, names in report.new_names.items():
        click.echo(f"  new {kind}: " + "; ".join(names[:20]) + (" …" if len(names) > 20 else ""))


def _record_estimate(path: str) -> int:
    """Progress is counted in records; a file's size gives a rough upper bound without reading it twice."""
    return max(1, Path(path).stat().st_size // 200)


@cli.command("export")
@click.option("--format", "format_", type=click.Choice(["json", "csv", "claimreview"]), default="json",
              show_default=True, help="json: the claimdb/1 document (the same bytes as GET /api/v1/export); "
              "csv: one record kind as a spreadsheet (see --entity); claimreview: schema.org ClaimReview JSON-LD "
              "for claims with a status.")
@click.option("--entity", type=click.Choice(list(exports.CSV_ENTITIES)), default="statements", show_default=True,
              help="csv: which record kind to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@needs_database
def export(format_: str, entity: str, output: str | None) -> None:
    """Write the database in a format other tools read (claimdb/1 JSON by default)."""
    session = command_session()
    if format_ == "csv":
        chunks = exports.csv_chunks(session, entity)
    elif format_ == "claimreview":
        chunks = exports.claimreview_chunks(session, author=current_app.config.get("CLAIMREVIEW_AUTHOR"))
    else:
        chunks = exports.document_chunks(session)
    # newline="" keeps the CSV's CRLF line ends as written (Excel expects them)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        for chunk in chunks:
            out.write(chunk)
    finally:
        if output:
            out.close()


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@needs_database
def backup(path: str) -> None:
    """Copy the SQLite database to PATH consistently, even while claimdb is serving."""
    url = make_url(_engine_url())
    if url.get_backend_name() != "sqlite":
        click.echo("Error: for PostgreSQL use its own tool, e.g. "
                   f"pg_dump --format=custom --file {path} '{url.set(drivername='postgresql').render_as_string()}'",
                   err=True)
        sys.exit(2)
    if Path(path).exists():
        click.echo(f"Error: {path} exists; choose a new file.", err=True)
        sys.exit(1)
    # mode=ro: a backup never creates or changes the database it copies.
    source = sqlite3.connect(f"file:{quote(str(Path(url.database or '').resolve()))}?mode=ro", uri=True)
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # SQLite's online backup API: a consistent snapshot
        ok = target.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and target.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'").fetchone()[0] == 1
    finally:
        target.close()
        source.close()
    if not ok:
        Path(path).unlink(missing_ok=True)
        click.echo(f"Error: the copy at {path} did not check out as a claimdb database; nothing was kept.", err=True)
        sys.exit(1)
    click.echo(f"Backed up to {path}.")


# Command groups kept in their own modules add themselves to `cli` when imported (as web/ and api/ do).
from claimdb import cli_reports as cli_reports  # noqa: E402
from claimdb import cli_suggestions as cli_suggestions  # noqa: E402
