"""Playing from any point (`parley play --from NODE --set …`): reading the author's `--set`
and telling whether such a state can occur in a play from the start.

A play may begin at any node with any trust, rung and flags (authors test a moment without
playing up to it). Whether the state can occur is read off the explorer's state graph
(engine.explore.StateGraph): some reachable state at the node the play arrives at with the
same trust, rung and the flags the author set (flags no condition reads are not part of a
state, and facts the author did not set may be anything).
"""

from __future__ import annotations

from engine.conversation import Conversation, StartPoint
from engine.errors import ParleyError
from engine.explore import explore
from engine.model import FlagValue, Scenario


class StartPointError(ParleyError):
    """A `--from`/`--set` the scenario cannot start from."""

    code = "P100"


def parse_set(text: str | None) -> tuple[int | None, str | None, dict[str, FlagValue]]:
    """`trust=60,rung=peer,flag=true` -> (trust, rung, flags)."""
    trust: int | None = None
    rung: str | None = None
    flags: dict[str, FlagValue] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, eq, raw = part.partition("=")
        name, raw = name.strip(), raw.strip()
        if not eq or not name:
            raise StartPointError(
                f"'{part.strip()}' is not NAME=VALUE",
                hint="e.g. --set trust=60,rung=peer,agreed=true",
            )
        if name == "trust":
            try:
                trust = int(raw)
            except ValueError:
                raise StartPointError(f"trust must be a whole number, not '{raw}'") from None
        elif name in ("rung", "hierarchy"):
            rung = raw
        else:
            flags[name] = _value(raw)
    return trust, rung, flags


def _value(raw: str) -> FlagValue:
    low = raw.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw.strip("'\"")


def can_occur(scenario: Scenario, conv: Conversation) -> bool | None:
    """Whether the state `conv` begins in (after entering its start point) is one a play from
    the start can be in. None when the exploration stopped at its state cap."""
    at = conv.start_point
    if at is None:
        return True
    ex = explore(scenario)
    g = ex.graph
    if g is None:
        return None
    node, trust, rung = conv.node.id, conv.trust, conv.hierarchy
    read = set(g.rules.flag_names)
    wanted = {k: v for k, v in conv.flags.items() if k in read and k in at.flags}
    for s in range(len(g)):
        if g.node(s) != node or g.trust(s) != trust or g.rung(s) != rung:
            continue
        flags = g.flags(s)
        if all(flags.get(k) == v for k, v in wanted.items()):
            return True
    return False if ex.complete else None


def start_point(node: str, settings_text: str | None) -> StartPoint:
    trust, rung, flags = parse_set(settings_text)
    return StartPoint(node, trust, rung, flags)
