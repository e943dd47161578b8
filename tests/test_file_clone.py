"""The build warehouse's copy (orchestration/file_clone.py): the same bytes, mode and times as the
published file whichever way it is made, and a real failure is not hidden by the fallback."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from orchestration import file_clone
from orchestration.file_clone import clone_file


@pytest.fixture()
def published(tmp_path) -> Path:
    path = tmp_path / "published.duckdb"
    # Not a multiple of any block or chunk size, so the last piece is partial.
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    path.chmod(0o640)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return path


def same_file(a: Path, b: Path) -> bool:
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)]
    sa, sb = a.stat(), b.stat()
    return digest[0] == digest[1] and sa.st_mode == sb.st_mode and sa.st_mtime == sb.st_mtime


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="no copy_file_range here")
def test_the_kernel_copies_the_file(published, tmp_path):
    build = tmp_path / "build.duckdb"
    assert clone_file(published, build) == "copy_file_range"
    assert same_file(published, build)


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="no copy_file_range here")
def test_a_copy_made_in_pieces_is_whole(published, tmp_path, monkeypatch):
    """The kernel may copy less than asked in one call: the loop carries on to the end."""
    real = os.copy_file_range
    calls = []

    def small_pieces(src, dst, count, *args):
        calls.append(count)
        return real(src, dst, min(count, 1_000_000), *args)

    monkeypatch.setattr(file_clone.os, "copy_file_range", small_pieces)
    build = tmp_path / "build.duckdb"
    assert clone_file(published, build) == "copy_file_range"
    assert len(calls) == 4
    assert same_file(published, build)


def test_where_the_kernel_cannot_copy_these_files_an_ordinary_copy_is_made(
    published, tmp_path, monkeypatch
):
    def refused(src, dst, count, *args):
        os.write(dst, b"half")  # what a refusal after a first piece would leave behind
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(file_clone.os, "copy_file_range", refused, raising=False)
    build = tmp_path / "build.duckdb"
    assert clone_file(published, build) == "copy"
    assert same_file(published, build)


def test_without_copy_file_range_an_ordinary_copy_is_made(published, tmp_path, monkeypatch):
    monkeypatch.delattr(file_clone.os, "copy_file_range", raising=False)
    build = tmp_path / "build.duckdb"
    assert clone_file(published, build) == "copy"
    assert same_file(published, build)


def test_a_failing_copy_is_reported_and_leaves_no_partial_file(published, tmp_path, monkeypatch):
    def disk_full(src, dst, count, *args):
        os.write(dst, b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    copies = []
    monkeypatch.setattr(file_clone.os, "copy_file_range", disk_full, raising=False)
    monkeypatch.setattr(file_clone.shutil, "copy2", lambda *a: copies.append(a))
    build = tmp_path / "build.duckdb"
    with pytest.raises(OSError) as raised:
        clone_file(published, build)
    assert raised.value.errno == errno.ENOSPC
    assert not build.exists()
    assert copies == []


@pytest.mark.skipif(not hasattr(os, "copy_file_range"), reason="no copy_file_range here")
def test_the_build_step_starts_from_a_clone_of_the_published_warehouse(tmp_path):
    import dagster as dg
    import duckdb

    from orchestration.assets.warehouse import build_warehouse
    from orchestration.settings import RoundaboutSettings
    from orchestration.storage import create_empty

    home = tmp_path / "home"
    settings = RoundaboutSettings(home=str(home), inputs=str(tmp_path / "in"))
    published = settings.resolve().published_db
    published.parent.mkdir(parents=True)
    create_empty(published)
    with duckdb.connect(str(published)) as con:
        con.execute("create table listed as select 'ACME' as name")
    result = dg.materialize([build_warehouse], resources={"settings": settings})
    assert result.success
    [event] = result.get_asset_materialization_events()
    metadata = event.step_materialization_data.materialization.metadata
    assert metadata["started_by"].value == "copy_file_range"
    with duckdb.connect(str(settings.resolve().build_db), read_only=True) as con:
        assert con.execute("select name from listed").fetchall() == [("ACME",)]
