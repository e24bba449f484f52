"""`parley autoplay --exhaustive` against `parley check` on the same generated stories.

    python bench/exhaustive_bench.py [--repeat 3] [--repo PATH] [--timeout 900]

Writes the stories with bench/gen_scenario.py (into bench/out/), then times, per story,
the two commands as a user runs them (`python -m simulator.cli.main ...`, a fresh process
each, from `--repo`, default this checkout), back to back, `--repeat` times. It reports the
median wall time and the median CPU time of the child process (user + system; steadier
than wall time on a shared machine), the ratio exhaustive / check on CPU time, and whether
the exhaustive report says an extreme is unbounded. Run it once from an old checkout (`--repo`) and once from this one for a
before / after comparison; `uptime` is printed first and last.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORIES = ((500, 1, 0.2), (3000, 1, 0.02))  # (nodes, seed, loops)


def _story(nodes: int, seed: int, loops: float) -> Path:
    sys.path.insert(0, str(HERE))
    from gen_scenario import generate, to_yaml

    out = HERE / "out" / f"exh-{nodes}-s{seed}-loops{loops}.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(generate(nodes, seed=seed, loops=loops)), encoding="utf-8")
    return out


def _run(repo: Path, args: list[str], timeout: float) -> tuple[float, float, str]:
    """(wall s, child CPU s, stdout) of one `parley ARGS`; wall = inf on timeout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "simulator.cli.main", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return float("inf"), float("inf"), ""
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repo", type=Path, default=HERE.parent)
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--nodes", type=int, action="append", help="only the story of this size")
    args = ap.parse_args(argv)
    print("load:", _uptime(), flush=True)
    rows = []
    for nodes, seed, loops in STORIES:
        if args.nodes and nodes not in args.nodes:
            continue
        path = str(_story(nodes, seed, loops))
        check: list[tuple[float, float]] = []
        exh: list[tuple[float, float]] = []
        report: dict[str, object] = {}
        for _ in range(args.repeat):
            w, c, _out = _run(args.repo, ["check", path], args.timeout)
            check.append((w, c))
            w, c, out = _run(args.repo, ["autoplay", "--exhaustive", "--json", path], args.timeout)
            exh.append((w, c))
            if out:
                report = json.loads(out)
        row = {
            "story": f"{nodes} nodes, loops {loops}",
            "states": report.get("states"),
            "check_wall": statistics.median(w for w, _ in check),
            "check_cpu": statistics.median(c for _, c in check),
            "exhaustive_wall": statistics.median(w for w, _ in exh),
            "exhaustive_cpu": statistics.median(c for _, c in exh),
            "unbounded": sorted(
                {*report.get("best_unbounded", []), *report.get("worst_unbounded", [])}  # type: ignore[misc]
            ),
        }
        row["ratio_cpu"] = row["exhaustive_cpu"] / row["check_cpu"]  # type: ignore[operator]
        rows.append(row)
        print(
            f"{row['story']}: {row['states']} states; check {row['check_wall']:.2f} s wall "
            f"{row['check_cpu']:.2f} s CPU; exhaustive {row['exhaustive_wall']:.2f} s wall "
            f"{row['exhaustive_cpu']:.2f} s CPU; ratio (CPU) {row['ratio_cpu']:.2f}; "
            f"unbounded: {', '.join(row['unbounded']) or 'none'}",  # type: ignore[arg-type]
            flush=True,
        )
    print("load:", _uptime())
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
