"""Parley against inkjs on the same synthetic story: plays/s and choices/s, side by side.

    python bench/ink_peer.py                       # 500 and 5,000 nodes, 20,000 plays each
    python bench/ink_peer.py --nodes 500 --runs 50000

One command does everything: it generates the story (bench/gen_scenario.py) as a Parley
scenario and as ink source (a knot per node; trust, rung, flags and scores as ink
variables with the same conditions and effects; the same endings), installs inkjs into
bench/node_modules if it is missing, compiles the ink with inkjs's compiler, checks that
both engines play the same story (replaying Parley plays in ink, choice by choice, must
give the same ending, trust, rung and scores), then times N random plays in each engine
on one core and prints the ratio. `--jobs` scaling has its own bench: bench/jobs_bench.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from gen_scenario import DIMS, FLAGS, LADDER, TRUST_START, Cond, Story, generate, to_yaml  # noqa: E402

from engine.autoplay import autoplay  # noqa: E402
from engine.conversation import Conversation  # noqa: E402
from engine.fastplay import Rules  # noqa: E402
from engine.loader import load_scenario  # noqa: E402

INKJS = "inkjs@2.4.0"
RUN_JS = BENCH / "ink" / "run.js"
OUT = BENCH / "out"


def cond_ink(c: Cond) -> str:
    what, op, value = c
    if what == "trust":
        return f"trust {op} {value}"
    if what == "rung":
        return f"rung {op} {value}"
    name = what.split(":", 1)[1]
    return name if value is True else f"not {name}"


def _trust(delta: int, ind: str) -> list[str]:
    """trust + delta, clamped to 0..100 (inline: cheaper in ink than a function call)."""
    if delta > 0:
        bound = [f"{ind}{{trust > 100:", f"{ind}    ~ trust = 100", f"{ind}}}"]
    else:
        bound = [f"{ind}{{trust < 0:", f"{ind}    ~ trust = 0", f"{ind}}}"]
    return [f"{ind}~ trust = trust + {delta}", *bound]


def _rung(move: str, ind: str) -> list[str]:
    """up/down one rung; trusted-advisor (rung 3) requires trust >= 70, checked after trust."""
    if move == "up":
        return [
            f"{ind}{{rung < 2 or (rung == 2 and trust >= 70):",
            f"{ind}    ~ rung = rung + 1",
            f"{ind}}}",
        ]
    return [f"{ind}{{rung > 0:", f"{ind}    ~ rung = rung - 1", f"{ind}}}"]


def to_ink(story: Story) -> str:
    """The same story as ink source."""
    lines = [
        f"VAR trust = {TRUST_START}",
        f"VAR rung = {LADDER.index('service-provider')}",
        *(f"VAR {f} = false" for f in FLAGS),
        *(f"VAR s_{d} = 0" for d in DIMS),
        'VAR ending = ""',
        "",
        "-> n0",
        "",
    ]
    for node in story.nodes:
        lines.append(f"=== {node.id} ===")
        if node.trust:
            lines += _trust(node.trust, "")
        for k, v in node.set.items():
            lines.append(f"~ {k} = {str(v).lower()}")
        if node.ending is not None:
            lines += [f'~ ending = "{node.id}"', node.text, "-> END", ""]
            continue
        lines.append(node.text)
        if node.next:
            lines.append("{")
            for cond, to in node.next:
                lines.append(f"- {cond_ink(cond) if cond else 'else'}: -> {to}")
            if node.next[-1][0] is not None:
                lines.append("- else: -> END")  # a stall (the generator never makes one)
            lines.append("}")
            lines.append("")
            continue
        for ch in node.choices:
            guard = f"{{{cond_ink(ch.when)}}} " if ch.when is not None else ""
            lines.append(f"+ {guard}[{ch.text}]")
            if ch.trust:
                lines += _trust(ch.trust, "    ")
            if ch.hierarchy:
                lines += _rung(ch.hierarchy, "    ")
            for k in ch.set:
                lines.append(f"    ~ {k} = true")
            for d, v in ch.scores.items():
                if v:
                    lines.append(f"    ~ s_{d} = s_{d} + {v}")
            lines.append(f"    -> {ch.to}")
        lines.append("")
    return "\n".join(lines) + "\n"


def ensure_inkjs() -> None:
    if (BENCH / "node_modules" / "inkjs" / "dist" / "ink-full.js").is_file():
        return
    print(f"installing {INKJS} into bench/node_modules ...", file=sys.stderr)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(BENCH),
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
        ],  # what bench/package.json lists (inkjs and mermaid), so neither prunes the other
        check=True,
    )


def node_run(*args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run(["node", str(RUN_JS), *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def verify(sc_path: Path, ink_path: Path, plays: int, seed: int) -> int:
    """Replay random Parley plays in ink; every end state must match."""
    sc = load_scenario(sc_path)
    rng = random.Random(seed)
    seqs: list[list[int]] = []
    expect = []
    for _ in range(plays):
        conv = Conversation(sc)
        idx: list[int] = []
        while offered := conv.offered():
            i = rng.randrange(len(offered))
            idx.append(i)
            conv.choose(offered[i].id)
        seqs.append(idx)
        expect.append((conv.node.id, conv.trust, sc.ladder.index(conv.rung), dict(conv.scores)))
    tmp = OUT / "replay.json"
    tmp.write_text(json.dumps(seqs))
    got = node_run(str(ink_path), "--replay", str(tmp))
    bad = 0
    for want, have in zip(expect, got, strict=True):
        if (have["ending"], have["trust"], have["rung"], have["scores"]) != want:
            bad += 1
    return bad


def bench(nodes: int, runs: int, seed: int, verify_plays: int) -> dict[str, float]:
    story = generate(nodes, seed)
    OUT.mkdir(exist_ok=True)
    sc_path = OUT / f"synthetic-{nodes}.yaml"
    ink_path = OUT / f"synthetic-{nodes}.ink"
    sc_path.write_text(to_yaml(story), encoding="utf-8")
    ink_path.write_text(to_ink(story), encoding="utf-8")
    print(
        f"\n== {nodes} nodes, {story.choice_count} choices, {story.depth} layers; {runs:,} plays each"
    )
    if verify_plays:
        bad = verify(sc_path, ink_path, verify_plays, seed)
        status = "same end state" if not bad else f"{bad} DIFFER"
        print(f"   equivalence: {verify_plays} Parley plays replayed in ink: {status}")
        if bad:
            raise SystemExit(1)
    t = time.perf_counter()
    sc = load_scenario(sc_path)
    rules = Rules(sc)  # compiling the tables, like compiling the ink: not timed
    load_s = time.perf_counter() - t
    cpu = time.process_time()
    rep = autoplay(sc, runs, seed=seed, jobs=1, rules=rules)
    p_cpu = time.process_time() - cpu
    ink = node_run(str(ink_path), "--runs", str(runs), "--seed", str(seed))
    rows = [
        ("parley", runs / rep.seconds, rep.choices_made / rep.seconds, runs / p_cpu,
         rep.choices_made / runs),
        ("inkjs", runs / ink["seconds"], ink["choices"] / ink["seconds"],
         runs / ink["cpu_seconds"], ink["choices"] / runs),
    ]  # fmt: skip
    print(
        f"   {'engine':<8} {'plays/s':>10} {'choices/s':>12} {'plays/cpu-s':>12} {'choices/play':>13}"
    )
    for name, plays, choices, per_cpu, per_play in rows:
        print(f"   {name:<8} {plays:>10,.0f} {choices:>12,.0f} {per_cpu:>12,.0f} {per_play:>13.2f}")
    ratio = rows[0][1] / rows[1][1]
    ratio_cpu = rows[0][3] / rows[1][3]
    print(
        f"   parley/inkjs: {ratio:.1f}x plays/s ({ratio_cpu:.1f}x per CPU second); "
        f"untimed: parley load {load_s:.2f}s, ink compile {ink['compile_seconds']:.2f}s"
    )
    return {"parley": rows[0][1], "inkjs": rows[1][1]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, action="append", help="story size (repeatable)")
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verify", type=int, default=200, help="plays replayed in ink (0: skip)")
    args = ap.parse_args()
    sizes = args.nodes or [500, 5000]
    ensure_inkjs()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; "
        f"node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}"
    )
    for n in sizes:
        bench(n, args.runs, args.seed, args.verify)
    return 0


if __name__ == "__main__":
    sys.exit(main())
