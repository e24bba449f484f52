"""Where Parley keeps the user's things (platformdirs), overridable for tests and kiosks.

The folder is, first to last: the one given to `use_data_dir` (the CLI's --data-dir, or a
served process's private folder), $PARLEY_DATA_DIR, the platform's user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

_chosen: Path | None = None


def use_data_dir(folder: Path | None) -> None:
    """Keep the user's things in `folder` from now on in this process (None: the default)."""
    global _chosen
    _chosen = Path(folder) if folder is not None else None


def data_dir() -> Path:
    """User data folder (saves, records, exports)."""
    if _chosen is not None:
        return _chosen
    override = os.environ.get("PARLEY_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("parley", appauthor=False)


def cache_dir() -> Path:
    """What Parley keeps only to start faster: $PARLEY_CACHE_DIR, else the platform's user
    cache folder (e.g. ~/.cache/parley). Deleting it loses nothing."""
    override = os.environ.get("PARLEY_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path("parley", appauthor=False)


def saves_dir() -> Path:
    return data_dir() / "saves"


def user_scenarios_dir() -> Path:
    return data_dir() / "scenarios"


def default_db() -> Path:
    """The records file in the user data folder (the folder is made when missing)."""
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # opening the file says what is wrong
    return folder / "records.sqlite3"


def locales_dir() -> Path:
    """Where a trainer's catalogues of Parley's own words go (`<lang>.po`)."""
    return data_dir() / "locales"
