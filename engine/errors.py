"""Errors a user can cause. Each carries where (file:line:col) and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file; line and col are 1-based (0 when unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.col <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.col}"


class ParleyError(Exception):
    """Base of every error a user can cause. The CLI prints it without a traceback."""

    code: str = "P000"

    def __init__(
        self, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return f"{head}\n  hint: {self.hint}" if self.hint else head


class ScenarioLoadError(ParleyError):
    """A scenario or framework file does not load. Holds every error found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        first = diagnostics[0]
        super().__init__(first.message, first.location, first.hint)
        self.diagnostics = list(diagnostics)
        self.code = first.code

    def __str__(self) -> str:
        lines = [d.format() for d in self.diagnostics]
        return "\n".join(lines)


class ScenarioNotFound(ParleyError):
    code = "P100"


class PlayError(ParleyError):
    """A move the rules do not allow (a choice that is not offered, ...)."""

    code = "P300"


class SaveError(ParleyError):
    """A saved play that cannot be restored (corrupt, outdated, or for another scenario)."""

    code = "P310"
