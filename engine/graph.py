"""The scenario as a graph: structural analyses and Mermaid / DOT drawings.

Graph-only findings ignore conditions: an edge exists when some choice or `next` branch
names its target. Findings that depend on conditions come from engine.explore.

`scenario_graph` gives the networkx view (with node and edge attributes). The analyses
that `parley check` runs need only who leads where: they work on `successors(scenario)`,
a plain dict that costs a fraction of a networkx graph to build (or on a networkx graph's
adjacency, when given one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from engine.model import Node, Scenario

OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    # outcome -> (fill, border)
    "success": ("#d4edda", "#2e7d32"),
    "partial": ("#fff3cd", "#b8860b"),
    "failure": ("#f8d7da", "#c62828"),
}
LABEL_WIDTH = 32


def scenario_graph(scenario: Scenario) -> nx.DiGraph:
    """Nodes are node ids (attrs: kind, speaker, outcome); an edge per linked pair.

    Edge attrs: `kinds` (set of 'choice'/'next') and `choices` (choice ids on that edge).
    """
    g = nx.DiGraph()
    for nid, node in scenario.nodes.items():
        g.add_node(
            nid,
            kind=node.kind,
            speaker=node.speaker,
            outcome=node.ending.outcome if node.ending is not None else None,
        )
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            _link(g, nid, ch.to, "choice", ch.id)
        for br in node.next:
            _link(g, nid, br.to, "next", None)
    return g


def _link(g: nx.DiGraph, a: str, b: str, kind: str, choice: str | None) -> None:
    if b not in g:  # a dangling `to` never reaches here from a loaded scenario
        return
    if g.has_edge(a, b):
        data = g.edges[a, b]
    else:
        g.add_edge(a, b, kinds=set(), choices=[])
        data = g.edges[a, b]
    data["kinds"].add(kind)
    if choice is not None:
        data["choices"].append(choice)


Successors = Mapping[str, Iterable[str]]
"""Node id -> the ids of the nodes it leads to (what `successors` returns)."""


def successors(scenario: Scenario) -> dict[str, list[str]]:
    """Node id -> the ids its choices and `next` branches lead to, each once, in file order.

    The same links as the edges of `scenario_graph` (a `to` naming no node is left out).
    """
    nodes = scenario.nodes
    out: dict[str, list[str]] = {}
    for nid, node in nodes.items():
        targets = dict.fromkeys(ch.to for ch in node.choices)
        targets.update(dict.fromkeys(br.to for br in node.next))
        out[nid] = [t for t in targets if t in nodes]
    return out


def adjacency(scenario: Scenario, graph: nx.DiGraph | Successors | None = None) -> Successors:
    """The links to analyse: those of `graph` (a networkx DiGraph from `scenario_graph`, or
    a Successors mapping), or of the scenario itself when `graph` is None."""
    if graph is None:
        return successors(scenario)
    if isinstance(graph, nx.DiGraph):
        links: Successors = graph.succ  # node -> {successor: edge attributes}
        return links
    return graph


def component_ranks(graph: Successors) -> dict[str, int]:
    """Node id -> rank: every link goes to a higher rank, except within a cycle, whose
    nodes share one rank (the strongly connected components in topological order)."""
    indegree = dict.fromkeys(graph, 0)
    for targets in graph.values():
        for t in targets:
            indegree[t] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    order: dict[str, int] = {}
    while ready:  # Kahn's algorithm: most scenarios have no cycles, and then this is all
        n = ready.pop()
        order[n] = len(order)
        for t in graph[n]:
            indegree[t] -= 1
            if not indegree[t]:
                ready.append(t)
    if len(order) == len(indegree):
        return order
    rank: dict[str, int] = {}
    cond = nx.condensation(nx.DiGraph({n: list(ts) for n, ts in graph.items()}))
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


def analyse(scenario: Scenario, graph: nx.DiGraph | Successors | None = None) -> Structure:
    """Reachable and unreachable nodes and endings, and traps, from the links alone."""
    succ = adjacency(scenario, graph)
    reached: set[str] = set()
    if scenario.start in succ:
        reached.add(scenario.start)
        frontier = [scenario.start]
        while frontier:
            for t in succ[frontier.pop()]:
                if t not in reached:
                    reached.add(t)
                    frontier.append(t)
    reachable = frozenset(reached)
    endings = [nid for nid, n in scenario.nodes.items() if n.ending is not None]
    # nodes that can reach an ending: one search back from all endings at once
    pred: dict[str, list[str]] = {n: [] for n in succ}
    for u, targets in succ.items():
        for v in targets:
            pred[v].append(u)
    can_end: set[str] = set(endings)
    frontier = [e for e in endings if e in pred]
    while frontier:
        for u in pred[frontier.pop()]:
            if u not in can_end:
                can_end.add(u)
                frontier.append(u)
    order = list(scenario.nodes)
    is_ending = set(endings)
    return Structure(
        reachable=reachable,
        unreachable=[n for n in order if n not in reachable and n not in is_ending],
        unreachable_endings=[n for n in endings if n not in reachable],
        traps=[n for n in order if n not in can_end],
    )


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


def to_mermaid(scenario: Scenario, lang: str | None = None) -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block)."""
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
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            if ch.to not in ids:
                continue
            text = short(ch.text.get(lang))
            if ch.when is not None:
                text += f" [if {short(ch.when.source, 24)}]"
            lines.append(f'    {ids[nid]} -->|"{_mm_text(text)}"| {ids[ch.to]}')
        for br in node.next:
            if br.to not in ids:
                continue
            if br.when is not None:
                lines.append(
                    f'    {ids[nid]} -.->|"{_mm_text(short(br.when.source))}"| {ids[br.to]}'
                )
            else:
                lines.append(f'    {ids[nid]} -.->|"otherwise"| {ids[br.to]}')
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


def to_dot(scenario: Scenario, lang: str | None = None) -> str:
    """Graphviz DOT text (`dot -Tsvg` draws it)."""
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
    for nid, node in scenario.nodes.items():
        for ch in node.choices:
            text = short(ch.text.get(lang))
            if ch.when is not None:
                text += f"\n[if {short(ch.when.source, 24)}]"
            lines.append(f"    {_dq(nid)} -> {_dq(ch.to)} [label={_dq(text)}];")
        for br in node.next:
            cond = short(br.when.source) if br.when is not None else "otherwise"
            lines.append(f"    {_dq(nid)} -> {_dq(br.to)} [label={_dq(cond)}, style=dashed];")
    lines.append("}")
    return "\n".join(lines) + "\n"
