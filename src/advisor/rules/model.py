"""The rule schema: what one rule file may say, strictly (unknown keys are errors)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from advisor.areas import AREA_KEYS

Kind = Literal["gap", "strength", "risk", "opportunity", "recommendation"]
FINDING_KINDS: tuple[str, ...] = ("gap", "strength", "risk", "opportunity")
Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
Audience = Literal["ngo", "donor", "trainer"]
SourceId = Literal["ref-kz-2023", "civicus-csi-kz-2011"]
Dimension = Literal["fiduciary", "programmatic", "sustainability", "context"]
DIMENSIONS: tuple[str, ...] = ("fiduciary", "programmatic", "sustainability", "context")
"""What a finding speaks to, for a donor's screening: how funds will be handled and accounted
for (fiduciary), the capacity to deliver (programmatic), the conditions of funding that the
sources blame on donors and the state (sustainability: short grants, thin reserves,
dependency), or the environment the organisation works in (context: inspections, labelling,
affiliation, pressure). Only fiduciary findings set the fiduciary rating."""
Op = Literal["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "answered", "unanswered"]
ValueOps: tuple[str, ...] = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "contains")
AreaKey = Literal[
    "governance",
    "strategy",
    "financial_management",
    "financial_sustainability",
    "human_resources",
    "project_design",
    "monitoring_evaluation",
    "advocacy",
    "accountability",
    "local_ownership",
    "networks",
    "context",
]
assert AreaKey.__args__ == AREA_KEYS  # type: ignore[attr-defined]

ParamValue = bool | int | float | str
RULE_ID_PATTERN = r"^[A-Z]{3}[0-9]{3}$"


class Strict(BaseModel):
    # defer_build: validators are built on first use (loading rule files), not at import:
    # one assessment from the rule-base cache never validates a rule.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class FieldCondition(Strict):
    """A test on one profile field. ``value`` or ``param`` (a named threshold) gives the operand."""

    field: str = Field(description="Dotted profile field path, e.g. funding.typical_grant_months.")
    op: Op
    value: ParamValue | list[ParamValue] | None = None
    param: str | None = Field(default=None, description="Name of a parameter of this rule.")

    @model_validator(mode="after")
    def _operand(self) -> FieldCondition:
        if self.op in ("answered", "unanswered"):
            if self.value is not None or self.param is not None:
                raise ValueError(f"op '{self.op}' takes no value or param")
        elif (self.value is None) == (self.param is None):
            raise ValueError(f"op '{self.op}' needs exactly one of 'value' or 'param'")
        return self


class FindingCondition(Strict):
    """True when the named finding fired for this profile (this is how rules chain)."""

    finding: str = Field(pattern=RULE_ID_PATTERN)


class AllCondition(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    any: list[Condition] = Field(min_length=1)


class NotCondition(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True, defer_build=True)
    not_: Condition = Field(alias="not")


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for tag in ("all", "any", "not", "finding", "field"):
            if tag in value:
                return tag
        return None
    if isinstance(value, BaseModel):
        return {
            AllCondition: "all",
            AnyCondition: "any",
            NotCondition: "not",
            FindingCondition: "finding",
            FieldCondition: "field",
        }.get(type(value))
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[FindingCondition, Tag("finding")]
    | Annotated[FieldCondition, Tag("field")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition_kind",
        custom_error_message="a condition needs one of the keys all, any, not, finding or field",
    ),
]

# The condition models refer to ``Condition`` before it exists; with ``defer_build`` pydantic
# resolves that when a model is first used, so loading a cached rule base (which validates
# nothing) never builds a validator at all.


class Param(Strict):
    value: ParamValue
    unit: str | None = None
    rationale: str = Field(min_length=10, description="Where the threshold comes from, or why it is a judgement.")


class SourceCitation(Strict):
    """A statement of one of the two source documents, quoted word for word."""

    kind: Literal["source"] = "source"
    source: SourceId
    section: str = Field(min_length=3)
    quote: str = Field(min_length=10, max_length=400)
    statement: str = Field(
        pattern=r"^(KZ23|CSI)-[A-Z]+-[0-9]+$",
        description="ID of the source statement in rules/coverage/*.yaml.",
    )


class DomainCitation(Strict):
    """A fact the two sources do not state (a law, a register, a framework's figures), with
    its own reference from rules/coverage/references.yaml."""

    kind: Literal["domain"]
    reference: str = Field(pattern=r"^DK-[A-Z0-9-]+$", description="ID of a reference in rules/coverage/references.yaml.")
    fact: str = Field(min_length=10, max_length=400, description="The fact the rule relies on, in the rule base's words.")


def _citation_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "domain" if value.get("kind") == "domain" else "source"
    return "domain" if isinstance(value, DomainCitation) else "source"


Citation = Annotated[
    Annotated[SourceCitation, Tag("source")] | Annotated[DomainCitation, Tag("domain")],
    Discriminator(_citation_tag),
]


class Doc(Strict):
    """The fixed documentation sections every rule carries (one page per rule is built from them)."""

    what: str = Field(min_length=20, description="What the finding is / what the advice asks.")
    why: str = Field(min_length=20, description="Why it matters for this organisation.")
    example: dict[str, Any] = Field(description="A profile excerpt for which the rule fires.")
    action: str = Field(min_length=20, description="What to do about it.")


class Advice(Strict):
    """How a recommendation is carried out, and how you will know it worked."""

    who: str = Field(min_length=3)
    first_step: str = Field(min_length=10)
    timeframe: str = Field(min_length=3)
    done_when: str | None = Field(
        default=None, min_length=10,
        description="An observable sign that the advice worked (e.g. 'a signed 24-month agreement'); "
        "required by `advisor rules lint`.",
    )


Lang = Literal["ru", "kk"]
"""Languages a rule or module may carry translations for (English is the rule's own text)."""


class DocText(Strict):
    """A translation of a rule's documentation sections (the example needs none)."""

    what: str = Field(min_length=20)
    why: str = Field(min_length=20)
    action: str = Field(min_length=20)


class AdviceText(Strict):
    """A translation of a recommendation's advice."""

    who: str = Field(min_length=3)
    first_step: str = Field(min_length=10)
    timeframe: str = Field(min_length=3)
    done_when: str | None = Field(default=None, min_length=10)


class RuleTranslation(Strict):
    """One language's version of a rule's texts: title, doc sections and (for a
    recommendation) advice."""

    title: str = Field(min_length=5, max_length=140)
    doc: DocText
    advice: AdviceText | None = None


class ModuleTranslation(Strict):
    """One language's version of a training module's title, objective and outcomes."""

    title: str = Field(min_length=5)
    objective: str = Field(min_length=10)
    outcomes: list[str] = Field(default_factory=list, max_length=4)
    prerequisites_why: str | None = Field(default=None, min_length=10)


class Rule(Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    kind: Kind
    area: AreaKey
    severity: Severity
    dimension: Dimension | None = Field(
        default=None, description="For a finding: fiduciary, programmatic, sustainability or context."
    )
    audience: Audience | None = None
    title: str = Field(min_length=5, max_length=140)
    when: Condition
    params: dict[str, Param] = Field(default_factory=dict)
    doc: Doc
    sources: list[Citation] = Field(min_length=1)
    advice: Advice | None = None
    modules: list[str] = Field(default_factory=list)
    exclusive_with: list[str] = Field(default_factory=list)
    after: list[str] = Field(
        default_factory=list,
        description="Recommendations of the same audience that must come before this one when both "
        "apply (e.g. a security protocol before any public statement about funding).",
    )
    standalone: bool = Field(
        default=False, description="A recommendation that answers no finding on purpose (give the reason)."
    )
    standalone_reason: str | None = Field(default=None, min_length=20)
    i18n: dict[Lang, RuleTranslation] = Field(
        default_factory=dict,
        description="Optional translations of the rule's texts (ru, kk); English is the fallback.",
    )

    @model_validator(mode="after")
    def _translations(self) -> Rule:
        for lang, text in self.i18n.items():
            if (text.advice is None) != (self.advice is None):
                need = "needs" if self.advice is not None else "must not have"
                raise ValueError(f"i18n.{lang}: {need} an 'advice' block, like the rule itself")
        return self

    @model_validator(mode="after")
    def _kind_specific(self) -> Rule:
        if self.kind == "recommendation":
            if self.audience is None:
                raise ValueError("a recommendation needs an 'audience' (ngo, donor or trainer)")
            if self.advice is None:
                raise ValueError("a recommendation needs 'advice' (who, first_step, timeframe)")
            if self.audience == "trainer" and not self.modules:
                raise ValueError("a trainer recommendation must name training 'modules'")
            if self.dimension is not None:
                raise ValueError("'dimension' is only for findings, not for a recommendation")
            if self.standalone != (self.standalone_reason is not None):
                raise ValueError("'standalone: true' goes with a 'standalone_reason', and only with it")
        else:
            for key in ("audience", "advice", "standalone_reason"):
                if getattr(self, key) is not None:
                    raise ValueError(f"'{key}' is only for recommendations, not for a {self.kind}")
            if self.modules or self.exclusive_with or self.after or self.standalone:
                raise ValueError("'modules', 'exclusive_with', 'after' and 'standalone' are only for recommendations")
            if self.dimension is None:
                raise ValueError("a finding needs a 'dimension' (fiduciary, programmatic, sustainability or context)")
        return self

    @property
    def is_finding(self) -> bool:
        return self.kind != "recommendation"


class CaseProfile(Strict):
    name: str = Field(min_length=3)
    profile: dict[str, Any]


class Cases(Strict):
    """A rule's cases: profile excerpts for which it must fire, and must not."""

    fires: list[CaseProfile] = Field(min_length=1)
    does_not_fire: list[CaseProfile] = Field(min_length=1)


class RetiredRule(Strict):
    id: str = Field(pattern=RULE_ID_PATTERN)
    reason: str = Field(min_length=5)
    replaced_by: str | None = None


class Reference(Strict):
    """A published reference for domain-knowledge citations (rules/coverage/references.yaml)."""

    id: str = Field(pattern=r"^DK-[A-Z0-9-]+$")
    title: str = Field(min_length=10)
    publisher: str = Field(min_length=3)
    date: str = Field(min_length=4)
    address: str | None = None
    covers: str = Field(min_length=10, description="What facts this reference supports.")


class References(Strict):
    references: list[Reference] = Field(min_length=1)


class Registry(Strict):
    """rules/registry.yaml: the rule base's version and its retired IDs."""

    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    retired: list[RetiredRule] = Field(default_factory=list)


class Module(Strict):
    """A training module of the catalogue (rules/modules/*.yaml)."""

    id: str = Field(pattern=r"^MOD[0-9]{2}$")
    title: str = Field(min_length=5)
    area: AreaKey
    objective: str = Field(min_length=10)
    format: Literal["workshop", "mentoring", "peer_exchange", "e_learning"]
    hours: float = Field(gt=0, le=200)
    prerequisites: list[str] = Field(default_factory=list)
    prerequisites_why: str | None = Field(
        default=None, min_length=10, description="Why the prerequisites come first (required with prerequisites)."
    )
    outcomes: list[str] = Field(
        default_factory=list, max_length=4,
        description="2-4 learning outcomes: what participants can do afterwards (required by lint).",
    )
    addresses: list[str] = Field(default_factory=list, description="Finding IDs this module addresses.")
    i18n: dict[Lang, ModuleTranslation] = Field(
        default_factory=dict,
        description="Optional translations of title and objective (ru, kk); English is the fallback.",
    )
