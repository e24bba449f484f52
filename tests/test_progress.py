"""Learner progress: `parley report --participant P` and the progress section of the cohort
report, on both stores. Ann plays records_small three times and gets better; Bo starts once
and stops; someone plays anonymously (no learner to follow).

Ann: blame_vendor,insist -> failure -9; facts_first,your_call -> partial +1;
     facts_first,two_options -> success +9 (the best possible total of the scenario).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli import parley

SMALL = Path(__file__).parent / "fixtures" / "records_small.yaml"
ANN = ["blame_vendor,insist", "facts_first,your_call", "facts_first,two_options"]


def record(db: str, scenario: Path, choices: str, *who: str) -> None:
    out = parley("play", str(scenario), "--choices", choices, "--record", "--cohort", "tue",
                 "--db", db, *who)  # fmt: skip
    assert out.returncode == 0, out.stderr


def fill(db: str, scenario: Path) -> None:
    for choices in ANN:
        record(db, scenario, choices, "--participant", "Ann")
    record(db, scenario, "just_ask", "--participant", "Bo")
    record(db, scenario, "facts_first,two_options")  # anonymous


def report(db: str, *args: str) -> str:
    out = parley("report", "--db", db, *args)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_progress_of_each_learner_first_last_best_and_trend(store_url: str) -> None:
    fill(store_url, SMALL)
    data = json.loads(report(store_url, "--cohort", "tue", "--format", "json"))
    [s] = data["scenarios"]
    progress = {p["participant"]: p for p in s["progress"]}
    assert list(progress) == ["Ann", "Bo"]  # the anonymous play has no learner
    ann = progress["Ann"]
    assert [a["total"] for a in ann["attempts"]] == [-9, 1, 9]
    assert (ann["first"]["total"], ann["last"]["total"], ann["best"]["number"]) == (-9, 9, 3)
    assert ann["change"] == 18
    assert dict((k, v) for k, v in ann["trend"])["situation"] == [-2, 2, 2]
    assert ann["pass_mark"] is None and ann["passed"] is None  # no pass mark in the file
    bo = progress["Bo"]
    assert [a["outcome"] for a in bo["attempts"]] == ["unfinished"]
    assert bo["first"] is None and bo["best"] is None and bo["change"] is None

    text = report(store_url, "--participant", "Ann")
    assert text.startswith("Parley progress report: Ann")
    assert re.search(r"Ann\s+3\s+-9 failure\s+\+9 success\s+\+9 success \(#3\)\s+\+18", text)
    assert "Ann: Situation -2 → +2 → +2; Options -3 → +0 → +3" in text
    assert "Bo" not in text and "anonymous" not in text  # only Ann's plays
    assert "Pass" not in text  # no pass mark, no pass column


def test_pass_mark_decides_pass_or_fail_per_attempt(tmp_path: Path) -> None:
    marked = tmp_path / "records_small.yaml"
    marked.write_text(
        SMALL.read_text(encoding="utf-8").replace(
            "language: en\n", "language: en\npass_mark: 0.5\n"
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "r.sqlite3")
    fill(db, marked)
    data = json.loads(report(db, "--participant", "Ann", "--format", "json"))
    [ann] = data["scenarios"][0]["progress"]
    assert ann["pass_mark"] == 0.5
    assert [a["passed"] for a in ann["attempts"]] == [False, False, True]
    assert ann["passed"] is True
    text = report(db, "--participant", "Ann")
    assert "pass mark 50% of the best possible total" in text
    assert re.search(r"\+18\s+passed", text)


def test_html_has_a_chart_per_learner(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    fill(db, SMALL)
    html = report(db, "--cohort", "tue", "--format", "html")
    assert "<h3>Progress per learner</h3>" in html
    charts = re.findall(r'<svg[^>]*aria-label="([^"]*)"', html)
    assert "Ann: totals -9, +1, +9" in charts
    assert html.count("<circle") >= 3


def test_unknown_participant_is_one_clear_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    fill(db, SMALL)
    out = parley("report", "--db", db, "--participant", "Zed")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "no plays recorded for participant 'Zed'" in out.stderr
    assert "'Ann', 'Bo'" in out.stderr


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_progress_in_markdown_and_csv(tmp_path: Path, fmt: str) -> None:
    db = str(tmp_path / "r.sqlite3")
    fill(db, SMALL)
    text = report(db, "--cohort", "tue", "--format", fmt)
    if fmt == "md":
        assert "### Progress per learner" in text
        assert "| Ann | 3 | -9 failure | +9 success | +9 success (#3) | +18 |" in text
    else:
        assert "progress,records-small,Ann,best,success,3,,9" in text


# ---------------------------------------------------------------- decisive moments (part 5)

INSIST = 'turn 2 (proposal / insist) put success out of reach: "We slip the date. There is no other way."'  # fmt: skip
YOUR_CALL = 'turn 2 (proposal / your_call) put success out of reach: "It\'s your call."'
TWO_OPTIONS = 'turn 2 (proposal / two_options) locked in success: "Two options: a focused cycle'
NOT_STORED = "recorded before decisive moments were stored (not worked out"
WORKED_OUT = "(worked out from the recorded answers: recorded before decisive moments were stored)"


def write(db: str, sql: str) -> None:
    """One write to either store, as a trainer's database tool would make it."""
    from engine.records import open_store

    with open_store(db) as store:
        store._run(lambda tx: tx.execute(sql))


