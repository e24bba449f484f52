"""`parley play FILE --watch`: notice when the file changes, reload, replay the choices by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.conversation import Conversation, StartPoint
from engine.errors import ParleyError, PlayError, ScenarioLoadError
from engine.model import Scenario


def stamp(path: Path) -> tuple[int, int] | None:
    """What tells us the file changed: (mtime_ns, size); None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True, slots=True)
class Reload:
    """The result of reloading a watched file: a scenario, or the errors (file:line)."""

    scenario: Scenario | None
    errors: tuple[str, ...] = ()


def reload(path: Path) -> Reload:
    from engine.loader import load_scenario  # (an author's edit: always the full loader)

    try:
        return Reload(load_scenario(path))
    except ScenarioLoadError as exc:
        return Reload(None, tuple(d.format() for d in exc.diagnostics[:8]))
    except ParleyError as exc:
        return Reload(None, (str(exc),))
    except Exception as exc:  # an engine bug must not end an author's session
        return Reload(None, (f"{path}: could not be loaded ({type(exc).__name__}: {exc})",))


@dataclass(frozen=True, slots=True)
class Replayed:
    conv: Conversation
    replayed: int  # how many of the choices still apply
    problem: str | None  # why the replay stopped early
    jumped: bool = False  # the play went on at the node it was at, not by replaying


def replay_by_id(
    scenario: Scenario,
    choices: list[str],
    lang: str | None,
    start: StartPoint | None = None,
    keep: Conversation | None = None,
) -> Replayed:
    """Replay as many of `choices` (ids) as the new version of the scenario still offers,
    from `start` (a play begun with --from) when its node still exists.

    When the replay cannot get back to where `keep` (the play before the reload) was and
    that node still exists, the play goes on at that node with the same trust, rung and
    flags, as a play from that point (`parley play --from`) would: the author keeps the
    position they were testing.
    """
    if start is not None and start.node not in scenario.nodes:
        start = None
    conv = _fresh(scenario, lang, start)
    if keep is not None:
        conv.seed = keep.seed  # the play keeps its option order across reloads
    for turn, ref in enumerate(choices, start=1):
        try:
            conv.choose(ref)
        except PlayError:
            where = conv.node.id
            problem = f"choice '{ref}' (turn {turn}) is not offered at '{where}' now"
            return _or_jump(scenario, lang, conv, turn - 1, problem, keep)
        except ParleyError as exc:
            return _or_jump(scenario, lang, conv, turn - 1, str(exc), keep)
    return Replayed(conv, len(choices), None)


def _fresh(scenario: Scenario, lang: str | None, start: StartPoint | None) -> Conversation:
    try:
        return Conversation(scenario, lang=lang, start=start)
    except PlayError:  # the rung or trust of the starting point no longer fits
        return Conversation(scenario, lang=lang)


def _or_jump(
    scenario: Scenario,
    lang: str | None,
    conv: Conversation,
    replayed: int,
    problem: str,
    keep: Conversation | None,
) -> Replayed:
    if keep is None or keep.node.id not in scenario.nodes or keep.node.id == conv.node.id:
        return Replayed(conv, replayed, problem)
    there = StartPoint(
        keep.node.id,
        keep.trust,
        keep.hierarchy if keep.hierarchy in scenario.ladder else None,
        dict(keep.flags),
    )
    try:
        jumped = Conversation(scenario, lang=lang, start=there, seed=keep.seed)
    except ParleyError:
        return Replayed(conv, replayed, problem)
    problem += f"; went on at '{keep.node.id}' with the same trust, rung and flags"
    return Replayed(jumped, replayed, problem, jumped=True)
