"""Many recording clients, one store: PostgreSQL against SQLite under the same load.

30 client processes (as 30 browsers' app processes would) each record PLAYS plays of
tests/fixtures/records_small.yaml flat out through `simulator.recording.Recorder` in mode
`served`: the same code a served session records with (start, two answers, end: 4 writes per
play). Not 30 browsers: a Textual process per browser would measure the apps, not the store.
The clients are split over two groups standing for two `parley serve` hosts. Afterwards the
counts are checked (every play and answer once) and errors such as "database is locked"
are counted, not hidden.

    python bench/records_load.py [--clients 30] [--plays 20] [--store sqlite|postgresql|both]

PostgreSQL is started in a temp folder the way the tests do (tests/pgserver.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SMALL = ROOT / "tests" / "fixtures" / "records_small.yaml"


def client(target: str, worker: int, plays: int, barrier: Any, out: Any) -> None:
    from engine.conversation import Conversation
    from engine.loader import load_scenario
    from simulator.recording import Recorder

    sc = load_scenario(SMALL)
    waits: list[float] = []
    errors: list[str] = []
    barrier.wait()
    for i in range(plays):
        rec = Recorder(target, participant=f"h{worker % 2}-c{worker}-{i}", cohort="load",
                       mode="served")  # fmt: skip
        conv = Conversation(sc)
        for action in ("start", "facts_first", "two_options", "end"):
            t0 = time.perf_counter()
            try:
                if action == "start":
                    rec.on_start(conv)
                elif action == "end":
                    rec.on_end(conv)
                else:
                    rec.on_step(conv, conv.choose(action))
            except Exception as exc:  # counted and reported, never hidden
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            waits.append(time.perf_counter() - t0)
        rec.close()
    out.put((waits, errors))


def run(target: str, clients: int, plays: int) -> dict[str, Any]:
    from engine.records import open_store

    open_store(target).close()  # schema made before the clock starts
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients + 1)
    out = ctx.Queue()
    procs = [ctx.Process(target=client, args=(target, w, plays, barrier, out))
             for w in range(clients)]  # fmt: skip
    for p in procs:
        p.start()
    barrier.wait()
    t0 = time.perf_counter()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    waits = sorted(w for r in results for w in r[0])
    errors = [e for r in results for e in r[1]]
    with open_store(target) as store:
        [(n_plays, n_finished, n_steps, n_dupes)] = store.query(
            "SELECT (SELECT COUNT(*) FROM plays), "
            "(SELECT COUNT(*) FROM plays WHERE finished_at IS NOT NULL), "
            "(SELECT COUNT(*) FROM steps), "
            "(SELECT COUNT(*) FROM (SELECT play_id, turn FROM steps GROUP BY play_id, turn "
            "HAVING COUNT(*) > 1) d)"
        )
    expected = clients * plays
    return {
        "writes": len(waits),
        "seconds": elapsed,
        "writes_per_s": len(waits) / elapsed,
        "p50_ms": statistics.median(waits) * 1000,
        "p99_ms": waits[int(len(waits) * 0.99) - 1] * 1000,
        "max_ms": waits[-1] * 1000,
        "errors": len(errors),
        "locked": sum("locked" in e for e in errors),
        "first_error": errors[0] if errors else "",
        "plays": (n_plays, expected),
        "finished": n_finished,
        "steps": (n_steps, 2 * expected),
        "duplicates": n_dupes,
        "counts_ok": n_plays == expected
        and n_finished == expected
        and n_steps == 2 * expected
        and n_dupes == 0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=30)
    ap.add_argument("--plays", type=int, default=20)
    ap.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    for kind in kinds:
        if kind == "sqlite":
            folder = tempfile.mkdtemp(prefix="parley-load-")
            result = run(str(Path(folder) / "load.sqlite3"), args.clients, args.plays)
        else:
            from tests.pgserver import start_postgres, stop_postgres

            server = start_postgres(18790)
            try:
                result = run(server.new_database("load"), args.clients, args.plays)
            finally:
                stop_postgres(server)
        print(
            f"{kind:10} {args.clients} clients x {args.plays} plays: {result['writes']} writes "
            f"in {result['seconds']:.1f} s ({result['writes_per_s']:.0f}/s); wait per write "
            f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
            f"max {result['max_ms']:.0f} ms; errors {result['errors']} "
            f"(locked {result['locked']}); plays {result['plays'][0]}/{result['plays'][1]}, "
            f"steps {result['steps'][0]}/{result['steps'][1]}, duplicates "
            f"{result['duplicates']}: counts {'ok' if result['counts_ok'] else 'WRONG'}"
        )
        if result["first_error"]:
            print(f"           first error: {result['first_error']}")


if __name__ == "__main__":
    main()
