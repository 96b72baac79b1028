"""Work in a forked child: its answer comes back, its failure is raised here, never silent."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from generator.parallel import BESIDE, InChild, collector_paused, fork_context, forked, lowered, results_as_ready
from generator.problems import Message, Problem, TrombiError
from tests.conftest import REPO, needs_fork


@needs_fork
def test_a_child_answers_what_its_task_returns_from_its_own_process() -> None:
    parent = os.getpid()
    big = list(range(100_000))  # shared with the child as it is at the fork, never sent
    child = InChild(lambda: (os.getpid(), sum(big)))
    pid, total = child.result()
    assert pid != parent and total == sum(big)


@needs_fork
def test_what_the_child_raises_is_raised_here() -> None:
    def fails() -> None:
        raise TrombiError([Problem("people/ana.yaml", 3, 7, Message("broken"), "value")])

    with pytest.raises(TrombiError) as raised:
        InChild(fails).result()
    assert raised.value.problems[0].line == 3


@needs_fork
def test_an_error_that_cannot_be_sent_back_is_said_in_words() -> None:
    class Unsendable(Exception):
        def __init__(self, a: int, b: int) -> None:  # exceptions pickle their args only: this one cannot be rebuilt
            super().__init__(f"{a}+{b}")

    def fails() -> None:
        raise Unsendable(1, 2)

    with pytest.raises(RuntimeError, match=r"Unsendable: 1\+2"):
        InChild(fails).result()


class _Unreadable:
    """A value that pickles, but cannot be rebuilt from its pickle."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuses, ())


def _refuses() -> None:
    raise ValueError("cannot be rebuilt")


@needs_fork
def test_an_answer_that_cannot_be_read_back_is_said_in_words() -> None:
    with pytest.raises(RuntimeError, match=r"answer could not be read back \(ValueError: cannot be rebuilt\)"):
        InChild(_Unreadable).result()


@needs_fork
def test_a_child_that_dies_is_an_error_not_an_answer() -> None:
    with pytest.raises(RuntimeError, match="without an answer"):
        InChild(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()


@needs_fork
def test_a_child_given_a_lower_priority_has_it_alone() -> None:
    mine = os.nice(0)
    assert InChild(lambda: os.nice(0), nice=5).result() == min(mine + 5, 19)
    assert InChild(lambda: os.nice(0)).result() == mine
    assert os.nice(0) == mine


@needs_fork
def test_workers_started_lowered_run_at_a_lower_priority_than_this_process() -> None:
    mine = os.nice(0)
    with ProcessPoolExecutor(1, mp_context=fork_context(), initializer=lowered, initargs=(BESIDE,)) as pool:
        assert pool.submit(os.nice, 0).result() == min(mine + BESIDE, 19)
    assert os.nice(0) == mine


def test_lowering_a_priority_where_there_are_none_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "nice")
    lowered(BESIDE)  # as a worker's initializer on Windows: no priority, no error


def test_without_fork_the_task_runs_here_at_this_process_s_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.parallel as parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    mine = os.nice(0)
    assert parallel.InChild(lambda: os.nice(0), nice=5).result() == mine


def test_without_fork_the_task_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.parallel as parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert parallel.InChild(os.getpid).result() == os.getpid()


def test_work_not_apart_runs_here_when_its_answer_is_asked() -> None:
    ran: list[int] = []
    child = InChild(lambda: ran.append(os.getpid()) or len(ran), apart=False)
    assert ran == []  # nothing yet: the work is done when the answer is asked
    child.stop()  # nothing to end
    assert child.result() == 1 and ran == [os.getpid()]


@needs_fork
def test_a_child_stopped_before_its_answer_ends_at_once() -> None:
    child = InChild(lambda: time.sleep(60))
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 10
    assert not child._process.is_alive()
    child.stop()  # twice is nothing


@needs_fork
def test_stopping_a_child_that_answered_changes_nothing() -> None:
    child = InChild(lambda: 42)
    assert child.result() == 42
    child.stop()


@needs_fork
def test_processes_forked_while_a_build_pauses_the_collector_collect_their_own_cycles() -> None:
    # A build pauses the collector (what it plans lives to its end); its workers render pages, which make cycles.
    with collector_paused():
        with forked(lambda _: gc.isenabled(), 1) as submit:
            in_worker = submit(0).result()
        in_child = InChild(gc.isenabled).result()
        assert not gc.isenabled()
    assert in_worker and in_child
    assert gc.isenabled()


@needs_fork
def test_results_as_ready_hears_a_failing_child_while_one_before_it_still_works() -> None:
    def fails() -> int:
        raise ValueError("the second child failed")

    slow, failing, quick = InChild(lambda: time.sleep(600) or 1), InChild(fails), InChild(lambda: 3)
    started = time.monotonic()
    found: list[int] = []
    try:
        with pytest.raises(ValueError, match="the second child failed"):
            found.extend(results_as_ready([slow, failing, quick]))
    finally:
        slow.stop()
    assert time.monotonic() - started < 60
    assert 1 not in found  # the slow one was never waited for


def test_results_as_ready_gives_every_result_and_runs_work_kept_here() -> None:
    children = [InChild(lambda number=number: number * number, apart=number % 2 == 0) for number in range(5)]
    assert sorted(results_as_ready(children)) == [0, 1, 4, 9, 16]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads are counted in /proc")
def test_numpys_blas_runs_on_one_thread_in_trombis_processes_unless_told_otherwise() -> None:
    """A process per core is forked for what NumPy computes: BLAS threads in each would spin on the cores the others need."""
    code = "import os, generator, numpy; a = numpy.ones((400, 400)); a @ a; print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))"
    environment = {name: value for name, value in os.environ.items() if name != "OPENBLAS_NUM_THREADS"}

    def run(**told: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**environment, **told}, cwd=REPO).stdout.split()

    assert run() == ["1", "1"]  # this process's one thread: BLAS started none
    assert run(OPENBLAS_NUM_THREADS="2")[0] == "2"  # whoever runs Trombi may say otherwise
