"""Shared pieces of the tests that drive Debian's Chromium through Playwright.

A missing browser or npm package skips a test on a developer's machine with a sentence
saying what to install; under CI (CI=true) it fails instead, because `.ci/run` installs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = ROOT / "bench" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"


def need(path: Path, what: str) -> Path:
    """`path`, or skip (fail under CI) saying how to get `what`."""
    if not path.exists():
        message = (
            f"{what} is not installed at {path}: run `npm install --prefix bench` (.ci/run does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (modules that import this fixture each get
    their own: two Playwright sessions must not be open in one thread)."""
    if not os.path.exists(CHROMIUM):
        message = "Debian's chromium is not installed (apt-get install chromium); CI installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def axe_violations(page: Any) -> list[tuple[str, str, str]]:
    """axe-core's serious and critical violations on the page: (rule, impact, first target)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(need(AXE, "axe-core")))
    found = page.evaluate(
        "async () => (await axe.run()).violations.map("
        "v => [v.id, v.impact, v.nodes.length ? String(v.nodes[0].target) : ''])"
    )
    return [tuple(v) for v in found if v[1] in ("serious", "critical")]
