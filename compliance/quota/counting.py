"""Counting N (the workforce) and D (workers with disabilities) under a pack, with their lines.

This is the only part of an evaluation whose cost grows with the organisation: one pass over the
disabled-employee roster. Head counts arrive aggregated by employment type, so N costs the same
for 10 or 100,000 workers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from compliance.quota.lines import ExplanationLine, explain
from compliance.quota.model import Snapshot
from compliance.quota.pack import DenominatorRule, NumeratorRule, RulePack, WeightRule
from compliance.quota.vocab import EmploymentType, EvidenceType, InputError
from compliance.quota.wording import Term, format_number, join_terms, term

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Counts:
    denominator: Decimal | None  # None when a counted type's head count is unknown
    unknown_types: tuple[EmploymentType, ...]
    included: tuple[tuple[DenominatorRule, int], ...]
    excluded: tuple[tuple[DenominatorRule, int], ...]
    toggled: tuple[DenominatorRule, ...]  # rules the organisation's settings flipped
    counted: Decimal
    unverified: int
    weighted: tuple[tuple[WeightRule, int], ...]
    excluded_by_type: tuple[tuple[EmploymentType, int], ...]
    excluded_by_evidence: tuple[tuple[EvidenceType, int], ...]


@dataclass(frozen=True, slots=True)
class _Roster:
    counted: Decimal
    unverified: int
    weighted: tuple[tuple[WeightRule, int], ...]
    excluded_by_type: tuple[tuple[EmploymentType, int], ...]
    excluded_by_evidence: tuple[tuple[EvidenceType, int], ...]


def check_toggles(snapshot: Snapshot, pack: RulePack) -> None:
    known = pack.toggles
    for name in snapshot.toggles:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "none"
            raise InputError(f"toggles.{name}", f"unknown setting for {pack.id} (known: {allowed})")


def count(snapshot: Snapshot, pack: RulePack) -> Counts:
    rules = pack.denominator
    numerator = pack.numerator
    if rules is None or numerator is None:
        raise ValueError(
            f"{pack.id} has no counting rules (an overlay counts with its national pack)"
        )
    included, excluded, toggled, unknown = [], [], [], []
    denominator = ZERO
    for kind, rule in rules.items():
        is_counted = _counts(rule, snapshot)
        if is_counted != rule.is_counted:
            toggled.append(rule)
        heads = snapshot.headcount_of(kind)
        if not is_counted:
            if heads:
                excluded.append((rule, heads))
        elif heads is None:
            unknown.append(kind)
        else:
            denominator += rule.weight * heads
            if heads:
                included.append((rule, heads))
    # A disabled worker counts only if their employment type is in N (outsourced workers count
    # at their vendor, so they cannot count here either).
    counted_types = frozenset(kind for kind, rule in rules.items() if _counts(rule, snapshot))
    roster = _count_roster(snapshot, numerator, counted_types)
    return Counts(
        denominator=None if unknown else denominator.normalize() if denominator else ZERO,
        unknown_types=tuple(unknown),
        included=tuple(included),
        excluded=tuple(excluded),
        toggled=tuple(toggled),
        counted=roster.counted,
        unverified=roster.unverified,
        weighted=roster.weighted,
        excluded_by_type=roster.excluded_by_type,
        excluded_by_evidence=roster.excluded_by_evidence,
    )


def _count_roster(
    snapshot: Snapshot, numerator: NumeratorRule, counted_types: frozenset[EmploymentType]
) -> _Roster:
    """One pass over the disabled employees: the weighted count and what was left out.

    People alike in everything the rules read count alike, so it judges each kind of person
    once (`Snapshot.kinds`): a roster of 20,000 has a handful of kinds."""
    counted = ZERO
    unverified = 0
    by_rule: Counter[int] = Counter()
    by_type: Counter[EmploymentType] = Counter()
    by_evidence: Counter[EvidenceType] = Counter()
    accepted, flagged = numerator.accepted_evidence, numerator.unverified_evidence
    weights, default_weight = numerator.weights, numerator.default_weight
    for (
        categories,
        evidence,
        employment_type,
        is_verified,
        hours,
    ), persons in snapshot.kinds.items():
        if employment_type not in counted_types:
            by_type[employment_type] += persons
            continue
        if evidence not in accepted:
            by_evidence[evidence] += persons
            continue
        weight = default_weight
        for index, weight_rule in enumerate(weights):
            if weight_rule.matches(categories, employment_type, evidence, is_verified, hours):
                weight = weight_rule.weight
                by_rule[index] += persons
                break
        counted += weight * persons
        if not is_verified or evidence in flagged:
            unverified += persons
    return _Roster(
        counted=counted.normalize() if counted else ZERO,
        unverified=unverified,
        weighted=tuple((weights[index], persons) for index, persons in sorted(by_rule.items())),
        excluded_by_type=tuple(sorted(by_type.items())),
        excluded_by_evidence=tuple(sorted(by_evidence.items())),
    )


def _counts(rule: DenominatorRule, snapshot: Snapshot) -> bool:
    if rule.toggle is not None and rule.toggle in snapshot.toggles:
        return snapshot.toggles[rule.toggle]
    return rule.is_counted


def _parts(included: tuple[tuple[DenominatorRule, int], ...]) -> Term:
    if not included:
        return Term("", "tidak ada pekerja", "no workers")
    items = []
    for rule, heads in included:
        word = term(rule.employment_type.value)
        if rule.weight == 1:
            items.append(
                Term(
                    f"{word.key}:{heads}",
                    f"{format_number(heads, 'id')} {word.id}",
                    f"{format_number(heads, 'en')} {word.en}",
                )
            )
        else:
            items.append(
                Term(
                    f"{word.key}:{heads}×{rule.weight}",
                    f"{format_number(heads, 'id')} {word.id} × {format_number(rule.weight, 'id')}",
                    f"{format_number(heads, 'en')} {word.en} × {format_number(rule.weight, 'en')}",
                )
            )
    return join_terms(items)


def counting_lines(counts: Counts, pack: RulePack) -> list[ExplanationLine]:
    assert pack.denominator is not None
    assert pack.numerator is not None
    numerator = pack.numerator
    lines = []
    for rule in counts.toggled:
        included = rule.toggle is not None and not rule.is_counted
        lines.append(
            explain(
                "denominator_toggled",
                rule.source,
                employment_type=term(rule.employment_type.value),
                included=Term("counted", "dihitung", "are counted")
                if included
                else Term("not_counted", "tidak dihitung", "are not counted"),
                toggle=rule.toggle or "",
            )
        )
    if counts.denominator is None:
        kinds = join_terms(term(kind.value) for kind in counts.unknown_types)
        first = pack.denominator[counts.unknown_types[0]]
        lines.append(explain("headcount_unknown", first.source, employment_types=kinds))
        return lines
    first_rule = (
        counts.included[0][0] if counts.included else pack.denominator[EmploymentType.PERMANENT]
    )
    lines.append(
        explain(
            "denominator_counted",
            first_rule.source,
            denominator=counts.denominator,
            parts=_parts(counts.included),
        )
    )
    for rule, heads in counts.excluded:
        reason = rule.reason or None
        lines.append(
            explain(
                "denominator_excluded",
                rule.source,
                count=heads,
                employment_type=term(rule.employment_type.value),
                reason=Term("reason", reason.id, reason.en) if reason else "",
            )
        )
    definition = Term("definition", numerator.definition.id, numerator.definition.en)
    lines.append(
        explain(
            "numerator_counted",
            numerator.definition_source,
            counted=counts.counted,
            definition=definition,
        )
    )
    lines.append(explain("numerator_once", numerator.counting_source))
    for weight_rule, persons in counts.weighted:
        lines.append(
            explain(
                "numerator_weighted",
                weight_rule.source,
                label=Term("label", weight_rule.label.id, weight_rule.label.en),
                count=persons,
                weight=weight_rule.weight,
                total=weight_rule.weight * persons,
            )
        )
    accepted = [kind for kind in EvidenceType if kind in numerator.accepted_evidence]
    evidence = join_terms(term(kind.value) for kind in accepted)
    lines.append(explain("numerator_evidence", numerator.evidence_source, evidence=evidence))
    for kind, persons in counts.excluded_by_type:
        lines.append(
            explain(
                "numerator_excluded_type",
                # The reason is the rule that keeps this type out of N.
                pack.denominator[kind].source,
                count=persons,
                employment_type=term(kind.value),
            )
        )
    for evidence_kind, persons in counts.excluded_by_evidence:
        lines.append(
            explain(
                "numerator_excluded_evidence",
                numerator.evidence_source,
                count=persons,
                evidence=term(evidence_kind.value),
            )
        )
    return lines
