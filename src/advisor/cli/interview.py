"""advisor interview: fill in a profile by answering questions, in the terminal or from a file.

The flow (order, skip rules, parsing, the draft) is in ``advisor.interview``; this module
asks (questionary when standard input is a terminal), saves the draft after every answer
(atomic, 0600, encrypted when asked), and writes the final profile.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import click

from advisor.cli import cli, notice
from advisor.errors import AdvisorError, OutputError, ProfileError, UsageError

SKIP_LABEL = "(skip / don't know)"
SKIP_VALUE = "skip"


class Asker(Protocol):
    def ask(self, q: Any, done: int, total: int) -> Any: ...

    def confirm(self, message: str) -> bool: ...


class QuestionaryAsker:
    """Asks with questionary: lists to pick from, numbers checked as they are typed.

    ``input``/``output`` are prompt_toolkit objects (tests pass a pipe input)."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        self.kwargs: dict[str, Any] = {}
        if input is not None:
            self.kwargs["input"] = input
        if output is not None:
            self.kwargs["output"] = output

    def ask(self, q: Any, done: int, total: int) -> Any:
        import questionary
        from questionary import Choice

        from advisor import interview as flow

        message = f"[{done + 1}/{total}] {flow.describe(q)}"
        skip = Choice(SKIP_LABEL, value=SKIP_VALUE)
        if q.kind == "bool":
            raw = questionary.select(message, [Choice("yes", "yes"), Choice("no", "no"), skip],
                                     **self.kwargs).unsafe_ask()
        elif q.kind in ("choice", "rating"):
            choices = [
                Choice(f"{c} = {flow.RATING_LABELS[int(c)]}" if q.kind == "rating" else str(c), str(c))
                for c in q.choices
            ]
            raw = questionary.select(message, [*choices, skip], **self.kwargs).unsafe_ask()
        elif q.kind == "choices":
            picked = questionary.checkbox(
                message, [*(Choice(str(c), str(c)) for c in q.choices), skip],
                instruction="(space to select, enter to confirm; nothing selected = none)",
                **self.kwargs,
            ).unsafe_ask()
            raw = SKIP_VALUE if SKIP_VALUE in picked else (picked or "none")
        else:
            def validate(text: str) -> bool | str:
                try:
                    flow.parse_answer(q, text)
                except AdvisorError as exc:
                    return exc.message
                return True

            raw = questionary.text(message, validate=validate,
                                   instruction="(enter to skip)", **self.kwargs).unsafe_ask()
        return flow.parse_answer(q, raw)

    def confirm(self, message: str) -> bool:
        import questionary

        return bool(questionary.confirm(message, default=False, **self.kwargs).unsafe_ask())


@dataclass
class Store:
    """Where the draft and the profile go, and how they are sealed."""

    output: Path
    draft: Path
    recipients: tuple[str, ...] = ()
    passphrase: str | None = None
    saved: Any = None  # the draft last saved

    @property
    def encrypted(self) -> bool:
        return bool(self.recipients or self.passphrase)

    def seal(self, text: str) -> bytes:
        data = text.encode("utf-8")
        if not self.encrypted:
            return data
        from advisor.crypto import encrypt

        return encrypt(data, recipients=self.recipients, passphrase=self.passphrase)

    def save_draft(self, draft: Any) -> None:
        from advisor import interview as flow
        from advisor.files import write_private

        write_private(self.draft, self.seal(flow.draft_yaml(draft)), force=True)
        self.saved = draft

    def load_draft(self) -> Any:
        from advisor import crypto
        from advisor import interview as flow
        from advisor.profile_io import current_keys, read_document

        encrypted = crypto.file_is_encrypted(self.draft)
        if encrypted and not self.encrypted:
            raise UsageError(
                f"{self.draft}: the draft is encrypted; rerun with the same --recipient or "
                "--passphrase option (and --identity to open it), or --restart"
            )
        if encrypted and self.passphrase:
            from advisor import profile_io

            saved = current_keys()
            profile_io.set_keys(crypto.Keys(passphrase=self.passphrase))
            try:
                return flow.draft_from_document(read_document(self.draft))
            finally:
                profile_io.set_keys(saved)
        return flow.draft_from_document(read_document(self.draft))


