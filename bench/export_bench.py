"""How long `parley export --web` takes and how large the page is, per bundled scenario.

    python bench/export_bench.py [--repeat N]

Prints, per scenario: reachable states, moves (edges), languages, the median time to compile
the state table and render the page (seconds, over N runs), and the page size (KB).
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine.library import bundled_dir
from engine.loader import load_scenario
from engine.statetable import compile_table
from engine.webplayer import render_page


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{'scenario':<22} {'states':>7} {'moves':>7} {'langs':>6} {'seconds':>8} {'KB':>6}")
    for path in sorted(bundled_dir().glob("*.yaml")):
        sc = load_scenario(path)
        times = []
        page = ""
        table = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            table = compile_table(sc)
            page = render_page(table)
            times.append(time.perf_counter() - t0)
        assert table is not None
        print(
            f"{sc.id:<22} {table.states:>7} {table.edges:>7} {len(table.langs):>6} "
            f"{statistics.median(times):>8.2f} {len(page.encode()) / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
