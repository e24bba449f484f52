"""How fast `parley` starts: whole processes against the floor of Python + its libraries.

    python bench/startup_bench.py [--runs 15] [--plays 20] [--installed /path/to/venv]

Every case is a fresh process, run `--runs` times; the cases take turns (floor first in each
round), so a change in the machine's load touches all of them alike. Reported: the median
wall time of each, and the ratios that issue #15 sets as goals:

- `parley --version`, `parley --help`             <= 1.5 x `python -c "import click"`
- `parley play budget-cut --choices <first> --json`,
  `parley check scenarios/budget-cut.yaml`         <= 3 x `python -c "import yaml, click"`
- recorded plays through the command (`parley play ... --record`, one after another) >= 5/s

Parley keeps compiled scenarios and check results in its cache folder (docs/install.md):
each `parley` case runs twice per round, "warm" (the cache filled by the warm-up run, as a
user's second and later runs are) and "no cache" (`--no-cache`: the file is read, validated
and, for check, analysed afresh, as on a first run). Both are reported, with both ratios.

`parley` here is this checkout's code run the way the console script runs it
(`from simulator.cli.main import main; main()` with the checkout first on the path);
`--installed VENV` times that venv's `parley` script instead (an installed wheel).
The machine's load average is printed before and after: record both with the figures.
Each case's CPU time (user + system, of the child) is shown beside its wall time: on a
shared, loaded machine the CPU ratios are the steadier reading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "budget-cut.yaml"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _first_choice(parley: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(
        [*parley, "play", "budget-cut", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    offered: list[str] = json.loads(out.stdout)["offered"]
    return offered[0]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _time(cmd: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Wall time of one run (its CPU time is appended to `cpu`)."""
    c0 = _cpu()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(_cpu() - c0)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each case (>= 10)")
    parser.add_argument("--plays", type=int, default=20, help="recorded plays in a row")
    parser.add_argument("--installed", type=Path, default=None, help="a venv with parley-sim")
    args = parser.parse_args()
    py = sys.executable
    if args.installed is not None:
        parley = [str(args.installed / "bin" / "parley")]
    else:
        parley = [py, "-c", "from simulator.cli.main import main; main()"]
    env = {**os.environ, "PARLEY_DATA_DIR": tempfile.mkdtemp(prefix="parley-startup-")}
    env["PARLEY_CACHE_DIR"] = tempfile.mkdtemp(prefix="parley-startup-cache-")
    env.pop("PARLEY_DEBUG", None)
    env.pop("PARLEY_NO_CACHE", None)
    first = _first_choice(parley, env)
    play = ["play", "budget-cut", "--choices", first, "--json"]
    check = ["check", str(SCENARIO)]
    play_name = f"parley play budget-cut --choices {first} --json"
    check_name = "parley check scenarios/budget-cut.yaml"
    cases: dict[str, list[str]] = {
        "python -c pass": [py, "-c", "pass"],
        'python -c "import click"': [py, "-c", "import click"],
        'python -c "import yaml, click"': [py, "-c", "import yaml, click"],
        "parley --version": [*parley, "--version"],
        "parley --help": [*parley, "--help"],
        play_name: [*parley, *play],
        f"{play_name} (no cache)": [*parley, "--no-cache", *play],
        check_name: [*parley, *check],
        f"{check_name} (no cache)": [*parley, "--no-cache", *check],
    }
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    print(f"load average before: {_load()}")
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for cmd in cases.values():  # warm the file cache and the .pyc files
        _time(cmd, env)
    for _ in range(args.runs):
        for name, cmd in cases.items():
            times[name].append(_time(cmd, env, cpus[name]))
    med = {name: statistics.median(ts) for name, ts in times.items()}
    cpu = {name: statistics.median(ts) for name, ts in cpus.items()}
    print("median wall, median CPU (user+sys), case:")
    for name, m in med.items():
        print(f"  {m * 1000:7.1f} ms  {cpu[name] * 1000:6.1f} ms cpu  {name}")

    click_floor = med['python -c "import click"']
    yaml_floor = med['python -c "import yaml, click"']
    goals = [
        ("parley --version", click_floor, 1.5),
        ("parley --help", click_floor, 1.5),
        (play_name, yaml_floor, 3.0),
        (f"{play_name} (no cache)", yaml_floor, 3.0),
        (check_name, yaml_floor, 3.0),
        (f"{check_name} (no cache)", yaml_floor, 3.0),
    ]
    print("ratios of wall time (goal), and of CPU time:")
    for name, floor, goal in goals:
        ratio = med[name] / floor
        floor_name = (
            'python -c "import click"'
            if floor == click_floor
            else ('python -c "import yaml, click"')
        )
        cpu_ratio = cpu[name] / cpu[floor_name]
        mark = "ok" if ratio <= goal else "OVER"
        print(f"  {ratio:4.2f}x (<= {goal}x) {mark:4}  cpu {cpu_ratio:4.2f}x  {name}")

    db = Path(env["PARLEY_DATA_DIR"]) / "plays.sqlite3"
    record = [*parley, "play", "budget-cut", "--choices", first, "--record", "--db", str(db)]
    for label, cmd in (
        ("", record),
        (" (no cache)", [*parley, "--no-cache", *record[len(parley) :]]),
    ):
        t0 = time.perf_counter()
        spent: list[float] = []
        for _ in range(args.plays):
            _time(cmd, env, spent)
        rate = args.plays / (time.perf_counter() - t0)
        mark = "ok" if rate >= 5 else "UNDER"
        per_play = statistics.median(spent)
        yaml_cpu = cpu['python -c "import yaml, click"']
        print(
            f"recorded plays through the command{label}: {rate:.1f}/s (>= 5/s) {mark}; "
            f"CPU per play {per_play * 1000:.1f} ms (median), "
            f"{per_play / yaml_cpu:.2f}x the yaml+click floor's"
        )
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
