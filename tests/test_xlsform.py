"""The XLSForm is generated from the Profile model and converts cleanly with pyxform."""

from __future__ import annotations

import io
import stat

import openpyxl
import pytest
from click.testing import CliRunner
from pyxform.xls2xform import convert

from advisor.cli import cli
from advisor.facts import catalogue
from advisor.profile import SCHEMA_VERSION
from advisor.xlsform import FORM_ID, form_bytes, form_questions, form_sheets

LANG_COLUMNS = ("English (en)", "Russian (ru)", "Kazakh (kk)")


@pytest.fixture(scope="module")
def sheets():
    return form_sheets()


@pytest.fixture(scope="module")
def survey(sheets):
    header, *rows = sheets["survey"]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_pyxform_converts_the_form_without_error_or_warning(tmp_path):
    path = tmp_path / "assessment.xlsx"
    path.write_bytes(form_bytes())
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert warnings == [] and result.warnings == []
    xform = result.xform
    for column in LANG_COLUMNS:
        assert f'<translation lang="{column}"' in xform or f"<translation default=\"true()\" lang=\"{column}\"" in xform
    assert f'id="{FORM_ID}"' in xform and f'version="{SCHEMA_VERSION}"' in xform


def test_every_profile_field_is_asked_once(survey):
    names = [r["name"] for r in survey if r["type"] not in ("begin_group", "end_group", "calculate")]
    assert len(names) == len(set(names))
    expected = {q.name for q in form_questions()}
    assert set(names) == expected
    for path, spec in catalogue().items():
        assert path.split(".")[1] in names
        if spec.kind == "rating":
            assert f"{path.split('.')[1]}_evidence" in names


def test_groups_follow_the_profile_sections(survey):
    opened = [r["name"] for r in survey if r["type"] == "begin_group"]
    closed = [r["name"] for r in survey if r["type"] == "end_group"]
    assert opened == closed == list(dict.fromkeys(p.split(".")[0] for p in catalogue()))


def test_question_types_and_lists(sheets, survey):
    by_name = {r["name"]: r for r in survey}
    lists = {row[0] for row in sheets["choices"][1:]}
    assert by_name["legally_registered"]["type"] == "select_one yes_no"
    assert by_name["areas_served"]["type"] == "select_multiple areas_served"
    assert by_name["relationship"]["type"] == "select_one relationship"
    assert by_name["paid_staff"]["type"] == "integer"
    assert by_name["reserves_months"]["type"] == "decimal"
    assert by_name["strategy"]["type"] == "select_one rating_level"
    assert by_name["strategy_evidence"]["type"] == "text"
    for row in survey:
        if row["type"].startswith(("select_one ", "select_multiple ")):
            assert row["type"].split()[1] in lists
    ratings = [row[1] for row in sheets["choices"][1:] if row[0] == "rating_level"]
    assert ratings == ["1", "2", "3", "4"]


def test_bounds_become_constraints_with_messages(survey):
    by_name = {r["name"]: r for r in survey}
    assert ". >= 1 and . <= 240" in by_name["typical_grant_months"]["constraint"]
    assert "12" not in by_name["typical_grant_months"]["constraint_message::English (en)"]
    assert "1" in by_name["typical_grant_months"]["constraint_message::English (en)"]
    assert "coalesce(${share_foreign_pct}, 0)" in by_name["share_state_pct"]["constraint"]
    for row in survey:
        if row["constraint"]:
            for column in LANG_COLUMNS:
                assert row[f"constraint_message::{column}"], (row["name"], column)


def test_skip_logic(survey):
    by_name = {r["name"]: r for r in survey}
    foreign = "${share_foreign_pct} = '' or ${share_foreign_pct} > 0"
    assert foreign in by_name["reporting_obligation"]["relevant"]
    assert foreign in by_name["reports_filed_on_time"]["relevant"]
    assert "${reporting_obligation} != 'no'" in by_name["reports_filed_on_time"]["relevant"]
    assert by_name["strategy_evidence"]["relevant"] == "${strategy} != ''"
    assert by_name["paid_staff"]["relevant"] == ""


def test_nothing_is_required_that_the_model_leaves_optional(survey):
    # Every Profile question is optional (None = not answered), so no question is required.
    assert all(r["required"] == "" for r in survey)


