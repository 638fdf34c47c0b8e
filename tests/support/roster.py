"""Builders for roster tests: an employee, optionally with consent and disability details,
created through the real services as the organisation's HR manager."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from compliance.models import Establishment, User
from compliance.services.consent import record_consent
from compliance.services.disability import DisabilityInput, set_disability_details
from compliance.services.roster import EmployeeInput, add_employee
from tests.support.clock import today
from tests.support.factories import Factory

SECRET_ACCOMMODATION = "pembaca layar NVDA"
SECRET_EVIDENCE_NUMBER = "KPD-3171-000123"
SECRET_GUARDIAN = "Ibu Sri Wahyuni"


def make_employee(
    factory: Factory,
    organization_id: int,
    *,
    number: str = "E-001",
    name: str = "Sari Dewi",
    consent: bool = False,
    guardian: bool = False,
    details: bool = False,
) -> int:
    with factory.session() as session:
        hr = session.scalar(
            select(User).where(User.organization_id == organization_id).order_by(User.id)
        )
        establishment_id = session.scalar(
            select(Establishment.id).where(Establishment.organization_id == organization_id)
        )
        employee = add_employee(
            session,
            hr,
            EmployeeInput(
                employee_number=number,
                name=name,
                establishment_id=establishment_id,
                employment_type="permanent",
                start_date=date(today().year - 2, 1, 15),
            ),
        )
        if consent or details:
            record_consent(
                session,
                hr,
                employee.id,
                given_by="guardian" if guardian else "employee",
                guardian_name=SECRET_GUARDIAN if guardian else "",
                method="written",
                given_on=date(today().year - 1, 1, 10),
            )
        if details:
            set_disability_details(
                session,
                hr,
                employee.id,
                DisabilityInput(
                    categories=["sensory", "physical"],
                    accommodation=SECRET_ACCOMMODATION,
                    evidence_type="kpd",
                    evidence_number=SECRET_EVIDENCE_NUMBER,
                    evidence_date=date(today().year - 2, 6, 1),
                    evidence_expires_on=date(today().year + 3, 6, 1),
                ),
            )
        return employee.id
