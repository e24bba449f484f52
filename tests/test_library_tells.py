"""Guard the scenario library against answer 'tells'.

A player should not be able to score well by always picking the longest option, or by always
picking the option in the same position. Over every decision node in every bundled scenario,
this measures where the best-scoring choice (highest framework-score total, counted only when it
is unique) sits, and how often it is also the longest choice text (English).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))

MAX_LONGEST_IS_BEST = 0.5  # share of decisions where the best choice is also the longest
MAX_SAME_POSITION = 0.7  # share of decisions where the best choice sits in the most common slot


@dataclass(frozen=True)
class Decision:
    scenario: str
    node: str
    best_position: int  # 1-based
    best_is_longest: bool


def _decisions() -> list[Decision]:
    found: list[Decision] = []
    for path in SCENARIO_FILES:
        sc = load_scenario(path)
        for node in sc.nodes.values():
            choices = list(node.choices)
            if len(choices) < 2:
                continue
            totals = [sum(c.scores.values()) for c in choices]
            best = max(totals)
            if totals.count(best) != 1:
                continue  # tied best: no single right answer to give away
            best_index = totals.index(best)
            lengths = [len(c.text.get("en")) for c in choices]
            longest = max(lengths)
            best_is_longest = lengths[best_index] == longest and lengths.count(longest) == 1
            found.append(Decision(sc.id, node.id, best_index + 1, best_is_longest))
    return found


@pytest.fixture(scope="module")
def decisions() -> list[Decision]:
    found = _decisions()
    if not found:
        pytest.skip("The library has no scored decision nodes to check.")
    return found


def test_library_has_scenarios() -> None:
    assert SCENARIO_FILES, "no scenarios found in scenarios/*.yaml"


def test_best_choice_is_not_usually_the_longest(decisions: list[Decision]) -> None:
    longest = [d for d in decisions if d.best_is_longest]
    share = len(longest) / len(decisions)
    assert share < MAX_LONGEST_IS_BEST, (
        f"the best-scoring choice is also the longest in {len(longest)} of {len(decisions)} "
        f"decisions ({share:.0%}); shorten some best answers or lengthen some weak ones: "
        + ", ".join(f"{d.scenario}:{d.node}" for d in longest)
    )


def test_best_choice_position_varies(decisions: list[Decision]) -> None:
    positions = Counter(d.best_position for d in decisions)
    assert len(positions) >= 2, f"the best choice is always in position {next(iter(positions))}"
    slot, count = positions.most_common(1)[0]
    share = count / len(decisions)
    assert share <= MAX_SAME_POSITION, (
        f"the best choice sits in position {slot} in {count} of {len(decisions)} decisions "
        f"({share:.0%}); positions: {dict(sorted(positions.items()))}"
    )
