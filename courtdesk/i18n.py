"""The one translation function every user-facing string goes through.

Source strings are Chinese, the language of the court. A catalogue for another
language can be dropped into ``resources/locale/<lang>/LC_MESSAGES/courtdesk.mo``
and selected with the ``COURTDESK_LANG`` environment variable; without one the
Chinese text is shown as written.
"""

from __future__ import annotations

import gettext
import os

from courtdesk.resources import resource_path

_DOMAIN = "courtdesk"


def _load() -> gettext.NullTranslations:
    lang = os.environ.get("COURTDESK_LANG", "").strip()
    if not lang:
        return gettext.NullTranslations()
    return gettext.translation(
        _DOMAIN, localedir=str(resource_path("locale")), languages=[lang], fallback=True
    )


_translations = _load()


def _(text: str) -> str:
    """Translate ``text`` (a Chinese source string) into the user's language."""
    return _translations.gettext(text)
