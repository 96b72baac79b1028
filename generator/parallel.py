"""Work fanned out to the machine's cores: one way to count them, fork, and keep the collector out.

Every stage that fans out (validation, the pages, the terminal's search index) forks: a worker
starts in milliseconds with the modules imported and the directory in memory, shared with this
process page by page rather than copied or pickled. Python's cycle collector would walk that
inherited heap, writing to every object it visits and so copying its memory into each worker:
it is paused (``collector_paused``) or the heap frozen out of it (``forked``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from multiprocessing.context import BaseContext
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may use: a CI container often gets fewer than the machine has."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked: not on Windows or macOS (spawned ones would import and load
    everything again), nor from a daemonic process, which may have no children."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def fork_context() -> BaseContext | None:
    """``fork`` where it exists; None (the platform's default) elsewhere."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs with the cycle collector off (back on afterwards if it was on).

    Loading and indexing make millions of objects that live on and form no cycles: each full
    collection would walk the whole growing heap again, for nothing (RESULTS.md: a third of a
    full validation's time, a quarter of the index's).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def collector_frozen() -> Iterator[None]:
    """The heap as it is now is left out of the cycle collector's traversals for the block.

    For data that outlives the block (the directory while pages are rendered): collections go on
    for what the block makes, without walking the rest each time. Unfrozen afterwards, so that a
    long `trombi serve` still frees what an earlier build left in cycles.

    The collector runs in the block even where it was paused (a build pauses it,
    :func:`collector_paused`): processes forked in the block inherit it on, and rendering pages
    makes cycles. Left off, a full build at 100,000 people took 1.8 GiB more across its processes.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()


# How much lower the priority of a child is (InChild's nice) whose work has time to spare beside the
# build's longest chain. At the end of a merge at 100,000 people, the children updating the
# terminal's index and linking the kept files took the cores as much as the one indexing the search
# bundles, which the build waited for last.
BESIDE = 10
# The lowest priority there is: for a child whose work only fills what the build's own processes leave of the cores.
LOWEST = 19


def lowered(nice: int) -> None:
    """This process's priority made ``nice`` lower, where the system has priorities to lower (a worker's initializer)."""
    if hasattr(os, "nice"):  # not on Windows, whose workers are spawned
        os.nice(nice)


# The task of the pool that `forked` holds open, inherited by its workers (never pickled).
_TASK: Callable[[Any], Any] | None = None


@contextmanager
def forked(task: Callable[[T], R], workers: int) -> Iterator[Callable[[T], Future[R]]]:
    """A pool of ``workers`` forked processes that run ``task``; yields the function that submits one item.

    ``task`` may close over anything of this process (a renderer, the whole directory): the
    workers inherit it as it is at the fork. Only the items and the results are pickled. The heap
    is frozen out of the cycle collector meanwhile, in this process and in the workers.
    """
    global _TASK
    if _TASK is not None:
        raise RuntimeError("one forked pool at a time")
    _TASK = task
    try:
        with collector_frozen(), ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield lambda item: pool.submit(_run, item)
    finally:
        _TASK = None


def _run(item: Any) -> Any:
    assert _TASK is not None, "run in a worker forked by `forked`"
    return _TASK(item)


class InChild(Generic[R]):
    """``task`` run in a forked child process from now on; :meth:`result` waits for what it returned, or raises what it raised.

    For work whose memory should not outlive it: CPython seldom gives freed memory back to the
    system, and a process that builds a large index keeps its peak for the rest of the build. The
    child shares this process's memory as it is at the fork, and gives its own back when it ends.
    Start it while this process has no other thread (before a pool's), or know what the others hold:
    the child has only the thread that forked it. Where ``fork`` does not exist, ``task`` runs in
    this process, when :meth:`result` is called, and so it does without ``apart`` (work too small
    for a process of its own). ``frozen``: whether the heap is left out of the child's collections
    (:func:`collector_frozen`, which a thread must not undo under another's feet).
    ``nice``: how much lower the child's priority is than this process's (:func:`os.nice`, in the child
    alone), for work that has time to spare while the build's longest chain waits for the cores
    (:data:`BESIDE`).
    """

    def __init__(self, task: Callable[[], R], *, frozen: bool = True, apart: bool = True, nice: int = 0) -> None:
        self._task: Callable[[], R] | None = None
        if not apart or not can_fork():
            self._task = task
            return
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                if nice:
                    lowered(nice)
                outcome: tuple[str, Any] = ("returned", task())
            except BaseException as error:  # handed to the parent, which raises it
                outcome = ("raised", error)
            # Pickled once, and read back here only if it is an error (one whose class takes other
            # arguments cannot be rebuilt): an answer is read back by the parent alone, which says
            # in words what it cannot read. At 100,000 people, pickling the similar people twice
            # and reading them back took their child 0.35 s more.
            try:
                answer = pickle.dumps(outcome)
                if outcome[0] == "raised":
                    pickle.loads(answer)
            except Exception as error:
                answer = pickle.dumps(("raised", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} (it could not be sent back: {error})")))
            send.send_bytes(answer)

        self._process = context.Process(target=child, daemon=True)
        with collector_frozen() if frozen else nullcontext():  # the child's collections do not walk the heap it inherits
            self._process.start()
        send.close()

    def stop(self) -> None:
        """End the child if it still runs (what it worked for failed), so that nothing goes on after the build; after :meth:`result`, nothing."""
        if self._task is None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
            self._receive.close()

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether :meth:`result` would answer without waiting, once up to ``timeout`` seconds have passed (always, without a child)."""
        return self._task is not None or self._receive.poll(timeout)

    def result(self) -> R:
        if self._task is not None:
            return self._task()
        try:
            answer = self._receive.recv_bytes()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"a child process ended without an answer (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        try:
            kind, value = pickle.loads(answer)
        except Exception as error:
            raise RuntimeError(f"a child process's answer could not be read back ({type(error).__name__}: {error})") from None
        if kind == "raised":
            raise value
        return cast(R, value)


def results_as_ready(children: list[InChild[R]]) -> Iterator[R]:
    """Each of ``children``'s results as soon as it is ready, not in their order: one that fails is
    heard while the others still work, and whoever stops them (:meth:`InChild.stop`) need not wait
    for those before it."""
    pending = list(children)
    while pending:
        # A moment's wait on the first, a look at the others.
        ready = next((child for number, child in enumerate(pending) if child.ready(_LOOK if number == 0 else 0.0)), None)
        if ready is not None:
            pending.remove(ready)
            yield ready.result()


_LOOK = 0.05  # seconds waited on a child between looks at the others
