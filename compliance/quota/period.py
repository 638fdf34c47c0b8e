"""Evaluating a period of monthly snapshots (e.g. the year of an annual declaration).

Each month is evaluated on its own, with the pack in force that month. The months are then
combined by the period rule of the pack in force at the period's end: the average of monthly
results (our Indonesian default, LAW.md row 7), the rule applied to the average head count, or
the sum of monthly results. Comparisons use exact sums; averages are rounded for display only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from compliance.quota.assess import (
    DEFAULT_MAX_PACK_AGE_DAYS,
    Options,
    resolve_rate,
    rounded_required,
)
from compliance.quota.engine import evaluate_with
from compliance.quota.lines import ExplanationLine, explain
from compliance.quota.model import Period, Snapshot
from compliance.quota.pack import PeriodMethod, RulePack, ThresholdBasis
from compliance.quota.pack_catalog import PackRegistry, default_registry
from compliance.quota.result import PeriodResult, QuotaResult
from compliance.quota.rounding import as_decimal
from compliance.quota.vocab import InputError, Status
from compliance.quota.wording import Percent, Term, term

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class _Figures:
    status: Status
    required: Decimal | None = None
    counted: Decimal | None = None
    gap: Decimal | None = None


def evaluate_period(
    period: Period,
    *,
    today: date,
    registry: PackRegistry | None = None,
    max_pack_age_days: int = DEFAULT_MAX_PACK_AGE_DAYS,
) -> PeriodResult:
    registry = registry or default_registry()
    indexed = sorted(enumerate(period.snapshots), key=lambda item: item[1].as_of)
    last_index, last = indexed[-1]
    try:
        pack = registry.national_for(last.jurisdiction, last.as_of)
    except InputError as error:
        raise error.within(f"snapshots[{last_index}]") from None
    rule = pack.period
    assert rule is not None  # a national pack always has a period rule
    # Where the size threshold is tested on the period's average, months must not test it alone.
    monthly_threshold = (
        rule.threshold_basis is ThresholdBasis.EACH_MONTH
        and rule.method is not PeriodMethod.RULE_ON_AVERAGE_DENOMINATOR
    )
    options = Options(today, max_pack_age_days, apply_threshold=monthly_threshold)
    months = []
    for index, snapshot in indexed:
        try:
            months.append(evaluate_with(snapshot, registry, options))
        except InputError as error:
            raise error.within(f"snapshots[{index}]") from None
    lines, warnings = _context(pack, months)
    base = PeriodResult(
        label=period.label,
        start=months[0].as_of,
        end=months[-1].as_of,
        pack_id=pack.id,
        method=rule.method,
        status=Status.INSUFFICIENT_DATA,
        denominator=None,
        required=None,
        counted=None,
        gap=None,
        months=tuple(months),
        lines=(),
        warnings=tuple(warnings),
    )
    incomplete = sum(1 for month in months if month.status is Status.INSUFFICIENT_DATA)
    if incomplete:
        lines.append(explain("period_incomplete", None, count=incomplete, months=len(months)))
        lines.append(explain("status", None, status=term(Status.INSUFFICIENT_DATA.value)))
        return _replace(base, lines, _Figures(Status.INSUFFICIENT_DATA))
    size = len(months)
    total_n = sum((month.denominator or ZERO for month in months), ZERO)
    average_n = Fraction(total_n) / size
    places = rule.average_places
    threshold = pack.threshold
    if not monthly_threshold and threshold is not None and threshold.min_denominator is not None:
        shown = as_decimal(average_n, places)
        if average_n < threshold.min_denominator:
            lines.append(
                explain(
                    "threshold_not_met",
                    threshold.source,
                    minimum=threshold.min_denominator,
                    denominator=shown,
                )
            )
            lines.append(explain("status", threshold.source, status=term("no_obligation")))
            return _replace(base, lines, _Figures(Status.NO_OBLIGATION), average_n, places)
        lines.append(
            explain(
                "threshold_met",
                threshold.source,
                minimum=threshold.min_denominator,
                denominator=shown,
            )
        )
    if rule.method is PeriodMethod.RULE_ON_AVERAGE_DENOMINATOR:
        figures = _on_average(pack, months, last, average_n, lines)
    else:
        figures = _combine(pack, months, lines)
    source = rule.source
    if figures.status in (Status.COMPLIANT, Status.SHORTFALL):
        assert figures.required is not None
        assert figures.counted is not None
        if figures.gap:
            lines.append(
                explain(
                    "gap",
                    source,
                    required=figures.required,
                    counted=figures.counted,
                    gap=figures.gap,
                )
            )
        else:
            lines.append(
                explain("no_gap", source, required=figures.required, counted=figures.counted)
            )
    lines.append(explain("status", source, status=term(figures.status.value)))
    return _replace(base, lines, figures, average_n, places)


def _replace(
    base: PeriodResult,
    lines: list[ExplanationLine],
    figures: _Figures,
    average_n: Fraction | None = None,
    places: int = 2,
) -> PeriodResult:
    return replace(
        base,
        status=figures.status,
        denominator=None if average_n is None else as_decimal(average_n, places),
        required=figures.required,
        counted=figures.counted,
        gap=figures.gap,
        lines=tuple(lines),
    )


def _context(
    pack: RulePack, months: list[QuotaResult]
) -> tuple[list[ExplanationLine], list[ExplanationLine]]:
    """Header lines and the months' warnings, each warning code once (the latest month's)."""
    title = Term(pack.id, pack.title.id, pack.title.en)
    lines = [
        explain(
            "pack_in_force",
            pack.effective_source,
            pack=pack.short_name,
            title=title,
            since=pack.effective_from,
        )
    ]
    latest: dict[str, ExplanationLine] = {}
    for month in months:
        for warning in month.warnings:
            latest[f"{warning.code}:{warning.params.get('pack', '')}"] = warning
    warnings = list(latest.values())
    used = list(dict.fromkeys(month.pack_id for month in months))
    if len(used) > 1:
        warnings.insert(0, explain("period_spans_packs", None, packs=", ".join(used)))
    return lines, warnings


def _combine(pack: RulePack, months: list[QuotaResult], lines: list[ExplanationLine]) -> _Figures:
    rule = pack.period
    assert rule is not None
    obliged = [month for month in months if month.required is not None]
    if not obliged:
        return _Figures(Status.NO_OBLIGATION)
    size = len(months)
    # A month without an obligation (under a threshold, say) owes nothing that month.
    total_required = sum(month.required or 0 for month in months)
    total_counted = sum((month.counted for month in months), ZERO)
    if rule.method is PeriodMethod.SUM_OF_MONTHLY_RESULTS:
        total_gap = sum((month.gap or ZERO for month in months), ZERO)
        lines.append(
            explain(
                "period_sum",
                rule.source,
                months=size,
                required=total_required,
                counted=total_counted,
            )
        )
        status = Status.SHORTFALL if total_gap else Status.COMPLIANT
        return _Figures(status, Decimal(total_required), total_counted, total_gap)
    places = rule.average_places
    required = as_decimal(Fraction(total_required, size), places)
    counted = as_decimal(Fraction(total_counted) / size, places)
    gap_exact = max(Fraction(0), (Fraction(total_required) - Fraction(total_counted)) / size)
    lines.append(
        explain("period_average", rule.source, months=size, required=required, counted=counted)
    )
    status = Status.COMPLIANT if total_counted >= total_required else Status.SHORTFALL
    return _Figures(status, required, counted, as_decimal(gap_exact, places))


def _on_average(
    pack: RulePack,
    months: list[QuotaResult],
    last: Snapshot,
    average_n: Fraction,
    lines: list[ExplanationLine],
) -> _Figures:
    rule = pack.period
    assert rule is not None
    places = rule.average_places
    size = len(months)
    lines.append(
        explain(
            "period_average_denominator",
            rule.source,
            months=size,
            denominator=as_decimal(average_n, places),
        )
    )
    rate_rule, _ = resolve_rate(last, pack)
    if rate_rule is None:
        lines.append(
            explain("sector_not_covered", pack.effective_source, sector=term(last.sector.value))
        )
        return _Figures(Status.NO_OBLIGATION)
    exact = Fraction(rate_rule.rate) * average_n
    shown = as_decimal(exact, places)
    lines.append(
        explain(
            "required_exact",
            rate_rule.source,
            rate=Percent(rate_rule.rate),
            denominator=as_decimal(average_n, places),
            exact=shown,
        )
    )
    required = rounded_required(pack, exact, shown, last.attributes, average_n, lines)
    total_counted = sum((month.counted for month in months), ZERO)
    counted = Fraction(total_counted) / size
    status = Status.COMPLIANT if counted >= required else Status.SHORTFALL
    gap = max(Fraction(0), required - counted)
    return _Figures(status, Decimal(required), as_decimal(counted, places), as_decimal(gap, places))
