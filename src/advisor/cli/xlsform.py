"""advisor xlsform: the self-assessment as an XLSForm for KoboToolbox / ODK."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The .xlsx file to write (owner-only, atomic).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def xlsform(output: Path, force: bool) -> None:
    """Write the self-assessment as an XLSForm (English, Russian, Kazakh) for KoboToolbox or ODK.

    The form opens in the language of --lang (default English); the other two are a click away.
    """
    from advisor.i18n import _, current_language
    from advisor.xlsform import FORM_VERSION, write_form

    write_form(output, lang=current_language(), force=force)
    notice(_("wrote {path} (form version {version})").format(path=output, version=FORM_VERSION))
