"""Where the database file lives: a local disk, or a network share.

SQLite's locking is only as good as the file system's. On network file systems
(SMB/CIFS, NFS, …) locks can be lost or ignored, and two workstations writing one
file there can corrupt it, a hazard the SQLite documentation warns about. courtdesk
cannot fix that, but it can notice and tell the administrator.

Linux: the mount holding the file, from ``/proc/mounts`` (longest matching mount
point), is a network type. Windows: a UNC path (``\\\\server\\share``) or a drive
letter that ``GetDriveTypeW`` reports as remote (a mapped drive).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "gpfs",
        "fuse.rclone",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW's DRIVE_REMOTE


def _unescape(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal.
    return (
        field.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
    )


def mount_of(path: Path, mounts_text: str) -> tuple[str, str] | None:
    """(mount point, file-system type) of the mount holding ``path``, from /proc/mounts text."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, kind = _unescape(fields[1]), fields[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, kind)
    return best


def windows_network_reason(path: str, drive_type: int | None) -> str | None:
    """Why a Windows path is on the network (UNC or a mapped drive), or None."""
    pure = PureWindowsPath(path)
    if pure.drive.startswith("\\\\") or path.startswith("\\\\"):
        return f"位于网络共享 {pure.drive or path}"
    if drive_type == _DRIVE_REMOTE:
        return f"位于映射的网络驱动器 {pure.drive}"
    return None


def _windows_drive_type(path: str) -> int | None:
    drive = PureWindowsPath(path).drive
    if not drive or drive.startswith("\\\\"):
        return None
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return None
    return int(windll.kernel32.GetDriveTypeW(drive + "\\"))


def network_location(path: str | os.PathLike[str], mounts_text: str | None = None) -> str | None:
    """A Chinese warning when ``path`` is on a network share; None on a local disk."""
    resolved = Path(path).expanduser().absolute()
    if sys.platform == "win32":
        reason = windows_network_reason(str(resolved), _windows_drive_type(str(resolved)))
    else:
        if mounts_text is None:
            try:
                mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
        try:
            real = resolved.resolve()
        except OSError:
            real = resolved
        found = mount_of(real, mounts_text)
        reason = None
        if found is not None and found[1].lower() in NETWORK_FS_TYPES:
            reason = f"位于网络文件系统 {found[0]}（{found[1]}）"
    if reason is None:
        return None
    return (
        f"数据库文件 {resolved} {reason}。多台电脑通过网络共享同时写入同一个 SQLite 文件，"
        "可能因网络文件锁不可靠而损坏数据。建议把数据库放在一台电脑的本地磁盘上，"
        "其他电脑改用远程桌面等方式访问；若必须共享，请每天核对备份。"
    )
