"""`parley report`: three scripted plays in a fresh database, checked in every format.

The plays (records_small.yaml, trust starts at 45, neutral):
  Ann: facts_first, two_options -> success, trust 70, scores sit 2, opt 3, rec 2, eng 2 (9)
  Bo:  facts_first, your_call   -> partial, trust 60, scores sit 2, opt 0, rec -2, eng 1 (1)
  Cy:  blame_vendor, insist     -> failure, trust 0,  scores sit -2, opt -3, rec 0, eng -4 (-9)
So: ask split 2/0/1 (best facts_first: 2 of 3), proposal split 1/1/1 (best two_options: 1 of 3),
averages sit 2/3, opt 0, rec 0, eng -1/3, trust 130/3, total 1/3.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from engine.records import open_store
from tests.cli import parley
from tests.pgserver import STORES

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "records_small.yaml"
ROOT = Path(__file__).resolve().parent.parent

PLAYS = [
    ("Ann", "facts_first,two_options"),
    ("Bo", "facts_first,your_call"),
    ("Cy", "blame_vendor,insist"),
]


@pytest.fixture(scope="module", params=STORES)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The plays recorded through the CLI, once into SQLite and once into PostgreSQL."""
    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("report") / "workshop.sqlite3")
    else:
        path = request.getfixturevalue("postgres_server").new_database("report")
    for who, choices in PLAYS:
        out = parley(
            "play", str(SMALL), "--choices", choices, "--record", "--participant", who,
            "--cohort", "tuesday", "--db", path,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
    # another cohort's play must not count
    out = parley(
        "play", str(SMALL), "--choices", "just_ask,your_call", "--record", "--cohort", "other",
        "--db", path,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return path


def report(db: str, fmt: str, *extra: str, env: dict[str, str] | None = None) -> str:
    out = parley("report", "--cohort", "tuesday", "--db", str(db), "--format", fmt, *extra, env=env)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out.stdout


def test_json_splits_and_averages_match_the_plays(db: str) -> None:
    data = json.loads(report(db, "json"))
    assert data["cohort"] == "tuesday" and data["plays"] == 3
    [s] = data["scenarios"]
    assert s["scenario_id"] == "records-small"
    assert (s["plays"], s["finished"], s["completion"], s["participants"]) == (3, 3, 1.0, 3)
    assert s["outcomes"] == {"success": 1, "partial": 1, "failure": 1, "unfinished": 0}
    averages = {d["key"]: d["average"] for d in s["dimensions"]}
    assert averages == pytest.approx(
        {"situation": 2 / 3, "options": 0.0, "recommendation": 0.0, "engagement": -1 / 3}
    )
    assert s["average_trust"] == pytest.approx(130 / 3)
    assert s["average_total"] == pytest.approx(1 / 3)
    nodes = {n["node"]: n for n in s["nodes"]}
    assert list(nodes) == ["ask", "proposal"]
    ask = {o["choice"]: (o["count"], o["best"]) for o in nodes["ask"]["options"]}
    assert ask == {"facts_first": (2, True), "just_ask": (0, False), "blame_vendor": (1, False)}
    assert nodes["ask"]["best_share"] == pytest.approx(2 / 3)
    proposal = {o["choice"]: o["count"] for o in nodes["proposal"]["options"]}
    assert proposal == {"two_options": 1, "your_call": 1, "insist": 1}
    assert nodes["proposal"]["best_share"] == pytest.approx(1 / 3)
    turning = [(t["node"], t["choice"], t["change"], t["plays"]) for t in s["turning_points"]]
    assert turning[0] == ("ask", "facts_first", "Dana: neutral -> open", 2)
    assert ("ask", "blame_vendor", "Dana: neutral -> guarded", 1) in turning
    assert ("proposal", "insist", "Dana: guarded -> hostile", 1) in turning
    assert [r["participant"] for r in s["rows"]] == ["Ann", "Bo", "Cy"]


def test_table_reads_like_the_plays(db: str) -> None:
    text = report(db, "table")
    assert "Parley cohort report: cohort 'tuesday'" in text
    assert "plays: 3   finished: 3 (100%)   participants: 3" in text
    assert "outcomes: success 1   partial 1   failure 1   unfinished 0" in text
    assert "average over finished plays: trust 43.3   framework total +0.33" in text
    assert re.search(r"Situation\s+\+0\.67", text)
    assert re.search(r"Engagement\s+-0\.33", text)
    assert "3 decisions; chose the best-scoring option: 67%" in text
    assert re.search(r"\*\s+facts_first: Yes\. Two minutes.*\s2\s+67%\s+\+4", text)
    assert "3 decisions; chose the best-scoring option: 33%" in text
    assert re.search(r"2 \(67%\)\s+ask / facts_first\s+Dana: neutral -> open\s+\+15", text)


def test_markdown(db: str) -> None:
    text = report(db, "md")
    assert text.startswith("# Parley cohort report: cohort 'tuesday'")
    assert "- Outcomes: success 1, partial 1, failure 1, unfinished 0" in text
    assert "| Situation | +0.67 |" in text
    assert (
        "| ★ `facts_first` Yes. Two minutes on what cycle two found, then a proposal. | 2 | 67% | +4 |"
        in text
    )
    assert "| `your_call` It's your call. | 1 | 33% | -3 |" in text


def test_csv(db: str) -> None:
    rows = list(csv.DictReader(io.StringIO(report(db, "csv"))))
    get = {(r["section"], r["node"], r["item"]): r for r in rows}
    assert get[("summary", "", "plays")]["count"] == "3"
    assert get[("summary", "", "finished")]["share"] == "1.0000"
    assert get[("outcome", "", "failure")]["count"] == "1"
    assert float(get[("dimension", "", "situation")]["value"]) == pytest.approx(2 / 3, abs=1e-4)
    assert get[("option", "ask", "facts_first")]["count"] == "2"
    assert get[("option", "ask", "blame_vendor")]["value"] == "-6"
    assert float(get[("node", "ask", "best_share")]["share"]) == pytest.approx(2 / 3, abs=1e-4)
    assert get[("turning_point", "ask", "facts_first")]["count"] == "2"


def test_html_is_one_self_contained_file(db: str, tmp_path: Path) -> None:
    out_file = tmp_path / "report.html"
    out = parley(
        "report", "--cohort", "tuesday", "--db", str(db), "--format", "html", "-o", str(out_file)
    )
    assert out.returncode == 0, out.stderr
    assert f"wrote html report (3 plays) to {out_file}" in out.stderr
    html = out_file.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<svg") >= 4  # outcomes, dimensions, one split bar per decision
    # nothing fetched from elsewhere: no scripts, links, images, imports or url()
    for needle in ("<script", "<link", "<img", "@import", "url(", 'src="', "href="):
        assert needle not in html
    external = set(re.findall(r"https?://[^\"' <]+", html)) - {"http://www.w3.org/2000/svg"}
    assert external == set()
    assert "Asking for one more week" in html and "67%" in html
    assert "It&#x27;s your call." in html


def test_xapi_statements_follow_the_profile(db: str) -> None:
    lines = report(db, "xapi", "--xapi-base", "https://lrs.example.org/parley").splitlines()
    statements = [json.loads(line) for line in lines]
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    # per play: initialized, two answers, completed, passed/failed, terminated
    assert len(statements) == 18 and len({s["id"] for s in statements}) == 18
    assert verbs[:6] == ["initialized", "answered", "answered", "completed", "passed", "terminated"]
    assert (
        verbs.count("failed") == 2
    )  # Bo (partial) and Cy (failure): no pass_mark, outcome decides
    for s in statements:
        assert set(s) >= {"id", "actor", "verb", "object", "timestamp", "context"}
        assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/" + s["verb"]["display"]["en-US"]
        assert s["actor"]["account"]["homePage"] == "https://lrs.example.org/parley"
        assert s["object"]["id"].startswith(
            "https://lrs.example.org/parley/scenarios/records-small"
        )
        assert re.fullmatch(r"[0-9a-f-]{36}", s["context"]["registration"])
        grouping = s["context"]["contextActivities"]["grouping"]
        assert grouping[0]["id"] == "https://lrs.example.org/parley/cohorts/tuesday"
        assert s["timestamp"].endswith("Z")
    ann = [s for s in statements if s["actor"]["name"] == "Ann"]
    assert len({s["context"]["registration"] for s in ann}) == 1
    answered = [s for s in ann if s["verb"]["display"]["en-US"] == "answered"]
    assert [s["result"]["response"] for s in answered] == ["facts_first", "two_options"]
    first = answered[0]["object"]
    assert first["id"].endswith("/nodes/ask")
    assert first["definition"]["interactionType"] == "choice"
    assert [c["id"] for c in first["definition"]["choices"]] == [
        "facts_first", "just_ask", "blame_vendor",
    ]  # fmt: skip
    assert answered[0]["context"]["contextActivities"]["parent"][0]["id"].endswith(
        "/scenarios/records-small"
    )
    scores_key = "https://lrs.example.org/parley/xapi/extensions/scores"
    assert answered[0]["result"]["extensions"][scores_key] == {
        "situation": 2, "options": 1, "recommendation": 0, "engagement": 1,
    }  # fmt: skip
    done = {
        s["actor"]["name"]: s["result"]
        for s in statements
        if s["verb"]["display"]["en-US"] == "completed"
    }
    # best possible total 9 (facts_first + two_options), worst -9 (blame_vendor + insist)
    assert done["Ann"]["score"] == {"raw": 9, "min": -9, "max": 9, "scaled": 1.0}
    assert done["Bo"]["score"] == {"raw": 1, "min": -9, "max": 9, "scaled": 0.1111}
    assert done["Cy"]["score"] == {"raw": -9, "min": -9, "max": 9, "scaled": -1.0}
    assert done["Bo"]["completion"] is True and done["Bo"]["success"] is False
    outcome_key = "https://lrs.example.org/parley/xapi/extensions/outcome"
    assert {n: r["extensions"][outcome_key] for n, r in done.items()} == {
        "Ann": "success",
        "Bo": "partial",
        "Cy": "failure",
    }
    again = report(db, "xapi", "--xapi-base", "https://lrs.example.org/parley").splitlines()
    assert [json.loads(x)["id"] for x in again] == [s["id"] for s in statements]


def test_xapi_pass_mark_decides_passed_or_failed(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("start: ask", "pass_mark: 0.1\nstart: ask", 1)
    copy = tmp_path / "records_small.yaml"
    copy.write_text(text, encoding="utf-8")
    path = tmp_path / "w.sqlite3"
    for who, choices in PLAYS:
        out = parley(
            "play", str(copy), "--choices", choices, "--record", "--participant", who,
            "--db", str(path),
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
    out = parley("report", "--db", str(path), "--format", "xapi")
    assert out.returncode == 0, out.stderr
    statements = [json.loads(line) for line in out.stdout.splitlines()]
    verdicts = {
        s["actor"]["name"]: s["verb"]["display"]["en-US"]
        for s in statements
        if s["verb"]["display"]["en-US"] in ("passed", "failed")
    }
    # Bo's total 1 is 11% of the best 9: above the mark although the ending is only partial
    assert verdicts == {"Ann": "passed", "Bo": "passed", "Cy": "failed"}


def test_scenario_filter_and_unknown_cohort(db: str) -> None:
    data = json.loads(report(db, "json", "--scenario", "records-small"))
    assert data["plays"] == 3
    data = json.loads(report(db, "json", "--scenario", "budget-cut"))
    assert data["plays"] == 0 and data["scenarios"] == []
    out = parley("report", "--cohort", "thursday", "--db", str(db))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "no plays recorded for cohort 'thursday'" in out.stderr
    assert "'other'" in out.stderr and "'tuesday'" in out.stderr


def test_missing_database_is_a_clear_message(tmp_path: Path) -> None:
    out = parley("report", "--db", str(tmp_path / "none.sqlite3"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "no records database at" in out.stderr


def test_a_missing_or_changed_scenario_file_is_said_not_hidden(tmp_path: Path) -> None:
    copy = tmp_path / "records_small.yaml"
    copy.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "r.sqlite3"
    out = parley("play", str(copy), "--choices", "facts_first", "--record", "--db", str(db))
    assert out.returncode == 0, out.stderr
    # the trainer edits the scenario after the play: the report says so
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("I need one more week.", "One more week?"),
        encoding="utf-8",
    )
    text = parley("report", "--db", str(db)).stdout
    assert "recorded against an earlier version of the scenario file" in text
    assert "just_ask: One more week?" in text
    # the file is gone: the report still works from the records alone
    copy.unlink()
    out = parley("report", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "the scenario file was not found" in out.stdout
    assert "facts_first" in out.stdout and "chose the best-scoring option: -" in out.stdout


def test_the_same_plays_give_byte_identical_reports_on_both_stores(
    tmp_path: Path, postgres_server: object
) -> None:
    """Plays recorded into SQLite, copied into PostgreSQL by `parley records migrate`: every
    report format is the same, byte for byte."""
    sqlite_db = str(tmp_path / "workshop.sqlite3")
    for who, choices in PLAYS + [("Di", "facts_first")]:
        out = parley(
            "play", str(SMALL), "--choices", choices, "--record", "--participant", who,
            "--cohort", "tuesday", "--db", sqlite_db,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
    url = postgres_server.new_database("same")  # type: ignore[attr-defined]
    out = parley("records", "migrate", "--db", sqlite_db, "--to", url)
    assert out.returncode == 0, out.stderr
    assert "copied 4 plays and 7 steps" in out.stdout
    assert "counts check: 4 plays in the source, all in the target" in out.stdout
    assert "the target now holds 4 plays and 7 steps" in out.stdout
    # the decisive moments come along (the reports below would say "worked out" otherwise)
    moments = "SELECT uuid, decisive FROM plays ORDER BY uuid"
    with open_store(sqlite_db) as src, open_store(url) as dst:
        copied = list(dst.query(moments))
        assert copied == list(src.query(moments))
    assert sum(1 for _, d in copied if d) == 3  # three finished plays, one unfinished
    for fmt in ("table", "md", "csv", "json", "html", "xapi"):
        a = report_at(sqlite_db, fmt)
        b = report_at(url, fmt)
        assert a == b, fmt
    # again: nothing is copied twice
    out = parley("records", "migrate", "--db", sqlite_db, "--to", url)
    assert out.returncode == 0, out.stderr
    assert (
        "copied 0 plays and 0 steps" in out.stdout and "(4 plays were already there)" in out.stdout
    )


def report_at(db: str, fmt: str) -> str:
    """A report generated at a fixed time (SOURCE_DATE_EPOCH)."""
    text = report(db, fmt, env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert fmt in ("csv", "xapi") or "2026-09-21" in text
    return text


def test_records_migrate_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    out = parley("records", "migrate", "--db", str(tmp_path / "none.sqlite3"), "--to",
                 "postgresql://x@/y?host=/nowhere")  # fmt: skip
    assert out.returncode == 2 and "no records database at" in out.stderr
    out = parley("records", "migrate", "--to", str(tmp_path / "other.sqlite3"))
    assert out.returncode == 2 and "--to must be a postgresql:// URL" in out.stderr
    assert "Traceback" not in out.stderr
