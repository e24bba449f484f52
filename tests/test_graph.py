"""engine.graph: structural analyses, and Mermaid / DOT drawings that really render."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pydot
import pytest

from engine.graph import analyse, scenario_graph, short, to_dot, to_mermaid
from engine.loader import load_scenario, load_scenario_text
from simulator.cli.main import main

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "check"
SCENARIOS = sorted((HERE.parent / "scenarios").glob("*.yaml"))
VALID = FIXTURES / "valid.yaml"

TRICKY = """\
format: 1
id: tricky
title: 'Quotes "and" <brackets> & pipes | in; labels #1'
summary: Labels that would break a naive writer.
characters:
  you: {name: Sam, role: PM}
  dana: {name: 'Dana "D" O''Kafor', role: COO}
start: 'a "start"'
nodes:
  'a "start"':
    text: x
    choices:
      - text: 'Say "no" | [maybe] {later} <b>bold</b> \\ back; #hash & end --> arrow'
        to: end-1
      - text: A very long answer that goes on and on well past the width of any label we draw
        when: "trust >= 50"
        to: auto
  auto:
    text: y
    next:
      - when: "trust > 60 and visited('a \\"start\\"')"
        to: end-1
      - to: end-2
  end-1:
    text: z
    ending: {outcome: success, title: 'Won "it"', debrief: d}
  end-2:
    text: z
    ending: {outcome: failure, title: Lost, debrief: d}
