"""`parley report`: a cohort's plays as a table, Markdown, CSV, JSON, HTML or xAPI."""

from __future__ import annotations

import gc
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from engine.errors import ParleyError
from engine.report_render import DEFAULT_XAPI_BASE, FORMATS
from simulator.cli.common import db_option, pass_settings
from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.model import Scenario
    from engine.records import PlayRecord
    from engine.report import ScenarioLoader
    from engine.scenario_cache import ScenarioCache


def scenario_loader(
    dirs: tuple[Path, ...], compiled: ScenarioCache | None = None
) -> ScenarioLoader:
    """Each play's scenario file (by id in `dirs`, else at the path it was played from),
    once per file; from the compiled-scenario cache when it loaded before (no YAML or
    pydantic then: engine.scenario_cache)."""
    from engine.library import find_scenario
    from engine.scenario_cache import load_scenario_cached

    cache: dict[tuple[str, str | None], Scenario | None] = {}

    def load(play: PlayRecord) -> Scenario | None:
        key = (play.scenario_id, play.scenario_path)
        if key not in cache:
            cache[key] = None
            refs = [play.scenario_id] + ([play.scenario_path] if play.scenario_path else [])
            for ref in refs:
                try:
                    sc = load_scenario_cached(find_scenario(ref, dirs), compiled)
                except ParleyError:
                    continue
                if sc.id == play.scenario_id:
                    cache[key] = sc
                    break
        return cache[key]

    return load


def reproducible_now() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds' convention) fixes the report's 'generated'
    time, so two reports of the same plays can be compared byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC)


@click.command("report")
@click.option("--cohort", default=None, help="The cohort to report on (default: every play).")
@click.option("--scenario", "scenario_id", default=None, help="Only this scenario id.")
@click.option(
    "--participant",
    "learner",
    default=None,
    help="A progress report on one learner: their attempts, first / last / best, trends.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table/md/csv/json/html, or xapi: one xAPI statement per line.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to FILE."
)
@db_option
@click.option(
    "--xapi-base",
    default=DEFAULT_XAPI_BASE,
    show_default=True,
    help="Base IRI for xAPI activity ids, verbs and account home page (your site).",
)
@pass_settings
def command(
    settings: Settings,
    cohort: str | None,
    scenario_id: str | None,
    fmt: str,
    output: str | None,
    db_path: str | None,
    xapi_base: str,
    learner: str | None = None,
) -> None:
    """Report on a cohort's plays: completion, outcomes, dimension averages, how the
    cohort split at each decision, the most common turning points, and each learner's
    progress across attempts (--participant: one learner's progress report)."""
    # a report makes many small objects and no garbage cycles: the collector's passes over
    # them cost about a sixth of a big report (bench/README.md), so it waits until the end
    gc.disable()
    try:
        _report(settings, cohort, scenario_id, fmt, output, db_path, xapi_base, learner)
    finally:
        gc.enable()


def _report(
    settings: Settings,
    cohort: str | None,
    scenario_id: str | None,
    fmt: str,
    output: str | None,
    db_path: str | None,
    xapi_base: str,
    learner: str | None,
) -> None:
    from engine.records import open_store, store_exists
    from engine.report import build_report
    from engine.report_render import render_chunks

    settings = settings.with_given(cohort=cohort, db_path=db_path)
    cohort = settings.cohort
    path = settings.records_target()
    if not store_exists(path):
        raise ParleyError(
            f"no records database at {path}",
            hint="plays are recorded there once someone plays; or point to one with --db FILE",
        )
    dirs = settings.all_scenario_dirs()
    with open_store(path) as store:
        known = [c for c, _ in store.cohorts()]
        report = build_report(
            store,
            cohort,
            scenario_id,
            load=scenario_loader(dirs, settings.scenario_cache()),
            now=reproducible_now(),
            full=fmt == "xapi",
            participant=learner,
        )
        if learner is not None and not report.scenarios:
            names = sorted(
                {str(r[0]) for r in store.query("SELECT DISTINCT participant FROM plays") if r[0]}
            )
            shown = ", ".join(repr(n) for n in names[:10]) + (", ..." if len(names) > 10 else "")
            where = f" in cohort '{cohort}'" if cohort else ""
            raise ParleyError(
                f"no plays recorded for participant '{learner}'{where}",
                hint=f"participants in {store.target}: {shown or 'none yet'}",
            )
    if not report.scenarios and cohort is not None and cohort not in known:
        cohorts = ", ".join(repr(c) for c in known if c) or "none yet"
        raise ParleyError(
            f"no plays recorded for cohort '{cohort}'",
            hint=f"cohorts in {store.target}: {cohorts}",
        )
    chunks = render_chunks(report, fmt, xapi_base=xapi_base)  # written as they are made
    if output:
        try:
            with open(output, "w", encoding="utf-8") as out:
                for chunk in chunks:
                    out.write(chunk)
        except OSError as exc:
            raise ParleyError(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"parley: wrote {fmt} report ({report.plays} plays) to {output}", err=True)
    else:
        for chunk in chunks:
            click.echo(chunk, nl=False)
