"""The `claimdb` command: a Flask CLI group over the app factory (also `flask --app claimdb`)."""

from __future__ import annotations

import getpass
import sqlite3
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from claimdb import create_app, migrate
from claimdb.db import db
from claimdb.errors import DomainError
from claimdb.models.values import Role
from claimdb.services import audit, users
from claimdb.services.exchange import demo, document_import, exports, spreadsheet


def _session(tool: str | None = None) -> Session:
    """The app's session, with changes attributed in the audit trail to the tool or the shell's user."""
    session = db.session()
    audit.acting_as(session, None, name=tool or f"cli:{_login_name()}")
    return session


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (some containers)
        return "unknown"


def _fail(e: DomainError) -> None:
    click.echo(f"Error: {e.detail}", err=True)
    for name, msg in list(e.errors.items())[:200]:
        click.echo(f"  {name}: {msg}", err=True)
    sys.exit(1)


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """claimdb: track sources, statements, claims, accusations and contradictions."""


cli.add_command(shell_command)
cli.add_command(routes_command)


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
    app = ctx.ensure_object(ScriptInfo).load_app()
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
    migrate.upgrade(url)
    click.echo(f"Database ready at revision {migrate.current_revision(url)}: {make_url(url).render_as_string()}")


@cli.command("demo")
@with_appcontext
def demo_() -> None:
    """Load the sample article's dataset (running it again changes nothing)."""
    try:
        report = demo.load(_session("claimdb demo"))
    except DomainError as e:
        _fail(e)
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
@with_appcontext
def user_create(name: str, role: str, password_stdin: bool) -> None:
    """Create a user NAME with a role (asks for the password; reads one line when input is piped)."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        made = users.create_user(_session(), name, password, role)
    except DomainError as e:
        _fail(e)
        return
    click.echo(f"Created {made.role} {made.username}.")


@user.command("list")
@with_appcontext
def user_list() -> None:
    """List users with their roles."""
    for u in users.list_users(_session()):
        click.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'deactivated'}")


@cli.group("token")
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--label", help="What the token is for (shown on the admin page).")
@with_appcontext
def token_create(name: str, label: str | None) -> None:
    """Create an API token for user NAME and print it (last line); only its hash is stored."""
    owner = users.find_user(_session(), name)
    if owner is None or not owner.active:
        click.echo(f"Error: there is no active user {name}.", err=True)
        sys.exit(1)
    value = users.create_token(_session(), owner, label)
    click.echo(f"API token for {owner.username} (shown once; send it as 'Authorization: Bearer TOKEN'):", err=True)
    click.echo(value)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "format_", type=click.Choice(["json", "csv"]), default="json", show_default=True,
              help="json: a claimdb/1 document; csv: a spreadsheet with one row per statement.")
@click.option("--dry-run", is_flag=True, help="csv: show what would be created, change nothing.")
@with_appcontext
def import_(path: str, format_: str, dry_run: bool) -> None:
    """Load a claimdb/1 file or a spreadsheet: all records or none."""
    session = _session()
    if format_ == "csv":
        _import_sheet(session, path, dry_run)
        return
    with click.progressbar(length=_record_estimate(path), label="Importing", file=sys.stderr) as bar:
        try:
            report = document_import.import_file(session, path, progress=bar.update)
        except DomainError as e:
            _fail(e)
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
@with_appcontext
def export(format_: str, entity: str, output: str | None) -> None:
    """Write the database in a format other tools read (claimdb/1 JSON by default)."""
    session = _session()
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
@with_appcontext
def backup(path: str) -> None:
    """Copy the SQLite database to PATH consistently, even while claimdb is serving."""
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        click.echo("Error: for PostgreSQL use its own tool, e.g. "
                   f"pg_dump --format=custom --file {path} '{url.set(drivername='postgresql').render_as_string()}'",
                   err=True)
        sys.exit(2)
    if Path(path).exists():
        click.echo(f"Error: {path} exists; choose a new file.", err=True)
        sys.exit(1)
    source = sqlite3.connect(url.database or "")
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # SQLite's online backup API: a consistent snapshot
    finally:
        target.close()
        source.close()
    click.echo(f"Backed up to {path}.")


from claimdb import cli_reports  # noqa: E402, F401  (adds `claimdb reports …` to the group above)

OWN_COMMANDS = ("init", "demo", "user", "token", "import", "export", "backup")


def register(app: Flask) -> None:
    """Offer the same commands through `flask --app claimdb …`."""
    for name in OWN_COMMANDS:
        app.cli.add_command(cli.commands[name])


def main() -> None:
    cli(prog_name="claimdb")


if __name__ == "__main__":
    main()
