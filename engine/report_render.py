"""Cohort report renderers: table, Markdown, CSV, JSON, one-file HTML (inline SVG), xAPI.

Each takes a CohortReport (engine.report) and returns a string; nothing is printed here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from engine.progress import UNFINISHED, WORKED_OUT, Attempt, LearnerProgress
from engine.report import (
    OUTCOMES,
    CohortReport,
    ScenarioReport,
    _short,
    progress_dict,
    row_dict,
)
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
        "html": _html,
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


def _trend_text(s: ScenarioReport, p: LearnerProgress, labels: dict[str, str] | None = None) -> str:
    labels = labels if labels is not None else {d.key: d.label for d in s.dimensions}
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


NOT_STORED_TEXT = (
    "recorded before decisive moments were stored (not worked out: the scenario file "
    "has changed since, or was not found)"
)
WORKED_OUT_TEXT = (
    " (worked out from the recorded answers: recorded before decisive moments were stored)"
)


def moment_text(a: Attempt) -> str:
    """An attempt's decisive moment in words, the same in every format: the turn, the
    decision and answer (ids), what it decided, then what the learner said."""
    m = a.decisive
    if a.decisive_from == UNFINISHED:
        return "none yet (unfinished)"
    if m is None:
        return NOT_STORED_TEXT
    tail = WORKED_OUT_TEXT if a.decisive_from == WORKED_OUT else ""
    if m.kind == "none":
        return "no single answer decided it (no other outcome was within reach)" + tail
    if m.kind == "unknown":
        return "not worked out" + (f" ({m.reason})" if m.reason else "") + tail
    what = (
        f"put {m.within_reach} out of reach" if m.kind == "no_return" else f"locked in {m.outcome}"
    )
    return f'turn {m.turn} ({m.node} / {m.choice}) {what}: "{_short(m.said)}"{tail}'


def _moment_rows(s: ScenarioReport) -> list[tuple[str, Attempt]]:
    """(learner, attempt) for every attempt of the progress section, learner by learner."""
    return [(p.participant, a) for p in s.progress for a in p.attempts]


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
    if rows:
        columns = zip(*rows, strict=True)
        widths = [max(w, *map(len, col)) for w, col in zip(widths, columns, strict=True)]
    # one format for every line: each cell padded to its column, left or right
    fmt = "  ".join(f"{{:{'>' if i in right else '<'}{w}}}" for i, w in enumerate(widths)).format
    out = [fmt(*headers).rstrip(), fmt(*["-" * w for w in widths]).rstrip()]
    out += [fmt(*r).rstrip() for r in rows]
    return out


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
            labels = {d.key: d.label for d in s.dimensions}
            trends = [(p.participant, _trend_text(s, p, labels)) for p in s.progress]
            trends = [(who, t) for who, t in trends if t]
            if trends:
                lines.append("  Trend per dimension over finished attempts:")
                lines += [f"    {who}: {t}" for who, t in trends]
            lines.append("  Decisive moment of each attempt:")
            for p in s.progress:
                lines.append(f"    {p.participant}")
                lines += [f"      #{a.number} {a.outcome}: {moment_text(a)}" for a in p.attempts]
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
MOMENT_HEADERS = ["Learner", "Attempt", "Outcome", "Decisive moment"]


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
            labels = {d.key: d.label for d in s.dimensions}
            headers = [*_progress_headers(s), "Trend per dimension"]
            rows = [
                [*r, _trend_text(s, p, labels)]
                for r, p in zip(_progress_rows(s), s.progress, strict=True)
            ]
            # names and labels are escaped; the numbers and outcomes are Parley's own
            safe = [[md_text(r[0]), *r[1:-1], md_text(r[-1])] for r in rows]
            lines += _md_table(headers, safe) + [""]
            lines += ["#### Decisive moment of each attempt", ""]
            lines += _md_table(
                MOMENT_HEADERS,
                [
                    [md_text(who), f"#{a.number}", a.outcome, md_text(moment_text(a))]
                    for who, a in _moment_rows(s)
                ],
            ) + [""]
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
            for a in p.attempts:
                m = a.decisive
                w.writerow(
                    ["decisive", sid, p.participant, m.kind if m is not None else a.decisive_from,
                     moment_text(a), a.number, a.decisive_from,
                     m.turn if m is not None and m.found else ""]
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


def _html(report: CohortReport) -> str:
    from engine.report_html import render_html  # imports this module's helpers

    return render_html(report)


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
