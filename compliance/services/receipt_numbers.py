"""Receipt numbers and the public check of a receipt by its number and hash (issue 17).

A receipt is numbered when its declaration is submitted, inside the submitting transaction:
"KI-2026-000042-0001" is the first receipt organisation 42 received in 2026 (the year at its
head office). The organisation's id makes the number unique nationwide, so an office can file
and find it by the number alone; the sequence tells the company's receipts of one year apart.
Two colleagues submitting at the same instant must not both take the next number: the
organisation's row is locked (`SELECT ... FOR UPDATE` on PostgreSQL) before the highest
number is read, and the unique constraint (organization_id, receipt_year, receipt_seq) stands
behind it. SQLite writes one transaction at a time anyway.

Anyone holding a receipt (an inspector, a court, another office) checks it on a public page
with the number and the SHA-256 printed on it, or by scanning its QR code, which holds the same
link. The page reads one declaration by its unique number outside any tenant scope and shows
only what the receipt itself shows; with a wrong hash it says so and shows nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from compliance.clock import as_utc, local_date, zone_label
from compliance.models.declarations import Declaration, ReportingPeriod
from compliance.models.organizations import Organization
from compliance.models.tenancy import SKIP_OPTION
from compliance.services import ServiceError, settings

#: The path of the public page (also its route): a receipt printed years ago must still lead
#: there, so it is part of the document and never changes.
VERIFY_PATH = "/receipts/verify"
NUMBER_PATTERN = re.compile(r"^KI-(\d{4})-(\d{6})-(\d{4,})$")
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def format_number(year: int, organization_id: int, seq: int) -> str:
    return f"KI-{year}-{organization_id:06d}-{seq:04d}"


def assign_receipt_number(
    session: Session, declaration: Declaration, submitted_at: datetime
) -> str:
    """Give a declaration being submitted the next receipt number of its organisation's year.

    Without autoflush: the declaration is half-way to submitted, and flushing it before its
    number is set would write a submitted row that may then not change (it is immutable)."""
    with session.no_autoflush:
        organization = session.scalar(
            select(Organization)
            .where(Organization.id == declaration.organization_id)
            .with_for_update()
        )
        assert organization is not None  # the submitting HR manager's own organisation
        year = local_date(as_utc(submitted_at), organization.zone).year
        highest = session.scalar(
            select(func.max(Declaration.receipt_seq)).where(
                Declaration.organization_id == organization.id, Declaration.receipt_year == year
            )
        )
    seq = (highest or 0) + 1
    declaration.receipt_year, declaration.receipt_seq = year, seq
    declaration.receipt_number = format_number(year, organization.id, seq)
    return declaration.receipt_number


def verification_url(number: str, sha256: str) -> str:
    """The link printed on the receipt and held by its QR code: from BASE_URL only, never from
    the request that happened to make the receipt (a Host header is the client's to choose)."""
    return f"{settings().base_url}{VERIFY_PATH}?{urlencode({'number': number, 'sha256': sha256})}"


@dataclass(frozen=True)
class ReceiptCheck:
    """The answer of the verification page. `problem` is None when the receipt is genuine."""

    problem: str | None
    number: str = ""
    organization: str = ""
    nib: str = ""
    period: str = ""
    version: int = 0
    #: At the head office, with the zone's name, as the receipt prints it.
    submitted_at: str = ""
    packs: tuple[str, ...] = ()
    #: The number of the version that corrected this one, when there is one.
    corrected_by: str | None = None

    @property
    def is_genuine(self) -> bool:
        return self.problem is None


def cleaned_query(number: str | None, sha256: str | None) -> tuple[str, str]:
    """The number and hash as typed or scanned: spaces and case forgiven, length bounded (a
    10 KB query string is read no further than this)."""
    number = (number or "")[:64].strip().upper()
    sha256 = "".join((sha256 or "")[:200].split()).lower()
    return number, sha256


def check_receipt(session: Session, number: str, sha256: str) -> ReceiptCheck:
    """Whether a receipt with this number and this SHA-256 was issued here. A value that
    cannot be one is refused with the field it belongs to."""
    if not NUMBER_PATTERN.match(number):
        raise ServiceError(
            _("Enter the receipt number as printed, for example KI-2026-000042-0001."),
            field="number",
        )
    if not HASH_PATTERN.match(sha256):
        raise ServiceError(
            _("Enter the SHA-256 as printed: 64 characters, digits 0-9 and letters a-f."),
            field="sha256",
        )
    declaration = session.scalar(
        select(Declaration)
        .where(Declaration.receipt_number == number)
        .execution_options(**{SKIP_OPTION: True})
    )
    if declaration is None:
        return ReceiptCheck(_("No receipt with this number was issued by this service."), number)
    if declaration.input_sha256 != sha256:
        return ReceiptCheck(
            _(
                "A receipt with this number exists, but its SHA-256 is different: the copy you "
                "hold was changed, or the hash was mistyped."
            ),
            number,
        )
    organization = session.scalar(
        select(Organization)
        .where(Organization.id == declaration.organization_id)
        .execution_options(**{SKIP_OPTION: True})
    )
    assert organization is not None
    assert declaration.submitted_at is not None
    period = session.scalar(
        select(ReportingPeriod.label)
        .where(ReportingPeriod.id == declaration.period_id)
        .execution_options(**{SKIP_OPTION: True})
    )
    correction = session.scalar(
        select(Declaration.receipt_number)
        .where(Declaration.corrects_id == declaration.id, Declaration.receipt_number.is_not(None))
        .execution_options(**{SKIP_OPTION: True})
    )
    return ReceiptCheck(
        None,
        number,
        organization=organization.name,
        nib=organization.nib,
        period=period or "",
        version=declaration.number,
        submitted_at=zone_label(declaration.submitted_at, organization.zone),
        packs=tuple(str(p.get("id")) for p in declaration.data.get("packs", [])),
        corrected_by=correction,
    )
