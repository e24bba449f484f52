"""The tells linter (engine/tells.py, `parley check --tells`) and difficulty evidence
(engine/difficulty.py, P228) on hand-made fixtures whose answers are known."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.check import check_paths
from engine.difficulty import expected_level, measure
from engine.loader import load_scenario, load_scenario_text
from engine.tells import (
    TellsDataError,
    config_for,
    load_tells_config,
    scenario_stats,
    tells_findings,
)
from tests.cli import parley

HERE = Path(__file__).resolve().parent
DEMO = HERE / "fixtures" / "tells" / "tells_demo.yaml"
LIBRARY = HERE.parent / "scenarios"


def _codes(found: list, lang: str) -> list[tuple[str, str]]:
    return sorted(
        (d.code, d.message.split("'")[1] if "' " in d.message else "")
        for d in found
        if d.message.startswith(f"[{lang}]")
    )


def test_per_decision_tells_in_english() -> None:
    found = tells_findings(load_scenario(DEMO))
    per_decision = [c for c in _codes(found, "en") if c[0] in ("P220", "P221", "P222")]
    assert per_decision == [("P220", "a"), ("P221", "a"), ("P222", "a")]


def test_tells_are_per_language() -> None:
    # in Dutch the best opening answer is a statement: no P220 there, the rest stays
    found = tells_findings(load_scenario(DEMO))
    per_decision = [c for c in _codes(found, "nl") if c[0] in ("P220", "P221", "P222")]
    assert per_decision == [("P221", "a"), ("P222", "a")]


def test_scenario_shares_have_known_values() -> None:
    sc = load_scenario(DEMO)
    s = scenario_stats(sc, "en")
    assert (s.decisions, s.counted) == (3, 2)
    assert s.best_longest == 0.5  # a yes, b no
    assert s.best_top_two == 0.5
    assert s.worst_longest == 0.5  # b's worst is the longest
    assert s.best_positions == {1: 2, 3: 1}
    assert s.partly_right == pytest.approx(1 / 3)  # only b
    assert s.one_right == pytest.approx(2 / 3)
    assert s.opening_question is True
    # the rule: a -> only unhedged (hit); b -> second-longest b_partly (miss);
    # c -> both ask, second-longest is c_other (miss)
    assert s.rule_hit == pytest.approx(1 / 3)
    assert s.chance == pytest.approx((1 / 3 + 1 / 3 + 1 / 2) / 3)
    assert scenario_stats(sc, "nl").opening_question is False


def test_scenario_findings_against_thresholds() -> None:
    found = tells_findings(load_scenario(DEMO))
    scenario_level = sorted({(d.code, d.message[:4]) for d in found if d.code >= "P223"})
    assert scenario_level == [
        ("P223", "[en]"),
        ("P223", "[nl]"),
        ("P226", "[en]"),
        ("P226", "[nl]"),
        ("P227", "[en]"),
        ("P227", "[nl]"),
    ]


def test_hedges_match_whole_words_only() -> None:
    pattern = load_tells_config().hedge_pattern("en")
    assert pattern is not None
    assert pattern.search("I just think so")
    assert pattern.search("To  be\nhonest, no")
    assert not pattern.search("That is a justified request")
    sv = load_tells_config().hedge_pattern("sv")
    assert sv is not None and sv.search("Det är bara så") and not sv.search("barack")


def test_local_tells_file_overrides_thresholds_and_hedges(tmp_path: Path) -> None:
    shutil.copy(DEMO, tmp_path / "demo.yaml")
    (tmp_path / "tells").mkdir()
    (tmp_path / "tells" / "tells.yaml").write_text(
        "format: 1\n"
        "thresholds: {best_longest: 0.6, worst_longest: 0.6, partly_right: 0.2}\n"
        "hedges: {en: [fine], nl: []}\n",
        encoding="utf-8",
    )
    sc = load_scenario(tmp_path / "demo.yaml")
    assert config_for(sc).thresholds.best_longest == 0.6
    codes = {d.code for d in tells_findings(sc)}
    assert codes == {"P220", "P222"}  # 'just' is no hedge word here; shares within limits


def test_broken_tells_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "tells.yaml"
    bad.write_text("format: 1\nthresholds: {best_longest: 2}\n", encoding="utf-8")
    with pytest.raises(TellsDataError) as err:
        load_tells_config(bad)
    assert "thresholds.best_longest" in err.value.message


def test_check_without_tells_finds_none() -> None:
    assert not [d for d in check_paths([DEMO]).diagnostics if d.code.startswith("P22")]
    report = check_paths([DEMO], tells=True, strict=True)
    assert report.errors == 11


def test_cli_check_tells_prints_the_table() -> None:
    r = parley("check", "--tells", str(DEMO))
    assert r.returncode == 0, r.stderr
    rows = [line for line in r.stdout.splitlines() if line.startswith("tells-demo")]
    assert rows == [
        "tells-demo             en   3    50 %!        50 %       50 %!         1: 67 %   67 %"
        "      33 %!   yes     33 %/39 %",
        "tells-demo             nl   3    50 %!        50 %       50 %!         1: 67 %   67 %"
        "      33 %!   no      33 %/39 %",
    ]
    assert "openings not won by a question: 1 of 2" in r.stdout


def test_cli_check_tells_json() -> None:
    r = parley("check", "--tells", "--format", "json", str(DEMO))
    doc = json.loads(r.stdout)
    assert [t["lang"] for t in doc["tells"]] == ["en", "nl"]
    assert doc["tells"][0]["rule_hit"] == pytest.approx(1 / 3, abs=1e-4)
    assert {f["code"] for f in doc["findings"]} >= {"P220", "P221", "P222"}


def test_check_skips_the_tells_data_folder() -> None:
    files = check_paths([LIBRARY]).files
    assert not [f for f in files if Path(f).parent.name == "tells"]
    assert "tells.yaml" not in {Path(f).name for f in files}


# ---------------------------------------------------------------- difficulty


def test_random_play_is_measured_exactly() -> None:
    d = measure(load_scenario(DEMO))
    assert d.random_success == pytest.approx(1.0)  # every route ends in success
    assert d.early_endings == 1.0 and d.shortest == 3


def test_bands() -> None:
    assert expected_level(0.25, 0.1) == 1
    assert expected_level(0.05, 0.1) == 2
    assert expected_level(0.005, 0.1) == 3
    assert expected_level(0.05, 0.6) == 3  # unforgiving: one level up
    assert expected_level(0.5, 0.6) == 2


def test_p228_when_the_label_disagrees() -> None:
    path = LIBRARY / "budget-cut.yaml"
    text = path.read_text(encoding="utf-8").replace("\ndifficulty: 2", "\ndifficulty: 1", 1)
    sc = load_scenario_text(text, str(path), path.parent)
    from engine.difficulty import difficulty_findings

    found = difficulty_findings(sc)
    assert [d.code for d in found] == ["P228"]
    assert "declared difficulty 1, but the evidence says 2" in found[0].message
    assert difficulty_findings(load_scenario(path)) == []


def test_small_scenarios_are_not_judged() -> None:
    from engine.difficulty import difficulty_findings

    assert difficulty_findings(load_scenario(DEMO)) == []  # 3 decisions, declared 2, plays 1


def test_autoplay_reports_the_difficulty_evidence() -> None:
    r = parley("autoplay", "stuck-delivery", "--runs", "200", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)["difficulty"]
    assert d["declared"] == d["expected"] == 3
    assert 0 < d["random_success"] < 0.01
    text = parley("autoplay", "stuck-delivery", "--runs", "200").stdout
    assert "Difficulty: declared 3, agrees" in text
    assert "of the 12 endings can be reached within 3 answers" in text
