"""`parley play`: play a scenario headless (--choices) or in the app."""

from __future__ import annotations

import json

import click

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.play import play_json, transcript_lines
from simulator.cli.common import resolve_scenario, root_option


def _split(choices: str | None) -> list[str]:
    if not choices:
        return []
    return [c.strip() for c in choices.split(",") if c.strip()]


@click.command("play")
@click.argument("scenario")
@click.option("--choices", default=None, help="Comma-separated choice ids (or <node>.<n>) to play headless.")
@click.option("--json", "as_json", is_flag=True, help="Print the end state as JSON.")
@click.option("--lang", default=None, help="Language, e.g. en, nl, sv (falls back to the scenario's).")
@click.pass_context
def command(
    ctx: click.Context, scenario: str, choices: str | None, as_json: bool, lang: str | None
) -> None:
    """Play SCENARIO (a file or a bundled id). With --choices or --json it plays headless."""
    sc = resolve_scenario(ctx, scenario)
    lang = root_option(ctx, "lang", lang)
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
        run_scenario(ctx.find_root().obj, sc)
        return
    conv = Conversation(sc, lang=lang)
    for ref in _split(choices):
        conv.choose(ref)
    if as_json:
        click.echo(json.dumps(play_json(conv), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(transcript_lines(conv)))
