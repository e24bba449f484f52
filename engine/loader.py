"""YAML -> immutable model. The only way a scenario or framework file gets in.

A scenario is loaded in named passes (`LOADER_PASSES`, in order). Each pass reports every
fault it finds (as Diagnostics); the faults of all passes that could run are raised
together as one ScenarioLoadError, each with file:line:col and a hint:

1. `read` (engine.yamlsafe): bounded bytes -> data + source map (P100-P108, P115);
2. `scores`: each choice's framework scores taken out of the data (P143);
3. `shape` (engine.schema, pydantic): keys and types (P110-P114); stops here on faults;
4. `characters` (P126); 5. `trust levels` (P151); 6. `ladder` (P150, P152);
7. `references`: start, node kinds, speakers, flag names, choice ids, `to` (P117, P120-P125);
8. `conditions`: every `when` and `requires` compiled (engine.conditions, P130-P134);
9. `learning` (engine.learning: objectives, model answers, defensible endings, labels;
   P127, P128, P153);
10. `model`: nodes, choices, effects and scores (P140-P144) into the frozen Scenario.

Reading, pydantic errors and Text are in engine.load_common; frameworks in
engine.framework_loader (re-exported here: `load_framework`, `find_framework`).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.conditions import (
    BUILTIN_NAMES,
    FUNCTIONS,
    Condition,
    ConditionContext,
    ConditionProblem,
    compile_condition,
)
from engine.diagnostics import Diagnostic
from engine.errors import Location, ScenarioLoadError
from engine.framework_loader import find_framework, known_frameworks, load_framework
from engine.learning import compile_learning
from engine.load_common import (
    _choice_ids,
    _parse,
    _pydantic_diagnostics,
    _read,
    _short,
    _suggest,
    _text,
    source_key,
)
from engine.model import (
    DEFAULT_LADDER,
    DEFAULT_LEVELS,
    NO_EFFECTS,
    Branch,
    Character,
    Choice,
    Effects,
    Ending,
    FlagValue,
    Framework,
    Node,
    Scenario,
    Text,
    TrustLevel,
)
from engine.rules import TRUST_MAX, TRUST_MIN
from engine.schema import EffectsDoc, ScenarioDoc
from engine.yamlsafe import PathKey, SourceMap

LOADER_PASSES = (
    "read",
    "scores",
    "shape",
    "characters",
    "trust levels",
    "ladder",
    "references",
    "conditions",
    "learning",
    "model",
)

# ---------------------------------------------------------------- scenarios


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file into the immutable model. Raises ScenarioLoadError."""
    p = Path(path)
    return load_scenario_bytes(_read(p), str(p), base_dir=p.parent)


def load_scenario_text(text: str, file: str = "<string>", base_dir: Path | None = None) -> Scenario:
    return load_scenario_bytes(text.encode("utf-8"), file, base_dir=base_dir)


def load_scenario_bytes(data: bytes, file: str, base_dir: Path | None = None) -> Scenario:
    with gc_paused():
        scenario = _build_scenario(data, file, base_dir)
    return scenario


