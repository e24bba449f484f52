"""`parley play`: play a scenario headless (--choices) or in the app."""

from __future__ import annotations

import json

import click

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.feedback import FEEDBACK_MODES, resolve_mode
from engine.play import mode_transcript, play_json
from simulator.cli.common import resolve_scenario, root_option, who_options
from simulator.recording import finish_scripted, remember_options, scripted_recorder


def _split(choices: str | None) -> list[str]:
    if not choices:
        return []
    return [c.strip() for c in choices.split(",") if c.strip()]


@click.command("play")
@click.argument("scenario")
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
    type=click.Choice(FEEDBACK_MODES),
    default=None,
    help="immediate: coaching after each answer; debrief: only the debrief at the end "
    "(default: the scenario's feedback_mode).",
)
@who_options
@click.option("--record", is_flag=True, help="Record a headless play (--choices) for the trainer.")
@click.option(
    "--watch", is_flag=True, help="Reload the file in the app whenever it changes (for authors)."
)
@click.pass_context
def command(
    ctx: click.Context,
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
) -> None:
    """Play SCENARIO (a file or a bundled id). With --choices or --json it plays headless."""
    if watch and choices is None and not as_json:
        from simulator.launch import run_watched

        lang, feedback = root_option(ctx, "lang", lang), root_option(ctx, "feedback", feedback)
        run_watched(
            {**(ctx.find_root().obj or {}), "watch": True, "feedback": feedback, "lang": lang},
            scenario,
        )
        return
    sc = resolve_scenario(ctx, scenario)
    remember_options(ctx.find_root().obj, participant=participant, cohort=cohort, db_path=db_path)
    lang = root_option(ctx, "lang", lang)
    mode = resolve_mode(sc, root_option(ctx, "feedback", feedback))
    if lang is not None and lang not in sc.languages:
        click.echo(
            f"parley: note: '{sc.id}' has no '{lang}' text; playing in {sc.language} "
            f"(it has: {', '.join(sorted(sc.languages))})",
            err=True,
        )
    if choices is None and not as_json:
        try:
            from simulator.launch import run_scenario
        except ModuleNotFoundError:
            raise ParleyError("the app is not available; use --choices to play headless") from None
        options = dict(ctx.find_root().obj or {})
        options["feedback"] = mode
        if seed is not None:
            options["seed"] = seed
        run_scenario(options, sc)
        return
    conv = Conversation(sc, lang=lang, seed=seed)
    recorder = scripted_recorder(ctx.find_root().obj, record)
    if recorder is not None:
        recorder.on_start(conv)
    for ref in _split(choices):
        step = conv.choose(ref)
        if recorder is not None:
            recorder.on_step(conv, step)
    if as_json:
        click.echo(json.dumps(play_json(conv), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(mode_transcript(conv, mode)))
    note = finish_scripted(recorder, conv)
    if note:
        click.echo(note, err=True)
