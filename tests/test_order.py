"""Options shown in an order shuffled per play, seeded and saved (engine/order.py), and no
choice ids in front of learners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.loader import load_scenario, load_scenario_text
from engine.model import Scenario
from engine.play import transcript_lines
from simulator.room import RoomPlay, Vote, split_lines
from tests.cli import parley

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


def _orders(sc: Scenario, seed: int | None) -> dict[str, list[str]]:
    from engine.order import node_order

    return {n.id: [c.id for c in node_order(n, seed)] for n in sc.nodes.values() if n.choices}


def test_the_same_seed_gives_the_same_order_twice(flagship: Scenario) -> None:
    a, b = Conversation(flagship, seed=1234), Conversation(flagship, seed=1234)
    assert [c.id for c in a.presented()] == [c.id for c in b.presented()]
    assert _orders(flagship, 1234) == _orders(flagship, 1234)


def test_seeds_shuffle_and_no_seed_keeps_file_order(flagship: Scenario) -> None:
    file_order = _orders(flagship, None)
    assert file_order == {
        n.id: [c.id for c in n.choices] for n in flagship.nodes.values() if n.choices
    }
    shuffled = [_orders(flagship, seed) for seed in range(5)]
    assert all(o != file_order for o in shuffled)  # 14 nodes: some order always moves
    assert len({json.dumps(o, sort_keys=True) for o in shuffled}) == 5
    # every order is a permutation of the node's choices
    for o in shuffled:
        assert {k: sorted(v) for k, v in o.items()} == {k: sorted(v) for k, v in file_order.items()}


def test_restoring_a_save_mid_play_keeps_the_order(flagship: Scenario) -> None:
    conv = Conversation(flagship, seed=99)
    conv.choose(conv.presented()[0].id)
    conv.choose(conv.presented()[1].id)
    shown = [c.id for c in conv.presented()]
    snap = json.loads(json.dumps(conv.snapshot()))  # through a file, as a save is
    assert snap["seed"] == 99
    back = Conversation.restore(flagship, snap)
    assert [c.id for c in back.presented()] == shown
    assert [s.offered for s in back.history] == [s.offered for s in conv.history]
    back.undo()  # undo keeps the play's order too
    assert [c.id for c in back.presented()] == list(conv.history[-1].offered)


def test_a_save_file_restores_with_its_order(
    flagship: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.saves import restore_play, write_save

    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path))
    conv = Conversation(flagship, seed=5)
    conv.choose(conv.presented()[2].id)
    write_save(conv)
    back = restore_play(flagship)
    assert back is not None and back.seed == 5
    assert [c.id for c in back.presented()] == [c.id for c in conv.presented()]


def test_old_saves_without_a_seed_restore_in_file_order(flagship: Scenario) -> None:
    snap = Conversation(flagship).snapshot()
    del snap["seed"]
    back = Conversation.restore(flagship, snap)
    assert back.seed is None and back.presented() == back.offered()


def test_a_damaged_seed_is_one_clear_error(flagship: Scenario) -> None:
    from engine.errors import SaveError

    snap = {**Conversation(flagship).snapshot(), "seed": "seven"}
    with pytest.raises(SaveError, match="option order"):
        Conversation.restore(flagship, snap)


def test_steps_record_the_order_shown(flagship: Scenario) -> None:
    conv = Conversation(flagship, seed=3)
    shown = tuple(c.id for c in conv.presented())
    step = conv.choose(shown[1])
    assert step.offered == shown


def _shuffle_text(scenario_flag: str, node_flag: str) -> str:
    node_line = f"    shuffle: {node_flag}\n" if node_flag else ""
    scen_line = f"shuffle: {scenario_flag}\n" if scenario_flag else ""
    choices = "".join(f"      - {{id: c{i}, text: Option {i}, to: end}}\n" for i in range(1, 7))
    return (
        "format: 1\nid: order\ntitle: Order\nsummary: Order.\n" + scen_line
        + "characters:\n  you: {name: Sam, role: PM}\n  kim: {name: Kim, role: Sponsor}\n"
        "start: a\nnodes:\n  a:\n    text: Pick.\n" + node_line + "    choices:\n" + choices
        + "  end:\n    text: Done.\n    ending: {outcome: success, title: Done, debrief: Done.}\n"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("scenario_flag", "node_flag", "shuffled"),
    [("", "", True), ("false", "", False), ("", "false", False), ("false", "true", True)],
)
def test_shuffle_false_keeps_file_order(scenario_flag: str, node_flag: str, shuffled: bool) -> None:
    sc = load_scenario_text(_shuffle_text(scenario_flag, node_flag))
    file_order = [f"c{i}" for i in range(1, 7)]
    orders = [[c.id for c in Conversation(sc, seed=s).presented()] for s in range(4)]
    assert any(o != file_order for o in orders) is shuffled


def test_choices_by_number_are_in_file_order_whatever_the_seed(flagship: Scenario) -> None:
    a = Conversation(flagship, seed=11)
    a.choose("opening.2")
    assert a.choices_made == [flagship.nodes["opening"].choices[1].id]


def test_transcript_shows_numbers_and_text_never_ids(flagship: Scenario) -> None:
    conv = Conversation(flagship, seed=8)
    conv.choose(conv.presented()[0].id)
    text = "\n".join(transcript_lines(conv, explore=False))
    shown = conv.presented()
    assert f"  1. {shown[0].text.get()[:30]}" in text
    for c in flagship.choices.values():
        assert f"[{c.id}]" not in text and f" {c.id}" not in text.replace(c.text.get(), "")


def test_cli_play_seed_orders_the_options_now() -> None:
    r = parley("play", "budget-cut", "--choices", "opening.1", "--seed", "8")
    assert r.returncode == 0, r.stderr
    sc = load_scenario(FLAGSHIP)
    conv = Conversation(sc, seed=8)
    conv.choose("opening.1")
    numbered = [line for line in r.stdout.splitlines() if line.startswith("  1. ")]
    assert numbered == ["  1. " + conv.presented()[0].text.get()[:20] + numbered[0][25:]]
    doc = json.loads(parley("play", "budget-cut", "--choices", "opening.1", "--seed", "8",
                            "--json").stdout)  # fmt: skip
    assert doc["seed"] == 8 and doc["shown"] == [c.id for c in conv.presented()]
    assert sorted(doc["shown"]) == sorted(doc["offered"])


def test_room_counts_votes_in_the_order_shown(flagship: Scenario) -> None:
    play = RoomPlay(Conversation(flagship, seed=21))
    shown = play.offered
    counts = tuple(10 if i == 1 else 1 for i in range(len(shown)))
    rs = play.vote(Vote(counts))
    assert rs.step.choice == shown[1].id
    lines = split_lines(rs, "en")
    assert lines[1].startswith("▶ 2.")
    assert all(c.id not in "\n".join(lines) for c in shown)


async def test_keys_follow_the_order_on_screen(flagship: Scenario) -> None:
    from tests.tui.helpers import make_app, settle

    app = make_app(flagship, seed=8, shuffle=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        conv = app.screen.conv  # type: ignore[attr-defined]
        assert conv.seed == 8
        expected = conv.presented()[0].id
        assert expected != flagship.nodes["opening"].choices[0].id  # seed 8 moves it
        await pilot.press("1")
        await settle(pilot)
        assert conv.choices_made == [expected]
