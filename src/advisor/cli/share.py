"""advisor share: a redacted copy of a profile for a donor or a trainer."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.cli import cli, notice
from advisor.cli.common import plaintext_option, seal_output


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--for", "audience", type=click.Choice(["donor", "trainer"]), required=True,
              help="Who receives the copy (decides what is removed or put in bands).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The copy to write (owner-only, atomic).")
@click.option("--keep-register", is_flag=True,
              help="Keep foreign-funding reporting, register and 'foreign agent' labelling answers.")
@click.option("--recipient", "recipients", multiple=True, metavar="KEY",
              help="Encrypt the copy to this age or SSH public key (e.g. the donor's); repeatable.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@plaintext_option
def share(profile: Path, audience: str, output: Path, keep_register: bool,
          recipients: tuple[str, ...], force: bool) -> None:
    """Write a copy of PROFILE for a donor or trainer, with sensitive answers removed or coarsened.

    What was removed or coarsened is listed on standard error. The copy is a valid profile
    that 'advisor assess' and 'advisor screen' accept.
    """
    from advisor.files import write_private
    from advisor.interview import profile_yaml
    from advisor.profile_io import load_profile
    from advisor.redact import redact

    loaded = load_profile(profile)
    shared, changes = redact(loaded, audience, keep_register=keep_register,  # type: ignore[arg-type]
                             name=str(output))
    text = f"# advisor profile, redacted for a {audience} (advisor share)\n" + profile_yaml(shared)
    payload, how = seal_output(text.encode("utf-8"), output, recipients)
    write_private(output, payload, force=force)
    for change in changes:
        click.echo(f"  {change.line()}", err=True)
    notice(f"wrote {output} for a {audience}: {len(changes)} answer(s) removed or coarsened"
           + (f"; {how}" if how else ""))
