"""Free text as people type it: trimmed, and refused when it holds what cannot be stored."""

from __future__ import annotations

import unicodedata


def clean_text(text: str) -> str:
    """Trim, fold full-width spaces and refuse control characters by dropping nothing:
    callers check ``has_control_characters`` first so nothing is silently altered."""
    return text.replace("\u3000", " ").strip()


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in text)


def free_text_problem(text: str, what: str) -> str | None:
    """Why a free-text field (a reason, a note, a place) cannot be stored, or None.

    Line breaks and tabs are allowed (the boxes have several lines); control
    characters and lone surrogates (what undecodable bytes become, which SQLite
    cannot even store) are refused, naming the field, so nothing is silently altered.
    """
    if any(
        c not in "\n\r\t" and unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"}
        for c in text
    ):
        return f"{what}含有无法显示或打印的控制字符"
    return None


__all__ = ["clean_text", "free_text_problem", "has_control_characters"]
