"""Work on all cores: how many there are, and an ordered map over a pool of processes.

:func:`ordered_map` runs a module-level function over a list of small tasks in worker
processes and yields the results **in the tasks' order**, so that whoever merges them (exact
integer counts, chunks joined in order) gets the same bytes as one process would. With
``jobs`` 1, or a single task, nothing is started: the tasks run here, one after the other.

The pool is made once per process (again when another number of workers is asked for),
and kept: a worker keeps what it opened for earlier tasks (a population store, a
framework's plan). On Linux the workers are forked (they start at once); elsewhere they
are spawned, so every task function and its arguments must pickle, and a worker rebuilds
what it needs from the task alone (the code holds to that on every platform; the tests
run it spawned too). An error raised in a
worker is raised here, by the task whose turn it is; a worker that dies (killed, out of
memory) is a :class:`~kzrehab.errors.KzrehabError` that says to try ``--jobs 1``.
"""

from __future__ import annotations

__all__ = ["usable_cores", "default_jobs", "ordered_map", "shutdown", "JOBS_VARIABLE"]

import atexit
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import KzrehabError, UsageError
from .i18n import _

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

#: the environment variable that sets the command line's default ``--jobs``
JOBS_VARIABLE = "KZREHAB_JOBS"

#: how worker processes are started (None: the platform's default); Linux forks them
START_METHOD: str | None = "fork" if sys.platform == "linux" else None


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity where the platform
    tells it), at least 1."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        return max(1, int(count() or 1))
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """The command line's default ``--jobs``: ``$KZREHAB_JOBS`` when set, else
    :func:`usable_cores`; a value that is not a whole number of at least 1 is a
    :class:`~kzrehab.errors.UsageError`."""
    text = os.environ.get(JOBS_VARIABLE, "").strip()
    if not text:
        return usable_cores()
    if not (text.isascii() and text.isdigit()) or int(text) < 1 or len(text) > 6:
        raise UsageError(_("{JOBS_VARIABLE}={text!r} is not a number of processes "
                           "(a whole number of at least 1)").format(
                             JOBS_VARIABLE=JOBS_VARIABLE, text=text[:30]))  # fmt: skip
    return int(text)


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """The pool of ``workers`` processes: the one made before, or a new one (which replaces
    a pool of another size)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOLS.get(workers)
    if pool is None:
        shutdown()
        context = multiprocessing.get_context(START_METHOD)
        pool = _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=context)
    return pool


def shutdown() -> None:
    """Stop the worker processes of every pool this process made (they are made again
    when needed)."""
    while _POOLS:
        __, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def ordered_map(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    jobs: int,
    done: Callable[[int], None] | None = None,
) -> Iterator[R]:
    """``fn(task)`` for every task, in order: on a pool of ``jobs`` worker processes, or
    here when ``jobs`` is 1 or there is one task.

    ``done``, if given, is called with the number of tasks finished so far (in any order)
    as each result is given. ``fn`` must be a module-level function, and tasks and results must
    pickle. Leaving the loop early, or an error, cancels the tasks not started yet.
    """
    if jobs < 1:
        raise ValueError(_("jobs must be at least 1, not {jobs}").format(jobs=jobs))
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            result = fn(task)
            if done is not None:
                done(i + 1)
            yield result
        return
    from concurrent.futures.process import BrokenProcessPool

    futures: list[Future[R]] = []
    pool: ProcessPoolExecutor | None = None
    finished = [0]

    def count(__: Any) -> None:
        finished[0] += 1

    try:
        pool = _pool(jobs)
        for task in tasks:
            future = pool.submit(fn, task)
            future.add_done_callback(count)
            futures.append(future)
        for i, future in enumerate(futures):
            result = future.result()
            if done is not None:  # the callback may run just after result() returns
                done(max(finished[0], i + 1))
            yield result
    except BrokenProcessPool:
        for size, broken in list(_POOLS.items()):
            if broken is pool:
                del _POOLS[size]
        raise KzrehabError(_("a worker process stopped before its work was done (killed, or "
                             "out of memory?): try again with --jobs 1, or fewer jobs")) from None
    finally:
        for future in futures:
            future.cancel()
