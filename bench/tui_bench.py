"""The app's speed: key press to rendered frame, and cold start to an interactive picker.

    python bench/gen_scenario.py --nodes 200 -o bench/out/synthetic-200.yaml
    python bench/tui_bench.py [--scenario bench/out/synthetic-200.yaml] [--plays 20] [--starts 7]

Key latency: the app runs under Pilot (headless, 80x24) on the generated scenario; each key
(an answer 1-3, or `u` undo) is timed from the moment it is sent to the first frame the app
composes after the conversation screen has redrawn for it (the frame is also encoded to
terminal output, as a real terminal would receive it). Targets: median <= 30 ms.

Cold start: a fresh Python process runs what `parley` runs, headless; timed from spawning it
to the picker being mounted and focused (interactive), and to its scenario list being filled
(loaded in a thread). Target (issue #15): interactive <= 0.6 s on an idle machine. Reported
for the first start (empty cache), warm starts (compiled scenarios cached) and starts with
PARLEY_NO_CACHE=1, the last two taking turns.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import os, sys, time
from simulator.cli import main as _cli  # what `parley` imports first
from simulator.launch import build_hooks
from simulator.app import ParleyApp

from simulator.settings import Settings

settings = Settings(cache=not os.environ.get("PARLEY_NO_CACHE"))  # as --no-cache
_cli._use_trainer_languages(settings.cache)  # what the `parley` group does before the app
app = ParleyApp(settings, hooks=build_hooks(settings))

async def auto_pilot(pilot):
    await pilot.pause()
    print("interactive", time.time(), flush=True)
    print("interactive_cpu", time.process_time(), flush=True)  # the process's CPU so far
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    print("listed", time.time(), flush=True)
    pilot.app.exit()

app.run(headless=True, auto_pilot=auto_pilot, size=(80, 24))
"""


def _start(env: dict[str, str]) -> tuple[float, float, float]:
    """One fresh process: seconds from spawning it to the interactive picker, to the list,
    and the CPU seconds the process had used when the picker was interactive."""
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
    )
    stamps = dict(line.split() for line in out.stdout.splitlines() if line.strip())
    if "interactive" not in stamps:
        raise SystemExit(f"child failed: {out.stderr[-2000:]}")
    return (
        float(stamps["interactive"]) - t0,
        float(stamps["listed"]) - t0,
        float(stamps["interactive_cpu"]),
    )


def cold_start(runs: int) -> dict[str, float]:
    """Warm: the compiled-scenario cache filled (every start after the first); no cache:
    PARLEY_NO_CACHE=1 (each scenario read and validated, as on a first start). Taking turns."""
    env = {**os.environ, "PARLEY_DATA_DIR": tempfile.mkdtemp(prefix="parley-bench-")}
    env["PARLEY_CACHE_DIR"] = tempfile.mkdtemp(prefix="parley-bench-cache-")
    env.pop("PARLEY_NO_CACHE", None)
    first = _start(env)  # fills the cache
    times: dict[str, list[tuple[float, float, float]]] = {"warm": [], "no cache": []}
    for _ in range(runs):
        times["no cache"].append(_start({**env, "PARLEY_NO_CACHE": "1"}))
        times["warm"].append(_start(env))
    out = {"first_interactive": first[0], "first_listed": first[1]}
    for kind, ts in times.items():
        out[f"{kind} interactive_median"] = statistics.median(t[0] for t in ts)
        out[f"{kind} interactive_max"] = max(t[0] for t in ts)
        out[f"{kind} listed_median"] = statistics.median(t[1] for t in ts)
        out[f"{kind} interactive_cpu_median"] = statistics.median(t[2] for t in ts)
    return out


