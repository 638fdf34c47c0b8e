"""The `RulePack`: one law's quota rules as typed, immutable data (loaded from TOML by `loader`).

Nothing here decides anything; `engine` and `period` read these values. Every parameter carries
the `Source` it rests on, so a rule and its citation can never drift apart. The shapes are chosen
to hold other countries' systems too: per-sector rates, per-employment-type weights in the
denominator, per-person weights (by category, evidence, employment type or hours band) in the
numerator, several rounding modes, size thresholds and attribute-based minimums, and the way a
period of monthly snapshots is combined.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from compliance.quota.citation import Source
from compliance.quota.rounding import RoundingMode
from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    LegalForm,
    Sector,
)


class PackKind(enum.StrEnum):
    NATIONAL = "national"  # picked by country and date; owns the obligation
    OVERLAY = "overlay"  # picked by region and date; adds duties, never lowers the national one


class PeriodMethod(enum.StrEnum):
    AVERAGE_OF_MONTHLY_RESULTS = "average_of_monthly_results"  # LAW.md row 7 default
    RULE_ON_AVERAGE_DENOMINATOR = "rule_on_average_denominator"  # e.g. annual average head count
    SUM_OF_MONTHLY_RESULTS = "sum_of_monthly_results"  # e.g. a shortfall counted month by month


class ThresholdBasis(enum.StrEnum):
    EACH_MONTH = "each_month"
    PERIOD_AVERAGE = "period_average"


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence in Bahasa Indonesia and English."""

    id: str
    en: str


@dataclass(frozen=True, slots=True)
class RateRule:
    sector: Sector
    rate: Decimal  # a fraction: 0.01 is 1 %
    source: Source


@dataclass(frozen=True, slots=True)
class LegalFormRule:
    """A legal form rated as another sector, optionally flagged "verify the sector"."""

    legal_form: LegalForm
    rate_as: Sector
    needs_verification: bool
    source: Source


@dataclass(frozen=True, slots=True)
class DenominatorRule:
    """How one employment type counts in N: included or not (per-organisation toggle), weight."""

    employment_type: EmploymentType
    is_counted: bool
    weight: Decimal
    toggle: str | None
    reason: Text | None  # why it is excluded (or included), shown to the user
    source: Source


@dataclass(frozen=True, slots=True)
class WeightRule:
    """A per-person weight in the numerator; the first rule whose conditions all hold applies."""

    weight: Decimal
    label: Text
    source: Source
    categories: frozenset[DisabilityCategory] | None = None  # any of these
    employment_types: frozenset[EmploymentType] | None = None
    evidence: frozenset[EvidenceType] | None = None
    is_verified: bool | None = None
    min_weekly_hours: Decimal | None = None  # inclusive
    max_weekly_hours: Decimal | None = None  # exclusive

    def matches(
        self,
        categories: frozenset[DisabilityCategory],
        employment_type: EmploymentType,
        evidence: EvidenceType,
        is_verified: bool,
        weekly_hours: Decimal | None,
    ) -> bool:
        if self.categories is not None and not (self.categories & categories):
            return False
        if self.employment_types is not None and employment_type not in self.employment_types:
            return False
        if self.evidence is not None and evidence not in self.evidence:
            return False
        if self.is_verified is not None and is_verified != self.is_verified:
            return False
        if self.min_weekly_hours is not None or self.max_weekly_hours is not None:
            if weekly_hours is None:  # an hours band cannot match unknown hours
                return False
            if self.min_weekly_hours is not None and weekly_hours < self.min_weekly_hours:
                return False
            if self.max_weekly_hours is not None and weekly_hours >= self.max_weekly_hours:
                return False
        return True


@dataclass(frozen=True, slots=True)
class NumeratorRule:
    definition: Text  # who is a person with a disability, in plain words
    accepted_evidence: frozenset[EvidenceType]
    unverified_evidence: frozenset[EvidenceType]  # counts, but flagged "unverified"
    weights: tuple[WeightRule, ...]
    default_weight: Decimal
    definition_source: Source  # who is a person with a disability
    counting_source: Source  # one person counts once; weights
    evidence_source: Source


@dataclass(frozen=True, slots=True)
class Rounding:
    mode: RoundingMode
    cutoff: Decimal
    source: Source


@dataclass(frozen=True, slots=True)
class Threshold:
    """Minimum size of N for the pack to oblige at all; `None` states that the law sets none."""

    min_denominator: Decimal | None
    source: Source


@dataclass(frozen=True, slots=True)
class Minimum:
    """A floor on `required` for employers with an attribute below a size (PP 43/1998 high-tech)."""

    attribute: str
    below_denominator: Decimal
    required: int
    label: Text
    source: Source


@dataclass(frozen=True, slots=True)
class PeriodRule:
    method: PeriodMethod
    threshold_basis: ThresholdBasis
    average_places: int
    source: Source


@dataclass(frozen=True, slots=True)
class Duty:
    """A regional duty or a risk label (sanction) added by a pack; shown, never summed up."""

    code: str
    text: Text
    source: Source


@dataclass(frozen=True, slots=True)
class RulePack:
    id: str
    kind: PackKind
    jurisdiction: str
    region: str | None  # overlays only: Kemendagri code
    region_name: Text | None
    short_name: str
    title: Text
    effective_from: date
    effective_to: date | None  # inclusive; None while in force
    effective_source: Source
    counting_source: Source | None  # overlays: why N and D follow the national rules
    is_history: bool
    comparisons: tuple[str, ...]
    rates: dict[Sector, RateRule]
    legal_forms: dict[LegalForm, LegalFormRule]
    denominator: dict[EmploymentType, DenominatorRule] | None  # None: overlay inherits national
    numerator: NumeratorRule | None
    rounding: Rounding
    threshold: Threshold | None
    minimums: tuple[Minimum, ...]
    period: PeriodRule | None
    duties: tuple[Duty, ...]
    sanctions: tuple[Duty, ...]
    sources: dict[str, Source]
    notes: tuple[Text, ...]
    verified_on: date  # the oldest `last_verified` of its sources, computed by the loader

    def is_in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def oldest_verification(self) -> date:
        """The staleness date: the least recently verified of the pack's sources."""
        return self.verified_on

    @property
    def toggles(self) -> dict[str, bool]:
        """The per-organisation counting toggles this pack offers, with their defaults."""
        rules = self.denominator or {}
        return {rule.toggle: rule.is_counted for rule in rules.values() if rule.toggle}
