"""Helpers shared by the CLI commands: the settings decorator, shared options, completion.

Kept light on purpose (click and the settings object only): it is imported by every
command, so anything heavy (the loader, the records store) is imported inside functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from simulator.settings import Settings

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from engine.model import Scenario

# Every command takes the group's settings with `@pass_settings` (as its first argument).
pass_settings = click.make_pass_decorator(Settings, ensure=True)

DB_HELP = (
    "Play records: a SQLite file, or postgresql://user@host/dbname "
    "(default: records.sqlite3 in your user data folder)."
)


def resolve_scenario(settings: Settings, ref: str) -> Scenario:
    """A path or bundled id -> loaded Scenario (ParleyError on any problem); from the
    compiled-scenario cache when the file loaded before (engine.scenario_cache)."""
    from engine.library import find_scenario
    from engine.scenario_cache import load_scenario_cached

    path = find_scenario(ref, settings.all_scenario_dirs())
    return load_scenario_cached(path, settings.scenario_cache())


def _scenario_ids(settings: Settings) -> list[str]:
    from engine.library import list_scenarios

    try:
        return [p.stem for p in list_scenarios(settings.all_scenario_dirs())]
    except OSError:
        return []


def complete_scenario(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion for SCENARIO: bundled and user scenario ids, then file names."""
    from click.shell_completion import CompletionItem

    # completion runs no callbacks: read --scenarios from the line typed so far
    given = ctx.find_root().params.get("scenario_dirs") or ()
    settings = Settings(scenario_dirs=tuple(Path(str(d)) for d in given))
    ids = sorted({i for i in _scenario_ids(settings) if i.startswith(incomplete)})
    return [CompletionItem(i) for i in ids] + [CompletionItem(incomplete, type="file")]


def complete_framework(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion for a framework id: the bundled frameworks (sore, grow, ...)."""
    from click.shell_completion import CompletionItem

    from engine.library import bundled_frameworks_dir

    ids = sorted(p.stem for p in bundled_frameworks_dir().glob("*.yaml"))
    return [CompletionItem(i) for i in ids if i.startswith(incomplete)]


F = TypeVar("F", bound=Callable[..., Any])


def db_option(f: F) -> F:
    """--db: the records database (overrides the one given before the command)."""
    return click.option("--db", "db_path", default=None, metavar="FILE|URL", help=DB_HELP)(f)


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


def lrs_options(f: F) -> F:
    """--lrs and --lrs-credentials on a command (the same as before the command)."""
    f = click.option(
        "--lrs-credentials",
        default=None,
        metavar="FILE",
        help="A file with one line user:password for the LRS "
        "(else PARLEY_LRS_USER and PARLEY_LRS_PASSWORD).",
    )(f)
    return click.option(
        "--lrs",
        default=None,
        metavar="URL",
        help="Send each play's xAPI statements to this LRS (its xAPI endpoint), through the "
        "records store's outbox; see docs/xapi.md.",
    )(f)
