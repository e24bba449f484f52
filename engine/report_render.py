"""Cohort report renderers: table, Markdown, CSV, JSON, one-file HTML (inline SVG), xAPI.

Each takes a CohortReport (engine.report) and returns a string; nothing is printed here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from engine.progress import Attempt, LearnerProgress
from engine.report import OUTCOMES, CohortReport, ScenarioReport, progress_dict, row_dict
from engine.textsafety import csv_row, md_code, md_text
from engine.xapi import DEFAULT_BASE, score_bounds, statements_for_record

FORMATS = ("table", "md", "csv", "json", "html", "xapi")
DEFAULT_XAPI_BASE = DEFAULT_BASE


def render(report: CohortReport, fmt: str, xapi_base: str = DEFAULT_XAPI_BASE) -> str:
    renderers: dict[str, Callable[[CohortReport], str]] = {
        "table": render_table,
        "md": render_markdown,
        "csv": render_csv,
        "json": render_json,
        "html": render_html,
        "xapi": lambda r: render_xapi(r, xapi_base),
    }
    return renderers[fmt](report)


def pct(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}" if value else "0.00"


def avg(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _title(report: CohortReport) -> str:
    if report.participant:
        where = f" in cohort '{report.cohort}'" if report.cohort else ""
        return f"Parley progress report: {report.participant}{where}"
    who = f"cohort '{report.cohort}'" if report.cohort else "all plays"
    return f"Parley cohort report: {who}"


# ---------------------------------------------------------------- progress (all formats)

PROGRESS_HEADERS = ["Learner", "Attempts", "First", "Last", "Best", "Change", "Pass"]


def _progress_headers(s: ScenarioReport) -> list[str]:
    """The progress columns; Pass only where the scenario sets a pass mark."""
    marked = any(p.pass_mark is not None for p in s.progress)
    return PROGRESS_HEADERS if marked else PROGRESS_HEADERS[:-1]


def _attempt(a: Attempt | None) -> str:
    return "-" if a is None else f"{a.total:+d} {a.outcome}"


def _pass(p: LearnerProgress) -> str:
    if p.pass_mark is None:
        return ""
    if p.passed is None:
        return "-"
    ever = any(a.passed for a in p.attempts)
    word = "passed" if p.passed else ("failed (passed before)" if ever else "failed")
    return word


def _progress_rows(s: ScenarioReport) -> list[list[str]]:
    marked = any(p.pass_mark is not None for p in s.progress)
    rows = []
    for p in s.progress:
        done = len(p.finished)
        attempts = str(len(p.attempts)) + ("" if done == len(p.attempts) else f" ({done} done)")
        best = "-" if p.best is None else f"{_attempt(p.best)} (#{p.best.number})"
        change = "-" if p.change is None else f"{p.change:+d}"
        row = [p.participant, attempts, _attempt(p.first), _attempt(p.last), best, change]
        rows.append([*row, _pass(p)] if marked else row)
    return rows


def _trend_text(s: ScenarioReport, p: LearnerProgress) -> str:
    labels = {d.key: d.label for d in s.dimensions}
    parts = [
        f"{labels.get(k, k)} " + " → ".join(f"{v:+d}" for v in values)
        for k, values in p.trend
        if len(values) > 1
    ]
    return "; ".join(parts)


def _progress_note(s: ScenarioReport) -> str:
    mark = next((p.pass_mark for p in s.progress if p.pass_mark is not None), None)
    text = "first, last and best finished attempt (framework total and outcome)"
    if mark is not None:
        text += f"; pass mark {round(mark * 100)}% of the best possible total (last attempt)"
    return text


def _notes(s: ScenarioReport) -> list[str]:
    out = []
    if not s.scenario_found:
        out.append(
            "note: the scenario file was not found; option texts and best-scoring shares "
            "are missing (pass --scenarios DIR)"
        )
    elif s.changed:
        out.append(
            "note: some plays were recorded against an earlier version of the scenario file; "
            "best-scoring shares use the current file"
        )
    return out


# ---------------------------------------------------------------- plain text


TEXT_WIDTH = 80  # the table format reads in an 80-column terminal


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _grid(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def render_table(report: CohortReport) -> str:
    lines = [_title(report), f"generated {report.generated_at}", ""]
    if not report.scenarios:
        lines.append("No plays recorded yet.")
        return "\n".join(lines) + "\n"
    for s in report.scenarios:
        head = f"{s.title} ({s.scenario_id})"
        lines += [head, "=" * len(head)]
        lines += _notes(s)
        lines.append(
            f"plays: {s.plays}   finished: {s.finished} ({pct(s.completion)})   "
            f"participants: {s.participants}"
        )
        lines.append("outcomes: " + "   ".join(f"{o} {s.outcomes[o]}" for o in OUTCOMES))
        lines.append(
            f"average over finished plays: trust {avg(s.average_trust)}   "
            f"framework total {num(s.average_total)}"
        )
        lines.append("")
        lines += _grid(
            ["dimension", "average"],
            [[d.label, num(d.average)] for d in s.dimensions],
            right={1},
        )
        if s.endings:
            lines.append("")
            lines += _grid(
                ["ending", "outcome", "plays"],
                [[t, o, str(n)] for _, t, o, n in s.endings],
                right={2},
            )
        for n in s.nodes:
            lines += ["", _clip(f"Decision at '{n.node}': {n.prompt}", TEXT_WIDTH)]
            lines.append(
                f"  {_plural(n.decisions, 'decision')}; chose the best-scoring option: "
                f"{pct(n.best_share)}"
            )
            headers = ["", "option", "chose", "share", "score"]
            with_votes = any(o.votes is not None for o in n.options)
            if with_votes:
                headers.append("room votes")
            rows = []
            # the option column takes what is left of 80 columns after the others
            room = TEXT_WIDTH - 26 - (12 if with_votes else 0)
            for o in n.options:
                row = [
                    "*" if o.best else "",
                    _clip(f"{o.choice}: {o.text}" if o.text != o.choice else o.choice, room),
                    str(o.count),
                    pct(o.share),
                    "-" if o.total is None else f"{o.total:+d}",
                ]
                if with_votes:
                    row.append("-" if o.votes is None else str(o.votes))
                rows.append(row)
            lines += ["  " + r for r in _grid(headers, rows, right={2, 3, 4, 5})]
        if s.turning_points:
            lines += ["", "Most common turning points"]
            lines += [
                "  " + r
                for r in _grid(
                    ["plays", "answer", "what changed", "trust"],
                    [
                        [
                            f"{t.plays} ({pct(t.share)})",
                            f"{t.node} / {t.choice}",
                            t.change,
                            f"{t.trust_delta:+.0f}",
                        ]
                        for t in s.turning_points
                    ],
                    right={0, 3},
                )
            ]
        if s.progress:
            lines += ["", f"Progress per learner: {_progress_note(s)}"]
            lines += [
                "  " + r for r in _grid(_progress_headers(s), _progress_rows(s), right={1, 5})
            ]
            trends = [(p.participant, _trend_text(s, p)) for p in s.progress]
            trends = [(who, t) for who, t in trends if t]
            if trends:
                lines.append("  Trend per dimension over finished attempts:")
                lines += [f"    {who}: {t}" for who, t in trends]
        lines += ["", "Plays"]
        lines += [
            "  " + r
            for r in _grid(
                ["participant", "mode", "outcome", "trust", "total", "answers"],
                [
                    [
                        r.participant,
                        r.mode,
                        r.outcome,
                        str(r.trust),
                        f"{r.total:+d}",
                        " ".join(r.choices),
                    ]
                    for r in s.rows
                ],
                right={3, 4},
            )
        ]
        lines.append("")
    lines.append("* = best-scoring option (highest framework total)")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown


PLAY_HEADERS = ["Participant", "Mode", "Outcome", "Trust", "Total", "Answers"]


def _play_rows(s: ScenarioReport) -> list[list[str]]:
    """One row per play of a scenario section (Markdown and HTML show the same)."""
    return [
        [r.participant, r.mode, r.outcome, str(r.trust), f"{r.total:+d}", " ".join(r.choices)]
        for r in s.rows
    ]


def _md_cell(text: str) -> str:
    """A cell already made safe (md_text for texts, md_code for ids): kept on one line."""
    return text.replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return out


def trainer_notes(s: ScenarioReport) -> str | None:
    """The scenario's `trainer_notes:` (Markdown, in the report's language), if any."""
    if s.scenario is None or s.scenario.trainer_notes is None:
        return None
    return s.scenario.trainer_notes.get(s.lang).strip() or None


def render_markdown(report: CohortReport) -> str:
    lines = [f"# {md_text(_title(report))}", "", f"Generated {report.generated_at}.", ""]
    if not report.scenarios:
        return "\n".join(lines + ["No plays recorded yet.", ""])
    for s in report.scenarios:
        lines += [f"## {md_text(s.title)} ({md_code(s.scenario_id)})", ""]
        lines += [f"> {n}" for n in _notes(s)]
        notes = trainer_notes(s)
        if notes:
            lines += ["### Notes for the trainer", ""]
            for para in (p for p in notes.split("\n\n") if p.strip()):
                lines += [md_text(para), ""]
        lines += [
            f"- Plays: **{s.plays}**, finished **{s.finished}** ({pct(s.completion)}), "
            f"participants {s.participants}",
            "- Outcomes: " + ", ".join(f"{o} {s.outcomes[o]}" for o in OUTCOMES),
            f"- Average over finished plays: trust {avg(s.average_trust)}, "
            f"framework total {num(s.average_total)}",
            "",
            "### Dimensions (average over finished plays)",
            "",
        ]
        lines += _md_table(
            ["Dimension", "Average"], [[md_text(d.label), num(d.average)] for d in s.dimensions]
        )
        if s.endings:
            lines += ["", "### Endings", ""]
            lines += _md_table(
                ["Ending", "Outcome", "Plays"],
                [[md_text(t), md_text(o), str(n)] for _, t, o, n in s.endings],
            )
        lines += ["", "### Decisions", ""]
        for n in s.nodes:
            lines += [
                f"**{md_text(n.node)}**: {md_text(n.prompt)}",
                "",
                f"{_plural(n.decisions, 'decision')}; chose the best-scoring option: "
                f"**{pct(n.best_share)}**",
                "",
            ]
            with_votes = any(o.votes is not None for o in n.options)
            headers = ["Option", "Chose", "Share", "Score"] + (["Room votes"] if with_votes else [])
            rows = []
            for o in n.options:
                text = md_text(o.text) if o.text != o.choice else ""
                label = f"{'★ ' if o.best else ''}{md_code(o.choice)} {text}"
                row = [
                    label.strip(),
                    str(o.count),
                    pct(o.share),
                    "-" if o.total is None else f"{o.total:+d}",
                ]
                if with_votes:
                    row.append("-" if o.votes is None else str(o.votes))
                rows.append(row)
            lines += _md_table(headers, rows) + [""]
        if s.turning_points:
            lines += ["### Most common turning points", ""]
            lines += _md_table(
                ["Plays", "Answer", "What changed", "Trust"],
                [
                    [
                        f"{t.plays} ({pct(t.share)})",
                        f"{md_code(t.node)} / {md_code(t.choice)}",
                        md_text(t.change),
                        f"{t.trust_delta:+.0f}",
                    ]
                    for t in s.turning_points
                ],
            )
            lines.append("")
        if s.progress:
            lines += ["### Progress per learner", "", md_text(_progress_note(s)), ""]
            headers = [*_progress_headers(s), "Trend per dimension"]
            rows = [
                [*r, _trend_text(s, p)] for r, p in zip(_progress_rows(s), s.progress, strict=True)
            ]
            # names and labels are escaped; the numbers and outcomes are Parley's own
            safe = [[md_text(r[0]), *r[1:-1], md_text(r[-1])] for r in rows]
            lines += _md_table(headers, safe) + [""]
        lines += ["### Plays", ""]
        lines += _md_table(PLAY_HEADERS, [[md_text(c) for c in r] for r in _play_rows(s)])
        lines.append("")
    lines += ["★ = best-scoring option (highest framework total)", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- CSV / JSON

CSV_HEADER = ["section", "scenario", "node", "item", "label", "count", "share", "value"]


class _FormulaSafeWriter:
    """A csv writer whose cells a spreadsheet never runs as formulas (engine.textsafety)."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow(csv_row(row))


