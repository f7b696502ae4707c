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
from advisor.i18n import N_, _, ngettext

SKIP_LABEL = N_("(skip / don't know)")
SKIP_VALUE = "skip"
BACK_LABEL = N_("< back to the previous question")
BACK_VALUE = "<"
NONE_LABEL = N_("(none of these)")
NONE_VALUE = "none"


class Asker(Protocol):
    def ask(self, q: Any, done: int, total: int) -> Any: ...

    def confirm(self, message: str) -> bool: ...


def _back_on_left_arrow(question: Any) -> Any:
    """In a list, the left arrow goes back to the previous question (as "<" does)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("left", eager=True)
    def _(event: Any) -> None:
        event.app.exit(result=BACK_VALUE)

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
    return question


class QuestionaryAsker:
    """Asks with questionary: lists to pick from, numbers checked as they are typed.

    ``input``/``output`` are prompt_toolkit objects (tests pass a pipe input)."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        self.kwargs: dict[str, Any] = {}
        if input is not None:
            self.kwargs["input"] = input
        if output is not None:
            self.kwargs["output"] = output

    def ask(self, q: Any, done: int, total: int, *, text: str | None = None, can_go_back: bool = False) -> Any:
        """Ask one question; ``done``/``total`` make the counter ("[done+1/total]"), ``text``
        is the question as shown (default ``describe(q)``). Returns the parsed answer, or
        ``flow.BACK`` when the user asks for the previous question ("<", or the left arrow
        in a list)."""
        import questionary
        from questionary import Choice

        from advisor import interview as flow

        message = f"[{done + 1}/{total}] {text or flow.describe(q)}"
        skip = Choice(_(SKIP_LABEL), value=SKIP_VALUE)
        back = [Choice(_(BACK_LABEL), value=BACK_VALUE)] if can_go_back else []
        pick = _("(arrow keys to move, enter to choose)")
        if q.kind in ("bool", "choice", "rating"):
            values: tuple[Any, ...] = ("yes", "no") if q.kind == "bool" else q.choices
            choices = [Choice(q.choice_label(c), str(c)) for c in values]
            question = questionary.select(message, [*choices, skip, *back], instruction=pick, **self.kwargs)
            raw = (_back_on_left_arrow(question) if can_go_back else question).unsafe_ask()
        elif q.kind == "choices":
            # "None of these" is a choice of its own: an empty list would be confirmed silently
            # (and questionary would print its English "done").
            none = Choice(_(NONE_LABEL), value=NONE_VALUE)
            question = questionary.checkbox(
                message, [*(Choice(q.choice_label(c), str(c)) for c in q.choices), none, skip, *back],
                instruction=_("(space to select, enter to confirm)"),
                validate=lambda picked: bool(picked) or _("select at least one line"),
                **self.kwargs,
            )
            picked = (_back_on_left_arrow(question) if can_go_back else question).unsafe_ask()
            if picked == BACK_VALUE or (isinstance(picked, list) and BACK_VALUE in picked):
                raw = BACK_VALUE
            elif SKIP_VALUE in picked:
                raw = SKIP_VALUE
            else:
                raw = [p for p in picked if p != NONE_VALUE] or "none"
        else:
            def validate(answer: str) -> bool | str:
                if can_go_back and flow.is_back(answer):
                    return True
                try:
                    flow.parse_answer(q, answer)
                except AdvisorError as exc:
                    return exc.message
                return True

            hint = _("(enter to skip, < to go back)") if can_go_back else _("(enter to skip)")
            raw = questionary.text(message, validate=validate, instruction=hint, **self.kwargs).unsafe_ask()
        if can_go_back and flow.is_back(raw):
            return flow.BACK
        return flow.parse_answer(q, raw)

    def confirm(self, message: str) -> bool:
        """A yes/no question answered from a list of the language's own words."""
        import questionary
        from questionary import Choice

        from advisor.labels import yes_no

        choices = [Choice(yes_no(False).capitalize(), "no"), Choice(yes_no(True).capitalize(), "yes")]
        answer = questionary.select(message, choices, instruction=_("(arrow keys to move, enter to choose)"),
                                    **self.kwargs).unsafe_ask()
        return bool(answer == "yes")


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
                _("{path}: the draft is encrypted; rerun with the same --recipient or "
                  "--passphrase option (and --identity to open it), or --restart").format(path=self.draft)
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
    history: list[Any] = []  # the drafts before each answer of this session, to go back to
    while (q := flow.next_question(draft)) is not None:
        number, total = flow.counter(draft, q)
        if q.section != section:
            section = q.section
            click.echo(f"\n== {q.section_title} ==", err=True)
        try:
            value = _ask(asker, q, number - 1, total, flow.describe(q, draft, listed=True), bool(history))
            if value is flow.BACK:
                draft = history.pop()
                section = None  # show the heading of the question we return to
                store.save_draft(draft)
                continue
            answered = flow.apply(draft, q, value)
        except flow.AnswerError as exc:
            click.echo(f"  ! {exc.message}", err=True)
            continue
        history.append(draft)
        draft = answered
        store.save_draft(draft)
    return draft


