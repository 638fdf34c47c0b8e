"""The engine's vocabularies and how a value is checked against them: sectors, employment
types, disability categories, evidence, legal forms, statuses and region codes.

Apart from the frozen inputs in `model` so both `model` and anything that only needs a code's
meaning read them without the other (each bad value raises `InputError` naming the field).
"""

from __future__ import annotations

import enum
import re
from typing import TypeVar


class QuotaError(Exception):
    """Base of every error the quota engine raises on purpose."""


class InputError(QuotaError, ValueError):
    """A snapshot or period is invalid; `field` names the offending input, dotted."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def within(self, prefix: str) -> InputError:
        """The same error, located inside a containing document (`snapshots[2]`...)."""
        return InputError(f"{prefix}.{self.field}" if self.field else prefix, self.message)


class Sector(enum.StrEnum):
    CENTRAL_GOVERNMENT = "central_government"
    REGIONAL_GOVERNMENT = "regional_government"
    SOE = "soe"  # BUMN
    REGIONAL_SOE = "regional_soe"  # BUMD
    PRIVATE = "private"


class EmploymentType(enum.StrEnum):
    PERMANENT = "permanent"  # PKWTT
    FIXED_TERM = "fixed_term"  # PKWT
    DAILY = "daily"
    PART_TIME = "part_time"
    OUTSOURCED = "outsourced"
    INTERN = "intern"
    PNS = "pns"
    PPPK = "pppk"
    HONORER = "honorer"


class DisabilityCategory(enum.StrEnum):
    """Ragam disabilitas, UU 8/2016 Pasal 4. Stored as a category, never a diagnosis."""

    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    SENSORY = "sensory"
    MULTIPLE = "multiple"


class EvidenceType(enum.StrEnum):
    KPD = "kpd"  # Kartu Penyandang Disabilitas
    MEDICAL_LETTER = "medical_letter"
    ULD_ASSESSMENT = "uld_assessment"
    SELF_DECLARATION = "self_declaration"


class LegalForm(enum.StrEnum):
    """Legal forms whose sector is ambiguous (LAW.md row 1); `None` on a snapshot means ordinary."""

    SOE_SUBSIDIARY = "soe_subsidiary"
    REGIONAL_SOE_SUBSIDIARY = "regional_soe_subsidiary"
    COOPERATIVE = "cooperative"
    FOUNDATION = "foundation"


E = TypeVar("E", bound=enum.StrEnum)


class Status(enum.StrEnum):
    COMPLIANT = "compliant"
    SHORTFALL = "shortfall"
    NO_OBLIGATION = "no_obligation"
    INSUFFICIENT_DATA = "insufficient_data"


# Kemendagri codes: province "34", regency/city "34.02", district "34.02.01",
# village "34.02.01.2001".
_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def is_region_code(code: str) -> bool:
    return _REGION_CODE.fullmatch(code) is not None


def region_contains(outer: str, inner: str) -> bool:
    """True when region `inner` lies in (or is) region `outer`: "34" contains "34.02"."""
    return inner == outer or inner.startswith(outer + ".")


def coerce(enum_type: type[E], value: object, field_name: str) -> E:
    """An enum member from itself or from its code string (what a form or database gives)."""
    if isinstance(value, enum_type):
        return value
    if not isinstance(value, str):
        raise InputError(field_name, f"must be a code string, got {value!r}")
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise InputError(field_name, f"unknown value {value!r} (allowed: {allowed})") from None


def check_count(value: object, field_name: str) -> int:
    """A head count: a non-negative integer; bools and Decimals are refused on purpose."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(field_name, f"must be a whole number, got {value!r}")
    if value < 0:
        raise InputError(field_name, f"must not be negative, got {value}")
    return value
