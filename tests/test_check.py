"""`parley check`: warnings (P2xx) at the right line, exit codes, --strict, --format json."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.check import check_paths, check_scenario
from engine.diagnostics import CODES, Severity
from engine.loader import load_scenario
from simulator.cli.main import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "check"
SCENARIOS = HERE.parent / "scenarios"
VALID = FIXTURES / "valid.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`parley ARGS` in this process, as a user runs it: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def markers(path: Path) -> set[tuple[str, int]]:
    """{(code, line)} of every `# <- CODE` marker in a fixture."""
    found = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for m in re.finditer(r"# <- (P\d{3})", line):
            found.add((m.group(1), n))
    return found


def findings(out: str) -> set[tuple[str, int]]:
    """{(code, line)} of every finding printed by `parley check`."""
    return {
        (m.group(3), int(m.group(1)))
        for m in re.finditer(r"^[^\s:]+:(\d+):(\d+): \w+\[(P\d{3})\]", out, re.M)
    }


WARNINGS = {
    "unreachable": "P201 a node no path from start reaches",
    "trap": "P202 nodes from which no ending is reachable",
    "unreachable_ending": "P203 an ending no path reaches",
    "stall": "P204 a `next` whose last entry has a `when`",
    "stall_reached": "P210 a play that really stalls (and what it cuts off)",
    "never_offered": "P205 a choice whose `when` never holds",
    "no_scores": "P207 a choice without scores where others have them",
    "no_feedback": "P208 a choice without feedback where others have it",
    "ending_no_play": "P209 an ending no play reaches",
    "node_no_play": "P212 a node no play reaches",
}


@pytest.mark.parametrize("name", sorted(WARNINGS), ids=sorted(WARNINGS))
def test_warning_is_reported_at_its_line_and_nothing_else(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = FIXTURES / f"warn_{name}.yaml"
    want = markers(path)
    assert want, f"{path} has no markers"
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0, out  # warnings alone do not fail
    assert findings(out) == want, out
    assert all(f"warning[{code}]" in out for code, _ in want)
    n = len(want)
    assert out.rstrip().splitlines()[-1] == (
        f"checked 1 file: 0 errors, {n} warning{'' if n == 1 else 's'}"
    )


@pytest.mark.parametrize("name", sorted(WARNINGS), ids=sorted(WARNINGS))
def test_strict_turns_warnings_into_errors(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / f"warn_{name}.yaml"
    status, out, _ = run(capsys, "check", "--strict", str(path))
    assert status == 1
    assert "warning[" not in out and "error[P2" in out


def test_missing_translation_names_each_text(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "warn_translation.yaml"
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0
    got = findings(out)
    assert ("P206", 36) in got
    assert {code for code, _ in got} == {"P206"}
    assert "the text of 'show_risk' has no nl translation (it has en)" in out
    # the one text that has both languages is not reported
    bilingual = next(n for n, t in enumerate(path.read_text().splitlines(), start=1) if "nl: " in t)
    assert ("P206", bilingual) not in got


def test_valid_fixture_and_bundled_scenarios_pass_strict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "check", "--strict", str(VALID), str(SCENARIOS))
    assert status == 0, out
    assert re.search(r"^checked \d+ files: 0 errors, 0 warnings$", out, re.M), out


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "check", str(VALID))[0] == 0
    assert run(capsys, "check", str(FIXTURES / "err_speaker.yaml"))[0] == 1
    status, _, err = run(capsys, "check", str(tmp_path / "missing.yaml"))
    assert status == 2 and "no such file or folder" in err
    status, _, err = run(capsys, "check")
    assert status == 2 and "Usage:" in err


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "warn_stall_reached.yaml"
    status, out, err = run(capsys, "check", "--format", "json", str(path))
    assert status == 0
    data = json.loads(out)
    assert {(d["code"], d["line"]) for d in data} == markers(path)
    first = data[0]
    assert set(first) == {"file", "line", "col", "severity", "code", "message", "hint"}
    assert first["file"] == str(path) and first["severity"] == "warning" and first["col"] > 0
    assert "checked 1 file: 0 errors, 4 warnings" in err  # the summary stays off stdout


def test_folders_are_searched_and_frameworks_checked_as_frameworks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "deep" / "frameworks").mkdir(parents=True)
    shutil.copy(VALID, tmp_path / "deep" / "one.yaml")
    (tmp_path / "deep" / "notes.txt").write_text("not yaml: [")
    (tmp_path / "deep" / "frameworks" / "mine.yaml").write_text(
        "format: 1\nid: mine\nname: Mine\ndimensions:\n  - key: Bad Key\n"
        "    label: x\n    question: y\n"
    )
    status, out, _ = run(capsys, "check", str(tmp_path))
    assert status == 1
    assert re.search(r"frameworks/mine\.yaml:5:\d+: error\[P112\]", out), out
    assert out.rstrip().endswith("checked 2 files: 1 error, 0 warnings")


def test_incomplete_exploration_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "warn_never_offered.yaml"
    status, out, _ = run(capsys, "check", "--max-states", "2", str(path))
    assert status == 0
    assert "info[P211]: state exploration stopped at 2 states" in out
    # without every state, "never offered" cannot be claimed
    assert "P205" not in out.replace("(P205", "")
    status, out, _ = run(capsys, "check", "--strict", "--max-states", "2", str(VALID))
    assert status == 0  # an incomplete analysis is information, not a failure


def test_check_scenario_api_returns_sorted_diagnostics() -> None:
    sc = load_scenario(FIXTURES / "warn_trap.yaml")
    found = check_scenario(sc)
    assert [d.code for d in found] == ["P202", "P202"]
    assert [d.location.line for d in found] == sorted(d.location.line for d in found)
    report = check_paths([FIXTURES / "warn_trap.yaml"], strict=True)
    assert report.errors == 2 and report.warnings == 0 and not report.ok


def test_every_code_is_documented() -> None:
    doc = (HERE.parent / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code, info in CODES.items():
        heading = re.search(rf"^### {code} .+$", doc, re.M)
        assert heading, f"{code} is not in docs/diagnostics.md"
        section = doc[heading.end() :].split("\n### ", 1)[0]
        assert "**Fix:**" in section, f"{code} has no fix in the docs"
        assert (
            info.title.split()[0].strip("`") in heading.group(0) or info.severity is Severity.INFO
        )
    documented = set(re.findall(r"^### (P\d{3}) ", doc, re.M))
    assert documented == set(CODES) | {"P300", "P310"}


def test_the_catalogue_and_the_docs_agree_and_each_code_means_one_fault() -> None:
    """engine/diagnostics.py and docs/diagnostics.md name each code with the same title,
    and every load error or warning code the engine writes is in the catalogue."""
    doc = (HERE.parent / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code, info in CODES.items():
        assert f"### {code} {info.title}\n" in doc, f"{code}: docs heading differs from catalogue"
    used: set[str] = set()
    for path in (HERE.parent / "engine").rglob("*.py"):
        used |= set(re.findall(r'"(P[12]\d\d)"', path.read_text(encoding="utf-8")))
    assert used <= set(CODES), sorted(used - set(CODES))
    # P112 was once six faults; now the wrong-type check of the file format only
    loading = ("loader.py", "load_common.py", "framework_loader.py")
    texts = [(HERE.parent / "engine" / f).read_text(encoding="utf-8") for f in loading]
    assert sum(t.count('"P112"') for t in texts) == 1


# ------------------------------------------------------------ the exploration is exact


def _generated(nodes: int, seed: int, loops: float = 0.0) -> str | None:
    import importlib.util

    path = HERE.parent / "bench" / "gen_scenario.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("gen_scenario", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_scenario", mod)  # its dataclasses look themselves up there
    spec.loader.exec_module(mod)
    return str(mod.to_yaml(mod.generate(nodes, seed=seed, loops=loops)))


SAMPLES = [
    *sorted(SCENARIOS.glob("*.yaml")),
    *sorted(FIXTURES.glob("warn_*.yaml")),
    *sorted(p for p in (HERE / "fixtures").glob("*.yaml") if p.name != "tui_broken.yaml"),
]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_reach_agrees_with_the_explorer(path: Path) -> None:
    from engine.errors import ScenarioLoadError
    from engine.explore import explore
    from engine.reach import reach

    try:
        sc = load_scenario(path)
    except ScenarioLoadError:
        pytest.skip(f"{path.name} does not load, so there is nothing to explore.")
    ex, r = explore(sc), reach(sc)
    assert r.complete == ex.complete
    assert r.nodes_reached == ex.nodes_reached
    assert r.choices_offered == ex.choices_offered
    assert r.endings_reachable == ex.endings_reachable
    assert r.stall_nodes == ex.stall_nodes


@pytest.mark.parametrize(
    ("nodes", "seed", "loops"),
    [(60, 1, 0.0), (200, 2, 0.0), (400, 3, 0.0), (60, 4, 0.3), (150, 5, 0.15)],
)
def test_reach_agrees_with_the_explorer_on_generated_scenarios(
    nodes: int, seed: int, loops: float
) -> None:
    """reach's trust sets (a named specialisation of the rules kernel) against the
    explorer (a driver over the kernel), on stories with and without loops."""
    from engine.explore import explore
    from engine.loader import load_scenario_text
    from engine.reach import reach

    text = _generated(nodes, seed, loops)
    if text is None:
        pytest.skip("bench/gen_scenario.py is not there to generate the scenario.")
    sc = load_scenario_text(text, base_dir=SCENARIOS)
    ex, r = explore(sc), reach(sc)
    assert (r.nodes_reached, r.choices_offered, r.endings_reachable, r.stall_nodes) == (
        ex.nodes_reached,
        ex.choices_offered,
        ex.endings_reachable,
        ex.stall_nodes,
    )
    # and when the bound cuts it short, it says so
    small = reach(sc, max_states=10)
    assert not small.complete and small.states <= 10


@given(
    st.sets(st.integers(min_value=0, max_value=100), max_size=12),
    st.one_of(st.integers(min_value=-150, max_value=150), st.sampled_from([10**12, -(10**12)])),
)
def test_trust_sets_move_as_the_rules_clamp(values: set[int], delta: int) -> None:
    from engine.reach import _shift
    from engine.rules import clamp_trust

    mask = sum(1 << v for v in values)
    moved = {t for t in range(101) if _shift(mask, delta) >> t & 1}
    assert moved == {clamp_trust(v + delta) for v in values}


def test_the_checker_runs_named_passes_that_cover_every_warning_code() -> None:
    from engine.check import CHECK_PASSES
    from engine.loader import LOADER_PASSES

    names = [p.name for p in CHECK_PASSES]
    assert len(set(names)) == len(names)
    covered = {code for p in CHECK_PASSES for code in p.codes}
    warnings = {c for c in CODES if c.startswith("P2")}
    assert covered == warnings
    assert LOADER_PASSES[0] == "read" and LOADER_PASSES[-1] == "model"
