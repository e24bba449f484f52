"""Charts a trainer or an author reads: no label over a value, and a legend for the marks."""

from __future__ import annotations

import re

from engine.report_html import _signed_bars
from tests.cli import parley


def test_a_dimension_chart_never_draws_a_label_over_a_value() -> None:
    svg = _signed_bars([("Recommendation", -2.0), ("Engagement", 2.0), ("Options", -0.5)])
    texts = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)"[^>]*>([^<]*)</text>', svg
    )
    labels = [(float(x), t) for x, anchor, t in texts if not t.startswith(("+", "-"))]
    values = [(float(x), anchor, t) for x, anchor, t in texts if t.startswith(("+", "-"))]
    label_end = max(x for x, _ in labels)  # labels are right-aligned at this x
    for x, anchor, text in values:
        start = x - 8 * len(text) if anchor == "end" else x  # 13px digits: under 8px each
        assert start > label_end, (text, start, label_end)


def test_autoplay_histograms_have_a_legend() -> None:
    out = parley("autoplay", "tests/fixtures/tui_small.yaml", "--runs", "50", "--seed", "1")
    assert out.returncode == 0, out.stderr
    assert "trust     plays (bar: share of the most common band)" in out.stdout
    assert "[ ] one character per score from min to max" in out.stdout
