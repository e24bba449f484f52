"""`parley graph`: draw a scenario as a Mermaid or Graphviz DOT graph."""

from __future__ import annotations

import click

from engine.graph import to_dot, to_mermaid
from simulator.cli.common import emit, resolve_scenario, root_option


@click.command("graph")
@click.argument("scenario")
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
@click.pass_context
def command(
    ctx: click.Context, scenario: str, fmt: str, output: str | None, lang: str | None
) -> None:
    """Draw SCENARIO (a file or a bundled id) as a graph.

    Nodes show their id and speaker; endings are shaped and coloured by outcome
    (success green, partial amber, failure red); choice edges carry a short form of
    the line; automatic `next` edges are dashed and carry their condition.
    """
    sc = resolve_scenario(ctx, scenario)
    lang = root_option(ctx, "lang", lang)
    text = to_mermaid(sc, lang) if fmt == "mermaid" else to_dot(sc, lang)
    emit(text, output)
