"""The scoring rule of the debrief, one rule for every dimension and the total.

Documented for trainers and authors in docs/scoring.md. At each decision the player faced,
three numbers are read from the choices on offer there (those whose `when` held):

- what the player's answer earned,
- what the model answer there earns (`model:` on the node, else the best-total choice on
  offer; engine.feedback.model_answer), and
- the worst on offer (the lowest score among the offered choices).

Each is summed over the decisions faced, per dimension and for the framework total. The
percentage places the player's sum on the scale from the worst on offer (0 %) to the model
answer (100 %):

    percent = round(100 * (earned - worst) / (model - worst)), at most 100

- Earned is never below the worst on offer, so the percentage is never below 0; a negative
  total is just a place on the same scale (earned -2 where the worst was -4 and the model
  +2 is 33 %).
- Earning more than the model answer on a dimension (a choice strong there, weaker
  elsewhere) tops out at 100 %: the scale ends at the model answer.
- When the model answer earns no more than the worst on offer at every decision faced
  (`model == worst`, including a play with no decisions), nothing was at stake on that
  dimension: there is no percentage (None, shown as "-"), and the dimension is neither
  strongest nor weakest.
- Halves round up; there is never a division by zero.

So a play that takes the model answer at every decision is 100 % on every dimension at
stake and on the total, and is never told it has a weakest dimension.

Strongest and weakest name a dimension only when the statement is true:

- weakest: the dimension at stake with the lowest percentage, when it is below 100 % and
  either it is the only one at stake or some other is higher; ties go to the one further
  below the model answer in points; a tie on both names none;
- strongest: the dimension at stake with the highest percentage, when some other dimension
  at stake is lower; ties go to the one further above the worst in points; a tie on both
  names none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def percent_of(earned: int, model: int, worst: int) -> int | None:
    """Where `earned` lies from `worst` (0) to `model` (100); None when nothing is at stake."""
    if model <= worst:
        return None
    ratio = 100 * (earned - worst) / (model - worst)
    return max(0, min(100, math.floor(ratio + 0.5)))


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """One framework dimension (or the total) over a whole play."""

    key: str
    label: str
    question: str
    total: int  # what the player earned
    model: int  # what the model answer earns at the same decisions
    worst: int  # the lowest on offer at the same decisions
    percent: int | None  # see the module docstring; None: nothing at stake
    why: str | None = None  # why this dimension matters (the framework's `why:`)

    @property
    def at_stake(self) -> bool:
        """The model answer earns more than the worst on offer at some decision faced."""
        return self.percent is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "question": self.question,
            "total": self.total,
            "model": self.model,
            "worst": self.worst,
            "percent": self.percent,
            "at_stake": self.at_stake,
        }


def ranked(
    dims: Sequence[DimensionResult],
) -> tuple[DimensionResult | None, DimensionResult | None]:
    """(strongest, weakest) under the rule in the module docstring."""
    stake = [(d, d.percent) for d in dims if d.percent is not None]
    if not stake:
        return None, None
    low = min(p for _, p in stake)
    high = max(p for _, p in stake)

    def pick(cands: list[DimensionResult], gap: Any) -> DimensionResult | None:
        best = max(gap(d) for d in cands)
        top = [d for d in cands if gap(d) == best]
        return top[0] if len(top) == 1 else None

    weakest = None
    if low < 100 and (len(stake) == 1 or low < high):
        weakest = pick([d for d, p in stake if p == low], lambda d: d.model - d.total)
    strongest = None
    if low < high:
        strongest = pick([d for d, p in stake if p == high], lambda d: d.total - d.worst)
    return strongest, weakest
