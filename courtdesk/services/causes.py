"""Causes of action (案由): the trees of resources/data/causes.json, searchable as a clerk types.

A clerk finds a cause by any part of its name (``借贷``), by characters in order
(``民借`` → 民间借贷纠纷) or by pinyin initials (``mjjd`` → 民间借贷纠纷). Initials use
the usual reading of each phrase (行政 → xz) and also the other readings of
polyphonic characters, so a guess at either reading works. Everything is in
memory (about a thousand names), so a search costs well under a millisecond and
may run on the GUI thread; only the first load (pinyin of every name) is worth
doing in the background.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from courtdesk.domain.case_types import Category, default_catalog
from courtdesk.resources import resource_path
from courtdesk.services import reference
from courtdesk.store.search import initials as initial_variants

_SPACES = re.compile(r"[\s\u3000]+")
_LATIN = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class CauseNode:
    name: str
    path: tuple[str, ...]  # the names of its ancestors, outermost first
    selectable: bool  # False for a group (第一部分 …, a chapter of the Criminal Law)
    initials: tuple[str, ...]
    children: tuple[CauseNode, ...] = ()

    @property
    def where(self) -> str:
        """Where the cause sits, for a second line in a list: ``合同纠纷 › 借款合同纠纷``."""
        return " › ".join(p for p in self.path if not p.startswith("第"))


@dataclass(frozen=True)
class CauseTree:
    key: str  # civil, criminal, administrative, enforcement
    label: str
    nodes: tuple[CauseNode, ...]

    def walk(self) -> Iterator[CauseNode]:
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass(frozen=True)
class CauseMatch:
    name: str
    where: str
    tree: str  # the tree's label: 民事案由 …


def _initials(name: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # slow to import; see store.search

    usual = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return tuple(dict.fromkeys([usual, *initial_variants(name)]))


def _node(raw: object, path: tuple[str, ...]) -> CauseNode:
    if isinstance(raw, str):
        return CauseNode(raw, path, True, _initials(raw))
    assert isinstance(raw, dict)
    name = str(raw["name"])
    children = tuple(_node(child, (*path, name)) for child in raw["children"])
    return CauseNode(name, path, not raw.get("group", False), _initials(name), children)


@cache
def _catalogue() -> tuple[dict[str, CauseTree], dict[str, tuple[str, ...]]]:
    raw = json.loads(resource_path("data", "causes.json").read_text(encoding="utf-8"))
    trees = {
        key: CauseTree(key, str(t["label"]), tuple(_node(n, ()) for n in t["nodes"]))
        for key, t in raw["trees"].items()
    }
    by_category = {str(k): tuple(str(t) for t in v) for k, v in raw["by_category"].items()}
    return trees, by_category


def load() -> None:
    """Read the trees and work out every name's initials (call once in the background)."""
    _catalogue()


def trees_for(type_code: str) -> list[CauseTree]:
    """The trees a case type draws its causes from (civil for 民初, criminal for 刑初 …)."""
    trees, by_category = _catalogue()
    case_type = default_catalog().get(type_code)
    category = case_type.category if case_type else Category.CIVIL
    return [trees[key] for key in by_category.get(category.value, ("civil",))]


def _is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(char in it for char in needle)


def _score(node: CauseNode, query: str) -> int | None:
    """Lower is better; None: no match."""
    if _LATIN.match(query):
        if any(i.startswith(query) for i in node.initials):
            return 0
        if any(query in i for i in node.initials):
            return 2
        return None
    if node.name.startswith(query):
        return 0
    if query in node.name:
        return 1
    if _is_subsequence(query, node.name):
        return 3
    return None


def normalise_query(query: str) -> str:
    return _SPACES.sub("", query).lower()


def matches(node: CauseNode, query: str) -> bool:
    """Whether a node matches a (normalised) query, as ``search`` decides."""
    return _score(node, query) is not None


def search(type_code: str, query: str, limit: int = 40) -> list[CauseMatch]:
    """Causes for ``type_code`` matching what was typed, best first.

    An empty query lists the causes common for the type. Ties go to the type's common
    causes, then to shorter names (the general cause before its sub-causes).
    """
    text = normalise_query(query)
    common = reference.common_causes(type_code)
    rank = {name: n for n, name in enumerate(common)}
    found: dict[str, tuple[tuple[int, int, int], CauseMatch]] = {}
    for tree in trees_for(type_code):
        for node in tree.walk():
            if not node.selectable:
                continue
            if text:
                score = _score(node, text)
                if score is None:
                    continue
            elif node.name in rank:
                score = 0
            else:
                continue
            key = (score, rank.get(node.name, len(rank)), len(node.name))
            if node.name not in found or key < found[node.name][0]:
                found[node.name] = (key, CauseMatch(node.name, node.where, tree.label))
    ordered = sorted(found.values(), key=lambda item: item[0])
    return [match for _, match in ordered[:limit]]


def is_listed(type_code: str, cause: str) -> bool:
    """Whether ``cause`` is a cause of the type's trees (a typed-in cause is allowed, but flagged)."""
    name = _SPACES.sub("", cause)
    return any(
        node.selectable and node.name == name
        for tree in trees_for(type_code)
        for node in tree.walk()
    )
