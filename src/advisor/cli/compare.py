"""advisor compare: what changed between two assessments of one organisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from advisor.cli import cli, notice
from advisor.cli.common import (
    engine_option,
    format_option,
    load_rules,
    output,
    output_options,
    render_context,
    resolve_format,
    rules_option,
)
from advisor.errors import EXIT_OK, InputFileError
from advisor.reporters import COMPARISON
from advisor.saved import NGO_REPORT
from advisor.validation_i18n import type_message
from advisor.i18n import _

FORMATS = ("table", "json", "markdown")
OUTPUTS = {"compare": {COMPARISON: FORMATS}}


def _load_side(path: Path, rulebase: Any, engine: str) -> tuple[Any, Any, str]:
    """(assessment, profile or None, "profile" | "assessment") for a profile or a saved
    assessment: ``assess --format json`` of any audience, or the NGO's report."""
    from pydantic import ValidationError

    from advisor import saved
    from advisor.assessment import Assessment
    from advisor.engine import assess
    from advisor.profile_io import profile_from_document, read_document

    doc = read_document(path)  # plain or age-encrypted
    kind = saved.saved_kind(doc.data)
    if kind is None:
        profile = profile_from_document(doc)
        return assess(profile, rulebase, engine), profile, "profile"  # type: ignore[arg-type]
    if kind not in saved.COMPARABLE:
        raise saved.not_comparable(kind, str(path))
    try:
        data = doc.data
        if kind == saved.NGO_REPORT:
            from advisor.views.ngo_report import NgoReport

            report = NgoReport.model_validate(data).model_dump(mode="json")
            count = len(rulebase.rules) if report["rulebase_hash"] == rulebase.digest else 0
            data = saved.assessment_data_from_ngo_report(report, count)
            return Assessment.model_validate(data), None, saved.NGO_REPORT
        return Assessment.model_validate(data), None, "assessment"
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise InputFileError(_("not an assessment this version can read: {problem}").format(problem=type_message(first)),
                             file=str(path), field=field,
                             suggestion=_("produce it with 'advisor assess --format json'")) from None


def _ngo_only(assessment: Any) -> Any:
    return assessment.model_copy(
        update={"recommendations": tuple(r for r in assessment.recommendations if r.audience == "ngo")})


@cli.command(epilog="""\b
Exit codes: 0 compared; 2 an input could not be read or validated.
""")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@format_option(*FORMATS)
@rules_option
@engine_option
@output_options
def compare(old: Path, new: Path, fmt: str | None, rules_dir: Path | None, engine: str,
            output_path: Path | None, force: bool) -> None:
    """Compare OLD with NEW: resolved, new and persisting findings, maturity and donor rating.

    Each is a profile (assessed with the current rule base) or an assessment saved earlier with
    'advisor assess --format json' of any audience, the NGO's report included (kept as it was,
    with its rule base version).
    """
    from advisor.views.compare import compare as compare_view
    from advisor.views.screening import screen

    fmt = resolve_format(fmt, output_path, FORMATS)
    rulebase = load_rules(rules_dir)
    old_a, old_p, old_kind = _load_side(old, rulebase, engine)
    new_a, new_p, new_kind = _load_side(new, rulebase, engine)
    if NGO_REPORT in (old_kind, new_kind):
        # The NGO's report holds only the NGO's recommendations: compare those alone.
        old_a, new_a = _ngo_only(old_a), _ngo_only(new_a)
        old_kind = "assessment" if old_kind == NGO_REPORT else old_kind
        new_kind = "assessment" if new_kind == NGO_REPORT else new_kind
    if old_p is None or new_p is None:
        notice(_("an assessment JSON carries no profile: ratings are compared without the confidence check"))
        old_p = new_p = None
    result = compare_view(old_a, new_a, screen(old_a, old_p), screen(new_a, new_p),
                          old_label=str(old), new_label=str(new), old_source=old_kind, new_source=new_kind,  # type: ignore[arg-type]
                          current_ids=frozenset(r.id for r in rulebase.rules))
    if result.rulebase_note:
        notice(result.rulebase_note)
    output(result, fmt, output_path, force, render_context())
    raise SystemExit(EXIT_OK)
