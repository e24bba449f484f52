"""The scenarios the picker lists: bundled, --scenarios folders, the user's folder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import ParleyError, ScenarioLoadError
from engine.library import list_scenarios
from engine.model import Scenario
from simulator.saves import SaveInfo, save_info
from simulator.settings import Settings

if TYPE_CHECKING:
    from engine.scenario_cache import ScenarioCache


@dataclass(slots=True)
class Entry:
    """One picker row: a scenario that loaded, or a file that did not (with its errors)."""

    path: Path
    scenario: Scenario | None = None
    errors: tuple[str, ...] = ()
    save: SaveInfo | None = None

    @property
    def key(self) -> str:
        return str(self.path)

    def haystack(self, lang: str | None) -> str:
        """Text the filter searches."""
        sc = self.scenario
        if sc is None:
            return f"{self.path.name} {' '.join(self.errors)}".lower()
        words = [sc.id, sc.title.get(lang), sc.summary.get(lang), *sc.tags, *sc.languages]
        words.append(sc.framework.name.get(lang))
        return " ".join(words).lower()


def scenario_dirs(settings: Settings) -> tuple[Path, ...]:
    """--scenarios folders, then the user's own scenarios folder."""
    return settings.all_scenario_dirs()


def list_paths(dirs: Iterable[Path]) -> list[Path]:
    return list_scenarios(tuple(dirs))


def load_entry(
    path: Path, participant: str | None = None, cache: ScenarioCache | None = None
) -> Entry:
    """Load one file for the picker (from `cache` when it loaded before; the loader is
    imported only for a file that is new or changed); never raises for a bad scenario."""
    from engine.scenario_cache import load_scenario_cached

    try:
        sc = load_scenario_cached(path, cache)
    except ScenarioLoadError as exc:
        return Entry(
            path, None, tuple(_short(d.format(), d.location.file) for d in exc.diagnostics[:5])
        )
    except ParleyError as exc:
        where = exc.location.file if exc.location is not None else str(path)
        return Entry(path, None, (_short(str(exc), where),))
    except Exception as exc:  # an engine bug must not take the picker down
        return Entry(path, None, (f"{path}: could not be loaded ({type(exc).__name__}: {exc})",))
    return Entry(path, sc, (), save_info(sc, participant))


def _short(text: str, file: str) -> str:
    """A diagnostic with its file shown by name (the row already says where it is)."""
    return text.replace(file, Path(file).name, 1) if file else text
