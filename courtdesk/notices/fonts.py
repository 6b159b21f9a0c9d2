"""Fonts for printed documents, resolved as: configured font → official faces → bundled font.

domain-rules.md section 8: court documents prefer the official faces (仿宋_GB2312 /
FangSong ``simfang.ttf``, 方正小标宋) when the machine has them; otherwise the
bundled AR PL UMing (TrueType, embeddable as a subset) is used, never reportlab's
built-in STSong-Light, which is not embedded and prints differently everywhere.

Rare characters. AR PL UMing covers the basic CJK block (堃 喆 淼 犇 彧 昇 …) but
not Extension B and beyond (𠮷 U+20BB7). A character the body or heading face
lacks is drawn with the first *fallback* face that has it: the configured fallback
font, else an installed Extension-B face (SimSun-ExtB ``simsunb.ttf`` ships with
every Windows since Vista; Debian's ``fonts-hanazono`` installs HanaMinA/B). A
character that no face can draw is reported by code point and glyph
(``U+20BB7 𠮷``) before anything is printed, never dropped or printed as a box.

Why no Extension-B font is bundled: the only redistributable TrueType one,
HanaMinB (SIL OFL 1.1 or the Hanazono licence), is 30 MB, more than the whole
program; the court PCs are Windows machines that already carry SimSun-ExtB, and a
court without it can set the fallback font (setting ``notice.font.fallback``) to
any TrueType file. The report names the character, so nothing goes out wrong.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from courtdesk.errors import CourtdeskError
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
# Installed faces that cover CJK Extension B and beyond, in order of preference.
EXTENSION_FALLBACK_FILES = (
    "simsunb.ttf",  # SimSun-ExtB, part of every Windows since Vista
    "HanaMinB.ttf",  # Debian fonts-hanazono
    "HanaMinA.ttf",  # Extension A, also from fonts-hanazono
)


@dataclass(frozen=True)
class FontChoice:
    """A TrueType file (and the face within a .ttc) to embed."""

    path: Path
    subfont_index: int
    origin: str  # "configured", "installed" or "bundled"

    @property
    def label(self) -> str:
        origin = {"configured": "设置指定", "installed": "本机安装", "bundled": "随程序附带"}
        return f"{self.path.name}（{origin.get(self.origin, self.origin)}）"


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


@cache
def _installed_index() -> dict[str, Path]:
    """Lower-cased file name → path of every installed font file (walked once per process)."""
    found: dict[str, Path] = {}
    for folder in font_folders():
        for candidate in folder.rglob("*"):
            if candidate.suffix.lower() in (".ttf", ".ttc", ".otf"):
                found.setdefault(candidate.name.lower(), candidate)
    return found


def _find_installed(names: tuple[str, ...]) -> Path | None:
    index = _installed_index()
    for name in names:
        path = index.get(name.lower())
        if path is not None:
            return path
    return None


def _configured(configured: str) -> FontChoice | None:
    """A configured font as ``path`` or ``path#index`` (the face within a .ttc)."""
    if not configured.strip():
        return None
    text, _, index = configured.strip().partition("#")
    path = Path(text).expanduser()
    if not path.is_file():
        return None
    return FontChoice(path, int(index) if index.isdigit() else 0, "configured")


def resolve_font(configured: str = "", heading: bool = False) -> FontChoice:
    """The font file for body (or heading) text: configured, else official, else bundled."""
    choice = _configured(configured)
    if choice is not None:
        return choice
    installed = _find_installed(OFFICIAL_HEADING_FILES if heading else OFFICIAL_BODY_FILES)
    if installed is not None:
        return FontChoice(installed, 0, "installed")
    name, index = BUNDLED_FONT
    return FontChoice(resource_path("fonts", name), index, "bundled")


def resolve_fallbacks(
    configured: str = "", search_installed: bool = True
) -> tuple[FontChoice, ...]:
    """Faces tried, in order, for characters the body and heading faces lack."""
    choices: list[FontChoice] = []
    choice = _configured(configured)
    if choice is not None:
        choices.append(choice)
    name, index = BUNDLED_FONT
    choices.append(FontChoice(resource_path("fonts", name), index, "bundled"))
    if search_installed:
        for file_name in EXTENSION_FALLBACK_FILES:
            installed = _find_installed((file_name,))
            if installed is not None:
                choices.append(FontChoice(installed, 0, "installed"))
    return tuple(choices)


