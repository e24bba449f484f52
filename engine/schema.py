"""The file format (version 1) as pydantic models: validation and the JSON Schema.

These models describe the YAML exactly as an author writes it. The loader validates
against them, then compiles the result into the runtime model (engine.model).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from engine.rules import TRUST_MAX, TRUST_MIN

LANG_PATTERN = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"


def _text(value: Any) -> str | dict[str, str]:
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return value
    raise ValueError("expected text: a string, or a map of language code to string")


TextValue = Annotated[
    str | dict[str, str],
    PlainValidator(_text),
    WithJsonSchema(
        {
            "description": "Text: a plain string in the scenario's language, "
            "or a map of language code to string, e.g. {en: 'Go.', nl: 'Ga.'}",
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANG_PATTERN},
                    "additionalProperties": {"type": "string"},
                    "minProperties": 1,
                },
            ],
        }
    ),
]

FlagValue = bool | int | float | str


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CharacterDoc(_Doc):
    name: TextValue = Field(description="The character's name as shown to the player.")
    role: TextValue = Field("", description="Their role, e.g. 'Project Sponsor (COO)'.")


class TrustDoc(_Doc):
    start: int = Field(
        50,
        ge=TRUST_MIN,
        le=TRUST_MAX,
        description=f"Trust at the start of the play, {TRUST_MIN}..{TRUST_MAX}.",
    )
    levels: dict[str, int] | None = Field(
        None,
        description="Level name -> lowest trust value of that level; ascending, the first at 0. "
        "Default {hostile: 0, guarded: 20, neutral: 40, open: 60, trusting: 80}.",
    )
    names: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Parley extension: level -> the name a player reads (Text, translatable). "
        "Default: the level's own name (Parley translates the default levels).",
    )


class HierarchyDoc(_Doc):
    ladder: list[str] | None = Field(
        None,
        description="Rungs, lowest first. Default [order-taker, service-provider, peer, "
        "trusted-advisor].",
    )
    start: str | None = Field(
        None, description="The player's rung at the start (default: the second rung)."
    )
    requires: dict[str, str] = Field(
        default_factory=dict,
        description="Rung -> condition: the rung can only be reached while the condition holds.",
    )
    requires_why: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Parley extension: rung -> why a climb to it can be out of reach, in the "
        "scenario's words (Text); the debrief says this instead of the condition.",
    )
    names: dict[str, TextValue] = Field(
        default_factory=dict,
        description="Parley extension: rung -> the name a player reads (Text, translatable). "
        "Default: the rung's own name (Parley translates the default ladder).",
    )


class EffectsDoc(_Doc):
    trust: int = Field(
        0,
        description=f"Signed change to trust; the value is clamped to {TRUST_MIN}..{TRUST_MAX}.",
    )
    hierarchy: str | None = Field(
        None, description="'up', 'down', or a rung name; a move `requires` forbids does not happen."
    )
    set: dict[str, FlagValue] = Field(
        default_factory=dict, description="Flags to set: name -> bool, number or string."
    )


ScoreMap = dict[str, int]


class ChoiceDoc(_Doc):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "additionalProperties": {
                "type": "object",
                "description": "Framework scores, under a key named after the scenario's framework "
                "(e.g. `sore:`): dimension key -> integer -2..2; missing keys are 0.",
                "additionalProperties": {"type": "integer", "minimum": -2, "maximum": 2},
            }
        },
    )
    id: str | None = Field(
        None, description="Unique within the scenario; default '<node>.<n>' (1-based)."
    )
    text: TextValue = Field(description="What the player says.")
    to: str = Field(description="Id of the node this choice leads to.")
    when: str | None = Field(None, description="Condition: offered only while it holds.")
    effects: EffectsDoc | None = Field(None, description="Applied in order: trust, hierarchy, set.")
    feedback: TextValue | None = Field(None, description="Coaching shown right after the choice.")


class BranchDoc(_Doc):
    when: str | None = Field(None, description="Condition; the first branch that holds wins.")
    to: str = Field(description="Id of the next node.")


class EndingDoc(_Doc):
    outcome: Literal["success", "partial", "failure"] = Field(description="How it went.")
    title: TextValue = Field(description="A short name for this ending.")
    debrief: TextValue = Field(description="What happened next: consequences, not verdicts.")
    reflection: list[TextValue] = Field(
        default_factory=list,
        min_length=1,
        max_length=3,
        description="Parley extension: 1-3 questions for the player to think about after "
        "reaching this ending (shown after the debrief).",
    )
    trade_off: TextValue | None = Field(
        None,
        description="Parley extension: what this success ending gives up. Two or more success "
        "endings with a `trade_off` are declared equally defensible: the debrief says so and "
        "names each with its trade-off.",
    )


class NodeDoc(_Doc):
    speaker: str | None = Field(
        None, description="A key of `characters` (default: the first character that is not `you`)."
    )
    text: TextValue = Field(description="What is said.")
    narration: TextValue | None = Field(None, description="Stage direction shown before the text.")
    choices: list[ChoiceDoc] | None = Field(None, description="The player's answers.", min_length=1)
    next: list[BranchDoc] | None = Field(
        None, description="Automatic continuation: first branch whose `when` holds.", min_length=1
    )
    ending: EndingDoc | None = Field(None, description="The conversation is over.")
    effects: EffectsDoc | None = Field(None, description="Applied on entering the node.")
    shuffle: bool | None = Field(
        None,
        description="Parley extension: false shows this node's choices in file order, where "
        "the order is part of the moment (default: the scenario's `shuffle`).",
    )
    model: str | None = Field(
        None,
        description="Parley extension: id of the choice trainers consider the model answer "
        "here (default: the choice on offer with the best framework total).",
    )


class ScenarioDoc(_Doc):
    format: Literal[1] = Field(description="The format version: 1.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Unique id: a-z, 0-9 and '-'.")
    title: TextValue = Field(description="The scenario's title.")
    summary: TextValue = Field(description="A few sentences that set the scene.")
    tags: list[str] = Field(default_factory=list, description="Free tags for the picker.")
    difficulty: int = Field(2, ge=1, le=3, description="1 (gentle) .. 3 (hard).")
    language: str = Field(
        "en", pattern=LANG_PATTERN, description="Language of plain strings (BCP 47)."
    )
    framework: str = Field("sore", description="Feedback framework id (frameworks/<id>.yaml).")
    feedback_mode: Literal["immediate", "debrief"] = Field(
        "immediate",
        description="Parley extension: coaching after each choice (immediate) or only at the end.",
    )
    pass_mark: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Parley extension: a play passes when its framework total reaches this "
        "share of the best possible total (0..1); off when absent (the ending decides).",
    )
    shuffle: bool = Field(
        True,
        description="Parley extension: each play shows the choices in its own order (seeded "
        "and saved with the play); false keeps file order in every node.",
    )
    objectives: list[TextValue] = Field(
        default_factory=list,
        min_length=1,
        max_length=4,
        description="Parley extension: 2-4 learning objectives (Text), shown in the picker and "
        "before the first turn.",
    )
    reflection: list[TextValue] = Field(
        default_factory=list,
        min_length=1,
        max_length=3,
        description="Parley extension: 2-3 reflection prompts (Text), shown after the debrief.",
    )
    trainer_notes: TextValue | None = Field(
        None,
        description="Parley extension: notes for the trainer (Markdown, Text), shown in room "
        "mode and exported by `parley report`.",
    )
    characters: dict[str, CharacterDoc] = Field(
        description="Speaker id -> {name, role}; must contain `you` (the player) and one other."
    )
    trust: TrustDoc = Field(
        default_factory=lambda: TrustDoc(), description="The counterpart's trust in you."
    )
    hierarchy: HierarchyDoc = Field(
        default_factory=lambda: HierarchyDoc(), description="How the counterpart treats you."
    )
    start: str = Field(description="Id of the first node.")
    nodes: dict[str, NodeDoc] = Field(description="Node id -> node.", min_length=1)


class DimensionDoc(_Doc):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Key used in scenario scores.")
    label: TextValue = Field(description="Short label, e.g. 'Situation'.")
    question: TextValue = Field(description="The question a player reflects on.")
    why: TextValue | None = Field(
        None,
        description="Parley extension: why this dimension matters, in one or two sentences "
        "(shown under the dimension the player most needs).",
    )


class FrameworkDoc(_Doc):
    format: Literal[1] = Field(description="The format version: 1.")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Framework id.")
    name: TextValue = Field(description="Display name.")
    summary: TextValue = Field("", description="One line on what it checks.")
    dimensions: list[DimensionDoc] = Field(min_length=1, description="What a choice is scored on.")


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of scenario format v1, for editors with a YAML language server."""
    schema = ScenarioDoc.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Parley scenario (format 1)"
    return schema
