"""Demo workforce: monthly figures and a small consented roster, so the gap page has numbers.

Written through the same services an HR manager uses, so the demo obeys every rule (consent
before disability details, no future months) and running it again changes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import User
from compliance.models.organizations import Organization, Sector
from compliance.models.people import Employee
from compliance.services.consent import record_consent
from compliance.services.dates import months_ending, previous_month
from compliance.services.disability import (
    DisabilityInput,
    set_disability_details,
    verify_evidence,
)
from compliance.services.roster import EmployeeInput, add_employee
from compliance.services.workforce import (
    GOVERNMENT_SECTORS,
    employment_types_for,
    record_monthly_figures,
)

#: Headcount per establishment by position (head office first), per employment type.
PUBLIC_COUNTS = ({"pns": 160, "pppk": 40}, {"pns": 60, "pppk": 20})
COMPANY_COUNTS = ({"permanent": 180, "fixed_term": 40}, {"permanent": 60, "fixed_term": 20})

#: (employee number, name, categories, evidence type, verified) for the private demo company.
DEMO_EMPLOYEES = (
    ("MB-0007", "Rina Kusuma", ("sensory",), "kpd", True),
    ("MB-0023", "Agus Pratama", ("physical",), "self_declaration", False),
)


def load_demo_workforce(session: Session, hr: User, organization: Organization) -> None:
    """Fifteen months of figures for every establishment; two consented employees for PT Maju."""
    today = organization.today()
    sizes = PUBLIC_COUNTS if organization.sector in GOVERNMENT_SECTORS else COMPANY_COUNTS
    reported = employment_types_for(organization.sector)
    for position, establishment in enumerate(organization.establishments):
        # Every type the sector reports gets a number (0 where none), as an HR manager would.
        counts = {t.value: 0 for t in reported} | sizes[min(position, 1)]
        for month in months_ending(previous_month(today), 15):
            record_monthly_figures(session, hr, establishment.id, month, counts, today=today)
    if organization.sector is Sector.PRIVATE:
        _demo_roster(session, hr, organization, today)


def _demo_roster(session: Session, hr: User, organization: Organization, today: date) -> None:
    head_office = organization.establishments[0]
    start = date(today.year - 2, 1, 2)
    for number, name, categories, evidence, verified in DEMO_EMPLOYEES:
        exists = session.scalar(
            select(Employee.id).where(
                Employee.organization_id == organization.id, Employee.employee_number == number
            )
        )
        if exists is not None:
            continue
        employee = add_employee(
            session,
            hr,
            EmployeeInput(number, name, head_office.id, "permanent", start_date=start),
        )
        record_consent(
            session, hr, employee.id, given_by="employee", method="written", given_on=start
        )
        set_disability_details(
            session,
            hr,
            employee.id,
            DisabilityInput(categories=categories, evidence_type=evidence, evidence_date=start),
        )
        if verified:
            verify_evidence(session, hr, employee.id)
