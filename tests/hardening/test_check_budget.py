"""State exploration in `check` has a time and memory budget besides the state bound, and
says "incomplete: budget reached" (P211) instead of running on (#16 class 6)."""

from __future__ import annotations

import random

from engine.budget import Budget
from engine.check import condition_findings
from engine.loader import load_scenario_text
from tests.hardening.scenarios import flag_maze


def test_a_state_explosion_stops_at_the_time_budget() -> None:
    flags = random.Random(16).randint(20, 26)  # 2**20.. states: far beyond any budget here
    sc = load_scenario_text(flag_maze(flags), "maze.yaml")
    found = condition_findings(sc, max_states=10**9, max_seconds=0.3)
    (info,) = [d for d in found if d.code == "P211"]
    assert "incomplete: budget reached (the time budget of 0.3 s" in info.message
    assert info.location.file == "maze.yaml"


def test_the_memory_budget_is_measured() -> None:
    budget = Budget(seconds=None, memory_mb=20)
    assert budget.spent() is None
    ballast = bytearray(60_000_000)  # 60 MB, touched so it is resident
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    assert budget.spent() == "memory"
    assert "memory budget of 20 MB" in budget.describe("memory")
    del ballast
