"""The feedback mode of a play: coaching after each answer, or only the debrief at the end.

Learning design: immediate feedback for novices, delayed for experienced players. The
scenario's top-level ``feedback_mode`` is the default; the player overrides it
(``parley play --feedback``).
"""

from __future__ import annotations

from typing import Literal

from engine.errors import ParleyError
from engine.model import Scenario

FeedbackMode = Literal["immediate", "debrief"]
FEEDBACK_MODES: tuple[FeedbackMode, ...] = ("immediate", "debrief")


def resolve_mode(scenario: Scenario, override: str | None = None) -> FeedbackMode:
    """The feedback mode of a play: the player's override, else the scenario's default."""
    if override is None:
        return scenario.feedback_mode
    if override not in FEEDBACK_MODES:
        raise ParleyError(
            f"feedback mode '{override}' is not one of: {', '.join(FEEDBACK_MODES)}",
            hint="use --feedback immediate (coaching after each answer) or "
            "--feedback debrief (only the debrief at the end)",
        )
    return override
