"""The bundled library is package data found with importlib.resources; run from a checkout,
it is that checkout's own scenarios/ (so an edit there is what `parley` plays)."""

from __future__ import annotations

from pathlib import Path

from engine.library import bundled_dir, bundled_frameworks_dir

ROOT = Path(__file__).resolve().parent.parent


def test_the_library_of_a_checkout_is_its_own_scenarios_folder() -> None:
    assert bundled_dir().resolve() == (ROOT / "scenarios").resolve()
    assert (bundled_frameworks_dir() / "sore.yaml").is_file()
