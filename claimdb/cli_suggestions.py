"""`claimdb suggestions …`: train the attribution suggestions' model from the desk, and see whether it is due.

Kept apart from cli.py (which registers it with one import) so the suggestions can grow their own commands.
Retraining is due every ``RETRAIN_EVERY`` recorded statements; run ``claimdb suggestions train --if-due``
from cron (or after an import) to keep the model current on desks too large to retrain inside a request.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from claimdb.cli import cli, command_session, fail
from claimdb.errors import DomainError
from claimdb.services import suggestions


@cli.group("suggestions")
def suggestions_group() -> None:
    """Attribution suggestions: train the model from the desk, show its status."""


@suggestions_group.command("train")
@click.option("--if-due", is_flag=True,
              help=f"Train only when {suggestions.RETRAIN_EVERY} or more statements were recorded since the last "
              "training (for cron).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same data and seed give the "
              "same model.")
@with_appcontext
def train(if_due: bool, seed: int) -> None:
    """Retrain the suggestions' model on the recorded statements and dismissed suggestions."""
    session = command_session("claimdb suggestions train")
    if if_due:
        state = suggestions.status(session)
        if not state.due:
            click.echo(f"Not due: {state.new_statements} new statement(s) since the last training "
                       f"(retraining every {suggestions.RETRAIN_EVERY}).")
            return
    click.echo("Training…", err=True)
    try:
        report = suggestions.train_from_desk(session, seed=seed)
    except DomainError as e:
        fail(e)
        return
    click.echo(report.summary())


@suggestions_group.command("status")
@with_appcontext
def status() -> None:
    """When the model was trained, on how much, and whether retraining is due."""
    state = suggestions.status(command_session())
    if state.trained_at is None:
        click.echo("No model trained yet: suggestions come from the rules alone.")
    else:
        click.echo(f"Trained {state.trained_at} on {state.sources} source(s), {state.attributions} attribution(s), "
                   f"{state.dismissals} dismissal(s).")
    click.echo(f"{state.new_statements} statement(s) recorded since; retraining is "
               f"{'due' if state.due else 'not due'} (every {suggestions.RETRAIN_EVERY}).")
