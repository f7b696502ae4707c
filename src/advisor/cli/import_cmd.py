"""advisor import: KoboToolbox / ODK Central exports into one profile file per submission."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.errors import EXIT_ERROR, EXIT_OK


@cli.command("import")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "directory", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Directory for the profiles, one <uuid or row>.yaml per submission (created if missing).")
@click.option("--force", is_flag=True, help="Replace profile files that already exist.")
def import_(export: Path, directory: Path, force: bool) -> None:
    """Import a KoboToolbox (JSON or CSV) or ODK Central (CSV) export as validated profiles.

    Rows that do not validate are reported with their row number and field; the others are
    still written. Exit code 2 if any row failed.
    """
    from advisor.i18n import _, ngettext
    from advisor.kobo_import import import_export, write_profiles
    from advisor.xlsform import FORM_VERSION

    result = import_export(export)
    if not result.submissions:
        notice(_("no submissions found in {path}").format(path=export))
        raise SystemExit(EXIT_OK)
    for column in result.unknown_columns:
        notice(_("column {column} is not a question of this form; ignored").format(column=column))
    for sub in result.submissions:
        if sub.older_version:
            notice(
                _("row {row}: made with form version {version}; the current form is {current}").format(
                    row=sub.row, version=sub.version, current=FORM_VERSION
                )
            )
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
