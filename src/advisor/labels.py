"""What every key and enum value reads as, in the current language (or ``lang``).

Reports, templates and terminal reporters show keys by these labels, never the keys
themselves: the twelve capacity areas, the CIVICUS diamond's dimensions, finding kinds,
severities, maturity levels, screening ratings and condition kinds, confidence levels,
audiences, comparison statuses, yes/no and "unanswered". The English texts are the msgids
of the gettext catalogue (``advisor/locale``); a short word that could mean two things
carries a context (``pgettext("severity", "high")``).

Answer choices of the profile (``urban``, ``peri_urban`` …) are labelled by
``advisor.i18n.choice_label`` from ``questions_i18n``, where the questions live.
"""

from __future__ import annotations

from advisor.i18n import N_, current_language, pgettext, translation

AREA_TITLES: dict[str, str] = {
    "governance": N_("Identity, governance and legal standing"),
    "strategy": N_("Strategy, leadership and adaptive capacity"),
    "financial_management": N_("Financial management and internal controls"),
    "financial_sustainability": N_("Financial sustainability and resource mobilisation"),
    "human_resources": N_("Human resources and volunteers"),
    "project_design": N_("Programme and project design"),
    "monitoring_evaluation": N_("Monitoring, evaluation and learning"),
    "advocacy": N_("Advocacy, external relations and public image"),
    "accountability": N_("Values, accountability and safeguarding"),
    "local_ownership": N_("Constituency, civic engagement and local ownership"),
    "networks": N_("Networks, coordination and sector infrastructure"),
    "context": N_("External environment and context risk"),
}

DIMENSION_TITLES: dict[str, str] = {
    "civic_engagement": N_("Civic engagement"),
    "level_of_organisation": N_("Level of organisation"),
    "practice_of_values": N_("Practice of values"),
    "perception_of_impact": N_("Perception of impact"),
    "external_environment": N_("External environment"),
}

# (context, key) -> English label; the context keeps "high" the severity apart from
# "high" the confidence level, and "risk" the kind apart from "High" the rating.
_CONTEXT_LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "gap": "gap",
        "strength": "strength",
        "risk": "risk",
        "opportunity": "opportunity",
        "recommendation": "recommendation",
        "note": "note",
    },
    "severity": {
        "info": "info",
        "low": "low",
        "medium": "medium",
        "high": "high",
        "critical": "critical",
    },
    "rating": {
        "Low": "Low",
        "Moderate": "Moderate",
        "Significant": "Significant",
        "High": "High",
    },
    "confidence": {
        "high": "high",
        "medium": "medium",
        "low": "low",
        "unknown": "unknown",
    },
    "condition": {
        "assurance": "assurance",
        "protection": "protection",
        "support": "support",
    },
    "audience": {
        "ngo": "NGO",
        "donor": "donor",
        "trainer": "trainer",
    },
    "status": {
        "resolved": "resolved",
        "new": "new",
        "persists": "persists",
        "rule_gone": "rule no longer exists",
    },
    "change": {
        "better": "better",
        "worse": "worse",
        "same": "same",
        "unknown": "unknown",
    },
    "reason": {
        "recommended": "recommended",
        "addresses_finding": "addresses a finding",
        "prerequisite": "prerequisite",
    },
    "format": {
        "workshop": "workshop",
        "mentoring": "mentoring",
        "peer_exchange": "peer exchange",
        "e_learning": "e-learning",
    },
}

def _msgids_with_context() -> tuple[str, ...]:  # pragma: no cover - never called
    """Only for Babel: it extracts each label above with its context from these calls."""
    return (
    pgettext("kind", "gap"), pgettext("kind", "strength"), pgettext("kind", "risk"),
    pgettext("kind", "opportunity"), pgettext("kind", "recommendation"), pgettext("kind", "note"),
    pgettext("severity", "info"), pgettext("severity", "low"), pgettext("severity", "medium"),
    pgettext("severity", "high"), pgettext("severity", "critical"),
    pgettext("rating", "Low"), pgettext("rating", "Moderate"), pgettext("rating", "Significant"),
    pgettext("rating", "High"),
    pgettext("confidence", "high"), pgettext("confidence", "medium"), pgettext("confidence", "low"),
    pgettext("confidence", "unknown"),
    pgettext("condition", "assurance"), pgettext("condition", "protection"),
    pgettext("condition", "support"),
    pgettext("audience", "NGO"), pgettext("audience", "donor"), pgettext("audience", "trainer"),
    pgettext("status", "resolved"), pgettext("status", "new"), pgettext("status", "persists"),
    pgettext("status", "rule no longer exists"),
    pgettext("change", "better"), pgettext("change", "worse"), pgettext("change", "same"),
    pgettext("change", "unknown"),
    pgettext("reason", "recommended"), pgettext("reason", "addresses a finding"),
    pgettext("reason", "prerequisite"),
    pgettext("format", "workshop"), pgettext("format", "mentoring"),
    pgettext("format", "peer exchange"), pgettext("format", "e-learning"),
    )

