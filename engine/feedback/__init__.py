"""Feedback: coaching after each answer and the end-of-play debrief, as data (no UI here).

- `engine.feedback.mode`: the feedback mode of a play (immediate coaching or debrief only);
- `engine.feedback.coaching`: what one answer earned (`coaching_for`);
- `engine.feedback.scoring`: the scoring rule (percentages, strongest and weakest);
- `engine.feedback.model_answer`: the model answer at a decision and the model conversation;
- `engine.feedback.decisive`: the decisive moment of a play (from the state graph);
- `engine.feedback.debrief`: the debrief as data (`build_debrief`; the caller passes the
  exploration in);
- `engine.feedback.layout`: text layout for the terminal (`wrap`, `render_debrief_text`).

The names below are the public API (docs/DESIGN.md); each is imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.feedback.coaching import Coaching, RungNote, ScoreEarned, coaching_for
    from engine.feedback.debrief import Debrief, build_debrief
    from engine.feedback.layout import render_debrief_text, wrap
    from engine.feedback.mode import FEEDBACK_MODES, FeedbackMode, resolve_mode
    from engine.feedback.scoring import DimensionResult, percent_of

# Each name is imported from its module when first used (PEP 562): a headless play that
# has not ended needs the feedback mode, not the debrief and the explorer behind it.
_HOME = {
    "Coaching": "coaching",
    "RungNote": "coaching",
    "ScoreEarned": "coaching",
    "coaching_for": "coaching",
    "Debrief": "debrief",
    "build_debrief": "debrief",
    "render_debrief_text": "layout",
    "wrap": "layout",
    "FEEDBACK_MODES": "mode",
    "FeedbackMode": "mode",
    "resolve_mode": "mode",
    "DimensionResult": "scoring",
    "percent_of": "scoring",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'engine.feedback' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"engine.feedback.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FEEDBACK_MODES",
    "Coaching",
    "Debrief",
    "DimensionResult",
    "FeedbackMode",
    "RungNote",
    "ScoreEarned",
    "build_debrief",
    "coaching_for",
    "percent_of",
    "render_debrief_text",
    "resolve_mode",
    "wrap",
]
