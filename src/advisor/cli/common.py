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


def output_options(func: F) -> F:
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
        write_private(output, text, force=force)
        click.echo(f"advisor: wrote {output}", err=True)


def load_rules(rules_dir: Path | None) -> Any:
    from advisor.rules.loader import load_rulebase

    return load_rulebase(rules_dir)
