"""The command line's help and click's own messages in the chosen language.

Help texts stay English in the decorators (they are the msgids); ``translate_click`` swaps
in the current language's text on every command and option before click parses the command
line, and keeps the English text so a later call in another language starts from it. The
help texts reach the catalogue through ``help_messages`` (see ``advisor.locale.extract``).

click marks its own messages ("Usage:", "No such option", "Invalid value for …") with the
stdlib's ``gettext``; the ones a user meets are listed below as msgids of our catalogue,
and click's modules are pointed at our translations.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator

import click

from advisor.i18n import N_

# click's own messages, exactly as click writes them (click 8.1-8.x).
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("No such option: {name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("Missing argument {param_hint}."),
    N_("Missing option {param_hint}."),
    N_("Missing {param_type}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Option {name!r} does not take a value."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Aborted!"),
)

# click's messages with a count (singular, plural).
CLICK_PLURALS = (
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)

OPTIONS_METAVAR = N_("[OPTIONS]")

_CLICK_MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui", "utils")


def _install_into_click() -> None:
    from advisor import i18n

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def walk(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name])


def _english(obj: object, attr: str) -> str | None:
    """The English text of ``obj.attr``, remembered the first time it is seen."""
    key = f"_advisor_en_{attr}"
    if not hasattr(obj, key):
        setattr(obj, key, getattr(obj, attr, None))
    value = getattr(obj, key)
    return inspect.cleandoc(value) if isinstance(value, str) and value else None


def help_messages(root: click.Command) -> list[str]:
    """Every help text of the command tree (commands and options), for the catalogue."""
    found: list[str] = []
    for command in walk(root):
        for attr in ("help", "short_help"):
            if text := _english(command, attr):
                found.append(text)
        for param in command.params:
            if text := _english(param, "help"):
                found.append(text)
    return found


def translate_click(root: click.Command) -> None:
    """Put the current language's help texts on every command and option of ``root``."""
    from advisor.i18n import _

    _install_into_click()
    for command in walk(root):
        command.options_metavar = _(OPTIONS_METAVAR)
        for attr in ("help", "short_help"):
            if text := _english(command, attr):
                setattr(command, attr, _(text))
        # click makes each command's --help option once and keeps it apart from its params
        for param in (*command.params, getattr(command, "_help_option", None)):
            if param is not None and (text := _english(param, "help")):
                param.help = _(text)


def extract_help(fileobj: object, keywords: object, comment_tags: object, options: object) -> Iterator[
        tuple[int, str, str | tuple[str, str], list[str]]]:
    """A Babel extractor (see babel.cfg): click's messages and every help text of the CLI."""
    from advisor.cli import COMMAND_MODULES, cli

    for module in COMMAND_MODULES:  # commands are loaded when asked for: load them all
        importlib.import_module(module)
    for message in (*CLICK_MESSAGES, OPTIONS_METAVAR, *help_messages(cli)):
        yield 0, "_", message, []
    for singular, plural in CLICK_PLURALS:
        yield 0, "ngettext", (singular, plural), []
