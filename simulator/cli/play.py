"""`parley play`: play a scenario headless (--choices) or in the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from simulator.cli.common import complete_scenario, pass_settings, resolve_scenario, who_options
from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.feedback import FeedbackMode
    from engine.model import Scenario


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
@click.option("--json", "as_json", is_flag=True, help="Print the end state as JSON.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=None,
    help="Show the options in the order of play number SEED (the app draws a new one per "
    "play; headless play keeps file order unless given).",
)
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
    "--plain",
    is_flag=True,
    help="Lines only: numbered options, answer with a number (for screen readers and braille; "
    "chosen by itself when TERM=dumb or the output is not a terminal).",
)
@pass_settings
def command(
    settings: Settings,
    scenario: str,
    choices: str | None,
    as_json: bool,
    lang: str | None,
    feedback: str | None,
    seed: int | None = None,
    participant: str | None = None,
    cohort: str | None = None,
    db_path: str | None = None,
    record: bool = False,
    watch: bool = False,
    plain: bool = False,
) -> None:
    """Play SCENARIO (a file or a bundled id). With --choices or --json it plays headless."""
    settings = settings.with_given(
        lang=lang,
        feedback=feedback,
        participant=participant,
        cohort=cohort,
        db_path=db_path,
        seed=seed,
    )
    interactive = choices is None and not as_json
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
    _play_headless(settings, sc, _split(choices), as_json, mode, record)


def _wants_plain() -> bool:
    """TERM=dumb, or an output that is not a terminal (a pipe, a screen reader's log)."""
    import os
    import sys

    if os.environ.get("TEXTUAL_DRIVER"):  # served by textual-serve: the app draws
        return False
    return os.environ.get("TERM") == "dumb" or not sys.stdout.isatty()


def _play_plain(settings: Settings, sc: Scenario, mode: FeedbackMode) -> None:
    import sys

    from simulator.plain import PlainPlayer
    from simulator.recording import Recorder

    recorder = Recorder.from_settings(settings)
    try:
        PlainPlayer(
            sc,
            sys.stdin,
            sys.stdout,
            lang=settings.lang,
            seed=settings.play_seed(),
            mode=mode,
            hooks=[recorder],
            warn=lambda message: click.echo(message, err=True),
        ).run()
    finally:
        recorder.close()


def _play_headless(
    settings: Settings,
    sc: Scenario,
    choices: list[str],
    as_json: bool,
    mode: FeedbackMode,
    record: bool,
) -> None:
    import json

    from engine.conversation import Conversation
    from engine.play import mode_transcript, play_json

    conv = Conversation(sc, lang=settings.lang, seed=settings.seed)  # headless: file order
    recorder = None
    if record:
        from simulator.recording import Recorder

        recorder = Recorder.from_settings(settings, mode="scripted")
        recorder.on_start(conv)
    for ref in choices:
        step = conv.choose(ref)
        if recorder is not None:
            recorder.on_step(conv, step)
    if as_json:
        click.echo(json.dumps(play_json(conv), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(mode_transcript(conv, mode)))
    if recorder is not None:
        from simulator.recording import finish_scripted

        note = finish_scripted(recorder, conv)
        if note:
            click.echo(note, err=True)
