"""How long Parley takes to refuse hostile files under the size cap (#16 class 6).

    python bench/refusal_bench.py [--cli]

For each hostile file (written to a temporary folder): the seconds `read_yaml` takes to
refuse it, in this process; with --cli also the wall time of `parley check FILE` (a fresh
process, start-up included). The goal: every refusal under 2 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.yamlsafe import MAX_NODES, YamlProblem, read_yaml  # noqa: E402
from tests.hardening.scenarios import next_chain  # noqa: E402


def files() -> dict[str, str]:
    body = next_chain(7000)  # ~370 KB
    return {
        "400 KB, syntax error on the last line": body + "  oops: [unclosed\n",
        "1 MB, just over the value limit": "x: [" + ",".join(["0"] * (MAX_NODES + 1)) + "]\n",
        "400 KB, duplicate node id at the end": body + "  n5:\n    text: x\n",
        "400 KB, tag at the end": body + "  zz: !!python/object x\n",
        "400 KB, tab at the end": body + "\tbad: 1\n",
        "2 MB, one line of digits": "x: " + "9" * (2 * 1024 * 1024 - 10) + "\n",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cli", action="store_true", help="also time `parley check FILE`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files().items():
            data = text.encode()
            start = time.perf_counter()
            try:
                read_yaml(data, "bench.yaml")
                verdict = "accepted?!"
            except YamlProblem as exc:
                verdict = exc.diagnostic.code
            took = time.perf_counter() - start
            line = f"{name:42} {len(data) / 1e6:5.2f} MB  {verdict}  read_yaml {took:5.2f} s"
            if args.cli:
                path = Path(tmp) / "bench.yaml"
                path.write_bytes(data)
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "simulator.cli.main", "check", str(path)],
                    capture_output=True,
                )
                line += f"  parley check {time.perf_counter() - start:5.2f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main()
