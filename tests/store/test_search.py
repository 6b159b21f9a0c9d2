from __future__ import annotations

from courtdesk.store.search import initials, match_expression, pairs


def test_pairs_make_two_character_names_one_token() -> None:
    assert pairs("张三") == ["张三", "三"]
    assert pairs("张三丰") == ["张三", "三丰", "丰"]
    assert pairs("（2026）吉0193民初1号")[:3] == ["20", "02", "26"]


def test_initials_include_polyphonic_readings() -> None:
    assert initials("张三") == ["zs"]
    assert "sw" in initials("单伟") and "dw" in initials("单伟")


def test_match_expressions() -> None:
    assert match_expression("张三") == '(terms : "张三")'
    assert match_expression("张三丰") == '(terms : "张三 三丰")'
    assert match_expression("zs") == '(initials : "zs"*) OR (terms : "zs")'
    assert match_expression("2201") == '(codes : "2201"*) OR (terms : "22 20 01")'
    # An ID number, phone or credit code is looked up among the codes alone.
    assert match_expression("220103195104") == '(codes : "220103195104"*)'
    assert match_expression("13800000000") == '(codes : "13800000000"*)'
    assert match_expression("91350100m0") == '(codes : "91350100m0"*)'
    assert match_expression("1234567") == '(codes : "1234567"*) OR (terms : "12 23 34 45 56 67")'
    assert match_expression('"*()') is None
    assert match_expression("  ") is None
