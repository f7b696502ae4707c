"""The interview in the user's language: going back, choices by label, currency first, the
counter, headings, hints and messages (issue 15's interview items, issue 13)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor import i18n
from advisor import interview as flow
from advisor.cli.interview import QuestionaryAsker, Store, run_session

DOWN, ENTER = "j", "\r"
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _all_but(*paths: str) -> flow.Draft:
    return flow.Draft({}, frozenset(q.path for q in flow.questions() if q.path not in paths))


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "p.yaml", tmp_path / "p.yaml.draft")


class Scripted:
    """An asker that answers from a list, recording what it was shown."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, int, int, bool]] = []

    def ask(self, q: Any, done: int, total: int, *, text: str | None = None, can_go_back: bool = False) -> Any:
        self.asked.append((q.path, done + 1, total, can_go_back))
        raw = self.answers.pop(0)
        return flow.BACK if flow.is_back(raw) else flow.parse_answer(q, raw)

    def confirm(self, message: str) -> bool:
        return False


def test_going_back_changes_the_last_answer(tmp_path):
    draft = _all_but("organisation.paid_staff", "organisation.volunteers", "organisation.key_staff_left_12m")
    asker = Scripted(["5", "<", "7", "20", "1"])
    result = run_session(draft, asker, _store(tmp_path))
    assert result.answers == {"organisation.paid_staff": 7, "organisation.volunteers": 20,
                              "organisation.key_staff_left_12m": 1}
    paths = [a[0] for a in asker.asked]
    assert paths[:3] == ["organisation.paid_staff", "organisation.volunteers", "organisation.paid_staff"]
    assert [a[3] for a in asker.asked][:2] == [False, True], "no way back from the first question"


def test_going_back_in_a_list_with_the_terminal(tmp_path):
    draft = _all_but("controls.written_procedures", "controls.external_audit_recent")
    store = _store(tmp_path)
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)  # written procedures: yes
        pipe.send_text(DOWN * 3 + ENTER)  # audit: yes, no, skip, "< back"
        pipe.send_text(DOWN + ENTER)  # written procedures again: no
        pipe.send_text(ENTER)  # audit: yes
        result = run_session(draft, QuestionaryAsker(pipe, DummyOutput()), store)
    assert result.answers == {"controls.written_procedures": False, "controls.external_audit_recent": True}


def test_left_arrow_goes_back(tmp_path):
    draft = _all_but("controls.written_procedures", "controls.external_audit_recent")
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)  # yes
        pipe.send_text("\x1b[D")  # left arrow on the second question
        pipe.send_text(DOWN + ENTER)  # first question again: no
        pipe.send_text(DOWN + ENTER)  # no
        result = run_session(draft, QuestionaryAsker(pipe, DummyOutput()), _store(tmp_path))
    assert result.answers == {"controls.written_procedures": False, "controls.external_audit_recent": False}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_choices_are_shown_and_typed_by_label(lang):
    i18n.set_language(lang)
    q = flow.question_index()["organisation.areas_served"]
    labels = [q.choice_label(c) for c in q.choices]
    assert "peri_urban" not in labels and len(set(labels)) == len(labels)
    assert flow.parse_answer(q, labels[1]) == [q.choices[1]]
    with pytest.raises(flow.AnswerError) as exc:
        flow.parse_answer(q, "suburbs")
    assert labels[0] in exc.value.message and "peri_urban" not in exc.value.message


def test_choices_are_labelled_in_the_terminal(tmp_path):
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    i18n.set_language("ru")
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=200), term="xterm")
    q = flow.question_index()["government.relationship"]
    with create_pipe_input() as pipe:
        pipe.send_text(DOWN + ENTER)
        result = run_session(_all_but("government.relationship"), QuestionaryAsker(pipe, output),
                             _store(tmp_path))
    assert result.answers["government.relationship"] == q.choices[1]
    shown = screen.getvalue()
    assert all(q.choice_label(c) in shown for c in q.choices)
    assert "government_founded" not in shown and "(skip" not in shown
    assert "пропустить" in shown and "стрелки" in shown


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_country_question_shows_the_two_letter_form(lang):
    i18n.set_language(lang)
    text = flow.describe(flow.question_index()["organisation.country"])
    assert "KZ" in text
    assert text.count("KZ") == 1, "said once, not in the question and again in the hint"
    if lang == "en":
        assert "two-letter code, e.g. kz" in text.lower()


def test_currency_is_asked_before_amounts():
    paths = [q.path for q in flow.questions()]
    assert paths.index("funding.currency") < paths.index("funding.annual_budget")
    amounts = [q for q in flow.questions() if q.unit == "currency"]
    assert amounts and all(paths.index("funding.currency") < paths.index(q.path) for q in amounts
                           if q.section == "funding")
    q = flow.question_index()["funding.annual_budget"]
    assert "[KZT;" in flow.describe(q, flow.Draft({"funding.currency": "KZT"}))


def test_counter_total_does_not_jump(tmp_path):
    draft = _all_but("funding.donor_count", "funding.largest_source_pct", "funding.typical_grant_months",
                     "funding.has_multi_year_grant", "funding.reserves_months", "ratings.governance",
                     "ratings.governance.evidence", "ratings.strategy")
    asker = Scripted(["0", "3", "2", "board minutes", "skip"])
    run_session(draft, asker, _store(tmp_path))
    totals = {a[2] for a in asker.asked}
    numbers = [a[1] for a in asker.asked]
    assert len(totals) == 1, asker.asked
    assert numbers == sorted(numbers), "the number only moves forward"
    evidence = [a for a in asker.asked if a[0].endswith(".evidence")][0]
    rating = [a for a in asker.asked if a[0] == "ratings.governance"][0]
    assert evidence[1] == rating[1], "a rating and its evidence share a number"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_headings_hints_and_messages_are_translated(lang):
    i18n.set_language(lang)
    for q in flow.questions():
        assert CYRILLIC.search(q.section_title), q.path
        assert CYRILLIC.search(flow.describe(q)), q.path
    q = flow.question_index()["organisation.paid_staff"]
    for raw in ("-3", "many", "2.5"):
        with pytest.raises(flow.AnswerError) as exc:
            flow.parse_answer(q, raw)
        assert CYRILLIC.search(exc.value.message), exc.value.message
    with pytest.raises(flow.AnswerError) as exc:
        flow.parse_answer(flow.question_index()["controls.written_procedures"], "maybe")
    assert CYRILLIC.search(exc.value.message)


@pytest.mark.parametrize("word, lang", [("пропустить", "ru"), ("не знаю", "ru"), ("білмеймін", "kk"),
                                        ("өткізу", "kk"), ("skip", "ru")])
def test_skip_words_in_every_language(word, lang):
    i18n.set_language(lang)
    assert flow.parse_answer(flow.question_index()["organisation.paid_staff"], word) is flow.SKIP


def test_yes_no_words_in_every_language():
    q = flow.question_index()["controls.written_procedures"]
    assert [flow.parse_answer(q, w) for w in ("да", "Иә", "нет", "жоқ")] == [True, True, False, False]


def test_none_of_these_is_a_choice_and_an_empty_list_is_refused(tmp_path):
    draft = _all_but("organisation.areas_served")
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)  # nothing ticked: refused, the list stays
        pipe.send_text(DOWN * 3 + " " + ENTER)  # urban, peri-urban, rural, (none of these)
        result = run_session(draft, QuestionaryAsker(pipe, DummyOutput()), _store(tmp_path))
    assert result.answers == {"organisation.areas_served": []}