"""


def test_graph_view_and_analyses() -> None:
    sc = load_scenario(FIXTURES / "warn_trap.yaml")
    g = scenario_graph(sc)
    assert set(g.nodes) == set(sc.nodes)
    assert g.nodes["agreed"]["outcome"] == "success" and g.nodes["show_risk"]["kind"] == "next"
    assert g.edges["opening", "cut_agreed"]["choices"] == ["cave"]
    assert g.edges["show_risk", "listening"]["kinds"] == {"next"}
    s = analyse(sc, g)
    assert s.traps == ["loop_a", "loop_b"]
    assert s.unreachable == [] and s.unreachable_endings == []
    s = analyse(load_scenario(FIXTURES / "warn_unreachable_ending.yaml"))
    assert s.unreachable_endings == ["lost"] and "lost" not in s.reachable
    s = analyse(load_scenario(FIXTURES / "warn_unreachable.yaml"))
    assert s.unreachable == ["orphan"]


def test_analyses_scale_without_enumerating_paths() -> None:
    # a ladder of 60 diamonds has 2**60 paths; the analyses must not walk them
    lines = [
        "format: 1",
        "id: diamonds",
        "title: t",
        "summary: s",
        "characters: {you: {name: a}, b: {name: b}}",
        "start: d0",
        "nodes:",
    ]
    for i in range(60):
        lines += [
            f"  d{i}:",
            "    text: x",
            "    choices:",
            f"      - {{text: l, to: l{i}}}",
            f"      - {{text: r, to: r{i}}}",
            f"  l{i}: {{text: x, next: [{{to: d{i + 1}}}]}}",
            f"  r{i}: {{text: x, next: [{{to: d{i + 1}}}]}}",
        ]
    lines += ["  d60: {text: x, ending: {outcome: success, title: t, debrief: d}}"]
    sc = load_scenario_text("\n".join(lines) + "\n")
    s = analyse(sc)
    assert s.traps == [] and s.unreachable == [] and len(s.reachable) == 181


def test_short_labels() -> None:
    assert short("Hello.") == "Hello."
    cut = short("A very long answer that goes on and on well past the width")
    assert len(cut) <= 32 and cut.endswith("…") and " " not in cut[-2:]


def test_mermaid_structure() -> None:
    sc = load_scenario(VALID)
    text = to_mermaid(sc)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    ids = {nid: f"n{i}" for i, nid in enumerate(sc.nodes)}
    # nodes: id and speaker; the start node stands out; endings are rounded and classed
    assert f'{ids["opening"]}[["opening<br/><i>Dana Okafor</i>"]]' in text
    assert re.search(
        rf'^    {ids["agreed"]}\(\["agreed<br/><i>Dana Okafor</i><br/>success: ', text, re.M
    )
    assert f"class {ids['agreed']} success" in text
    assert f"class {ids['cut_agreed']} failure" in text
    assert re.search(r"classDef success fill:#\w+", text)
    # a choice edge carries a short form of its line; `next` edges are dashed with their condition
    assert f'{ids["opening"]} -->|"Understood. I\'ll cut testing."| {ids["cut_agreed"]}' in text
    assert f'{ids["show_risk"]} -.->|"trust #62;= 50"| {ids["listening"]}' in text
    assert f'{ids["show_risk"]} -.->|"otherwise"| {ids["cut_agreed"]}' in text
    edges = [ln for ln in lines if "-->" in ln or "-.->" in ln]
    assert len(edges) == sum(len(n.choices) + len(n.next) for n in sc.nodes.values())


def test_mermaid_escapes_everything_that_would_break_it() -> None:
    text = to_mermaid(load_scenario_text(TRICKY))
    for line in text.splitlines()[1:]:
        if line.strip().startswith(("classDef", "class ")):
            continue
        # inside labels: no raw quote, pipe, bracket or angle bracket besides our own markup
        labels = re.findall(r'"(.*?)"', line)
        assert labels, line
        for label in labels:
            bare = label.replace("<br/>", "").replace("<i>", "").replace("</i>", "")
            assert not re.search(r'["|\[\]{}<>]', bare), line
    assert "#34;start#34;" in text  # a quote in a node id
    assert "if trust #62;= 50" in text  # a choice's condition is shown with it


def _dot_available() -> bool:
    if shutil.which("dot"):
        return True
    if os.environ.get("CI") == "true":
        pytest.fail("Graphviz `dot` must be installed in CI (.ci/run installs it)")
    return False


@pytest.mark.parametrize("path", [VALID, *SCENARIOS], ids=lambda p: p.stem)
def test_dot_renders_with_graphviz(path: Path, tmp_path: Path) -> None:
    if not _dot_available():
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz).")
    sc = load_scenario(path)
    src = tmp_path / "g.dot"
    src.write_text(to_dot(sc), encoding="utf-8")
    out = subprocess.run(["dot", "-Tsvg", str(src)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.lstrip().startswith(("<?xml", "<svg"))
    svg = out.stdout
    for nid in sc.nodes:
        assert f"<title>{nid}</title>" in svg


def test_dot_tricky_labels_render(tmp_path: Path) -> None:
    if not _dot_available():
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz).")
    src = tmp_path / "g.dot"
    src.write_text(to_dot(load_scenario_text(TRICKY)), encoding="utf-8")
    out = subprocess.run(["dot", "-Tsvg", str(src)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "Error" not in out.stderr, out.stderr


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dot_attributes() -> None:
    sc = load_scenario(VALID)
    (graph,) = pydot.graph_from_dot_data(to_dot(sc))
    nodes = {n.get_name().strip('"'): n for n in graph.get_nodes()}
    assert nodes["agreed"].get("fillcolor") == '"#d4edda"'
    assert nodes["cut_agreed"].get("shape") == "doubleoctagon"
    assert "opening\\nDana Okafor" in nodes["opening"].get("label")
    edges = graph.get_edges()
    assert len(edges) == sum(len(n.choices) + len(n.next) for n in sc.nodes.values())
    dashed = [e for e in edges if e.get("style") == "dashed"]
    assert {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in dashed} == {
        ("show_risk", "listening"),
        ("show_risk", "cut_agreed"),
    }
    assert any(e.get("label") == '"trust >= 50"' for e in dashed)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def test_graph_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "graph", str(VALID))
    assert status == 0 and out.startswith("flowchart TD\n")
    target = tmp_path / "g.dot"
    status, out, err = run(capsys, "graph", str(VALID), "--format", "dot", "-o", str(target))
    assert status == 0 and out == "" and f"wrote {target}" in err
    assert target.read_text().startswith('digraph "valid" {')
    status, _, err = run(capsys, "graph", str(tmp_path / "nope.yaml"))
    assert status == 2 and "nope.yaml" in err and "Traceback" not in err
    status, _, err = run(capsys, "graph", str(VALID), "--format", "svg")
    assert status == 2


def _mermaid_js() -> Path | None:
    for candidate in (
        os.environ.get("PARLEY_MERMAID_JS"),
        str(HERE.parent / "bench" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.mark.browser
@pytest.mark.slow
def test_mermaid_renders_in_a_browser() -> None:
    """Mermaid's own renderer (as GitHub runs it, securityLevel strict) draws every graph.

    Needs mermaid.min.js (`npm install --prefix bench --no-save mermaid@11`, or
    PARLEY_MERMAID_JS=path) and Chromium; skipped when either is missing.
    """
    js = _mermaid_js()
    chromium = shutil.which("chromium")
    if js is None or chromium is None:
        pytest.skip(
            "Mermaid's renderer or Chromium is missing (npm install --prefix bench; apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    sources = {p.stem: to_mermaid(load_scenario(p)) for p in [VALID, *SCENARIOS]}
    sources["tricky"] = to_mermaid(load_scenario_text(TRICKY))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.set_content("<html><body></body></html>")
            page.add_script_tag(content=js.read_text(encoding="utf-8"))
            page.evaluate("mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
            for i, (name, src) in enumerate(sources.items()):
                result = page.evaluate(
                    """async ([id, src]) => {
                        try { const r = await mermaid.render(id, src);
                              return (r.svg.match(/class="node /g) || []).length; }
                        catch (e) { return String(e); } }""",
                    [f"g{i}", src],
                )
                expected = len(load_scenario_text(TRICKY).nodes) if name == "tricky" else None
                assert isinstance(result, int), f"{name}: {result}"
                assert result == expected or expected is None and result > 0, name
        finally:
            browser.close()
