"""`parley autoplay --exhaustive` against `parley check` on the same generated stories.

    python bench/exhaustive_bench.py [--repeat 3] [--repo PATH] [--before PATH] [--timeout 900]

Writes the stories with bench/gen_scenario.py (into bench/out/), then times, per story,
three commands as a user runs them (a fresh process each, from `--repo`, default this
checkout), back to back, `--repeat` times:
- `parley check FILE` (with `--no-cache` where the checkout has a result cache);
- the same check without the P228 difficulty pass (`engine.check.difficulty_findings`
  replaced by a no-op in that process: what the check costs with reachability alone);
- `parley autoplay --exhaustive --json FILE`.
It reports the median wall time and the median CPU time of the child process (user +
system; steadier than wall time on a shared machine), the ratios exhaustive / check and
exhaustive / check without P228 on CPU time, and whether the exhaustive report says an
extreme is unbounded. With `--before PATH` (an old checkout, e.g. `git worktree add
/tmp/before COMMIT`) every command runs from there too, interleaved with this one (old,
new, old, new...) so that load from other processes hits both alike. `uptime` is printed
first and last.
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


# `parley check` in a process where the P228 pass finds nothing (and costs nothing)
_NO_P228 = (
    "import sys; import engine.check as c; c.difficulty_findings = lambda *a, **k: []; "
    "from simulator.cli.main import main; sys.argv = ['parley', *sys.argv[1:]]; main()"
)


def _run(repo: Path, args: list[str], timeout: float) -> tuple[float, float, str]:
    """(wall s, child CPU s, stdout) of one `parley ARGS`; wall = inf on timeout.
    ARGS starting with "no-p228" run the check without its difficulty pass."""
    cmd = [sys.executable, "-m", "simulator.cli.main", *args]
    if args[0] == "no-p228":
        cmd = [sys.executable, "-c", _NO_P228, "check", *args[1:]]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            cmd,
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


def _check_args(repo: Path) -> list[str]:
    """`check` with `--no-cache` when that checkout keeps results between runs."""
    cli = repo / "simulator" / "cli" / "check.py"
    has_cache = cli.is_file() and "--no-cache" in cli.read_text(encoding="utf-8")
    return ["--no-cache"] if has_cache else []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repo", type=Path, default=HERE.parent)
    ap.add_argument("--before", type=Path, help="an old checkout, run interleaved with --repo")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--nodes", type=int, action="append", help="only the story of this size")
    args = ap.parse_args(argv)
    print("load:", _uptime(), flush=True)
    repos = (
        {"after": args.repo} if args.before is None else {"before": args.before, "after": args.repo}
    )
    rows = []
    for nodes, seed, loops in STORIES:
        if args.nodes and nodes not in args.nodes:
            continue
        path = str(_story(nodes, seed, loops))
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        report: dict[str, object] = {}
        for _ in range(args.repeat):
            for name, repo in repos.items():
                flags = _check_args(repo)
                for what, cli in (
                    ("check", ["check", *flags, path]),
                    ("check_no_p228", ["no-p228", *flags, path]),
                    ("exhaustive", ["autoplay", "--exhaustive", "--json", path]),
                ):
                    w, c, out = _run(repo, cli, args.timeout)
                    times.setdefault((name, what), []).append((w, c))
                    if what == "exhaustive" and out and name == "after":
                        report = json.loads(out)
        for name in repos:
            row: dict[str, object] = {
                "story": f"{nodes} nodes, loops {loops}",
                "code": name,
                "states": report.get("states"),
                "unbounded": sorted(
                    {*report.get("best_unbounded", []), *report.get("worst_unbounded", [])}  # type: ignore[misc]
                ),
            }
            for what in ("check", "check_no_p228", "exhaustive"):
                got = times[(name, what)]
                row[f"{what}_wall"] = statistics.median(w for w, _ in got)
                row[f"{what}_cpu"] = statistics.median(c for _, c in got)
            exh = float(row["exhaustive_cpu"])  # type: ignore[arg-type]
            row["ratio_cpu"] = exh / float(row["check_cpu"])  # type: ignore[arg-type]
            row["ratio_cpu_no_p228"] = exh / float(row["check_no_p228_cpu"])  # type: ignore[arg-type]
            rows.append(row)
            print(
                f"{row['story']} [{name}]: {row['states']} states; check {row['check_cpu']:.2f} s "
                f"CPU ({row['check_wall']:.2f} s wall); check without P228 "
                f"{row['check_no_p228_cpu']:.2f} s CPU ({row['check_no_p228_wall']:.2f} s wall); "
                f"exhaustive {row['exhaustive_cpu']:.2f} s CPU ({row['exhaustive_wall']:.2f} s "
                f"wall); exhaustive / check {row['ratio_cpu']:.2f}, / check without P228 "
                f"{row['ratio_cpu_no_p228']:.2f} (CPU); unbounded: "
                f"{', '.join(row['unbounded']) or 'none'}",  # type: ignore[arg-type]
                flush=True,
            )
    print("load:", _uptime())
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
