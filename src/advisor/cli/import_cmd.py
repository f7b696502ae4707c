"""advisor import: KoboToolbox / ODK Central exports into one profile file per submission."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.errors import EXIT_ERROR, EXIT_OK


@cli.command("import", epilog="""\b
Exit codes:
  0  every submission was imported (or skipped for its review status)
  2  a submission failed (the others are still written), no column of the file is a
     question of the form, the file cannot be read, or a profile file already exists
""")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "directory", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Directory for the profiles, one <uuid or row>.yaml per submission (created if missing).")
@click.option("--include-rejected", is_flag=True,
              help="Also import submissions a reviewer marked \"Not Approved\" (Kobo) or rejected (ODK Central).")
@click.option("--force", is_flag=True, help="Replace profile files that already exist.")
def import_(export: Path, directory: Path, include_rejected: bool, force: bool) -> None:
    """Import a KoboToolbox or ODK Central export as validated profiles.

    EXPORT is the file as downloaded: KoboToolbox's XLSX or CSV (XML names or labels in
    English, Russian or Kazakh as headers, any group separator, select_multiple in one or
    in separate columns, the legacy CSV too) or its API JSON; ODK Central's CSV, its zip of
    "all data and attachments" or its OData JSON. A CSV saved again by Excel (Windows-1251,
    or "Unicode text") is read too; the encoding found is named.

    Rows that do not validate are reported with their row number, identifier and field; the
    others are still written. Submissions a reviewer rejected are skipped and listed.
    """
    from advisor.i18n import _, ngettext
    from advisor.kobo_import import import_export, write_profiles
    from advisor.xlsform import FORM_VERSION

    result = import_export(export, include_rejected=include_rejected)
    for message in result.notices:
        notice(message)
    if not result.submissions:
        notice(_("no submissions found in {path}").format(path=export))
        raise SystemExit(EXIT_OK)
    for column in result.unknown_columns:
        notice(_("column {column} is not a question of this form; ignored").format(column=column))
    for sub in result.submissions:
        if sub.older_version and sub.skipped is None:
            notice(
                _("row {row}: made with form version {version}; the current form is {current}").format(
                    row=sub.row, version=sub.version, current=FORM_VERSION
                )
            )
    for sub in result.skipped:
        notice(f"skipped {export}: {sub.where}: {sub.skipped} (--include-rejected imports it)")
    for sub in result.failed:
        assert sub.error is not None
        notice(_("not imported: {error}").format(error=sub.error))
    written = write_profiles(result, directory, force=force)
    notice(
        ngettext("imported {n} profile into {directory}", "imported {n} profiles into {directory}",
                 len(written)).format(n=len(written), directory=directory)
    )
    if result.failed:
        failed = len(result.failed)
        notice(ngettext("{n} submission failed", "{n} submissions failed", failed).format(n=failed))
        raise SystemExit(EXIT_ERROR)
    raise SystemExit(EXIT_OK)
