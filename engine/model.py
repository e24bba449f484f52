"""The immutable scenario model: what the loader produces and every other part reads.

Nothing here changes after loading. A Conversation holds all state of one play.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from engine.conditions import Condition
from engine.errors import Location
from engine.messages import default_name
from engine.textsafety import visible

Outcome = Literal["success", "partial", "failure"]
FlagValue = bool | int | float | str

DEFAULT_LEVELS: tuple[tuple[str, int], ...] = (
    ("hostile", 0),
    ("guarded", 20),
    ("neutral", 40),
    ("open", 60),
    ("trusting", 80),
)
DEFAULT_LADDER: tuple[str, ...] = ("order-taker", "service-provider", "peer", "trusted-advisor")


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one or more languages; `get` falls back to the default language."""

    values: Mapping[str, str]
    default: str = "en"

    def get(self, lang: str | None = None) -> str:
        """The text in `lang` (else the default language), as shown to people: a control
        character written into the file (an escape sequence) is made visible, never passed
        on to a screen (engine.textsafety; `parley check` warns with P240). `values`
        holds the text exactly as written."""
        if lang is not None and lang in self.values:
            return visible(self.values[lang])
        if self.default in self.values:
            return visible(self.values[self.default])
        return visible(next(iter(self.values.values()), ""))

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.values)

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: Text
    role: Text


@dataclass(frozen=True, slots=True)
class TrustLevel:
    name: str
    floor: int


@dataclass(frozen=True, slots=True)
class Effects:
    trust: int = 0
    hierarchy: str | None = None  # 'up', 'down' or a rung name
    set: tuple[tuple[str, FlagValue], ...] = ()
    loc: Location | None = None

    @property
    def empty(self) -> bool:
        return self.trust == 0 and self.hierarchy is None and not self.set


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    node_id: str
    index: int  # 1-based position in its node
    text: Text
    to: str
    when: Condition | None
    effects: Effects
    scores: Mapping[str, int]  # every framework dimension key -> -2..2 (missing keys are 0)
    has_scores: bool
    feedback: Text | None
    loc: Location

    @property
    def total(self) -> int:
        return sum(self.scores.values())


@dataclass(frozen=True, slots=True)
class Branch:
    when: Condition | None
    to: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Ending:
    outcome: Outcome
    title: Text
    debrief: Text
    loc: Location
    reflection: tuple[Text, ...] = ()  # prompts after the debrief for this ending
    trade_off: Text | None = None  # what this ending gives up: one of several defensible ones


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    speaker: str
    text: Text
    narration: Text | None
    choices: tuple[Choice, ...]
    next: tuple[Branch, ...]
    ending: Ending | None
    effects: Effects
    loc: Location
    shuffle: bool = True  # False: this node's choices are always shown in file order
    model: str | None = None  # the model answer's choice id, when the author names one

    @property
    def kind(self) -> Literal["choices", "next", "ending"]:
        if self.ending is not None:
            return "ending"
        return "choices" if self.choices else "next"

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(c.to for c in self.choices) + tuple(b.to for b in self.next)


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    label: Text
    question: Text
    why: Text | None = None  # why it matters (shown under the dimension the player most needs)


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    name: Text
    summary: Text
    dimensions: tuple[Dimension, ...]
    path: Path | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    def dimension(self, key: str) -> Dimension:
        for d in self.dimensions:
            if d.key == key:
                return d
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: Text
    summary: Text
    tags: tuple[str, ...]
    difficulty: int
    language: str
    languages: frozenset[str]
    framework: Framework
    feedback_mode: Literal["immediate", "debrief"]
    characters: Mapping[str, Character]
    counterpart: str  # the first character that is not `you`
    trust_start: int
    trust_levels: tuple[TrustLevel, ...]
    ladder: tuple[str, ...]
    hierarchy_start: str
    requires: Mapping[str, Condition]
    start: str
    nodes: Mapping[str, Node]
    choices: Mapping[str, Choice]
    flags: tuple[str, ...]  # every flag named in any `set`
    path: Path | None = None
    content_hash: str = ""
    source_lines: Mapping[str, Location] = field(default_factory=dict)
    shuffle: bool = True  # False: every node's choices are shown in file order
    pass_mark: float | None = None  # share of the best possible total that passes (xAPI, LMS)
    # the learning around the play (all optional)
    objectives: tuple[Text, ...] = ()
    reflection: tuple[Text, ...] = ()
    trainer_notes: Text | None = None  # Markdown
    level_labels: Mapping[str, Text] = field(default_factory=dict)  # level -> name a player reads
    rung_labels: Mapping[str, Text] = field(default_factory=dict)  # rung -> name a player reads
    requires_why: Mapping[str, Text] = field(default_factory=dict)  # rung -> why out of reach

    def level_of(self, trust: int) -> int:
        """Index of the trust level that `trust` falls in."""
        idx = 0
        for i, level in enumerate(self.trust_levels):
            if trust >= level.floor:
                idx = i
        return idx

    @property
    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.trust_levels)

    @property
    def endings(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes.values() if n.ending is not None)

    @property
    def defensible(self) -> tuple[Node, ...]:
        """The success endings declared equally defensible (each has a `trade_off`)."""
        return tuple(
            n for n in self.endings if n.ending is not None and n.ending.trade_off is not None
        )

    def speaker_name(self, speaker: str, lang: str | None = None) -> str:
        return self.characters[speaker].name.get(lang)

    def level_label(self, level: str, lang: str | None = None) -> str:
        """The name a player reads for trust level `level`: the scenario's, else Parley's
        own for a default level (`level.open`), else the id."""
        text = self.level_labels.get(level)
        if text is not None:
            return text.get(lang)
        return default_name("level", level, lang, self.language)

    def rung_label(self, rung: str, lang: str | None = None) -> str:
        """The name a player reads for ladder rung `rung`: the scenario's, else Parley's own
        for a default rung (`rung.peer`), else the id."""
        text = self.rung_labels.get(rung)
        if text is not None:
            return text.get(lang)
        return default_name("rung", rung, lang, self.language)
