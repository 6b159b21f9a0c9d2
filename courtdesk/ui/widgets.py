"""Small helpers shared by the Qt views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QWidget

T = TypeVar("T", bound=QObject)


def named(obj: T, name: str) -> T:
    """Give a widget an object name (tests and style sheets find it by that name)."""
    obj.setObjectName(name)
    return obj


# The share of the screen's free area a window may take at most: the rest is for
# its title bar and frame, which the window's own size does not include.
SCREEN_SHARE = 0.95


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` × ``height``, but never beyond its screen's free area.

    Sizes are given in characters of the font, which suits a 1920×1080 desk screen;
    a 1366×768 laptop at 125 % scaling has only about 1090×580 logical pixels, and a
    window larger than that opens with its edges and buttons off the screen.
    """
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, int(free.width() * SCREEN_SHARE))
        height = min(height, int(free.height() * SCREEN_SHARE) - 32)  # a title bar
    widget.resize(width, height)


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
