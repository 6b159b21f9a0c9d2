"""Run work off the GUI thread and get the result back on it.

Every call that touches the database or renders a document goes through
``TaskRunner.run(fn, on_done, on_error)`` (Picard's ``run_task``, Anki's
background operations): the function runs on a worker thread, and its result or
its exception is delivered to the callbacks on the GUI thread. An exception with
no ``on_error`` goes to the runner's ``unhandled`` signal, which the main window
shows to the user; nothing is swallowed.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# Reads of the same thing can finish out of order: the pool has several workers. A read
# started later sees at least what an earlier one saw, so a view numbers each read as it
# starts and shows an answer only if no later-started read of its own was asked for
# (the docket's opened case against a tab's own reload after a change, say).
next_read: Callable[[], int] = itertools.count(1).__next__

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Carrier(QObject):
    """Lives on the GUI thread; workers emit through it, Qt queues the call over."""

    finished = Signal(int, object, object)


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], carrier: _Carrier) -> None:
        super().__init__()
        self.task_id = task_id
        self.fn = fn
        self.carrier = carrier

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as error:  # delivered to on_error on the GUI thread
            self.carrier.finished.emit(self.task_id, None, error)
        else:
            self.carrier.finished.emit(self.task_id, result, None)


class TaskRunner(QObject):
    unhandled = Signal(object)  # an exception no caller asked to handle
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 3) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._carrier = _Carrier()
        self._carrier.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._ids = itertools.count(1)

    def run(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> int:
        """Start ``fn()`` on a worker thread; returns a task id."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(task_id, fn, self._carrier))
        return task_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        if error is not None:
            if on_error is not None:
                _call_if_target_lives(on_error, error)
            else:
                self.unhandled.emit(error)
        elif on_done is not None:
            _call_if_target_lives(on_done, result)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every worker is idle (shutdown and tests only)."""
        return bool(self._pool.waitForDone(msecs))


def _call_if_target_lives(callback: Callable[[Any], None], value: Any) -> None:
    """Deliver a result unless the widget it was for has been closed and deleted.

    A background result can arrive after its view is gone (a dialog closed, the
    window shut while a page was loading). A bound method of a deleted widget is
    skipped; a closure that touches a deleted widget raises shiboken's "already
    deleted" RuntimeError, which here means the same thing and drops only that
    update. Any other error propagates as usual.
    """
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        return
    try:
        callback(value)
    except RuntimeError as error:
        if "Internal C++ object" in str(error) and "already deleted" in str(error):
            log.debug("dropped a late background result: %s", error)
            return
        raise
