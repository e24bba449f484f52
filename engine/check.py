"""`parley check`: every load error (P1xx) and every warning (P2xx) for scenario files.

Load errors come from engine.loader. Warnings come from three kinds of analysis:
static (the file as written), structural (the node graph, engine.graph) and
condition-dependent: every reachable state under the real rules, by engine.reach — the
same states as engine.explore (tests compare them), with the trust values of states that
agree on everything else handled together as one bit set, and without the best/worst-play
extremes the checker does not need; that is what keeps a 5,000-node check under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from engine.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_SECONDS, Budget

# the report and the loop over files live in engine.check_report (light, for the results
# cache); re-exported here, where callers look for them
from engine.check_report import STRICT_ONLY as STRICT_ONLY
from engine.check_report import CheckReport as CheckReport
from engine.check_report import CheckUsageError as CheckUsageError
from engine.check_report import check_paths as check_paths
from engine.check_report import collect_files as collect_files
from engine.conditions import FUNCTIONS
from engine.diagnostics import Diagnostic
from engine.difficulty import difficulty_findings
from engine.errors import Location, ParleyError, ScenarioLoadError
from engine.framework_loader import load_framework
from engine.graph import Structure, analyse, scenario_graph
from engine.load_common import source_key
from engine.loader import gc_paused, load_scenario
from engine.model import Scenario, Text
from engine.reach import DEFAULT_MAX_STATES, reach
from engine.safefile import read_capped
from engine.safety_findings import control_findings, lookalike_findings, next_chain_findings
from engine.tells import tells_findings
from engine.yamlsafe import MAX_BYTES


def check_file(
    path: str | Path,
    is_framework: bool = False,
    max_states: int = DEFAULT_MAX_STATES,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    tells: bool = False,
) -> list[Diagnostic]:
    """Findings for one file: its load errors, or (when it loads) its warnings."""
    with gc_paused():  # see engine.loader.gc_paused
        found = _check_file(path, is_framework, max_states, max_seconds, tells)
    return found


def _check_file(
    path: str | Path,
    is_framework: bool,
    max_states: int,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    tells: bool = False,
) -> list[Diagnostic]:
    try:
        if is_framework:
            load_framework(path)
            return []
        scenario = load_scenario(path)
    except ScenarioLoadError as exc:
        return _sorted(exc.diagnostics)
    except ParleyError as exc:
        loc = exc.location or Location(str(path), 1, 1)
        return [Diagnostic(exc.code, exc.message, loc, exc.hint)]
    return run_passes(scenario, path, max_states, max_seconds, tells=tells)


def _stale(path: str | Path) -> list[Diagnostic]:
    """Translations made from an older source text (engine.i18n's hashes)."""
    from engine.i18n import stale_findings

    try:
        text = read_capped(path, MAX_BYTES).decode("utf-8")  # (a file that loaded)
    except (OSError, UnicodeDecodeError):
        return []
    return stale_findings(text, str(path))


def _sorted(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=lambda d: (d.location.file, d.location.line, d.location.col, d.code))


# ---------------------------------------------------------------- one scenario


@dataclass(frozen=True)
class CheckInput:
    """What a checker pass reads: the loaded scenario, its file, and the shared analyses."""

    scenario: Scenario
    path: str | Path | None
    graph: nx.DiGraph  # engine.graph.scenario_graph
    structure: Structure  # engine.graph.analyse on it
    max_states: int
    max_seconds: float | None


@dataclass(frozen=True)
class CheckPass:
    """One named pass of `parley check`: the codes it can report and how it runs."""

    name: str
    codes: tuple[str, ...]
    run: Callable[[CheckInput], list[Diagnostic]]
    file_only: bool = False  # run when checking a file (`parley check`), not by check_scenario
    on_request: bool = False  # only when asked for (`--tells`)


def _safety_findings(scenario: Scenario) -> list[Diagnostic]:
    """P213, P240, P241 (engine.safety_findings)."""

    def locate(key: str) -> Location:
        return (
            scenario.source_lines.get(key)
            or _node_loc(scenario, key)
            or Location(_file(scenario), 1, 1)
        )

    return (
        control_findings(_texts(scenario), locate)
        + lookalike_findings(scenario)
        + next_chain_findings(scenario)
    )


def _stale_pass(c: CheckInput) -> list[Diagnostic]:
    return _stale(c.path) if c.path is not None else []


def learning_findings(scenario: Scenario) -> list[Diagnostic]:
    """P214: a scenario with neither `objectives` nor `reflection`."""
    if scenario.objectives or scenario.reflection:
        return []
    return [
        Diagnostic(
            "P214",
            "the scenario has no objectives or reflection prompts",
            Location(_file(scenario), 1, 1),
            "add `objectives:` (2-4 lines: what the conversation practises) and "
            "`reflection:` (2-3 questions for after the debrief); see docs/authoring.md",
        )
    ]


CHECK_PASSES: tuple[CheckPass, ...] = (
    CheckPass(
        "structure",
        ("P201", "P202", "P203"),
        lambda c: structural_findings(c.scenario, c.structure),
    ),
    CheckPass("stall", ("P204",), lambda c: stall_findings(c.scenario)),
    CheckPass("translations", ("P206",), lambda c: translation_findings(c.scenario)),
    CheckPass("consistency", ("P207", "P208"), lambda c: consistency_findings(c.scenario)),
    CheckPass(
        "safety",
        ("P213", "P240", "P241"),
        lambda c: _safety_findings(c.scenario),
    ),
    CheckPass(
        "conditions",
        ("P205", "P209", "P210", "P211", "P212"),
        lambda c: condition_findings(c.scenario, c.max_states, c.graph, c.structure, c.max_seconds),
    ),
    CheckPass("learning", ("P214",), lambda c: learning_findings(c.scenario), file_only=True),
    CheckPass("difficulty", ("P228",), lambda c: difficulty_findings(c.scenario), file_only=True),
    CheckPass("stale translations", ("P230",), _stale_pass, file_only=True),
    CheckPass(
        "tells",
        ("P220", "P221", "P222", "P223", "P224", "P225", "P226", "P227"),
        lambda c: tells_findings(c.scenario),
        file_only=True,
        on_request=True,
    ),
)
"""The checker's passes, in order. A new kind of finding is a new entry here."""


def run_passes(
    scenario: Scenario,
    path: str | Path | None,
    max_states: int = DEFAULT_MAX_STATES,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    tells: bool = False,
) -> list[Diagnostic]:
    """Run the checker's passes on a loaded scenario (the file passes only with `path`)."""
    graph = scenario_graph(scenario)
    c = CheckInput(scenario, path, graph, analyse(scenario, graph), max_states, max_seconds)
    out: list[Diagnostic] = []
    for one in CHECK_PASSES:
        if (one.file_only and path is None) or (one.on_request and not tells):
            continue
        out += one.run(c)
    return _sorted(out)


def check_scenario(
    scenario: Scenario,
    max_states: int = DEFAULT_MAX_STATES,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
) -> list[Diagnostic]:
    """Every warning (P2xx) of the scenario passes for a loaded scenario, sorted by line."""
    return run_passes(scenario, None, max_states, max_seconds)


def _file(scenario: Scenario) -> str:
    for node in scenario.nodes.values():
        return node.loc.file
    return str(scenario.path) if scenario.path else "<scenario>"


def structural_findings(scenario: Scenario, structure: Structure | None = None) -> list[Diagnostic]:
    """P201 unreachable nodes, P202 traps, P203 unreachable endings (graph only)."""
    s = structure if structure is not None else analyse(scenario)
    nodes = scenario.nodes
    out = [
        Diagnostic(
            "P201",
            f"node '{n}' is unreachable: no choice or `next` from '{scenario.start}' leads here",
            nodes[n].loc,
            "link it with a `to:` from a reachable node, or delete it",
        )
        for n in s.unreachable
    ]
    out += [
        Diagnostic(
            "P203",
            f"ending '{n}' is unreachable: no path from '{scenario.start}' leads here",
            nodes[n].loc,
            "point a choice or `next` branch at it with `to: " + n + "`, or delete it",
        )
        for n in s.unreachable_endings
    ]
    out += [
        Diagnostic(
            "P202",
            f"node '{n}' is a trap: no ending can be reached from it",
            nodes[n].loc,
            "give it (or a node after it) a path to a node with `ending:`",
        )
        for n in s.traps
    ]
    return out


def stall_findings(scenario: Scenario) -> list[Diagnostic]:
    """P204: a `next` list whose last branch has a `when` (a play can stall there)."""
    out: list[Diagnostic] = []
    for nid, node in scenario.nodes.items():
        if node.next and node.next[-1].when is not None:
            last = node.next[-1]
            loc = last.when.loc if last.when is not None else last.loc
            out.append(
                Diagnostic(
                    "P204",
                    f"the last `next` branch of '{nid}' has a `when`; when no branch holds "
                    "the conversation stalls",
                    loc,
                    f"add a final branch without `when`, e.g. `- to: {last.to}`",
                )
            )
    return out


def _texts(scenario: Scenario) -> list[tuple[str, Text | None, str]]:
    """(source key, text, what) for every translatable Text in the scenario."""
    items: list[tuple[str, Text | None, str]] = [
        ("title", scenario.title, "the title"),
        ("summary", scenario.summary, "the summary"),
    ]
    for cid, person in scenario.characters.items():
        # a name given as one plain string is a proper name: it needs no translation
        if len(person.name.values) > 1:
            items.append(
                (source_key(("characters", cid, "name")), person.name, f"the name of '{cid}'")
            )
        if any(person.role.values.values()):
            items.append(
                (source_key(("characters", cid, "role")), person.role, f"the role of '{cid}'")
            )
    for nid, node in scenario.nodes.items():
        n = ("nodes", nid)
        items.append((source_key((*n, "text")), node.text, f"the text of '{nid}'"))
        items.append((source_key((*n, "narration")), node.narration, f"the narration of '{nid}'"))
        if node.ending is not None:
            e = (*n, "ending")
            items.append((source_key((*e, "title")), node.ending.title, f"the title of '{nid}'"))
            items.append(
                (source_key((*e, "debrief")), node.ending.debrief, f"the debrief of '{nid}'")
            )
            for i, prompt in enumerate(node.ending.reflection):
                items.append(
                    (source_key((*e, "reflection", i)), prompt, f"reflection {i + 1} of '{nid}'")
                )
            items.append(
                (source_key((*e, "trade_off")), node.ending.trade_off, f"the trade-off of '{nid}'")
            )
        for i, ch in enumerate(node.choices):
            c = (*n, "choices", i)
            items.append((source_key((*c, "text")), ch.text, f"the text of choice '{ch.id}'"))
            items.append(
                (source_key((*c, "feedback")), ch.feedback, f"the feedback of choice '{ch.id}'")
            )
    for key in ("objectives", "reflection"):
        for i, item in enumerate(getattr(scenario, key)):
            items.append((source_key((key, i)), item, f"{key} {i + 1}"))
    items.append(("trainer_notes", scenario.trainer_notes, "the trainer notes"))
    return items


def translation_findings(scenario: Scenario) -> list[Diagnostic]:
    """P206: a Text that lacks a language the file uses anywhere else."""
    if len(scenario.languages) <= 1 and all(
        c.name.languages <= scenario.languages and c.role.languages <= scenario.languages
        for c in scenario.characters.values()
    ):
        return []  # one language throughout (scenario.languages covers every other text)
    texts = [(k, t, w) for k, t, w in _texts(scenario) if t is not None]
    used: set[str] = {scenario.language}
    for _, t, _ in texts:
        used |= t.languages
    if len(used) <= 1:
        return []
    out: list[Diagnostic] = []
    fallback = Location(_file(scenario), 1, 1)
    for key, t, what in texts:
        assert t is not None
        missing = sorted(used - t.languages)
        if not missing:
            continue
        loc = scenario.source_lines.get(key) or _node_loc(scenario, key) or fallback
        has = ", ".join(sorted(t.languages))
        out.append(
            Diagnostic(
                "P206",
                f"{what} has no {', '.join(missing)} translation (it has {has})",
                loc,
                f"write it as a map, e.g. {{{has.split(', ')[0]}: ..., {missing[0]}: ...}}; "
                f"players asking for {missing[0]} see the {scenario.language} text",
            )
        )
    return out


def _node_loc(scenario: Scenario, key: str) -> Location | None:
    parts = key.split("/")
    if len(parts) >= 2 and parts[0] == "nodes" and parts[1] in scenario.nodes:
        return scenario.nodes[parts[1]].loc
    return None


def consistency_findings(scenario: Scenario) -> list[Diagnostic]:
    """P207/P208: a choice without scores / feedback where other choices have them."""
    choices = [c for n in scenario.nodes.values() for c in n.choices]
    fw = scenario.framework.id
    out: list[Diagnostic] = []
    if any(c.has_scores for c in choices):
        example = scenario.framework.keys[0] if scenario.framework.keys else "key"
        out += [
            Diagnostic(
                "P207",
                f"choice '{c.id}' has no `{fw}:` scores, but other choices in this file do",
                c.loc,
                f"add e.g. `{fw}: {{{example}: 0}}` (all zero is a valid score)",
            )
            for c in choices
            if not c.has_scores
        ]
    if any(c.feedback is not None for c in choices):
        out += [
            Diagnostic(
                "P208",
                f"choice '{c.id}' has no `feedback:`, but other choices in this file do",
                c.loc,
                "add a line of coaching: what this answer does to the conversation",
            )
            for c in choices
            if c.feedback is None
        ]
    return out


# ---------------------------------------------------------------- conditions (explorer)


def condition_findings(
    scenario: Scenario,
    max_states: int = DEFAULT_MAX_STATES,
    graph: nx.DiGraph | None = None,
    structure: Structure | None = None,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB,
) -> list[Diagnostic]:
    """P205, P209, P210, P212 from the reachable state space; P211 when it is too big.

    Only what the exploration proves is reported: a stall found is real even when the
    exploration stopped early; "never" findings need the complete state space.
    """
    budget = Budget(max_seconds, max_memory_mb)
    ex = reach(scenario, max_states, graph, budget=budget)
    out: list[Diagnostic] = []
    nodes = scenario.nodes
    for nid in nodes:
        if nid in ex.stall_nodes:
            node = nodes[nid]
            last = node.next[-1] if node.next else None
            out.append(
                Diagnostic(
                    "P210",
                    f"a play can stall at '{nid}': it arrives in a state where no `next` "
                    "branch holds",
                    node.loc,
                    f"add a final branch without `when`, e.g. `- to: {last.to}`"
                    if last is not None
                    else None,
                )
            )
    if not ex.complete:
        if ex.stopped_by in ("time", "memory"):
            at, limit = ex.states, budget.describe(ex.stopped_by)
        else:
            at, limit = ex.max_states, f"the bound of {ex.max_states:,} states"
        out.append(
            Diagnostic(
                "P211",
                f"state exploration stopped at {at:,} states, incomplete: budget reached "
                f"({limit}); findings that need every reachable state (P205, P209, P212) "
                "were not checked",
                Location(_file(scenario), 1, 1),
                f"simplify flags and {'/'.join(f + '()' for f in FUNCTIONS)} conditions, "
                "or raise the budget with --max-states / --max-seconds",
            )
        )
        return out
    if structure is None:
        structure = analyse(scenario, graph)
    for nid, node in nodes.items():
        if nid not in structure.reachable:
            continue  # already P201/P203
        reached = ex.endings_reachable if node.ending is not None else ex.nodes_reached
        if nid not in reached:
            if node.ending is not None:
                out.append(
                    Diagnostic(
                        "P209",
                        f"no play reaches ending '{nid}': the conditions on the way never "
                        "let a play through",
                        node.loc,
                        "check the `when` conditions and effects on the paths to it",
                    )
                )
            else:
                out.append(
                    Diagnostic(
                        "P212",
                        f"no play reaches node '{nid}': the conditions on the way never "
                        "let a play through",
                        node.loc,
                        "check the `when` conditions and effects on the paths to it",
                    )
                )
            continue
        for ch in node.choices:
            if ch.when is not None and ch.id not in ex.choices_offered:
                out.append(
                    Diagnostic(
                        "P205",
                        f"choice '{ch.id}' is never offered: `{ch.when.source}` does not hold "
                        f"in any state a play reaches '{nid}' in",
                        ch.when.loc,
                        "loosen the condition, or add the effects that make it true "
                        "on a path to this node",
                    )
                )
    return out
