"""Rule texts follow --lang: translated where the rule carries a translation, English otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from advisor.cli import cli
from tests.rules.test_loader import GAP, REC, make_base

RU = """
i18n:
  ru:
    title: "Гранты слишком короткие для планирования"
    doc:
      what: "Типичный грант организации длится меньше года."
      why: "Годичное финансирование обрывает планы и команду в конце каждого гранта."
      action: "Договаривайтесь о грантах на два года и более с нынешними донорами."
"""


def test_titles_follow_the_language(tmp_path: Path) -> None:
    rules = make_base(tmp_path, {"fin/a.yaml": GAP + RU, "rec/b.yaml": REC})
    profile = tmp_path / "p.yaml"
    profile.write_text('schema_version: "1.0"\nfunding: {typical_grant_months: 6}\n')
    runner = CliRunner()
    args = ["assess", str(profile), "--format", "json", "--rules", str(rules)]
    ru = json.loads(runner.invoke(cli, ["--lang", "ru", *args]).stdout)
    en = json.loads(runner.invoke(cli, ["--lang", "en", *args]).stdout)
    assert ru["findings"][0]["title"] == "Гранты слишком короткие для планирования"
    assert en["findings"][0]["title"] == "Grants too short to plan"
    # No translation for the recommendation: English is the fallback, never an empty text.
    assert ru["recommendations"][0]["title"] == en["recommendations"][0]["title"] == "Offer a longer grant"
    # Language changes texts, never results.
    assert [f["id"] for f in ru["findings"]] == [f["id"] for f in en["findings"]]
