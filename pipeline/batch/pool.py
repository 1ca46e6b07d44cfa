"""An ordered, bounded pool of worker processes: chunks in, results out in input order.

`extract_many(..., n_process=N)` stands on it. Each worker runs the whole extraction of a
chunk of texts (spaCy model, rules, facts) and sends back only the results, so the parent
does no parsing work and N workers scale close to N times one. Workers are forked from the
parent when the platform allows it, so they inherit the pipeline already loaded there
instead of loading the model again.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The worker's pipeline. Set once per worker process by `_init_worker`, never in the parent.
_worker_state: dict[str, Any] = {}


def mp_context() -> mp.context.BaseContext:
    """fork where the platform has it (workers share the loaded model), else spawn."""
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _watch_parent(parent: int) -> None:
    """End this worker when its parent dies (kill -9 of the parent must leave no orphan)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker(parent: int, setup: Callable[[], Any], state: Any) -> None:
    # Ctrl-C goes to the whole process group: only the parent handles it, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    # The inherited model is read-only: keep the garbage collector off its objects, so
    # that their pages stay shared with the parent instead of being copied into each worker.
    gc.freeze()
    _worker_state["value"] = state if state is not None else setup()


def _run_chunk(work: Callable[[Any, list], list], chunk: list) -> list:
    return work(_worker_state["value"], chunk)


def ordered_map(
    work: Callable[[Any, list[T]], list[R]],
    items: Iterable[T],
    *,
    processes: int,
    chunk_size: int,
    state: Any = None,
    setup: Callable[[], Any] | None = None,
    in_flight_per_process: int = 2,
) -> Iterator[R]:
    """`work(state, chunk)` over chunks of `items` in `processes` workers, results in order.

    `state` (e.g. a spaCy pipeline) reaches the workers by fork; where there is no fork it
    is pickled, or built in each worker by `setup()` when `state` is None. At most
    `processes * in_flight_per_process` chunks are in flight, so an endless input is read
    as it is consumed. A worker's exception is raised here, in order; closing the iterator
    early stops the workers.
    """
    if processes < 1:
        raise ValueError(f"processes must be at least 1, not {processes}")
    if state is None and setup is None:
        raise ValueError("give the workers a state or a setup function")
    context = mp_context()
    if context.get_start_method() == "fork":
        state = state if state is not None else setup()  # built once, shared by fork
    executor = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.getpid(), setup, state),
    )
    source = iter(items)
    futures: deque[Future] = deque()
    finished = False
    try:
        while True:
            while len(futures) < processes * in_flight_per_process:
                chunk = list(islice(source, chunk_size))
                if not chunk:
                    break
                futures.append(executor.submit(_run_chunk, work, chunk))
            if not futures:
                break
            yield from futures.popleft().result()
        finished = True
    finally:
        _stop(executor, futures, finished)


def _stop(executor: ProcessPoolExecutor, futures: deque[Future], finished: bool) -> None:
    if finished:
        executor.shutdown(wait=True)
        return
    # Stopped early (consumer closed the iterator, a worker raised, Ctrl-C): do not wait
    # for chunks nobody will read.
    for future in futures:
        future.cancel()
    processes = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
