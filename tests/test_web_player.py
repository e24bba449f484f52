"""`parley export --web`: the single-file player in Debian's Chromium, played by keyboard only.

For every bundled scenario, several plays (the best play, always the first option, always
the last, two seeded random walks) are played on the page with number keys, and the page's
ending, trust and debrief numbers are compared with the engine's `parley play --json`
contract for the same choices. axe-core checks the page at the start, mid-play and on the
debrief.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.conversation import Conversation
from engine.explore import explore
from engine.library import bundled_dir
from engine.loader import load_scenario
from engine.play import play_json
from engine.statetable import compile_table
from engine.webplayer import render_page
from tests.browser import axe_violations, browser  # noqa: F401
from tests.cli import parley

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCENARIOS = sorted(p.stem for p in bundled_dir().glob("*.yaml"))
FIXTURES = Path(__file__).parent / "fixtures"


def plays_for(scenario_id: str) -> list[list[str]]:
    """Choice ids of a few plays: best, first option, last option, two random."""
    sc = load_scenario(bundled_dir() / f"{scenario_id}.yaml")
    pickers: list[Callable[[Conversation], str]] = []
    best = iter(explore(sc).best_play)
    pickers.append(lambda conv: next(best))
    pickers.append(lambda conv: conv.offered()[0].id)
    pickers.append(lambda conv: conv.offered()[-1].id)
    for seed in (1, 2):
        rng = random.Random(f"{scenario_id}-{seed}")
        pickers.append(lambda conv, rng=rng: rng.choice(conv.offered()).id)
    out = []
    for pick in pickers:
        conv = Conversation(sc)
        ids = []
        while conv.offered():
            cid = pick(conv)
            ids.append(cid)
            conv.choose(cid)
        out.append(ids)
    return out


def press_choice(page: Any, choice_id: str) -> None:
    """Press the number key of `choice_id` as the page shows it (the order is the play's)."""
    shown = page.eval_on_selector_all("#options button", "bs => bs.map(b => b.dataset.choice)")
    assert choice_id in shown and len(shown) <= 9
    page.keyboard.press(str(shown.index(choice_id) + 1))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("web")
    out = {}
    for sid in SCENARIOS:
        target = folder / sid
        result = parley("export", sid, "--web", "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert "states" in result.stderr
        out[sid] = target / "index.html"
    return out


def debrief_numbers(page: Any) -> dict[str, tuple[str, str, str]]:
    rows = page.eval_on_selector_all(
        "#scores tr[data-key]",
        "rows => rows.map(r => [r.dataset.key, ...[...r.cells].slice(1).map(c => c.textContent)])",
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def signed(n: int) -> str:
    return f"{n:+d}"


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_keyboard_plays_match_the_engine(
    browser: Any,  # noqa: F811
    exported: dict[str, Path],
    scenario_id: str,
) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(exported[scenario_id].as_uri())
    assert axe_violations(page) == [], "at the start"
    for n, ids in enumerate(plays_for(scenario_id)):
        if n:
            page.focus("#again")
            page.keyboard.press("Enter")
        for turn, cid in enumerate(ids):
            press_choice(page, cid)
            if n == 0 and turn == 1:
                assert page.inner_text("#coach").strip() or "debrief" in page.content()
                assert axe_violations(page) == [], "mid-play"
        expected = json.loads(
            parley("play", scenario_id, "--choices", ",".join(ids), "--json").stdout
        )
        d = expected["debrief"]
        # the debrief heading has the focus, and the numbers are the engine's
        assert page.evaluate("document.activeElement.id") == "debrief-h"
        assert page.get_attribute("#debrief", "data-ending") == expected["ending"]
        assert page.get_attribute("#debrief", "data-trust") == str(expected["trust"])
        ending = page.inner_text("#ending")
        assert d["ending"]["title"] in ending
        if "defensible" in d:  # the equally defensible endings, as the engine's debrief names them
            items = page.eval_on_selector_all(
                "#defensible li", "lis => lis.map(li => [li.dataset.ending, li.textContent])"
            )
            assert [i for i, _ in items] == [x["id"] for x in d["defensible"]]
            for (_, text), x in zip(items, d["defensible"], strict=True):
                assert text.startswith(x["title"]) and text.endswith(x["trade_off"])
                assert ("(yours)" in text) == x["reached"]
        numbers = debrief_numbers(page)
        for dim in d["dimensions"]:
            assert numbers[dim["key"]] == (
                signed(dim["total"]),
                signed(dim["model"]),
                "-%" if dim["percent"] is None else f"{dim['percent']}%",
            ), (scenario_id, ids, dim["key"])
        total = d["total"]
        assert numbers["total"] == (
            signed(total["total"]),
            signed(total["model"]),
            "-%" if total["percent"] is None else f"{total['percent']}%",
        )
        journey = " -> ".join(str(v) for v in [d["trust"]["start"], *d["trust"]["trajectory"]])
        assert journey in page.inner_text("#trust-journey")
        assert f"final {expected['trust']}" in page.inner_text("#trust-journey")
        if d.get("best_possible") and d["best_possible"]["best_total"] is not None:
            assert signed(d["best_possible"]["best_total"]) in page.inner_text("#compare")
        if n == 0:
            assert axe_violations(page) == [], "on the debrief"
    assert errors == []
    assert [u for u in requests if not u.startswith("file:")] == []
    page.close()


def test_each_play_shows_the_options_in_one_of_the_engines_orders(
    browser: Any,  # noqa: F811
    exported: dict[str, Path],
) -> None:
    import hashlib

    from engine.order import presented

    sc = load_scenario(bundled_dir() / "budget-cut.yaml")
    conv = Conversation(sc)
    seen = set()
    page = browser.new_page()
    for k in range(8):
        page.goto(exported["budget-cut"].as_uri() + f"?order={k}")
        shown = page.eval_on_selector_all("#options button", "bs => bs.map(b => b.dataset.choice)")
        digest = hashlib.sha256(f"{sc.content_hash}:{k}".encode()).digest()
        seed = int.from_bytes(digest[:4], "big")  # the play seed of order k (statetable)
        assert shown == [c.id for c in presented(conv.node, conv.offered(), seed)]
        seen.add(tuple(shown))
    page.close()
    assert len(seen) > 1  # plays differ in the order they show


def test_tab_and_enter_play_without_number_keys(
    browser: Any,  # noqa: F811
    exported: dict[str, Path],
) -> None:
    page = browser.new_page()
    page.emulate_media(reduced_motion="reduce")
    page.goto(exported["budget-cut"].as_uri())
    turns = 0
    while page.is_visible("#answers") and turns < 30:
        page.focus(f"#turn-{turns + 1}")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('#options') !== null")
        assert focused, "Tab from the turn's heading reaches the first answer"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "the focused answer shows where the focus is"
        page.keyboard.press("Enter")
        turns += 1
        assert page.evaluate("document.activeElement.tagName") in ("H3", "H2")
    assert page.is_visible("#debrief") and turns >= 2
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.coach')).transitionDuration"
    ) in (
        "0s",
        "",
    )
    page.close()


def test_page_structure_is_semantic(exported: dict[str, Path]) -> None:
    html = exported["budget-cut"].read_text(encoding="utf-8")
    assert re.search(r'<meter id="trust"', html)
    assert 'role="status" aria-live="polite"' in html
    assert '<ol id="options"' in html
    assert "prefers-reduced-motion" in html
    assert "connect-src 'none'" in html
    # self-contained: nothing fetched from elsewhere
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="', html)


def test_language_choice_and_refusal_above_the_state_limit(tmp_path: Path) -> None:
    one = parley("export", "budget-cut", "--web", "--lang", "nl", "-o", str(tmp_path / "nl"))
    assert one.returncode == 0, one.stderr
    html = (tmp_path / "nl" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Jouw antwoord" in html
    missing = parley("export", "budget-cut", "--web", "--lang", "fr", "-o", str(tmp_path / "x"))
    assert missing.returncode == 2 and "no 'fr' text" in missing.stderr
    assert "Traceback" not in missing.stderr
    sc = load_scenario(bundled_dir() / "budget-cut.yaml")
    with pytest.raises(Exception, match="more than 100 reachable states"):
        compile_table(sc, max_states=100)
    big = parley("export", str(FIXTURES / "records_small.yaml"), "-o", str(tmp_path / "y"))
    assert big.returncode == 2 and "--web, --scorm12 or --cmi5" in big.stderr


def test_scenario_text_cannot_inject_markup(tmp_path: Path) -> None:
    text = (FIXTURES / "records_small.yaml").read_text(encoding="utf-8")
    text = text.replace('"Asking for one more week"', '"</script><script>alert(1)</script>"')
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path)
    html = render_page(compile_table(sc))
    assert "</script><script>alert(1)" not in html
    table = html.split('id="parley-table">', 1)[1].split("</script>", 1)[0]
    assert json.loads(table)["title"]["en"] == "</script><script>alert(1)</script>"
    assert play_json(Conversation(sc))["scenario"] == "records-small"
