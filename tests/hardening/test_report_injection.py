"""Reports never carry a formula a spreadsheet runs, nor Markdown/HTML a viewer renders
(#16 class 4): names and scenario texts are generated hostile inputs."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

from engine.conversation import Conversation
from engine.loader import load_scenario_text
from engine.records import open_store
from engine.report import build_report
from engine.report_render import render
from simulator.recording import Recorder
from tests.hardening.hostile import formula, markup, small_with

NUMBER_CHARS = set("0123456789.-+e%")


def _report(tmp_path: Path, seed: int) -> tuple[dict[str, str], list[str]]:
    rng = random.Random(seed)
    texts = {
        "The late report": formula(rng) + markup(rng),
        "I need the report by tomorrow.": markup(rng),
        "I can do tomorrow if the risk log waits a week. Which matters more?": formula(rng),
        "No, thanks. Tomorrow then.": markup(rng) + formula(rng),
        "On time, half the story": formula(rng),
    }
    sc = load_scenario_text(small_with(texts), str(tmp_path / "hostile.yaml"))
    names = [formula(rng), markup(rng), formula(rng) + markup(rng)]
    db = tmp_path / f"r{seed}.sqlite3"
    for name in names:
        rec = Recorder(db, participant=name, cohort="c1", mode="scripted")
        conv = Conversation(sc)
        rec.on_start(conv)
        for ref in ("trade", "thanks"):
            rec.on_step(conv, conv.choose(ref))
        rec.on_end(conv)
        rec.close()
    with open_store(db) as store:
        report = build_report(store, "c1", None, load=lambda play: sc)
    return {fmt: render(report, fmt) for fmt in ("csv", "md", "html")}, names


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    for seed in range(6):
        out, _ = _report(tmp_path, seed)
        rows = list(csv.reader(io.StringIO(out["csv"])))
        cells = [c for row in rows for c in row if c]
        assert any(c.startswith("'") for c in cells)  # the hostile texts are there, defused
        for cell in cells:
            if cell[0] in "=+-@\t\r":
                assert set(cell) <= NUMBER_CHARS, cell  # only numbers may start so


def test_markdown_and_html_show_markup_as_text(tmp_path: Path) -> None:
    for seed in range(6):
        out, names = _report(tmp_path, seed)
        md, page = out["md"], out["html"]
        for bad in ("<img", "<script", "<a href", "](javascript:", "](http://evil", "![", "`code`"):
            assert bad not in md, (bad, md)
        for bad in ("<img", "<script", "<a href"):
            assert bad not in page
        assert "onerror" in md or "javascript" in md or "evil" in md  # shown, as text
