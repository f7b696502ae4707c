"""Opt-in encryption of profiles and drafts in the age format (https://age-encryption.org).

Files are encrypted either with a passphrase (age's scrypt recipient) or to one or more
public keys (``age1…`` X25519 recipients, or ``ssh-ed25519``/``ssh-rsa`` keys), so the
standard ``age`` tool opens them: ``age -d -i key.txt profile.yaml.age``. Encryption is
never the default: encrypted files can themselves look suspicious in some jurisdictions.

An encrypted file is recognised by its age header (binary or ASCII-armoured), whatever its
name. pyrage is imported lazily, so commands that never meet an encrypted file do not load it.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.errors import InputFileError, UsageError

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
PASSPHRASE_ENV = "ADVISOR_PASSPHRASE"

# An encrypted profile is at most the plain limit plus age's overhead (and base64 when armoured).
MAX_ENCRYPTED_BYTES = 6 * 1024 * 1024
MAX_KEY_FILE_BYTES = 64 * 1024

KEY_HINT = "give --identity FILE or --passphrase-file FILE (or set ADVISOR_PASSPHRASE) before the command"


@dataclass(frozen=True)
class Keys:
    """What the user gave to open encrypted files. Files are read only when needed.

    ``ask``, when set (the CLI sets it when it runs at a terminal), is called with a file's
    name to ask for a passphrase that was not given any other way.
    """

    identity_files: tuple[Path, ...] = ()
    passphrase_file: Path | None = None
    passphrase: str | None = None
    ask: Callable[[str], str] | None = field(default=None, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not self.identity_files and self.passphrase_file is None and not self.passphrase and self.ask is None

    def resolved_passphrase(self, name: str = "") -> str | None:
        if self.passphrase:
            return self.passphrase
        if self.passphrase_file is not None:
            return read_passphrase_file(self.passphrase_file)
        if self.ask is not None:
            return self.ask(name)
        return None


def keys_from_env(identity_files: tuple[Path, ...] = (), passphrase_file: Path | None = None) -> Keys:
    return Keys(identity_files, passphrase_file, os.environ.get(PASSPHRASE_ENV) or None)


def is_encrypted(head: bytes) -> bool:
    """Whether these first bytes of a file are an age header (binary or armoured)."""
    stripped = head.lstrip(b" \t\r\n")
    return stripped.startswith(AGE_MAGIC) or stripped.startswith(ARMOR_BEGIN)


def file_is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an age file; False when it cannot be read (the caller reports that)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # a device or pipe: never opened here (a FIFO blocks the open)
        with path.open("rb") as handle:
            return is_encrypted(handle.read(64))
    except OSError:
        return False


def _read_small(path: Path, what: str, limit: int) -> bytes:
    from advisor.documents import read_regular_file

    try:
        return read_regular_file(path, limit)
    except OSError as exc:
        raise InputFileError(f"cannot read {what}: {exc.strerror or exc}", file=str(path)) from exc


def read_passphrase_file(path: Path) -> str:
    raw = _read_small(path, "passphrase file", MAX_KEY_FILE_BYTES)
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputFileError("passphrase file is not UTF-8 text", file=str(path)) from exc
    if not text:
        raise InputFileError("passphrase file is empty", file=str(path))
    return text


def _identities(paths: tuple[Path, ...]) -> list[Any]:
    from pyrage import IdentityError, ssh, x25519

    found: list[Any] = []
    for path in paths:
        raw = _read_small(path, "identity file", MAX_KEY_FILE_BYTES)
        if b"PRIVATE KEY-----" in raw:
            try:
                found.append(ssh.Identity.from_buffer(raw))
            except Exception as exc:  # pyrage raises several types for bad keys
                raise InputFileError(f"is not a usable SSH private key ({exc})", file=str(path)) from exc
            continue
        keys = [
            line.strip()
            for line in raw.decode("utf-8", "replace").splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not keys:
            raise InputFileError("holds no age identity (AGE-SECRET-KEY-…)", file=str(path))
        for key in keys:
            try:
                found.append(x25519.Identity.from_str(key))
            except (IdentityError, ValueError) as exc:
                raise InputFileError(
                    "is not an age identity file (expected lines AGE-SECRET-KEY-…)", file=str(path)
                ) from exc
    return found


def parse_recipient(text: str) -> Any:
    """An ``age1…`` public key or an SSH public key line."""
    from pyrage import RecipientError, ssh, x25519

    text = text.strip()
    try:
        if text.startswith("ssh-"):
            return ssh.Recipient.from_str(text)
        return x25519.Recipient.from_str(text)
    except (RecipientError, ValueError) as exc:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise UsageError(
            f"not an age or SSH public key: {shown!r}",
            suggestion="an age key looks like age1…; create one with age-keygen",
        ) from exc


def encrypt(data: bytes, *, recipients: tuple[str, ...] = (), passphrase: str | None = None,
            armor: bool = False) -> bytes:
    """Encrypt to public keys, or with a passphrase (exactly one of the two)."""
    import pyrage

    if bool(recipients) == bool(passphrase):
        raise UsageError("encrypt either to --recipient keys or with a passphrase, not both")
    try:
        if passphrase:
            sealed = pyrage.passphrase.encrypt(data, passphrase)
        else:
            sealed = pyrage.encrypt(data, [parse_recipient(r) for r in recipients])
    except pyrage.EncryptError as exc:
        raise UsageError(f"encryption failed: {exc}") from exc
    return _armor(sealed) if armor else sealed


def _armor(sealed: bytes) -> bytes:
    body = base64.b64encode(sealed)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + b"\n"


def _dearmor(raw: bytes, name: str) -> bytes:
    text = raw.strip()
    if not text.startswith(ARMOR_BEGIN):
        return raw
    if not text.endswith(ARMOR_END):
        raise InputFileError("is a damaged armoured age file (no END line)", file=name)
    body = b"".join(text[len(ARMOR_BEGIN) : -len(ARMOR_END)].split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputFileError("is a damaged armoured age file (bad base64)", file=name) from exc


def _stanza_kinds(sealed: bytes) -> set[str]:
    header = sealed.split(b"\n---", 1)[0]
    return {
        line[3:].split(b" ", 1)[0].decode("ascii", "replace")
        for line in header.splitlines()
        if line.startswith(b"-> ")
    }


def decrypt(raw: bytes, keys: Keys | None, name: str) -> bytes:
    """Decrypt an age file's bytes with the given keys; every failure names the file."""
    import pyrage

    sealed = _dearmor(raw, name)
    kinds = _stanza_kinds(sealed)
    keys = keys or Keys()
    if keys.empty:
        how = "a passphrase" if kinds == {"scrypt"} else "a key"
        raise InputFileError(f"is encrypted (age, needs {how}) and no key was given", file=name,
                             suggestion=KEY_HINT)
    try:
        if "scrypt" in kinds:
            passphrase = keys.resolved_passphrase(name)
            if passphrase is None:
                raise InputFileError("is encrypted with a passphrase; an identity cannot open it",
                                     file=name, suggestion="give --passphrase-file FILE or set ADVISOR_PASSPHRASE")
            return bytes(pyrage.passphrase.decrypt(sealed, passphrase))
        identities = _identities(keys.identity_files)
        if not identities and keys.passphrase is None and keys.passphrase_file is None:
            raise InputFileError("is encrypted (age, needs a key) and no key was given", file=name,
                                 suggestion="give --identity FILE with the matching private key")
        if not identities:
            raise InputFileError("is encrypted to public keys; a passphrase cannot open it",
                                 file=name, suggestion="give --identity FILE with the matching private key")
        return bytes(pyrage.decrypt(sealed, identities))
    except pyrage.DecryptError as exc:
        reason = str(exc)
        if "scrypt" in kinds:
            reason = "wrong passphrase, or the file is damaged"
        elif "No matching keys" in reason:
            reason = "none of the given identities matches"
        raise InputFileError(f"cannot decrypt: {reason}", file=name) from exc


