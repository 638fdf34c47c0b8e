"""The quota engine: UU 8/2016 disability-employment quota rules as dated, cited rule packs.

Pure Python (standard library only): no Flask, no database, no clock. A caller builds a
`Snapshot` (or a `Period` of monthly snapshots), calls `evaluate` (or `evaluate_period`) with
today's date, and gets a `QuotaResult` (or `PeriodResult`) whose every number is explained by an
`ExplanationLine` citing its legal source or marked "product default, not in the law".
`easy_read(on=...)` gives the plain-language explanation of the rules themselves.
"""

from compliance.quota.assess import DEFAULT_MAX_PACK_AGE_DAYS
from compliance.quota.citation import PRODUCT_DEFAULT_EN, PRODUCT_DEFAULT_ID, Citation, Source
from compliance.quota.easy_read import EasyRead, EasyReadSection, easy_read
from compliance.quota.easy_read_items import EasyReadItem
from compliance.quota.engine import evaluate
from compliance.quota.lines import CATALOG, ExplanationLine
from compliance.quota.loader import load_pack, load_pack_text
from compliance.quota.model import DisabledEmployee, Period, Snapshot
from compliance.quota.pack import PackKind, PeriodMethod, RulePack
from compliance.quota.pack_catalog import PackRegistry, default_registry, load_registry
from compliance.quota.parse import parse_document, parse_period, parse_snapshot
from compliance.quota.period import evaluate_period
from compliance.quota.result import PeriodResult, QuotaResult, ResultRole
from compliance.quota.rounding import RoundingMode, round_required
from compliance.quota.tomlreader import PackError
from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    InputError,
    LegalForm,
    QuotaError,
    Sector,
    Status,
)

__all__ = [
    "CATALOG",
    "DEFAULT_MAX_PACK_AGE_DAYS",
    "PRODUCT_DEFAULT_EN",
    "PRODUCT_DEFAULT_ID",
    "Citation",
    "DisabilityCategory",
    "DisabledEmployee",
    "EasyRead",
    "EasyReadItem",
    "EasyReadSection",
    "EmploymentType",
    "EvidenceType",
    "ExplanationLine",
    "InputError",
    "LegalForm",
    "PackError",
    "PackKind",
    "PackRegistry",
    "Period",
    "PeriodMethod",
    "PeriodResult",
    "QuotaError",
    "QuotaResult",
    "ResultRole",
    "RoundingMode",
    "RulePack",
    "Sector",
    "Snapshot",
    "Source",
    "Status",
    "default_registry",
    "easy_read",
    "evaluate",
    "evaluate_period",
    "load_pack",
    "load_pack_text",
    "load_registry",
    "parse_document",
    "parse_period",
    "parse_snapshot",
    "round_required",
]
