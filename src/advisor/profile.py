"""The self-assessment profile: one strict pydantic model, the single source of truth.

Every field is optional (``None`` means "not answered", which stays distinct from ``False``
or ``0``): partial profiles are normal. Each field's description is the question to ask;
its ``json_schema_extra`` carries the unit and whether the answer is sensitive (redaction
and encryption key off that mark).
"""

from __future__ import annotations

from typing import Any, Literal

import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from advisor.areas import AREA_KEYS

SCHEMA_VERSION = "1.0"



def current_year(context: Any = None) -> int:
    """This year, from the validation context's ``today`` (a ``datetime.date``, for tests and
    reproducible runs) or else from the clock."""
    if isinstance(context, dict) and isinstance(context.get("today"), datetime.date):
        return context["today"].year
    return datetime.date.today().year


# Rounding slack for the income-share checks (shares are percentages).
SHARE_TOLERANCE = 0.5


def ask(
    question: str,
    *,
    sensitive: bool = False,
    unit: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    max_length: int | None = None,
    actionable: bool = False,
    effort_weeks: int | None = None,
) -> Any:
    """A profile field: optional, with its question, bounds, unit and sensitivity mark.

    ``actionable`` says whether the organisation can change the answer by its own work
    (controls, practices, plans, policies, reserves), as opposed to facts about its
    situation (the register, inspections, the political climate); ``effort_weeks`` is a
    rough effort for that change. ``advisor path`` searches only over actionable answers.
    """
    extra: dict[str, Any] = {"sensitive": sensitive, "actionable": actionable}
    if effort_weeks is not None:
        extra["effort_weeks"] = effort_weeks
    if unit:
        extra["unit"] = unit
    return Field(
        default=None,
        description=question,
        ge=ge,
        le=le,
        max_length=max_length,
        json_schema_extra=extra,
    )


