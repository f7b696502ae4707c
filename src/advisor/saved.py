"""Recognising the JSON files advisor writes, and reading saved assessments back.

``advisor compare`` takes, on either side, a profile or an assessment saved earlier: the
output of ``advisor assess --format json`` (any audience) or the NGO's report
(``advisor assess --audience ngo --format json``, recognised by its ``report`` field). Other
JSON that advisor writes (a plan, a screening, a comparison, …) is recognised too, so that a
command given one by mistake can say what it is instead of "unknown field".
"""

from __future__ import annotations

from typing import Any

from advisor.errors import InputFileError

# What each kind of saved file is, and the command that writes it (one entry per kind, so
# the texts can be translated as they are).
ASSESSMENT = "assessment"
NGO_REPORT = "ngo-self-assessment"
KINDS: dict[str, tuple[str, str]] = {
    ASSESSMENT: ("an assessment", "advisor assess --format json"),
    NGO_REPORT: ("the NGO's report", "advisor assess --audience ngo --format json"),
    "capacity-plan": ("a capacity plan", "advisor plan --format json"),
    "screening": ("a screening", "advisor screen --format json"),
    "portfolio": ("a portfolio screening", "advisor screen --format json"),
    "comparison": ("a comparison", "advisor compare --format json"),
    "merge": ("a merge report", "advisor merge --format json"),
    "rule-list": ("a list of rules", "advisor rules list --format json"),
    "coverage": ("a coverage report", "advisor rules coverage --format json"),
}
COMPARABLE = (ASSESSMENT, NGO_REPORT)


def saved_kind(data: Any) -> str | None:
    """Which advisor output ``data`` is (a key of KINDS), or None for anything else."""
    if not isinstance(data, dict):
        return None
    keys = data.keys()
    report = data.get("report")
    if isinstance(report, str) and report in KINDS:
        return report
    if {"engine", "rulebase", "profile", "findings", "areas"} <= keys:
        return ASSESSMENT
    if {"old", "new", "rulebase_note"} <= keys:
        return "comparison"
    if {"organisations", "summary"} <= keys:
        return "portfolio"
    if {"risk", "grant", "profile_hash"} <= keys:
        return "screening"
    if {"respondents", "agreed", "conflicts"} <= keys:
        return "merge"
    if {"version", "hash", "rules"} <= keys:
        return "rule-list"
    if {"statements", "covered", "uncovered"} <= keys:
        return "coverage"
    return None


def not_a_profile(kind: str, name: str) -> InputFileError:
    """The error for a saved output given where a profile is expected."""
    what, command = KINDS[kind]
    return InputFileError(f"is {what} saved by '{command}', not a profile", file=name,
                          suggestion="give the profile it was made from")


def not_comparable(kind: str, name: str) -> InputFileError:
    what, command = KINDS[kind]
    return InputFileError(f"is {what} saved by '{command}'; compare reads profiles and assessments",
                          file=name, suggestion="give the profile, or save it with 'advisor assess --format json'")


def _finding(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"], "kind": item["kind"], "area": item["area"], "severity": item["severity"],
        "title": item["title"],
        "evidence": [{"field": e["field"], "value": e["value"]} for e in item["evidence"]],
        "because": list(item["combines"]), "sources": list(item["sources"]),
    }


def assessment_data_from_ngo_report(report: Any, rule_count: int = 0) -> dict[str, Any]:
    """The assessment JSON an NGO report (a validated ``NgoReport``, as plain data) was made
    from, as far as the report keeps it: its findings, the NGO's recommendations and the
    areas. The trace and the other audiences' recommendations are not in a report."""
    findings: dict[str, dict[str, Any]] = {}
    for item in report["strengths"]:
        findings[item["id"]] = _finding(item)
    for area in report["areas"]:
        for item in area["gaps"]:
            findings[item["id"]] = _finding(item)
    for action in report["actions"]:
        for reason in action["why"]:
            findings.setdefault(reason["finding"]["id"], _finding(reason["finding"]))
    recommendations = [
        {
            "id": a["id"], "audience": "ngo", "area": a["area"], "priority": a["priority"],
            "urgency": a["urgency"], "title": a["title"],
            "because": sorted({r["finding"]["id"] for r in a["why"]}),
            "evidence": [{"field": e["field"], "value": e["value"]} for e in a["evidence"]],
            "advice": {"who": a["who"], "first_step": a["first_step"], "timeframe": a["timeframe"],
                       "action": a["action"]},
            "modules": list(a["modules"]), "sources": list(a["sources"]),
        }
        for a in report["actions"]
    ]
    areas = [
        {
            "area": a["area"], "title": a["title"], "maturity": a["maturity"], "self_rating": a["self_rating"],
            "capped_by": list(a["capped_by"]),
            "strengths": [s["id"] for s in report["strengths"] if s["area"] == a["area"]],
            "gaps": [g["id"] for g in a["gaps"]],
        }
        for a in report["areas"]
    ]
    return {
        "schema_version": "1.0",
        "engine": report["engine"],
        "rulebase": {"version": report["rulebase_version"], "hash": report["rulebase_hash"], "rule_count": rule_count},
        "profile": {"name": report["organisation"], "hash": report["profile_hash"], "schema_version": "1.0"},
        "findings": [findings[k] for k in sorted(findings)],
        "recommendations": recommendations,
        "areas": areas,
        "unanswered_areas": list(report["unanswered_areas"]),
        "unanswered": [
            {"field": u["field"], "question": u["question"], "rules": [w["id"] for w in u["withholds"]]}
            for u in report["unanswered"]
        ],
        "trace": [],
    }
