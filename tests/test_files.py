"""files.write_private: atomic, owner-only, never clobbering, never half-written."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from advisor import files
from advisor.errors import OutputError

SRC = Path(__file__).resolve().parents[1] / "src" / "advisor"


def test_owner_only_and_no_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    files.write_private(path, "one")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="already exists"):
        files.write_private(path, "two")
    assert path.read_text() == "one"
    files.write_private(path, b"two", force=True)
    assert path.read_text() == "two" and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_directory_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="directory does not exist"):
        files.write_private(tmp_path / "nope" / "x", "a")
    with pytest.raises(OutputError, match="is a directory"):
        files.write_private(tmp_path, "a", force=True)


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failure_mid_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              failure: BaseException) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text("original")

    def broken_fsync(fd: int) -> None:
        os.write(fd, b"half")  # part of the new content is already on disk
        raise failure

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
        files.write_private(path, "new content " * 1000, force=True)
    assert path.read_text() == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.yaml"], "no temporary file left"


def test_commands_write_files_only_through_write_private() -> None:
    """Every file a command writes goes through files.write_private (usually via cli.common.emit)."""
    offenders = []
    pattern = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*['\"][wax]b?['\"]")
    for module in sorted((SRC / "cli").glob("*.py")) + sorted((SRC / "reporters").glob("*.py")):
        for number, line in enumerate(module.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{module.name}:{number}: {line.strip()}")
    assert offenders == []


def test_a_file_created_meanwhile_is_never_replaced_without_force(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process creates the target while we write (after any existence check): without
    --force we fail and its file survives; no temporary file is left."""
    path = tmp_path / "same.json"
    real_fsync = os.fsync

    def other_process_wins(fd: int) -> None:
        real_fsync(fd)
        path.write_text("the first writer's result")

    monkeypatch.setattr(files.os, "fsync", other_process_wins)
    with pytest.raises(OutputError, match="already exists"):
        files.write_private(path, "the second writer's result")
    assert path.read_text() == "the first writer's result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.json"]


@pytest.mark.parametrize("error", [OSError(1, "Operation not permitted"), OSError(22, "Invalid argument"),
                                   NotImplementedError()])
def test_without_hard_links_the_name_is_still_created_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 error: BaseException) -> None:
    """A file system without hard links (FAT, some shares): the name is reserved with O_EXCL."""
    def no_links(src: str, dst: str) -> None:
        raise error

    monkeypatch.setattr(files.os, "link", no_links)
    path = tmp_path / "out.json"
    files.write_private(path, "one")
    assert path.read_text() == "one" and stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(OutputError, match="already exists"):
        files.write_private(path, "two")
    assert path.read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def _socket_file(path: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "socket", "symlink", "directory"])
def test_force_replaces_only_regular_files(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        _socket_file(path)
    elif kind == "symlink":
        (tmp_path / "elsewhere").write_text("kept")
        path.symlink_to(tmp_path / "elsewhere")
    else:
        path.mkdir()
    before = os.lstat(path)
    with pytest.raises(OutputError, match="is a|not a regular file"):
        files.write_private(path, "data", force=True)
    after = os.lstat(path)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["target"] + (["elsewhere"] if kind == "symlink" else []))


def test_force_never_replaces_a_device(tmp_path: Path) -> None:
    """A character device node made in tmp_path (never a real /dev entry: as root a broken
    write_private would replace it); skipped where device nodes cannot be made."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except (AttributeError, OSError):
        pytest.skip("cannot make a device node here (needs root on POSIX)")
    before = os.lstat(device)
    with pytest.raises(OutputError, match="is a device"):
        files.write_private(device, "data", force=True)
    after = os.lstat(device)
    assert after.st_ino == before.st_ino and stat.S_ISCHR(after.st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_name_too_long_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="too long"):
        files.write_private(tmp_path / ("x" * 300 + ".json"), "data")
    assert list(tmp_path.iterdir()) == []
    near_limit = tmp_path / ("y" * 250 + ".json")  # the name fits; the temporary name must too
    files.write_private(near_limit, "data")
    assert near_limit.read_text() == "data"
