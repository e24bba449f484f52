"""`parley graph --open`: the page renders the bundled Mermaid graph offline in Chromium,
colours coverage from an autoplay run, marks the hinges and links each node to its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.graph import hinges, scenario_graph
from engine.loader import load_scenario
from tests.browser import ROOT, browser  # noqa: F401 (fixture)
from tests.cli import parley

FLAGSHIP = ROOT / "scenarios" / "budget-cut.yaml"


def test_graph_open_writes_a_self_contained_page(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    r = parley("graph", "budget-cut", "--open", "--runs", "300", "-o", str(out), env={"CI": "1"})
    assert r.returncode == 0, r.stderr
    assert f"open {out.resolve().as_uri()} in a browser" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert "https://" not in text.split("<script>", 1)[0]  # no CDN, no remote font in the page
    assert "<script src=" not in text
    assert "classDef hinge" in text and "Coverage from 300 random plays" in text


@pytest.mark.browser
def test_the_page_renders_offline_with_coverage_hinges_and_lines(
    tmp_path: Path,
    browser: Any,  # noqa: F811
) -> None:
    out = tmp_path / "g.html"
    assert parley("graph", str(FLAGSHIP), "--open", "-o", str(out), env={"CI": "1"}).returncode == 0
    sc = load_scenario(FLAGSHIP)
    expected_hinges = {n for chain in hinges(scenario_graph(sc)).values() for n in chain}

    context = browser.new_context(offline=True)  # the page must need no network at all
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-rendered=yes]", timeout=30_000)
    assert errors == []
    assert page.locator("#graph g.node").count() == len(sc.nodes)
    assert page.locator("#graph g.node.hinge").count() == len(expected_hinges)
    assert page.locator("#graph g.node.cov4, #graph g.node.cov3").count() >= 1

    # click the node `show_risk`: its details and its line in the file
    index = list(sc.nodes).index("show_risk")
    page.locator(f"#graph g.node[id*='-n{index}-']").click()
    panel = page.inner_text("#node")
    assert "show_risk" in panel and "Two minutes. Go." in panel
    line = sc.nodes["show_risk"].loc.line
    assert f"budget-cut.yaml:{line}" in panel
    href = page.get_attribute("#open-line", "href")
    assert href is not None and href.startswith("vscode://file/") and href.endswith(f":{line}")
    context.close()
