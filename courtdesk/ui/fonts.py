"""Chinese text must render on any machine, including a bare Linux one with no CJK font.

The bundled AR PL UMing (resources/fonts, Arphic Public License) is registered
with Qt at start-up and added after the platform's own UI font, so Windows keeps
Microsoft YaHei and a bare machine falls back to the bundled face per character.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from courtdesk.errors import CourtdeskError
from courtdesk.resources import resource_path

BUNDLED_FONT_FILES = ("uming.ttc",)
PREFERRED_FAMILY = "AR PL UMing CN"


def register_bundled_fonts() -> list[str]:
    """Register the bundled fonts; returns the families Qt now knows from them."""
    families: list[str] = []
    for name in BUNDLED_FONT_FILES:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise CourtdeskError(f"无法加载随程序附带的字体文件 {path}，中文将无法显示")
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def install_application_font(app: QApplication) -> QFont:
    families = register_bundled_fonts()
    font = app.font()
    fallback = PREFERRED_FAMILY if PREFERRED_FAMILY in families else families[0]
    font.setFamilies([font.family(), fallback])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return font
