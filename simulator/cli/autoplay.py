"""`parley autoplay`: many random plays, or every reachable state, summed up."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from engine.autoplay import (
    DEFAULT_MAX_TURNS,
    MAX_RUNS,
    MAX_TURNS_LIMIT,
    POLICIES,
    AutoplayReport,
    ExhaustiveReport,
    Progress,
    Stats,
    autoplay,
)
from engine.autoplay import exhaustive as run_exhaustive
from engine.difficulty import EARLY_ANSWERS, Difficulty, measure
from engine.explore import DEFAULT_MAX_STATES
from engine.model import Scenario
from simulator.cli.common import complete_scenario, pass_settings, resolve_scenario
from simulator.settings import Settings

MAX_JOBS = 64
PROGRESS_MIN_RUNS = 2000  # shorter runs finish before a bar is worth drawing


@click.command("autoplay")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option(
    "--runs",
    type=click.IntRange(1, MAX_RUNS),
    default=1000,
    show_default=True,
    help=f"Number of random plays (1 to {MAX_RUNS:,}).",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same report, whatever --jobs.",
)
@click.option(
    "--policy",
    type=click.Choice(POLICIES),
    default="random",
    show_default=True,
    help="random: any offered choice; least-used: the least-chosen offered choice "
    "(finds rare branches sooner).",
)
@click.option(
    "--jobs",
    type=click.IntRange(0, MAX_JOBS),
    default=1,
    show_default=True,
    help=f"Processes to play in (0: one per core, at most {MAX_JOBS}); pays off from about "
    "100,000 runs.",
)
@click.option(
    "--max-turns",
    type=click.IntRange(1, MAX_TURNS_LIMIT),
    default=DEFAULT_MAX_TURNS,
    show_default=True,
    help="A random play that has not ended after this many answers counts as unfinished.",
)
@click.option(
    "--exhaustive", is_flag=True, help="Explore every reachable state instead of playing at random."
)
@click.option(
    "--max-states",
    type=click.IntRange(1, 100_000_000),
    default=DEFAULT_MAX_STATES,
    show_default=True,
    help="With --exhaustive: stop after this many states.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_settings
def command(
    settings: Settings,
    scenario: str,
    runs: int,
    seed: int,
    policy: str,
    jobs: int,
    max_turns: int,
    exhaustive: bool,
    max_states: int,
    as_json: bool,
) -> None:
    """Play SCENARIO (a file or a bundled id) many times and report what happens.

    Random plays report endings and outcomes, node and choice coverage (with what was
    never reached or chosen), the spread of final trust and scores, and the exact
    difficulty evidence (random-play success rate, endings within three answers). --exhaustive
    explores every reachable state under the real rules instead.
    """
    sc = resolve_scenario(settings, scenario)
    if exhaustive:
        ex = run_exhaustive(sc, max_states)
        if as_json:
            click.echo(json.dumps(ex.as_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(exhaustive_lines(sc, ex)))
        return
    if jobs == 0:
        jobs = os.cpu_count() or 1
    show = not as_json and runs >= PROGRESS_MIN_RUNS and _is_tty()
    with _progress(runs, show) as progress:
        report = autoplay(
            sc, runs, seed=seed, policy=policy, jobs=jobs, max_turns=max_turns, progress=progress
        )
    evidence = measure(sc)
    if as_json:
        doc = {**report.as_dict(), "difficulty": evidence.as_dict()}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(random_lines(sc, report) + difficulty_lines(evidence)))


def difficulty_lines(d: Difficulty) -> list[str]:
    """Exact random-play evidence for the `difficulty` label (engine.difficulty, P228)."""
    verdict = "agrees" if d.agrees else f"the evidence says {d.expected}"
    return [
        "",
        f"Difficulty: declared {d.declared}, {verdict} (exact, every offered answer equally "
        "likely):",
        f"  a random player wins {d.random_success:.2%} of plays "
        f"(partial {d.random_partial:.2%}, failure {d.random_failure:.2%})",
        f"  {d.early_endings:.0%} of the {d.endings} endings can be reached within "
        f"{EARLY_ANSWERS} answers; the shortest play takes {d.shortest} answers",
    ]


def _is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def _progress(total: int, show: bool) -> Iterator[Progress | None]:
    if not show:
        yield None
        return
    with click.progressbar(
        length=total, label="playing", file=sys.stderr, show_eta=True, width=30
    ) as bar:
        state = {"done": 0}

        def update(done: int, _total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        yield update


# ------------------------------------------------------------------ text reports


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _bar(n: int, most: int, width: int = 24) -> str:
    if most <= 0 or n <= 0:
        return ""
    return "#" * max(1, round(width * n / most))


def _trust_histogram(stats: Stats) -> list[str]:
    """Final trust in bands of 10 (100 on its own)."""
    bands: dict[int, int] = {}
    for value, n in stats.histogram:
        band = min(10, max(0, value // 10))
        bands[band] = bands.get(band, 0) + n
    if not bands:
        return []
    lo, hi = min(bands), max(bands)
    most = max(bands.values())
    out = [f"    {'trust':>7} {'plays':>9} (bar: share of the most common band)"]
    for b in range(lo, hi + 1):
        label = "100" if b == 10 else f"{b * 10}-{b * 10 + 9}"
        n = bands.get(b, 0)
        out.append(f"    {label:>7} {n:>9,} {_bar(n, most)}".rstrip())
    return out


_RAMP = " .:-=+*#%@"


def _sparkline(stats: Stats) -> str:
    """One character per score value from min to max, darker for more plays."""
    counts = dict(stats.histogram)
    if not counts:
        return ""
    most = max(counts.values())
    span = range(stats.min, stats.max + 1)
    if len(span) > 60:
        return ""
    chars = []
    for v in span:
        n = counts.get(v, 0)
        chars.append(_RAMP[0] if n == 0 else _RAMP[max(1, round((len(_RAMP) - 1) * n / most))])
    return "[" + "".join(chars) + "]"


def random_lines(sc: Scenario, r: AutoplayReport) -> list[str]:
    lines = [
        f"{sc.id}: {r.runs:,} random plays (seed {r.seed}, policy {r.policy}) in "
        f"{r.seconds:.3f}s: {r.runs_per_s:,.0f} plays/s, {r.choices_per_s:,.0f} choices/s",
        "",
        "Endings",
    ]
    most = max(r.endings.values(), default=0)
    wide = min(40, max((len(k) for k in r.endings), default=0))
    for node_id, n in r.endings.items():
        ending = sc.nodes[node_id].ending
        outcome = ending.outcome if ending else ""
        lines.append(
            f"  {node_id:<{wide}} {outcome:<8} {n:>9,} {_pct(n, r.runs):>6}  {_bar(n, most)}"
        )
    never = [e.id for e in sc.endings if e.id not in r.endings]
    if never:
        lines.append(f"  never reached: {', '.join(never)}")
    if r.outcomes:
        lines.append(
            "Outcomes: "
            + ", ".join(f"{k} {n:,} ({_pct(n, r.runs)})" for k, n in r.outcomes.items())
        )
    words = {
        "stalled": "stalled (no `next` branch held) at",
        "dead_end": "stuck (no choice offered) at",
        "loop": "went round automatic `next` links at",
        "unfinished": f"had not ended after {r.max_turns} answers at",
    }
    for kind, where in r.unended.items():
        total = sum(where.values())
        at = ", ".join(f"{k} ({n:,})" for k, n in where.items())
        lines.append(f"Not ended: {total:,} plays {words.get(kind, kind)} {at}")
    lines += [
        "",
        f"Coverage: nodes {r.nodes_total - len(r.unvisited_nodes)}/{r.nodes_total} "
        f"({100 * r.node_coverage:.1f}%), choices {r.choices_total - len(r.unchosen_choices)}"
        f"/{r.choices_total} ({100 * r.choice_coverage:.1f}%)",
    ]
    if r.unvisited_nodes:
        lines.append(f"  nodes never reached: {_listing(r.unvisited_nodes)}")
    if r.unchosen_choices:
        lines.append(f"  choices never chosen: {_listing(r.unchosen_choices)}")
    t = r.trust
    lines += ["", f"Trust at the end: min {t.min}, mean {t.mean:.1f}, max {t.max}"]
    lines += _trust_histogram(t)
    lines += ["", f"Scores over a play ({sc.framework.name.get()}): min, mean, max"]
    width = max((len(d.label.get()) for d in sc.framework.dimensions), default=5)
    width = max(width, len("total"))
    for d in sc.framework.dimensions:
        s = r.scores[d.key]
        lines.append(
            f"  {d.label.get():<{width}} {s.min:>+5} {s.mean:>+7.2f} {s.max:>+5}  {_sparkline(s)}"
        )
    s = r.total
    lines.append(f"  {'total':<{width}} {s.min:>+5} {s.mean:>+7.2f} {s.max:>+5}  {_sparkline(s)}")
    lines.append(
        f"  {'':<{width}} [ ] one character per score from min to max: "
        f"'{_RAMP[1]}' few plays ... '{_RAMP[-1]}' the most, blank none"
    )
    return lines


def _listing(items: list[str], limit: int = 30) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", ... ({len(items) - limit} more)"


def exhaustive_lines(sc: Scenario, r: ExhaustiveReport) -> list[str]:
    ex = r.exploration
    done = (
        "complete"
        if ex.complete
        else (
            f"INCOMPLETE: stopped at the bound of {ex.max_states:,} states (--max-states); "
            "what follows covers only the states explored"
        )
    )
    lines = [
        f"{sc.id}: explored {ex.states:,} states, {ex.edges:,} moves in {r.seconds:.2f}s ({done})",
        "",
    ]
    ends = [e.id for e in sc.endings if e.id in ex.endings_reachable]
    lines.append(
        f"Endings reachable ({len(ends)} of {len(sc.endings)}): {', '.join(ends) or 'none'}"
    )
    if r.endings_unreachable:
        lines.append(f"  no play reaches: {', '.join(r.endings_unreachable)}")
    lines.append(
        f"Nodes unreachable: {_listing(r.nodes_unreachable) if r.nodes_unreachable else 'none'}"
    )
    if r.choices_never_offered:
        lines.append("Choices never offered:")
        for cid in r.choices_never_offered[:30]:
            ch = sc.choices[cid]
            cond = f" (when: {ch.when.source})" if ch.when is not None else ""
            lines.append(f"  {ch.loc}: {cid}{cond}")
        if len(r.choices_never_offered) > 30:
            lines.append(f"  ... ({len(r.choices_never_offered) - 30} more)")
    else:
        lines.append("Choices never offered: none")
    for label, nodes in (
        ("A `next` can stall at", ex.stall_nodes),
        ("No choice is offered (dead end) at", ex.dead_end_nodes),
        ("Automatic `next` links loop at", ex.loop_nodes),
    ):
        if nodes:
            lines.append(f"{label}: {', '.join(sorted(nodes))}")
    if ex.final_trust is not None:
        lines.append(f"Final trust: {ex.final_trust[0]}..{ex.final_trust[1]}")
    lines += ["", f"Achievable scores ({sc.framework.name.get()}), each on its own: worst .. best"]
    for d in sc.framework.dimensions:
        lines.append(
            f"  {d.label.get():<16} {_extreme(ex.worst_scores.get(d.key), d.key in ex.worst_unbounded, -1)}"
            f" .. {_extreme(ex.best_scores.get(d.key), d.key in ex.best_unbounded, +1)}"
        )
    lines.append(
        f"  {'total':<16} {_extreme(ex.worst_total, 'total' in ex.worst_unbounded, -1)}"
        f" .. {_extreme(ex.best_total, 'total' in ex.best_unbounded, +1)}"
    )
    if ex.best_unbounded or ex.worst_unbounded:
        lines.append(
            "  (unbounded: a loop of choices that changes the score can be repeated and still end)"
        )
    if ex.best_play:
        lines.append(
            f"Best play ({ex.best_total:+d}, final trust {ex.best_final_trust}): "
            f"{', '.join(ex.best_play)}"
        )
    return lines


def _extreme(value: int | None, unbounded: bool, sign: int) -> str:
    if unbounded:
        return "-inf" if sign < 0 else "+inf"
    return "n/a" if value is None else f"{value:+d}"
