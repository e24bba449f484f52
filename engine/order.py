"""The order a play shows its options in: shuffled per play, seeded, so it can be restored.

A play carries a `seed` (an integer, recorded in its save). Each node's choices are shuffled
by a generator seeded with the play's seed and the node id, so a node shows the same order
every time the play meets it, a restored play shows the order its player saw, and two plays
with different seeds differ. Choices a `when` hides are left out after shuffling, so the
others keep their relative order. A scenario or a node with `shuffle: false` keeps file
order (where the order is part of the moment); so does a play without a seed (the author's
view: `parley play --json`, tests, the explorers).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence

from engine.model import Choice, Node

SEED_BITS = 32


def new_seed() -> int:
    """A fresh seed for a new play."""
    return secrets.randbits(SEED_BITS)


def node_order(node: Node, seed: int | None) -> tuple[Choice, ...]:
    """All of `node`'s choices in the order a play with `seed` shows them."""
    choices = list(node.choices)
    if seed is None or not node.shuffle or len(choices) < 2:
        return tuple(choices)
    random.Random(f"{seed}:{node.id}").shuffle(choices)
    return tuple(choices)


def presented(node: Node, offered: Iterable[Choice], seed: int | None) -> list[Choice]:
    """The offered choices in the order shown (screen order: keys 1-9 follow it)."""
    ids = {c.id for c in offered}
    return [c for c in node_order(node, seed) if c.id in ids]


def screen_number(shown: Sequence[Choice], choice_id: str) -> int | None:
    """The 1-based number of `choice_id` on screen, or None when it is not shown."""
    for n, c in enumerate(shown, start=1):
        if c.id == choice_id:
            return n
    return None
