"""Templates: parsing, the checks made when one is saved, and filling."""

from __future__ import annotations

import re

import pytest

from courtdesk.errors import ValidationError
from courtdesk.notices import summons
from courtdesk.notices.base import default_template_text
from courtdesk.notices.catalog import DEFINITIONS
from courtdesk.notices.template import check_template, fill, placeholders, table_rows


@pytest.mark.parametrize("kind", list(DEFINITIONS))
def test_every_shipped_template_passes_its_own_checks(kind: str) -> None:
    template = check_template(DEFINITIONS[kind].spec, default_template_text(kind))
    assert template.lines("标题")


def test_braces_literal_unbalanced_and_empty() -> None:
    assert placeholders("{{字面}} {案号}") == (["案号"], [])
    assert placeholders("{ 案号 }") == (["案号"], [])
    _, problems = placeholders("缺右括号{案号")
    assert problems == ["括号“{”没有配对（字面的括号请写作“{{”）"]
    _, problems = placeholders("空的{}")
    assert problems == ["有空的占位符“{}”"]


def test_text_outside_a_section_and_duplicate_sections_are_refused() -> None:
    text = "前言\n【标题】\n传票\n【标题】\n传票\n【表格】\n案由 | {案由}\n"
    with pytest.raises(ValidationError) as caught:
        check_template(summons.SPEC, text)
    message = caught.value.message
    assert "第1行：内容应写在某一节（如【正文】）之下" in message
    assert "节「标题」重复出现" in message
    assert "必须包含占位符“{开庭时间}”" in message


def test_a_table_row_needs_its_bar() -> None:
    text = default_template_text("summons").replace("传唤事由 | {传唤事由}", "传唤事由 {传唤事由}")
    with pytest.raises(
        ValidationError, match=re.escape("【表格】的行“传唤事由 {传唤事由}”应写作“标签 | 内容”")
    ):
        check_template(summons.SPEC, text)


def test_table_rows_keep_full_width_spaces_and_reserve_lines() -> None:
    template = check_template(DEFINITIONS["receipt"].spec, default_template_text("receipt"))
    rows = {label: (content, lines) for label, content, lines in table_rows(template)}
    content, lines = rows["受送达人签名或者盖章"]
    assert content.startswith("　　") and content.endswith("年　　月　　日") and lines == 3


def test_fill_names_every_missing_required_value_once() -> None:
    text = "{受送达人}于{开庭时间}到{开庭地点}，{开庭时间}"
    with pytest.raises(ValidationError) as caught:
        fill(summons.SPEC, text, {"受送达人": "赵淼淼"}, "传票（被告赵淼淼）")
    assert caught.value.message == (
        "无法生成传票（被告赵淼淼）：缺少开庭时间（本案尚未安排开庭，请先在排期中安排）、"
        "开庭地点（开庭尚未安排法庭）"
    )
    filled = fill(summons.SPEC, "{{注意}}{承办部门}{受送达人}", {"受送达人": "赵淼淼"}, "传票")
    assert filled == "{注意}赵淼淼"  # an optional empty value is simply empty


def test_the_light_kind_list_matches_the_catalogue() -> None:
    from courtdesk.notices.kinds import KIND_TITLES

    assert {k: d.title for k, d in DEFINITIONS.items()} == KIND_TITLES
