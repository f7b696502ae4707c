"""The error hierarchy. Every error the user can cause is an ``AdvisorError``.

The CLI maps each to one line on stderr and an exit code (see README, "Exit codes").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class AdvisorError(Exception):
    """Base of every error caused by input, files or the rule base (exit code 2)."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        line: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.field = field
        self.line = line
        self.suggestion = suggestion
        self.more: tuple[AdvisorError, ...] = ()
        """Further problems found at the same time (each reported on its own line)."""

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        text = where
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class InputFileError(AdvisorError):
    """A file could not be read or parsed (missing, unreadable, not YAML/JSON, too large)."""


class ProfileError(AdvisorError):
    """A profile does not validate against the Profile schema."""


class RuleBaseError(AdvisorError):
    """A rule file or the rule base as a whole is broken or inconsistent."""


class EngineError(AdvisorError):
    """The rules engine failed during an evaluation; never swallowed."""


class OutputError(AdvisorError):
    """An output file could not be written (or exists and --force was not given)."""


class UsageError(AdvisorError):
    """The command line asks for something impossible (unknown rule ID, bad option mix)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" suggestion for a misspelled name, or None."""
    matches = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None
