"""Two interview sessions on one draft, and a save killed half-way (issue 18)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from advisor import files
from advisor.cli import cli
from advisor.lockfile import Holder, acquire, pid_alive, read_holder


def _answers(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _lock_of(tmp_path: Path, pid: int, host: str | None = None) -> Path:
    lock = tmp_path / "p.yaml.draft.lock"
    lock.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                "started": "2026-01-02T03:04:05+00:00"}))
    return lock


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    assert not pid_alive(process.pid)
    return process.pid


def test_a_second_session_on_a_held_draft_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    draft = tmp_path / "p.yaml.draft"
    draft.write_text("# the first session's draft\n")
    lock = _lock_of(tmp_path, os.getppid())  # a live process on this host: the "first session"
    answers = _answers(tmp_path, {"organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers), "--partial"])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1
    assert f"{draft}: is in use by process {os.getppid()} on {socket.gethostname()} since 2026-01-02" in result.output
    assert draft.read_text() == "# the first session's draft\n", "the other session's draft is untouched"
    assert not out.exists() and lock.exists()


def test_a_lock_from_another_host_is_never_taken_over(tmp_path: Path) -> None:
    _lock_of(tmp_path, _dead_pid(), host="another-machine.invalid")
    answers = _answers(tmp_path, {"organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(tmp_path / "p.yaml"), "--answers", str(answers),
                                      "--partial"])
    assert result.exit_code == 2 and "on another-machine.invalid" in result.output


def test_a_stale_lock_is_taken_over_with_a_notice_and_released(tmp_path: Path) -> None:
    pid = _dead_pid()
    lock = _lock_of(tmp_path, pid)
    out = tmp_path / "p.yaml"
    answers = _answers(tmp_path, {"organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers), "--partial"])
    assert result.exit_code == 0, result.output
    assert f"took over the lock of {tmp_path / 'p.yaml.draft'} left by process {pid}" in result.output
    assert out.exists() and not lock.exists()


def test_the_lock_is_exclusive_and_says_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with acquire(path, "x") as lock:
        holder = read_holder(path)
        assert holder == lock.holder and holder is not None
        assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
        other = Holder(os.getppid(), socket.gethostname(), holder.started)
        path.write_text(other.text())  # now "another live process" holds it
        with pytest.raises(Exception, match=f"in use by process {os.getppid()}"):
            acquire(path, "x")
    assert path.exists(), "a lock that is no longer ours is not removed"


def test_a_killed_save_leaves_no_plaintext_behind(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    leftover = tmp_path / ".p.yaml.draft.abc123.tmp"
    leftover.write_text("organisation:\n  name: Secret answers\n")
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_text("not ours")
    answers = _answers(tmp_path, {"organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers), "--partial"])
    assert result.exit_code == 0, result.output
    assert not leftover.exists() and unrelated.exists()
    assert "removed 1 temporary file(s) left by an interrupted save" in result.output


def test_an_encrypted_draft_is_never_written_in_plaintext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyrage = pytest.importorskip("pyrage")
    pub = str(pyrage.x25519.Identity.generate().to_public())
    written: list[tuple[str, bytes]] = []
    real = files.write_private

    def spy(path: Path, data: str | bytes, *, force: bool = False) -> None:
        written.append((Path(path).name, data.encode() if isinstance(data, str) else data))
        real(path, data, force=force)

    monkeypatch.setattr(files, "write_private", spy)
    answers = _answers(tmp_path, {"organisation.name": "Secret NGO", "organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(tmp_path / "p.yaml.age"), "--answers", str(answers),
                                      "--recipient", pub, "--partial"])
    assert result.exit_code == 0, result.output
    assert written and all(data.startswith(b"age-encryption.org/v1") for _, data in written), \
        [name for name, data in written]
    assert not any(b"Secret NGO" in p.read_bytes() for p in tmp_path.iterdir() if p.is_file()
                   and p.name != "answers.yaml")


def test_invalid_answers_to_sensitive_questions_are_not_echoed(tmp_path: Path) -> None:
    answers = _answers(tmp_path, {"funding.annual_budget": "98765432 KZT", "organisation.sensitive_topics": ["Secret topic"],
                                  "organisation.paid_staff": "twelve"})
    result = CliRunner().invoke(cli, ["interview", "-o", str(tmp_path / "p.yaml"), "--answers", str(answers)])
    assert result.exit_code == 2
    assert "98765432" not in result.output and "Secret topic" not in result.output
    assert "funding.annual_budget: the answer is not a number" in result.output
    assert "'twelve' is not a number" in result.output  # not sensitive: shown, to help fix it
