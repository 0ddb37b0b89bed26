"""The `claimdb` console script: claimdb's commands over the app factory, plus Flask's shell and routes."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from claimdb.app import create_app
from claimdb.cli import cli as commands


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False,
             help=commands.help)
def main_group() -> None:
    pass


for command in [*commands.commands.values(), shell_command, routes_command]:
    main_group.add_command(command)


def main() -> None:
    main_group(prog_name="claimdb")


if __name__ == "__main__":
    main()
