"""`parley play --watch` keeps the author's position across reloads (simulator.watch)."""

from __future__ import annotations

from pathlib import Path

from engine.conversation import Conversation, StartPoint
from engine.loader import load_scenario_text
from simulator.watch import replay_by_id

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "scenarios" / "budget-cut.yaml").read_text(encoding="utf-8")
BASE = ROOT / "scenarios"


def _load(text: str):  # type: ignore[no-untyped-def]
    return load_scenario_text(text, str(BASE / "budget-cut.yaml"), base_dir=BASE)


def test_an_edit_elsewhere_replays_every_answer() -> None:
    sc = _load(TEXT)
    old = Conversation.replay(sc, ["ask_two_minutes", "three_numbers"])
    new = _load(TEXT.replace("Two minutes. Go.", "Two minutes. Go on."))
    got = replay_by_id(new, list(old.choices_made), None, keep=old)
    assert (got.replayed, got.problem, got.jumped) == (2, None, False)
    assert got.conv.node.id == old.node.id and got.conv.trust == old.trust


def test_a_renamed_answer_keeps_the_position_when_the_node_exists() -> None:
    sc = _load(TEXT)
    old = Conversation.replay(sc, ["ask_two_minutes", "three_numbers"])
    # the author renames the first answer: the old choices no longer replay
    new = _load(TEXT.replace("id: ask_two_minutes", "id: ask_for_two_minutes"))
    got = replay_by_id(new, list(old.choices_made), None, keep=old)
    assert got.jumped and got.replayed == 0
    assert "went on at" in (got.problem or "")
    assert got.conv.node.id == old.node.id
    assert (got.conv.trust, got.conv.hierarchy, got.conv.flags) == (
        old.trust,
        old.hierarchy,
        old.flags,
    )


def test_a_play_from_a_node_stays_a_play_from_that_node() -> None:
    sc = _load(TEXT)
    old = Conversation(sc, start=StartPoint("show_risk", 60, "peer"))
    old.choose("three_numbers")
    new = _load(TEXT.replace("Two minutes. Go.", "Two minutes."))
    got = replay_by_id(new, list(old.choices_made), None, old.start_point, keep=old)
    assert got.replayed == 1 and got.conv.start_point == old.start_point
    assert got.conv.node.id == old.node.id and got.conv.trust == old.trust