def _build_scenario(data: bytes, file: str, base_dir: Path | None) -> Scenario:
    # a function of its own, so the raw data is freed before the collector runs again
    raw, smap = _parse(data, file)
    builder = _ScenarioBuilder(raw, smap, base_dir, hashlib.sha256(data).hexdigest()[:16])
    return builder.build()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic data.

    A scenario becomes hundreds of thousands of small objects, none in reference cycles;
    the collector would scan them again and again as they are made (a 5,000-node file
    loads about twice as fast without it). Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _ScenarioBuilder:
    def __init__(
        self, raw: dict[str, Any], smap: SourceMap, base_dir: Path | None, content_hash: str
    ) -> None:
        self.raw = raw
        self.smap = smap
        self.base_dir = base_dir
        self.hash = content_hash
        self.problems: list[Diagnostic] = []
        self.conditions: dict[str, Condition | ConditionProblem] = {}
        self.framework_keys: dict[str, tuple[str, ...]] = {}
        self.scores_raw: dict[tuple[str, int], tuple[dict[str, Any], PathKey]] = {}

    def err(self, code: str, message: str, loc: Location, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, loc, hint))

    def fail_if_problems(self) -> None:
        if self.problems:
            raise ScenarioLoadError(
                sorted(self.problems, key=lambda d: (d.location.line, d.location.col))
            )

    # -- step 1: separate framework scores from choices, then validate the shape
    def _split_scores(self, framework_id: str) -> dict[str, Any]:
        """Take each choice's framework scores out (into scores_raw), so that what is left
        is validated as a choice. The raw data is the builder's own: changed in place."""
        others = [f for f in known_frameworks(self.base_dir) if f != framework_id]  # sorted
        nodes = self.raw.get("nodes")
        if not isinstance(nodes, dict):
            return self.raw
        for nid, node in nodes.items():
            choices = node.get("choices") if isinstance(node, dict) else None
            if not isinstance(choices, list):
                continue
            for i, ch in enumerate(choices):
                if not isinstance(ch, dict):
                    continue
                if framework_id in ch:
                    path: PathKey = ("nodes", nid, "choices", i, framework_id)
                    self.scores_raw[(nid, i)] = (ch.pop(framework_id), path)
                for other in [f for f in others if f in ch]:
                    ch.pop(other)
                    self.err(
                        "P143",
                        f"scores under '{other}:' but this scenario's framework is "
                        f"'{framework_id}'",
                        self.smap.key(("nodes", nid, "choices", i, other)),
                        f"rename the key to '{framework_id}:' or set `framework: {other}`",
                    )
        return self.raw

    def build(self) -> Scenario:
        framework_id = self.raw.get("framework", "sore")
        if not isinstance(framework_id, str):
            framework_id = "sore"
        data = self._split_scores(framework_id)
        try:
            doc = ScenarioDoc.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(_pydantic_diagnostics(exc, self.smap, ScenarioDoc))
            self._report_missing_framework(framework_id)
            self.fail_if_problems()
            raise  # unreachable
        if self.problems:
            self._report_missing_framework(framework_id)
        self.fail_if_problems()
        return self._compile(doc)

    # -- step 2: meaning, in named passes (LOADER_PASSES); each reports every fault it
    # finds with self.err, and the model is built only when none was found
    def _compile(self, doc: ScenarioDoc) -> Scenario:
        sm = self.smap
        lang = doc.language
        framework = self._framework(doc.framework)
        characters, counterpart = self._pass_characters(doc)
        levels = self._pass_trust_levels(doc)
        ladder, h_start = self._pass_ladder(doc)
        node_ids, choice_ids, flags = self._pass_references(doc)
        # pass `conditions` (requires here; each `when` as its choice or branch is built)
        ctx = ConditionContext(
            levels=tuple(lv.name for lv in levels),
            ladder=ladder,
            flags=frozenset(flags),
            nodes=node_ids,
            choices=frozenset(choice_ids),
        )
        requires: dict[str, Condition] = {}
        for rung, src in doc.hierarchy.requires.items():
            cond = self._condition(src, ("hierarchy", "requires", rung), ctx)
            if cond is not None and rung in ladder:
                requires[rung] = cond

        # pass `learning`
        learning = compile_learning(
            doc,
            tuple(lv.name for lv in levels),
            ladder,
            {nid: _choice_ids(nid, node.choices or []) for nid, node in doc.nodes.items()},
            sm,
            self.err,
        )
        # pass `model`
        languages: set[str] = {lang} | learning.languages
        default_speaker = counterpart
        nodes: dict[str, Node] = {}
        all_choices: dict[str, Choice] = {}
        for nid, node in doc.nodes.items():
            npath = ("nodes", nid)
            choices: list[Choice] = []
            for i, ch in enumerate(node.choices or []):
                cpath = (*npath, "choices", i)
                cid = ch.id if ch.id is not None else f"{nid}.{i + 1}"
                scores, has_scores = self._scores(nid, i, framework)
                text = _text(ch.text, lang) or Text({})
                feedback = _text(ch.feedback, lang)
                languages.update(text.values)
                if feedback:
                    languages.update(feedback.values)
                choice = Choice(
                    id=cid,
                    node_id=nid,
                    index=i + 1,
                    text=text,
                    to=ch.to,
                    when=self._condition(ch.when, (*cpath, "when"), ctx)
                    if ch.when is not None
                    else None,
                    effects=self._effects(ch.effects, (*cpath, "effects"), ladder),
                    scores=scores,
                    has_scores=has_scores,
                    feedback=feedback,
                    loc=sm.value(cpath),
                )
                choices.append(choice)
                all_choices.setdefault(cid, choice)
            branches = tuple(
                Branch(
                    self._condition(br.when, (*npath, "next", i, "when"), ctx)
                    if br.when is not None
                    else None,
                    br.to,
                    sm.value((*npath, "next", i)),
                )
                for i, br in enumerate(node.next or [])
            )
            ending = None
            if node.ending is not None:
                ending = Ending(
                    node.ending.outcome,
                    _text(node.ending.title, lang) or Text({}),
                    _text(node.ending.debrief, lang) or Text({}),
                    sm.key((*npath, "ending")),
                    learning.ending_reflection.get(nid, ()),
                    learning.trade_offs.get(nid),
                )
                languages.update(ending.title.values, ending.debrief.values)
            text = _text(node.text, lang) or Text({})
            narration = _text(node.narration, lang)
            languages.update(text.values)
            if narration:
                languages.update(narration.values)
            nodes[nid] = Node(
                id=nid,
                speaker=node.speaker or default_speaker,
                text=text,
                narration=narration,
                choices=tuple(choices),
                next=branches,
                ending=ending,
                effects=self._effects(node.effects, (*npath, "effects"), ladder),
                loc=sm.key(npath),
                shuffle=doc.shuffle if node.shuffle is None else node.shuffle,
                model=learning.models.get(nid),
            )
        for t in (doc.title, doc.summary):
            if isinstance(t, dict):
                languages.update(t)
        self.fail_if_problems()
        return Scenario(
            id=doc.id,
            title=_text(doc.title, lang) or Text({}),
            summary=_text(doc.summary, lang) or Text({}),
            tags=tuple(doc.tags),
            difficulty=doc.difficulty,
            language=lang,
            languages=frozenset(languages),
            framework=framework,
            feedback_mode=doc.feedback_mode,
            characters=characters,
            counterpart=counterpart,
            trust_start=doc.trust.start,
            trust_levels=levels,
            ladder=ladder,
            hierarchy_start=h_start,
            requires=requires,
            start=doc.start,
            nodes=nodes,
            choices=all_choices,
            flags=tuple(flags),
            path=Path(sm.file) if sm.file and not sm.file.startswith("<") else None,
            content_hash=self.hash,
            source_lines=self._text_lines(doc) if self._multilingual(doc, languages) else {},
            pass_mark=doc.pass_mark,
            shuffle=doc.shuffle,
            objectives=learning.objectives,
            reflection=learning.reflection,
            trainer_notes=learning.trainer_notes,
            level_labels=learning.level_labels,
            rung_labels=learning.rung_labels,
            requires_why=learning.requires_why,
        )

    def _pass_characters(self, doc: ScenarioDoc) -> tuple[dict[str, Character], str]:
        """Pass `characters`: `you` and one other (P126); the counterpart."""
        sm = self.smap
        lang = doc.language
        if "you" not in doc.characters or len(doc.characters) < 2:
            self.err(
                "P126",
                "characters must contain `you` (the player) and at least one other",
                sm.key(("characters",)),
                "add e.g. `you: {name: Sam, role: Project Manager}`",
            )
        characters = {
            cid: Character(cid, _text(c.name, lang) or Text({}), _text(c.role, lang) or Text({}))
            for cid, c in doc.characters.items()
        }
        others = [c for c in doc.characters if c != "you"]
        counterpart = others[0] if others else "you"
        return characters, counterpart

    def _pass_trust_levels(self, doc: ScenarioDoc) -> tuple[TrustLevel, ...]:
        """Pass `trust levels`: from 0, ascending, inside 0..100 (P151)."""
        sm = self.smap
        level_items = (
            tuple(doc.trust.levels.items()) if doc.trust.levels is not None else DEFAULT_LEVELS
        )
        levels = tuple(TrustLevel(n, v) for n, v in level_items)
        if not levels:
            self.err("P151", "trust levels are empty", sm.key(("trust", "levels")))
        else:
            if levels[0].floor != 0:
                self.err(
                    "P151",
                    f"the first trust level '{levels[0].name}' must start at 0, not {levels[0].floor}",
                    sm.value(("trust", "levels", levels[0].name)),
                )
            for a, b in zip(levels, levels[1:], strict=False):
                if b.floor <= a.floor:
                    self.err(
                        "P151",
                        f"trust levels must ascend: '{b.name}' ({b.floor}) is not above "
                        f"'{a.name}' ({a.floor})",
                        sm.value(("trust", "levels", b.name)),
                        "list levels from lowest to highest value",
                    )
            for lv in levels:
                if not TRUST_MIN <= lv.floor <= TRUST_MAX:
                    self.err(
                        "P151",
                        f"trust level '{lv.name}' starts at {lv.floor}, "
                        f"outside {TRUST_MIN}..{TRUST_MAX}",
                        sm.value(("trust", "levels", lv.name)),
                    )
        return levels

    def _pass_ladder(self, doc: ScenarioDoc) -> tuple[tuple[str, ...], str]:
        """Pass `ladder`: rungs, start rung, `requires` rungs (P150, P152)."""
        sm = self.smap
        ladder = tuple(doc.hierarchy.ladder) if doc.hierarchy.ladder is not None else DEFAULT_LADDER
        if len(ladder) < 1 or len(set(ladder)) != len(ladder):
            self.err(
                "P152",
                "the hierarchy ladder needs at least one rung and no repeats",
                sm.value(("hierarchy", "ladder")),
            )
        h_start = doc.hierarchy.start or (
            ladder[1] if len(ladder) > 1 else ladder[0] if ladder else ""
        )
        if doc.hierarchy.start is not None and doc.hierarchy.start not in ladder:
            self.err(
                "P150",
                f"hierarchy start '{doc.hierarchy.start}' is not on the ladder",
                sm.value(("hierarchy", "start")),
                _suggest(doc.hierarchy.start, ladder) or f"rungs: {', '.join(ladder)}",
            )
        for rung in doc.hierarchy.requires:
            if rung not in ladder:
                self.err(
                    "P150",
                    f"requires names '{rung}', which is not on the ladder",
                    sm.key(("hierarchy", "requires", rung)),
                    _suggest(rung, ladder) or f"rungs: {', '.join(ladder)}",
                )
        return ladder, h_start

    def _pass_references(
        self, doc: ScenarioDoc
    ) -> tuple[frozenset[str], dict[str, PathKey], dict[str, None]]:
        """Pass `references`: start, node kinds, speakers, flag names, choice ids,
        `to` targets (P117, P121-P125)."""
        sm = self.smap
        node_ids = frozenset(doc.nodes)
        if doc.start not in doc.nodes:
            self.err(
                "P122",
                f"start names '{doc.start}', but there is no such node",
                sm.value(("start",)),
                _suggest(doc.start, node_ids),
            )
        choice_ids: dict[str, PathKey] = {}
        flags: dict[str, None] = {}
        for nid, node in doc.nodes.items():
            npath: PathKey = ("nodes", nid)
            kinds = [k for k in ("choices", "next", "ending") if getattr(node, k) is not None]
            if len(kinds) != 1:
                what = "none" if not kinds else " and ".join(kinds)
                self.err(
                    "P124",
                    f"node '{nid}' has {what} of choices/next/ending; it needs exactly one",
                    sm.key(npath),
                    "a node is answered (choices), moves on by itself (next), or ends (ending)",
                )
            if node.speaker is not None and node.speaker not in doc.characters:
                self.err(
                    "P125",
                    f"speaker '{node.speaker}' is not in characters",
                    sm.value((*npath, "speaker")),
                    _suggest(node.speaker, doc.characters)
                    or f"characters: {', '.join(doc.characters)}",
                )
            for eff, epath in self._flag_effects(node, npath):
                for flag in eff.set:
                    if flag in BUILTIN_NAMES or flag in ("true", "false") or flag in FUNCTIONS:
                        self.err(
                            "P117",
                            f"'{flag}' is a reserved name and cannot be a flag",
                            sm.key((*epath, "set", flag)),
                        )
                    flags[flag] = None
            for i, ch in enumerate(node.choices or []):
                cid = ch.id if ch.id is not None else f"{nid}.{i + 1}"
                cpath: PathKey = (*npath, "choices", i)
                if cid in choice_ids:
                    first = sm.value(choice_ids[cid])
                    self.err(
                        "P121",
                        f"choice id '{cid}' is used twice (first at line {first.line})",
                        sm.value((*cpath, "id")) if ch.id is not None else sm.value(cpath),
                        "choice ids must be unique in the scenario",
                    )
                else:
                    choice_ids[cid] = cpath
                if ch.to not in node_ids:
                    self.err(
                        "P123",
                        f"choice goes to '{ch.to}', but there is no such node",
                        sm.value((*cpath, "to")),
                        _suggest(ch.to, node_ids),
                    )
            for i, br in enumerate(node.next or []):
                if br.to not in node_ids:
                    self.err(
                        "P123",
                        f"next goes to '{br.to}', but there is no such node",
                        sm.value((*npath, "next", i, "to")),
                        _suggest(br.to, node_ids),
                    )
        return node_ids, choice_ids, flags

    @staticmethod
    def _multilingual(doc: ScenarioDoc, languages: set[str]) -> bool:
        if len(languages) > 1:
            return True
        return any(
            isinstance(c.name, dict) and len(c.name) > 1 or isinstance(c.role, dict)
            for c in doc.characters.values()
        )

    def _text_lines(self, doc: ScenarioDoc) -> dict[str, Location]:
        """source_key(path) -> location of every Text key, for the translation check: only
        filled for a scenario that uses more than one language (empty otherwise)."""
        out: dict[str, Location] = {}

        def mark(path: PathKey) -> None:
            loc = self.smap.key_if_known(path)
            if loc is not None:
                out[source_key(path)] = loc

        mark(("title",))
        mark(("summary",))
        for cid in doc.characters:
            mark(("characters", cid, "name"))
            mark(("characters", cid, "role"))
        for nid, node in doc.nodes.items():
            mark(("nodes", nid, "text"))
            mark(("nodes", nid, "narration"))
            if node.ending is not None:
                mark(("nodes", nid, "ending", "title"))
                mark(("nodes", nid, "ending", "debrief"))
            for i, ch in enumerate(node.choices or []):
                mark(("nodes", nid, "choices", i, "text"))
                if ch.feedback is not None:
                    mark(("nodes", nid, "choices", i, "feedback"))
        return out

    def _flag_effects(self, node: Any, npath: PathKey) -> list[tuple[EffectsDoc, PathKey]]:
        """The effects of the node and its choices that set flags, with their key paths."""
        out: list[tuple[EffectsDoc, PathKey]] = []
        if node.effects is not None and node.effects.set:
            out.append((node.effects, (*npath, "effects")))
        for i, ch in enumerate(node.choices or []):
            if ch.effects is not None and ch.effects.set:
                out.append((ch.effects, (*npath, "choices", i, "effects")))
        return out

    def _report_missing_framework(self, framework_id: str) -> None:
        """P142 even when other errors stop the load early (it explains many of them)."""
        if find_framework(framework_id, self.base_dir) is None:
            self._framework(framework_id)

    def _framework(self, framework_id: str) -> Framework:
        path = find_framework(framework_id, self.base_dir)
        if path is None:
            self.err(
                "P142",
                f"framework '{framework_id}' not found",
                self.smap.value(("framework",)),
                _suggest(framework_id, known_frameworks(self.base_dir))
                or f"put it in frameworks/{framework_id}.yaml beside the scenario; "
                f"bundled: {', '.join(known_frameworks(self.base_dir))}",
            )
            self.fail_if_problems()
        assert path is not None
        try:
            return load_framework(path)
        except ScenarioLoadError as exc:
            self.problems.extend(exc.diagnostics)
            self.fail_if_problems()
            raise

    def _scores(self, nid: str, i: int, framework: Framework) -> tuple[Mapping[str, int], bool]:
        keys = self.framework_keys.get(framework.id)
        if keys is None:  # Framework.keys builds a new tuple on every call
            keys = self.framework_keys[framework.id] = framework.keys
        out = dict.fromkeys(keys, 0)
        entry = self.scores_raw.get((nid, i))
        if entry is None:
            return out, False
        raw, path = entry
        if not isinstance(raw, dict):
            self.err(
                "P144",
                f"{framework.id}: expected a map of dimension -> score, got {_short(raw)}",
                self.smap.value(path),
                f"e.g. {framework.id}: {{{keys[0]}: +1}}",
            )
            return out, True
        for key, value in raw.items():
            if key not in keys:
                self.err(
                    "P140",
                    f"'{key}' is not a dimension of the {framework.id} framework",
                    self.smap.key((*path, key)),
                    _suggest(key, keys) or f"dimensions: {', '.join(keys)}",
                )
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
                self.err(
                    "P141",
                    f"score {_short(value)} for '{key}' is outside -2..2",
                    self.smap.value((*path, key)),
                    "scores are whole numbers from -2 to +2",
                )
                continue
            out[key] = value
        return out, True

    def _effects(self, eff: EffectsDoc | None, path: PathKey, ladder: tuple[str, ...]) -> Effects:
        if eff is None:
            return NO_EFFECTS
        if eff.hierarchy is not None and eff.hierarchy not in ("up", "down", *ladder):
            self.err(
                "P150",
                f"hierarchy: '{eff.hierarchy}' is not up, down or a rung on the ladder",
                self.smap.value((*path, "hierarchy")),
                _suggest(eff.hierarchy, ("up", "down", *ladder)) or f"rungs: {', '.join(ladder)}",
            )
        sets: tuple[tuple[str, FlagValue], ...] = tuple(eff.set.items())
        return Effects(eff.trust, eff.hierarchy, sets, self.smap.key(path))

    def _condition(self, source: str, path: PathKey, ctx: ConditionContext) -> Condition | None:
        loc = self.smap.value(path)
        # the same text compiles to the same test in one scenario: parse it once
        cached = self.conditions.get(source) if isinstance(source, str) else None
        if cached is None:
            try:
                cached = compile_condition(source, loc, ctx)
            except ConditionProblem as exc:
                cached = exc
            if isinstance(source, str):
                self.conditions[source] = cached
        if isinstance(cached, ConditionProblem):
            self.err(cached.code, cached.message, loc, cached.hint)
            return None
        if cached.loc == loc:
            return cached
        return Condition(
            cached.source, loc, cached.test, cached.names, cached.visited_nodes, cached.chosen_ids
        )
