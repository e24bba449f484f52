"""`parley report` at scale: a cohort of 10,000 plays / ~50,000 steps, on both stores.

    python bench/report_bench.py [--plays 10000] [--store sqlite|postgresql|both]
                                 [--formats table,html,json,csv,md] [--repeat 3]

Builds a store of PLAYS plays: random walks through five bundled scenarios (mean ~5
answers each; one play in ten left unfinished), by 2,000 learners in 4 cohorts, written
straight into the tables, each finished play with its decisive moment as the recorder
writes it. Then runs the real command, `python -m simulator.cli.main report --db STORE
--format F -o FILE`, as a fresh process per run, and records its wall time (median of
--repeat runs, start-up included), CPU time and peak memory (the child's max RSS).

The runs are warm, as on a trainer's machine after the first report: Python's bytecode is
cached (as an installed Parley has it; PYTHONDONTWRITEBYTECODE is dropped for the child,
PYTHONPYCACHEPREFIX points into the bench's temp folder) and so are the compiled scenarios
(engine.scenario_cache, PARLEY_CACHE_DIR in the temp folder); one untimed run per store
fills both. `cold` is one run per store without either (no bytecode written, --no-cache):
the very first report on a fresh install. PostgreSQL is started in a temp folder as the
tests do (tests/pgserver.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = ["budget-cut", "after-the-audit", "quiet-expert", "extra-pair-of-hands",
             "stepping-stone"]  # fmt: skip
LEARNERS = 2000
COHORTS = ["north", "south", "east", "west"]


def walks(count: int, seed: int = 7) -> list[tuple[Any, Any, list[Any], str | None]]:
    """`count` distinct random plays: (scenario, final conversation, steps, decisive moment
    as the recorder writes it)."""
    from engine.conversation import Conversation
    from engine.library import find_scenario
    from engine.loader import load_scenario
    from engine.records.decisive import moment_text

    scenarios = [load_scenario(find_scenario(s, ())) for s in SCENARIOS]
    rnd = random.Random(seed)
    convs = []
    for i in range(count):
        sc = scenarios[i % len(scenarios)]
        conv = Conversation(sc)
        stop = rnd.randint(1, 3) if i % 10 == 9 else 99  # one in ten unfinished
        while not conv.ended and conv.turns < stop:
            conv.choose(rnd.choice(list(conv.offered())).id)
        convs.append(conv)
    moments: dict[int, str | None] = {}
    for i in sorted(range(count), key=lambda i: i % len(scenarios)):  # one exploration each
        moments[i] = moment_text(convs[i])
    return [(c.scenario, c, list(c.history), moments[i]) for i, c in enumerate(convs)]


def build(target: str, plays: int) -> tuple[int, int]:
    from engine.records import iso, open_store

    distinct = walks(500)
    start = 1_790_000_000.0
    from datetime import UTC, datetime

    with open_store(target) as store:

        def fill(tx: Any) -> int:
            n_steps = 0
            for i in range(plays):
                sc, conv, steps, decisive = distinct[(i * 7919) % len(distinct)]
                t = iso(datetime.fromtimestamp(start + i * 37, UTC))
                cur = tx.execute(
                    "INSERT INTO plays (uuid, scenario_id, scenario_hash, scenario_title, "
                    "scenario_path, framework, participant, cohort, lang, mode, started_at, "
                    "updated_at, finished_at, ending, outcome, trust, level, rung, turns, "
                    "scores, total, decisive) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "RETURNING id",
                    (str(uuid.UUID(int=i + 1)), sc.id, sc.content_hash, sc.title.get("en"),
                     str(sc.path), sc.framework.id, f"learner-{i % LEARNERS:04d}",
                     COHORTS[(i // LEARNERS) % len(COHORTS)], "en", "served", t, t,
                     t if conv.ended else None, conv.node.id if conv.ended else None,
                     conv.outcome, conv.trust, conv.trust_level, conv.rung, conv.turns,
                     json.dumps(conv.scores, sort_keys=True), sum(conv.scores.values()),
                     decisive),
                )  # fmt: skip
                pid = int(cur.fetchone()[0])
                for s in steps:
                    tx.execute(
                        "INSERT INTO steps (play_id, turn, node, choice, trust_before, "
                        "trust_after, level_before, level_after, rung_before, rung_after, "
                        "scores, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (pid, s.turn, s.node, s.choice, s.trust_before, s.trust_after,
                         s.level_before, s.level_after, s.rung_before, s.rung_after,
                         json.dumps(s.scores, sort_keys=True), t),
                    )  # fmt: skip
                    n_steps += 1
            return n_steps

        steps = int(store._run(fill))
    return plays, steps


def child_env(folder: Path, cold: bool = False) -> dict[str, str]:
    """The report process's environment: warm caches in `folder`, or none (`cold`)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    if cold:
        env.update(PYTHONDONTWRITEBYTECODE="1", PARLEY_NO_CACHE="1")
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PARLEY_NO_CACHE", None)
        env.update(PYTHONPYCACHEPREFIX=str(folder / "pycache"),
                   PARLEY_CACHE_DIR=str(folder / "cache"))  # fmt: skip
    return env


def run_report(target: str, fmt: str, out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one `parley report`
    process (os.wait4's rusage). On a machine shared with other work the CPU time is the
    steadier figure; the wall time includes waiting for a core."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli.main", "report", "--db", target, "--format", fmt,
         "-o", str(out)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(proc.stderr.read().decode() if proc.stderr else f"status {status}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plays", type=int, default=10_000)
    ap.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--formats", default="table,html,json,csv,md")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    folder = Path(tempfile.mkdtemp(prefix="parley-report-bench-"))
    for kind in kinds:
        server = None
        if kind == "sqlite":
            target = str(folder / "big.sqlite3")
        else:
            from tests.pgserver import start_postgres

            server = start_postgres(18791)
            target = server.new_database("big")
        try:
            t0 = time.perf_counter()
            plays, steps = build(target, args.plays)
            print(f"{kind}: {plays} plays, {steps} steps built in {time.perf_counter() - t0:.1f} s")
            warm = child_env(folder)
            out = folder / f"report-{kind}.table"
            run_report(target, "table", out, warm)  # fills the bytecode and scenario caches
            wall, peak, cpu = run_report(target, "table", out, child_env(folder, cold=True))
            print(f"  table cold (no bytecode, no compiled scenarios): {wall:.2f} s, "
                  f"CPU {cpu:.2f} s, peak RSS {peak:.0f} MB")  # fmt: skip
            print("  load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
            for fmt in args.formats.split(","):
                out = folder / f"report-{kind}.{fmt}"
                runs = [run_report(target, fmt, out, warm) for _ in range(args.repeat)]
                wall = statistics.median(r[0] for r in runs)
                peak = max(r[1] for r in runs)
                cpu = statistics.median(r[2] for r in runs)
                size = out.stat().st_size / 1e6
                print(f"  {fmt:5} median {wall:.2f} s (runs: "
                      f"{', '.join(f'{r[0]:.2f}' for r in runs)}), CPU {cpu:.2f} s, peak RSS {peak:.0f} MB, "
                      f"output {size:.1f} MB")  # fmt: skip
            print("  load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        finally:
            if server is not None:
                from tests.pgserver import stop_postgres

                stop_postgres(server)


if __name__ == "__main__":
    main()
