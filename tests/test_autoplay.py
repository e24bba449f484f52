"""`parley autoplay`: random plays and exhaustive exploration, as a user sees them."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from engine.autoplay import CHUNK, autoplay, exhaustive
from engine.conversation import Conversation
from engine.errors import PlayError
from engine.library import list_scenarios
from engine.loader import load_scenario
from engine.model import Scenario
from tests.cli import parley as run_parley

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures"
NEVER = FIX / "never_offered.yaml"
MINI = FIX / "core_mini.yaml"

RANDOM_KEYS = {
    "runs", "seed", "endings", "outcomes", "node_coverage", "choice_coverage",
    "unvisited_nodes", "unchosen_choices", "trust", "scores", "runs_per_s",
}  # fmt: skip
EXHAUSTIVE_KEYS = {
    "states", "complete", "endings_reachable", "nodes_unreachable", "choices_never_offered",
    "final_trust", "best_scores", "worst_scores",
}  # fmt: skip


def parley(*args: str) -> subprocess.CompletedProcess[str]:
    return run_parley(*args, env={"COLUMNS": "100"})  # the text report at 100 columns


def without_speed(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in ("runs_per_s", "choices_per_s")}


# ---------------------------------------------------------------- the fast runner is the rules


def conversation_autoplay(sc: Scenario, runs: int, seed: int) -> dict[str, Any]:
    """What autoplay must report, computed with Conversation and the same random draws."""
    endings: Counter[str] = Counter()
    stalled: Counter[str] = Counter()
    trust: Counter[int] = Counter()
    scores: dict[str, Counter[int]] = {k: Counter() for k in sc.framework.keys}
    chosen: Counter[str] = Counter()
    nodes: set[str] = set()
    for chunk in range((runs + CHUNK - 1) // CHUNK):
        rng = random.Random(f"{seed}:{chunk}")
        for _ in range(min(CHUNK, runs - chunk * CHUNK)):
            conv = Conversation(sc)
            while offered := conv.offered():
                pick = offered[int(rng.random() * len(offered))] if len(offered) > 1 else offered[0]
                chosen[pick.id] += 1
                conv.choose(pick.id)
            nodes.update(conv.path)
            if conv.ended:
                endings[conv.node.id] += 1
            else:
                stalled[conv.node.id] += 1
            trust[conv.trust] += 1
            for k, v in conv.scores.items():
                scores[k][v] += 1
    return {
        "endings": dict(endings),
        "stalled": dict(stalled),
        "trust": (min(trust), max(trust), sum(v * n for v, n in trust.items())),
        "scores": {
            k: (min(c), max(c), sum(v * n for v, n in c.items())) for k, c in scores.items()
        },
        "chosen": {c: n for c, n in chosen.items()},
        "unvisited": [n for n in sc.nodes if n not in nodes],
    }


@pytest.mark.parametrize("fixture", [NEVER, MINI])
def test_fast_runner_reports_exactly_what_conversation_plays(fixture: Path) -> None:
    sc = load_scenario(fixture)
    runs = 2 * CHUNK + 317  # several chunks, the last one short
    want = conversation_autoplay(sc, runs, seed=7)
    r = autoplay(sc, runs, seed=7)
    assert r.endings == want["endings"]
    assert r.unended.get("stalled", {}) == want["stalled"]
    assert (r.trust.min, r.trust.max, round(r.trust.mean * runs)) == want["trust"]
    for k, (lo, hi, total) in want["scores"].items():
        s = r.scores[k]
        assert (s.min, s.max, round(s.mean * runs)) == (lo, hi, total)
    assert {c: n for c, n in r.choice_counts.items() if n} == want["chosen"]
    assert r.unvisited_nodes == want["unvisited"]


def test_fast_runner_matches_conversation_on_every_bundled_scenario() -> None:
    paths = list_scenarios()
    assert paths, "no bundled scenarios"
    for path in paths:
        sc = load_scenario(path)
        want = conversation_autoplay(sc, 300, seed=3)
        r = autoplay(sc, 300, seed=3)
        assert r.endings == want["endings"], path.name
        assert {c: n for c, n in r.choice_counts.items() if n} == want["chosen"], path.name


# ---------------------------------------------------------------- reports


def test_report_reveals_the_never_offered_choice() -> None:
    r = autoplay(load_scenario(NEVER), 3000, seed=1)
    assert r.unchosen_choices == ["demand_budget"]
    assert r.unvisited_nodes == ["unreached_end"]
    assert set(r.endings) == {"agreed", "refused"}
    assert sum(r.endings.values()) + sum(r.unended["stalled"].values()) == 3000
    assert set(r.unended["stalled"]) == {"weigh"}
    assert r.choice_coverage == pytest.approx(4 / 5)
    assert r.node_coverage == pytest.approx(5 / 6)
    assert (r.trust.min, r.trust.max) == (35, 70)


def test_same_seed_same_report_whatever_jobs() -> None:
    sc = load_scenario(MINI)
    for policy in ("random", "least-used"):
        one = autoplay(sc, 5 * CHUNK + 11, seed=42, policy=policy, jobs=1)
        two = autoplay(sc, 5 * CHUNK + 11, seed=42, policy=policy, jobs=2)
        again = autoplay(sc, 5 * CHUNK + 11, seed=42, policy=policy, jobs=3)
        assert without_speed(one.as_dict()) == without_speed(two.as_dict())
        assert without_speed(one.as_dict()) == without_speed(again.as_dict())
    other = autoplay(sc, 5 * CHUNK + 11, seed=43)
    assert without_speed(other.as_dict()) != without_speed(one.as_dict())


def test_least_used_takes_every_offered_choice_in_turn() -> None:
    sc = load_scenario(NEVER)
    # two plays: the second takes the answers the first did not, at both decisions
    r = autoplay(sc, 2, seed=5, policy="least-used")
    assert r.unchosen_choices == ["demand_budget"]
    assert all(n == 1 for c, n in r.choice_counts.items() if c != "demand_budget")


def test_unfinished_plays_are_counted_not_hung() -> None:
    sc = load_scenario(MINI)
    r = autoplay(sc, 500, seed=1, max_turns=2)
    assert "unfinished" in r.unended
    assert sum(r.endings.values()) + sum(sum(v.values()) for v in r.unended.values()) == 500


@pytest.mark.parametrize("path", list_scenarios(), ids=lambda p: p.stem)
def test_exhaustive_and_random_agree_on_reachable_endings(path: Path) -> None:
    sc = load_scenario(path)
    ex = exhaustive(sc)
    assert ex.exploration.complete
    r = autoplay(sc, 20_000, seed=0)
    assert set(r.endings) == set(ex.exploration.endings_reachable)
    assert set(r.unchosen_choices) >= set(ex.choices_never_offered)
    assert set(r.unvisited_nodes) >= set(ex.nodes_unreachable)


def test_exhaustive_report_on_the_fixture() -> None:
    d = exhaustive(load_scenario(NEVER)).as_dict()
    assert EXHAUSTIVE_KEYS <= set(d)
    assert d["complete"] is True
    assert d["endings_reachable"] == ["agreed", "refused"]
    assert d["nodes_unreachable"] == ["unreached_end"]
    assert d["choices_never_offered"] == ["demand_budget"]
    assert d["final_trust"] == {"min": 35, "max": 70}
    assert d["best_scores"] == {"situation": 0, "options": 2, "recommendation": 1, "engagement": 2}
    assert d["worst_scores"] == {
        "situation": -1, "options": 0, "recommendation": -2, "engagement": 0,
    }  # fmt: skip
    assert (d["best_total"], d["worst_total"]) == (5, -3)


def test_fast_runner_refuses_nothing_conversation_allows() -> None:
    """A play into an automatic loop is a PlayError in Conversation and a 'loop' here."""
    from engine.loader import load_scenario_text

    text = (MINI.read_text(encoding="utf-8")
            .replace("      - to: meh_end", "      - to: spin\n  spin:\n    text: Round.\n"
                     "    next:\n      - to: react"))  # fmt: skip
    sc = load_scenario_text(text, "loop.yaml")
    with pytest.raises(PlayError):
        Conversation.replay(sc, ["cave"])  # trust 25, caved: falls through to spin
    r = autoplay(sc, 200, seed=1)
    assert "loop" in r.unended


# ---------------------------------------------------------------- the command


def test_cli_json_has_the_contract_keys() -> None:
    res = parley("autoplay", str(NEVER), "--runs", "2000", "--seed", "3", "--json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert RANDOM_KEYS <= set(d)
    assert d["runs"] == 2000 and d["seed"] == 3
    assert d["unchosen_choices"] == ["demand_budget"]
    assert set(d["trust"]) == {"min", "mean", "max"}
    assert set(d["scores"]) == {"situation", "options", "recommendation", "engagement"}
    assert sum(d["outcomes"].values()) == sum(d["endings"].values())
    assert res.stderr == ""  # no progress bar when piped


def test_cli_text_report_names_what_was_never_chosen() -> None:
    res = parley("autoplay", str(NEVER), "--runs", "3000", "--policy", "least-used")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "3,000 random plays" in out
    assert "choices never chosen: demand_budget" in out
    assert "nodes never reached: unreached_end" in out
    assert "stalled (no `next` branch held) at weigh" in out
    assert "Trust at the end: min 35" in out
    assert "70-79" in out  # the histogram
    assert res.stderr == ""


def test_cli_exhaustive_text_and_json() -> None:
    res = parley("autoplay", str(NEVER), "--exhaustive")
    assert res.returncode == 0, res.stderr
    assert "(complete)" in res.stdout
    assert "demand_budget (when: trust >= 80)" in res.stdout
    assert "never_offered.yaml:" in res.stdout
    assert "Best play (+5, final trust 70): listen, propose" in res.stdout
    res = parley("autoplay", str(MINI), "--exhaustive", "--max-states", "5", "--json")
    d = json.loads(res.stdout)
    assert d["complete"] is False and d["max_states"] == 5 and d["states"] == 5


def test_cli_same_seed_same_json_whatever_jobs() -> None:
    a = parley("autoplay", str(MINI), "--runs", "3000", "--seed", "9", "--json", "--jobs", "1")
    b = parley("autoplay", str(MINI), "--runs", "3000", "--seed", "9", "--json", "--jobs", "2")
    assert without_speed(json.loads(a.stdout)) == without_speed(json.loads(b.stdout))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["autoplay", "no-such-scenario"], "no scenario file or bundled scenario"),
        (["autoplay", str(NEVER), "--runs", "0"], "--runs"),
        (["autoplay", str(NEVER), "--policy", "smart"], "--policy"),
    ],
)
def test_cli_user_errors_are_short_and_exit_2(args: list[str], needle: str) -> None:
    res = parley(*args)
    assert res.returncode == 2
    assert needle in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) <= 4


def test_synthetic_generator_writes_a_valid_scenario(tmp_path: Path) -> None:
    """bench/gen_scenario.py (used by the benches): loads, ends, and autoplay covers it."""
    out = tmp_path / "syn.yaml"
    res = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_scenario.py"), "--nodes", "120", "-o", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    sc = load_scenario(out)
    assert len(sc.nodes) == 120
    assert all(len(n.choices) == 3 for n in sc.nodes.values() if n.kind == "choices")
    assert sc.flags and sc.requires
    ex = exhaustive(sc)
    assert ex.exploration.complete and not ex.exploration.stall_nodes
    assert ex.endings_unreachable == []
    r = autoplay(sc, 5000, seed=1)
    assert set(r.endings) == set(ex.exploration.endings_reachable)
    assert r.unended == {}
