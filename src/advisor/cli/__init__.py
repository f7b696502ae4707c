"""The command line: thin. Parses options, reads and writes files, picks a reporter, maps
errors to exit codes (0 clean, 1 findings at or above --fail-on, 2 input/usage/rule-base
error, 3 internal error). Data goes to stdout, diagnostics to stderr.

Each command lives in its own module and registers itself on ``cli``; the list of command
modules is ``COMMAND_MODULES`` below.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from advisor import __version__
from advisor.errors import EXIT_ERROR, AdvisorError

EXIT_INTERNAL = 3

COMMAND_MODULES = (
    "advisor.cli.assess",
    "advisor.cli.rules",
    "advisor.cli.schema",
    "advisor.cli.xlsform",
    "advisor.cli.import_cmd",
    "advisor.cli.keys",
    "advisor.cli.interview",
    "advisor.cli.share",
    "advisor.cli.screen",
    "advisor.cli.compare",
    "advisor.cli.merge",
    "advisor.cli.plan",
)


def error_line(message: str) -> None:
    click.echo(f"advisor: error: {message}", err=True)


def notice(message: str) -> None:
    click.echo(f"advisor: {message}", err=True)


class AdvisorGroup(click.Group):
    """A group whose ``main`` turns every error into one line on stderr and an exit code."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            super().main(args, prog_name or "advisor", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            error_line("aborted")
            sys.exit(130)
        except click.ClickException as exc:
            # Usage errors (unknown option, missing argument, bad choice): one line, exit 2.
            error_line(exc.format_message())
            sys.exit(EXIT_ERROR)
        except AdvisorError as exc:
            error_line(str(exc))
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            error_line("interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug: still no traceback for the user, but say so
            error_line(f"internal error ({type(exc).__name__}: {exc}); please report it")
            sys.exit(EXIT_INTERNAL)
        sys.exit(0)


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advisor")
@click.option("--lang", type=click.Choice(["en", "ru", "kk"]), default=None,
              help="Language of messages, questions and rule texts (default: from LC_ALL, LC_MESSAGES or LANG).")
@click.pass_context
def cli(ctx: click.Context, lang: str | None) -> None:
    """Capacity and risk advice for civil-society organisations, from a self-assessment profile.

    Everything runs on this machine: no network, files written owner-only.
    """
    from advisor.i18n import language_from_env, set_language
    from advisor.reporters.context import RenderContext

    chosen = lang or language_from_env()
    set_language(chosen)
    ctx.obj = RenderContext.for_language(chosen)  # what every renderer is given (cli.common.output)
    ctx.call_on_close(lambda: set_language("en"))


for _module in COMMAND_MODULES:
    importlib.import_module(_module)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv)
