"""Options and helpers shared by several commands."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from advisor.errors import UsageError
from advisor.files import write_private
from advisor.i18n import _

if TYPE_CHECKING:
    from advisor.reporters.context import RenderContext

F = TypeVar("F", bound=Callable[..., Any])

# -o FILE without --format: the format its extension names.
FORMAT_BY_SUFFIX = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                    ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}


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
        "output_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to this file (owner-only, atomic) instead of standard output.",
    )(func)


def format_option(*choices: str, help: str | None = None) -> Callable[[F], F]:
    """``--format``: one of ``choices``; when not given, taken from the -o file's extension
    (``report.html``, ``plan.md``), else the first choice."""
    extra = f" Default: {choices[0]}, or the format the -o file's extension names (.html, .md, .json, .csv)."

    def decorate(func: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None,
                            help=(help or "Output format.") + extra)(func)

    return decorate


def resolve_format(fmt: str | None, output: Path | None, choices: tuple[str, ...]) -> str:
    """The format to write: the one given, or the -o file's, or the first choice. Refuses
    a terminal format with -o (checked here, before anything is evaluated)."""
    from advisor.reporters import FILE_FORMATS, TERMINAL_FORMATS

    if fmt is None:
        inferred = FORMAT_BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
        fmt = inferred if inferred in choices else choices[0]
    if fmt in TERMINAL_FORMATS and output is not None:
        files = [c for c in choices if c not in TERMINAL_FORMATS]
        suffixes = [f".{_suffix(c)}" for c in files]
        raise UsageError(f"--format {fmt} prints to the terminal",
                         suggestion=f"use --format {_either(files)} with -o, or a file name ending in {_either(suffixes)}")
    if fmt in FILE_FORMATS and output is None:
        raise UsageError(f"--format {fmt} writes a file", suggestion=f"give the file with -o, e.g. -o report.{fmt}")
    return fmt


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _suffix(fmt: str) -> str:
    return {"markdown": "md"}.get(fmt, fmt)


def render_context() -> RenderContext:
    """The RenderContext the command group made for this run (language, translations)."""
    from advisor.reporters.context import RenderContext

    current = click.get_current_context(silent=True)
    root = current.find_root() if current is not None else None
    if root is not None and isinstance(root.obj, RenderContext):
        return root.obj
    from advisor.i18n import current_language

    return RenderContext.for_language(current_language())


def output(view: object, fmt: str, path: Path | None, force: bool, ctx: RenderContext) -> None:
    """Render ``view`` in ``fmt`` to standard output, or to ``path`` (atomic, owner-only, no
    overwrite without ``force``); terminal formats draw on the terminal and refuse ``path``."""
    from advisor.reporters import FILE_FORMATS, FILE_PREFIXES, TERMINAL_FORMATS, stream

    if fmt in TERMINAL_FORMATS and path is not None:
        raise UsageError(f"--format {fmt} prints to the terminal", suggestion="name another --format with -o")
    if fmt in FILE_FORMATS and path is None:
        raise UsageError(f"--format {fmt} writes a file", suggestion=f"give the file with -o, e.g. -o report.{fmt}")
    pieces = stream(view, fmt, ctx)
    if pieces is None:
        return
    if path is None:
        for piece in pieces:
            click.echo(piece, nl=False)
    elif fmt in FILE_FORMATS:
        emit(b"".join(pieces), path, force)
    else:
        emit(FILE_PREFIXES.get(fmt, "") + "".join(pieces), path, force)


def emit(text: str | bytes, output: Path | None, force: bool) -> None:
    """Send data to stdout, or to a file written atomically with mode 0600 (encrypted when
    the inputs were, see ``seal_output``)."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from advisor.cli import notice

        payload, how = seal_output(text.encode("utf-8") if isinstance(text, str) else text, output)
        write_private(output, payload, force=force)
        notice(_("wrote {path}").format(path=output) + (f" ({how})" if how else ""))


def load_rules(rules_dir: Path | None) -> Any:
    from advisor.rules.loader import load_rulebase

    return load_rulebase(rules_dir)
