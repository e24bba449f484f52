"""`parley graph`: draw a scenario as a Mermaid or Graphviz DOT graph."""

from __future__ import annotations

import click

from engine.model import Scenario
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
@click.option(
    "--open",
    "open_page",
    is_flag=True,
    help="Write an HTML page to read the graph (Mermaid bundled, coverage from an autoplay "
    "run, hinges marked, nodes linked to their lines) and open it in the browser.",
)
@click.option(
    "--runs",
    type=click.IntRange(0, 1_000_000),
    default=2000,
    show_default=True,
    help="With --open: random plays for the coverage colours (0: none).",
)
@pass_settings
def command(
    settings: Settings,
    scenario: str,
    fmt: str,
    output: str | None,
    lang: str | None,
    open_page: bool,
    runs: int,
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
    if open_page:
        _open_page(settings, sc, lang, runs, output)
        return
    text = to_mermaid(sc, lang) if fmt == "mermaid" else to_dot(sc, lang)
    emit(text, output)


def _open_page(
    settings: Settings, sc: Scenario, lang: str | None, runs: int, output: str | None
) -> None:
    import os
    import webbrowser
    from pathlib import Path

    from engine.autoplay import autoplay
    from simulator.graph_page import page

    report = autoplay(sc, runs, seed=0) if runs else None
    text = page(sc, report, lang)
    if output is None:
        from simulator.paths import data_dir

        folder = data_dir() / "graphs"
        folder.mkdir(parents=True, exist_ok=True)
        output = str(folder / f"{sc.id}.html")
    emit(text, output)
    url = Path(output).resolve().as_uri()
    # no browser to open in CI or without a screen: say where the page is
    if os.environ.get("CI") or not webbrowser.open(url):
        click.echo(f"open {url} in a browser", err=True)
