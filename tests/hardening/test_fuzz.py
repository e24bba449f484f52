"""Fuzzing the untrusted inputs: scenario text, saves, names and command-line arguments
(#16 "Done when"). Whatever hypothesis generates, Parley answers with a ParleyError (a
message) or a result: never an "internal error", never an uncaught exception.

Bounded in time: a fixed number of examples each, no deadline per example (the machine
may be busy); marked slow so a quick run (-m 'not slow') leaves it out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.check import check_scenario
from engine.conversation import Conversation
from engine.errors import ParleyError, SaveError
from engine.loader import load_scenario_text
from engine.records import open_store
from engine.report import build_report
from engine.report_render import render
from engine.textsafety import control_chars, csv_cell, md_text, visible
from simulator.recording import Recorder
from simulator.saves import read_save, save_info, save_path
from simulator.terminal import unguard_streams
from tests.hardening.hostile import SMALL

pytestmark = pytest.mark.slow

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SOURCE = SMALL.read_text(encoding="utf-8")
SCENARIO = load_scenario_text(SOURCE, str(SMALL))
# any character at all, lone surrogates and control characters included
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@BOUNDED
@given(
    at=st.integers(0, len(SOURCE)),
    cut=st.integers(0, 40),
    junk=st.one_of(
        ANY_TEXT,
        st.sampled_from(["&a x", "*a", "!!python/object x", "{", "- [", '"\\ud800"', "9" * 500]),
    ),
)
def test_scenario_text_never_crashes(at: int, cut: int, junk: str) -> None:
    text = SOURCE[:at] + junk + SOURCE[at + cut :]
    try:
        data = text.encode("utf-8", "surrogatepass")
        from engine.loader import load_scenario_bytes

        sc = load_scenario_bytes(data, "fuzz.yaml")
    except ParleyError:
        return
    check_scenario(sc, max_states=20_000, max_seconds=5)


@BOUNDED
@given(
    raw=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT),
            lambda inner: (
                st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4)
            ),
            max_leaves=20,
        ).map(lambda v: json.dumps(v).encode()),
        st.builds(
            lambda choices, extra: json.dumps(
                {"parley_save": 1, "scenario": "tui-small", "choices": choices, **extra}
            ).encode(),
            st.lists(st.sampled_from(["trade", "advise", "agree", "nope", "ask.1"]), max_size=5),
            st.dictionaries(st.sampled_from(["lang", "hash", "participant"]), ANY_TEXT),
        ),
        st.integers(1, 3000).map(lambda n: ("[" * n + "]" * n).encode()),
    )
)
def test_saves_never_crash(raw: bytes) -> None:
    path = save_path(SCENARIO, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    try:
        data = read_save(path)
        Conversation.restore(SCENARIO, data)
    except SaveError:
        pass
    except ParleyError:
        pass
    save_info(SCENARIO, None)  # never raises: a damaged save is moved aside
    assert not path.exists() or save_info(SCENARIO, None) is not None


@BOUNDED
@given(
    names=st.lists(
        st.one_of(ANY_TEXT, st.sampled_from(["a\ud800b", "\udcff", "=1+1", "<img src=x>"])),
        min_size=1,
        max_size=3,
    )
)
def test_names_never_crash_reports(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = tmp_path_factory.mktemp("fuzz") / "r.sqlite3"
    for name in names:
        rec = Recorder(db, participant=name, cohort=name, mode="scripted")
        conv = Conversation(SCENARIO)
        rec.on_start(conv)  # any name at all is recorded (a lone surrogate as U+FFFD)
        rec.on_step(conv, conv.choose("trade"))
        rec.close()
    with open_store(db) as store:
        report = build_report(store, None, None, load=lambda play: SCENARIO)
    for fmt in ("table", "md", "csv", "json", "html"):
        out = render(report, fmt)
        assert not control_chars(visible(out))
    for name in names:
        assert not control_chars(visible(name))
        assert "<" not in md_text(name)
        cell = csv_cell(name)
        assert not (isinstance(cell, str) and cell[:1] in ("=", "@", "\t", "\r"))


COMMANDS = [
    ["check"],
    ["graph"],
    ["play", "--choices"],
    ["autoplay", "--runs"],
    ["schema"],
    ["report", "--format"],
    ["check", "--max-seconds"],
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(COMMANDS),
    values=st.lists(
        st.one_of(
            ANY_TEXT,
            st.integers(-(10**30), 10**30).map(str),
            st.sampled_from([str(SMALL), "budget-cut", "/dev/zero", "-", "--", "nan", "1e999"]),
        ),
        max_size=3,
    ),
)
def test_command_line_arguments_never_crash(
    command: list[str], values: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from simulator.cli.main import main

    args = [*command, *values]
    if command[0] == "report":
        args += ["--db", str(tmp_path / "none.sqlite3")]
    try:
        main(args)
    except SystemExit:
        pass
    finally:
        unguard_streams()
    err = capsys.readouterr().err
    assert "internal error" not in err, (args, err)
    assert sys.stdout is sys.__stdout__ or not hasattr(sys.stdout, "inner")
