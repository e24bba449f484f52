"""Autoplay chunks spread over processes: this one plays too, forked children help.

`--jobs J` forks `J - 1` children; the calling process is the J-th player. All of them
take batches of chunks from one shared counter until none are left, so a process that
runs slower (the machine is busy, a child pays for copying pages it writes after the
fork) simply takes fewer batches. The caller plays on its own warm tables, with no copy
to pay for; each child starts from the tables as they were at the fork.

A child merges its results as it goes and sends them once, at the end; along the way it
sends only the number of runs each batch played (for the progress bar), so the pipe never
fills up while the caller is busy playing. Results merge by sums and unions, so the
report does not depend on who played which chunk (engine.autoplay's docstring).

Where `fork` is not available (or the scenario came from memory and a fresh interpreter
could not load it) engine.autoplay falls back to a `multiprocessing` pool or plays alone.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from engine.errors import ParleyError

if TYPE_CHECKING:
    from engine.autoplay import ChunkResult, Runner

Task = tuple[int, int, int, str]  # seed, chunk, runs, policy
# what the caller gets: a result to merge (or None) and the runs it adds to the progress
Item = tuple["ChunkResult | None", int]
MAX_BATCH = 20


def _take(counter: Any, total: int) -> int | None:
    """The next batch nobody has taken yet, or None."""
    with counter.get_lock():
        i = int(counter.value)
        if i >= total:
            return None
        counter.value = i + 1
        return i


def _play(runner: Runner, batch: list[Task]) -> ChunkResult:
    out = runner.run_chunk(*batch[0])
    for task in batch[1:]:
        out.merge(runner.run_chunk(*task))
    return out


def _child(
    runner: Runner,
    batches: list[list[Task]],
    counter: Any,
    conn: multiprocessing.connection.Connection,
) -> None:
    # Ctrl-C is the caller's to handle (it stops the children); a child must not print
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # a child lives for one autoplay; its tables hold no cycles (fastplay.no_gc)
    merged: ChunkResult | None = None
    try:
        while (i := _take(counter, len(batches))) is not None:
            res = _play(runner, batches[i])
            if merged is None:
                merged = res
            else:
                merged.merge(res)
            conn.send(res.runs)
        conn.send(("done", merged))
    except BaseException as exc:  # noqa: BLE001 - reported to the caller, which raises
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def play_forked(runner: Runner, tasks: list[Task], jobs: int) -> Iterator[Item]:
    """Play `tasks` here and in `jobs - 1` forked children; yield what each batch gave."""
    ctx = multiprocessing.get_context("fork")
    # batches of chunks: about 8 per process, so the load evens out, and at most
    # MAX_BATCH chunks, so the progress bar moves on long runs too
    size = max(1, min(MAX_BATCH, len(tasks) // (jobs * 8)))
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    counter = ctx.Value("i", 0)
    children: list[tuple[Any, multiprocessing.connection.Connection]] = []
    gc.freeze()  # children inherit the tables: keep the collector off those pages
    try:
        for _ in range(jobs - 1):
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(runner, batches, counter, send), daemon=True)
            proc.start()
            send.close()
            children.append((proc, recv))
    finally:
        gc.unfreeze()
    try:
        open_conns = [conn for _, conn in children]
        while (i := _take(counter, len(batches))) is not None:
            res = _play(runner, batches[i])
            yield res, res.runs
            yield from _drain(open_conns, block=False)
        yield from _drain(open_conns, block=True)
    finally:
        for proc, conn in children:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            conn.close()


def _drain(conns: list[multiprocessing.connection.Connection], block: bool) -> Iterator[Item]:
    """What the children have sent; with `block`, until every child is done."""
    while conns:
        ready = multiprocessing.connection.wait(conns, timeout=None if block else 0)
        if not ready:
            return
        for conn in ready:
            assert isinstance(conn, multiprocessing.connection.Connection)
            try:
                msg = conn.recv()
            except EOFError:
                raise ParleyError("an autoplay worker process stopped unexpectedly") from None
            if isinstance(msg, int):
                yield None, msg
                continue
            kind, payload = msg
            conns.remove(conn)
            if kind == "failed":
                raise ParleyError(f"an autoplay worker process failed: {payload}")
            if payload is not None:
                yield payload, 0
