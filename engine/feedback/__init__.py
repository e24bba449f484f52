"""Feedback: coaching after each answer and the end-of-play debrief, as data (no UI here).

- `engine.feedback.mode`: the feedback mode of a play (immediate coaching or debrief only);
- `engine.feedback.coaching`: what one answer earned (`coaching_for`);
- `engine.feedback.scoring`: the scoring rule (percentages, strongest and weakest);
- `engine.feedback.model_answer`: the model answer at a decision and the model conversation;
- `engine.feedback.decisive`: the decisive moment of a play (from the state graph);
- `engine.feedback.debrief`: the debrief as data (`build_debrief`; the caller passes the
  exploration in);
- `engine.feedback.layout`: text layout for the terminal (`wrap`, `render_debrief_text`).

The names below are the public API (docs/DESIGN.md).
"""

from engine.feedback.coaching import Coaching, RungNote, ScoreEarned, coaching_for
from engine.feedback.debrief import Debrief, build_debrief
from engine.feedback.layout import render_debrief_text, wrap
from engine.feedback.mode import FEEDBACK_MODES, FeedbackMode, resolve_mode
from engine.feedback.scoring import DimensionResult, percent_of

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
