"""KoboToolbox and ODK Central exports become validated profiles, one file per submission."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from advisor.cli import cli
from advisor.kobo_import import (
    import_export,
    import_records,
    profile_to_record,
    profile_yaml,
    read_export,
    submission_data,
    write_profiles,
)
from advisor.profile import Profile
from advisor.profile_io import load_profile, profile_from_data
from advisor.xlsform import form_questions
from tests.strategies import profile_data

FIXTURES = Path(__file__).parent / "fixtures" / "kobo"
PROFILES = Path(__file__).resolve().parents[1] / "profiles"


def _csv(records: list[dict[str, str]], delimiter: str) -> str:
    header = sorted({k for r in records for k in r})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _kobo_metadata(record: dict[str, str], n: int) -> dict[str, object]:
    return {
        **record,
        "_id": 1000 + n,
        "formhub/uuid": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "meta/instanceID": f"uuid:{record['_uuid']}",
        "__version__": "vDeployment123",
        "_submission_time": "2026-01-01T00:00:00",
        "_attachments": [],
    }


ROUND_TRIP_PROFILES = sorted(PROFILES.glob("*.yaml"))


@pytest.mark.parametrize("fmt", ["json", "csv;", "csv,", "central"])
def test_round_trip_through_a_kobo_shaped_export(tmp_path, fmt):
    originals = [load_profile(p) for p in ROUND_TRIP_PROFILES]
    records = [profile_to_record(p, ident=f"id-{n}") for n, p in enumerate(originals)]
    path = tmp_path / "export"
    if fmt == "json":
        path.write_text(json.dumps({"results": [_kobo_metadata(r, n) for n, r in enumerate(records)]}))
    elif fmt == "central":
        central = [
            {k.replace("/", "-"): v for k, v in r.items() if k != "_uuid"} | {"KEY": f"uuid:{r['_uuid']}", "FormVersion": "1.0"}
            for r in records
        ]
        path.write_text(_csv(central, ","))
    else:
        path.write_text(_csv(records, fmt[-1]))
    result = import_export(path)
    assert not result.failed, [str(s.error) for s in result.failed]
    assert result.unknown_columns == ()
    assert [s.profile for s in result.submissions] == originals
    assert [s.ident for s in result.submissions] == [f"id-{n}" for n in range(len(originals))]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(profile_data())
def test_round_trip_property(data):
    original = profile_from_data(data)
    record = profile_to_record(original)
    imported = import_records([json.loads(json.dumps(record))])
    (sub,) = imported.submissions
    # An empty select_multiple cannot be told from an unanswered one in an export.
    expected = profile_from_data(_without_empty_lists(original.model_dump(exclude_none=True)))
    assert sub.profile == expected


def _without_empty_lists(value):
    if isinstance(value, dict):
        return {k: _without_empty_lists(v) for k, v in value.items() if v != []}
    return value


def test_written_profile_reloads_equal(tmp_path):
    original = load_profile(PROFILES / "example.yaml")
    path = tmp_path / "p.yaml"
    path.write_text(profile_yaml(original), encoding="utf-8")
    assert load_profile(path) == original


def test_kobo_api_json_fixture(tmp_path):
    result = import_export(FIXTURES / "kobo_api.json")
    assert [s.row for s in result.imported] == [1, 2]
    (failed,) = result.failed
    assert failed.row == 3 and failed.error is not None and failed.error.field.startswith("funding.share_")
    assert "income shares together cannot exceed 100" in str(failed.error)  # the form's own message
    assert "row 3" in str(failed.error)
    older = [s.row for s in result.submissions if s.older_version]
    assert older == [2]
    first = result.imported[0].profile
    assert first is not None
    assert first.organisation.areas_served == ("urban", "rural") or first.organisation.areas_served == ["urban", "rural"]
    assert first.funding.share_foreign_pct == 75.5 and first.organisation.paid_staff == 6
    assert first.ratings.financial_sustainability is not None
    assert first.ratings.financial_sustainability.level == 2
    assert result.unknown_columns == ()


def test_kobo_csv_fixture_semicolons_and_split_columns():
    result = import_export(FIXTURES / "kobo_xml_values.csv")
    assert result.unknown_columns == ()  # start/end, the 0/1 choice columns and metadata are skipped
    assert [s.row for s in result.imported] == [1, 3]
    (failed,) = result.failed
    assert failed.row == 2 and failed.error is not None and failed.error.field == "organisation.country"
    steppe = result.imported[0].profile
    assert steppe is not None
    assert list(steppe.funding.donor_names or []) == ["Fund A", "Fund B"]
    assert steppe.ratings.strategy is not None and steppe.ratings.strategy.evidence == "Strategy 2025–2028 approved"


def test_odk_central_csv_fixture():
    result = import_export(FIXTURES / "odk_central.csv")
    assert result.unknown_columns == ()
    (ok,) = result.imported
    assert ok.ident == "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e" and not ok.older_version
    assert ok.profile is not None and ok.profile.funding.annual_budget == 12_500_000.0
    assert ok.profile.ratings.networks is not None
    assert ok.profile.ratings.networks.evidence == 'Member of two networks, "active" in one'
    (failed,) = result.failed
    assert failed.row == 2 and failed.error is not None and failed.error.field == "organisation.volunteers"


def test_cli_imports_reports_and_exits_2(tmp_path):
    out = tmp_path / "profiles"
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "kobo_api.json"), "-o", str(out)])
    assert result.exit_code == 2
    assert "row 3" in result.output and "funding" in result.output
    assert "row 2: made with form version 0.9" in result.output
    assert "imported 2 profiles" in result.output
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [
        "4c1e9d1a-2b53-4d0f-9a0e-6a7c1f2b3d4e.yaml",
        "9d2f7a3e-1c44-4b6b-8f0d-2e5a6b7c8d9e.yaml",
    ]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
        assert isinstance(load_profile(f), Profile)


def test_cli_exit_0_when_every_row_imports(tmp_path):
    export = tmp_path / "ok.json"
    export.write_text(json.dumps([profile_to_record(load_profile(PROFILES / "example.yaml"))]))
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "row-0001.yaml").exists()


def test_cli_does_not_overwrite_without_force(tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    runner.invoke(cli, ["import", str(FIXTURES / "odk_central.csv"), "-o", str(out)])
    again = runner.invoke(cli, ["import", str(FIXTURES / "odk_central.csv"), "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    forced = runner.invoke(cli, ["import", str(FIXTURES / "odk_central.csv"), "-o", str(out), "--force"])
    assert forced.exit_code == 2 and "imported 1 profile " in forced.output  # row 2 still fails


def test_unknown_column_is_reported(tmp_path):
    export = tmp_path / "x.json"
    export.write_text(json.dumps([{"organisation/paid_staf": "3", "organisation/paid_staff": "3"}]))
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert "organisation/paid_staf is not a question" in result.output


@pytest.mark.parametrize(
    "content, message",
    [("{not json", "not valid JSON"), ('{"data": 1}', "expected a list of submissions"), ("", "empty export")],
)
def test_unreadable_exports_are_one_line_errors(tmp_path, content, message):
    export = tmp_path / ("x.json" if content.startswith("{") else "x.csv")
    export.write_text(content)
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "key, value, field",
    [
        ("organisation/legally_registered", "maybe", "organisation.legally_registered"),
        ("organisation/paid_staff", "2.5", "organisation.paid_staff"),
        ("funding/reserves_months", "a lot", "funding.reserves_months"),
        ("organisation/areas_served", "urban suburban", "organisation.areas_served.1"),
        ("ratings/strategy", "7", "ratings.strategy.level"),
    ],
)
def test_bad_values_name_their_field(key, value, field):
    (sub,) = import_records([{key: value}]).submissions
    assert sub.error is not None and sub.error.field == field


def test_mapping_uses_the_xlsform_names():
    data, unknown = submission_data({q.section + "/" + q.name: "" for q in form_questions()})
    assert unknown == [] and data == {"schema_version": "1.0"}


def test_read_export_accepts_a_bom_and_a_plain_list(tmp_path):
    export = tmp_path / "x.json"
    export.write_bytes("\ufeff".encode() + json.dumps([{"a": 1}]).encode())
    assert read_export(export).records == [{"a": 1}]


def test_yaml_output_is_plain_and_ordered():
    profile = load_profile(PROFILES / "example.yaml")
    text = profile_yaml(profile)
    assert text.startswith("schema_version: '1.0'\norganisation:")
    assert yaml.safe_load(text)["funding"]["reserves_months"] == 1.0


# --- the exports people download (fixtures built by tests/fixtures/build_exports.py) ----------

from tests.fixtures import build_exports  # noqa: E402

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
BUNDLED = build_exports.bundled_profiles()


@pytest.fixture(scope="module")
def fresh_exports(tmp_path_factory):
    """The fixtures built now from the bundled profiles, so the round trip follows the model."""
    return build_exports.build(tmp_path_factory.mktemp("exports"))


@pytest.mark.parametrize("kind", sorted(build_exports.ROUND_TRIP))
def test_round_trip_profile_export_import(fresh_exports, kind):
    result = import_export(fresh_exports[kind])
    assert not result.failed, [str(s.error) for s in result.failed]
    assert result.unknown_columns == ()
    expected = [p for _, p in BUNDLED]
    if kind == "kobo_split_only.csv":  # 0/1 columns only: the choices come back in form order
        expected = [_choices_in_form_order(p) for p in expected]
    assert [s.profile for s in result.submissions] == expected


def _choices_in_form_order(profile):
    data = profile.model_dump(exclude_none=True)
    for q in form_questions():
        if q.kind == "choices" and data.get(q.section, {}).get(q.name):
            data[q.section][q.name] = [c for c in q.spec.choices if c in data[q.section][q.name]]
    return profile_from_data(data)


@pytest.mark.parametrize("kind", sorted(build_exports.ROUND_TRIP))
def test_committed_fixture_imports_every_row(kind):
    result = import_export(EXPORTS / kind)
    assert not result.failed and not result.skipped and len(result.imported) == len(BUNDLED)


def test_kobo_default_xlsx_is_read_not_refused():
    result = import_export(EXPORTS / "kobo_default_ru.xlsx")
    assert result.kind == "XLSX workbook"
    shares = [s.profile.funding.share_foreign_pct for s in result.imported if s.profile.funding.share_foreign_pct is not None]
    assert shares and all(isinstance(b, float) for b in shares)
    sheet = openpyxl.load_workbook(EXPORTS / "kobo_default_ru.xlsx", read_only=True).worksheets[0]
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    assert sum(h.startswith("Финансирование/") for h in header) >= 10  # labels, groups in headers
    assert isinstance(first[header.index("_id")], int)  # numbers are stored as numbers


@pytest.mark.parametrize(
    "kind, encoding",
    [
        ("excel_cp1251.csv", "Windows-1251"),
        ("excel_unicode.txt", "UTF-16"),
        ("kobo_labels_no_groups.csv", "UTF-8 with byte-order mark"),
        ("kobo_labels_en.csv", "UTF-8 text"),
    ],
)
def test_the_encoding_found_is_named(kind, encoding):
    (message,) = import_export(EXPORTS / kind).notices
    assert encoding in message and kind in message


def test_headers_by_label_in_russian_with_split_choice_columns():
    result = import_export(EXPORTS / "kobo_default_ru.xlsx")
    by_name = {p.organisation.name: p for p in (s.profile for s in result.imported) if p is not None}
    expected = {p.organisation.name: p for _, p in BUNDLED}
    assert by_name == expected


def test_split_columns_alone_carry_select_multiple_answers():
    text = (EXPORTS / "kobo_split_only.csv").read_text(encoding="utf-8")
    assert '"organisation/areas_served";' not in text and '"organisation/areas_served/rural"' in text
    answered = [p for _, p in BUNDLED if p.organisation.areas_served]
    assert answered, "a bundled profile must answer areas_served for this test to mean something"
    imported = [s.profile for s in import_export(EXPORTS / "kobo_split_only.csv").imported]
    assert [p.organisation.areas_served for p in imported] == [
        _choices_in_form_order(p).organisation.areas_served for _, p in BUNDLED
    ]


def test_legacy_csv_n_a_is_blank():
    assert '"n/a"' in (EXPORTS / "kobo_legacy.csv").read_text(encoding="utf-8")
    profiles = [s.profile for s in import_export(EXPORTS / "kobo_legacy.csv").imported]
    assert profiles == [p for _, p in BUNDLED]


@pytest.mark.parametrize("kind, reason", [("kobo_review.csv", "Not Approved"), ("central_review.csv", "rejected")])
def test_rejected_submissions_are_skipped_with_their_reason(tmp_path, kind, reason):
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / kind), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (skipped,) = [line for line in result.output.splitlines() if line.startswith("advisor: skipped")]
    assert reason in skipped and "row 1" in skipped and "--include-rejected" in skipped
    written = len(list((tmp_path / "out").iterdir()))
    forced = CliRunner().invoke(cli, ["import", str(EXPORTS / kind), "-o", str(tmp_path / "all"), "--include-rejected"])
    assert forced.exit_code == 0 and len(list((tmp_path / "all").iterdir())) == written + 1


def test_a_paged_download_warns_about_the_next_page(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / "kobo_api_paged.json"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "2 of 25 submissions" in result.output and "start=2" in result.output


def test_odata_next_link_warns_too(tmp_path):
    export = tmp_path / "odata.json"
    export.write_text(build_exports.odata(BUNDLED[:1], next_link=True), encoding="utf-8")
    (message,) = import_export(export).notices
    assert "skiptoken" in message


def test_colliding_file_names_write_two_files(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / "collision.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(f.name for f in out.iterdir()) == ["row-0001-2.yaml", "row-0001.yaml"]
    assert "imported 2 profiles" in result.output


def test_names_differing_in_case_only_do_not_collide_on_windows(tmp_path):
    records = [{"organisation/paid_staff": "3", "_uuid": "Abc"}, {"organisation/paid_staff": "4", "_uuid": "aBC"},
               {"organisation/paid_staff": "5", "_uuid": "con"}]
    written = write_profiles(import_records(records), tmp_path)
    assert [p.name for p in written] == ["Abc.yaml", "aBC-2.yaml", "id-con.yaml"]


def test_a_file_of_another_form_is_exit_2_not_empty_profiles(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / "other_form.csv"), "-o", str(out)])
    assert result.exit_code == 2 and "no column is a question of the advisor form" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_a_row_without_answers_is_exit_2_naming_its_ids(tmp_path):
    export = tmp_path / "x.csv"
    export.write_text("organisation/paid_staff;_id;_uuid\n5;1;u-1\n;2;u-2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "row 2 (_id 2, _uuid u-2)" in result.output and "answers no question" in result.output
    assert [f.name for f in (tmp_path / "out").iterdir()] == ["u-1.yaml"]


@pytest.mark.parametrize(
    "content, message",
    [("[" * 100_000 + "]" * 100_000, "nested deeper"), ('[{"organisation/paid_staff": 1' + "0" * 5000 + "}]", "digits"),
     ("[" * 40 + "]" * 40, "nested deeper")],
)
def test_deep_or_huge_json_is_one_line_exit_2(tmp_path, content, message):
    export = tmp_path / "x.json"
    export.write_text(content)
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_binary_garbage_is_one_line(tmp_path):
    export = tmp_path / "x.xlsx"
    export.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "x.xlsx" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_label_spelling_names_one_column():
    from advisor.collect.columns import column_index

    index = column_index()
    assert [k for k, v in index.items() if v is None] == []


def test_decimal_comma_and_labels_of_choices_are_read():
    (sub,) = import_records([{"Финансирование/Какая доля дохода пришлась на иностранных доноров и международные НКО?": "75,5",
                              "organisation.areas_served": "Город Село", "controls-written_procedures": "Да"}]).submissions
    assert sub.profile is not None, sub.error
    assert sub.profile.funding.share_foreign_pct == 75.5
    assert list(sub.profile.organisation.areas_served or []) == ["urban", "rural"]
    assert sub.profile.controls.written_procedures is True


def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path):
    export = tmp_path / "x.txt"
    export.write_bytes("organisation/paid_staff\t_uuid\r\n7\tu-1\r\n".encode("utf-16-le"))
    result = import_export(export)
    assert "UTF-16 little-endian" in result.notices[0]
    assert result.imported[0].profile.organisation.paid_staff == 7


def test_a_zip_without_the_submissions_table_is_one_line(tmp_path):
    import zipfile

    export = tmp_path / "x.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("media/photo.jpg", b"\xff\xd8")
    result = CliRunner().invoke(cli, ["import", str(export), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "without the submissions table" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_existing_profile_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "row-0001.yaml").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(EXPORTS / "collision.json"), "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert (out / "row-0001.yaml").read_text(encoding="utf-8") == "mine"
    assert sorted(f.name for f in out.iterdir()) == ["row-0001.yaml"]
