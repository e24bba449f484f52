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
