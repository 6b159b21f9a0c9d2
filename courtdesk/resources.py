"""Where the files in ``resources/`` are, in a source checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder.

    In a PyInstaller build the data files sit under ``sys._MEIPASS/resources``
    (build.spec puts them there); in a checkout they sit beside the package.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a file under ``resources/``, e.g. ``resource_path("fonts", "uming.ttc")``."""
    return resources_root().joinpath(*parts)
