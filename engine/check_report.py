"""What `parley check` reports, and which files it checks: light on purpose.

The report, the file collection and the loop over files live here, apart from the passes
(engine.check, which imports the loader, the scenario graph and every analysis), so that
a check answered from the results cache (engine.check_cache) imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from engine.budget import DEFAULT_MAX_SECONDS, DEFAULT_MAX_STATES
from engine.diagnostics import Diagnostic, Severity
from engine.errors import ParleyError
from engine.safefile import describe

if TYPE_CHECKING:
    from engine.check_cache import CheckCache

STRICT_ONLY = frozenset({"P214"})  # reported (as warnings) only under --strict


class CheckUsageError(ParleyError):
    """A path given to `parley check` does not exist."""

    code = "P100"


@dataclass
class CheckReport:
    """What `parley check` found in a set of files."""

    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.level is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.level is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"checked {n(len(self.files), 'file')}: "
            f"{n(self.errors, 'error')}, {n(self.warnings, 'warning')}"
        )


def collect_files(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """(file, is_framework) for every path: files as given, folders searched for *.yaml.

    A file inside a folder named `frameworks` is a framework. Raises CheckUsageError
    for a path that does not exist.
    """
    out: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*.yaml")
                if not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.parent.name != "tells"  # tells data (engine.tells), not a scenario
                and (f.is_file() or describe(f) is not None)  # special files are said, not skipped
            )
        elif p.exists():
            found = [p]
        else:
            raise CheckUsageError(
                f"no such file or folder: {raw}", hint="give scenario files or folders of them"
            )
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append((f, f.parent.name == "frameworks"))
    return out


def check_paths(
    paths: Sequence[str | Path],
    strict: bool = False,
    max_states: int = DEFAULT_MAX_STATES,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    tells: bool = False,
    cache: CheckCache | None = None,
) -> CheckReport:
    """Check every file under `paths`. Under `strict`, warnings count as errors.

    `tells`: also look for answers given away by their form (engine.tells, P220-P227).
    `cache`: findings of a file checked before with the same bytes, options and code are
    read from it (engine.check_cache); the passes are imported only for the others.
    """
    report = CheckReport()
    for path, is_framework in collect_files(paths):
        report.files.append(str(path))
        key = (
            None if cache is None else cache.key(path, is_framework, max_states, max_seconds, tells)
        )
        found = None if cache is None or key is None else cache.get(key)
        if found is None:
            from engine.check import check_file

            found = check_file(path, is_framework, max_states, max_seconds, tells=tells)
            if cache is not None and key is not None:
                cache.put(key, found)
        if strict:
            found = [
                d
                if d.code in STRICT_ONLY
                else replace(d, severity=Severity.ERROR)
                if d.level is Severity.WARNING
                else d
                for d in found
            ]
        else:
            found = [d for d in found if d.code not in STRICT_ONLY]
        report.diagnostics.extend(found)
    return report