def test_decisive_moment_of_each_attempt_in_every_format(store_url: str) -> None:
    """Each attempt's decisive moment is recorded when it ends (the one its debrief showed)
    and the progress report shows it per attempt: table, JSON, Markdown, CSV and HTML."""
    fill(store_url, SMALL)
    data = json.loads(report(store_url, "--cohort", "tue", "--format", "json"))
    progress = {p["participant"]: p for p in data["scenarios"][0]["progress"]}
    ann = progress["Ann"]["attempts"]
    assert [a["decisive_from"] for a in ann] == ["recorded"] * 3
    moments = [a["decisive"] for a in ann]
    assert [(m["kind"], m["turn"], m["choice"]) for m in moments] == [
        ("no_return", 2, "insist"), ("no_return", 2, "your_call"), ("locked_in", 2, "two_options")
    ]  # fmt: skip
    assert moments[0]["within_reach_before"] == "success"
    assert [a["choice"] for a in moments[0]["alternatives"]] == ["two_options"]
    [bo] = progress["Bo"]["attempts"]
    assert bo["decisive"] is None and bo["decisive_from"] == "unfinished"

    text = report(store_url, "--participant", "Ann")
    assert "  Decisive moment of each attempt:\n    Ann\n" in text
    assert f"      #1 failure: {INSIST}\n" in text
    assert f"      #2 partial: {YOUR_CALL}\n" in text
    assert f"      #3 success: {TWO_OPTIONS}" in text

    md = report(store_url, "--cohort", "tue", "--format", "md")
    assert "#### Decisive moment of each attempt" in md
    assert "| Ann | #1 | failure | turn 2 \\(proposal / insist\\) put success out of reach" in md
    assert "| Bo | #1 | unfinished | none yet \\(unfinished\\) |" in md
    csv_text = report(store_url, "--cohort", "tue", "--format", "csv")
    assert 'decisive,records-small,Ann,no_return,"turn 2 (proposal / insist)' in csv_text
    assert ",1,recorded,2\n" in csv_text
    html = report(store_url, "--cohort", "tue", "--format", "html")
    assert "<h4>Decisive moment of each attempt</h4>" in html
    assert "#3</td><td>success</td><td>turn 2 (proposal / two_options) locked in" in html


def test_plays_recorded_before_decisive_moments_were_stored(store_url: str, tmp_path: Path) -> None:
    """A play recorded before the decisive column existed: worked out again from its
    answers while the scenario file is the one it was played against, and said plainly
    otherwise (never a guess against a changed file)."""
    copy = tmp_path / "records_small.yaml"
    copy.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    for choices in ANN:
        record(store_url, copy, choices, "--participant", "Ann")
    recorded = json.loads(report(store_url, "--format", "json"))["scenarios"][0]["progress"]
    write(store_url, "UPDATE plays SET decisive = NULL")  # as migration 0004 leaves old plays

    data = json.loads(report(store_url, "--format", "json"))
    [ann] = data["scenarios"][0]["progress"]
    assert [a["decisive_from"] for a in ann["attempts"]] == ["worked_out"] * 3
    assert [a["decisive"] for a in ann["attempts"]] == [
        a["decisive"] for a in recorded[0]["attempts"]
    ]
    text = report(store_url)
    assert f"#1 failure: {INSIST} {WORKED_OUT}" in text

    # the file changed since: the moment is not worked out against the new version
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("It's your call.", "Your call, Dana."),
        encoding="utf-8",
    )
    data = json.loads(report(store_url, "--format", "json"))
    [ann] = data["scenarios"][0]["progress"]
    assert [a["decisive_from"] for a in ann["attempts"]] == ["not_stored"] * 3
    assert [a["decisive"] for a in ann["attempts"]] == [None] * 3
    text = report(store_url)
    assert text.count(f"#1 failure: {NOT_STORED}") == 1
    assert "Your call, Dana." not in text.split("Decisive moment of each attempt")[1]


def test_a_store_from_before_decisive_moments_is_upgraded(tmp_path: Path) -> None:
    """A records file of schema 3 (no decisive column) with a finished play: opening it adds
    the column; the play is reported as recorded before decisive moments were stored."""
    import sqlite3

    from engine.records import MIGRATIONS

    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    for statements in MIGRATIONS[:3]:
        for statement in statements:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO plays (uuid, scenario_id, scenario_hash, scenario_title, participant, "
        "lang, mode, started_at, updated_at, finished_at, ending, outcome, trust, level, rung, "
        "turns, scores, total) VALUES ('u1', 'records-small', 'an-older-file', 'Asking', 'Ann', "
        "'en', 'tui', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', "
        "'2026-01-01T00:01:00.000Z', 'end_bad', 'failure', 0, 'hostile', 'peer', 2, '{}', -9)"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    text = report(str(db), "--participant", "Ann")
    assert f"#1 failure: {NOT_STORED}" in text
    with sqlite3.connect(db) as conn:
        assert "decisive" in {r[1] for r in conn.execute("PRAGMA table_info(plays)")}
        assert conn.execute("SELECT decisive FROM plays").fetchall() == [(None,)]


def test_a_damaged_decisive_moment_is_one_clear_line(tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite3")
    fill(db, SMALL)
    write(db, "UPDATE plays SET decisive = 'edited by hand' WHERE id = 2")
    out = parley("report", "--db", db, "--participant", "Ann")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "a decisive moment in the records is damaged: 'edited by hand'" in out.stderr
