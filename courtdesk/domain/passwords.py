"""Passwords: a slow salted hash (scrypt) and the rules a new password must meet.

Only the hash is ever stored. The cost parameters travel inside the stored text
(``scrypt$N$r$p$salt$hash``), so they can be raised later without locking anyone
out: an older, cheaper hash still verifies, and is replaced at the next sign-in.

N = 2**15, r = 8, p = 1 needs 32 MiB and about 0.1 s on an office PC: slow enough
that a copied database cannot be guessed through quickly, fast enough that a
clerk signing in does not wait.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

SCHEME = "scrypt"
COST_N = 2**15
COST_R = 8
COST_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MAX_MEMORY = 128 * 1024 * 1024
MIN_LENGTH = 8
MAX_LENGTH = 128


@dataclass(frozen=True)
class _Parsed:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def _normalise(password: str) -> bytes:
    # NFKC: a full-width "ａ" typed with a Chinese input method is the same as "a".
    # surrogatepass: a lone surrogate (undecodable bytes from a terminal) hashes, never raises.
    return unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        _normalise(password), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=KEY_BYTES
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """The text to store for ``password``: scheme, cost, a fresh random salt and the key."""
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, COST_N, COST_R, COST_P)
    return f"{SCHEME}${COST_N}${COST_R}${COST_P}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> _Parsed | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    # Refuse absurd costs from a tampered row rather than let them exhaust memory.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        return None
    return _Parsed(n, r, p, salt, key)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (compared in constant time)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    key = _derive(password, parsed.salt, parsed.n, parsed.r, parsed.p)
    return hmac.compare_digest(key, parsed.key)


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was made with weaker settings than today's."""
    parsed = _parse(stored)
    return parsed is None or (parsed.n, parsed.r, parsed.p) < (COST_N, COST_R, COST_P)


# A fixed hash to verify against when the user name is unknown, so a wrong name
# takes as long as a wrong password and the timing does not reveal which names exist.
_DUMMY_SALT = b"courtdesk-dummy!"


def waste_time_like_a_check(password: str) -> None:
    _derive(password, _DUMMY_SALT, COST_N, COST_R, COST_P)


def password_problems(password: str, username: str = "", min_length: int = MIN_LENGTH) -> list[str]:
    """What is wrong with a new password, in Chinese; empty when it is acceptable.

    The rules are the ones a court can explain at the counter: long enough, not the
    user name, not one repeated character, no invisible characters.
    """
    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"密码至少需要 {min_length} 个字符")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码最多 {MAX_LENGTH} 个字符")
    if any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn"} for c in password):
        problems.append("密码含有无法输入的控制字符")
    if password and len(set(password)) == 1:
        problems.append("密码不能由同一个字符重复组成")
    if username and password.strip().lower() == username.strip().lower():
        problems.append("密码不能与用户名相同")
    if password != password.strip():
        problems.append("密码首尾不能有空格")
    return problems
