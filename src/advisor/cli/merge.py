"""advisor merge: several respondents' profiles of one organisation, combined without guessing."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import output as output_view
from advisor.cli.common import plaintext_option, render_context, seal_output
from advisor.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from advisor.reporters import MERGE
from advisor.i18n import _

OUTPUTS = {"merge": {MERGE: ("table", "json")}}


@cli.command(epilog="""\b
Exit codes:
  0  merged; every fact the respondents gave agrees
  1  merged, but some facts conflict: they are left unanswered in OUT and listed
  2  an input could not be read or validated, or OUT exists (use --force)
""")
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The merged profile (.yaml, .yml or .json), written owner-only.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@plaintext_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to report conflicts and ratings on stdout.")
def merge(profiles: tuple[Path, ...], output: Path, force: bool, fmt: str) -> None:
    """Merge PROFILE files from several respondents of one organisation into OUT.

    Facts that agree are kept; conflicting facts are left unanswered and listed with who said
    what; self-ratings become the median (rounded down) with their spread, and areas where the
    respondents differ by 2 or more are flagged.
    """
    import json

    import yaml

    from advisor.files import write_private
    from advisor.merge import Respondent, merge as merge_profiles, respondent_names
    from advisor.profile_io import load_profile

    if len(profiles) < 2:
        raise UsageError(_("merge needs at least two profiles"))
    if output.exists() and not force:
        from advisor.errors import OutputError

        raise OutputError(_("already exists; not overwritten"), file=str(output),
                          suggestion=_("use --force to replace it"))
    loaded = [load_profile(p) for p in profiles]
    names = respondent_names([str(p) for p in profiles])
    result = merge_profiles([Respondent(n, p) for n, p in zip(names, loaded, strict=True)])
    data = result.profile.model_dump(mode="json", exclude_none=True)
    if output.suffix.lower() == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    payload, how = seal_output(text.encode("utf-8"), output)
    write_private(output, payload, force=force)
    notice(_("wrote {path}").format(path=output) + (f" ({how})" if how else ""))
    output_view(result, fmt, None, False, render_context())
    raise SystemExit(EXIT_FINDINGS if result.conflicts else EXIT_OK)
