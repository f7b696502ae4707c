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
from advisor.errors import EXIT_ERROR, AdvisorError, UsageError

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
    from advisor.i18n import _

    click.echo("advisor: " + _("error") + ": " + printable(message), err=True)


def notice(message: str) -> None:
    click.echo(f"advisor: {printable(message)}", err=True)


# click >= 8.2 raises this for a group called without a command (before, it printed the help
# and exited 0 itself).
_NO_ARGS_IS_HELP: type[click.ClickException] = getattr(click.exceptions, "NoArgsIsHelpError", ())  # type: ignore[assignment]


def split_lang_option(args: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--lang X`` / ``--lang=X`` out of the arguments wherever it stands (before or
    after the subcommand, not after ``--``); the last one wins."""
    lang: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--lang":
            lang = args[i + 1] if i + 1 < len(args) else ""  # "" : given without a value
            i += 2
            continue
        if arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return lang, rest


def _choose_language(args: list[str], root: click.Command) -> list[str]:
    """Set the language from --lang / ADVISOR_LANG / the locale before click parses anything,
    so help texts, click's own messages and errors come out in it. Returns the arguments
    with ``--lang`` moved in front of the subcommand."""
    from advisor.cli.help_i18n import translate_click
    from advisor.i18n import UnknownLanguage, _, language_from_env, resolve_language, set_language

    lang, rest = split_lang_option(args)
    if lang == "":
        set_language(language_from_env())
        raise UsageError(_("--lang needs a value: en, ru or kk"))
    try:
        chosen = resolve_language(lang)
    except UnknownLanguage as exc:
        set_language(language_from_env())
        raise UsageError(
            _("unknown language {lang!r} (from {source}); advisor speaks en, ru and kk").format(
                lang=exc.lang, source=exc.source),
            suggestion=_("for example --lang ru"),
        ) from None
    set_language(chosen)
    translate_click(root)
    return (["--lang", chosen] if lang is not None else []) + rest


class AdvisorGroup(click.Group):
    """A group whose ``main`` turns every error into one line on stderr and an exit code, and
    whose commands are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name])  # the module registers it on ``cli``
            command = self.commands.get(cmd_name)
            if command is not None:  # its help in the language chosen before it was loaded
                from advisor.cli.help_i18n import translate_click

                translate_click(command)
        return self.commands.get(cmd_name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        from advisor.i18n import _, set_language

        try:
            args = _choose_language(list(sys.argv[1:] if args is None else args), self)
            super().main(args, prog_name or "advisor", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except _NO_ARGS_IS_HELP as exc:
            # Bare `advisor` or `advisor rules`: the help is what was asked for (exit 0).
            click.echo(exc.ctx.get_help() if exc.ctx is not None else self.get_help(click.Context(self)))
            sys.exit(0)
        except click.exceptions.Abort:
            error_line(_("aborted"))
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
            error_line(_("interrupted"))
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as exc:  # a bug: still no traceback for the user, but say so
            error_line(_("internal error ({name}: {error}); please report it").format(
                name=type(exc).__name__, error=exc))
            sys.exit(EXIT_INTERNAL)
        finally:
            set_language("en")
        sys.exit(0)


@click.group(cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advisor")
@click.option("--lang", metavar="[en|ru|kk]", default=None,
              help="Language of reports, messages and questions, before or after the command "
              "(default: ADVISOR_LANG, else LC_ALL, LC_MESSAGES or LANG, on Windows the system language).")
def cli(lang: str | None) -> None:
    """Capacity and risk advice for civil-society organisations, from a self-assessment profile.

    Everything runs on this machine: no network, files written owner-only.
    """
    # The language was chosen in AdvisorGroup.main, before click parsed the command line.
    from advisor.i18n import current_language
    from advisor.reporters.context import RenderContext

    click.get_current_context().obj = RenderContext.for_language(current_language())  # cli.common.output


# The global options for encrypted profiles (--identity, --passphrase-file) belong to the group.
importlib.import_module("advisor.cli.keys")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv)
