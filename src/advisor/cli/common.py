"""Options and helpers shared by several commands."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from advisor.files import write_private

F = TypeVar("F", bound=Callable[..., Any])


class FiniteFloatRange(click.FloatRange):
    """A FloatRange that refuses nan and inf (every comparison with nan is false, so a plain
    FloatRange lets it through, and inf passes an open upper bound)."""

    name = "finite float range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def rules_option(func: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(path_type=Path, file_okay=False),
        envvar="ADVISOR_RULES",
        default=None,
        help="Rule base directory (default: the bundled rules; env ADVISOR_RULES).",
    )(func)


def engine_option(func: F) -> F:
    return click.option(
        "--engine",
        type=click.Choice(["auto", "durable", "reference"]),
        default="auto",
        show_default=True,
        help="durable-rules, or the plain-Python reference evaluator (same results).",
    )(func)


def _remember_plaintext(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["advisor.plaintext"] = True
    return value


def plaintext_option(func: F) -> F:
    """--plaintext: write the output unencrypted although an input was encrypted.

    Not passed to the command: ``emit`` and ``seal_output`` read it from the context."""
    return click.option(
        "--plaintext", is_flag=True, expose_value=False, callback=_remember_plaintext,
        help="Write the output unencrypted even when an input profile is encrypted "
        "(by default it is encrypted like its inputs).",
    )(func)


def wants_plaintext() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get("advisor.plaintext"))


def seal_output(payload: bytes, output: Path, recipients: tuple[str, ...] = ()) -> tuple[bytes, str]:
    """``payload`` encrypted as the command's encrypted inputs were (see advisor.sealing),
    and the words for the "wrote" notice."""
    from advisor.sealing import output_sealing

    sealing = output_sealing(output, plaintext=wants_plaintext(), recipients=recipients)
    if sealing is None:
        return payload, ""
    if sealing.inputs and sealing.passphrase:
        how = f"encrypted with the passphrase of {', '.join(sealing.inputs)}"
    elif sealing.inputs:
        how = f"encrypted to the key(s) that opened {', '.join(sealing.inputs)}"
    else:
        how = "encrypted"
    return sealing.seal(payload), how


def output_options(func: F) -> F:
    func = plaintext_option(func)
    func = click.option("--force", is_flag=True, help="Replace the output file if it exists.")(func)
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to this file (owner-only, atomic) instead of standard output.",
    )(func)


def emit(text: str, output: Path | None, force: bool) -> None:
    """Send data to stdout, or to a file written atomically with mode 0600."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from advisor.cli import notice

        payload, how = seal_output(text.encode("utf-8"), output)
        write_private(output, payload, force=force)
        notice(f"wrote {output}" + (f" ({how})" if how else ""))


def load_rules(rules_dir: Path | None) -> Any:
    from advisor.rules.loader import load_rulebase

    return load_rulebase(rules_dir)
