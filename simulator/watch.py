"""`parley play FILE --watch`: notice when the file changes, reload, replay the choices by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.conversation import Conversation
from engine.errors import ParleyError, PlayError, ScenarioLoadError
from engine.loader import load_scenario
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


def replay_by_id(
    scenario: Scenario, choices: list[str], lang: str | None, seed: int | None = None
) -> Replayed:
    """Replay as many of `choices` (ids) as the new version of the scenario still offers
    (with the play's option order, `seed`)."""
    conv = Conversation(scenario, lang=lang, seed=seed)
    for turn, ref in enumerate(choices, start=1):
        try:
            conv.choose(ref)
        except PlayError:
            where = conv.node.id
            return Replayed(
                conv, turn - 1, f"choice '{ref}' (turn {turn}) is not offered at '{where}' now"
            )
        except ParleyError as exc:
            return Replayed(conv, turn - 1, str(exc))
    return Replayed(conv, len(choices), None)
