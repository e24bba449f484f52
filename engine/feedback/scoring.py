"""The scoring rule of the debrief: per framework dimension and for the total.

(Step 1 of the split keeps round 1's rule; see docs/scoring.md once it changes.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """One framework dimension over a whole play."""

    key: str
    label: str
    question: str
    total: int  # the player's total
    best: int  # best achievable on the decisions faced (sum of the best offered score)
    worst: int  # worst achievable on the decisions faced (sum of the lowest offered score)
    percent: int  # see the module docstring

    @property
    def at_stake(self) -> bool:
        """Some decision offered different scores on this dimension."""
        return self.best != self.worst

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "question": self.question,
            "total": self.total,
            "best": self.best,
            "worst": self.worst,
            "percent": self.percent,
            "at_stake": self.at_stake,
        }


def percent_of(total: int, best: int, worst: int) -> int:
    """The documented percentage (module docstring); never divides by zero."""
    if best > 0:
        ratio = max(0.0, 100 * total / best)
    elif best == worst:
        return 100
    else:
        ratio = 100 * (total - worst) / (best - worst)
    return math.floor(ratio + 0.5)


def ranked(
    dims: Sequence[DimensionResult],
) -> tuple[DimensionResult | None, DimensionResult | None]:
    stake = [d for d in dims if d.at_stake]
    if not stake:
        return None, None
    strongest = stake[0]
    for d in stake[1:]:
        if (d.percent, d.total) > (strongest.percent, strongest.total):
            strongest = d
    weakest = stake[0]
    for d in stake[1:]:
        if (d.percent, d.total) < (weakest.percent, weakest.total):
            weakest = d
    top = strongest if strongest.percent > 0 and strongest.total > 0 else None
    if weakest is strongest or weakest.percent >= 100:
        return top, None
    return top, weakest
