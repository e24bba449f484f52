from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.pgserver"]  # postgres_server, store_url: both records stores

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data folder (nor the user's cache) from tests."""
    from simulator.paths import use_data_dir

    use_data_dir(None)  # forget a --data-dir an earlier in-process `parley` run chose
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path_factory.mktemp("parley-data")))
    # one cache for the session, so most CLI tests also play from compiled scenarios
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parley-cache"))


SLOW_KINDS = ("browser", "server", "pty")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives a browser, a server or a pseudo-terminal is slow too, so
    `pytest -m "not slow"` leaves it out without every such test saying so twice."""
    for item in items:
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)
