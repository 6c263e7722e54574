"""Run work in forked children while this process goes on.

:class:`Forked` runs one function in a child; :class:`Shared` splits a list of items
between this process and one child, each taking the next item when it is free.

After extraction a report is a chain of whole-program steps in one process, and
the machine's other cores sit idle.  Some steps do not depend on each other (the
JSON rendering and the Markdown/HTML renderings, for example), so one of them can
run in a child made by ``fork``: the child inherits the scan result without
copying or pickling it, and sends back only its return value (pickled, through
a file in memory).

This is an optimisation, never a behaviour: without ``fork`` (other platforms,
threads running, a failed fork) or when the child fails in any way, ``result()``
calls the function in this process (and :class:`Shared` hands back the items the
child did not finish), so values and exceptions are exactly what plain calls give.  The child never writes files or the cache and leaves
through ``os._exit`` (no ``atexit`` handlers, no flushing of inherited buffers).
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from typing import Any, Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


#: ``nice`` for a child whose value is needed only after other work this process is doing or
#: waiting for (the rules draft, the cycles): on two cores it then takes the CPU time the
#: critical path leaves idle instead of slowing it down
NICE = 10


def can_fork() -> bool:
    """Linux with no other thread running (forking a threaded process can deadlock the child)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork") and hasattr(os, "memfd_create") and threading.active_count() == 1


class Forked(Generic[T]):
    """``fn(*args)`` computed in a child process; :meth:`result` returns it."""

    def __init__(self, fn: Callable[..., T], *args: Any, nice: int = 0) -> None:
        """``nice``: how much lower the child's scheduling priority is (``os.nice``), for work that
        waits for idle CPU time instead of slowing down what this process needs sooner."""
        self._fn = fn
        self._args = args
        self._pid = 0
        self._fd = -1
        if not can_fork():
            return
        try:
            fd = _channel()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(fd)
            return
        if pid == 0:  # pragma: no cover - the child's lines run in another process
            code = 1
            try:
                gc.disable()  # a collection would touch (and so copy) every inherited page
                if nice:
                    try:
                        os.nice(nice)
                    except OSError:
                        pass
                try:
                    payload = pickle.dumps((True, fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    payload = pickle.dumps((False, None))
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view):]
                code = 0
            finally:
                os._exit(code)
        self._pid, self._fd = pid, fd

    @property
    def forked(self) -> bool:
        """Whether a child is computing the value."""
        return self._pid != 0

    def result(self) -> T:
        """The value: the child's, or computed here when there was no child or it failed."""
        if self._pid:
            payload = b""
            try:
                _, status = os.waitpid(self._pid, 0)
                if status == 0:
                    payload = read_all(self._fd)
            finally:
                os.close(self._fd)
                self._pid, self._fd = 0, -1
            if payload:
                try:
                    ok, value = pickle.loads(payload)
                except Exception:
                    ok = False
                if ok:
                    return value  # type: ignore[no-any-return]
        return self._fn(*self._args)


class Shared(Generic[T]):
    """Items ``0..count-1`` shared between this process and one forked child as they come.

    The item numbers wait in a pipe; this process and the child each take the next one
    when they are free (a read of one byte from a pipe is atomic), so the two split the
    work without knowing beforehand what each item costs.  This process asks for its
    items with :meth:`mine`, then :meth:`theirs` gives the child's values.  An item the
    child took but did not finish (it raised, or the child died) is not among them: the
    caller computes it as it would without a child (:meth:`left`), so values and errors
    are what a plain loop gives.  Without ``fork`` (or with ``fork=False``), every item
    is this process's.
    """

    _MAX = 255  # one byte per item number

    def __init__(self, count: int, fn: Callable[[int], T], *, fork: bool = True) -> None:
        self.count = count
        self._taken: set[int] = set()
        self._theirs: dict[int, T] = {}
        self._child: Forked[dict[int, T]] | None = None
        self._fd = -1
        if not fork or count < 2 or count > self._MAX or not can_fork():
            return
        try:
            r, w = os.pipe()
        except OSError:
            return
        try:
            os.write(w, bytes(range(count)))
        finally:
            os.close(w)  # readers see the numbers, then the end of the pipe
        self._fd = r
        child = Forked(_take_all, r, fn)
        if child.forked:
            self._child = child
        else:
            os.close(r)
            self._fd = -1

    def mine(self) -> Iterator[int]:
        """The item numbers for this process, one at a time, as it asks for them."""
        if self._fd < 0:
            for i in range(self.count):
                if i not in self._taken:
                    self._taken.add(i)
                    yield i
            return
        while True:
            got = os.read(self._fd, 1)
            if not got:
                return
            self._taken.add(got[0])
            yield got[0]

    def theirs(self) -> dict[int, T]:
        """The child's values by item number (waits for it; call once :meth:`mine` is exhausted)."""
        if self._child is not None:
            child, self._child = self._child, None
            # a failed child's fallback runs _take_all here: the pipe is empty by then, so it returns {}
            self._theirs = child.result()
            os.close(self._fd)
            self._fd = -1
        return self._theirs

    def left(self) -> list[int]:
        """Items neither process finished: the child took them and failed (call after :meth:`theirs`)."""
        done = self._taken | set(self.theirs())
        return [i for i in range(self.count) if i not in done]


def _take_all(fd: int, fn: Callable[[int], T]) -> dict[int, T]:
    """The child's loop of :class:`Shared`: take numbers until the pipe is empty."""
    out: dict[int, T] = {}
    while True:
        got = os.read(fd, 1)
        if not got:
            return out
        try:
            out[got[0]] = fn(got[0])
        except Exception:  # the parent computes this one again and reports what it raises
            continue


def _channel() -> int:
    """A file in memory (``memfd``) for the child's pickled value.

    The child writes its whole value and exits; the parent reads it back after ``waitpid``.
    Through a pipe the two processes took turns on 64 KiB at a time: 0.1-0.2 s for the
    27 MiB JSON of saleor on this 2-core VM, against 0.03 s through memory.
    """
    return os.memfd_create("backendscan-forked", os.MFD_CLOEXEC)


def read_all(fd: int) -> bytes:
    """The whole content of the file behind ``fd`` (a memfd written by a child), from its start."""
    size = os.fstat(fd).st_size
    chunks: list[bytes] = []
    offset = 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)
