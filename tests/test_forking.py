"""Forked: the child's value, or exactly what a plain call gives."""

from __future__ import annotations

import os
import threading

import pytest

from backendscan.forking import Forked, can_fork

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
