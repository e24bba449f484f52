"""`parley records`: look after the records store (copy a SQLite file into PostgreSQL)."""

from __future__ import annotations

import click

from engine.errors import ParleyError
from simulator.cli.common import db_option, pass_settings
from simulator.settings import Settings


@click.group("records")
def command() -> None:
    """Look after the play records (the store --db or PARLEY_DB names)."""


@command.command("migrate")
@db_option
@click.option(
    "--to",
    "to",
    required=True,
    metavar="URL",
    help="The PostgreSQL database to copy into, e.g. postgresql://parley@dbhost/academy",
)
@pass_settings
def migrate(settings: Settings, db_path: str | None, to: str) -> None:
    """Copy every play and step of the records store (--db, a SQLite file) into the
    PostgreSQL database at URL, and check the counts. Safe to repeat: plays already
    there are skipped."""
    from engine.records import display_target, is_postgres_url, open_store, store_exists
    from engine.records.copy import copy_store

    source = settings.with_given(db_path=db_path).records_target()
    if not is_postgres_url(to):
        raise click.UsageError(
            f"--to must be a postgresql:// URL, not {display_target(to)!r} "
            "(e.g. postgresql://parley@dbhost/academy)"
        )
    if not store_exists(source):
        raise ParleyError(
            f"no records database at {source}", hint="name the SQLite file to copy with --db FILE"
        )
    if display_target(source) == display_target(to):
        raise click.UsageError("--db and --to name the same database")
    with open_store(source) as src, open_store(to) as dst:
        result = copy_store(src, dst)
        total_plays, total_steps = dst.counts()
    click.echo(
        f"parley: copied {result.plays} plays and {result.steps} steps from {src.target} "
        f"to {dst.target}"
        + (f" ({result.skipped} plays were already there)" if result.skipped else "")
    )
    click.echo(
        f"parley: counts check: {result.source_plays} plays in the source, all in the target; "
        f"the target now holds {total_plays} plays and {total_steps} steps"
    )


@command.command("push")
@db_option
@click.option(
    "--lrs",
    default=None,
    metavar="URL",
    help="The LRS to send to (its xAPI endpoint; default: --lrs before the command, or PARLEY_LRS).",
)
@click.option(
    "--lrs-credentials",
    default=None,
    metavar="FILE",
    help="A file with one line user:password (else PARLEY_LRS_USER and PARLEY_LRS_PASSWORD).",
)
@pass_settings
def push(
    settings: Settings, db_path: str | None, lrs: str | None, lrs_credentials: str | None
) -> None:
    """Send the xAPI statements still waiting in the outbox to the LRS, oldest first."""
    from engine.lrs import lrs_from
    from engine.records import display_target, open_store, store_exists
    from engine.records.outbox import push as push_pending

    settings = settings.with_given(db_path=db_path, lrs=lrs, lrs_credentials=lrs_credentials)
    if not settings.lrs:
        raise click.UsageError("name the LRS: parley records push --lrs URL")
    target = settings.records_target()
    if not store_exists(target):
        raise ParleyError(
            f"no records database at {display_target(target)}",
            hint="name the file or URL the plays were recorded in with --db",
        )
    endpoint = lrs_from(
        settings.lrs, settings.lrs_credentials, settings.lrs_user, settings.lrs_password
    )
    with open_store(target) as store:
        result = push_pending(store, endpoint)
    click.echo(f"parley: sent {result.sent} statement(s) to {endpoint.endpoint}")
    for statement_id, reason in result.refused:
        click.echo(f"parley: the LRS refused statement {statement_id}: {reason}", err=True)
    if result.pending:
        raise ParleyError(
            f"{result.pending} statement(s) still wait in the outbox: {result.problem}",
            hint="run `parley records push` again when the LRS is reachable",
        )
