"""Applying one rule pack to a snapshot's counts: rate, threshold, rounding, minimums, status.

`assess` produces one `QuotaResult` with its ordered explanation lines, for the national pack, a
historical comparison pack or a regional overlay alike; `engine` decides which packs to assess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

from compliance.quota.citation import Source
from compliance.quota.counting import Counts, counting_lines
from compliance.quota.lines import ExplanationLine, explain
from compliance.quota.model import Snapshot
from compliance.quota.pack import LegalFormRule, RateRule, RulePack
from compliance.quota.result import QuotaResult, ResultRole
from compliance.quota.rounding import RoundingMode, round_required
from compliance.quota.vocab import Status
from compliance.quota.wording import Percent, Term, format_number, term

DEFAULT_MAX_PACK_AGE_DAYS = 365
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Options:
    today: date
    max_pack_age_days: int = DEFAULT_MAX_PACK_AGE_DAYS
    apply_threshold: bool = True  # a period may test the threshold on the average instead


def _header(pack: RulePack, role: ResultRole) -> ExplanationLine:
    title = Term(pack.id, pack.title.id, pack.title.en)
    if role is ResultRole.COMPARISON:
        until = pack.effective_to or pack.effective_from
        return explain(
            "pack_history",
            pack.effective_source,
            pack=pack.short_name,
            title=title,
            since=pack.effective_from,
            until=until,
        )
    if role is ResultRole.OVERLAY:
        code = pack.region or ""
        name = Term(code, pack.region_name.id, pack.region_name.en) if pack.region_name else code
        return explain(
            "overlay_in_force",
            pack.effective_source,
            region=name,
            pack=pack.short_name,
            title=title,
            since=pack.effective_from,
        )
    return explain(
        "pack_in_force",
        pack.effective_source,
        pack=pack.short_name,
        title=title,
        since=pack.effective_from,
    )


def rounding_term(pack: RulePack) -> Term:
    mode = pack.rounding.mode
    if mode is RoundingMode.REMAINDER_OVER:
        cutoff = pack.rounding.cutoff
        return Term(
            f"{mode.value}:{cutoff}",
            f"ke bawah, ditambah satu bila sisanya lebih dari {format_number(cutoff, 'id')}",
            f"down, plus one if the remainder is over {format_number(cutoff, 'en')}",
        )
    return term(mode.value)


def _stale_warning(pack: RulePack, options: Options) -> ExplanationLine | None:
    verified = pack.oldest_verification
    if verified >= options.today - timedelta(days=options.max_pack_age_days):
        return None
    return explain(
        "stale_pack", None, pack=pack.short_name, verified=verified, days=options.max_pack_age_days
    )


def resolve_rate(
    snapshot: Snapshot, pack: RulePack
) -> tuple[RateRule | None, LegalFormRule | None]:
    """The rate by sector, or by a legal form the pack rates as another sector (LAW.md row 1)."""
    form_rule = pack.legal_forms.get(snapshot.legal_form) if snapshot.legal_form else None
    sector = form_rule.rate_as if form_rule else snapshot.sector
    return pack.rates.get(sector), form_rule


def assess(
    snapshot: Snapshot, pack: RulePack, counts: Counts, role: ResultRole, options: Options
) -> QuotaResult:
    """Apply one pack's rate, threshold, rounding and minimums to already-made counts."""
    lines = [_header(pack, role)]
    warnings: list[ExplanationLine] = []
    stale = _stale_warning(pack, options)
    if stale is not None:
        warnings.append(stale)
    duties = tuple(
        explain("overlay_duty", d.source, duty=Term(d.code, d.text.id, d.text.en))
        for d in pack.duties
    )
    sanctions = tuple(
        explain("overlay_sanction", s.source, sanction=Term(s.code, s.text.id, s.text.en))
        for s in pack.sanctions
    )
    verified = pack.oldest_verification

    def finish(
        status: Status,
        source: Source | None,
        rate: Decimal | None = None,
        exact_required: Decimal | None = None,
        required: int | None = None,
        gap: Decimal | None = None,
    ) -> QuotaResult:
        lines.append(explain("status", source, status=term(status.value)))
        return QuotaResult(
            pack_id=pack.id,
            role=role,
            as_of=snapshot.as_of,
            sector=snapshot.sector,
            region=snapshot.region,
            status=status,
            denominator=counts.denominator,
            rate=rate,
            exact_required=exact_required,
            required=required,
            counted=counts.counted,
            unverified=counts.unverified,
            gap=gap,
            lines=tuple(lines),
            warnings=tuple(warnings),
            duties=duties,
            sanctions=sanctions,
            pack_verified=verified,
            is_stale=stale is not None,
        )

    rate_rule, form_rule = resolve_rate(snapshot, pack)
    sector = form_rule.rate_as if form_rule else snapshot.sector
    if rate_rule is None:
        lines.append(
            explain("sector_not_covered", pack.effective_source, sector=term(snapshot.sector.value))
        )
        return finish(Status.NO_OBLIGATION, pack.effective_source)
    rate = Percent(rate_rule.rate)
    if form_rule is not None:
        lines.append(
            explain(
                "legal_form_rate",
                form_rule.source,
                rate=rate,
                legal_form=term(form_rule.legal_form.value),
                sector=term(sector.value),
            )
        )
        if form_rule.needs_verification and role is ResultRole.PRIMARY:
            warnings.append(
                explain(
                    "sector_needs_verification",
                    form_rule.source,
                    rate=rate,
                    legal_form=term(form_rule.legal_form.value),
                    sector=term(sector.value),
                )
            )
    else:
        lines.append(explain("sector_rate", rate_rule.source, sector=term(sector.value), rate=rate))

    if role is ResultRole.OVERLAY:
        lines.append(explain("overlay_counting", pack.counting_source))
    else:
        lines.extend(counting_lines(counts, pack))
        if counts.unverified and role is ResultRole.PRIMARY and pack.numerator is not None:
            warnings.append(
                explain(
                    "unverified_evidence", pack.numerator.evidence_source, count=counts.unverified
                )
            )
    denominator = counts.denominator
    if denominator is None:
        return finish(Status.INSUFFICIENT_DATA, None, rate=rate_rule.rate)

    threshold = pack.threshold
    if threshold is not None:
        minimum = threshold.min_denominator
        if minimum is None:
            lines.append(explain("threshold_none", threshold.source))
        elif options.apply_threshold and denominator < minimum:
            lines.append(
                explain(
                    "threshold_not_met", threshold.source, minimum=minimum, denominator=denominator
                )
            )
            return finish(Status.NO_OBLIGATION, threshold.source, rate=rate_rule.rate)
        elif options.apply_threshold:
            lines.append(
                explain("threshold_met", threshold.source, minimum=minimum, denominator=denominator)
            )

    with localcontext() as context:
        context.prec = 60  # rate × N is exact for any realistic N
        exact = (rate_rule.rate * denominator).normalize()
    exact = exact if exact else ZERO
    lines.append(
        explain("required_exact", rate_rule.source, rate=rate, denominator=denominator, exact=exact)
    )
    required = rounded_required(pack, exact, exact, snapshot.attributes, denominator, lines)

    counted = counts.counted
    gap = max(ZERO, required - counted)
    if gap:
        lines.append(explain("gap", rate_rule.source, required=required, counted=counted, gap=gap))
    else:
        lines.append(explain("no_gap", rate_rule.source, required=required, counted=counted))
    if role is ResultRole.OVERLAY:
        lines.extend(duties)
        lines.extend(sanctions)
    status = Status.COMPLIANT if counted >= required else Status.SHORTFALL
    return finish(
        status,
        rate_rule.source,
        rate=rate_rule.rate,
        exact_required=exact,
        required=required,
        gap=gap.normalize() if gap else ZERO,
    )


def rounded_required(
    pack: RulePack,
    exact: Decimal | Fraction,
    shown: Decimal,
    attributes: frozenset[str],
    denominator: Decimal | Fraction,
    lines: list[ExplanationLine],
) -> int:
    """Round the exact requirement by the pack's rule, then lift it to any minimum that applies.

    Shared by a single snapshot and a period average, so both explain rounding the same way.
    """
    required = round_required(exact, pack.rounding.mode, pack.rounding.cutoff)
    lines.append(
        explain(
            "required_rounded",
            pack.rounding.source,
            exact=shown,
            rounding=rounding_term(pack),
            required=required,
        )
    )
    for rule in pack.minimums:
        applies = rule.attribute in attributes and denominator < rule.below_denominator
        if applies and rule.required > required:
            required = rule.required
            lines.append(
                explain(
                    "minimum_applied",
                    rule.source,
                    required=required,
                    label=Term(rule.attribute, rule.label.id, rule.label.en),
                )
            )
    return required