def run_session(draft: Any, asker: Asker, store: Store) -> Any:
    """Ask every remaining question; the draft is saved after each answer.

    KeyboardInterrupt propagates after the last answer was saved."""
    from advisor import interview as flow

    section = None
    while (q := flow.next_question(draft)) is not None:
        done, total = flow.progress(draft)
        if q.section != section:
            section = q.section
            click.echo(f"\n== {q.section_title} ==", err=True)
        try:
            value = asker.ask(q, done, total)
            draft = flow.apply(draft, q, value)
        except flow.AnswerError as exc:
            click.echo(f"  ! {exc.message}", err=True)
            continue
        store.save_draft(draft)
    return draft


def _read_answers(answers: Path | None) -> tuple[Any, str]:
    from advisor.documents import MAX_BYTES, decode_text, parse_text
    from advisor.profile_io import read_document

    if answers is not None and str(answers) != "-":
        return read_document(answers).data, str(answers)
    raw = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else \
        sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise ProfileError(f"answers on standard input are too large (the limit is {MAX_BYTES:,} bytes)",
                           file="<stdin>")
    return parse_text(decode_text(raw, "<stdin>"), "<stdin>").data, "<stdin>"


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("profile.yaml"), show_default=True, help="The profile to write.")
@click.option("--answers", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              default=None, help="Take answers from this YAML file (question path: value) "
              "instead of asking; '-' or a non-terminal stdin reads them from standard input.")
@click.option("--partial", is_flag=True,
              help="Without a terminal: accept questions with no answer as unanswered.")
@click.option("--encrypt", is_flag=True, help="Encrypt the draft and the profile (age format).")
@click.option("--recipient", "recipients", multiple=True, metavar="KEY",
              help="Encrypt to this age (age1…) or SSH public key; repeatable.")
@click.option("--passphrase", "use_passphrase", is_flag=True,
              help="Encrypt with a passphrase (from --passphrase-file, ADVISOR_PASSPHRASE, or asked).")
@click.option("--restart", is_flag=True, help="Discard an existing draft and start afresh.")
@click.option("--force", is_flag=True, help="Replace the output profile if it exists.")
def interview(output: Path, answers: Path | None, partial: bool, encrypt: bool,
              recipients: tuple[str, ...], use_passphrase: bool, restart: bool, force: bool) -> None:
    """Fill in a profile by answering its questions; resumable, saved after every answer.

    In a terminal, questions come one by one ("skip / don't know" is always possible) and
    Ctrl-C keeps a draft next to the output (OUTPUT.draft) to resume from. Without a
    terminal, answers come from --answers FILE or standard input, and missing or invalid
    ones are listed. Nothing is encrypted unless --recipient or --passphrase is given.
    """
    from advisor import interview as flow

    interactive = answers is None and _stdin_is_tty()
    store = Store(output, output.with_name(output.name + ".draft"))
    if recipients and use_passphrase:
        raise UsageError("--recipient and --passphrase exclude each other (age files use one or the other)")
    if encrypt and not (recipients or use_passphrase):
        raise UsageError("--encrypt needs --recipient KEY or --passphrase")
    if recipients:
        from advisor.crypto import parse_recipient

        for key in recipients:
            parse_recipient(key)
        store.recipients = recipients
    if use_passphrase:
        store.passphrase = _passphrase(interactive)
    if output.exists() and not force:
        raise OutputError("already exists; not overwritten", file=str(output),
                          suggestion="use --force to replace it, or -o another file")

    with _session_lock(store):
        draft = flow.Draft()
        if store.draft.exists() and not restart:
            draft = store.load_draft()
            done, total = flow.progress(draft)
            notice(f"resuming the draft {store.draft}: {done}/{total} questions answered")

        if interactive:
            asker = QuestionaryAsker()
            try:
                draft = run_session(draft, asker, store)
            except KeyboardInterrupt:
                done, total = flow.progress(store.saved or draft)
                notice(f"interrupted; {done}/{total} answered, saved in the draft {store.draft}; "
                       "run the same command to resume")
                raise SystemExit(130) from None
        else:
            data, name = _read_answers(answers)
            draft, problems = flow.apply_answers(draft, data, name)
            store.save_draft(draft)
            for problem in problems:
                notice(f"invalid answer: {problem}")
            if problems:
                raise ProfileError(
                    f"{len(problems)} answer(s) invalid; the valid ones are kept in the draft {store.draft}",
                    file=name, suggestion="fix them and rerun",
                )
            if not partial and (gaps := flow.missing(draft)):
                for q in gaps:
                    notice(f"missing answer: {q.path}: {q.text}")
                raise ProfileError(
                    f"{len(gaps)} question(s) have no answer; the draft {store.draft} keeps the rest",
                    file=name,
                    suggestion="answer them (null or 'skip' records \"don't know\"), or pass --partial",
                )

        _finish(draft, store, force, interactive)


