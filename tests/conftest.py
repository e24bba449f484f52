from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data folder from tests."""
    from simulator.paths import use_data_dir

    use_data_dir(None)  # forget a --data-dir an earlier in-process `parley` run chose
    monkeypatch.setenv("PARLEY_DATA_DIR", str(tmp_path_factory.mktemp("parley-data")))
