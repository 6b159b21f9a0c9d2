"""Full-text search over cases: 案号 fragments, names (two characters work), pinyin
initials, ID numbers, lawyers and law firms.

SQLite's trigram tokenizer cannot match a two-character query, and most Chinese
names are two or three characters, so the index is built from overlapping
character pairs ("张三丰" → "张三 三丰 丰"): a two-character query is one token, a
longer one a phrase of pairs, a single character a prefix. Everything is indexed
in the FTS5 table ``case_search`` (rowid = case id), so a search never scans the
cases table.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

_SPACES = re.compile(r"\s+")
_STRIP = str.maketrans("", "", "（）()〔〕[]【】 \u3000\"'*:^")
_LATIN = re.compile(r"^[a-z]+$")
_CODE = re.compile(r"^[0-9a-z]{4,}$")
# Eight digits or more (an ID number, a phone, a credit code) cannot be part of a
# 案号, whose longest run of digits is a sequence number: such a query is looked up
# in the codes alone. As a phrase of digit pairs ("22 20 01 …") it would read the
# posting lists of pairs like "20" that every case number holds.
_LONG_CODE = re.compile(r"^(?=(?:[a-z]*[0-9]){8})[0-9a-z]+$")
MAX_INITIAL_VARIANTS = 4


@dataclass(frozen=True)
class SearchDocument:
    """What a case is found by."""

    case_number: str
    names: tuple[str, ...]  # parties, agents, law firms
    codes: tuple[str, ...]  # ID numbers, credit codes, licence numbers, phone numbers


def pairs(text: str) -> list[str]:
    """Overlapping character pairs of ``text`` plus its last character alone."""
    chars = [c for c in text.translate(_STRIP).lower() if c.isalnum()]
    if not chars:
        return []
    return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)] + [chars[-1]]


def initials(name: str) -> list[str]:
    """Pinyin initials of a Chinese name, with the readings of polyphonic characters.

    单 is read shan or dan, 曾 zeng or ceng: every combination (up to a few) is
    indexed so a clerk's guess at either reading finds the person.
    """
    options = [_char_initials(c) for c in name]
    options = [o for o in options if o]
    if not options:
        return []
    variants = itertools.islice(itertools.product(*options), MAX_INITIAL_VARIANTS)
    return sorted({"".join(combo) for combo in variants})


@cache
def _char_initials(char: str) -> tuple[str, ...]:
    """Initials of every reading of one character (cached: names reuse few characters)."""
    if char.isascii():
        return (char.lower(),) if char.isalpha() else ()
    if not ("\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"):
        return ()
    # Imported here: pypinyin reads its dictionaries (over half a second) on import,
    # and start-up needs none of it until a case is indexed.
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    return tuple(sorted({r[:1].lower() for reading in readings for r in reading if r}))


def document_columns(doc: SearchDocument) -> tuple[str, str, str]:
    named = [_name_columns(name) for name in doc.names]
    terms = [" ".join(pairs(doc.case_number)), *(n[0] for n in named)]
    inits = [n[1] for n in named]
    codes = ["".join(c.split()).lower() for c in doc.codes if c.strip()]
    return " ".join(t for t in terms if t), " ".join(i for i in inits if i), " ".join(codes)


@lru_cache(maxsize=65_536)
def _name_columns(name: str) -> tuple[str, str]:
    """A name's pairs and initials, each joined (kept: the same parties, lawyers and
    firms recur across cases, and a million cases' bulk load spent nearly a fifth of its
    case-making time pairing and spelling the same names again)."""
    return " ".join(pairs(name)), " ".join(initials(name))


def index_case(conn: sqlite3.Connection, case_id: int, doc: SearchDocument) -> None:
    """(Re)index one case; call inside the transaction that changed it."""
    conn.execute("DELETE FROM case_search WHERE rowid = ?", (case_id,))
    conn.execute(
        "INSERT INTO case_search (rowid, terms, initials, codes) VALUES (?, ?, ?, ?)",
        (case_id, *document_columns(doc)),
    )


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a user typed, or None if nothing is searchable.

    Latin letters search pinyin initials (``zs`` finds 张三, and 张 + anything + 三 …
    as a prefix); digits and letters search ID numbers by prefix and 案号 fragments;
    anything else is a phrase of character pairs.
    """
    text = _SPACES.sub("", query.translate(_STRIP)).lower()
    if not text:
        return None
    alternatives: list[str] = []
    if _LATIN.match(text):
        alternatives.append(f'initials : "{text}"*')
    if _CODE.match(text) and any(c.isdigit() for c in text):
        alternatives.append(f'codes : "{text}"*')
    chars = [c for c in text if c.isalnum()]
    if _LONG_CODE.match(text):
        chars = []
    if len(chars) == 1:
        alternatives.append(f'terms : "{chars[0]}"*')
    elif chars:
        phrase = " ".join("".join(chars[i : i + 2]) for i in range(len(chars) - 1))
        alternatives.append(f'terms : "{phrase}"')
    if not alternatives:
        return None
    return " OR ".join(f"({a})" for a in alternatives)


def matching_ids_sql() -> str:
    """SQL for the ids of cases matching one MATCH parameter, to use in ``id IN (…)``."""
    return "SELECT rowid FROM case_search WHERE case_search MATCH ?"


def collect_codes(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(code for group in groups for code in group if code)