def _session_lock(store: Store) -> Any:
    """Hold the draft's lock for the whole session, and clear what a killed save left.

    Two sessions on one draft would each overwrite the other's answers: the second is
    refused, naming the first (pid, host, start). A lock whose process is gone is taken over
    with a notice. A save killed between writing its temporary file and renaming it leaves
    that file (``.NAME.draft.*.tmp``) behind; it is removed here, under the lock."""
    from advisor.lockfile import acquire

    lock = acquire(store.draft.with_name(store.draft.name + ".lock"), str(store.draft))
    if lock.taken_over is not None:
        held = lock.taken_over
        notice(f"took over the lock of {store.draft} left by process {held.pid} (started {held.started}), "
               "which is no longer running")
    left = _leftover_temporaries(store)
    for path in left:
        with contextlib.suppress(OSError):
            path.unlink()
    if left:
        notice(f"removed {len(left)} temporary file(s) left by an interrupted save of {store.draft}")
    return lock


def _leftover_temporaries(store: Store) -> list[Path]:
    """Temporary files of advisor.files.write_private for the draft or the profile."""
    directory = store.draft.parent
    prefixes = (f".{store.draft.name}.", f".{store.output.name}.")
    try:
        return sorted(p for p in directory.iterdir()
                      if p.name.startswith(prefixes) and p.name.endswith(".tmp") and p.is_file()
                      and not p.is_symlink())
    except OSError:
        return []


def _passphrase(interactive: bool) -> str:
    from advisor.profile_io import current_keys

    keys = current_keys()
    if keys is not None and (passphrase := keys.resolved_passphrase()):
        return passphrase
    if not interactive:
        raise UsageError("--passphrase needs --passphrase-file FILE or ADVISOR_PASSPHRASE without a terminal")
    value = click.prompt("Passphrase for the profile", hide_input=True, confirmation_prompt=True,
                         err=True)
    if not value:
        raise UsageError("an empty passphrase was given")
    return str(value)


def _finish(draft: Any, store: Store, force: bool, interactive: bool) -> None:
    from advisor import interview as flow
    from advisor.files import write_private

    profile = draft.profile(str(store.draft))
    text = "# advisor self-assessment profile (advisor interview)\n" + flow.profile_yaml(profile)
    write_private(store.output, store.seal(text), force=force)
    store.draft.unlink(missing_ok=True)
    done, total = flow.progress(draft)
    answered = sum(1 for q in flow.applicable(draft) if q.path in draft.answers)
    notice(f"wrote {store.output} ({answered} answered, {done - answered} skipped of {total}); "
           "the draft was removed")
    key_hint = "--identity KEY.txt " if store.recipients else "--passphrase-file FILE " if store.passphrase else ""
    command = f"advisor {key_hint}assess {store.output}"
    if interactive and QuestionaryAsker().confirm("Show the assessment now?"):
        from advisor.cli.common import load_rules, output, render_context
        from advisor.engine import assess as run_assessment

        output(run_assessment(profile, load_rules(None), "auto"), "table", None, False, render_context())
    else:
        notice(f"to see the assessment: {command}")
