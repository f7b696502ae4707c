"""Encrypted in, encrypted out (issue 18): merge, share and assess -o of encrypted profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor import crypto
from advisor.cli import cli
from advisor.profile_io import set_keys

from ..conftest import PROFILES

pyrage = pytest.importorskip("pyrage")
EXAMPLE = (PROFILES / "example.yaml").read_bytes()


@pytest.fixture(autouse=True)
def _no_keys() -> None:
    set_keys(None)


@pytest.fixture()
def key(tmp_path: Path) -> tuple[Path, str]:
    ident = pyrage.x25519.Identity.generate()
    path = tmp_path / "key.txt"
    path.write_text(f"{ident}\n")
    return path, str(ident.to_public())


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.output


def _opens_with(path: Path, key: Path) -> bytes:
    raw = path.read_bytes()
    assert crypto.is_encrypted(raw), f"{path.name} was written unencrypted"
    return crypto.decrypt(raw, crypto.Keys(identity_files=(key,)), str(path))


def test_merge_of_encrypted_profiles_is_encrypted_to_the_same_key(tmp_path: Path, key: tuple[Path, str]) -> None:
    for name in ("a.yaml.age", "b.yaml.age"):
        (tmp_path / name).write_bytes(crypto.encrypt(EXAMPLE, recipients=(key[1],)))
    out = tmp_path / "merged.yaml"
    code, output = _run("--identity", str(key[0]), "merge", str(tmp_path / "a.yaml.age"),
                        str(tmp_path / "b.yaml.age"), "-o", str(out), "--format", "json")
    assert code == 0, output
    assert b"Example Religious Freedom Centre" in _opens_with(out, key[0])
    assert "encrypted to the key(s) that opened" in output
    # and it reads back as a profile
    code, output = _run("--identity", str(key[0]), "assess", str(out), "--format", "json")
    assert code == 0, output


def test_assess_and_share_of_an_encrypted_profile(tmp_path: Path, key: tuple[Path, str]) -> None:
    source = tmp_path / "p.yaml.age"
    source.write_bytes(crypto.encrypt(EXAMPLE, recipients=(key[1],)))
    report = tmp_path / "report.json"
    assert _run("--identity", str(key[0]), "assess", str(source), "--format", "json", "-o", str(report))[0] == 0
    assert b'"findings"' in _opens_with(report, key[0])
    copy = tmp_path / "copy.yaml"
    assert _run("--identity", str(key[0]), "share", str(source), "--for", "donor", "-o", str(copy))[0] == 0
    assert b"redacted for a donor" in _opens_with(copy, key[0])
    # --plaintext is the explicit way out
    plain = tmp_path / "plain.json"
    code, output = _run("--identity", str(key[0]), "assess", str(source), "--format", "json", "-o", str(plain),
                        "--plaintext")
    assert code == 0, output
    assert plain.read_text().startswith("{")


def test_a_plain_profile_still_gives_a_plain_output(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert _run("assess", str(PROFILES / "example.yaml"), "--format", "json", "-o", str(out))[0] == 0
    assert out.read_text().startswith("{")


def test_passphrase_in_passphrase_out_and_mixed_inputs_refused(tmp_path: Path, key: tuple[Path, str]) -> None:
    # scrypt is slow by design: one passphrase file, used twice.
    sealed = tmp_path / "p.yaml.age"
    sealed.write_bytes(crypto.encrypt(EXAMPLE, passphrase="correct horse"))
    env = {"ADVISOR_PASSPHRASE": "correct horse"}
    out = tmp_path / "report.md"
    code, output = _run("assess", str(sealed), "--format", "markdown", "-o", str(out), env=env)
    assert code == 0, output
    assert "encrypted with the passphrase of" in output
    raw = out.read_bytes()
    assert crypto.is_encrypted(raw)
    assert crypto.decrypt(raw, crypto.Keys(passphrase="correct horse"), "report.md").startswith(b"#")
    other = tmp_path / "q.yaml.age"
    other.write_bytes(crypto.encrypt(EXAMPLE, recipients=(key[1],)))
    merged = tmp_path / "merged.yaml"
    code, output = _run("--identity", str(key[0]), "merge", str(sealed), str(other), "-o", str(merged), env=env)
    assert code == 2, output
    assert output.count("\n") == 1 and f"{merged}: would hold encrypted profiles' answers unencrypted" in output
    assert "--plaintext" in output
    assert not merged.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_portfolio_of_encrypted_profiles_is_encrypted(tmp_path: Path, key: tuple[Path, str], jobs: str) -> None:
    """With --jobs 2 the profiles are opened in worker processes: they report how."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_bytes(crypto.encrypt(EXAMPLE, recipients=(key[1],)))
    out = tmp_path / "portfolio.csv"
    code, output = _run("--identity", str(key[0]), "screen", str(folder), "--jobs", jobs, "--format", "csv",
                        "-o", str(out))
    assert code in (0, 1), output
    assert b"Example Religious Freedom Centre" in _opens_with(out, key[0])
