"""A shared laptop keeps people apart (#20 part 1): a save belongs to one participant.

Ann answers once and quits; Bob starts the same scenario on the same machine and gets a
fresh play (no "Welcome back", nothing of Ann's in his records); Ann comes back and
resumes hers; the picker says whose save it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.records import open_store
from simulator.screens.play import PlayScreen
from tests.tui.helpers import SMALL, make_app, screen_text, settle


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SMALL, folder / SMALL.name)
    return folder


async def _play_once(db: Path, folder: Path, who: str, keys: tuple[str, ...]) -> list[str]:
    """`parley --participant WHO --cohort c1 play tui-small`: press `keys`, quit.
    Returns the notices the player saw and the answers of the play on screen."""
    app = make_app(
        folder / SMALL.name, participant=who, cohort="c1", db_path=str(db), scenario_dirs=()
    )
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications] + [str(n.title) for n in app._notifications]
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.conv is not None
        start = list(screen.conv.choices_made)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    app.flush_hooks()
    for hook in app.hooks:
        close = getattr(hook, "close", None)
        if callable(close):
            close()
    return notes + [f"start:{','.join(start)}"]


async def test_a_second_participant_starts_fresh_and_the_first_resumes(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    folder = _folder(tmp_path)

    await _play_once(db, folder, "Ann", ("2",))  # Ann answers once and quits

    bob = await _play_once(db, folder, "Bob", ())
    assert "start:" in bob  # Bob's play starts at the beginning
    assert not any("Welcome back" in n for n in bob), bob

    with open_store(db) as store:
        (ann_play,) = store.plays(cohort="c1", participant="Ann")
        bob_plays = store.plays(cohort="c1", participant="Bob")
        assert [s.choice for s in store.steps(ann_play.id)] == ["trade"]
        assert not ann_play.finished
        for play in bob_plays:  # Bob's play does not start with Ann's answer
            assert store.steps(play.id) == []

    ann = await _play_once(db, folder, "Ann", ())
    assert "start:trade" in ann  # Ann's play is still hers to resume
    with open_store(db) as store:
        assert len(store.plays(cohort="c1", participant="Ann")) == 1  # the same play continues


async def test_the_picker_says_whose_save_it_is(tmp_path: Path) -> None:
    db = tmp_path / "records.sqlite3"
    folder = _folder(tmp_path)
    await _play_once(db, folder, "Ann", ("2",))

    for who, expected in (("Ann", "resume Ann's play (turn 2)"), ("Bob", None)):
        app = make_app(participant=who, cohort="c1", db_path=str(db), scenario_dirs=(str(folder),))
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            if expected is None:
                assert "resume" not in text  # Bob sees no save: not his
            else:
                assert expected in text