def read_encrypted(path: Path, keys: Keys | None) -> bytes:
    """Read and decrypt an age file, within the size bound."""
    return open_encrypted(path, keys)[0]


@dataclass(frozen=True)
class Opener:
    """How an encrypted input was opened, so that what is made from it can be sealed alike.

    ``passphrase`` for a passphrase file; else ``recipients``, the public keys of the age
    identities that open it (an SSH identity's public key cannot be derived: none then).
    The file's other recipients, if any, cannot be known: age does not record them."""

    path: str
    passphrase: str | None = field(default=None, repr=False)
    recipients: tuple[str, ...] = ()


def open_encrypted(path: Path, keys: Keys | None) -> tuple[bytes, Opener]:
    """Read and decrypt an age file; the plaintext, and how it was opened."""
    import pyrage

    raw = _read_small(path, "encrypted file", MAX_ENCRYPTED_BYTES)
    name = str(path)
    plain = decrypt(raw, keys, name)
    keys = keys or Keys()
    sealed = _dearmor(raw, name)
    if "scrypt" in _stanza_kinds(sealed):
        return plain, Opener(name, passphrase=keys.resolved_passphrase(name))
    recipients = []
    for identity in _identities(keys.identity_files):
        public = getattr(identity, "to_public", None)
        if public is None:
            continue
        try:
            pyrage.decrypt(sealed, [identity])
        except pyrage.DecryptError:
            continue
        recipients.append(str(public()))
    return plain, Opener(name, recipients=tuple(dict.fromkeys(recipients)))