def render_csv(report: CohortReport) -> str:
    """One long table: a `section` column says what each row is."""
    buf = io.StringIO()
    w = _FormulaSafeWriter(csv.writer(buf, lineterminator="\n"))
    w.writerow(CSV_HEADER)

    def share(x: float | None) -> str:
        return "" if x is None else f"{x:.4f}"

    def val(x: float | None) -> str:
        return "" if x is None else f"{x:.4f}".rstrip("0").rstrip(".")

    for s in report.scenarios:
        sid = s.scenario_id
        w.writerow(["summary", sid, "", "plays", s.title, s.plays, "", ""])
        w.writerow(["summary", sid, "", "finished", "", s.finished, share(s.completion), ""])
        w.writerow(["summary", sid, "", "participants", "", s.participants, "", ""])
        w.writerow(["summary", sid, "", "average_trust", "", "", "", val(s.average_trust)])
        w.writerow(["summary", sid, "", "average_total", "", "", "", val(s.average_total)])
        for o in OUTCOMES:
            w.writerow(
                [
                    "outcome",
                    sid,
                    "",
                    o,
                    "",
                    s.outcomes[o],
                    share(s.outcomes[o] / s.plays if s.plays else 0),
                    "",
                ]
            )
        for e, title, o, count in s.endings:
            w.writerow(
                [
                    "ending",
                    sid,
                    "",
                    e,
                    title,
                    count,
                    share(count / s.finished if s.finished else 0),
                    o,
                ]
            )
        for d in s.dimensions:
            w.writerow(["dimension", sid, "", d.key, d.label, "", "", val(d.average)])
        for n in s.nodes:
            w.writerow(
                ["node", sid, n.node, "best_share", n.prompt, n.decisions, share(n.best_share), ""]
            )
            for op in n.options:
                w.writerow(
                    [
                        "option",
                        sid,
                        n.node,
                        op.choice,
                        op.text,
                        op.count,
                        share(op.share),
                        "" if op.total is None else op.total,
                    ]
                )
                if op.votes is not None:
                    w.writerow(["room_votes", sid, n.node, op.choice, op.text, op.votes, "", ""])
        for p in s.progress:
            for item, a in (("first", p.first), ("last", p.last), ("best", p.best)):
                if a is not None:
                    w.writerow(
                        ["progress", sid, p.participant, item, a.outcome, a.number,
                         "" if a.passed is None else ("passed" if a.passed else "failed"),
                         a.total]
                    )  # fmt: skip
        for t in s.turning_points:
            w.writerow(
                [
                    "turning_point",
                    sid,
                    t.node,
                    t.choice,
                    t.change,
                    t.plays,
                    share(t.share),
                    f"{t.trust_delta:.2f}",
                ]
            )
    return buf.getvalue()


