"""Fonts for printed documents, resolved as: configured font → official faces → bundled font.

domain-rules.md section 8: court documents prefer the official faces (仿宋_GB2312 /
FangSong ``simfang.ttf``, 方正小标宋) when the machine has them; otherwise the
bundled AR PL UMing (TrueType, embeddable as a subset) is used, never reportlab's
built-in STSong-Light, which is not embedded and prints differently everywhere.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from courtdesk.resources import resource_path

BUNDLED_FONT = ("uming.ttc", 0)  # AR PL UMing CN is the first face of the collection

# File names of the official faces, as installed on Windows and by font packages on Linux.
OFFICIAL_BODY_FILES = (
    "simfang.ttf",
    "FangSong_GB2312.ttf",
    "fangsong_gb2312.ttf",
    "仿宋_GB2312.ttf",
)
OFFICIAL_HEADING_FILES = (
    "FZXBSJW.TTF",
    "fzxbsjw.ttf",
    "方正小标宋简体.ttf",
    "FZXiaoBiaoSong-B05S.ttf",
)


@dataclass(frozen=True)
class FontChoice:
    """A TrueType file (and the face within a .ttc) to embed."""

    path: Path
    subfont_index: int
    origin: str  # "configured", "installed" or "bundled"


def font_folders() -> list[Path]:
    folders = []
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\\Windows"))
        folders.append(windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        folders += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".fonts",
            Path.home() / ".local" / "share" / "fonts",
        ]
    return [f for f in folders if f.is_dir()]


def _find_installed(names: tuple[str, ...]) -> Path | None:
    wanted = {n.lower() for n in names}
    for folder in font_folders():
        for candidate in folder.rglob("*"):
            if candidate.name.lower() in wanted:
                return candidate
    return None


def resolve_font(configured: str = "", heading: bool = False) -> FontChoice:
    """The font file for body (or heading) text: configured, else official, else bundled."""
    if configured:
        path = Path(configured).expanduser()
        if path.is_file():
            return FontChoice(path, 0, "configured")
    installed = _find_installed(OFFICIAL_HEADING_FILES if heading else OFFICIAL_BODY_FILES)
    if installed is not None:
        return FontChoice(installed, 0, "installed")
    name, index = BUNDLED_FONT
    return FontChoice(resource_path("fonts", name), index, "bundled")
