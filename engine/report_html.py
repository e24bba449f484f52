"""The cohort report as one self-contained HTML page: inline CSS and SVG charts (bars, signed
bars, per-learner sparklines, vote splits), no scripts, fonts or images fetched.

The shared wording (titles, percentages, notes, progress rows) comes from
engine.report_render, which holds the other formats and dispatches to this one.
"""

from __future__ import annotations

from html import escape

from engine.progress import LearnerProgress
from engine.report import OUTCOMES, CohortReport
from engine.report_render import (
    MOMENT_HEADERS,
    PLAY_HEADERS,
    _moment_rows,
    _notes,
    _play_rows,
    _plural,
    _progress_headers,
    _progress_note,
    _progress_rows,
    _title,
    _trend_text,
    avg,
    moment_text,
    num,
    pct,
    trainer_notes,
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#1d232b;background:#fff;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #d8dee6;padding-bottom:.3rem}
h3{margin-top:1.6rem}table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e7ec;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.best{font-weight:600}
.note{background:#fff6db;padding:.5rem .8rem;border-left:4px solid #e0b100}
.kpi{display:flex;gap:1.5rem;flex-wrap:wrap}.kpi div{background:#f3f5f8;padding:.6rem 1rem;border-radius:6px}
.kpi b{display:block;font-size:1.4rem}svg{max-width:100%;height:auto}
.muted{color:#5b6470}code{background:#f3f5f8;padding:0 .2rem;border-radius:3px}
"""
_COLORS = {
    "success": "#2e7d4f",
    "partial": "#d39b00",
    "failure": "#c0392b",
    "unfinished": "#9aa3ad",
}
_PALETTE = ["#3867d6", "#20a39e", "#f7b731", "#eb3b5a", "#8854d0", "#fa8231", "#4b6584", "#26de81"]


def _bars(items: list[tuple[str, float, str, str]], width: int = 560, row: int = 26) -> str:
    """Horizontal bars from 0: (label, value, colour, value text); values >= 0."""
    top = max((v for _, v, _, _ in items), default=0) or 1
    label_w, bar_w = 190, width - 190 - 60
    h = row * len(items) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {h}" role="img">']
    for i, (label, value, colour, text) in enumerate(items):
        y = i * row + 4
        w = bar_w * value / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{colour}" rx="3"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="13">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _signed_bars(items: list[tuple[str, float]], low: float = -2, high: float = 2) -> str:
    """Bars either side of zero, for per-dimension averages."""
    width, row, label_w = 560, 26, 190
    gutter = 56  # room for a value's text beside the longest bar on either side
    span = max(abs(low), abs(high), *(abs(v) for _, v in items)) or 1
    half = (width - label_w - 2 * gutter) / 2
    zero = label_w + gutter + half  # a negative bar's value never runs into the labels
    h = row * len(items) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {h}" role="img">']
    parts.append(f'<line x1="{zero}" y1="0" x2="{zero}" y2="{h}" stroke="#5b6470"/>')
    for i, (label, value) in enumerate(items):
        y = i * row + 4
        w = half * abs(value) / span
        x = zero if value >= 0 else zero - w
        colour = "#2e7d4f" if value >= 0 else "#c0392b"
        tx = zero + w + 6 if value >= 0 else zero - w - 6
        anchor = "start" if value >= 0 else "end"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13">{escape(label)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{colour}" rx="3"/>'
            f'<text x="{tx:.1f}" y="{y + 15}" text-anchor="{anchor}" font-size="13">{value:+.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _sparkline(p: LearnerProgress, width: int = 120, height: int = 34) -> str:
    """The framework total of each finished attempt as a small line chart (inline SVG);
    the best attempt is the filled dot, a pass mark line is not drawn (it is in the table)."""
    done = p.finished
    if not done:
        return "-"
    totals = [a.total for a in done]
    lo, hi = min(0, *totals), max(0, *totals)
    span = (hi - lo) or 1
    step = (width - 10) / max(1, len(totals) - 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return 5 + i * step, 4 + (height - 8) * (hi - v) / span

    zero_y = xy(0, 0)[1]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(totals)))
    label = escape(f"{p.participant}: totals " + ", ".join(f"{v:+d}" for v in totals))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width:none" role="img" '
        f'aria-label="{label}">',
        f'<line x1="0" y1="{zero_y:.1f}" x2="{width}" y2="{zero_y:.1f}" stroke="#d8dee6"/>',
        f'<polyline points="{points}" fill="none" stroke="#3867d6" stroke-width="2"/>',
    ]
    for i, a in enumerate(done):
        x, y = xy(i, a.total)
        best = p.best is not None and a.number == p.best.number
        fill = "#3867d6" if best else "#fff"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" stroke="#3867d6"/>')
    parts.append("</svg>")
    return "".join(parts)


def _split_bar(shares: list[tuple[str, float]]) -> str:
    """One stacked 100% bar: how the cohort split across a node's options."""
    width, h = 560, 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {h}" role="img">']
    x = 0.0
    for i, (label, share) in enumerate(shares):
        w = width * share
        if w <= 0:
            continue
        colour = _PALETTE[i % len(_PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="26" fill="{colour}">'
            f"<title>{escape(label)}: {pct(share)}</title></rect>"
        )
        if w > 40:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="20" text-anchor="middle" font-size="12" '
                f'fill="#fff">{pct(share)}</text>'
            )
        x += w
    parts.append("</svg>")
    return "".join(parts)


def _html_table(
    headers: list[str], rows: list[list[str]], numeric: set[int], raw: bool = False
) -> str:
    head = "".join(
        f'<th class="n">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    # one template per table: a row is one format call (10,000 plays make 10,000 rows)
    row = (
        "<tr>"
        + "".join(
            '<td class="n">{}</td>' if i in numeric else "<td>{}</td>" for i in range(len(headers))
        )
        + "</tr>"
    ).format
    body = [row(*r) for r in rows] if raw else [row(*map(escape, r)) for r in rows]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: CohortReport) -> str:
    """One self-contained page: inline CSS and SVG, no scripts, fonts or images fetched."""
    title = _title(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">Generated {escape(report.generated_at)}.</p>',
    ]
    if not report.scenarios:
        out.append("<p>No plays recorded yet.</p>")
    for s in report.scenarios:
        out.append(f"<h2>{escape(s.title)} <code>{escape(s.scenario_id)}</code></h2>")
        out += [f'<p class="note">{escape(n)}</p>' for n in _notes(s)]
        notes = trainer_notes(s)
        if notes:
            out.append("<h3>Notes for the trainer</h3>")
            out += [f"<p>{escape(p)}</p>" for p in notes.split("\n\n") if p.strip()]
        out.append(
            '<div class="kpi">'
            f"<div><b>{s.plays}</b>plays</div>"
            f"<div><b>{pct(s.completion)}</b>finished ({s.finished})</div>"
            f"<div><b>{s.participants}</b>participants</div>"
            f"<div><b>{avg(s.average_trust)}</b>average final trust</div>"
            f"<div><b>{num(s.average_total)}</b>average framework total</div>"
            "</div>"
        )
        out.append("<h3>Outcomes</h3>")
        out.append(
            _bars([(o, float(s.outcomes[o]), _COLORS[o], str(s.outcomes[o])) for o in OUTCOMES])
        )
        if s.endings:
            out.append(
                _html_table(
                    ["Ending", "Outcome", "Plays"],
                    [[t, o, str(n)] for _, t, o, n in s.endings],
                    {2},
                )
            )
        out.append('<h3>Dimensions <span class="muted">(average over finished plays)</span></h3>')
        dims = [(d.label, d.average) for d in s.dimensions if d.average is not None]
        if dims:
            out.append(_signed_bars([(label, float(v)) for label, v in dims]))
        else:
            out.append("<p>No finished plays yet.</p>")
        out.append("<h3>Decisions</h3>")
        for n in s.nodes:
            out.append(f"<h4><code>{escape(n.node)}</code> {escape(n.prompt)}</h4>")
            out.append(
                f"<p>{_plural(n.decisions, 'decision')}; chose the best-scoring option: "
                f"<b>{pct(n.best_share)}</b></p>"
            )
            out.append(_split_bar([(o.choice, o.share) for o in n.options]))
            with_votes = any(o.votes is not None for o in n.options)
            rows = []
            for i, o in enumerate(n.options):
                swatch = (
                    f'<svg width="12" height="12" viewBox="0 0 12 12"><rect width="12" height="12" '
                    f'fill="{_PALETTE[i % len(_PALETTE)]}"/></svg> '
                )
                label = (
                    swatch
                    + f"<code>{escape(o.choice)}</code> "
                    + (escape(o.text) if o.text != o.choice else "")
                )
                if o.best:
                    label = f'<span class="best">★ {label}</span>'
                row = [
                    label,
                    str(o.count),
                    pct(o.share),
                    "-" if o.total is None else f"{o.total:+d}",
                ]
                if with_votes:
                    row.append("-" if o.votes is None else str(o.votes))
                rows.append(row)
            headers = ["Option", "Chose", "Share", "Score"] + (["Room votes"] if with_votes else [])
            out.append(_html_table(headers, rows, {1, 2, 3, 4}, raw=True))
        if s.turning_points:
            out.append("<h3>Most common turning points</h3>")
            out.append(
                _html_table(
                    ["Plays", "Node", "Answer", "What changed", "Trust"],
                    [
                        [
                            f"{t.plays} ({pct(t.share)})",
                            t.node,
                            f"{t.choice}: {t.text}",
                            t.change,
                            f"{t.trust_delta:+.0f}",
                        ]
                        for t in s.turning_points
                    ],
                    {0, 4},
                )
            )
        if s.progress:
            out.append("<h3>Progress per learner</h3>")
            out.append(f'<p class="muted">{escape(_progress_note(s))}; the line shows the '
                       "framework total of each finished attempt.</p>")  # fmt: skip
            labels = {d.key: d.label for d in s.dimensions}
            rows = [
                [escape(c) for c in r] + [_sparkline(p), escape(_trend_text(s, p, labels))]
                for r, p in zip(_progress_rows(s), s.progress, strict=True)
            ]
            out.append(
                _html_table(
                    [*_progress_headers(s), "Totals", "Trend per dimension"],
                    rows,
                    {1, 5},
                    raw=True,
                )
            )
            out.append("<h4>Decisive moment of each attempt</h4>")
            out.append(
                _html_table(
                    MOMENT_HEADERS,
                    [
                        [who, f"#{a.number}", a.outcome, moment_text(a)]
                        for who, a in _moment_rows(s)
                    ],
                    {1},
                )
            )
        out.append("<h3>Plays</h3>")
        out.append(_html_table(PLAY_HEADERS, _play_rows(s), {3, 4}))
    out.append('<p class="muted">★ = best-scoring option (highest framework total).</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
