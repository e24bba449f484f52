"""The learning around the play, compiled from the scenario file's optional keys.

- `objectives:` (2-4 Text) and `reflection:` (2-3 Text) at the top, `reflection:` per ending,
  `trainer_notes:` (Markdown Text);
- `model:` on a node: the choice trainers consider the model answer there;
- `trade_off:` on success endings: two or more of them are equally defensible (P128);
- the names a player reads for trust levels (`trust.names`) and rungs (`hierarchy.names`),
  defaulting to Parley's own translations of the default levels and ladder (else the id);
- `hierarchy.requires_why`: why a climb can be out of reach, in the scenario's words.

The loader calls `compile_learning` once; problems are reported through its `err`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.errors import Location
from engine.messages import t
from engine.model import Scenario, Text

if TYPE_CHECKING:  # the loader's types: a play (engine.feedback) needs neither pydantic nor YAML
    from engine.schema import ScenarioDoc, TextValue
    from engine.yamlsafe import SourceMap

Report = Callable[[str, str, Location, "str | None"], None]


@dataclass
class Learning:
    """The compiled optional keys (see the module docstring)."""

    objectives: tuple[Text, ...] = ()
    reflection: tuple[Text, ...] = ()
    trainer_notes: Text | None = None
    ending_reflection: dict[str, tuple[Text, ...]] = field(default_factory=dict)
    trade_offs: dict[str, Text] = field(default_factory=dict)  # ending node id -> trade-off
    models: dict[str, str] = field(default_factory=dict)  # node id -> choice id
    level_labels: dict[str, Text] = field(default_factory=dict)
    rung_labels: dict[str, Text] = field(default_factory=dict)
    requires_why: dict[str, Text] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)


def to_text(value: TextValue, lang: str) -> Text:
    if isinstance(value, str):
        return Text({lang: value}, lang)
    return Text(dict(value), lang)


def _suggest(word: str, names: Iterable[str]) -> str:
    return f"choose one of: {', '.join(names)}"


def compile_learning(
    doc: ScenarioDoc,
    levels: tuple[str, ...],
    ladder: tuple[str, ...],
    choice_ids: Mapping[str, tuple[str, ...]],
    smap: SourceMap,
    err: Report,
) -> Learning:
    """The optional learning keys of `doc`; `choice_ids` maps node id -> its choice ids."""
    lang = doc.language
    out = Learning()

    def text(value: TextValue) -> Text:
        t = to_text(value, lang)
        out.languages.update(t.values)
        return t

    out.objectives = tuple(text(v) for v in doc.objectives)
    out.reflection = tuple(text(v) for v in doc.reflection)
    out.trainer_notes = None if doc.trainer_notes is None else text(doc.trainer_notes)
    for nid, node in doc.nodes.items():
        if node.ending is not None and node.ending.reflection:
            out.ending_reflection[nid] = tuple(text(v) for v in node.ending.reflection)
        if node.ending is not None and node.ending.trade_off is not None:
            out.trade_offs[nid] = text(node.ending.trade_off)
            if node.ending.outcome != "success":
                err(
                    "P128",
                    f"ending '{nid}' has a trade_off, but only success endings can be "
                    "declared defensible",
                    smap.value(("nodes", nid, "ending", "trade_off")),
                    "take out `trade_off`, or make the outcome `success`",
                )
        if node.model is not None:
            ids = choice_ids.get(nid, ())
            if node.model in ids:
                out.models[nid] = node.model
            else:
                where = f"node '{nid}' has no choices" if not ids else None
                err(
                    "P127",
                    f"model names '{node.model}', which is not a choice of node '{nid}'",
                    smap.value(("nodes", nid, "model")),
                    where or f"choices here: {', '.join(ids)}",
                )

    if len(out.trade_offs) == 1:
        (only,) = out.trade_offs
        err(
            "P128",
            f"ending '{only}' is the only one with a trade_off: defensible endings come in "
            "two or more",
            smap.value(("nodes", only, "ending", "trade_off")),
            "give another success ending its trade_off, or take this one out",
        )

    for name in levels:
        given = doc.trust.names.get(name)
        if given is not None:  # else Scenario.level_label gives Parley's own name
            out.level_labels[name] = text(given)
    for name in doc.trust.names:
        if name not in levels:
            err(
                "P153",
                f"trust.names names '{name}', which is not a trust level",
                smap.key(("trust", "names", name)),
                _suggest(name, levels),
            )
    for name in ladder:
        given = doc.hierarchy.names.get(name)
        if given is not None:  # else Scenario.rung_label gives Parley's own name
            out.rung_labels[name] = text(given)
    for key in ("names", "requires_why"):
        given_map: Mapping[str, TextValue] = getattr(doc.hierarchy, key)
        for name, value in given_map.items():
            if name not in ladder:
                err(
                    "P150",
                    f"hierarchy.{key} names '{name}', which is not on the ladder",
                    smap.key(("hierarchy", key, name)),
                    _suggest(name, ladder),
                )
            elif key == "requires_why":
                out.requires_why[name] = text(value)
    return out


def blocked_why(scenario: Scenario, rung: str, lang: str | None) -> str:
    """Why a climb to `rung` can be out of reach: the author's `requires_why`, else a
    sentence in Parley's words that names no condition."""
    why = scenario.requires_why.get(rung)
    if why is not None:
        return " ".join(why.get(lang).split())
    who = scenario.speaker_name(scenario.counterpart, lang)
    return t("rung.why_default", lang, who=who)
