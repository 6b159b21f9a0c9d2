from __future__ import annotations

from courtdesk.domain import passwords
from courtdesk.domain.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)


def test_a_hash_verifies_its_password_only_and_is_salted() -> None:
    stored = hash_password("法院2026secret")
    assert stored.startswith("scrypt$32768$8$1$")
    assert "法院2026secret" not in stored
    assert verify_password("法院2026secret", stored)
    assert not verify_password("法院2026secreT", stored)
    assert hash_password("法院2026secret") != stored  # a fresh salt every time


def test_full_width_letters_typed_with_an_input_method_count_as_the_same() -> None:
    assert verify_password("ｐａｓｓｗｏｒｄ１２", hash_password("password12"))


def test_tampered_or_foreign_hashes_never_verify() -> None:
    stored = hash_password("right-password")
    parts = stored.split("$")
    assert not verify_password("right-password", "$".join([*parts[:5], parts[4]]))
    assert not verify_password("right-password", "md5$abc")
    assert not verify_password("right-password", "")
    # An absurd cost (a memory bomb written into the row) is refused, not run.
    assert not verify_password("x", "scrypt$1073741824$8$1$AAAA$AAAA")


def test_weaker_hashes_are_upgraded() -> None:
    weak = "scrypt$16384$8$1$" + hash_password("p").split("$", 4)[4]
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("p"))
    assert passwords.COST_N == 2**15


def test_password_rules_are_explained() -> None:
    assert password_problems("short") == ["密码至少需要 8 个字符"]
    assert "密码不能与用户名相同" in password_problems("zhangsan", "ZhangSan")
    assert "密码不能由同一个字符重复组成" in password_problems("aaaaaaaaaa")
    assert "密码含有无法输入的控制字符" in password_problems("abc\x00defgh")
    assert "密码首尾不能有空格" in password_problems(" abcdefgh")
    assert password_problems("长春新区法院立案庭") == []
