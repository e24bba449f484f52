"""`--jobs`: this process plays too, forked children help; what a user sees when one fails."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from engine.autoplay import CHUNK, ChunkResult, Runner, autoplay
from engine.errors import ParleyError
from engine.loader import load_scenario
from engine.workers import play_forked

MINI = Path(__file__).parent / "fixtures" / "core_mini.yaml"
TASKS = [(7, k, CHUNK, "random") for k in range(12)]


class _ChildFails(Runner):
    """A runner that breaks in any process but the one that made it."""

    def __init__(self, *args: object, how: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.home = os.getpid()
        self.how = how

    def run_chunk(self, seed: int, chunk: int, count: int, policy: str) -> ChunkResult:
        if os.getpid() != self.home:
            if self.how == "raise":
                raise RuntimeError("table broke")
            os._exit(3)  # killed, as by the OOM killer: no message at all
        return super().run_chunk(seed, chunk, count, policy)


def _merged(items: list[tuple[ChunkResult | None, int]]) -> tuple[ChunkResult, int]:
    results = [r for r, _ in items if r is not None]
    out = results[0]
    for r in results[1:]:
        out.merge(r)
    return out, sum(n for _, n in items)


def test_every_chunk_is_played_once_whoever_plays_it() -> None:
    sc = load_scenario(MINI)
    alone = Runner(sc)
    want = alone.run_chunk(*TASKS[0])
    for t in TASKS[1:]:
        want.merge(alone.run_chunk(*t))
    items = list(play_forked(Runner(sc), TASKS, jobs=3))
    got, progress = _merged(items)
    assert progress == got.runs == len(TASKS) * CHUNK
    assert (got.runs, got.turns, got.choice_counts) == (want.runs, want.turns, want.choice_counts)
    assert (got.ends, got.sums, got.nodes) == (want.ends, want.sums, want.nodes)
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("how", ["raise", "exit"])
def test_a_failing_child_is_one_clear_error_and_nothing_is_left_running(how: str) -> None:
    runner = _ChildFails(load_scenario(MINI), how=how)
    with pytest.raises(ParleyError) as err:
        list(play_forked(runner, TASKS, jobs=2))
    msg = str(err.value)
    if how == "raise":
        assert "autoplay worker process failed: RuntimeError: table broke" in msg
    else:
        assert "autoplay worker process stopped unexpectedly" in msg
    assert not multiprocessing.active_children()


def test_progress_counts_every_run_once_and_only_goes_up() -> None:
    seen: list[tuple[int, int]] = []
    runs = 20 * CHUNK + 5
    autoplay(load_scenario(MINI), runs, seed=3, jobs=2, progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == runs
    assert {t for _, t in seen} == {runs}


def test_stopping_midway_stops_the_children_at_once() -> None:
    """Ctrl-C reaches the caller (here: raised from the progress callback)."""
    children: list[multiprocessing.process.BaseProcess] = []

    def stop(done: int, total: int) -> None:
        if done > 3 * CHUNK:
            children.extend(multiprocessing.active_children())
            raise KeyboardInterrupt

    # far more runs than the child could finish on its own before the checks below
    with pytest.raises(KeyboardInterrupt) as caught:
        autoplay(load_scenario(MINI), 5000 * CHUNK, seed=1, jobs=2, progress=stop)
    # while the interrupt is still being handled (its traceback alive), no child plays on
    assert not multiprocessing.active_children()
    assert children and all(c.exitcode == -signal.SIGTERM for c in children)
    assert caught.value is not None
