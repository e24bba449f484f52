"""The scenario graph: one networkx DiGraph that the structural analyses and drawings use.

`scenario_graph(scenario)` is the graph: a node per scenario node (attributes `kind`,
`speaker`, `outcome`), an edge per pair of nodes that a choice or an automatic `next`
branch links, carrying every such link as a `Move` (the choice, its `when`, its effects)
in `moves`, plus `kinds` ({'choice', 'next'}) and `choices` (choice ids). `graph["start"]`
is the start node.

Questions it answers (graph only: an edge exists when some choice or branch names its
target, whatever the conditions; what the conditions allow comes from engine.explore):
- `analyse`: reachable nodes, unreachable nodes and endings, traps (no ending reachable);
- `closed_loops`: cycles with no way out (a play that enters never ends);
- `routes`: the shortest and longest route from `start` to each ending, in turns (answers;
  automatic `next` links cost none), the longest None when a loop with an answer lies on
  a route (a play can go round for ever);
- `hinges`: the dominators of each ending: the nodes every route to it passes, from
  `start` on (networkx `immediate_dominators`);
- `component_ranks`: the strongly connected components in topological order (the order
  in which engine.reach expands states);
- `to_mermaid` / `to_dot`: the drawings of `parley graph`.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

import networkx as nx

from engine.conditions import Condition
from engine.model import Choice, Effects, Node, Scenario

OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    # outcome -> (fill, border)
    "success": ("#d4edda", "#2e7d32"),
    "partial": ("#fff3cd", "#b8860b"),
    "failure": ("#f8d7da", "#c62828"),
}
LABEL_WIDTH = 32


@dataclass(frozen=True, slots=True)
class Move:
    """One link of the scenario graph: a choice, or an automatic `next` branch."""

    kind: str  # "choice" | "next"
    position: int  # order among the node's links: its choices first, then its branches
    to: str
    choice: Choice | None  # the choice (None for a `next` branch)
    when: Condition | None
    effects: Effects | None  # the choice's effects (None for a branch)


def scenario_graph(scenario: Scenario) -> nx.DiGraph:
    """The scenario as a networkx DiGraph (see the module docstring for its attributes)."""
    g = nx.DiGraph(start=scenario.start)
    for nid, node in scenario.nodes.items():
        g.add_node(
            nid,
            kind=node.kind,
            speaker=node.speaker,
            outcome=node.ending.outcome if node.ending is not None else None,
        )
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            _link(g, nid, Move("choice", ch.index, ch.to, ch, ch.when, ch.effects))
        base = len(node.choices)
        for i, br in enumerate(node.next):
            _link(g, nid, Move("next", base + i, br.to, None, br.when, None))
    return g


def _link(g: nx.DiGraph, a: str, move: Move) -> None:
    b = move.to
    if b not in g:  # a dangling `to` never reaches here from a loaded scenario
        return
    if not g.has_edge(a, b):
        g.add_edge(a, b, kinds=set(), choices=[], moves=[])
    data = g.edges[a, b]
    data["kinds"].add(move.kind)
    data["moves"].append(move)
    if move.choice is not None:
        data["choices"].append(move.choice.id)


def moves_from(g: nx.DiGraph, node: str) -> list[Move]:
    """The links leaving `node`, in file order (its choices, then its `next` branches)."""
    out = [m for data in g.succ[node].values() for m in data["moves"]]
    out.sort(key=lambda m: m.position)
    return out


def _endings(g: nx.DiGraph) -> list[str]:
    return [n for n, kind in g.nodes(data="kind") if kind == "ending"]


def component_ranks(g: nx.DiGraph) -> dict[str, int]:
    """Node id -> rank: every link goes to a higher rank, except within a cycle, whose
    nodes share one rank (the strongly connected components in topological order)."""
    try:
        return {n: r for r, n in enumerate(nx.topological_sort(g))}
    except nx.NetworkXUnfeasible:  # a cycle: rank the condensation instead
        pass
    cond = nx.condensation(g)
    rank: dict[str, int] = {}
    for r, comp in enumerate(nx.topological_sort(cond)):
        for nid in cond.nodes[comp]["members"]:
            rank[nid] = r
    return rank


@dataclass(frozen=True, slots=True)
class Structure:
    """Graph-only findings, each a list of node ids in file order."""

    reachable: frozenset[str]
    unreachable: list[str]  # non-ending nodes no path from start reaches
    unreachable_endings: list[str]  # ending nodes no path from start reaches
    traps: list[str]  # nodes from which no ending is reachable


def analyse(scenario: Scenario, graph: nx.DiGraph | None = None) -> Structure:
    """Reachable and unreachable nodes and endings, and traps, from the links alone."""
    g = scenario_graph(scenario) if graph is None else graph
    start = g.graph.get("start", scenario.start)
    reachable = frozenset(nx.descendants(g, start) | {start}) if start in g else frozenset()
    endings = _endings(g)
    # nodes that can reach an ending: one search back from all endings at once
    can_end = set(endings)
    frontier = list(endings)
    pred = g.pred
    while frontier:
        for u in pred[frontier.pop()]:
            if u not in can_end:
                can_end.add(u)
                frontier.append(u)
    is_ending = set(endings)
    return Structure(
        reachable=reachable,
        unreachable=[n for n in g if n not in reachable and n not in is_ending],
        unreachable_endings=[n for n in endings if n not in reachable],
        traps=[n for n in g if n not in can_end],
    )


def closed_loops(g: nx.DiGraph) -> list[list[str]]:
    """Cycles with no exit: strongly connected sets of nodes (a node with a link to itself
    included) that no link leaves, reachable from `start` or not; nodes in file order."""
    order = {n: i for i, n in enumerate(g)}
    out: list[list[str]] = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) == 1:
            (n,) = comp
            if not g.has_edge(n, n):
                continue
        if any(t not in comp for n in comp for t in g.succ[n]):
            continue
        out.append(sorted(comp, key=order.__getitem__))
    out.sort(key=lambda c: order[c[0]])
    return out


@dataclass(frozen=True, slots=True)
class Route:
    """How many answers a play from `start` to an ending takes."""

    shortest: int
    longest: int | None  # None: a loop with an answer lies on a route (no longest)


def _turns(data: dict[str, object]) -> int:
    """1 when a choice makes this link (an answer), 0 for an automatic `next` only."""
    kinds = data["kinds"]
    assert isinstance(kinds, set)
    return 1 if "choice" in kinds else 0


def routes(g: nx.DiGraph) -> dict[str, Route]:
    """Ending id -> shortest and longest route from `start`, in turns (reachable endings)."""
    start = g.graph["start"]
    if start not in g:
        return {}
    # shortest: breadth first with 0/1 weights (an automatic link costs no turn)
    dist = {start: 0}
    queue: deque[str] = deque([start])
    while queue:
        u = queue.popleft()
        for v, data in g.succ[u].items():
            cost = _turns(data)
            nd = dist[u] + (1 if cost else 0)
            if nd < dist.get(v, nd + 1):
                dist[v] = nd
                if cost:
                    queue.append(v)
                else:
                    queue.appendleft(v)
    # longest: over the condensation (a DAG); a component with an answer inside, or a
    # self-loop answer, lets a play go round, so every route through it has no longest
    cond = nx.condensation(g)
    members = cond.graph["mapping"]  # node -> component
    looping: set[int] = set()
    for u, v, data in g.edges(data=True):
        if members[u] == members[v] and _turns(data):
            looping.add(members[u])
    inf = -1  # marker for "no longest"
    best: dict[int, int] = {members[start]: inf if members[start] in looping else 0}
    for c in nx.topological_sort(cond):
        if c not in best:
            continue
        bc = best[c]
        for u in cond.nodes[c]["members"]:
            for v, data in g.succ[u].items():
                cv = members[v]
                if cv == c:
                    continue
                cand = inf if bc == inf or cv in looping else bc + _turns(data)
                old = best.get(cv)
                if old is None or (old != inf and (cand == inf or cand > old)):
                    best[cv] = cand
    out: dict[str, Route] = {}
    for e in _endings(g):
        if e in dist:
            longest = best[members[e]]
            out[e] = Route(dist[e], None if longest == inf else longest)
    return out


def hinges(g: nx.DiGraph) -> dict[str, list[str]]:
    """Ending id -> the nodes every route from `start` to it passes, from `start` on (the
    ending itself left out): its dominators. Endings no route reaches are left out."""
    start = g.graph["start"]
    if start not in g:
        return {}
    idom = nx.immediate_dominators(g, start)
    out: dict[str, list[str]] = {}
    for e in _endings(g):
        if e != start and e not in idom:
            continue
        chain: list[str] = []
        n = e
        while n != start:
            n = idom[n]
            chain.append(n)
        chain.reverse()
        out[e] = chain
    return out


def unreachable_nodes(scenario: Scenario) -> list[str]:
    """Nodes (endings included) that are not descendants of `start`."""
    s = analyse(scenario)
    return [n for n in scenario.nodes if n not in s.reachable]


def trap_nodes(scenario: Scenario) -> list[str]:
    """Nodes from which no ending is reachable."""
    return analyse(scenario).traps


def unreachable_endings(scenario: Scenario) -> list[str]:
    return analyse(scenario).unreachable_endings


# ---------------------------------------------------------------- drawing


def short(text: str, width: int = LABEL_WIDTH) -> str:
    """One line of at most `width` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def _speaker(scenario: Scenario, node: Node, lang: str | None) -> str:
    ch = scenario.characters.get(node.speaker)
    return ch.name.get(lang) if ch is not None else node.speaker


