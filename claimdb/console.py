"""The `claimdb` console script: claimdb's commands over the app factory, plus Flask's shell and routes."""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command
from sqlalchemy.exc import DBAPIError

from claimdb.app import create_app
from claimdb.cli import cli as commands


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False,
             help=commands.help)
def main_group() -> None:
    pass


for command in [*commands.commands.values(), shell_command, routes_command]:
    main_group.add_command(command)


def main() -> None:
    try:
        main_group(prog_name="claimdb")
    except RuntimeError as e:  # the factory refusing its configuration (e.g. no production secret key)
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
    except DBAPIError as e:  # a database fault outside any command's own handling
        click.echo(f"Error: the database refused the request ({type(e.orig).__name__ if e.orig else 'error'}).",
                   err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
