"""The interview: question flow, skip rules, answer parsing, drafts, the terminal and the CLI."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor import interview as flow
from advisor.cli import cli
from advisor.cli.interview import QuestionaryAsker, Store, run_session
from advisor.documents import parse_text
from advisor.facts import catalogue
from advisor.profile import SECTIONS
from advisor.profile_io import load_profile

# --- the flow ---------------------------------------------------------------------------------


def test_every_field_is_asked_grouped_by_section_in_model_order() -> None:
    qs = flow.questions()
    assert set(catalogue()) <= {q.path for q in qs}
    sections = [q.section for q in qs]
    order = [s for i, s in enumerate(sections) if i == 0 or sections[i - 1] != s]
    assert order == list(SECTIONS), "each section asked once, as one block"
    for i, q in enumerate(qs):
        if q.kind == "rating":
            assert qs[i + 1].path == f"{q.path}.evidence"


def test_skip_rules_name_real_questions() -> None:
    index = flow.question_index()
    for rule in flow.SKIP_RULES:
        assert rule.when in index
        assert all(path in index for path in rule.skip)
        assert rule.reason


def test_no_foreign_reporting_questions_without_foreign_funding() -> None:
    draft = flow.Draft({"funding.share_foreign_pct": 0.0})
    asked = {q.path for q in flow.applicable(draft)}
    assert "foreign_funding.reporting_obligation" not in asked
    assert "foreign_funding.on_public_register" not in asked
    assert "foreign_funding.labelled_foreign_agent" in asked  # labelling needs no foreign money
    with_foreign = {q.path for q in flow.applicable(flow.Draft({"funding.share_foreign_pct": 40.0}))}
    assert "foreign_funding.reporting_obligation" in with_foreign


def test_reports_on_time_not_asked_without_obligation() -> None:
    draft = flow.Draft({"foreign_funding.reporting_obligation": False})
    assert "foreign_funding.reports_filed_on_time" not in {q.path for q in flow.applicable(draft)}


def test_evidence_only_after_a_rating() -> None:
    paths = {q.path for q in flow.applicable(flow.Draft())}
    assert "ratings.governance.evidence" not in paths
    paths = {q.path for q in flow.applicable(flow.Draft({"ratings.governance": 2}))}
    assert "ratings.governance.evidence" in paths


@pytest.mark.parametrize(
    ("path", "raw", "expected"),
    [
        ("controls.written_procedures", "yes", True),
        ("controls.written_procedures", "N", False),
        ("controls.written_procedures", False, False),
        ("organisation.paid_staff", "1 200", 1200),
        ("organisation.paid_staff", 7, 7),
        ("funding.reserves_months", "2,5", 2.5),
        ("funding.share_foreign_pct", "40%", 40.0),
        ("funding.annual_budget", "1,000,000", 1_000_000.0),
        ("government.relationship", "2", "government_founded"),
        ("government.relationship", "Independent", "independent"),
        ("organisation.areas_served", "urban, rural, urban", ["urban", "rural"]),
        ("organisation.areas_served", "none", []),
        ("organisation.areas_served", ["rural"], ["rural"]),
        ("organisation.country", " kz ", "KZ"),
        ("funding.donor_names", "Fund A; Fund B, Inc.", ["Fund A", "Fund B, Inc."]),
        ("ratings.strategy", "3", 3),
        ("ratings.strategy", {"level": 4}, 4),
        ("organisation.paid_staff", "", flow.SKIP),
        ("organisation.paid_staff", "don't know", flow.SKIP),
        ("organisation.paid_staff", None, flow.SKIP),
    ],
)
def test_parse_answer(path: str, raw: Any, expected: Any) -> None:
    assert flow.parse_answer(flow.question_index()[path], raw) == expected


@pytest.mark.parametrize(
    ("path", "raw", "fragment"),
    [
        ("organisation.paid_staff", "-3", "at least 0"),
        ("organisation.paid_staff", "2.5", "whole number"),
        ("funding.share_foreign_pct", "140", "at most 100"),
        ("funding.share_foreign_pct", "lots", "not a number"),
        ("funding.share_foreign_pct", "nan", "finite"),
        ("funding.share_foreign_pct", True, "expected a number"),
        ("controls.written_procedures", "maybe", "yes or no"),
        ("government.relationship", "friendly", "not one of"),
        ("organisation.areas_served", "urban, moon", "not one of"),
        ("ratings.strategy", "5", "not one of"),
        ("organisation.name", "x" * 201, "at most 200"),
    ],
)
def test_parse_answer_refuses(path: str, raw: Any, fragment: str) -> None:
    with pytest.raises(flow.AnswerError, match=fragment) as info:
        flow.parse_answer(flow.question_index()[path], raw)
    assert info.value.field == path


def test_apply_checks_the_whole_profile() -> None:
    index = flow.question_index()
    draft = flow.apply(flow.Draft(), index["funding.share_state_pct"], 70.0)
    with pytest.raises(flow.AnswerError, match="more than 100"):
        flow.apply(draft, index["funding.share_foreign_pct"], 50.0)
    draft = flow.apply(draft, index["funding.share_foreign_pct"], flow.SKIP)
    assert "funding.share_foreign_pct" in draft.skipped
    assert "funding.share_foreign_pct" not in draft.answers


def test_draft_round_trip_and_progress() -> None:
    draft, problems = flow.apply_answers(flow.Draft(), {
        "funding": {"share_foreign_pct": 0, "donor_count": 2},
        "organisation.paid_staff": None,
        "ratings.governance": {"level": 3, "evidence": "board minutes"},
    }, "a.yaml")
    assert problems == []
    assert draft.skipped == {"organisation.paid_staff"}
    text = flow.draft_yaml(draft)
    again = flow.draft_from_document(parse_text(text, "d.yaml"))
    assert again == draft
    done, total = flow.progress(draft)
    assert done == 5 and total < len(flow.questions())
    assert flow.next_question(draft) == flow.questions()[0]


def test_apply_answers_reports_unknown_and_invalid() -> None:
    _, problems = flow.apply_answers(flow.Draft(), {"funding.donor_cont": 3, "funding.donor_count": -1},
                                     "a.yaml")
    text = [str(p) for p in problems]
    assert any("funding.donor_cont: no such question" in t and "donor_count" in t for t in text)
    assert any("funding.donor_count: must be at least 0" in t for t in text)


# --- the terminal, through questionary's pipe input ---------------------------------------------


def _all_but(*paths: str) -> flow.Draft:
    return flow.Draft({}, frozenset(q.path for q in flow.questions() if q.path not in paths))


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "p.yaml", tmp_path / "p.yaml.draft")


DOWN, ENTER, SPACE = "j", "\r", " "  # j: down (questionary's vi keys; no escape timing)


def test_terminal_session_with_pipe_input(tmp_path: Path) -> None:
    draft = _all_but("organisation.legally_registered", "organisation.paid_staff",
                     "organisation.areas_served", "ratings.governance", "ratings.governance.evidence")
    store = _store(tmp_path)
    with create_pipe_input() as pipe:
        pipe.send_text(ENTER)  # legally registered: "yes" is first
        pipe.send_text(SPACE + DOWN + DOWN + SPACE + ENTER)  # areas served: urban + rural
        pipe.send_text("-4" + ENTER + "\x7f\x7f" + "12" + ENTER)  # paid staff: -4 refused as typed
        pipe.send_text(DOWN + DOWN + ENTER)  # rating 3
        pipe.send_text("annual report" + ENTER)
        result = run_session(draft, QuestionaryAsker(pipe, DummyOutput()), store)
    assert result.answers == {
        "organisation.legally_registered": True,
        "organisation.paid_staff": 12,
        "organisation.areas_served": ["urban", "rural"],
        "ratings.governance": 3,
        "ratings.governance.evidence": "annual report",
    }
    saved = flow.draft_from_document(parse_text(store.draft.read_text(), str(store.draft)))
    assert saved == result
    assert stat.S_IMODE(os.stat(store.draft).st_mode) == 0o600


def test_terminal_skip_and_ctrl_c_leave_a_valid_draft(tmp_path: Path) -> None:
    draft = _all_but("controls.written_procedures", "controls.external_audit_recent",
                     "controls.publishes_financial_report")
    store = _store(tmp_path)
    with create_pipe_input() as pipe:
        pipe.send_text(DOWN + ENTER)  # no
        pipe.send_text(DOWN + DOWN + ENTER)  # skip / don't know
        pipe.send_text("\x03")  # Ctrl-C on the third question
        with pytest.raises(KeyboardInterrupt):
            run_session(draft, QuestionaryAsker(pipe, DummyOutput()), store)
    saved = flow.draft_from_document(parse_text(store.draft.read_text(), str(store.draft)))
    assert saved.answers == {"controls.written_procedures": False}
    assert "controls.external_audit_recent" in saved.skipped
    assert flow.next_question(saved).path == "controls.publishes_financial_report"  # type: ignore[union-attr]


# --- the command without a terminal -------------------------------------------------------------


def _answers(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_cli_lists_missing_answers_then_partial_finishes(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    answers = _answers(tmp_path, {"funding.share_foreign_pct": 0, "organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers)])
    assert result.exit_code == 2
    assert "missing answer: organisation.name" in result.output
    assert "foreign_funding.reporting_obligation" not in result.output  # skipped by rule
    assert not out.exists() and (tmp_path / "p.yaml.draft").exists()
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--partial"], input="")
    assert result.exit_code == 0, result.output
    assert "resuming" in result.output and "advisor assess" in result.output
    profile = load_profile(out)
    assert profile.organisation.paid_staff == 4 and profile.funding.share_foreign_pct == 0
    assert not (tmp_path / "p.yaml.draft").exists()
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_cli_reports_invalid_answers_and_keeps_valid_ones(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    result = CliRunner().invoke(cli, ["interview", "-o", str(out)],
                                input="organisation.paid_staff: 3\nfunding.reserves_months: 999\n")
    assert result.exit_code == 2
    assert "<stdin>: funding.reserves_months: must be at most 240" in result.output
    assert "Traceback" not in result.output
    draft = (tmp_path / "p.yaml.draft").read_text()
    assert "paid_staff: 3" in draft


def test_cli_complete_answers_and_no_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    data = {q.path: None for q in flow.questions()}
    data["organisation.name"] = "Test NGO"
    answers = _answers(tmp_path, data)
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    assert load_profile(out).organisation.name == "Test NGO"
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(answers)])
    assert result.exit_code == 2 and "already exists" in result.output


def test_cli_encrypted_interview_and_resume(tmp_path: Path) -> None:
    pyrage = pytest.importorskip("pyrage")
    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "key.txt"
    key.write_text(str(identity) + "\n")
    pub = str(identity.to_public())
    out = tmp_path / "p.yaml.age"
    first = _answers(tmp_path, {"organisation.paid_staff": 4})
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--answers", str(first),
                                      "--recipient", pub])
    assert result.exit_code == 2
    draft = tmp_path / "p.yaml.age.draft"
    assert draft.read_bytes().startswith(b"age-encryption.org/v1")
    # Resuming an encrypted draft without encryption is refused; with the key it resumes.
    result = CliRunner().invoke(cli, ["interview", "-o", str(out), "--partial"], input="")
    assert result.exit_code == 2 and "draft is encrypted" in result.output
    result = CliRunner().invoke(cli, ["--identity", str(key), "interview", "-o", str(out), "--partial",
                                      "--recipient", pub], input="")
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"age-encryption.org/v1")
    result = CliRunner().invoke(cli, ["--identity", str(key), "share", str(out), "--for", "donor",
                                      "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 0, result.output