def _mm_text(text: str) -> str:
    """Escape for a quoted Mermaid label (entity codes; no raw quotes or markup)."""
    out = []
    for c in text:
        if c in '"#<>&|`[]{}()\\;':
            out.append(f"#{ord(c)};")
        else:
            out.append(c)
    return "".join(out)


def to_mermaid(scenario: Scenario, lang: str | None = None, graph: nx.DiGraph | None = None) -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block), drawn
    from the scenario graph (`graph`, or `scenario_graph(scenario)`)."""
    g = scenario_graph(scenario) if graph is None else graph
    ids = {nid: f"n{i}" for i, nid in enumerate(scenario.nodes)}
    lines = ["flowchart TD"]
    for nid, node in scenario.nodes.items():
        label = _mm_text(nid) + "<br/>" + "<i>" + _mm_text(_speaker(scenario, node, lang)) + "</i>"
        mid = ids[nid]
        if node.ending is not None:
            title = _mm_text(short(node.ending.title.get(lang)))
            label += f"<br/>{node.ending.outcome}: {title}"
            lines.append(f'    {mid}(["{label}"])')
        elif nid == scenario.start:
            lines.append(f'    {mid}[["{label}"]]')
        else:
            lines.append(f'    {mid}["{label}"]')
    for nid in g:
        for m in moves_from(g, nid):
            if m.choice is not None:
                text = short(m.choice.text.get(lang))
                if m.when is not None:
                    text += f" [if {short(m.when.source, 24)}]"
                lines.append(f'    {ids[nid]} -->|"{_mm_text(text)}"| {ids[m.to]}')
            elif m.when is not None:
                lines.append(f'    {ids[nid]} -.->|"{_mm_text(short(m.when.source))}"| {ids[m.to]}')
            else:
                lines.append(f'    {ids[nid]} -.->|"otherwise"| {ids[m.to]}')
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        lines.append(
            f"    classDef {outcome} fill:{fill},stroke:{stroke},stroke-width:2px,color:#000"
        )
    for outcome in OUTCOME_COLOURS:
        members = [
            ids[nid]
            for nid, n in scenario.nodes.items()
            if n.ending is not None and n.ending.outcome == outcome
        ]
        if members:
            lines.append(f"    class {','.join(members)} {outcome}")
    return "\n".join(lines) + "\n"


_DOT_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _dq(text: str) -> str:
    """A DOT double-quoted string."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{body}"'


