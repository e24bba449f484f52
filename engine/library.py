"""Where scenarios live: the bundled library and the user's own folder.

The bundled library is package data of `engine`, found with importlib.resources: in an
installed wheel it is `engine/scenarios/` (built from the repository's top-level
`scenarios/`); in a checkout `engine/scenarios` is a link to `../scenarios`, so code run
from a checkout reads that checkout's own scenarios.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from engine.errors import ScenarioNotFound
from engine.safefile import describe


@cache
def bundled_dir() -> Path:
    """The bundled scenario library (package data `engine/scenarios`)."""
    from importlib.resources import files

    return Path(str(files("engine").joinpath("scenarios")))


def bundled_frameworks_dir() -> Path:
    """The bundled feedback frameworks (sore.yaml, grow.yaml, ...)."""
    return bundled_dir() / "frameworks"


def scenario_files(folder: Path) -> list[Path]:
    """Scenario files directly in `folder` (frameworks/ excluded), sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def list_scenarios(extra_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """Bundled scenarios, then those in each extra folder."""
    out: list[Path] = []
    for folder in (bundled_dir(), *extra_dirs):
        for path in scenario_files(folder):
            if path not in out:
                out.append(path)
    return out


def find_scenario(ref: str, extra_dirs: tuple[Path, ...] = ()) -> Path:
    """A path to an existing file, or a scenario id from the bundled library / extra folders."""
    path = Path(ref)
    if path.is_file():
        return path
    if path.is_dir():
        raise ScenarioNotFound(f"'{ref}' is a folder, not a scenario file")
    kind = describe(path)
    if kind is not None:  # a FIFO, a device, a socket (perhaps through a symlink)
        raise ScenarioNotFound(f"'{ref}' is {kind}, not a scenario file", hint="give a .yaml file")
    for folder in (bundled_dir(), *extra_dirs):
        candidate = folder / f"{ref}.yaml"
        if candidate.is_file():
            return candidate
    known = sorted(p.stem for p in list_scenarios(extra_dirs))
    hint = "bundled scenarios: " + ", ".join(known) if known else None
    raise ScenarioNotFound(f"no scenario file or bundled scenario called '{ref}'", hint=hint)