MATURITY_NAMES: dict[int, str] = {
    1: N_("clear need"),
    2: N_("basic"),
    3: N_("moderate"),
    4: N_("high capacity"),
}


def _in(lang: str | None) -> str:
    return lang or current_language()


def _gettext(message: str, lang: str | None) -> str:
    return translation(_in(lang)).gettext(message)


def label(context: str, key: str, lang: str | None = None) -> str:
    """The label of ``key`` in a vocabulary: ``label("severity", "high")`` → "высокая"."""
    english = _CONTEXT_LABELS[context].get(key)
    if english is None:
        return key
    return translation(_in(lang)).pgettext(context, english)


def area_title(key: str, lang: str | None = None) -> str:
    english = AREA_TITLES.get(key)
    return _gettext(english, lang) if english else key


def dimension_title(key: str, lang: str | None = None) -> str:
    english = DIMENSION_TITLES.get(key)
    return _gettext(english, lang) if english else key


def kind_label(kind: str, lang: str | None = None) -> str:
    return label("kind", kind, lang)


def severity_label(severity: str, lang: str | None = None) -> str:
    return label("severity", severity, lang)


def rating_label(rating: str, lang: str | None = None) -> str:
    """A screening rating (Low / Moderate / Significant / High)."""
    return label("rating", rating, lang)


def confidence_label(level: str, lang: str | None = None) -> str:
    return label("confidence", level, lang)


def condition_kind_label(kind: str, lang: str | None = None) -> str:
    return label("condition", kind, lang)


def audience_label(audience: str, lang: str | None = None) -> str:
    return label("audience", audience, lang)


def maturity_name(level: int, lang: str | None = None) -> str:
    """``3`` → "moderate" (the word only)."""
    english = MATURITY_NAMES.get(int(level))
    return _gettext(english, lang) if english else str(level)


def maturity_label(level: int, lang: str | None = None) -> str:
    """``3`` → "3 – moderate"."""
    return f"{int(level)} – {maturity_name(level, lang)}"


def maturity_scale(lang: str | None = None) -> str:
    """The scale in one line: "1 clear need · 2 basic · 3 moderate · 4 high capacity"."""
    return " · ".join(f"{n} {maturity_name(n, lang)}" for n in sorted(MATURITY_NAMES))


def yes_no(value: bool, lang: str | None = None) -> str:
    return _gettext(N_("yes") if value else N_("no"), lang)


def unanswered(lang: str | None = None) -> str:
    return _gettext(N_("unanswered"), lang)


def none_label(lang: str | None = None) -> str:
    """What an empty list of choices reads as."""
    return _gettext(N_("none"), lang)


def display_answer(path: str, value: object, lang: str | None = None) -> str:
    """An answer as a person reads it: choices by their label, yes/no, numbers in the
    language's format, "unanswered" for None."""
    from advisor.formatting import format_number
    from advisor.i18n import choice_label

    if value is None:
        return unanswered(lang)
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, (int, float)):
        return format_number(value, _in(lang))
    if isinstance(value, (list, tuple)):
        return ", ".join(display_answer(path, v, lang) for v in value) or none_label(lang)
    if isinstance(value, str) and path:
        return choice_label(path, value, _in(lang))
    return str(value)


__all__ = [
    "AREA_TITLES", "DIMENSION_TITLES", "MATURITY_NAMES", "area_title", "audience_label",
    "condition_kind_label", "confidence_label", "dimension_title", "display_answer", "kind_label",
    "label", "maturity_label", "maturity_name", "maturity_scale", "none_label", "rating_label",
    "severity_label", "unanswered", "yes_no",
]