def to_dot(scenario: Scenario, lang: str | None = None, graph: nx.DiGraph | None = None) -> str:
    """Graphviz DOT text (`dot -Tsvg` draws it), drawn from the scenario graph."""
    g = scenario_graph(scenario) if graph is None else graph
    lines = [
        f"digraph {_dq(scenario.id)} {{",
        "    rankdir=TB;",
        f"    label={_dq(scenario.title.get(lang))};",
        "    labelloc=t;",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for nid, node in scenario.nodes.items():
        label = f"{nid}\n{_speaker(scenario, node, lang)}"
        attrs = [f"label={_dq(label)}"]
        if node.ending is not None:
            fill, stroke = OUTCOME_COLOURS[node.ending.outcome]
            label += f"\n{node.ending.outcome}: {short(node.ending.title.get(lang))}"
            attrs = [
                f"label={_dq(label)}",
                "shape=doubleoctagon" if node.ending.outcome == "failure" else "shape=ellipse",
                f"fillcolor={_dq(fill)}",
                f"color={_dq(stroke)}",
                "penwidth=2",
            ]
            if node.ending.outcome == "partial":
                attrs[1] = "shape=octagon"
        elif nid == scenario.start:
            attrs.append("penwidth=2")
        lines.append(f"    {_dq(nid)} [{', '.join(attrs)}];")
    for nid in g:
        for m in moves_from(g, nid):
            if m.choice is not None:
                text = short(m.choice.text.get(lang))
                if m.when is not None:
                    text += f"\n[if {short(m.when.source, 24)}]"
                lines.append(f"    {_dq(nid)} -> {_dq(m.to)} [label={_dq(text)}];")
            else:
                cond = short(m.when.source) if m.when is not None else "otherwise"
                lines.append(f"    {_dq(nid)} -> {_dq(m.to)} [label={_dq(cond)}, style=dashed];")
    lines.append("}")
    return "\n".join(lines) + "\n"