class Section(BaseModel):
    """Common configuration: strict types, unknown keys refused, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


AreaServed = Literal["urban", "peri_urban", "rural"]
Theme = Literal[
    "religious_freedom",
    "ethnic_relations",
    "gender",
    "human_rights",
    "legal_aid",
    "education",
    "social_services",
    "youth",
    "health",
    "environment",
    "culture",
    "other",
]
Language = Literal["kk", "ru", "en", "uz", "ug", "ky", "other"]
SensitiveTopic = Literal["religion", "gender", "ethnicity", "politics", "migration", "lgbt"]
GovernmentRelationship = Literal["independent", "government_founded", "state_contracted"]
Stage = Literal["needs_assessment", "design", "implementation", "monitoring", "evaluation"]
AccountingSystem = Literal["none", "spreadsheet", "software"]
AuditOpinion = Literal["unmodified", "qualified", "adverse", "disclaimer"]
CutReason = Literal["nature_of_work", "state_budget", "reporting_or_performance", "not_known"]
DataStorage = Literal["not_kept", "paper_locked", "digital_protected", "digital_unprotected", "personal_devices"]


class Organisation(Section):
    name: str | None = ask(
        "What is the organisation's name, or an alias to use in reports?",
        sensitive=True,
        max_length=200,
    )
    country: str | None = Field(
        default=None,
        description="In which country is the organisation registered (ISO 3166 two-letter code)?",
        pattern=r"^[A-Z]{2}$",
        json_schema_extra={"sensitive": False},
    )
    legally_registered: bool | None = ask("Is the organisation legally registered?", actionable=True, effort_weeks=12)
    areas_served: list[AreaServed] | None = ask(
        "Which kinds of area does the organisation serve (urban, peri-urban, rural)?",
        actionable=True,
        effort_weeks=26,
    )
    year_founded: int | None = ask("In which year was the organisation founded?", ge=1900, le=2100)
    paid_staff: int | None = ask(
        "How many paid staff does the organisation have (head count)?", unit="people", ge=0, le=100_000
    )
    volunteers: int | None = ask(
        "How many volunteers took part in the last 12 months?", unit="people", ge=0, le=1_000_000,
        actionable=True,
        effort_weeks=12,
    )
    key_staff_left_12m: int | None = ask(
        "How many key staff (managers, specialists) left in the last 12 months?",
        unit="people",
        ge=0,
        le=10_000,
    )
    thematic_focus: list[Theme] | None = ask("Which themes does the organisation work on?")
    sensitive_topics: list[SensitiveTopic] | None = ask(
        "Which topics that are sensitive in your context does the work touch (religion, gender, …)?",
        sensitive=True,
    )
    languages: list[Language] | None = ask(
        "In which languages does the organisation work with beneficiaries?",
        actionable=True,
        effort_weeks=12,
    )
    board_meetings_12m: int | None = ask(
        "How many times did the board or governing body meet in the last 12 months?",
        unit="meetings",
        ge=0,
        le=365,
        actionable=True,
        effort_weeks=12,
    )

    @field_validator("year_founded")
    @classmethod
    def _founded_not_in_future(cls, year: int | None, info: ValidationInfo) -> int | None:
        this_year = current_year(info.context)
        if year is not None and year > this_year:
            raise ValueError(f"the year founded lies in the future (this year is {this_year})")
        return year


class Funding(Section):
    annual_budget: float | None = ask(
        "What was the organisation's total income in the last financial year?",
        sensitive=True,
        unit="currency",
        ge=0,
        le=1e13,
    )
    currency: str | None = Field(
        default=None,
        description="In which currency is the budget given (ISO 4217 code, e.g. KZT, USD)?",
        pattern=r"^[A-Z]{3}$",
        json_schema_extra={"sensitive": False},
    )
    share_state_pct: float | None = ask(
        "What share of income came from state grants and state social contracts?",
        sensitive=True,
        unit="%",
        ge=0,
        le=100,
        actionable=True,
        effort_weeks=52,
    )
    share_foreign_pct: float | None = ask(
        "What share of income came from foreign donors and international NGOs?",
        sensitive=True,
        unit="%",
        ge=0,
        le=100,
        actionable=True,
        effort_weeks=52,
    )
    share_local_private_pct: float | None = ask(
        "What share of income came from local businesses, individuals and philanthropy?",
        sensitive=True,
        unit="%",
        ge=0,
        le=100,
        actionable=True,
        effort_weeks=52,
    )
    share_own_income_pct: float | None = ask(
        "What share of income was the organisation's own (fees, services, social enterprise)?",
        sensitive=True,
        unit="%",
        ge=0,
        le=100,
        actionable=True,
        effort_weeks=52,
    )
    donor_count: int | None = ask(
        "How many separate funders gave money in the last financial year?", unit="funders", ge=0, le=10_000,
        actionable=True,
        effort_weeks=52,
    )
    largest_source_pct: float | None = ask(
        "What share of income came from the single largest funder?", sensitive=True, unit="%", ge=0, le=100,
        actionable=True,
        effort_weeks=52,
    )
    donor_names: list[str] | None = Field(
        default=None,
        description="Who are the main funders (names; kept on this machine, removed when shared)?",
        max_length=100,
        json_schema_extra={"sensitive": True},
    )
    typical_grant_months: int | None = ask(
        "How long does a typical grant or contract last?", unit="months", ge=1, le=240,
        actionable=True,
        effort_weeks=26,
    )
    has_multi_year_grant: bool | None = ask(
        "Does the organisation hold at least one grant of 24 months or more?",
        actionable=True,
        effort_weeks=26,
    )
    reserves_months: float | None = ask(
        "For how many months could the organisation cover its running costs from reserves "
        "if all funding stopped?",
        unit="months",
        ge=0,
        le=240,
        actionable=True,
        effort_weeks=52,
    )
    has_sustainability_plan: bool | None = ask(
        "Does the organisation have a written plan for continuing its work after current grants end?",
        actionable=True,
        effort_weeks=4,
    )
    declined_inadequate_contracts: bool | None = ask(
        "Has the organisation declined state or donor projects because their terms or budgets "
        "were inadequate?"
    )
    share_competitive_pct: float | None = ask(
        "What share of income came from competitive calls for proposals (state or donor)?",
        sensitive=True,
        unit="%",
        ge=0,
        le=100,
    )


class FinancialControls(Section):
    written_procedures: bool | None = ask(
        "Does the organisation have written financial procedures (approvals, procurement, cash)?",
        actionable=True,
        effort_weeks=6,
    )
    external_audit_recent: bool | None = ask(
        "Were the accounts audited by an independent auditor in the last two years?",
        actionable=True,
        effort_weeks=12,
    )
    publishes_financial_report: bool | None = ask(
        "Does the organisation publish an annual financial report?",
        actionable=True,
        effort_weeks=4,
    )
    segregation_of_duties: bool | None = ask(
        "Are approving, paying and recording expenses done by different people?",
        actionable=True,
        effort_weeks=4,
    )
    accounting_system: AccountingSystem | None = ask(
        "How are the accounts kept: no system, a spreadsheet, or accounting software?",
        actionable=True,
        effort_weeks=8,
    )
    has_procurement_policy: bool | None = ask(
        "Does the organisation have a written procurement policy (quotes, thresholds, approvals)?",
        actionable=True,
        effort_weeks=4,
    )
    budget_vs_actual_reporting: bool | None = ask(
        "Does management compare spending with the budget (budget versus actual) at least every quarter?",
        actionable=True,
        effort_weeks=4,
    )
    last_audit_opinion: AuditOpinion | None = ask(
        "What opinion did the last independent audit give (unmodified, qualified, adverse, disclaimer)?",
        sensitive=True,
    )
    open_audit_findings: int | None = ask(
        "How many findings of the last audit or inspection are still open (not yet fixed)?",
        sensitive=True,
        unit="findings",
        ge=0,
        le=1_000,
        actionable=True,
        effort_weeks=12,
    )
    has_anti_fraud_policy: bool | None = ask(
        "Does the organisation have a written anti-fraud and anti-corruption policy?",
        actionable=True,
        effort_weeks=4,
    )
    has_whistleblowing_channel: bool | None = ask(
        "Can staff and partners report suspected fraud or misconduct confidentially (a whistle-blowing channel)?",
        actionable=True,
        effort_weeks=4,
    )


class Government(Section):
    relationship: GovernmentRelationship | None = ask(
        "How would you describe the organisation's relationship with the state: independent, "
        "founded by a government body, or mainly working under state contracts?"
    )
    officials_on_board: bool | None = ask(
        "Do serving government officials sit on the organisation's board or governing body?",
        sensitive=True,
        actionable=True,
        effort_weeks=26,
    )
    public_council_member: bool | None = ask(
        "Does the organisation take part in public councils or dialogue platforms with the state?",
        actionable=True,
        effort_weeks=12,
    )
    successful_cooperation: bool | None = ask(
        "Has the organisation completed joint projects with state bodies successfully?"
    )


class ForeignFunding(Section):
    reporting_obligation: bool | None = ask(
        "Must the organisation report receipt and use of foreign funds to the authorities?",
        sensitive=True,
    )
    reports_filed_on_time: bool | None = ask(
        "Have all foreign-funding reports been filed on time in the last three years?",
        sensitive=True,
        actionable=True,
        effort_weeks=4,
    )
    on_public_register: bool | None = ask(
        "Is the organisation named on a public register of foreign-funding recipients?",
        sensitive=True,
    )
    labelled_foreign_agent: bool | None = ask(
        "Has the organisation been publicly labelled a 'foreign agent' (media, officials, campaigns)?",
        sensitive=True,
    )
    international_partners: bool | None = ask(
        "Does the organisation work with international partners that share methods and practice?",
        actionable=True,
        effort_weeks=26,
    )


class Pressure(Section):
    tax_audits_3y: int | None = ask(
        "How many tax audits or state inspections has the organisation had in the last three years?",
        sensitive=True,
        unit="inspections",
        ge=0,
        le=1_000,
    )
    state_funding_cut: bool | None = ask(
        "Has state funding been cut or ended early in the last three years?", sensitive=True
    )
    state_funding_cut_reason: CutReason | None = ask(
        "If state funding was cut or ended early, why: the nature of the work (its topic or stance), "
        "general state budget cuts, a reporting or performance dispute, or not known?",
        sensitive=True,
    )
    topics_avoided: bool | None = ask(
        "Does the organisation avoid some topics to stay out of trouble?", sensitive=True
    )
    criticism_constrained: bool | None = ask(
        "Is the organisation unable to criticise state policy openly in its field?", sensitive=True
    )
    political_pressure: bool | None = ask(
        "Has political or social pressure changed an operational decision in the last three years?",
        sensitive=True,
    )
    beneficiary_mistrust: bool | None = ask(
        "Have beneficiaries or partners refused to work with the organisation out of mistrust "
        "(for example of foreign funding)?",
        sensitive=True,
    )
    social_backlash: bool | None = ask(
        "Has the organisation faced hostile reactions from the public, communities or religious "
        "groups to its work in the last three years?",
        sensitive=True,
    )
    threats_received: bool | None = ask(
        "Have staff or the organisation received threats (from officials or others) in the last three years?",
        sensitive=True,
    )


class Practices(Section):
    has_strategic_plan: bool | None = ask("Does the organisation have a current written strategy?", actionable=True, effort_weeks=8)
    beneficiary_involvement: list[Stage] | None = ask(
        "At which project stages are beneficiaries involved?",
        actionable=True,
        effort_weeks=8,
    )
    rural_share_pct: float | None = ask(
        "What share of the organisation's beneficiaries live in rural areas?", unit="%", ge=0, le=100,
        actionable=True,
        effort_weeks=52,
    )
    uses_local_experts: bool | None = ask(
        "Do projects engage local experts who know the region and its communities?",
        actionable=True,
        effort_weeks=4,
    )
    projects_outside_expertise: bool | None = ask(
        "In the last three years, did the organisation take on projects outside its expertise "
        "mainly to secure funding?"
    )
    adapted_to_donor_agenda: bool | None = ask(
        "Has the organisation changed its priorities to fit a donor's agenda rather than local needs?"
    )
    design_discretion: bool | None = ask(
        "Do donors let the organisation shape project design (goals, activities, indicators)?"
    )
    has_me_framework: bool | None = ask(
        "Do projects have a results framework with indicators, baselines and targets?",
        actionable=True,
        effort_weeks=8,
    )
    shares_lessons: bool | None = ask(
        "Does the organisation review and share what it learned after each project?",
        actionable=True,
        effort_weeks=4,
    )
    has_advocacy_plan: bool | None = ask("Does the organisation have a written advocacy plan?", actionable=True, effort_weeks=4)
    contributes_to_law_drafting: bool | None = ask(
        "Has the organisation contributed to draft laws or policy in its field in the last three years?"
    )
    network_memberships: int | None = ask(
        "How many NGO networks, coalitions or platforms is the organisation a member of?",
        unit="networks",
        ge=0,
        le=1_000,
        actionable=True,
        effort_weeks=4,
    )
    joint_activities_12m: int | None = ask(
        "How many joint activities with other NGOs did the organisation run in the last 12 months?",
        unit="activities",
        ge=0,
        le=10_000,
        actionable=True,
        effort_weeks=12,
    )
    conflicting_messages: bool | None = ask(
        "Have beneficiaries received conflicting messages from different NGOs working on the same issue?"
    )
    has_security_protocol: bool | None = ask(
        "Does the organisation have a digital and physical security protocol that staff follow?",
        actionable=True,
        effort_weeks=4,
    )
    has_conflict_of_interest_policy: bool | None = ask(
        "Does the organisation have a written conflict-of-interest policy?",
        actionable=True,
        effort_weeks=2,
    )
    has_complaints_mechanism: bool | None = ask(
        "Can beneficiaries complain or give feedback through a channel the organisation answers?",
        actionable=True,
        effort_weeks=4,
    )
    has_safeguarding_policy: bool | None = ask(
        "Does the organisation have a safeguarding policy against sexual exploitation, abuse and "
        "harassment (PSEA) that staff have signed?",
        actionable=True,
        effort_weeks=4,
    )
    has_hr_policies: bool | None = ask(
        "Are HR policies written down (recruitment, contracts, pay, leave, grievances)?",
        actionable=True,
        effort_weeks=6,
    )
    beneficiary_data_storage: DataStorage | None = ask(
        "How are beneficiaries' personal data kept: not kept, on paper under lock, digital with "
        "access control or encryption, digital without protection, or on staff's personal devices?",
        actionable=True,
        effort_weeks=4,
    )
    educates_on_civic_participation: bool | None = ask(
        "Does the organisation educate citizens about civil dialogue and civic participation?",
        actionable=True,
        effort_weeks=12,
    )


class AreaRating(Section):
    level: Literal[1, 2, 3, 4] = Field(
        description="1 = clear need, 2 = basic, 3 = moderate, 4 = high capacity."
    )
    evidence: str | None = Field(
        default=None,
        description="What supports this rating (a document, an example, a number)?",
        max_length=2000,
        json_schema_extra={"sensitive": True},
    )

    @field_validator("level", mode="before")
    @classmethod
    def _level_is_a_whole_number(cls, value: Any) -> Any:
        # A Literal of ints takes True as 1 and 2.0 as 2 (they compare equal), so `level: true`
        # would read as 1.
        if isinstance(value, (bool, float)):
            raise ValueError("Input should be 1, 2, 3 or 4 (a whole number, not true, false or a decimal)")
        return value


def _rating(area_title: str) -> Any:
    return Field(
        default=None,
        description=f"How would you rate the organisation's capacity in {area_title} (1–4)?",
        json_schema_extra={"sensitive": False},
    )


class Ratings(Section):
    """Self-ratings on the field's 4-level scale, one per capacity area."""

    governance: AreaRating | None = _rating("identity, governance and legal standing")
    strategy: AreaRating | None = _rating("strategy, leadership and adaptive capacity")
    financial_management: AreaRating | None = _rating("financial management and internal controls")
    financial_sustainability: AreaRating | None = _rating(
        "financial sustainability and resource mobilisation"
    )
    human_resources: AreaRating | None = _rating("human resources and volunteers")
    project_design: AreaRating | None = _rating("programme and project design")
    monitoring_evaluation: AreaRating | None = _rating("monitoring, evaluation and learning")
    advocacy: AreaRating | None = _rating("advocacy, external relations and public image")
    accountability: AreaRating | None = _rating("values, accountability and safeguarding")
    local_ownership: AreaRating | None = _rating(
        "constituency, civic engagement and local ownership"
    )
    networks: AreaRating | None = _rating("networks, coordination and sector infrastructure")
    context: AreaRating | None = _rating(
        "coping with the external environment (legal, political and funding pressure)"
    )


