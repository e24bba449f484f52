"""`parley graph`: draw a scenario as a Mermaid or Graphviz DOT graph."""

from __future__ import annotations

import click

from simulator.cli.common import complete_scenario, emit, pass_settings, resolve_scenario
from simulator.settings import Settings


@click.command("graph")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="mermaid renders in GitHub Markdown; dot is for Graphviz (dot -Tsvg).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of printing.",
)
@click.option("--lang", default=None, help="Language of the labels (default: the scenario's).")
@pass_settings
def command(
    settings: Settings, scenario: str, fmt: str, output: str | None, lang: str | None
) -> None:
    """Draw SCENARIO (a file or a bundled id) as a graph.

    Nodes show their id and speaker; endings are shaped and coloured by outcome
    (success green, partial amber, failure red); choice edges carry a short form of
    the line; automatic `next` edges are dashed and carry their condition.
    """
    from engine.graph import to_dot, to_mermaid

    settings = settings.with_given(lang=lang)
    sc = resolve_scenario(settings, scenario)
    lang = settings.lang
    text = to_mermaid(sc, lang) if fmt == "mermaid" else to_dot(sc, lang)
    emit(text, output)
