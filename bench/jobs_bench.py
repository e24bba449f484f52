"""`parley autoplay --jobs 2` against `--jobs 1`, measured so that a noisy machine shows.

    python bench/jobs_bench.py                          # 500 and 5,000 nodes, 100,000 runs, 7 rounds
    python bench/jobs_bench.py --nodes 500 --runs 1000000 --repeat 3 --json

Each round times, back to back and in alternating order: `autoplay(jobs=1)`,
`autoplay(jobs=2)` (what `parley autoplay` runs; loading and compiling the scenario are not
timed, as in the report's plays/s) and a probe of the machine itself: the same warm
autoplay walk (no tables left to build) in one forked process, then in two at once. The
probe's ratio, `2 x one / two`, is how much more of this very work two processes got done
than one at that moment: 2.0 on two idle cores, less when the host's other tenants take
their share. The speed-up is then read against that ceiling, round by round.

Also printed: CPU seconds of all processes (the parent and its workers) with 2 jobs over 1,
which shows the work that parallel play adds (forking, each worker warming its own tables,
sending results back), whatever the machine's load. Every round checks that the two
reports are the same. Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from gen_scenario import generate, to_yaml  # noqa: E402

from engine.autoplay import Runner, autoplay  # noqa: E402
from engine.loader import load_scenario  # noqa: E402
from engine.model import Scenario  # noqa: E402

OUT = BENCH / "out"


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _together(procs: int, work: Callable[[], None]) -> float:
    """Wall time for `procs` forked processes to run `work()` at the same moment."""
    go_r, go_w = os.pipe()
    pids = []
    for _ in range(procs):
        pid = os.fork()
        if pid == 0:  # child: wait for the start signal, work, leave
            os.close(go_w)
            os.read(go_r, 1)
            work()
            os._exit(0)
        pids.append(pid)
    os.close(go_r)
    time.sleep(0.05)  # all children forked and waiting
    t = time.perf_counter()
    os.write(go_w, b"x" * procs)
    for pid in pids:
        os.waitpid(pid, 0)
    os.close(go_w)
    return time.perf_counter() - t


def ceiling(scenario: Scenario, runs: int) -> float:
    """2 x (one process's time) / (two processes' time) for the same warm walk."""
    runner = Runner(scenario)
    chunks = max(1, runs // 2000)
    for k in range(chunks):
        runner.run_chunk(1, k, 1000, "random")

    def walk() -> None:
        for k in range(chunks):
            runner.run_chunk(1, k, 1000, "random")

    one = _together(1, walk)
    two = _together(2, walk)
    return 2 * one / two


def _timed(scenario: Scenario, runs: int, jobs: int, seed: int) -> tuple[float, float, dict]:
    before = _cpu()
    rep = autoplay(scenario, runs, seed=seed, jobs=jobs)
    cpu = _cpu() - before
    d = rep.as_dict()
    d.pop("runs_per_s")
    d.pop("choices_per_s")
    return rep.seconds, cpu, d


def measure(nodes: int, runs: int, repeat: int, seed: int) -> dict[str, float | int | bool]:
    path = OUT / f"synthetic-{nodes}.yaml"
    OUT.mkdir(exist_ok=True)
    path.write_text(to_yaml(generate(nodes, 1)), encoding="utf-8")
    sc = load_scenario(path)
    wall: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    speedups: list[float] = []
    ceilings: list[float] = []
    same = True
    autoplay(sc, 2000, seed=seed, jobs=2)  # imports, first fork: not timed
    print(f"\n== {nodes} nodes, {runs:,} runs, {repeat} rounds")
    print("   round   jobs 1 s   jobs 2 s   speed-up   ceiling   CPU 2/1")
    for i in range(repeat):
        order = (1, 2) if i % 2 == 0 else (2, 1)
        got: dict[int, tuple[float, float, dict]] = {}
        for jobs in order:
            got[jobs] = _timed(sc, runs, jobs, seed)
        ceil = ceiling(sc, runs)
        same = same and got[1][2] == got[2][2]
        for jobs in (1, 2):
            wall[jobs].append(got[jobs][0])
            cpu[jobs].append(got[jobs][1])
        speedups.append(got[1][0] / got[2][0])
        ceilings.append(ceil)
        print(
            f"   {i + 1:>5}   {got[1][0]:>8.3f}   {got[2][0]:>8.3f}   {speedups[-1]:>7.2f}x"
            f"   {ceil:>6.2f}x   {got[2][1] / got[1][1]:>6.2f}"
        )
    med = statistics.median
    result: dict[str, float | int | bool] = {
        "nodes": nodes,
        "runs": runs,
        "rounds": repeat,
        "jobs1_plays_per_s": round(runs / med(wall[1])),
        "jobs2_plays_per_s": round(runs / med(wall[2])),
        "speedup_median": round(med(speedups), 2),
        "speedup_best": round(max(speedups), 2),
        "ceiling_median": round(med(ceilings), 2),
        "speedup_of_ceiling_median": round(
            med(s / c for s, c in zip(speedups, ceilings, strict=True)), 2
        ),
        "cpu_ratio_median": round(med(b / a for a, b in zip(cpu[1], cpu[2], strict=True)), 2),
        "same_report": same,
    }
    print(
        f"   median: jobs 1 {result['jobs1_plays_per_s']:,} plays/s, jobs 2 "
        f"{result['jobs2_plays_per_s']:,} plays/s; speed-up {result['speedup_median']}x "
        f"(best {result['speedup_best']}x) with the machine's ceiling at "
        f"{result['ceiling_median']}x, i.e. {result['speedup_of_ceiling_median']:.0%} of it; "
        f"CPU work 2 jobs / 1 job {result['cpu_ratio_median']}; "
        f"{'same report every round' if same else 'REPORTS DIFFER'}"
    )
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, action="append", help="story size (repeatable)")
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="also print the medians as JSON")
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    results = [measure(n, args.runs, args.repeat, args.seed) for n in args.nodes or [500, 5000]]
    if args.json:
        print(json.dumps(results, indent=2))
    return 0 if all(r["same_report"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