assert tuple(Ratings.model_fields) == AREA_KEYS, "Ratings must list every capacity area, in order"


class Profile(Section):
    """An organisation's self-assessment."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="advisor self-assessment profile",
    )

    schema_version: Literal["1.0"] = Field(
        description="Version of the profile schema this file follows.",
    )
    organisation: Organisation = Field(default_factory=Organisation)
    funding: Funding = Field(default_factory=Funding)
    controls: FinancialControls = Field(default_factory=FinancialControls)
    government: Government = Field(default_factory=Government)
    foreign_funding: ForeignFunding = Field(default_factory=ForeignFunding)
    pressure: Pressure = Field(default_factory=Pressure)
    practices: Practices = Field(default_factory=Practices)
    ratings: Ratings = Field(default_factory=Ratings)

    @model_validator(mode="after")
    def _cross_field_checks(self) -> Profile:
        f = self.funding
        shares = {
            name: value
            for name in (
                "share_state_pct",
                "share_foreign_pct",
                "share_local_private_pct",
                "share_own_income_pct",
            )
            if (value := getattr(f, name)) is not None
        }
        total = sum(shares.values())
        if total > 100 + SHARE_TOLERANCE:
            raise ValueError(
                # The shares are sensitive: the message names them, never their values.
                f"funding: income shares add up to more than 100 % ({', '.join(shares)})"
            )
        if f.largest_source_pct is not None and shares and len(shares) == 4:
            if f.largest_source_pct > total + SHARE_TOLERANCE:
                raise ValueError(
                    "funding.largest_source_pct: the largest funder's share is more than all "
                    "income shares together"
                )
        if f.donor_count == 0 and f.largest_source_pct not in (None, 0):
            raise ValueError(
                "funding.largest_source_pct: no funders were reported (donor_count 0), "
                "so the largest funder's share must be 0 or unanswered"
            )
        ff = self.foreign_funding
        if ff.reports_filed_on_time is not None and ff.reporting_obligation is False:
            raise ValueError(
                "foreign_funding.reports_filed_on_time: answered, but reporting_obligation is false"
            )
        org = self.organisation
        if (
            org.paid_staff
            and org.key_staff_left_12m is not None
            and org.key_staff_left_12m > 2 * org.paid_staff
        ):
            raise ValueError(
                "organisation.key_staff_left_12m: more than twice the current paid staff; "
                "check the numbers"
            )
        return self


SECTIONS: tuple[str, ...] = tuple(name for name in Profile.model_fields if name != "schema_version")
