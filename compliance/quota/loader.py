"""Loading and validating rule-pack TOML files into `RulePack` values.

The format is documented in this package's README. Validation is strict (unknown keys, unknown
vocabulary, missing citations, dangling source references all fail), because a pack is legal data
and a silent default in it would be a wrong number in front of an employer or an inspector.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

from compliance.quota.citation import Citation, Source
from compliance.quota.pack import (
    DenominatorRule,
    Duty,
    LegalFormRule,
    Minimum,
    NumeratorRule,
    PackKind,
    PeriodMethod,
    PeriodRule,
    RateRule,
    Rounding,
    RulePack,
    Threshold,
    ThresholdBasis,
    WeightRule,
)
from compliance.quota.rounding import RoundingMode
from compliance.quota.tomlreader import PackError, Table
from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    LegalForm,
    Sector,
    is_region_code,
)

FORMAT_VERSION = 1


def load_pack(path: Path) -> RulePack:
    return load_pack_text(path.read_text(encoding="utf-8"), path.name)


def load_pack_text(text: str, name: str = "<pack>") -> RulePack:
    try:
        # parse_float=Decimal: "rate = 0.02" must be exactly two hundredths, never a float.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PackError(name, "", f"not valid TOML: {error}") from None
    root = Table(data, "", name)
    version = root.integer("format", default=0)
    if version != FORMAT_VERSION:
        raise root.error("format", f"must be {FORMAT_VERSION}")
    sources = _sources(root.req_table("sources"))
    pack = _pack(root, sources)
    root.finish()
    return pack


def _sources(table: Table) -> dict[str, Source]:
    sources = {}
    for key, entry in table.subtables():
        is_default = entry.boolean("product_default", default=False)
        law = entry.string("law", required=not is_default)
        citation = None
        if law is not None:
            citation = Citation(
                law=law,
                article=entry.string("article", required=False),
                paragraph=entry.string("paragraph", required=False),
                point=entry.string("point", required=False),
                is_elucidation=entry.boolean("elucidation", default=False),
                url=entry.string("url", required=False),
            )
        elif any(entry.has(k) for k in ("article", "paragraph", "point")):
            raise entry.error("law", "is required when an article is cited")
        verified = entry.day("last_verified")
        assert verified is not None  # required
        note = entry.text("note", required=False)
        sources[key] = Source(
            key=key,
            is_product_default=is_default,
            citation=citation,
            last_verified=verified,
            note_id=note.id if note else None,
            note_en=note.en if note else None,
        )
        entry.finish()
    if not sources:
        raise table.error("", "a pack needs at least one source")
    return sources


def _pack(root: Table, sources: dict[str, Source]) -> RulePack:
    head = root.req_table("pack")
    kind = head.choice("kind", PackKind)
    assert kind is not None  # required
    region = head.string("region", required=kind is PackKind.OVERLAY)
    if kind is PackKind.NATIONAL and region is not None:
        raise head.error("region", "only an overlay pack has a region")
    if region is not None and not is_region_code(region):
        raise head.error("region", "must be a Kemendagri code such as '34.02'")
    effective_from = head.day("effective_from")
    effective_to = head.day("effective_to", required=False)
    assert effective_from is not None  # required
    if effective_to is not None and effective_to < effective_from:
        raise head.error("effective_to", "is before effective_from")
    pack = RulePack(
        id=head.req_string("id"),
        kind=kind,
        jurisdiction=head.req_string("jurisdiction"),
        region=region,
        region_name=head.text("region_name", required=kind is PackKind.OVERLAY),
        short_name=head.req_string("short_name"),
        title=head.req_text("title"),
        effective_from=effective_from,
        effective_to=effective_to,
        effective_source=head.source(sources, "effective_source"),
        counting_source=head.source(sources, "counting_source")
        if kind is PackKind.OVERLAY
        else None,
        is_history=head.boolean("is_history", default=False),
        comparisons=tuple(head.strings("comparisons") or ()),
        rates=_rates(root.req_table("rates"), sources),
        legal_forms=_legal_forms(root.table("legal_forms", required=False), sources),
        denominator=_denominator(
            root.table("denominator", required=kind is PackKind.NATIONAL), sources
        ),
        numerator=_numerator(root.table("numerator", required=kind is PackKind.NATIONAL), sources),
        rounding=_rounding(root.req_table("rounding"), sources),
        threshold=_threshold(root.table("threshold", required=False), sources),
        minimums=tuple(_minimum(entry, sources) for entry in root.tables("minimums")),
        period=_period(root.table("period", required=kind is PackKind.NATIONAL), sources),
        duties=tuple(_duty(entry, sources) for entry in root.tables("duties")),
        sanctions=tuple(_duty(entry, sources) for entry in root.tables("sanctions")),
        sources=sources,
        verified_on=min(source.last_verified for source in sources.values()),
        notes=tuple(entry.req_text("text") for entry in root.tables("notes")),
    )
    if kind is PackKind.OVERLAY and (pack.denominator or pack.numerator or pack.period):
        raise root.error("denominator", "an overlay counts with the national pack's rules")
    head.finish()
    return pack


def _rates(table: Table, sources: dict[str, Source]) -> dict[Sector, RateRule]:
    rates = {}
    for key, entry in table.subtables():
        sector = table.coerce(key, key, Sector)
        rate = entry.decimal("rate")
        assert rate is not None  # required
        if rate > 1:
            raise entry.error("rate", "is a fraction (0.02 for 2 %), not a percentage")
        rates[sector] = RateRule(sector, rate, entry.source(sources))
        entry.finish()
    return rates


def _legal_forms(table: Table | None, sources: dict[str, Source]) -> dict[LegalForm, LegalFormRule]:
    forms: dict[LegalForm, LegalFormRule] = {}
    for key, entry in table.subtables() if table else []:
        form = entry.coerce(key, key, LegalForm)
        rate_as = entry.choice("rate_as", Sector)
        assert rate_as is not None  # required
        needs = entry.boolean("needs_verification", default=False)
        forms[form] = LegalFormRule(form, rate_as, needs, entry.source(sources))
        entry.finish()
    return forms


def _denominator(
    table: Table | None, sources: dict[str, Source]
) -> dict[EmploymentType, DenominatorRule] | None:
    if table is None:
        return None
    rules = {}
    for key, entry in table.subtables():
        kind = table.coerce(key, key, EmploymentType)
        weight = entry.decimal("weight", required=False)
        rules[kind] = DenominatorRule(
            employment_type=kind,
            is_counted=entry.boolean("counted", default=True),
            weight=Decimal(1) if weight is None else weight,
            toggle=entry.string("toggle", required=False),
            reason=entry.text("reason", required=False),
            source=entry.source(sources),
        )
        entry.finish()
    missing = [kind.value for kind in EmploymentType if kind not in rules]
    if missing:
        # Every type must be decided explicitly: a forgotten type would silently count as zero.
        raise table.error("", f"missing employment type(s): {', '.join(missing)}")
    return rules


def _numerator(table: Table | None, sources: dict[str, Source]) -> NumeratorRule | None:
    if table is None:
        return None
    weights = []
    for entry in table.tables("weights"):
        weight = entry.decimal("weight")
        assert weight is not None  # required
        weights.append(
            WeightRule(
                weight=weight,
                label=entry.req_text("label"),
                source=entry.source(sources),
                categories=entry.choices("categories", DisabilityCategory),
                employment_types=entry.choices("employment_types", EmploymentType),
                evidence=entry.choices("evidence", EvidenceType),
                is_verified=entry.boolean("verified", default=False)
                if entry.has("verified")
                else None,
                min_weekly_hours=entry.decimal("min_weekly_hours", required=False),
                max_weekly_hours=entry.decimal("max_weekly_hours", required=False),
            )
        )
        entry.finish()
    accepted = table.choices("accepted_evidence", EvidenceType)
    if not accepted:
        raise table.error("accepted_evidence", "must list at least one evidence type")
    default_weight = table.decimal("default_weight", required=False)
    rule = NumeratorRule(
        definition=table.req_text("definition"),
        accepted_evidence=accepted,
        unverified_evidence=table.choices("unverified_evidence", EvidenceType) or frozenset(),
        weights=tuple(weights),
        default_weight=Decimal(1) if default_weight is None else default_weight,
        definition_source=table.source(sources, "definition_source"),
        counting_source=table.source(sources, "counting_source"),
        evidence_source=table.source(sources, "evidence_source"),
    )
    table.finish()
    return rule


def _rounding(table: Table, sources: dict[str, Source]) -> Rounding:
    mode = table.choice("mode", RoundingMode)
    assert mode is not None  # required
    cutoff = table.decimal("cutoff", required=False)
    if cutoff is not None and (mode is not RoundingMode.REMAINDER_OVER or cutoff >= 1):
        raise table.error("cutoff", "only for mode 'remainder_over', as a fraction below 1")
    rounding = Rounding(mode, Decimal("0.5") if cutoff is None else cutoff, table.source(sources))
    table.finish()
    return rounding


def _threshold(table: Table | None, sources: dict[str, Source]) -> Threshold | None:
    if table is None:
        return None
    threshold = Threshold(table.decimal("min_denominator", required=False), table.source(sources))
    table.finish()
    return threshold


def _minimum(table: Table, sources: dict[str, Source]) -> Minimum:
    below = table.decimal("below_denominator")
    assert below is not None  # required
    minimum = Minimum(
        attribute=table.req_string("attribute"),
        below_denominator=below,
        required=table.integer("required", default=1),
        label=table.req_text("label"),
        source=table.source(sources),
    )
    table.finish()
    return minimum


def _period(table: Table | None, sources: dict[str, Source]) -> PeriodRule | None:
    if table is None:
        return None
    method = table.choice("method", PeriodMethod)
    basis = table.choice("threshold_basis", ThresholdBasis, required=False)
    assert method is not None  # required
    rule = PeriodRule(
        method=method,
        threshold_basis=basis or ThresholdBasis.EACH_MONTH,
        average_places=table.integer("average_places", default=2),
        source=table.source(sources),
    )
    table.finish()
    return rule


def _duty(table: Table, sources: dict[str, Source]) -> Duty:
    duty = Duty(table.req_string("code"), table.req_text("text"), table.source(sources))
    table.finish()
    return duty
