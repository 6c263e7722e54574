"""Forked: the child's value, or exactly what a plain call gives."""

from __future__ import annotations

import os
import threading

import pytest

from backendscan.forking import Forked, Shared, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork on Linux and a single thread")


def _pid_and(x: int) -> tuple[int, int]:
    return os.getpid(), x * 2


def test_the_value_comes_from_a_child():
    job = Forked(_pid_and, 21)
    assert job.forked
    pid, value = job.result()
    assert value == 42 and pid != os.getpid()


def test_a_failing_function_fails_here_as_a_plain_call_would():
    def boom(x: int) -> int:
        raise ValueError(f"bad {x}")

    job = Forked(boom, 3)
    with pytest.raises(ValueError, match="bad 3"):
        job.result()


def test_a_value_that_cannot_travel_is_computed_here():
    lock = threading.Lock()  # locks do not pickle
    job = Forked(lambda: (os.getpid(), lock))
    pid, got = job.result()
    assert pid == os.getpid() and got is lock


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        job = Forked(_pid_and, 1)
        assert not job.forked
        assert job.result() == (os.getpid(), 2)
    finally:
        stop.set()
        t.join()


def test_large_values_come_back_whole():
    text = "é" * 3_000_000 + "end"
    assert Forked(str.upper, text).result() == text.upper()


def _exit_in_child(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(7)  # a child that dies without a value
    return "computed here"


def test_a_child_that_dies_means_the_value_is_computed_here():
    job = Forked(_exit_in_child, os.getpid())
    assert job.forked
    assert job.result() == "computed here"


def _slow_square(i: int) -> tuple[int, int]:
    import time

    time.sleep(0.2 if i == 0 else 0.01)  # whichever process takes item 0, the other takes items meanwhile
    return os.getpid(), i * i


def test_shared_items_are_split_between_this_process_and_a_child():
    shared = Shared(12, _slow_square)
    mine = {i: _slow_square(i) for i in shared.mine()}
    theirs = shared.theirs()
    assert shared.left() == []
    assert sorted([*mine, *theirs]) == list(range(12)) and not set(mine) & set(theirs)
    assert {i: v[1] for i, v in {**mine, **theirs}.items()} == {i: i * i for i in range(12)}
    assert theirs and {pid for pid, _ in theirs.values()} != {os.getpid()}  # the child did some of them
    assert all(pid == os.getpid() for pid, _ in mine.values())


def test_shared_items_the_child_fails_on_are_left_to_this_process():
    parent = os.getpid()

    def fails_in_child(i: int) -> int:
        if os.getpid() != parent and i % 2:
            raise RuntimeError("child trouble")
        return i + 100

    shared = Shared(10, fails_in_child)
    got = {i: fails_in_child(i) for i in shared.mine()}
    got.update(shared.theirs())
    for i in shared.left():
        got[i] = fails_in_child(i)  # here it succeeds, as a plain loop would
    assert got == {i: i + 100 for i in range(10)}


def test_shared_without_fork_gives_every_item_here():
    shared = Shared(5, _slow_square, fork=False)
    assert list(shared.mine()) == [0, 1, 2, 3, 4] and shared.theirs() == {} and shared.left() == []


def _own_niceness() -> int:
    return os.nice(0)


def test_a_nice_child_runs_at_lower_priority():
    here = os.nice(0)
    job = Forked(_own_niceness, nice=5)
    assert job.forked and job.result() == min(here + 5, 19)
    assert Forked(_own_niceness).result() == here
