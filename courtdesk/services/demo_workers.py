"""Worker processes for a big demo: its Python work spread over the machine's cores.

A demo of a million cases is ~20 million generated rows. Made in one process, the
Python that makes them and SQLite that stores them take turns on one core (a
writer thread was measured at 97 % of one core: the GIL serialises them). Here the
work is a pipeline of processes, each keeping its own random stream, so the data
is exactly what one process makes with the same seed:

    cases process ──chunk k────────────────────────────────────▶ this process:
           └──────cases of chunk k──▶ calendar process ──hearings,  store chunk k
                                      (hearings, service)  service ──▶ (SQLite)

Each stage runs ahead of the next through a bounded queue, so while this process
stores chunk k the others make chunks k+1 and k+2.

Processes are started with "spawn" on every platform (what Windows does anyway), so
nothing of this process (its open database connection above all) is inherited, and
each worker gets its own copy of the generators it is given.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.process import BaseProcess
from typing import Any

# A chunk of 20,000 cases is some 25 MB pickled; at most two wait in each queue.
QUEUE_DEPTH = 2
_ROWS = "rows"
_DONE = "done"
_FAILED = "failed"


class WorkerFailed(RuntimeError):
    """A worker process raised or died; the message carries its traceback or exit code."""


def produce(make: Callable[[], Iterable[Sequence[Any]]], outs: Sequence[Any]) -> None:
    """Worker body: ``make()`` yields tuples; part i of each goes to ``outs[i]``."""
    try:
        for parts in make():
            for out, part in zip(outs, parts, strict=True):
                out.put((_ROWS, part))
        for out in outs:
            out.put((_DONE, None))
    except BaseException:  # sent on, and raised in the parent
        for out in outs:
            out.put((_FAILED, traceback.format_exc()))


def transform(work: Callable[[Any], Any], source: Any, out: Any) -> None:
    """Worker body: ``work(item)`` for each item from ``source``, in order."""
    try:
        while True:
            kind, item = source.get()
            if kind != _ROWS:
                out.put((kind, item))  # done, or the failure of the stage before
                return
            out.put((_ROWS, work(item)))
    except BaseException:  # sent on, and raised in the parent
        out.put((_FAILED, traceback.format_exc()))


class Stream:
    """The items a worker process sends, received in order."""

    def __init__(self, out: Any, processes: Sequence[BaseProcess]) -> None:
        self.queue = out
        self.processes = processes  # the one that sends, and the stages before it

    def __iter__(self) -> Iterator[Any]:
        while True:
            kind, item = _receive(self.queue, self.processes)
            if kind == _DONE:
                return
            yield item


class Pipeline:
    """The worker processes of one demo fill; a context manager that always stops them."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._processes: list[BaseProcess] = []

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join()

    def split(self, make: Callable[[], Iterable[Sequence[Any]]], ways: int) -> list[Stream]:
        """Run ``make`` in a worker; stream i carries part i of each tuple it yields."""
        outs = [self._context.Queue(QUEUE_DEPTH) for _ in range(ways)]
        process = self._start(produce, make, outs)
        return [Stream(out, [process]) for out in outs]

    def then(self, work: Callable[[Any], Any], source: Stream) -> Stream:
        """Run ``work`` over ``source``'s items in another worker (its own copy of it)."""
        out = self._context.Queue(QUEUE_DEPTH)
        process = self._start(transform, work, source.queue, out)
        return Stream(out, [*source.processes, process])

    def _start(self, target: Callable[..., None], *args: Any) -> BaseProcess:
        process = self._context.Process(target=target, args=args, daemon=True)
        process.start()
        self._processes.append(process)
        return process


def _receive(out: Any, processes: Sequence[BaseProcess]) -> tuple[str, Any]:
    while True:
        try:
            kind, item = out.get(timeout=1.0)
        except queue.Empty:
            # A stage that died without a word (killed, out of memory) would leave the
            # stages after it waiting for ever.
            died = [p for p in processes if p.exitcode not in (None, 0)]
            if not died and processes[-1].is_alive():
                continue
            try:  # the sender may have put its last item just before it ended
                kind, item = out.get(timeout=0.1)
            except queue.Empty:
                code = died[0].exitcode if died else processes[-1].exitcode
                raise WorkerFailed(f"演示数据的工作进程意外退出（退出码 {code}）") from None
        if kind == _FAILED:
            raise WorkerFailed(f"演示数据的工作进程出错：\n{item}")
        return str(kind), item
