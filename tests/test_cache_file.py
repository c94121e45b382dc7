"""write_quietly: a cache file whole or not at all, and no error when it cannot be written."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import BinaryIO

from simulator.data.cache_file import write_quietly


def test_a_file_is_written_whole_and_replaces_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "entry.bin"
    write_quietly(path, lambda f: f.write(b"old"))
    write_quietly(path, lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new" and [p.name for p in path.parent.iterdir()] == ["entry.bin"]


def test_a_write_that_fails_midway_keeps_the_old_file_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    path = tmp_path / "entry.bin"
    path.write_bytes(b"old")

    def full_disk(f: BinaryIO) -> None:
        f.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    write_quietly(path, full_disk)  # no error: the work is only done again next time
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["entry.bin"]


def test_a_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the folder should be")
    write_quietly(tmp_path / "file" / "entry.bin", lambda f: f.write(b"x"))
    assert (tmp_path / "file").read_text() == "a file where the folder should be"
