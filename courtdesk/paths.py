"""Where the user's data lives: database, settings, logs and backups.

Always in the user's data directory (platformdirs), never beside the program, so
replacing the program folder with a newer version keeps every record.
``COURTDESK_HOME`` moves everything (tests use it to stay away from real data).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "courtdesk"
DATABASE_NAME = "courtdesk.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("COURTDESK_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database() -> Path:
    return data_dir() / DATABASE_NAME


def log_dir() -> Path:
    return data_dir() / "logs"


# A file name's length limit on every file system courtdesk meets (ext4, NTFS, APFS),
# less room for the temporary ``.name.part`` written beside a file before it is renamed.
MAX_NAME_BYTES = 255 - len("..part")


def path_problem(path: Path, what: str) -> str | None:
    """Why ``path``, typed or chosen by the user, cannot name a file courtdesk uses, or None.

    Refused up front, naming ``what`` (备份文件, 导出文件 …), so nothing is half-written:
    a NUL (no system can open it), a lone surrogate (undecodable bytes: the file
    could be written but its name not recorded in the database), or a name too
    long for the disk.
    """
    text = str(path)
    if "\x00" in text:
        return f"{what}的路径含有空字符（NUL），请换一个文件名"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"{what}的路径含有无法识别的字符，请换一个文件名"
    for part in path.parts:
        if len(os.fsencode(part)) > MAX_NAME_BYTES:
            return f"{what}的名称「{part[:20]}…」过长（最多 {MAX_NAME_BYTES} 字节），请换一个短些的名称"
    return None
