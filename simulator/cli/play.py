"""`parley play`: play a scenario headless (--choices) or in the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from simulator.cli.common import (
    complete_scenario,
    lrs_options,
    pass_settings,
    resolve_scenario,
    who_options,
)
from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.conversation import Conversation, StartPoint
    from engine.feedback import FeedbackMode
    from engine.model import Scenario
    from simulator.hooks import PlayHooks


def _split(choices: str | None) -> list[str]:
    if not choices:
        return []
    return [c.strip() for c in choices.split(",") if c.strip()]


@click.command("play")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option(
    "--choices",
    default=None,
    help="Comma-separated choice ids (or <node>.<n>, n in file order) to play headless.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=None,
    help="Show the options in the order of play number SEED (the app draws a new one per "
    "play; headless play keeps file order unless given).",
)
@click.option(
    "--from",
    "from_node",
    default=None,
    help="For authors: begin at this node instead of the start (with --choices or --json).",
)
@click.option(
    "--set",
    "set_state",
    default=None,
    help="With --from: the state to be there in, e.g. trust=60,rung=peer,agreed=true "
    "(left out: as at the start).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the end state as JSON.")
@click.option(
    "--lang", default=None, help="Language, e.g. en, nl, sv (falls back to the scenario's)."
)
@click.option(
    "--feedback",
    "feedback",
    type=click.Choice(["immediate", "debrief"]),
    default=None,
    help="immediate: coaching after each answer; debrief: only the debrief at the end "
    "(default: the scenario's feedback_mode).",
)
@who_options
@click.option("--record", is_flag=True, help="Record a headless play (--choices) for the trainer.")
@click.option(
    "--watch", is_flag=True, help="Reload the file in the app whenever it changes (for authors)."
)
@click.option(
    "--author",
    is_flag=True,
    help="For authors, in the app: ctrl+j jumps to any node, ctrl+e sets trust, rung and flags, "
    "and a panel shows the node's links in and out. Nothing is saved or recorded.",
)
@click.option(
    "--plain",
    is_flag=True,
    help="Lines only: numbered options, answer with a number (for screen readers and braille; "
    "chosen by itself when TERM=dumb or the output is not a terminal).",
)
@lrs_options
@pass_settings
def command(
    settings: Settings,
    scenario: str,
    choices: str | None,
    from_node: str | None,
    set_state: str | None,
    as_json: bool,
    lang: str | None,
    feedback: str | None,
    seed: int | None = None,
    participant: str | None = None,
    cohort: str | None = None,
    db_path: str | None = None,
    record: bool = False,
    watch: bool = False,
    author: bool = False,
    plain: bool = False,
    lrs: str | None = None,
    lrs_credentials: str | None = None,
) -> None:
    """Play SCENARIO (a file or a bundled id). With --choices or --json it plays headless."""
    settings = settings.with_given(
        lang=lang,
        feedback=feedback,
        participant=participant,
        cohort=cohort,
        db_path=db_path,
        lrs=lrs,
        lrs_credentials=lrs_credentials,
        seed=seed,
    )
    if set_state is not None and from_node is None:
        raise click.UsageError("--set needs --from NODE")
    if from_node is not None and choices is None:
        choices = ""  # a play from a node is a headless play
    interactive = choices is None and not as_json
    if author:
        if not interactive:
            raise click.UsageError("--author is for the app; use --from NODE with --choices")
        settings = settings.with_given(author=True)
    if interactive and not plain and _wants_plain():
        plain = True
    if watch and interactive and not plain:
        from simulator.launch import run_watched

        run_watched(settings.with_given(watch=True), scenario)
        return
    sc = resolve_scenario(settings, scenario)
    from engine.feedback import resolve_mode

    lang = settings.lang
    mode = resolve_mode(sc, settings.feedback)
    if lang is not None and lang not in sc.languages:
        click.echo(
            f"parley: note: '{sc.id}' has no '{lang}' text; playing in {sc.language} "
            f"(it has: {', '.join(sorted(sc.languages))})",
            err=True,
        )
    if interactive and plain:
        _play_plain(settings, sc, mode)
        return
    if interactive:
        from simulator.launch import run_scenario

        run_scenario(settings.with_given(feedback=mode), sc)
        return
    start = None
    if from_node is not None:
        from engine.startpoint import start_point

        start = start_point(from_node, set_state)
    _play_headless(settings, sc, _split(choices), as_json, mode, record, start)


def _from_line(conv: Conversation, start: StartPoint, possible: bool | None) -> str:
    """What an author reads first in a play begun at a node."""
    flags = ", ".join(f"{k}={v}" for k, v in start.flags.items())
    trust = start.trust if start.trust is not None else conv.scenario.trust_start
    state = f"trust {trust}, rung {conv.rung_path[0]}" + (f", {flags}" if flags else "")
    label = {
        True: "a play from the start can be here",
        False: "NOTE: this state cannot occur in a play from the start",
        None: "whether a play can be here is unknown (too many states to explore)",
    }[possible]
    return f"[from '{start.node}' with {state}: {label}]\n"


def _wants_plain() -> bool:
    """TERM=dumb, or an output that is not a terminal (a pipe, a screen reader's log)."""
    import os
    import sys

    if os.environ.get("TEXTUAL_DRIVER"):  # served by textual-serve: the app draws
        return False
    return os.environ.get("TERM") == "dumb" or not sys.stdout.isatty()


def _play_plain(settings: Settings, sc: Scenario, mode: FeedbackMode) -> None:
    import sys

    from simulator.lrs_hook import LrsHook
    from simulator.plain import PlainPlayer
    from simulator.recording import Recorder

    def warn(message: str) -> None:
        click.echo(message, err=True)

    recorder = Recorder.from_settings(settings)
    lrs_hook = LrsHook.from_settings(settings, recorder, warn)
    hooks: list[PlayHooks] = [recorder] if lrs_hook is None else [recorder, lrs_hook]
    try:
        PlainPlayer(
            sc,
            sys.stdin,
            sys.stdout,
            lang=settings.lang,
            seed=settings.play_seed(),
            mode=mode,
            hooks=hooks,
            warn=warn,
        ).run()
    finally:
        if lrs_hook is not None:
            lrs_hook.flush()
        recorder.close()


def _play_headless(
    settings: Settings,
    sc: Scenario,
    choices: list[str],
    as_json: bool,
    mode: FeedbackMode,
    record: bool,
    start: StartPoint | None = None,
) -> None:
    import json

    from engine.conversation import Conversation
    from engine.play import mode_transcript, play_json

    conv = Conversation(sc, lang=settings.lang, start=start, seed=settings.seed)  # None: file order
    possible: bool | None = True
    if start is not None:
        from engine.startpoint import can_occur

        possible = can_occur(sc, conv)
    recorder = None
    lrs_hook = None
    if record or settings.lrs:  # statements for an LRS leave through the records store
        from simulator.recording import Recorder

        recorder = Recorder.from_settings(settings, mode="scripted")
        if settings.lrs:  # (the LRS client, xAPI and HTTP are imported only for --lrs)
            from simulator.lrs_hook import LrsHook

            lrs_hook = LrsHook.from_settings(
                settings, recorder, lambda message: click.echo(message, err=True)
            )
        recorder.on_start(conv)
        if lrs_hook is not None:
            lrs_hook.on_start(conv)
    for ref in choices:
        step = conv.choose(ref)
        if recorder is not None:
            recorder.on_step(conv, step)
        if lrs_hook is not None:
            lrs_hook.on_step(conv, step)
    if as_json:
        data = play_json(conv)
        if start is not None:
            data["from"] = {**start.as_dict(), "can_occur": possible}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        if start is not None:
            click.echo(_from_line(conv, start, possible))
        click.echo("\n".join(mode_transcript(conv, mode)))
    if recorder is not None:
        from simulator.recording import finish_scripted

        if lrs_hook is not None:
            if conv.ended:
                recorder.on_end(conv)
                lrs_hook.on_end(conv)
            lrs_hook.flush()
        note = finish_scripted(recorder, conv)
        if note:
            click.echo(note, err=True)
