"""A synthetic Parley scenario of any size, for benchmarks (autoplay, check, ink peer).

    python bench/gen_scenario.py --nodes 500 -o bench/out/synthetic-500.yaml [--seed 1]

As a module: `generate(nodes, seed=1) -> Story` (plain data: the ink peer writes the same
story as ink source from it) and `to_yaml(story) -> str`.

The story: `nodes` nodes in total (endings included), in layers from `n0` onwards. Every
node in a layer leads only to the next layer (so plays are `depth` answers long and
always end), is one of: a node with 3 choices (the last one or two gated by a condition
on trust, the rung or a flag; the first never, so no dead ends), or an automatic `next`
(first branch that holds; the last has no `when`). Choices carry trust effects, rung
moves (`up`/`down`), flag `set`s and SORE scores; some nodes have effects on entering.
`trusted-advisor` requires trust >= 70. The last layer leads to the endings (success,
partial, failure).
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

DIMS = ("situation", "options", "recommendation", "engagement")
FLAGS = ("heard", "pushed")
LADDER = ("order-taker", "service-provider", "peer", "trusted-advisor")
REQUIRES = {"trusted-advisor": ("trust", ">=", 70)}
TRUST_START = 50

# A condition as data: (what, op, value) with what in trust | rung | flag:<name>.
Cond = tuple[str, str, int | bool]


@dataclass
class GChoice:
    text: str
    to: str
    when: Cond | None = None
    trust: int = 0
    hierarchy: str | None = None  # up | down
    set: dict[str, bool] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)


@dataclass
class GNode:
    id: str
    text: str
    choices: list[GChoice] = field(default_factory=list)
    next: list[tuple[Cond | None, str]] = field(default_factory=list)
    ending: str | None = None  # success | partial | failure
    trust: int = 0  # effect on entering
    set: dict[str, bool] = field(default_factory=dict)


@dataclass
class Story:
    nodes: list[GNode]
    depth: int
    seed: int

    @property
    def choice_count(self) -> int:
        return sum(len(n.choices) for n in self.nodes)


def _cond(rng: random.Random) -> Cond:
    r = rng.random()
    if r < 0.5:
        return ("trust", rng.choice([">=", "<"]), rng.choice([35, 45, 55, 65]))
    if r < 0.75:
        return ("rung", ">=", 2)
    return (f"flag:{rng.choice(FLAGS)}", "==", True)


def cond_parley(c: Cond) -> str:
    what, op, value = c
    if what == "trust":
        return f"trust {op} {value}"
    if what == "rung":
        return f"hierarchy {op} '{LADDER[int(value)]}'"
    name = what.split(":", 1)[1]
    return name if value is True else f"not {name}"


def _layers(content: int) -> list[list[str]]:
    """n0 alone, then layers doubling in width while nodes last."""
    layers: list[list[str]] = []
    i, width = 0, 1
    while i < content:
        take = min(width, content - i)
        layers.append([f"n{j}" for j in range(i, i + take)])
        i += take
        width *= 2
    return layers


def generate(nodes: int, seed: int = 1, loops: float = 0.0) -> Story:
    """The synthetic story with `nodes` nodes in total (at least 8), endings included.

    With `loops` > 0, about that fraction of the choice nodes after the second layer get a
    fourth answer ("Let's go back over that") leading back one or two layers, with its own
    trust effect and scores: plays can then go round, some while raising a score. The rest
    of the story is the same as without loops (the loops draw from their own generator).
    """
    rng = random.Random(seed)
    nodes = max(8, nodes)
    endings = [("win", "success"), ("deal", "success"), ("half", "partial")]
    endings += [("stalemate", "partial"), ("walkout", "failure"), ("lost", "failure")]
    end_ids = [e for e, _ in endings]
    layers = _layers(nodes - len(endings))
    out: list[GNode] = []
    for li, layer in enumerate(layers):
        last = li + 1 == len(layers)
        targets = end_ids if last else layers[li + 1]
        made: list[GNode] = []
        for nid in layer:
            num = int(nid[1:])
            node = GNode(nid, f"Line {num}.")
            if rng.random() < 0.15:
                node.trust = rng.choice([-5, 5])
            if rng.random() < 0.1:
                node.set = {rng.choice(FLAGS): rng.random() < 0.5}
            if nid != "n0" and rng.random() < 0.12:
                node.next = [(_cond(rng), rng.choice(targets)), (None, rng.choice(targets))]
                if rng.random() < 0.5:
                    node.next.insert(1, (_cond(rng), rng.choice(targets)))
            else:
                for k in range(3):
                    ch = GChoice(text=f"Answer {num}.{k + 1}", to=rng.choice(targets))
                    if k > 0 and rng.random() < 0.4:
                        ch.when = _cond(rng)
                    ch.trust = rng.choice([-10, -5, 0, 5, 10])
                    if rng.random() < 0.2:
                        ch.hierarchy = rng.choice(["up", "up", "down"])
                    if rng.random() < 0.15:
                        ch.set = {rng.choice(FLAGS): True}
                    for d in rng.sample(DIMS, 2):
                        ch.scores[d] = rng.randint(-2, 2)
                    node.choices.append(ch)
            made.append(node)
        if last:
            for node in made:
                for k, ch in enumerate(node.choices):
                    if ch.to in ("win", "deal"):
                        if k == 0:  # the ungated answer never wins outright
                            ch.to = rng.choice(["half", "stalemate", "lost"])
                        elif ch.when is None:
                            ch.when = ("trust", ">=", 55)
        else:
            # every node of the next layer gets a way in: ungated exits first
            slots: list[tuple[GNode, int]] = []
            for rank in range(3):
                for node in made:
                    if node.choices:
                        slots.append((node, rank))
                    elif rank == 0:
                        slots.append((node, len(node.next) - 1))
            order = list(targets)
            rng.shuffle(order)
            for (node, k), to in zip(slots, order, strict=False):
                if node.choices:
                    node.choices[k].to = to
                    node.choices[k].when = None
                else:
                    node.next[k] = (node.next[k][0], to)
            # a walk-out for a hostile counterpart, from some nodes
            for node in made:
                if node.choices and rng.random() < 0.08:
                    node.choices[-1].to = "walkout"
                    node.choices[-1].when = ("trust", "<", 35)
        out.extend(made)
    # every flag is set somewhere, so conditions may name it
    for k, flag in enumerate(FLAGS):
        out[0].choices[k].set = {flag: True}
    if loops > 0:
        _add_loops(out, layers, loops, random.Random(seed * 7919 + 1))
    for eid, outcome in endings:
        out.append(GNode(eid, f"The end ({eid}).", ending=outcome))
    return Story(out, len(layers), seed)


def _add_loops(out: list[GNode], layers: list[list[str]], share: float, rng: random.Random) -> None:
    """A way back one or two layers from about `share` of the choice nodes after layer 1."""
    layer_of = {nid: li for li, layer in enumerate(layers) for nid in layer}
    for node in out:
        li = layer_of[node.id]
        if li < 2 or not node.choices or rng.random() >= share:
            continue
        back = layers[li - rng.choice([1, 2])]
        ch = GChoice(text="Let's go back over that.", to=rng.choice(back))
        ch.trust = rng.choice([-5, 0, 5])
        for d in rng.sample(DIMS, 2):
            ch.scores[d] = rng.randint(-2, 2)
        node.choices.append(ch)


def _flow_scores(scores: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in scores.items() if v)


def to_yaml(story: Story) -> str:
    """The story as a compact Parley scenario file (flow style keeps it under 2 MB)."""
    lines = [
        "format: 1",
        f"id: synthetic-{len(story.nodes)}",
        f"title: Synthetic benchmark ({len(story.nodes)} nodes)",
        f"summary: Generated by bench/gen_scenario.py (seed {story.seed}) for benchmarks.",
        "characters:",
        "  you: {name: Sam, role: Project Manager}",
        "  dana: {name: Dana, role: Sponsor}",
        f"trust: {{start: {TRUST_START}}}",
        "hierarchy:",
        '  requires: {trusted-advisor: "trust >= 70"}',
        "start: n0",
        "nodes:",
    ]
    for node in story.nodes:
        lines.append(f"  {node.id}:")
        lines.append(f"    text: {node.text}")
        eff = []
        if node.trust:
            eff.append(f"trust: {node.trust}")
        if node.set:
            eff.append(
                "set: {" + ", ".join(f"{k}: {str(v).lower()}" for k, v in node.set.items()) + "}"
            )
        if eff:
            lines.append("    effects: {" + ", ".join(eff) + "}")
        if node.ending is not None:
            lines.append(
                f"    ending: {{outcome: {node.ending}, title: {node.id}, debrief: Over.}}"
            )
        elif node.next:
            lines.append("    next:")
            for cond, to in node.next:
                if cond is None:
                    lines.append(f"      - {{to: {to}}}")
                else:
                    lines.append(f'      - {{when: "{cond_parley(cond)}", to: {to}}}')
        else:
            lines.append("    choices:")
            for ch in node.choices:
                parts = [f"text: {ch.text}", f"to: {ch.to}"]
                if ch.when is not None:
                    parts.append(f'when: "{cond_parley(ch.when)}"')
                e = []
                if ch.trust:
                    e.append(f"trust: {ch.trust}")
                if ch.hierarchy:
                    e.append(f"hierarchy: {ch.hierarchy}")
                if ch.set:
                    e.append("set: {" + ", ".join(f"{k}: true" for k in ch.set) + "}")
                if e:
                    parts.append("effects: {" + ", ".join(e) + "}")
                sc = _flow_scores(ch.scores)
                if sc:
                    parts.append(f"sore: {{{sc}}}")
                lines.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=500, help="total nodes, endings included")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--loops",
        type=float,
        default=0.0,
        help="share of choice nodes with an answer leading back (0: none, the default)",
    )
    ap.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    args = ap.parse_args(argv)
    text = to_yaml(generate(args.nodes, args.seed, args.loops))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
