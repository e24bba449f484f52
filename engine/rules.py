"""The rules of play, stated once: every runner is a driver over these functions.

A *driver* keeps the state of one play (or of one state being explored) and says how a
change is recorded; the kernel says *when* each change happens and in what order:

- **answering** (`answer`): the answer counts as a turn and as chosen (`chose()`), then
  its effects apply, then the play enters the choice's `to` node;
- **effects** (`apply_effects`): trust first (clamped to `TRUST_MIN..TRUST_MAX`), then the
  hierarchy move (a rung whose `requires` does not hold is not entered: the move is
  *blocked*), then the `set` flags, in file order;
- **entering a node** (`enter`): the node counts as visited (`visited()`), its effects
  apply; an ending ends the play; a node with choices waits for an answer; a node with
  automatic `next` moves on at once to the first branch whose `when` holds, and *stalls*
  when none holds. Automatic links that go round `MAX_AUTOMATIC_STEPS` times without an
  answer are a *loop*;
- **offered choices** (`offered`): the node's choices whose `when` holds, in file order.

Conditions read the facts of the `engine.conditions.Facts` protocol: trust, its level,
the rung, turns, flags, and the visited / chosen sets kept as above.

Drivers: `engine.conversation.Conversation` (the reference player: events, history,
transitions machines for trust levels and the ladder) and `engine.fastplay.Rules`
(hashable states for autoplay, the explorer and the difficulty pass). Two named
specialisations restate part of the rules for speed, each checked against the kernel by a
differential test over every bundled scenario and generated ones (tests/test_explore.py,
tests/test_check.py): `engine.reach` applies the rules to a *set* of trust values at once
("trust sets"), and `engine.fastplay` compiles a choice whose move reads no condition into
what it does to a state ("straight moves": answering, effects in their order with the
trust clamp, entering a node that waits or ends).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engine.conditions import Facts
from engine.model import Choice, Effects, FlagValue, Node, Scenario

TRUST_MIN = 0
TRUST_MAX = 100
MAX_AUTOMATIC_STEPS = 10_000

# how things stand after entering: what `enter` returns
DECIDE = 0  # waiting for an answer (a node with choices)
ENDING = 1  # an ending node
STALL = 2  # a `next` node where no branch holds
LOOP = 3  # automatic `next` links went round MAX_AUTOMATIC_STEPS times


def clamp_trust(value: int) -> int:
    """Trust stays within TRUST_MIN..TRUST_MAX."""
    return TRUST_MIN if value < TRUST_MIN else TRUST_MAX if value > TRUST_MAX else value


def rung_target(ladder: tuple[str, ...], current: int, move: str) -> int | None:
    """Index a hierarchy move leads to, or None when it moves nowhere (up at the top...)."""
    if move == "up":
        target = current + 1
    elif move == "down":
        target = current - 1
    else:
        target = ladder.index(move)
    if target < 0 or target >= len(ladder) or target == current:
        return None
    return target


def rung_allowed(scenario: Scenario, target: int, facts: Facts) -> bool:
    """A rung can only be reached while its `requires` condition holds."""
    cond = scenario.requires.get(scenario.ladder[target])
    return cond is None or cond.holds(facts)


class Driver(Facts, Protocol):
    """The state of one play as the kernel changes it (and conditions read it)."""

    def set_trust(self, value: int) -> None:
        """Trust becomes `value` (already clamped; called only when it changes)."""

    def climb(self, target: int) -> bool:
        """Move to rung `target` if `rung_allowed`; False (and no move) when blocked."""

    def rung_blocked(self, target: int, node: Node, choice: Choice | None) -> None:
        """A hierarchy move to rung `target` was blocked by its `requires`."""

    def set_flag(self, name: str, value: FlagValue) -> None: ...

    def visit(self, node: Node) -> None:
        """The play enters `node` (it now counts for `visited()`)."""

    def answered(self, choice: Choice) -> None:
        """The player answered with `choice` (a turn; it now counts for `chose()`)."""


def apply_effects(
    scenario: Scenario, effects: Effects, d: Driver, node: Node, choice: Choice | None
) -> None:
    """Effects in their one order: trust (clamped), hierarchy (guarded), then `set`."""
    if effects.trust:
        trust = clamp_trust(d.trust + effects.trust)
        if trust != d.trust:
            d.set_trust(trust)
    if effects.hierarchy is not None:
        target = rung_target(scenario.ladder, d.rung_index, effects.hierarchy)
        if target is not None and not d.climb(target):
            d.rung_blocked(target, node, choice)
    for name, value in effects.set:
        d.set_flag(name, value)


def offered(node: Node, facts: Facts) -> list[Choice]:
    """The choices offered at `node`: those whose `when` holds, in file order."""
    return [c for c in node.choices if c.when is None or c.when.test(facts)]


def next_target(node: Node, facts: Facts) -> str | None:
    """Where an automatic `next` goes: the first branch whose `when` holds (None: stall)."""
    for branch in node.next:
        if branch.when is None or branch.when.test(facts):
            return branch.to
    return None


def enter(scenario: Scenario, node_id: str, d: Driver, entered: list[Node]) -> int:
    """Enter `node_id` and follow automatic `next` links; the nodes entered are appended
    to `entered` (the last one is where the play now is). Returns DECIDE, ENDING, STALL
    or LOOP."""
    nodes = scenario.nodes
    for _ in range(MAX_AUTOMATIC_STEPS):
        node = nodes[node_id]
        entered.append(node)
        d.visit(node)
        if not node.effects.empty:
            apply_effects(scenario, node.effects, d, node, None)
        if node.ending is not None:
            return ENDING
        if not node.next:
            return DECIDE
        target = next_target(node, d)
        if target is None:
            return STALL
        node_id = target
    return LOOP


def answer(scenario: Scenario, node: Node, choice: Choice, d: Driver, entered: list[Node]) -> int:
    """Answer with `choice` at `node`: a turn, `chose()`, its effects, then enter `to`."""
    d.answered(choice)
    if not choice.effects.empty:
        apply_effects(scenario, choice.effects, d, node, choice)
    return enter(scenario, choice.to, d, entered)


def start(scenario: Scenario, d: Driver, entered: list[Node]) -> int:
    """Begin a play: enter the start node."""
    return enter(scenario, scenario.start, d, entered)


def level_table(scenario: Scenario) -> Sequence[int]:
    """The trust level index of every trust value TRUST_MIN..TRUST_MAX."""
    return tuple(scenario.level_of(t) for t in range(TRUST_MIN, TRUST_MAX + 1))
