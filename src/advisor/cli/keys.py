"""Global options for opening encrypted profiles: ``advisor --identity KEY.txt assess p.yaml.age``.

They are added to the top-level group here (not in every command): the group's callback
hands them to ``profile_io.set_keys``, and every command that reads a profile through
``profile_io.load_profile`` then opens age-encrypted files alike.
"""

from __future__ import annotations

import functools
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


def install() -> None:
    if any(p.name == "identity_files" for p in cli.params):
        return
    cli.params.extend(_KEY_OPTIONS)
    original = cli.callback

    @functools.wraps(original)  # type: ignore[arg-type]
    def callback(identity_files: tuple[Path, ...] = (), passphrase_file: Path | None = None,
                 **kwargs: Any) -> Any:
        from advisor.crypto import keys_from_env
        from advisor.profile_io import set_keys

        keys = keys_from_env(tuple(identity_files), passphrase_file)
        set_keys(None if keys.empty else keys)
        return original(**kwargs) if original is not None else None

    cli.callback = callback


install()
