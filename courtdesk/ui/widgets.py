"""Small helpers shared by the Qt views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox

T = TypeVar("T", bound=QObject)


def named(obj: T, name: str) -> T:
    """Give a widget an object name (tests and style sheets find it by that name)."""
    obj.setObjectName(name)
    return obj


def if_alive(widget: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """``callback`` that does nothing once ``widget`` is gone.

    Background results can arrive after their dialog was closed (a dialog deletes
    itself on close): they are dropped instead of touching a deleted widget.
    """

    def call(value: Any) -> None:
        if shiboken6.isValid(widget):
            callback(value)

    return call


# Combo items that stand for "nobody / everything" carry 0, never None: PySide
# stores a Python None in a QVariant as an object whose reference count it then
# gets wrong (the interpreter aborts at exit), and record ids start at 1.
NO_ID = 0


def combo_id(combo: QComboBox) -> int | None:
    """The record id of a combo box's current item, or None for the NO_ID item."""
    value = combo.currentData()
    return int(value) if value else None
