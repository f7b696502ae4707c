"""advisor schema profile | rule: the JSON Schemas, printed."""

from __future__ import annotations

import click

from advisor.cli import cli
from advisor.reporters.json_format import to_json


@cli.command()
@click.argument("which", type=click.Choice(["profile", "rule"]))
def schema(which: str) -> None:
    """Print the JSON Schema of a profile or of a rule file."""
    from advisor.schemas import profile_schema, rule_schema

    click.echo(to_json(profile_schema() if which == "profile" else rule_schema()), nl=False)
