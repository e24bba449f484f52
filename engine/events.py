"""What happens during a play, as data. A listener (UI, recorder) receives these."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.model import FlagValue


@dataclass(frozen=True, slots=True)
class Entered:
    node: str


@dataclass(frozen=True, slots=True)
class TrustChanged:
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class LevelChanged:
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class RungChanged:
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class BlockedMove:
    """A hierarchy move that a rung's `requires` stopped."""

    node: str
    choice: str | None  # None when the move came from a node's own effects
    from_rung: str
    to_rung: str
    condition: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "node": self.node,
            "choice": self.choice,
            "from": self.from_rung,
            "to": self.to_rung,
        }


@dataclass(frozen=True, slots=True)
class FlagSet:
    name: str
    value: FlagValue


@dataclass(frozen=True, slots=True)
class Ended:
    node: str
    outcome: str


@dataclass(frozen=True, slots=True)
class Stalled:
    node: str


Event = (
    Entered | TrustChanged | LevelChanged | RungChanged | BlockedMove | FlagSet | Ended | Stalled
)


@dataclass(slots=True)
class Step:
    """One answer and everything it caused."""

    turn: int
    node: str
    choice: str
    trust_before: int
    level_before: str
    rung_before: str
    offered: tuple[str, ...] = ()  # ids of the choices on offer when this answer was given
    trust_after: int = 0
    level_after: str = ""
    rung_after: str = ""
    scores: dict[str, int] = field(default_factory=dict)
    entered: list[str] = field(default_factory=list)
    blocked: list[BlockedMove] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def trust_delta(self) -> int:
        return self.trust_after - self.trust_before
