"""`parley export`: a scenario as a single-file web player, or as a SCORM 1.2 / cmi5 package."""

from __future__ import annotations

from pathlib import Path

import click

from engine.errors import ParleyError
from simulator.cli.common import complete_scenario, pass_settings, resolve_scenario
from simulator.settings import Settings


def _langs(scenario_langs: frozenset[str], default: str, lang: str | None) -> list[str] | None:
    """--lang: None (every language, the scenario's own first) or one language it has."""
    if lang is None or lang == "all":
        return None
    if lang not in scenario_langs:
        raise ParleyError(
            f"the scenario has no '{lang}' text",
            hint=f"use one of: {', '.join(sorted(scenario_langs))}, or all",
        )
    return [lang]


@click.command("export")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option(
    "--web", "kind", flag_value="web", help="A folder with one self-contained index.html."
)
@click.option("--scorm12", "kind", flag_value="scorm12", help="A SCORM 1.2 package (.zip).")
@click.option("--cmi5", "kind", flag_value="cmi5", help="A cmi5 package (.zip).")
@click.option("-o", "--output", required=True, help="The folder (--web) or .zip file to write.")
@click.option("--lang", default=None, help="One language, or all (default: all it has).")
@pass_settings
def command(
    settings: Settings, scenario: str, kind: str | None, output: str, lang: str | None
) -> None:
    """Export SCENARIO (a file or a bundled id) for a browser or an LMS.

    The web player needs no server and no network: the engine compiles every reachable
    state of the scenario into a table that the page walks.
    """
    if kind is None:
        raise click.UsageError("say what to export: --web, --scorm12 or --cmi5")
    sc = resolve_scenario(settings, scenario)
    from engine.statetable import compile_table

    table = compile_table(sc, _langs(sc.languages, sc.language, lang))
    out = Path(output)
    try:
        if kind == "web":
            from engine.webplayer import render_page

            out.mkdir(parents=True, exist_ok=True)
            target = out / "index.html"
            target.write_text(render_page(table), encoding="utf-8")
        else:
            from engine.lms import write_package

            target = out
            write_package(kind, sc, table, out)
    except OSError as exc:
        raise ParleyError(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(
        f"wrote {target} ({table.states:,} states, {', '.join(table.langs)})",
        err=True,
    )
