"""The `parley` command: a click group; each command lives in its own module."""

from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version

import click

from engine.errors import ParleyError
from simulator.cli.common import who_options

# command name -> module under simulator.cli that defines `command`
COMMANDS: dict[str, str] = {
    "play": "play",
    "check": "check",
    "graph": "graph",
    "schema": "schema",
    "new": "new",
    "autoplay": "autoplay",
    "report": "report",
    "serve": "serve",
    "room": "room",
    "records": "records",
}


def _version() -> str:
    try:
        return version("parley")
    except PackageNotFoundError:
        return "0+unknown"


class LazyGroup(click.Group):
    """Loads each command's module only when it is used (fast start, small imports)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def _load(self, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            mod = importlib.import_module(f"simulator.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"simulator.cli.{module}":
                return None  # not built yet
            raise
        cmd = getattr(mod, "command", None)
        return cmd if isinstance(cmd, click.Command) else None


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(_version(), "--version", "-V", prog_name="parley")
@click.option(
    "--scenarios",
    "scenario_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Also list scenarios from this folder (repeatable).",
)
@who_options
@click.option("--lang", default=None, help="Language to play in, e.g. en, nl, sv.")
@click.option(
    "--feedback",
    type=click.Choice(["immediate", "debrief"]),
    default=None,
    help="Coaching after each answer, or only in the debrief (default: the scenario's).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    scenario_dirs: tuple[str, ...],
    participant: str | None,
    cohort: str | None,
    db_path: str | None,
    lang: str | None,
    feedback: str | None,
) -> None:
    """Parley: rehearse difficult workplace conversations.

    Run with no command to open the scenario picker.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(
        scenario_dirs=scenario_dirs,
        participant=participant,
        cohort=cohort,
        db_path=db_path,
        lang=lang,
        feedback=feedback,
    )
    if ctx.invoked_subcommand is None:
        try:
            from simulator.launch import run_picker
        except ModuleNotFoundError:
            click.echo(ctx.get_help())
            return
        run_picker(ctx.obj)


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback reaches a user."""
    try:
        rv = cli.main(args=argv, prog_name="parley", standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ParleyError as exc:
        click.echo(f"parley: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: say so in one line, never a traceback
        if os.environ.get("PARLEY_DEBUG"):
            raise
        click.echo(
            f"parley: internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in Parley; run with PARLEY_DEBUG=1 to see details and report it",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
