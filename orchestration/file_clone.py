"""A copy of the published warehouse that costs no time or disk where the filesystem can share
blocks between files.

A run builds in a copy of the published warehouse (orchestration/assets/warehouse.py), so that
readers keep the published file until the new one is renamed over it. ``shutil.copy2`` reads and
writes every byte (4.1 GB at eight BACI years, docs/benchmarks.md). The kernel's
``copy_file_range`` makes the same copy, and on filesystems with shared extents (XFS with
reflink, btrfs, bcachefs, and NFS 4.2 on the server side) it clones the file instead: the copy
takes milliseconds and no space until the run writes to it, block by block (copy on write). On
other filesystems (ext4, tmpfs) the kernel copies the bytes itself, as fast as ``shutil``'s own
kernel copy. Where the call is missing or refused for the pair of files (another filesystem on
an older kernel, some network filesystems), ``shutil.copy2`` copies instead.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

# What copy_file_range answers when it cannot copy between these two files here (rather than a
# failure of the copy itself, such as a full disk): the ordinary copy is tried instead.
NOT_HERE = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF}


def clone_file(source: Path, target: Path) -> str:
    """Copy ``source`` to ``target`` with its mode and times, as ``shutil.copy2`` does; return
    how: ``copy_file_range`` (cloned where the filesystem shares blocks) or ``copy``."""
    if hasattr(os, "copy_file_range"):
        try:
            _copy_file_range(source, target)
        except OSError as err:
            target.unlink(missing_ok=True)  # no partial file, whether refused or failed
            if err.errno not in NOT_HERE:
                raise
        else:
            shutil.copystat(source, target)
            return "copy_file_range"
    shutil.copy2(source, target)
    return "copy"


def _copy_file_range(source: Path, target: Path) -> None:
    size = source.stat().st_size
    copied = 0
    with source.open("rb") as src, target.open("wb") as dst:
        while copied < size:
            # At most about 2 GB per call on Linux: the loop carries on from the file positions.
            done = os.copy_file_range(src.fileno(), dst.fileno(), size - copied)
            if done == 0:
                break
            copied += done
    if copied != size:
        raise OSError(errno.EIO, f"copied {copied} of {size} bytes", str(source))