def render_json(report: CohortReport) -> str:
    return "".join(iter_json(report))


def iter_json(report: CohortReport) -> Iterator[str]:
    """The JSON report in pieces, for writing as it is made: the summary of each scenario
    indented as usual, its learners' progress and its play rows one per line (a cohort of 10,000 plays never sits in
    memory as one string)."""
    head = report.as_dict(scenarios=False)
    yield "{\n"
    for key, value in head.items():
        yield f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n"
    yield '  "scenarios": ['
    for i, s in enumerate(report.scenarios):
        body = json.dumps(s.as_dict(rows=False), indent=2, ensure_ascii=False)
        inner = "\n".join("    " + line for line in body.splitlines()[:-1])  # without "}"
        yield ("," if i else "") + "\n" + inner + ","
        for name, items in (
            ("progress", [progress_dict(p) for p in s.progress]),
            ("rows", [row_dict(r) for r in s.rows]),
        ):
            yield f'\n      "{name}": ['
            last = len(items) - 1
            for j, item in enumerate(items):
                line = json.dumps(item, ensure_ascii=False)
                yield f"\n        {line}" + ("," if j < last else "\n      ")
            yield "]" + ("," if name == "progress" else "")
        yield "\n    }"
    yield ("\n  " if report.scenarios else "") + "]\n}\n"


