"""A large hostile file is refused from libyaml's one fast reading, never after a second,
pure-Python reading of the whole file (which takes ~100 KB/s: 15 s for 400 KB) (#16
class 6). The speed itself is measured in bench/refusal_bench.py; this test proves the
slow path is not taken, for problems generated anywhere in a large file."""

from __future__ import annotations

import random

import pytest

from engine import yamlsafe
from engine.yamlsafe import EXACT_MESSAGES_UP_TO, MAX_NODES, YamlProblem, read_yaml
from tests.hardening.scenarios import next_chain

PROBLEMS = {
    "syntax error": ("  oops: [unclosed\n", "P101"),
    "tab": ("\tbad: 1\n", "P101"),
    "duplicate node": ("  n5:\n    text: x\n", "P120"),
    "alias": ("  zz: *a\n", "P103"),
    "anchor": ("  zz: &a x\n", "P103"),
    "tag": ("  zz: !!python/object:os.system x\n", "P101"),
    "lone surrogate": ('  zz: "\\udc00"\n', "P105"),
    "long number": (f"  zz: {'7' * 400}\n", "P112"),
    "deep": ("  zz: " + "[" * 80 + "]" * 80 + "\n", "P104"),
}


@pytest.fixture
def no_second_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise AssertionError("a large file was read a second time, in pure Python")

    monkeypatch.setattr(yamlsafe, "_BoundedLoader", slow)


@pytest.mark.usefixtures("no_second_reading")
@pytest.mark.parametrize("what", sorted(PROBLEMS))
def test_a_problem_late_in_a_large_file_is_refused_at_once(what: str) -> None:
    rng = random.Random(what)
    body = next_chain(rng.randint(1500, 7000))  # 80 to 370 KB
    assert len(body) > EXACT_MESSAGES_UP_TO
    tail, code = PROBLEMS[what]
    lines = body.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  n")]  # node keys
    at = rng.choice(starts[len(starts) * 3 // 4 :])  # between two nodes, late in the file
    text = "".join(lines[:at]) + tail + "".join(lines[at:])
    with pytest.raises(YamlProblem) as info:
        read_yaml(text.encode(), "big.yaml")
    found = info.value.diagnostic
    assert found.code == code, found.format()
    assert found.location.line >= at * 3 // 4, found.format()  # where it is, near the end


@pytest.mark.usefixtures("no_second_reading")
def test_a_file_just_over_the_value_limit_is_refused_at_once() -> None:
    extra = random.Random(6).randint(1, 5000)
    text = "x: [" + ",".join("0" for _ in range(MAX_NODES + extra)) + "]\n"
    with pytest.raises(YamlProblem) as info:
        read_yaml(text.encode(), "values.yaml")
    assert info.value.diagnostic.code == "P102"


def test_small_files_keep_the_reference_messages() -> None:
    with pytest.raises(YamlProblem) as info:
        read_yaml(b"a: [1\n", "small.yaml")
    assert "expected ',' or ']', but got '<stream end>'" in info.value.diagnostic.message
