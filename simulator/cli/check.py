"""`parley check PATH...`: load errors and warnings, one line per finding."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_SECONDS, DEFAULT_MAX_STATES
from engine.check_report import CheckUsageError, check_paths
from simulator.cli.common import pass_settings
from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.tells import TellsStats

# (the passes, the loader and the graph library are imported only for a file the results
# cache does not hold: engine.check_report.check_paths)


def tells_table(files: list[str]) -> list[TellsStats]:
    """Per-scenario, per-language tells of every scenario file that loads."""
    from engine.errors import ParleyError
    from engine.loader import load_scenario
    from engine.tells import all_stats

    out: list[TellsStats] = []
    for f in files:
        if Path(f).parent.name == "frameworks":
            continue
        try:
            out += all_stats(load_scenario(f))
        except ParleyError:
            continue  # its load errors are among the findings already
    return out


@click.command("check")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--strict", is_flag=True, help="Treat warnings as errors (exit 1 when there are any)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="json: a list of findings (file, line, col, severity, code, message, hint); "
    "github: GitHub Actions annotations (::error file=...,line=...::...); "
    "sarif: a SARIF 2.1.0 log for code-scanning pages.",
)
@click.option(
    "--tells",
    is_flag=True,
    help="Also look for answers given away by their form (P220-P227) and print the "
    "per-scenario table of tells (JSON: {findings, tells}).",
)
@click.option(
    "--max-states",
    type=click.IntRange(min=1, max=100_000_000),
    default=DEFAULT_MAX_STATES,
    show_default=True,
    help="Bound on the states explored for condition-dependent findings.",
)
@click.option(
    "--max-seconds",
    type=click.FloatRange(min=0.1, max=3600),
    default=DEFAULT_MAX_SECONDS,
    show_default=True,
    help="Time budget for state exploration per file (0.1 to 3600); memory is bounded "
    f"to {DEFAULT_MAX_MEMORY_MB} MB. A file that reaches a budget gets P211.",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Check every file afresh (results of unchanged files are otherwise reused).",
)
@pass_settings
def command(
    settings: Settings,
    paths: tuple[str, ...],
    strict: bool,
    fmt: str,
    max_states: int,
    max_seconds: float,
    tells: bool = False,
    no_cache: bool = False,
) -> None:
    """Check scenario files, or folders of them (*.yaml, recursively).

    Files in a `frameworks/` folder are checked as frameworks. Exit status: 0 when
    there are no errors, 1 when there are errors (or warnings under --strict),
    2 for usage errors. Every code is explained in docs/diagnostics.md.
    """
    if not paths:
        raise click.UsageError("give at least one scenario file or folder to check")
    try:
        report = check_paths(
            paths,
            strict=strict,
            max_states=max_states,
            max_seconds=max_seconds,
            tells=tells,
            cache=None if no_cache else settings.check_cache(),
        )
    except CheckUsageError as exc:
        raise click.UsageError(exc.message) from None
    stats = tells_table(report.files) if tells else []
    if fmt == "json":
        import json

        findings = [d.as_dict() for d in report.diagnostics]
        doc: object = findings
        if tells:
            doc = {"findings": findings, "tells": [s.as_dict() for s in stats]}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        click.echo(report.summary(), err=True)
    elif fmt == "github":
        from engine.findings_formats import github_annotations

        click.echo(github_annotations(report.diagnostics), nl=False)
        click.echo(report.summary(), err=True)
    elif fmt == "sarif":
        import json

        from engine.findings_formats import sarif_log
        from simulator import __version__

        log = sarif_log(report.diagnostics, __version__)
        click.echo(json.dumps(log, indent=2, ensure_ascii=False))
        click.echo(report.summary(), err=True)
    else:
        for d in report.diagnostics:
            click.echo(d.format())
        if tells:
            from engine.tells import load_tells_config, table_lines

            click.echo("")
            for line in table_lines(stats, load_tells_config().thresholds):
                click.echo(line)
            click.echo("")
        click.echo(report.summary())
    if not report.ok:
        # sys.exit, not click's Exit: main() runs click with standalone_mode=False
        sys.exit(1)
