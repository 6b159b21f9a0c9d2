from __future__ import annotations

from pathlib import Path

from courtdesk.store.location import mount_of, network_location, windows_network_reason

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/court /mnt/court cifs rw,vers=3.0 0 0
fileserver:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/court/local ext4 rw 0 0
//nas/with\\040space /mnt/with\\040space smb3 rw 0 0
"""


def test_the_longest_mount_point_holding_the_file_decides() -> None:
    assert mount_of(Path("/mnt/court/db.sqlite3"), MOUNTS) == ("/mnt/court", "cifs")
    assert mount_of(Path("/mnt/court/local/db.sqlite3"), MOUNTS) == ("/mnt/court/local", "ext4")
    assert mount_of(Path("/mnt/courtyard/db.sqlite3"), MOUNTS) == ("/", "ext4")
    assert mount_of(Path("/mnt/with space/x.sqlite3"), MOUNTS) == ("/mnt/with space", "smb3")


def test_network_file_systems_are_warned_about_local_disks_are_not() -> None:
    warning = network_location("/mnt/court/courtdesk.sqlite3", MOUNTS)
    assert warning is not None and "网络文件系统 /mnt/court（cifs）" in warning
    assert "损坏" in warning
    assert network_location("/srv/nfs/courtdesk.sqlite3", MOUNTS) is not None
    assert network_location("/mnt/court/local/courtdesk.sqlite3", MOUNTS) is None
    assert network_location("/home/clerk/courtdesk.sqlite3", MOUNTS) is None


def test_this_machines_own_temporary_folder_is_local(tmp_path: Path) -> None:
    assert network_location(tmp_path / "x.sqlite3") is None


def test_windows_unc_paths_and_mapped_drives() -> None:
    assert windows_network_reason(r"\\fileserver\court\courtdesk.sqlite3", None) is not None
    assert windows_network_reason(r"Z:\courtdesk.sqlite3", 4) == "位于映射的网络驱动器 Z:"
    assert windows_network_reason(r"C:\courtdesk\courtdesk.sqlite3", 3) is None
