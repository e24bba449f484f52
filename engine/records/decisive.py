"""The decisive moment a play's record keeps (the `decisive` column of plays), worked out
when the play ends.

It is the moment the learner's debrief leads with (engine.feedback.decisive), over the same
bounded exploration (engine.play.debrief_exploration, which keeps the last scenario's, so
the debrief that follows does not explore again). Written as JSON (engine.records.model
`Moment` reads it back); NULL while the play has not ended.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.conversation import Conversation
    from engine.model import Scenario
    from engine.records.model import Moment

TOO_BIG = "the scenario has more states than the exploration takes"
NOT_EXPLORED = "the scenario could not be explored"
OFF_GRAPH = "the play's answers are not in the scenario's state graph"


FAILED = "working it out failed"


def moment_text(conv: Conversation) -> str | None:
    """The `decisive` column for `conv` as it stands: None while it has not ended."""
    if not conv.ended:
        return None
    try:
        found = moment_of(conv)
    except Exception:  # a bonus for the report: it never stops a play being recorded
        found = {"kind": "unknown", "reason": FAILED}
    return json.dumps(found, ensure_ascii=False, sort_keys=True)


def moment_of(conv: Conversation) -> dict[str, Any]:
    """The decisive moment of an ended play as plain data (see engine.records.model.Moment)."""
    from engine.feedback.decisive import decisive_moment, play_states
    from engine.play import debrief_exploration

    ex = debrief_exploration(conv.scenario)
    if ex is None or ex.graph is None:
        return {"kind": "unknown", "reason": NOT_EXPLORED}
    if not ex.complete:
        return {"kind": "unknown", "reason": TOO_BIG}
    if play_states(ex.graph, conv.choices_made) is None:
        return {"kind": "unknown", "reason": OFF_GRAPH}
    found = decisive_moment(conv, ex.graph)
    return {"kind": "none"} if found is None else found.as_dict()


def replay_moment(
    sc: Scenario, lang: str, choices: Sequence[str], ending: str | None
) -> Moment | None:
    """The decisive moment of a play replayed from its answers in `sc` (None when the
    answers do not make a play there that ends at `ending`)."""
    from engine.conversation import Conversation
    from engine.errors import ParleyError
    from engine.records.model import decode_moment

    try:
        conv = Conversation(sc, lang=lang)
        for choice in choices:
            conv.choose(choice)
    except ParleyError:
        return None
    if not conv.ended or conv.node.id != ending:
        return None
    return decode_moment(moment_text(conv))
