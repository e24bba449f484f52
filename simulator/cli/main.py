"""The `parley` command: a click group; each command lives in its own module.

Start-up is kept to click and this file: a command's module (and the engine parts it
needs) is imported only when that command runs, so `parley --version` and `--help`
import neither the loader, pydantic nor networkx (tests/test_startup.py proves it).
The group turns its options into one `Settings` (simulator/settings.py) that every command
receives through `pass_settings`; each PARLEY_* variable is declared on its option.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from simulator import __version__
from simulator.cli.common import DB_HELP
from simulator.settings import ENV_VARS, Settings

# command name -> (module under simulator.cli that defines `command`, its help's first words:
# `parley --help` shows these without importing the commands; tests/test_startup.py checks)
COMMANDS: dict[str, tuple[str, str]] = {
    "play": ("play", "Play SCENARIO (a file or a bundled id)."),
    "check": ("check", "Check scenario files, or folders of them (*.yaml, recursively)."),
    "graph": ("graph", "Draw SCENARIO (a file or a bundled id) as a graph."),
    "schema": ("schema", "Print the JSON Schema of the scenario format (version 1)."),
    "new": ("new", "Write a starter scenario ID.yaml that passes `parley check --strict`."),
    "autoplay": (
        "autoplay",
        "Play SCENARIO (a file or a bundled id) many times and report what happens.",
    ),
    "report": ("report", "Report on a cohort's plays."),
    "serve": ("serve", "Serve Parley to browsers for a workshop."),
    "room": ("room", "Room mode for a projector."),
    "lsp": ("lsp", "Run the Parley language server over stdio, for any editor."),
    "export": ("export", "Export SCENARIO (a file or a bundled id) for a browser or an LMS."),
    "records": ("records", "Look after the play records."),
    "i18n": ("i18n", "Translator round trip: export a scenario's texts, import the translations."),
}


class LazyGroup(click.Group):
    """Loads each command's module only when it is used (fast start, small imports)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`parley --help` lists the commands from COMMANDS, importing none of them."""
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Every PARLEY_* variable, and how to switch shell completion on."""
        with formatter.section("Environment (the option, when given, wins)"):
            formatter.write_dl(list(ENV_VARS.items()))
        with formatter.section("Shell completion (bash, zsh, fish; see docs/install.md)"):
            formatter.write_text('eval "$(_PARLEY_COMPLETE=bash_source parley)"  # in ~/.bashrc')

    def shell_complete(
        self, ctx: click.Context, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        """Command names complete from COMMANDS, without importing every command."""
        from click.shell_completion import CompletionItem

        items = [
            CompletionItem(name, help=short)
            for name, (_, short) in COMMANDS.items()
            if name.startswith(incomplete)
        ]
        items.extend(click.Command.shell_complete(self, ctx, incomplete))
        return items

    def _load(self, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        mod = importlib.import_module(f"simulator.cli.{entry[0]}")
        cmd = getattr(mod, "command", None)
        return cmd if isinstance(cmd, click.Command) else None


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="parley")
@click.option(
    "--scenarios",
    "scenario_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PARLEY_SCENARIOS",
    help="Also list scenarios from this folder (repeatable).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PARLEY_DATA_DIR",
    default=None,
    help="Keep saves, records and exports here (default: your user data folder).",
)
@click.option(
    "--participant",
    envvar="PARLEY_PARTICIPANT",
    default=None,
    help="Your name, for the trainer's records.",
)
@click.option(
    "--cohort",
    envvar="PARLEY_COHORT",
    default=None,
    help="Workshop or group name, for the trainer's records.",
)
@click.option(
    "--db",
    "db_path",
    envvar="PARLEY_DB",
    default=None,
    metavar="FILE|URL",
    help=DB_HELP,
)
@click.option(
    "--lang",
    envvar="PARLEY_LANG",
    default=None,
    help="Language to play in, e.g. en, nl, sv.",
)
@click.option(
    "--feedback",
    type=click.Choice(["immediate", "debrief"]),
    envvar="PARLEY_FEEDBACK",
    default=None,
    help="Coaching after each answer, or only in the debrief (default: the scenario's).",
)
@click.option(
    "--mode",
    type=click.Choice(["tui", "served"]),
    envvar="PARLEY_MODE",
    default="tui",
    hidden=True,
    help="served: this process plays for one browser under `parley serve`.",
)
@click.option(
    "--name-prompt/--no-name-prompt",
    envvar="PARLEY_ASK_NAME",
    default=False,
    hidden=True,
    help="Served: ask the player's name first.",
)
@click.option(
    "--lrs",
    envvar="PARLEY_LRS",
    default=None,
    metavar="URL",
    help="Send each play's xAPI statements to this LRS (its xAPI endpoint); see docs/xapi.md.",
)
@click.option(
    "--lrs-credentials",
    envvar="PARLEY_LRS_CREDENTIALS",
    default=None,
    metavar="FILE",
    help="A file with one line user:password for the LRS "
    "(else PARLEY_LRS_USER and PARLEY_LRS_PASSWORD).",
)
@click.option(
    "--lrs-user",
    envvar="PARLEY_LRS_USER",
    default=None,
    help="The LRS user, when no credentials file is given (password: PARLEY_LRS_PASSWORD).",
)
@click.option(
    "--lrs-password",
    envvar="PARLEY_LRS_PASSWORD",
    default=None,
    hidden=True,
    help="Set PARLEY_LRS_PASSWORD instead: a command line is visible to other users.",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    envvar="PARLEY_NO_CACHE",
    help="Load every scenario from its file (no compiled-scenario, check-results or words cache).",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="PARLEY_DEBUG",
    help="Show the full traceback of an internal error (for bug reports).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    scenario_dirs: tuple[Path, ...],
    data_dir: Path | None,
    participant: str | None,
    cohort: str | None,
    db_path: str | None,
    lang: str | None,
    feedback: str | None,
    mode: str,
    name_prompt: bool,
    lrs: str | None,
    lrs_credentials: str | None,
    lrs_user: str | None,
    lrs_password: str | None,
    no_cache: bool,
    debug: bool,
) -> None:
    """Parley: rehearse difficult workplace conversations.

    Run with no command to open the scenario picker.
    """
    settings = Settings(
        scenario_dirs=scenario_dirs,
        participant=participant,
        cohort=cohort,
        db_path=db_path,
        lang=lang,
        feedback=feedback,
        data_dir=data_dir,
        mode="served" if mode == "served" else "tui",
        name_prompt=name_prompt,
        debug=debug,
        lrs=lrs,
        lrs_credentials=lrs_credentials,
        lrs_user=lrs_user,
        lrs_password=lrs_password,
        cache=not no_cache,
    )
    ctx.obj = settings
    if data_dir is not None:
        from simulator.paths import use_data_dir

        use_data_dir(data_dir)
    _use_trainer_languages(settings.cache)
    if ctx.invoked_subcommand is None:
        from simulator.launch import run_picker

        run_picker(settings)


def _debug_requested(argv: list[str]) -> bool:
    return bool(os.environ.get("PARLEY_DEBUG")) or "--debug" in argv


def _use_trainer_languages(cache: bool) -> None:
    """Languages a trainer added as PO catalogues in <data folder>/locales (parley i18n app);
    catalogues read before are kept in the cache folder (not under --no-cache)."""
    from engine import messages
    from simulator.paths import cache_dir, locales_dir

    messages.use_locale_dir(locales_dir())
    messages.use_cache_dir(cache_dir() / "messages" if cache else None)


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback reaches a user."""
    args = sys.argv[1:] if argv is None else list(argv)
    # pydantic scans every installed distribution's entry points for plugins the first time
    # a model is built (tens of ms at each start); Parley uses none. Its documented switch
    # is this variable (a user's own setting wins); it talks to pydantic, no part of Parley.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from engine.errors import ParleyError
    from simulator.terminal import guard_streams, output_failed

    guard_streams()  # no control character from a scenario or a name reaches the terminal
    for i, arg in enumerate(args, start=1):
        if any("\ud800" <= c <= "\udfff" for c in arg):  # bytes that are not UTF-8
            click.echo(
                f"parley: argument {i} is not valid text (its bytes are not UTF-8)\n"
                "  hint: type it again, or set your terminal to UTF-8",
                err=True,
            )
            sys.exit(2)
    try:
        rv = cli.main(args=args, prog_name="parley", standalone_mode=False)
        sys.stdout.flush()  # (a full disk shows here, not at exit)
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
    except OSError as exc:
        message = output_failed(exc)
        if message is None:
            _internal_error(exc, args)
        click.echo(f"parley: {message}", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug: say so in one line, never a traceback
        _internal_error(exc, args)


def _internal_error(exc: Exception, args: list[str]) -> None:
    if _debug_requested(args):
        raise exc
    click.echo(
        f"parley: internal error: {type(exc).__name__}: {exc}\n"
        "  hint: this is a bug in Parley; run with --debug (or PARLEY_DEBUG=1) to see "
        "details and report it",
        err=True,
    )
    sys.exit(1)


if __name__ == "__main__":
    main()