async def key_latency(path: Path, plays: int, animations: bool) -> dict[str, Any]:
    from engine.loader import load_scenario
    from simulator.app import ParleyApp
    from simulator.launch import build_hooks
    from simulator.screens.play import PlayScreen

    scenario = load_scenario(path)
    app = ParleyApp({"lang": None}, scenario=scenario, hooks=build_hooks({}))
    if not animations:
        # the trust meter's 0.6 s glide makes Pilot wait for it after every key; the first
        # frame after a key is the same either way
        app.animation_level = "none"
    frames: list[float] = []
    redrawn: list[float] = []
    original_display = app._display

    def display(screen: Any, renderable: Any) -> None:
        original_display(screen, renderable)
        if renderable is not None:
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(app.console)  # encode the frame as the terminal would get it
            frames.append(time.perf_counter())

    app._display = display  # type: ignore[method-assign]
    original_redraw = PlayScreen.redraw

    async def redraw(self: PlayScreen, *args: Any, **kwargs: Any) -> None:
        await original_redraw(self, *args, **kwargs)
        redrawn.append(time.perf_counter())

    PlayScreen.redraw = redraw  # type: ignore[method-assign]
    latencies: dict[str, list[float]] = {"answer": [], "undo": []}
    turns = 0
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PlayScreen)

            async def timed(key: str, kind: str) -> None:
                # a person reads before the next key: let the last change finish moving
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                start = len(redrawn)
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                await pilot.pause()
                if len(redrawn) == start:
                    return
                done = redrawn[-1]
                after = [f for f in frames if f >= done]
                if after:
                    latencies[kind].append(after[0] - t0)

            for play in range(plays):
                conv = screen.conv
                assert conv is not None
                while not conv.ended and conv.offered():
                    n = len(conv.offered())
                    await timed(str((play + conv.turns) % n + 1), "answer")
                    turns += 1
                for _ in range(min(3, conv.turns)):
                    await timed("u", "undo")
                await screen.restart()
                await pilot.pause()
    finally:
        PlayScreen.redraw = original_redraw  # type: ignore[method-assign]
    every = latencies["answer"] + latencies["undo"]
    ms = sorted(x * 1000 for x in every)
    return {
        "keys": len(every),
        "median_ms": statistics.median(ms),
        "p90_ms": ms[int(len(ms) * 0.9)],
        "max_ms": ms[-1],
        "answer_median_ms": statistics.median(x * 1000 for x in latencies["answer"]),
        "undo_median_ms": statistics.median(x * 1000 for x in latencies["undo"]),
        "turns": turns,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=None)
    parser.add_argument("--plays", type=int, default=20)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--animations", action="store_true", help="keep the trust meter's glide")
    parser.add_argument("--skip-keys", action="store_true", help="cold start only")
    args = parser.parse_args()
    os.environ.setdefault("PARLEY_DATA_DIR", tempfile.mkdtemp(prefix="parley-bench-"))
    os.environ.setdefault("PARLEY_CACHE_DIR", tempfile.mkdtemp(prefix="parley-bench-cache-"))
    path = args.scenario
    if path is None:
        path = ROOT / "bench" / "out" / "synthetic-200.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen_scenario.py"),
                "--nodes",
                "200",
                "-o",
                str(path),
            ],
            check=True,
        )
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cpus, Python {platform.python_version()}"
    )
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    keys = None if args.skip_keys else asyncio.run(key_latency(path, args.plays, args.animations))
    if keys is not None:
        print(
            f"key press -> frame ({path.name}, {keys['keys']} keys over {args.plays} plays): "
            f"median {keys['median_ms']:.1f} ms, p90 {keys['p90_ms']:.1f} ms, max {keys['max_ms']:.1f} ms "
            f"(answers {keys['answer_median_ms']:.1f} ms, undo {keys['undo_median_ms']:.1f} ms)"
        )
    start = cold_start(args.starts)
    print(
        f"cold start, first (empty cache): interactive picker {start['first_interactive']:.2f} s, "
        f"list filled {start['first_listed']:.2f} s"
    )
    for kind in ("warm", "no cache"):
        print(
            f"cold start, {kind} ({args.starts} runs): interactive picker median "
            f"{start[f'{kind} interactive_median']:.2f} s "
            f"(max {start[f'{kind} interactive_max']:.2f} s, CPU by then "
            f"{start[f'{kind} interactive_cpu_median']:.2f} s); "
            f"scenario list filled median {start[f'{kind} listed_median']:.2f} s"
        )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
