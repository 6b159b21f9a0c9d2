"""案由 search: characters, characters in order, and pinyin initials."""

from __future__ import annotations

import json

from courtdesk.resources import resource_path
from courtdesk.services import causes


def names(type_code: str, query: str) -> list[str]:
    return [m.name for m in causes.search(type_code, query)]


def test_pinyin_initials_find_causes() -> None:
    assert names("民初", "mjjd")[0] == "民间借贷纠纷"
    assert names("民初", "jtsg")[0] == "机动车交通事故责任纠纷"
    assert names("民初", "MJJD")[0] == "民间借贷纠纷"
    assert names("刑初", "wxjs") == ["危险驾驶罪"]
    # 行政 is read xing zheng, not hang zheng.
    assert names("行初", "xzcf")[0] == "行政处罚"


def test_characters_and_characters_in_order() -> None:
    assert names("民初", "借贷")[0] == "民间借贷纠纷"
    assert names("民初", "民借")[0] == "民间借贷纠纷"
    assert "离婚纠纷" in names("民初", "离婚")
    assert names("民初", "不存在的案由xyz") == []


def test_each_type_searches_its_own_trees_and_empty_lists_common_causes() -> None:
    assert "盗窃罪" not in names("民初", "盗窃")
    assert names("刑初", "盗窃") == ["盗窃罪"]
    assert names("民初", "")[:3] == ["民间借贷纠纷", "买卖合同纠纷", "金融借款合同纠纷"]
    # Groups (第一部分 …, chapters of the Criminal Law) are not causes.
    assert not [n for n in names("刑初", "fz") if n.endswith("章）")]
    assert causes.is_listed("民初", "民间借贷纠纷") and not causes.is_listed("民初", "借钱纠纷")


def test_the_civil_tree_has_every_part_and_second_level_cause() -> None:
    raw = json.loads(resource_path("data", "causes.json").read_text(encoding="utf-8"))
    parts = raw["trees"]["civil"]["nodes"]
    assert len(parts) == 11
    chapters = [c for part in parts for c in part["children"]]
    assert len(chapters) == 54  # 《民事案件案由规定》(2020): 54 second-level causes
    tree = causes.trees_for("民初")[0]
    selectable = [n for n in tree.walk() if n.selectable]
    assert len(selectable) > 600


def test_demo_and_suggested_causes_are_in_the_trees() -> None:
    raw = json.loads(resource_path("data", "common_causes.json").read_text(encoding="utf-8"))
    for type_code, suggested in raw["by_type"].items():
        for cause in suggested:
            assert causes.is_listed(type_code, cause), (type_code, cause)