def test_labels_and_hints_in_three_languages(survey):
    for row in survey:
        if row["type"] in ("end_group", "calculate"):
            continue
        labels = [row[f"label::{c}"] for c in LANG_COLUMNS]
        assert all(labels), row["name"]
        assert len(set(labels)) == 3, f"{row['name']}: a label is not translated"
    by_name = {r["name"]: r for r in survey}
    assert by_name["reserves_months"]["hint::English (en)"] == "In months"
    assert by_name["reserves_months"]["hint::Russian (ru)"] == "В месяцах"
    assert by_name["reserves_months"]["label::English (en)"] == catalogue()["funding.reserves_months"].question


def test_settings_tie_the_version_to_the_profile_schema(sheets):
    header, values = sheets["settings"]
    settings = dict(zip(header, values, strict=True))
    assert settings["version"] == SCHEMA_VERSION
    assert settings["form_id"] == FORM_ID
    assert settings["default_language"] == "English (en)"


def test_workbook_has_the_three_sheets():
    book = openpyxl.load_workbook(io.BytesIO(form_bytes()))
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_cli_writes_owner_only_and_does_not_clobber(tmp_path):
    out = tmp_path / "assessment.xlsx"
    runner = CliRunner()
    result = runner.invoke(cli, ["xlsform", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert openpyxl.load_workbook(out).sheetnames == ["survey", "choices", "settings"]
    again = runner.invoke(cli, ["xlsform", "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    forced = runner.invoke(cli, ["xlsform", "-o", str(out), "--force"])
    assert forced.exit_code == 0


def test_cli_needs_an_output(tmp_path):
    result = CliRunner().invoke(cli, ["xlsform"])
    assert result.exit_code == 2


# --- settings, defaults, languages -------------------------------------------------------


def test_instance_name_pages_and_defaults(sheets, survey):
    header, values = sheets["settings"]
    settings = dict(zip(header, values, strict=True))
    assert settings["style"] == "pages"
    assert "${name}" in settings["instance_name"]
    by_name = {r["name"]: r for r in survey}
    assert by_name["country"]["default"] == "KZ" and by_name["currency"]["default"] == "KZT"


@pytest.mark.parametrize("lang, column", [("en", "English (en)"), ("ru", "Russian (ru)"), ("kk", "Kazakh (kk)")])
def test_default_language_follows_lang(tmp_path, lang, column):
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(cli, ["--lang", lang, "xlsform", "-o", str(out)])
    assert result.exit_code == 0, result.output
    settings = openpyxl.load_workbook(out)["settings"]
    header, values = ([c.value for c in row] for row in settings.iter_rows(max_row=2))
    assert dict(zip(header, values))["default_language"] == column
    xform = convert(xlsform=str(out)).xform
    assert f'<translation lang="{column}" default="true()">' in xform
    assert xform.count('default="true()"') == 1


def test_the_form_file_is_the_same_bytes_each_time():
    assert form_bytes("ru") == form_bytes("ru")


def test_evidence_labels_are_distinct(survey):
    for column in LANG_COLUMNS:
        labels = [r[f"label::{column}"] for r in survey if r["name"].endswith("_evidence")]
        assert len(labels) == len(set(labels)) == 12


def test_odk_validate_accepts_the_form(tmp_path):
    """ODK Validate (bundled with pyxform) needs Java; CI runs it (.ci/run)."""
    import shutil

    if shutil.which("java") is None:
        pytest.skip("Java is not installed: ODK Validate cannot run (CI installs it)")
    path = tmp_path / "assessment.xlsx"
    path.write_bytes(form_bytes())
    result = convert(xlsform=str(path), validate=True)  # raises ODKValidateError on a bad form
    assert result.xform


# --- one source for the constraints of the form and the import ----------------------------


def test_cross_field_constraints_come_from_the_shared_checks(survey):
    from advisor.collect.constraints import CHECKS, xpath

    by_name = {r["name"]: r for r in survey}
    for check in CHECKS:
        assert xpath(check) in by_name[check.field]["constraint"]
    largest = by_name["largest_source_pct"]["constraint"]
    assert ". <= ${share_state_pct} + ${share_foreign_pct}" in largest
    assert "share" in by_name["largest_source_pct"]["constraint_message::English (en)"]
