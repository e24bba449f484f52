"""Hostile and broken input: the loader and the checker only ever return findings or raise
ParleyError — never any other exception (which would reach a user as a traceback)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check import check_file, check_scenario
from engine.diagnostics import CODES, Diagnostic
from engine.errors import ParleyError
from engine.loader import load_scenario_bytes

HERE = Path(__file__).parent
SCENARIO_DIR = HERE.parent / "scenarios"
SOURCES = [HERE / "fixtures" / "check" / "valid.yaml", *sorted(SCENARIO_DIR.glob("*.yaml"))[:3]]
BASES: list[tuple[bytes, Any]] = [
    (p.read_bytes(), yaml.safe_load(p.read_text(encoding="utf-8"))) for p in SOURCES
]

SETTINGS = settings(
    max_examples=150,
    deadline=None,  # no timing in tests
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
# condition-like strings: pieces of the language, and of things that are not in it
TOKENS = [
    "trust",
    "trust_level",
    "hierarchy",
    "turns",
    "testing_cut",
    "visited('opening')",
    "chose('cave')",
    "chose('nope')",
    "visited(",
    "'peer'",
    "'boss'",
    ">=",
    "==",
    "<",
    "!=",
    "and",
    "or",
    "not",
    "(",
    ")",
    "50",
    "-3",
    "1e400",
    "true",
    "x.y",
    "a[0]",
    "lambda: 1",
    "__import__('os')",
    "f'{1}'",
    "1 + 1",
    "[]",
    "{}",
    "**",
    ";",
    "\\",
    '"',
    "\n",
    "\x00",
    " if ",
    "else",
    "in",
    "is",
    ":=",
    "…",
    "'" * 3,
]
conditions = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join),
    st.text(max_size=40),
    st.text(alphabet="()notandor ", max_size=400),  # deep nesting
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        data = data[p]
    return data


@st.composite
def mutants(draw: st.DrawFn) -> bytes:
    """A valid scenario with a few mutations, serialised back to YAML."""
    _, base = draw(st.sampled_from(BASES))
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        key = path[-1]
        op = draw(
            st.sampled_from(["drop", "retype", "reference", "condition", "unknown_key", "dup"])
        )
        if op == "drop":
            del parent[key]
        elif op == "retype":
            parent[key] = draw(values)
        elif op == "reference":
            parent[key] = draw(st.sampled_from(["opening", "nowhere", "", "you", "cave", "peer"]))
        elif op == "condition":
            if isinstance(parent, dict):
                parent["when"] = draw(conditions)
            else:
                parent[key] = {"when": draw(conditions), "to": "opening"}
        elif op == "unknown_key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        elif op == "dup" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """A valid file with random bytes inserted, replaced or cut."""
    raw, _ = draw(st.sampled_from(BASES))
    data = bytearray(raw)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        chunk = draw(st.binary(min_size=1, max_size=12))
        op = draw(st.sampled_from(["insert", "replace", "cut"]))
        if op == "insert":
            data[at:at] = chunk
        elif op == "replace":
            data[at : at + len(chunk)] = chunk
        else:
            del data[at : at + len(chunk)]
    return bytes(data)


def _only_findings_or_parley_errors(data: bytes) -> list[Diagnostic]:
    try:
        scenario = load_scenario_bytes(data, "mutant.yaml", base_dir=SCENARIO_DIR)
    except ParleyError as exc:
        diags = getattr(exc, "diagnostics", None) or []
        assert str(exc)  # printable, as the CLI prints it
        for d in diags:
            assert d.code in CODES and d.location.file == "mutant.yaml"
            assert d.location.line >= 0 and d.location.col >= 0
        return list(diags)
    found = check_scenario(scenario, max_states=20_000)
    for d in found:
        assert d.code in CODES and d.location.line >= 1
        assert d.format().startswith("mutant.yaml:")
    return found


@pytest.mark.slow
@SETTINGS
@given(mutants())
def test_mutated_scenarios(data: bytes) -> None:
    _only_findings_or_parley_errors(data)


@SETTINGS
@given(damaged_bytes())
def test_random_bytes(data: bytes) -> None:
    _only_findings_or_parley_errors(data)


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_input(data: bytes) -> None:
    _only_findings_or_parley_errors(data)


@SETTINGS
@given(conditions)
def test_random_conditions_in_a_valid_file(condition: str) -> None:
    raw = BASES[0][0].decode("utf-8")
    text = raw.replace('"trust >= 50"', yaml.safe_dump(condition, width=10**6).strip(), 1)
    _only_findings_or_parley_errors(text.encode("utf-8"))


def test_hostile_files_through_check_file(tmp_path: Path) -> None:
    cases = {
        "deep.yaml": b"a: " + b"[" * 5000,
        "aliases.yaml": b"a: &x [1, 2]\nb: *x\n",
        "nul.yaml": b"format: 1\x00\n",
        "latin1.yaml": "title: caf\xe9\n".encode("latin-1"),
        "control.yaml": b"format: 1\nid: a\x07b\n",
        "tags.yaml": b"format: !!python/object:os.system 1\n",
        "two_docs.yaml": b"a: 1\n---\nb: 2\n",
        "empty.yaml": b"# nothing\n",
        "list.yaml": b"- 1\n- 2\n",
        "huge.yaml": b"a: '" + b"x" * (3 * 1024 * 1024) + b"'\n",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        found = check_file(path)
        assert found and all(d.code in CODES for d in found), name
        assert all(d.location.file == str(path) for d in found), name


def _reference_read(text: str) -> tuple[Any, Any, Any] | None:
    from engine.yamlsafe import SourceMap, _BoundedLoader, _convert

    try:
        loader = _BoundedLoader(text, "f.yaml")
        root = loader.get_single_node()
        if root is None:
            return None
        smap = SourceMap("f.yaml")
        return _convert(loader, root, (), smap), smap.keys, smap.values
    except Exception:
        return None


@pytest.mark.slow
@SETTINGS
@given(st.one_of(mutants(), damaged_bytes()))
def test_fast_reader_reads_exactly_as_the_reference_reader(data: bytes) -> None:
    """Whenever both readers accept a file, the libyaml fast path gives exactly the data and
    source map of the pure-Python reader (or hands over to it)."""
    from engine.yamlsafe import _ODD_CHARS, _fast_read, _Retry

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if "\x00" in text or _ODD_CHARS.search(text):  # read_yaml sends these to the reference
        return
    try:
        fast = _fast_read(text, "f.yaml")
    except _Retry:
        return  # the reference reader reports it
    ref = _reference_read(text)
    if ref is None:
        # libyaml is more lenient than PyYAML in a few corners of the syntax (`|#`, a tab
        # after a value); such a file loads, and is still bounded, alias- and tag-free
        return
    value, keys, values = ref
    assert repr(fast[0]) == repr(value)  # repr: NaN equals itself
    assert fast[1].keys == keys and fast[1].values == values
