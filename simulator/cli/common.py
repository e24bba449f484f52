"""Helpers shared by the CLI commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from engine.library import find_scenario
from engine.loader import load_scenario
from engine.model import Scenario


def scenario_dirs(ctx: click.Context) -> tuple[Path, ...]:
    obj: dict[str, Any] = ctx.find_root().obj or {}
    dirs = [Path(d) for d in obj.get("scenario_dirs", ())]
    from simulator.paths import user_scenarios_dir

    dirs.append(user_scenarios_dir())
    return tuple(dirs)


def resolve_scenario(ctx: click.Context, ref: str) -> Scenario:
    """A path or bundled id -> loaded Scenario (ParleyError on any problem)."""
    return load_scenario(find_scenario(ref, scenario_dirs(ctx)))


def root_option(ctx: click.Context, name: str, value: Any = None) -> Any:
    """A subcommand option, falling back to the same option given before the subcommand."""
    if value is not None:
        return value
    obj: dict[str, Any] = ctx.find_root().obj or {}
    return obj.get(name)


F = TypeVar("F", bound=Callable[..., Any])


def db_option(f: F) -> F:
    """--db: the records store, a SQLite file or a postgresql:// URL."""
    return click.option(
        "--db",
        "db_path",
        default=None,
        metavar="FILE|URL",
        help="Play records: a SQLite file, or postgresql://user@host/dbname "
        "(default: $PARLEY_DB, else a file in your user data folder).",
    )(f)


def who_options(f: F) -> F:
    """--participant, --cohort and --db: who is playing, for the trainer's records."""
    f = db_option(f)
    f = click.option(
        "--cohort", default=None, help="Workshop or group name, for the trainer's records."
    )(f)
    return click.option(
        "--participant", default=None, help="Your name, for the trainer's records."
    )(f)


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to the file `output` and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output}", err=True)
