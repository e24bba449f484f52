"""The trust-level and hierarchy-ladder machines (transitions) on their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.loader import load_scenario
from engine.machines import LadderMachine, TrustMachine

MINI = load_scenario(Path(__file__).parent / "fixtures" / "core_mini.yaml")


@dataclass
class Facts:
    trust: int = 50
    level_index: int = 2
    rung_index: int = 1
    turns: int = 0
    flags: dict[str, Any] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    chosen: set[str] = field(default_factory=set)


def test_trust_machine_enters_levels_and_reports_each_change() -> None:
    seen: list[tuple[str, str]] = []
    tm = TrustMachine(MINI, 55, lambda a, b: seen.append((a, b)))
    assert tm.state == "neutral" and tm.index == 2
    assert tm.settle(59) is False and seen == []  # same level: no event
    assert tm.settle(60) is True and tm.state == "open"
    assert tm.settle(5) is True and tm.state == "hostile"
    assert seen == [("neutral", "open"), ("open", "hostile")]


def test_ladder_moves_up_down_and_jumps() -> None:
    seen: list[tuple[str, str]] = []
    facts = Facts(trust=90)
    lm = LadderMachine(MINI, facts, lambda a, b: seen.append((a, b)))
    assert lm.state == "service-provider"
    assert lm.move("up") and lm.state == "peer"
    assert lm.move("trusted-advisor") and lm.state == "trusted-advisor"
    assert lm.move("up") and lm.state == "trusted-advisor"  # top: no move, not a block
    assert lm.move("order-taker") and lm.state == "order-taker"
    assert lm.move("down") and lm.state == "order-taker"
    assert seen == [
        ("service-provider", "peer"),
        ("peer", "trusted-advisor"),
        ("trusted-advisor", "order-taker"),
    ]


def test_requires_blocks_a_climb_and_nothing_changes() -> None:
    facts = Facts(trust=65)
    lm = LadderMachine(MINI, facts, None)
    lm.move("peer")
    assert lm.move("up") is False and lm.state == "peer"
    assert lm.move("trusted-advisor") is False and lm.state == "peer"
    facts.trust = 70
    assert lm.move("up") is True and lm.state == "trusted-advisor"


def test_many_plays_do_not_accumulate_state() -> None:
    machines = [TrustMachine(MINI, 50) for _ in range(200)]
    machines[0].settle(90)
    assert machines[0].state == "trusting"
    assert all(m.state == "neutral" for m in machines[1:])
