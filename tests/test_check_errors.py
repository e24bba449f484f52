"""Every load error in the format's list is reported by `parley check` at the right line.

Each fixture in tests/fixtures/check/err_*.yaml is the valid fixture with one mistake, on
the line marked `# <- CODE`. Files written by colleagues (scenarios/*.yaml) are broken
the same way in a temporary copy, and the line is computed from where the edit landed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from simulator.cli.main import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "check"
SCENARIOS = HERE.parent / "scenarios"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`parley ARGS` in this process, as a user runs it: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def marked(path: Path) -> tuple[str, int]:
    """(code, line) of the `# <- CODE` marker in a fixture."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.search(r"# <- (P\d{3})", line)
        if m:
            return m.group(1), n
    raise AssertionError(f"{path} has no marker")


# one fixture per error in the spec's list ("What the checker must find")
SPEC_ERRORS = {
    "yaml_syntax": "YAML syntax",
    "wrong_type": "wrong type (top level)",
    "wrong_type_trust": "wrong type (nested in a flow mapping)",
    "wrong_type_flag": "wrong type for a flag (fits no member of bool | number | text)",
    "unknown_key": "unknown key, with did-you-mean",
    "duplicate_node": "duplicate node id",
    "duplicate_choice": "duplicate choice id",
    "start_missing": "start naming no node",
    "to_missing": "a choice's `to` naming no node",
    "next_to_missing": "a `next` branch's `to` naming no node",
    "node_no_kind": "a node with none of choices/next/ending",
    "node_two_kinds": "a node with more than one of choices/next/ending",
    "speaker": "speaker not in characters",
    "condition_parse": "condition that does not parse",
    "condition_name": "condition naming an unknown name",
    "condition_ref": "condition naming an unknown choice",
    "condition_rung": "condition naming a rung not on the ladder",
    "condition_other": "condition calling a function the language lacks",
    "sore_key": "SORE key not in the framework",
    "score_range": "score outside -2..2",
    "rung": "hierarchy effect naming a rung not on the ladder",
    "rung_requires": "requires naming a rung not on the ladder",
    "trust_levels": "trust levels not ascending",
    "framework_missing": "framework not found",
}


@pytest.mark.parametrize("name", sorted(SPEC_ERRORS), ids=sorted(SPEC_ERRORS))
def test_spec_error_is_reported_at_its_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / f"err_{name}.yaml"
    code, line = marked(path)
    status, out, _ = run(capsys, "check", str(path))
    assert status == 1, out
    expected = re.compile(rf"^{re.escape(str(path))}:{line}:\d+: error\[{code}\]: ", re.M)
    assert expected.search(out), f"want {code} at line {line}, got:\n{out}"
    # the first finding printed is the one the author has to fix
    assert out.splitlines()[0].startswith(f"{path}:{line}:")
    assert "Traceback" not in out
    assert out.rstrip().splitlines()[-1].startswith("checked 1 file: ")


def test_a_flag_of_the_wrong_type_is_one_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", str(FIXTURES / "err_wrong_type_flag.yaml"))
    assert status == 1
    assert out.count("error[P114]") == 1
    assert "set.testing_cut: expected true/false, a number or a text (got [1])" in out


def test_did_you_mean_hints(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", str(FIXTURES / "err_unknown_key.yaml"))
    assert "unknown key 'txet'" in out and "hint: did you mean 'text'?" in out
    _, out, _ = run(capsys, "check", str(FIXTURES / "err_to_missing.yaml"))
    assert "hint: did you mean 'agreed'?" in out
    _, out, _ = run(capsys, "check", str(FIXTURES / "err_sore_key.yaml"))
    assert "hint: did you mean 'recommendation'?" in out


def test_duplicate_node_names_both_lines(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "err_duplicate_node.yaml"
    _, out, _ = run(capsys, "check", str(path))
    first = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), start=1)
        if text.startswith("  listening:")
    )
    assert "'listening'" in out and f"first at line {first}" in out


# ------------------------------------------------------------ files we did not write

BUNDLED = sorted(p for p in SCENARIOS.glob("*.yaml"))

# (name, regex on a line of the file, replacement for the matched group 1, expected code)
MUTATIONS = [
    ("to", r"^\s+(?:- )?to: (\S+)\s*$", "no_such_node", "P123"),
    ("speaker", r"^\s+speaker: (\S+)\s*$", "nobody", "P125"),
    ("condition", r"""when: ["']?(.+?)["']?\s*$""", "trust >= = 5", "P130"),
    ("score", r"^\s+sore: \{ ?(\w+): ", "situaton", "P140"),
    ("outcome", r"^\s+outcome: (\w+)\s*$", "victory", "P112"),
]


def _mutate(text: str, pattern: str, replacement: str) -> tuple[str, int] | None:
    lines = text.splitlines(keepends=True)
    rx = re.compile(pattern)
    for n, line in enumerate(lines):
        m = rx.search(line)
        if m:
            lines[n] = line[: m.start(1)] + replacement + line[m.end(1) :]
            return "".join(lines), n + 1
    return None


# Only the pairs where the scenario has a line to edit (a skip per missing line would be noise).
EDITS = [
    pytest.param(scenario, mutation, id=f"{scenario.stem}-{mutation[0]}")
    for mutation in MUTATIONS
    for scenario in BUNDLED
    if _mutate(scenario.read_text(encoding="utf-8"), mutation[1], mutation[2]) is not None
]


def test_every_edit_applies_to_some_bundled_scenario() -> None:
    applied = {param.values[1][0] for param in EDITS}  # type: ignore[index]
    assert applied == {m[0] for m in MUTATIONS}


@pytest.mark.parametrize(("scenario", "mutation"), EDITS)
def test_errors_in_bundled_scenarios_point_at_the_edit(
    scenario: Path,
    mutation: tuple[str, str, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, pattern, replacement, code = mutation
    result = _mutate(scenario.read_text(encoding="utf-8"), pattern, replacement)
    assert result is not None
    text, line = result
    target = tmp_path / scenario.name
    target.write_text(text, encoding="utf-8")
    if (SCENARIOS / "frameworks").is_dir():
        shutil.copytree(SCENARIOS / "frameworks", tmp_path / "frameworks")
    status, out, _ = run(capsys, "check", str(target))
    assert status == 1
    assert re.search(rf"^{re.escape(str(target))}:{line}:\d+: error\[{code}\]", out, re.M), out