def render_chunks(
    report: CohortReport, fmt: str, xapi_base: str = DEFAULT_XAPI_BASE
) -> Iterator[str]:
    """`render` in pieces: JSON and xAPI stream, the others come as one piece."""
    if fmt == "json":
        yield from iter_json(report)
    elif fmt == "xapi":
        for s in report.scenarios:
            for statement in xapi_statements(s, xapi_base):
                yield json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n"
    else:
        yield render(report, fmt, xapi_base)


# ---------------------------------------------------------------- HTML

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
    body = []
    for r in rows:
        cells = "".join(
            f'<td class="n">{c if raw else escape(c)}</td>'
            if i in numeric
            else f"<td>{c if raw else escape(c)}</td>"
            for i, c in enumerate(r)
        )
        body.append(f"<tr>{cells}</tr>")
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
            rows = [
                [escape(c) for c in r] + [_sparkline(p), escape(_trend_text(s, p))]
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
        out.append("<h3>Plays</h3>")
        out.append(_html_table(PLAY_HEADERS, _play_rows(s), {3, 4}))
    out.append('<p class="muted">★ = best-scoring option (highest framework total).</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- xAPI

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACTIVITY_SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


def xapi_statements(s: ScenarioReport, base: str = DEFAULT_XAPI_BASE) -> list[dict[str, Any]]:
    """xAPI statements for one scenario's plays (the profile in docs/xapi.md, engine.xapi)."""
    bounds = score_bounds(s.scenario) if s.scenario is not None else None
    out: list[dict[str, Any]] = []
    for play in s.records:
        steps = list(s.steps.get(play.id, ()))
        out += statements_for_record(s.scenario, play, steps, base, bounds)
    return out


def render_xapi(report: CohortReport, base: str = DEFAULT_XAPI_BASE) -> str:
    """One xAPI statement (JSON) per line."""
    lines = []
    for s in report.scenarios:
        lines += [
            json.dumps(st, ensure_ascii=False, sort_keys=True) for st in xapi_statements(s, base)
        ]
    return "\n".join(lines) + ("\n" if lines else "")
