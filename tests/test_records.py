"""Play records: the real store a trainer gets (a SQLite file, or a PostgreSQL database
started by the tests), written the way players write it. Tests that take `store_url` run
once per store."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.conversation import Conversation
from engine.loader import load_scenario
from engine.records import MIGRATIONS, SCHEMA_VERSION, RecordsError, open_store
from simulator.recording import Recorder
from tests.cli import parley

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "records_small.yaml"
ROOT = Path(__file__).resolve().parent.parent


def rows(db: Path | str, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on either store (SQLite as the plain sqlite3 module reads it)."""
    if isinstance(db, Path) or "://" not in db:
        with sqlite3.connect(db) as conn:
            return list(conn.execute(sql))
    with open_store(db) as store:
        return [tuple(r) for r in store.query(sql)]


def test_scripted_play_is_recorded_with_who_and_every_step(store_url: str) -> None:
    db = store_url
    out = parley(
        "play", str(SMALL), "--choices", "facts_first,two_options", "--record",
        "--participant", "Ann", "--cohort", "tuesday", "--db", str(db),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert f"recorded play 1 in {db}" in out.stderr
    play = rows(
        db,
        "SELECT scenario_id, participant, cohort, lang, mode, ending, outcome, trust, level, "
        "rung, turns, scores, total, finished_at IS NOT NULL FROM plays",
    )
    assert play == [
        (
            "records-small", "Ann", "tuesday", "en", "scripted", "end_good", "success", 70,
            "open", "service-provider", 2,
            '{"engagement": 2, "options": 3, "recommendation": 2, "situation": 2}', 9, 1,
        )
    ]  # fmt: skip
    steps = rows(
        db,
        "SELECT turn, node, choice, trust_before, trust_after, level_before, level_after, "
        "scores, undone_at FROM steps ORDER BY turn",
    )
    assert steps == [
        (1, "ask", "facts_first", 45, 60, "neutral", "open",
         '{"engagement": 1, "options": 1, "recommendation": 0, "situation": 2}', None),
        (2, "proposal", "two_options", 60, 70, "open", "open",
         '{"engagement": 1, "options": 2, "recommendation": 2, "situation": 0}', None),
    ]  # fmt: skip
    # the content hash of the file played is kept with the play
    sc = load_scenario(SMALL)
    assert rows(db, "SELECT scenario_hash FROM plays") == [(sc.content_hash,)]


def test_root_options_and_default_database_in_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = parley(
        "--participant", "Bo", "--cohort", "wed", "play", str(SMALL), "--choices", "just_ask",
        "--record", env={"PARLEY_DATA_DIR": str(data)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    db = data / "records.sqlite3"
    assert rows(db, "SELECT participant, cohort, outcome, finished_at FROM plays") == [
        ("Bo", "wed", None, None)
    ]


def test_without_record_nothing_is_written(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    out = parley("play", str(SMALL), "--choices", "just_ask", "--db", str(db))
    assert out.returncode == 0
    assert not db.exists()


def test_a_choice_that_is_not_offered_keeps_the_answers_before_it(store_url: str) -> None:
    db = store_url
    out = parley("play", str(SMALL), "--choices", "blame_vendor,nope", "--record", "--db", str(db))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "choice 'nope' is not offered" in out.stderr
    assert rows(db, "SELECT choice FROM steps") == [("blame_vendor",)]


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    open_store(db).close()
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    columns = {r[1] for r in rows(db, "PRAGMA table_info(steps)")}
    assert {"play_id", "turn", "node", "choice", "trust_before", "trust_after", "votes"} <= columns


def test_an_old_database_is_migrated_and_keeps_its_plays(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO plays (uuid, scenario_id, scenario_hash, lang, mode, started_at, "
        "updated_at, trust, level, rung) VALUES ('u1', 'records-small', 'h', 'en', 'tui', "
        "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 45, 'neutral', 'peer')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        [play] = store.plays()
        assert play.uuid == "u1" and play.participant is None and play.who == "anonymous"
    assert "votes" in {r[1] for r in rows(db, "PRAGMA table_info(steps)")}


def test_a_newer_database_is_refused_with_a_hint(store_url: str) -> None:
    db = store_url
    open_store(db).close()
    if "://" in db:
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("UPDATE parley_schema SET version = version + 1")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    out = parley("report", "--db", db)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"written by a newer Parley (schema {SCHEMA_VERSION + 1}" in out.stderr
    assert "hint: upgrade Parley" in out.stderr


def test_postgres_schema_is_versioned_by_the_same_migrations(postgres_server: object) -> None:
    url = postgres_server.new_database()  # type: ignore[attr-defined]
    # many processes open a fresh database at once: the schema is made exactly once
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "import sys; from engine.records import open_store; "
             "open_store(sys.argv[1]).close()", url],
            cwd=ROOT, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(6)
    ]  # fmt: skip
    assert [p.wait() for p in procs] == [0] * 6, [p.stderr.read() for p in procs if p.stderr]
    assert rows(url, "SELECT version FROM parley_schema") == [(SCHEMA_VERSION,)]
    columns = {
        r[0]
        for r in rows(
            url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'steps'"
        )
    }
    assert {"play_id", "turn", "node", "choice", "trust_before", "trust_after", "votes"} <= columns


def test_a_postgres_url_that_cannot_be_reached_is_one_clear_line(tmp_path: Path) -> None:
    url = f"postgresql://ann:s3cret@/nowhere?host={tmp_path}&port=18799"
    out = parley("play", str(SMALL), "--choices", "just_ask", "--record", "--db", url)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot connect to the records database postgresql://ann:***@/nowhere" in out.stderr
    assert "s3cret" not in out.stderr
    out = parley("report", "--db", "mysql://x@y/z")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "unknown records database URL scheme 'mysql://'" in out.stderr


def test_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("these are my notes, not a database\n" * 100)
    out = parley("play", str(SMALL), "--choices", "just_ask", "--record", "--db", str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "not a usable Parley records database" in out.stderr
    out = parley("report", "--db", str(bad))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "not a usable Parley records database" in out.stderr


def test_undo_marks_steps_undone_and_the_play_follows_the_new_answers(store_url: str) -> None:
    db = store_url
    sc = load_scenario(SMALL)
    rec = Recorder(db, participant="Cy", cohort="c", mode="tui")
    conv = Conversation(sc)
    rec.on_start(conv)
    rec.on_step(conv, conv.choose("blame_vendor"))
    rec.on_step(conv, conv.choose("insist"))
    rec.on_end(conv)
    assert rows(db, "SELECT outcome FROM plays") == [("failure",)]
    conv.undo(2)
    rec.on_undo(conv)
    assert rows(db, "SELECT outcome, finished_at, turns, trust FROM plays") == [(None, None, 0, 45)]
    rec.on_step(conv, conv.choose("facts_first"))
    rec.on_step(conv, conv.choose("two_options"))
    rec.on_end(conv)
    rec.close()
    assert rows(db, "SELECT turn, choice, undone_at IS NOT NULL FROM steps ORDER BY id") == [
        (1, "blame_vendor", 1),
        (2, "insist", 1),
        (1, "facts_first", 0),
        (2, "two_options", 0),
    ]
    with open_store(db) as store:
        [play] = store.plays()
        assert play.outcome == "success" and play.trust == 70
        assert [s.choice for s in store.steps(play.id)] == ["facts_first", "two_options"]
        assert len(store.steps(play.id, include_undone=True)) == 4


def test_a_records_problem_is_reported_and_the_play_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rec = Recorder(blocker / "sub" / "r.sqlite3")  # a folder under a file: cannot exist
    conv = Conversation(load_scenario(SMALL))
    with pytest.raises(RecordsError, match="cannot open the records database"):
        rec.on_start(conv)  # the app shows this as a notice
    step = conv.choose("just_ask")
    with pytest.raises(RecordsError):
        rec.on_step(conv, step)
    assert rec.play_id is None
    assert rec.problem is not None and "cannot open the records database" in rec.problem
    assert conv.turns == 1  # the play itself went on


def test_a_late_start_brings_in_the_answers_made_so_far(store_url: str) -> None:
    db = store_url
    rec = Recorder(db, participant="Di")
    conv = Conversation(load_scenario(SMALL))
    rec.on_step(conv, conv.choose("facts_first"))  # no on_start before: starts now
    rec.on_step(conv, conv.choose("two_options"))
    rec.on_end(conv)
    rec.close()
    assert rows(db, "SELECT turn, choice FROM steps ORDER BY turn") == [
        (1, "facts_first"),
        (2, "two_options"),
    ]
    assert rows(db, "SELECT outcome FROM plays") == [("success",)]


def test_a_resumed_play_continues_its_recorded_play(store_url: str) -> None:
    db = store_url
    sc = load_scenario(SMALL)
    first = Recorder(db, participant="Ed", cohort="c")
    conv = Conversation(sc)
    first.on_start(conv)
    first.on_step(conv, conv.choose("facts_first"))
    first.close()  # the app was closed; the autosave resumes it later
    again = Recorder(db, participant="Ed", cohort="c")
    resumed = Conversation.replay(sc, ["facts_first"])
    again.on_start(resumed)
    again.on_step(resumed, resumed.choose("two_options"))
    again.on_end(resumed)
    again.close()
    assert rows(db, "SELECT COUNT(*), MAX(outcome) FROM plays") == [(1, "success")]
    assert rows(db, "SELECT choice FROM steps ORDER BY turn") == [
        ("facts_first",),
        ("two_options",),
    ]


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from engine.conversation import Conversation
    from engine.loader import load_scenario
    from simulator.recording import Recorder

    rec = Recorder(sys.argv[1], participant="Kim", cohort="k", mode="tui")
    conv = Conversation(load_scenario(sys.argv[2]))
    rec.on_start(conv)
    rec.on_step(conv, conv.choose("facts_first"))
    print("chosen", flush=True)
    sys.stdin.readline()  # waits here, mid-play, until killed
    """
)


def test_kill_9_mid_play_keeps_every_choice_already_made(store_url: str) -> None:
    db = store_url
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(db), str(SMALL)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "chosen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(db) as store:
        [play] = store.plays()
        assert play.participant == "Kim" and not play.finished and play.trust == 60
        assert [(s.node, s.choice) for s in store.steps(play.id)] == [("ask", "facts_first")]


def _writer(db: str, scenario: str, worker: int, plays: int, barrier: object) -> None:
    sc = load_scenario(scenario)
    barrier.wait()  # type: ignore[attr-defined]
    for i in range(plays):
        rec = Recorder(db, participant=f"w{worker}-{i}", cohort="crowd", mode="served")
        conv = Conversation(sc)
        rec.on_start(conv)
        rec.on_step(conv, conv.choose("facts_first"))
        rec.on_step(conv, conv.choose("two_options"))
        rec.on_end(conv)
        if rec.problem:
            raise SystemExit(f"worker {worker}: {rec.problem}")
        rec.close()


@pytest.mark.slow
def test_many_processes_write_at_once_without_losing_or_locking_out(store_url: str) -> None:
    db = store_url
    workers, plays = 8, 15
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers)
    procs = [
        ctx.Process(target=_writer, args=(str(db), str(SMALL), w, plays, barrier))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert [p.exitcode for p in procs] == [0] * workers
    assert rows(db, "SELECT COUNT(*), COUNT(finished_at) FROM plays") == [
        (workers * plays, workers * plays)
    ]
    assert rows(db, "SELECT COUNT(*) FROM steps") == [(workers * plays * 2,)]
    assert rows(db, "SELECT COUNT(DISTINCT participant) FROM plays") == [(workers * plays,)]
    if "://" not in db:
        assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_report_of_the_recorded_steps_json(store_url: str) -> None:
    db = store_url
    parley("play", str(SMALL), "--choices", "facts_first", "--record", "--db", str(db))
    out = parley("report", "--db", str(db), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["plays"] == 1 and data["scenarios"][0]["outcomes"]["unfinished"] == 1


async def test_the_app_records_a_play_and_its_undo(store_url: str) -> None:
    from simulator.app import ParleyApp
    from simulator.launch import build_hooks

    db = store_url
    options = {"db_path": str(db), "participant": "Flo", "cohort": "app-day", "shuffle": False}
    app = ParleyApp(options, scenario=load_scenario(SMALL), hooks=build_hooks(options))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        await pilot.press("3")  # blame_vendor
        await pilot.pause()
        await pilot.press("u")  # take it back
        await pilot.pause()
        await pilot.press("1", "1")  # facts_first, two_options
        await pilot.pause()
    assert rows(db, "SELECT participant, cohort, mode, outcome FROM plays") == [
        ("Flo", "app-day", "tui", "success")
    ]
    # the decisive moment the debrief shows is recorded with the play, on both stores
    [(decisive,)] = rows(db, "SELECT decisive FROM plays")
    moment = json.loads(str(decisive))
    assert (moment["kind"], moment["turn"], moment["choice"]) == ("locked_in", 2, "two_options")
    assert rows(db, "SELECT turn, choice, undone_at IS NOT NULL FROM steps ORDER BY id") == [
        (1, "blame_vendor", 1),
        (1, "facts_first", 0),
        (2, "two_options", 0),
    ]
