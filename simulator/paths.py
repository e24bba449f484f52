"""Where Parley keeps the user's things (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def data_dir() -> Path:
    """User data folder (saves, records). PARLEY_DATA_DIR overrides it (tests, kiosks)."""
    override = os.environ.get("PARLEY_DATA_DIR")
    return Path(override) if override else user_data_path("parley", appauthor=False)


def saves_dir() -> Path:
    return data_dir() / "saves"


def user_scenarios_dir() -> Path:
    return data_dir() / "scenarios"


def default_db() -> Path:
    return data_dir() / "records.sqlite3"