# ------------------------------------------------------------------ loading
_lock = threading.Lock()
_loaded: dict[tuple[str, int], str] = {}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond the BMP as UTF-16 surrogate pairs.

    reportlab 5.1 writes U+20BB7 as the odd-length hex ``<20BB7>``, which PDF
    readers reject: the character prints, but copying or searching the PDF (and
    our tests, which read the text back) lose it. The PDF reference wants UTF-16BE.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    lines += [
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)
    ]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def register(choice: FontChoice) -> str:
    """Load a face into reportlab once per process; returns its reportlab font name.

    Parsing a 20 MB collection takes a few tenths of a second, so every document
    and every worker thread shares the loaded face. reportlab embeds only the
    glyphs a document uses (a subset) when the PDF is written.
    """
    # reportlab is imported on the first face loaded, not with this module (see layout.py)
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    key = (str(choice.path), choice.subfont_index)
    with _lock:
        name = _loaded.get(key)
        if name is not None:
            return name
        # before any face is loaded, so every PDF reportlab writes has the mended map
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        name = f"courtdesk-{len(_loaded)}"
        try:
            font = TTFont(name, str(choice.path), subfontIndex=choice.subfont_index)
        except (TTFError, OSError) as error:
            raise CourtdeskError(
                f"无法使用字体文件 {choice.path}：{error}（需要可嵌入的 TrueType 字体）"
            ) from error
        pdfmetrics.registerFont(font)
        _loaded[key] = name
        return name


def covers(font_name: str, char: str) -> bool:
    """Whether a registered face has a glyph for ``char``."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph


def char_label(char: str) -> str:
    """A character named so a clerk can find it: ``U+20BB7 𠮷``."""
    return f"U+{ord(char):04X} {char}"


class UnprintableCharactersError(CourtdeskError):
    """Text holds characters that no configured font can draw; nothing was printed."""

    def __init__(self, where: dict[str, list[str]], fonts: Iterable[FontChoice]) -> None:
        self.characters = tuple(where)
        self.where = where
        parts = []
        for char, places in where.items():
            shown = "、".join(places[:3]) + (f"等{len(places)}处" if len(places) > 3 else "")
            parts.append(f"{char_label(char)}（{shown}）")
        # each face once: the bundled face is often heading, body and last fallback at once
        faces = "、".join(dict.fromkeys(f.label for f in fonts))
        super().__init__(
            "以下字符没有可用的字体，无法打印："
            + "；".join(parts)
            + f"。已尝试的字体：{faces}。请由管理员在「文书设置」中指定包含这些字的 TrueType 字体"
            "（例如 Windows 自带的 SimSun-ExtB simsunb.ttf，或花园明朝 HanaMinB.ttf）"
        )


@dataclass(frozen=True)
class FontStack:
    """The faces a document uses: heading (标题), body (正文) and fallbacks for rare characters."""

    heading: FontChoice
    body: FontChoice
    fallbacks: tuple[FontChoice, ...]

    @property
    def all_choices(self) -> tuple[FontChoice, ...]:
        return (self.heading, self.body, *self.fallbacks)


def resolve_fonts(body: str = "", heading: str = "", fallback: str = "") -> FontStack:
    """The faces for a document from the configured paths (empty: official, else bundled)."""
    return FontStack(
        heading=resolve_font(heading, heading=True),
        body=resolve_font(body),
        fallbacks=resolve_fallbacks(fallback),
    )


class FaceChain:
    """One face plus its fallbacks, loaded, answering which face draws each character."""

    def __init__(self, primary: FontChoice, fallbacks: tuple[FontChoice, ...]) -> None:
        self.primary = register(primary)
        self._fallback_choices = fallbacks
        self._fallbacks: list[str] | None = None  # loaded on the first character missing
        self._face_of: dict[str, str | None] = {}

    def _fallback_names(self) -> list[str]:
        if self._fallbacks is None:
            self._fallbacks = [register(choice) for choice in self._fallback_choices]
        return self._fallbacks

    def face_for(self, char: str) -> str | None:
        """The reportlab font name that draws ``char``, or None when no face can."""
        try:
            return self._face_of[char]
        except KeyError:
            pass
        face: str | None = None
        if char in "\n\t " or covers(self.primary, char):
            face = self.primary
        else:
            for name in self._fallback_names():
                if covers(name, char):
                    face = name
                    break
        self._face_of[char] = face
        return face

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` split into (font name, text) runs; raises for characters no face has."""
        result: list[tuple[str, str]] = []
        for char in text:
            face = self.face_for(char)
            if face is None:
                raise UnprintableCharactersError({char: [text]}, self._all())
            if result and result[-1][0] == face:
                result[-1] = (face, result[-1][1] + char)
            else:
                result.append((face, char))
        return result

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no face in the chain can draw, in order of appearance."""
        seen: list[str] = []
        for char in text:
            if char not in seen and self.face_for(char) is None:
                seen.append(char)
        return seen

    def _all(self) -> list[FontChoice]:
        return list(self._fallback_choices)
