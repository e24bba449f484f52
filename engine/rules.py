"""The rules of play that every runner shares (Conversation, explorer, autoplay)."""

from __future__ import annotations

from engine.conditions import Facts
from engine.model import Scenario

TRUST_MIN = 0
TRUST_MAX = 100


def clamp_trust(value: int) -> int:
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
