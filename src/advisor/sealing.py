"""Encrypted in, encrypted out: what a command writes from encrypted profiles is encrypted too.

A merged profile, a redacted copy or a report made from an age-encrypted profile holds what
the encrypted file held (names, budgets, answers about pressure). By default it is encrypted
the way its inputs were opened: with the same passphrase, or to the public keys of the age
identities that opened them. Where that cannot be done (inputs opened in different ways, or
with an SSH key whose public half is not known), nothing is written unless the user asks for
plaintext (``--plaintext``) or names recipients. The file's other recipients, if it had any,
are not recorded by age, so they cannot be added automatically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from advisor.errors import OutputError
from advisor.profile_io import opened_encrypted


@dataclass(frozen=True)
class Sealing:
    """How to encrypt one output: with a passphrase, or to recipients (one of the two)."""

    passphrase: str | None = field(default=None, repr=False)
    recipients: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()  # the encrypted inputs it follows (empty: recipients given)

    def seal(self, data: bytes) -> bytes:
        from advisor.crypto import encrypt

        return encrypt(data, recipients=self.recipients, passphrase=self.passphrase)


class PlaintextRefused(OutputError):
    """Encrypted inputs, and no way to encrypt the output like them: nothing is written."""


def output_sealing(output: Path, *, plaintext: bool = False, recipients: tuple[str, ...] = ()) -> Sealing | None:
    """How ``output`` must be encrypted (None: written as it is).

    Raises PlaintextRefused when encrypted inputs were read, ``plaintext`` was not asked for,
    and the inputs' keys cannot be reused."""
    if recipients:
        return Sealing(recipients=recipients)
    opened = opened_encrypted()
    if not opened or plaintext:
        return None
    names = tuple(dict.fromkeys(o.path for o in opened))
    passphrases = {o.passphrase for o in opened}
    if None not in passphrases and len(passphrases) == 1:
        return Sealing(passphrase=next(iter(passphrases)), inputs=names)
    if passphrases == {None} and all(o.recipients for o in opened):
        keys = tuple(dict.fromkeys(k for o in opened for k in o.recipients))
        return Sealing(recipients=keys, inputs=names)
    raise PlaintextRefused(
        "would hold encrypted profiles' answers unencrypted, and their keys cannot be reused "
        "for it; nothing written", file=str(output),
        suggestion="give --plaintext to write it unencrypted, or open every input with the "
        "same passphrase or with age identities",
    )
