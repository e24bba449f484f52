"""The trust-level and hierarchy-ladder state machines (built with `transitions`).

A play owns one TrustMachine and one LadderMachine. The machines know the states
and the legal moves; entering a level or rung is an event the UI can show, and a
climb that a rung's `requires` forbids does not happen (the trigger returns False).
The rules kernel (engine.rules) decides when trust and the rung move; on Conversation's
play path the moves go through these machines (their triggers and guards), and the
`requires` guard is engine.rules.rung_allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import EventData, Machine

from engine.conditions import Facts
from engine.model import Scenario
from engine.rules import rung_allowed, rung_target

LevelListener = Callable[[str, str], None]


def _ends(event: EventData) -> tuple[str, str]:
    """(source, dest) of the transition an event is about."""
    transition = event.transition
    assert transition is not None
    return str(transition.source), str(transition.dest)


class TrustMachine:
    """States are the scenario's trust levels; `settle(trust)` moves to the level trust is in."""

    state: str

    def __init__(
        self, scenario: Scenario, trust: int, on_change: LevelListener | None = None
    ) -> None:
        self._scenario = scenario
        self._on_change = on_change
        names = list(scenario.level_names)
        self._machine = Machine(
            model=self,
            states=names,
            initial=names[scenario.level_of(trust)],
            auto_transitions=True,
            send_event=True,
            after_state_change="_entered",
        )

    @property
    def index(self) -> int:
        return self._scenario.level_names.index(self.state)

    def settle(self, trust: int) -> bool:
        """Move to the level that `trust` falls in; True when the level changed."""
        target = self._scenario.trust_levels[self._scenario.level_of(trust)].name
        if target == self.state:
            return False
        return bool(self.trigger(f"to_{target}"))  # type: ignore[attr-defined]

    def _entered(self, event: EventData) -> None:
        if self._on_change is not None:
            self._on_change(*_ends(event))

    def __eq__(self, other: object) -> bool:  # identity: keep transitions' add_model cheap
        return self is other

    def __hash__(self) -> int:
        return id(self)


class LadderMachine:
    """States are the ladder's rungs; `up`, `down` and `to_<rung>` are guarded by `requires`."""

    state: str

    def __init__(
        self,
        scenario: Scenario,
        facts: Facts,
        on_change: LevelListener | None = None,
        initial: str | None = None,
    ) -> None:
        self._scenario = scenario
        self._facts = facts
        self._on_change = on_change
        ladder = list(scenario.ladder)
        transitions: list[dict[str, Any]] = []
        for i, rung in enumerate(ladder):
            if i + 1 < len(ladder):
                transitions.append(
                    {
                        "trigger": "up",
                        "source": rung,
                        "dest": ladder[i + 1],
                        "conditions": "_allowed",
                    }
                )
            if i > 0:
                transitions.append(
                    {
                        "trigger": "down",
                        "source": rung,
                        "dest": ladder[i - 1],
                        "conditions": "_allowed",
                    }
                )
        for rung in ladder:
            transitions.append(
                {"trigger": f"to_{rung}", "source": "*", "dest": rung, "conditions": "_allowed"}
            )
        self._machine = Machine(
            model=self,
            states=ladder,
            transitions=transitions,
            initial=initial or scenario.hierarchy_start,
            auto_transitions=False,
            send_event=True,
            after_state_change="_entered",
            ignore_invalid_triggers=True,
        )

    @property
    def index(self) -> int:
        return self._scenario.ladder.index(self.state)

    def target(self, move: str) -> str | None:
        """The rung `move` ('up', 'down' or a rung) would reach, or None for no move."""
        idx = rung_target(self._scenario.ladder, self.index, move)
        return None if idx is None else self._scenario.ladder[idx]

    def climb(self, target: int) -> bool:
        """Try to move to rung number `target` (`up`, `down` or `to_<rung>`, guarded by the
        rung's `requires`); False when it forbids the move (nothing changes)."""
        here = self.index
        if target == here:
            return True
        trigger = (
            "up"
            if target == here + 1
            else "down"
            if target == here - 1
            else f"to_{self._scenario.ladder[target]}"
        )
        return bool(self.trigger(trigger))  # type: ignore[attr-defined]

    def move(self, move: str) -> bool:
        """Try the move; False when `requires` forbids it (nothing changes)."""
        dest = self.target(move)
        if dest is None:
            return True
        trigger = move if move in ("up", "down") else f"to_{dest}"
        return bool(self.trigger(trigger))  # type: ignore[attr-defined]

    def _allowed(self, event: EventData) -> bool:
        dest = self._scenario.ladder.index(_ends(event)[1])
        return rung_allowed(self._scenario, dest, self._facts)

    def _entered(self, event: EventData) -> None:
        source, dest = _ends(event)
        if self._on_change is not None and source != dest:
            self._on_change(source, dest)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)
