"""What Parley's own words cost a play: the PO catalogues, parsed or read from the cache.

    python bench/messages_bench.py [--runs 21]

Each run is a fresh process that first imports what a text play imports (the loader, the
play, the feedback, plain output), so only the words are timed: the first English word
(`t("turn", "en")`: the template) and then the first Dutch word (`nl.po`), without the
cache (polib parses both) and with a cache filled by an earlier run (no polib). Reported:
the median CPU time (user + system of the process, `time.process_time`, the steadier reading
on a shared machine) and the median wall time. `parley --version`, `--help`, `play --json`
and `check` read no catalogue at all (tests/test_messages.py proves it).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import sys, time
from pathlib import Path
import engine.loader, engine.play, engine.feedback, simulator.plain  # what a play imports
import engine.messages as m
if sys.argv[1]:
    m.use_cache_dir(Path(sys.argv[1]))
c0, w0 = time.process_time(), time.perf_counter()
m.t("turn", "en", turn=1)
c1, w1 = time.process_time(), time.perf_counter()
m.t("turn", "nl", turn=1)
c2, w2 = time.process_time(), time.perf_counter()
print(1000 * (c1 - c0), 1000 * (c2 - c1), 1000 * (w1 - w0), 1000 * (w2 - w1), "polib" in sys.modules)
"""


def _run(cache: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, cache],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "messages")
        _run(cache)  # fills the cache
        rows: dict[str, list[list[str]]] = {"parsed (no cache)": [], "from the cache": []}
        for _ in range(args.runs):  # the two cases take turns
            rows["parsed (no cache)"].append(_run(""))
            rows["from the cache"].append(_run(cache))
    print("| case | first English word CPU | first Dutch word CPU | wall (en / nl) | polib |")
    print("|---|---:|---:|---:|---|")
    for name, runs in rows.items():
        med = [statistics.median(float(r[i]) for r in runs) for i in range(4)]
        polib = "imported" if runs[0][4] == "True" else "not imported"
        print(
            f"| {name} | {med[0]:.2f} ms | {med[1]:.2f} ms | "
            f"{med[2]:.2f} / {med[3]:.2f} ms | {polib} |"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
