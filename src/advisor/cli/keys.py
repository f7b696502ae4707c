"""Global options for opening encrypted profiles: ``advisor --identity KEY.txt assess p.yaml.age``.

They are added to the top-level group here (not in every command): the group's callback
hands them to ``profile_io.set_keys``, and every command that reads a profile through
``profile_io.load_profile`` then opens age-encrypted files alike. At a terminal, a
passphrase-encrypted file with no passphrase given is asked for (hidden, once a command).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from advisor.cli import cli

_KEY_OPTIONS = (
    click.Option(
        ["--identity", "identity_files"],
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="ADVISOR_IDENTITY",
        help="age identity file (AGE-SECRET-KEY-…, or an SSH private key) to open encrypted "
        "profiles; repeatable (env ADVISOR_IDENTITY).",
    ),
    click.Option(
        ["--passphrase-file"],
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="ADVISOR_PASSPHRASE_FILE",
        default=None,
        help="File holding the passphrase of encrypted profiles (or set ADVISOR_PASSPHRASE).",
    ),
)


def interactive() -> bool:
    """Whether a passphrase can be asked for: stdin and stderr are a terminal."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_once() -> Callable[[str], str]:
    """A hidden prompt on stderr; the first answer serves every file of the command."""
    answers: list[str] = []

    def ask(name: str) -> str:
        if not answers:
            answers.append(click.prompt(f"Passphrase for {name}", hide_input=True, err=True))
        return answers[0]

    return ask


def install() -> None:
    if any(p.name == "identity_files" for p in cli.params):
        return
    cli.params.extend(_KEY_OPTIONS)
    original = cli.callback

    @functools.wraps(original)  # type: ignore[arg-type]
    def callback(identity_files: tuple[Path, ...] = (), passphrase_file: Path | None = None,
                 **kwargs: Any) -> Any:
        from advisor.crypto import keys_from_env
        from advisor.profile_io import forget_opened, set_keys

        forget_opened()

        keys = keys_from_env(tuple(identity_files), passphrase_file)
        if interactive():
            keys = dataclasses.replace(keys, ask=ask_once())
        set_keys(None if keys.empty else keys)
        return original(**kwargs) if original is not None else None

    cli.callback = callback


install()
