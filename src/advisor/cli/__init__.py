"""The command line: thin. Parses options, reads and writes files, picks a reporter, maps
errors to exit codes (0 clean, 1 findings at or above --fail-on, 2 input/usage/rule-base
error, 3 internal error). Data goes to stdout, diagnostics to stderr.

Each command lives in its own module and registers itself on ``cli``. A command's module is
imported only when that command runs (``COMMANDS`` below maps each command to its module), so
``advisor assess`` does not pay for importing the interview, the screening or the capacity plan;
``advisor --help`` imports them all to list every command with its short help.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import click

from advisor import __version__
from advisor.errors import EXIT_ERROR, AdvisorError

EXIT_INTERNAL = 3

# Command name -> the module that defines it (imported when the command is asked for).
COMMANDS: dict[str, str] = {
    "assess": "advisor.cli.assess",
    "explain": "advisor.cli.assess",
    "rules": "advisor.cli.rules",
    "schema": "advisor.cli.schema",
    "xlsform": "advisor.cli.xlsform",
    "import": "advisor.cli.import_cmd",
    "interview": "advisor.cli.interview",
    "share": "advisor.cli.share",
    "screen": "advisor.cli.screen",
    "compare": "advisor.cli.compare",
    "merge": "advisor.cli.merge",
    "plan": "advisor.cli.plan",
    "path": "advisor.cli.path",
    "whatif": "advisor.cli.path",
    "benchmark": "advisor.cli.benchmark",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


# Control characters (C0 but tab, DEL, C1): a file name or value holding ESC sequences must
# not retitle, clear or recolour the user's terminal through an error line.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (\\x1b), for a diagnostic line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def error_line(message: str) -> None:
    click.echo(f"advisor: error: {printable(message)}", err=True)


def notice(message: str) -> None:
    click.echo(f"advisor: {printable(message)}", err=True)


# click >= 8.2 raises this for a group called without a command (before, it printed the help
# and exited 0 itself).
_NO_ARGS_IS_HELP: type[click.ClickException] = getattr(click.exceptions, "NoArgsIsHelpError", ())  # type: ignore[assignment]


class AdvisorGroup(click.Group):
    """A group whose ``main`` turns every error into one line on stderr and an exit code, and
    whose commands are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name])  # the module registers it on ``cli``
        return self.commands.get(cmd_name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            super().main(args, prog_name or "advisor", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except _NO_ARGS_IS_HELP as exc:
            # Bare `advisor` or `advisor rules`: the help is what was asked for (exit 0).
            click.echo(exc.ctx.get_help() if exc.ctx is not None else self.get_help(click.Context(self)))
            sys.exit(0)
        except click.exceptions.Abort:
            error_line("aborted")
            sys.exit(130)
        except click.ClickException as exc:
            # Usage errors (unknown option, missing argument, bad choice): one line, exit 2.
            error_line(exc.format_message())
            sys.exit(EXIT_ERROR)
        except AdvisorError as exc:
            error_line(str(exc))
            for problem in exc.more:
                error_line(str(problem))
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


# The global options for encrypted profiles (--identity, --passphrase-file) belong to the group.
importlib.import_module("advisor.cli.keys")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv)