def _ask(asker: Any, q: Any, done: int, total: int, text: str, can_go_back: bool) -> Any:
    """Ask through ``asker``, passing the shown text and the way back when it takes them
    (an Asker may know only ``(q, done, total)``)."""
    import inspect

    params = inspect.signature(asker.ask).parameters
    if "can_go_back" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return asker.ask(q, done, total, text=text, can_go_back=can_go_back)
    return asker.ask(q, done, total)


def _read_answers(answers: Path | None) -> tuple[Any, str]:
    from advisor.documents import MAX_BYTES, decode_text, parse_text
    from advisor.formatting import format_number
    from advisor.profile_io import read_document

    if answers is not None and str(answers) != "-":
        return read_document(answers).data, str(answers)
    raw = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else \
        sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise ProfileError(_("answers on standard input are too large (the limit is {limit} bytes)").format(
            limit=format_number(MAX_BYTES)),
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
        raise UsageError(_("--recipient and --passphrase exclude each other (age files use one or the other)"))
    if encrypt and not (recipients or use_passphrase):
        raise UsageError(_("--encrypt needs --recipient KEY or --passphrase"))
    if recipients:
        from advisor.crypto import parse_recipient

        for key in recipients:
            parse_recipient(key)
        store.recipients = recipients
    if use_passphrase:
        store.passphrase = _passphrase(interactive)
    if output.exists() and not force:
        raise OutputError(_("already exists; not overwritten"), file=str(output),
                          suggestion=_("use --force to replace it, or -o another file"))

    with _session_lock(store):
        draft = flow.Draft()
        if store.draft.exists() and not restart:
            draft = store.load_draft()
            done, total = flow.progress(draft)
            notice(_("resuming the draft {path}: {done} of {total} questions answered").format(
                path=store.draft, done=done, total=total))

        if interactive:
            asker = QuestionaryAsker()
            try:
                draft = run_session(draft, asker, store)
            except KeyboardInterrupt:
                done, total = flow.progress(store.saved or draft)
                notice(_("interrupted; {done} of {total} answered, saved in the draft {path}; "
                         "run the same command to resume").format(done=done, total=total, path=store.draft))
                raise SystemExit(130) from None
        else:
            data, name = _read_answers(answers)
            draft, problems = flow.apply_answers(draft, data, name)
            store.save_draft(draft)
            for problem in problems:
                notice(_("invalid answer: {problem}").format(problem=problem))
            if problems:
                raise ProfileError(
                    ngettext("{n} answer invalid; the valid ones are kept in the draft {path}",
                             "{n} answers invalid; the valid ones are kept in the draft {path}",
                             len(problems)).format(n=len(problems), path=store.draft),
                    file=name, suggestion=_("fix them and rerun"),
                )
            if not partial and (gaps := flow.missing(draft)):
                for q in gaps:
                    notice(_("missing answer: {path}: {question}").format(path=q.path, question=q.text))
                raise ProfileError(
                    ngettext("{n} question has no answer; the draft {path} keeps the rest",
                             "{n} questions have no answer; the draft {path} keeps the rest",
                             len(gaps)).format(n=len(gaps), path=store.draft),
                    file=name,
                    suggestion=_("answer them (null or 'skip' records \"don't know\"), or pass --partial"),
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
        raise UsageError(_("--passphrase needs --passphrase-file FILE or ADVISOR_PASSPHRASE without a terminal"))
    value = click.prompt(_("Passphrase for the profile"), hide_input=True, confirmation_prompt=True,
                         err=True)
    if not value:
        raise UsageError(_("an empty passphrase was given"))
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
    notice(_("wrote {path} ({answered} answered, {skipped} skipped, of {total}); the draft was removed").format(
        path=store.output, answered=answered, skipped=done - answered, total=total))
    key_hint = "--identity KEY.txt " if store.recipients else "--passphrase-file FILE " if store.passphrase else ""
    command = f"advisor {key_hint}assess {store.output}"
    if interactive and QuestionaryAsker().confirm(_("Show the assessment now?")):
        from advisor.cli.common import load_rules, output, render_context
        from advisor.engine import assess as run_assessment

        output(run_assessment(profile, load_rules(None), "auto"), "table", None, False, render_context())
    else:
        notice(_("to see the assessment: {command}").format(command=command))
