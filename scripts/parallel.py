"""The build's one place of parallelism, where `make bench` shows it pays (bench/README.md): the curation is
read on every core, and frictionless checks the package in a second process while SQLite loads and the site
is written. Everything else runs as a plain sequence of steps.

Workers are forked, so they share the parent's loaded modules and the data it has read; each returns plain
results (and the PipelineErrors it found) to the parent. A killed build leaves no worker behind for long: a
worker whose parent is gone finds its task pipe closed and exits (and the build lock allows for it)."""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
MIN_ITEMS = 100  # fewer items than this are read faster in one process than by starting another
OWN_SHARE = 1.08  # this process's chunk, against a worker's 1

_shared = {}  # what forked workers read from the parent (set just before they are started)


def _fork_pool(workers):
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _call(task):
    fn, chunk = task
    return fn(_shared, chunk)


def map_chunks(fn, items, shared):
    """[fn(shared, chunk)] for consecutive chunks of items, one per core, in order; in this process when
    there are few items or one core. fn must be a module-level function."""
    items = list(items)
    if CORES < 2 or len(items) < MIN_ITEMS:
        return [fn(shared, items)]
    # this process takes a larger chunk: it also unpickles what the workers send back (measured: ~8 % more)
    own = round(len(items) * OWN_SHARE / (OWN_SHARE + CORES - 1))
    size = -(-(len(items) - own) // (CORES - 1))
    chunks = [items[:own]] + [items[i : i + size] for i in range(own, len(items), size)]
    _shared.clear()
    _shared.update(shared)
    try:
        with _fork_pool(len(chunks) - 1) as pool:  # the first chunk is this process's own: no copy back
            others = pool.map(_call, [(fn, c) for c in chunks[1:]])
            return [fn(shared, chunks[0]), *others]
    finally:
        _shared.clear()


def _run(fn):
    return fn(**_shared)


class Background:
    """fn(**shared) started now in a second process (in this one, when .result() is asked, on a single
    core); .result() returns what it returned or raises what it raised. Leaving the `with` block waits for
    it. fn must be a module-level function; shared reaches the worker by the fork, never copied."""

    def __init__(self, fn, **shared):
        self.fn, self.shared, self.pool = fn, shared, None
        if CORES >= 2:
            _shared.clear()
            _shared.update(shared)
            self.pool = _fork_pool(1)
            self.future = self.pool.submit(_run, fn)  # forks now, with shared in its memory
            _shared.clear()

    def result(self):
        return self.future.result() if self.pool else self.fn(**self.shared)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)
