"""age encryption: round trips, detection, clear errors, interop with the age tool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor import crypto
from advisor.cli import cli
from advisor.errors import AdvisorError, InputFileError
from advisor.profile_io import load_profile, set_keys

pyrage = pytest.importorskip("pyrage")
PROFILE = b'schema_version: "1.0"\norganisation: {paid_staff: 3}\n'


@pytest.fixture()
def identity(tmp_path: Path) -> tuple[Path, str]:
    ident = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(f"# created: test\n# public key: {ident.to_public()}\n{ident}\n")
    return key, str(ident.to_public())


@pytest.fixture(autouse=True)
def _no_keys() -> None:
    set_keys(None)


def test_detection() -> None:
    assert crypto.is_encrypted(b"age-encryption.org/v1\n-> X25519 abc")
    assert crypto.is_encrypted(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert not crypto.is_encrypted(b"schema_version: '1.0'\n")


@pytest.mark.parametrize("armor", [False, True])
def test_recipient_round_trip(tmp_path: Path, identity: tuple[Path, str], armor: bool) -> None:
    key, pub = identity
    sealed = crypto.encrypt(PROFILE, recipients=(pub,), armor=armor)
    path = tmp_path / "p.yaml.age"
    path.write_bytes(sealed)
    with pytest.raises(InputFileError, match="p.yaml.age: is encrypted .* no key was given"):
        load_profile(path)
    set_keys(crypto.Keys(identity_files=(key,)))
    assert load_profile(path).organisation.paid_staff == 3


def test_wrong_identity_names_the_file(tmp_path: Path, identity: tuple[Path, str]) -> None:
    other = pyrage.x25519.Identity.generate()
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, recipients=(str(other.to_public()),)))
    set_keys(crypto.Keys(identity_files=(identity[0],)))
    with pytest.raises(InputFileError, match="p.age: cannot decrypt: none of the given identities"):
        load_profile(path)


def test_bad_identity_file_and_recipient(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not a key\n")
    with pytest.raises(InputFileError, match="bad.txt: is not an age identity file"):
        crypto.decrypt(crypto.encrypt(b"x", recipients=(str(pyrage.x25519.Identity.generate().to_public()),)),
                       crypto.Keys(identity_files=(bad,)), "f")
    with pytest.raises(AdvisorError, match="not an age or SSH public key"):
        crypto.parse_recipient("age1nope")


def test_passphrase_round_trip_via_cli(tmp_path: Path) -> None:
    # scrypt is slow by design (seconds): one encryption, two decryptions here.
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, passphrase="correct horse"))
    pw = tmp_path / "pw"
    pw.write_text("correct horse\n")
    result = CliRunner().invoke(cli, ["--passphrase-file", str(pw), "share", str(path), "--for",
                                      "trainer", "-o", str(tmp_path / "t.yaml")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "trainer", "-o", str(tmp_path / "u.yaml")],
                                env={"ADVISOR_PASSPHRASE": "wrong"})
    assert result.exit_code == 2
    assert "p.age: cannot decrypt: wrong passphrase" in result.output


def test_encrypted_without_key_is_one_line_exit_2(tmp_path: Path, identity: tuple[Path, str]) -> None:
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, recipients=(identity[1],)))
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "donor", "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2
    assert f"{path}: is encrypted" in result.output and "--identity" in result.output


@pytest.fixture()
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisor.cli import keys

    monkeypatch.setattr(keys, "interactive", lambda: True)


def test_passphrase_is_asked_for_at_a_terminal(tmp_path: Path, at_a_terminal: None) -> None:
    """At a terminal, a passphrase-encrypted profile with no passphrase given is asked for,
    hidden, once for the whole command; a wrong answer is one line and exit 2."""
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, passphrase="correct horse"))
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "trainer", "-o", str(tmp_path / "t.yaml")],
                                input="correct horse\n")
    assert result.exit_code == 0, result.output
    assert result.output.count(f"Passphrase for {path}") == 1
    assert "correct horse" not in result.output  # hidden
    assert load_profile(tmp_path / "t.yaml").organisation.paid_staff == 3
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "trainer", "-o", str(tmp_path / "u.yaml")],
                                input="wrong\n")
    assert result.exit_code == 2
    assert "p.age: cannot decrypt: wrong passphrase" in result.output
    assert not (tmp_path / "u.yaml").exists()


def test_a_key_file_is_not_asked_for(tmp_path: Path, identity: tuple[Path, str], at_a_terminal: None) -> None:
    """A file encrypted to public keys needs an identity file: no prompt, the usual error."""
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, recipients=(identity[1],)))
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "donor", "-o", str(tmp_path / "d.yaml")],
                                input="anything\n")
    assert result.exit_code == 2
    assert "Passphrase" not in result.output
    assert f"{path}: is encrypted (age, needs a key) and no key was given" in result.output


def test_no_prompt_when_not_at_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "p.age"
    path.write_bytes(crypto.encrypt(PROFILE, passphrase="correct horse"))
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "trainer", "-o", str(tmp_path / "t.yaml")],
                                input="correct horse\n")
    assert result.exit_code == 2
    assert "Passphrase for" not in result.output
    assert "no key was given" in result.output


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_interop_with_the_age_tool(tmp_path: Path, identity: tuple[Path, str]) -> None:
    key, pub = identity
    ours = tmp_path / "ours.age"
    ours.write_bytes(crypto.encrypt(PROFILE, recipients=(pub,)))
    out = subprocess.run(["age", "-d", "-i", str(key), str(ours)], capture_output=True, check=True)
    assert out.stdout == PROFILE
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(PROFILE)
    for flags in ([], ["-a"]):
        theirs = tmp_path / f"theirs{len(flags)}.age"
        subprocess.run(["age", "-e", *flags, "-r", pub, "-o", str(theirs), str(plain)], check=True)
        set_keys(crypto.Keys(identity_files=(key,)))
        assert load_profile(theirs).organisation.paid_staff == 3
