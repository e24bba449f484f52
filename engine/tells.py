"""Tells: features of an option's *form* that give the best answer away without reading it.

A decision is a node with two or more choices; its best option is the one with the highest
framework total (counted only when unique), its worst the unique lowest. Per language of the
file this module measures, per decision, whether the best option is

- the only one with a question mark (P220),
- the only one without a hedge word such as "honestly" or "just" (P221),
- longer than every other option by a margin (P222),

and per scenario the shares a test-wise player exploits (P223-P227): best is the longest,
best is among the two longest, worst is the longest, decisions with a partly-right option,
and the hit rate of the *test-wise rule* — avoid options with hedge words, take the only
option with a "?", else the second-longest — against the chance of guessing.

Hedge words and thresholds are data (scenarios/tells/tells.yaml; a `tells/tells.yaml` beside
a scenario is used first), documented in docs/diagnostics.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.diagnostics import Diagnostic
from engine.errors import Location, ParleyError
from engine.library import bundled_dir
from engine.model import Choice, Node, Scenario

TELLS_FILE = Path("tells") / "tells.yaml"


class TellsDataError(ParleyError):
    """The tells data file (hedge words, thresholds) cannot be read."""

    code = "P112"


# ---------------------------------------------------------------- data


class _Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    longest_margin: float = Field(1.3, ge=1.0)
    min_options: int = Field(3, ge=2)
    best_longest: float = Field(0.35, ge=0.0, le=1.0)
    best_top_two: float = Field(0.60, ge=0.0, le=1.0)
    rule_hit: float = Field(0.45, ge=0.0, le=1.0)
    partly_right: float = Field(0.40, ge=0.0, le=1.0)
    worst_longest: float = Field(0.40, ge=0.0, le=1.0)


class _TellsDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: int = 1
    thresholds: _Thresholds = Field(default_factory=_Thresholds)
    hedges: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    """The documented limits (docs/diagnostics.md, P222-P227)."""

    longest_margin: float = 1.3
    min_options: int = 3
    best_longest: float = 0.35
    best_top_two: float = 0.60
    rule_hit: float = 0.45
    partly_right: float = 0.40
    worst_longest: float = 0.40


@dataclass(frozen=True)
class TellsConfig:
    """Hedge words per language and the thresholds; `hedge_pattern(lang)` matches them."""

    hedges: Mapping[str, tuple[str, ...]]
    thresholds: Thresholds = field(default_factory=Thresholds)
    source: str = "<defaults>"

    def hedge_pattern(self, lang: str) -> re.Pattern[str] | None:
        words = self.hedges.get(lang) or self.hedges.get(lang.split("-")[0]) or ()
        return _pattern(tuple(words))


@lru_cache(maxsize=32)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = sorted(
        (r"\s+".join(re.escape(w) for w in phrase.split()) for phrase in words if phrase.strip()),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def bundled_tells_file() -> Path:
    return bundled_dir() / TELLS_FILE


def find_tells_file(scenario_dir: Path | None) -> Path:
    """`tells/tells.yaml` beside the scenario when there is one, else the bundled file."""
    if scenario_dir is not None:
        local = scenario_dir / TELLS_FILE
        if local.is_file():
            return local
    return bundled_tells_file()


def load_tells_config(path: str | Path | None = None) -> TellsConfig:
    """Read a tells data file (the bundled one by default); TellsDataError when it is wrong."""
    p = Path(path) if path is not None else bundled_tells_file()
    try:
        st = p.stat()
    except OSError:
        raise TellsDataError(
            f"tells data file not found: {p}",
            hint="restore scenarios/tells/tells.yaml from the Parley distribution",
        ) from None
    return _load_cached(str(p), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load_cached(file: str, _mtime: int, _size: int) -> TellsConfig:
    from engine.load_common import _parse, _read  # the bounded, safe YAML reader

    data, _ = _parse(_read(Path(file)), file)
    try:
        doc = _TellsDoc.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TellsDataError(
            f"{file}: `{where}`: {first['msg']}",
            Location(file, 1, 1),
            "see the comments at the top of scenarios/tells/tells.yaml",
        ) from None
    hedges = {lang: tuple(w.strip().lower() for w in words) for lang, words in doc.hedges.items()}
    return TellsConfig(hedges, Thresholds(**doc.thresholds.model_dump()), file)


def config_for(scenario: Scenario) -> TellsConfig:
    base = scenario.path.parent if scenario.path is not None else None
    return load_tells_config(find_tells_file(base))


# ---------------------------------------------------------------- one decision


@dataclass(frozen=True)
class Decision:
    """One node with choices, seen in one language."""

    node: Node
    lang: str
    options: tuple[Choice, ...]
    lengths: tuple[int, ...]
    questions: tuple[bool, ...]
    hedged: tuple[bool, ...]
    best: int | None  # index into options of the unique best, else None
    worst: int | None

    @property
    def n(self) -> int:
        return len(self.options)

    def _rank(self, i: int) -> int:
        """1 for the longest; ties share the better rank."""
        return 1 + sum(1 for x in self.lengths if x > self.lengths[i])

    def _unique_longest(self, i: int) -> bool:
        top = max(self.lengths)
        return self.lengths[i] == top and self.lengths.count(top) == 1

    @property
    def best_longest(self) -> bool:
        return self.best is not None and self._unique_longest(self.best)

    @property
    def best_top_two(self) -> bool:
        return self.best is not None and self._rank(self.best) <= 2

    @property
    def worst_longest(self) -> bool:
        return self.worst is not None and self._unique_longest(self.worst)

    @property
    def best_only_question(self) -> bool:
        return self.best is not None and self.questions[self.best] and sum(self.questions) == 1

    @property
    def best_only_unhedged(self) -> bool:
        return (
            self.best is not None
            and not self.hedged[self.best]
            and sum(1 for h in self.hedged if not h) == 1
        )

    def best_longest_by(self, margin: float) -> bool:
        if self.best is None or self.n < 2:
            return False
        others = [x for i, x in enumerate(self.lengths) if i != self.best]
        return self.lengths[self.best] >= margin * max(others)

    @property
    def partly_right(self) -> bool:
        """Some option other than the best has a positive total."""
        if self.best is None:
            return False
        return any(c.total > 0 for i, c in enumerate(self.options) if i != self.best)

    @property
    def one_right(self) -> bool:
        """The best is positive and every other option is zero or below."""
        if self.best is None or self.options[self.best].total <= 0:
            return False
        return not self.partly_right

    def rule_pick(self) -> int:
        """The test-wise rule: avoid hedge words; the only "?" wins; else the second-longest."""
        pool = [i for i in range(self.n) if not self.hedged[i]] or list(range(self.n))
        asking = [i for i in pool if self.questions[i]]
        if len(asking) == 1:
            return asking[0]
        if len(pool) == 1:
            return pool[0]
        by_length = sorted(pool, key=lambda i: (-self.lengths[i], i))
        return by_length[1]

    @property
    def rule_hit(self) -> bool:
        return self.best is not None and self.rule_pick() == self.best


def _unique_index(values: Sequence[int], target: int) -> int | None:
    return values.index(target) if values.count(target) == 1 else None


def decision(node: Node, lang: str, hedges: re.Pattern[str] | None) -> Decision:
    options = node.choices
    texts = [c.text.get(lang).strip() for c in options]
    totals = [c.total for c in options]
    return Decision(
        node=node,
        lang=lang,
        options=options,
        lengths=tuple(len(t) for t in texts),
        questions=tuple("?" in t for t in texts),
        hedged=tuple(bool(hedges and hedges.search(t)) for t in texts),
        best=_unique_index(totals, max(totals)),
        worst=_unique_index(totals, min(totals)),
    )


def decisions(scenario: Scenario, lang: str, config: TellsConfig) -> list[Decision]:
    pattern = config.hedge_pattern(lang)
    return [decision(n, lang, pattern) for n in scenario.nodes.values() if len(n.choices) >= 2]


def first_decision(scenario: Scenario) -> Node | None:
    """The first node with choices a play meets: from `start` through automatic `next`."""
    seen: set[str] = set()
    todo = [scenario.start]
    while todo:
        nid = todo.pop(0)
        if nid in seen:
            continue
        seen.add(nid)
        node = scenario.nodes[nid]
        if node.choices:
            return node
        todo += [b.to for b in node.next]
    return None


# ---------------------------------------------------------------- one scenario


@dataclass(frozen=True)
class TellsStats:
    """The per-scenario shares for one language (what `parley check --tells` tabulates)."""

    scenario: str
    lang: str
    decisions: int  # with a unique best
    counted: int  # of those, with at least min_options options
    best_longest: float
    best_top_two: float
    worst_longest: float
    best_positions: dict[int, int]  # 1-based position in the file -> decisions
    one_right: float
    partly_right: float
    opening_question: bool  # the opening's best option asks a question
    rule_hit: float
    chance: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "lang": self.lang,
            "decisions": self.decisions,
            "counted": self.counted,
            "best_longest": round(self.best_longest, 4),
            "best_top_two": round(self.best_top_two, 4),
            "worst_longest": round(self.worst_longest, 4),
            "best_positions": {str(k): v for k, v in sorted(self.best_positions.items())},
            "one_right": round(self.one_right, 4),
            "partly_right": round(self.partly_right, 4),
            "opening_question": self.opening_question,
            "rule_hit": round(self.rule_hit, 4),
            "chance": round(self.chance, 4),
        }


def _share(items: Sequence[Decision], test: str) -> float:
    if not items:
        return 0.0
    return sum(1 for d in items if getattr(d, test)) / len(items)


def scenario_stats(scenario: Scenario, lang: str, config: TellsConfig | None = None) -> TellsStats:
    cfg = config if config is not None else config_for(scenario)
    found = [d for d in decisions(scenario, lang, cfg) if d.best is not None]
    wide = [d for d in found if d.n >= cfg.thresholds.min_options]
    worst = [d for d in wide if d.worst is not None]
    opening = first_decision(scenario)
    opening_q = False
    if opening is not None and len(opening.choices) >= 2:
        d = decision(opening, lang, cfg.hedge_pattern(lang))
        opening_q = d.best is not None and d.questions[d.best]
    positions = Counter(d.best + 1 for d in found if d.best is not None)
    return TellsStats(
        scenario=scenario.id,
        lang=lang,
        decisions=len(found),
        counted=len(wide),
        best_longest=_share(wide, "best_longest"),
        best_top_two=_share(wide, "best_top_two"),
        worst_longest=_share(worst, "worst_longest"),
        best_positions=dict(positions),
        one_right=_share(found, "one_right"),
        partly_right=_share(found, "partly_right"),
        opening_question=opening_q,
        rule_hit=_share(found, "rule_hit"),
        chance=sum(1 / d.n for d in found) / len(found) if found else 0.0,
    )


def _languages(scenario: Scenario) -> list[str]:
    return sorted(scenario.languages | {scenario.language})


def all_stats(scenario: Scenario, config: TellsConfig | None = None) -> list[TellsStats]:
    cfg = config if config is not None else config_for(scenario)
    return [scenario_stats(scenario, lang, cfg) for lang in _languages(scenario)]


# ---------------------------------------------------------------- findings


def _pct(x: float) -> str:
    return f"{round(x * 100)} %"


def tells_findings(scenario: Scenario, config: TellsConfig | None = None) -> list[Diagnostic]:
    """P220-P227 for every language of the scenario (see docs/diagnostics.md)."""
    cfg = config if config is not None else config_for(scenario)
    th = cfg.thresholds
    out: list[Diagnostic] = []
    for lang in _languages(scenario):
        for d in decisions(scenario, lang, cfg):
            if d.best is None:
                continue
            best = d.options[d.best]
            nid = d.node.id
            if d.best_only_question:
                out.append(
                    Diagnostic(
                        "P220",
                        f"[{lang}] at '{nid}' the best option '{best.id}' is the only one "
                        "with a question mark",
                        best.loc,
                        "let a weaker option ask a question too (a leading or a closed one), "
                        "or let the best answer make a statement",
                    )
                )
            if d.best_only_unhedged:
                out.append(
                    Diagnostic(
                        "P221",
                        f"[{lang}] at '{nid}' the best option '{best.id}' is the only one "
                        "without a hedge word",
                        best.loc,
                        "take the hedge words (see scenarios/tells/tells.yaml) out of the "
                        "weaker options, or let the best answer sound as natural speech does",
                    )
                )
            if d.n >= th.min_options and d.best_longest_by(th.longest_margin):
                out.append(
                    Diagnostic(
                        "P222",
                        f"[{lang}] at '{nid}' the best option '{best.id}' is the longest by "
                        f"a margin ({d.lengths[d.best]} characters, the next "
                        f"{max(x for i, x in enumerate(d.lengths) if i != d.best)})",
                        best.loc,
                        "tighten the best answer, or give a weaker one its own reasons "
                        "(a plausible mistake argues for itself)",
                    )
                )
        out += _scenario_findings(scenario, scenario_stats(scenario, lang, cfg), th)
    return out


def _scenario_findings(scenario: Scenario, s: TellsStats, th: Thresholds) -> list[Diagnostic]:
    loc = _scenario_loc(scenario)
    lang = s.lang
    out: list[Diagnostic] = []
    if s.counted:
        if s.best_longest > th.best_longest:
            out.append(
                Diagnostic(
                    "P223",
                    f"[{lang}] the best option is the longest in {_pct(s.best_longest)} of "
                    f"{s.counted} decisions with {th.min_options}+ options "
                    f"(limit {_pct(th.best_longest)})",
                    loc,
                    "shorten some best answers (a good answer can be short and plain), or let "
                    "weaker ones argue at length",
                )
            )
        if s.best_top_two > th.best_top_two:
            out.append(
                Diagnostic(
                    "P224",
                    f"[{lang}] the best option is one of the two longest in "
                    f"{_pct(s.best_top_two)} of {s.counted} decisions "
                    f"(limit {_pct(th.best_top_two)})",
                    loc,
                    "let some best answers be short and plain, and some weak ones argue at length",
                )
            )
        if s.worst_longest > th.worst_longest:
            out.append(
                Diagnostic(
                    "P227",
                    f"[{lang}] the worst option is the longest in {_pct(s.worst_longest)} of "
                    f"the decisions (limit {_pct(th.worst_longest)})",
                    loc,
                    "the tell has flipped: vary the length of the weak options too",
                )
            )
    if s.decisions:
        if s.rule_hit > th.rule_hit:
            out.append(
                Diagnostic(
                    "P225",
                    f"[{lang}] the test-wise rule (avoid hedge words, take the only '?', else "
                    f"the second-longest) finds the best option in {_pct(s.rule_hit)} of "
                    f"{s.decisions} decisions (chance {_pct(s.chance)}, limit "
                    f"{_pct(th.rule_hit)})",
                    loc,
                    "vary where questions, hedges and length fall, so that only meaning "
                    "tells the options apart",
                )
            )
        if s.partly_right < th.partly_right:
            out.append(
                Diagnostic(
                    "P226",
                    f"[{lang}] only {_pct(s.partly_right)} of {s.decisions} decisions have a "
                    f"partly-right option (at least {_pct(th.partly_right)} wanted)",
                    loc,
                    "give some decisions a second answer that does part of the job "
                    "(a positive total below the best)",
                )
            )
    return out


def _scenario_loc(scenario: Scenario) -> Location:
    loc = scenario.source_lines.get("title")
    if loc is not None:
        return loc
    for node in scenario.nodes.values():
        return Location(node.loc.file, 1, 1)
    return Location(str(scenario.path or "<scenario>"), 1, 1)


# ---------------------------------------------------------------- the table


COLUMNS = (
    ("scenario", 22),
    ("lang", 4),
    ("dec", 4),
    ("best=longest", 12),
    ("best top-2", 10),
    ("worst=longest", 13),
    ("best pos", 9),
    ("one-right", 9),
    ("partly", 7),
    ("opens ?", 7),
    ("rule/chance", 12),
)


def table_lines(stats: Sequence[TellsStats], th: Thresholds | None = None) -> list[str]:
    """The per-scenario table of `parley check --tells`; a share over its limit has a '!'."""
    limits = th or Thresholds()

    def cell(value: float, bad: bool) -> str:
        return _pct(value) + ("!" if bad else "")

    head = " ".join(name.ljust(w) for name, w in COLUMNS).rstrip()
    out = [head, "-" * len(head)]
    for s in stats:
        pos = max(s.best_positions.items(), key=lambda kv: kv[1]) if s.best_positions else None
        pos_cell = f"{pos[0]}: {_pct(pos[1] / s.decisions)}" if pos and s.decisions else "-"
        values = (
            s.scenario,
            s.lang,
            str(s.decisions),
            cell(s.best_longest, s.best_longest > limits.best_longest),
            cell(s.best_top_two, s.best_top_two > limits.best_top_two),
            cell(s.worst_longest, s.worst_longest > limits.worst_longest),
            pos_cell,
            _pct(s.one_right),
            cell(s.partly_right, s.partly_right < limits.partly_right),
            "yes" if s.opening_question else "no",
            f"{cell(s.rule_hit, s.rule_hit > limits.rule_hit)}/{_pct(s.chance)}",
        )
        row = " ".join(v.ljust(w) for v, (_, w) in zip(values, COLUMNS, strict=True))
        out.append(row.rstrip())
    openings = sum(1 for s in stats if not s.opening_question)
    out.append("")
    out.append(
        f"openings not won by a question: {openings} of {len(stats)} "
        f"(scenario-language pairs); limits: best=longest <= {_pct(limits.best_longest)}, "
        f"top-2 <= {_pct(limits.best_top_two)}, worst=longest <= {_pct(limits.worst_longest)}, "
        f"partly-right >= {_pct(limits.partly_right)}, rule <= {_pct(limits.rule_hit)}"
    )
    return out
