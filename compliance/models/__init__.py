"""SQLAlchemy 2 typed models, one module per aggregate.

Importing this package registers every model on `Base.metadata` (Alembic and the tests rely on it).
"""

# Feature modules whose classes are imported where they are used; importing them here registers
# their tables on the metadata.
from compliance.models import (  # noqa: F401
    api,
    billing,
    calendar,
    candidate_imports,
    counts,
    exports,
    files,
    inspections,
    jobs,
    letters,
    mail,
    referrals,
    registry,
    webhooks,
)
from compliance.models.accounts import Invitation, LoginAttempt, Role, User
from compliance.models.audit import AuditEvent
from compliance.models.base import Base
from compliance.models.declarations import Declaration, DeclarationStatus, ReportingPeriod
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.models.organizations import Establishment, Organization, Sector
from compliance.models.people import ConsentRecord, Employee
from compliance.models.regions import Province, Regency
from compliance.models.tenancy import Reach, TenantScopeMissing
from compliance.models.workforce import WorkforceFigure

__all__ = [
    "AuditEvent",
    "Base",
    "ConsentRecord",
    "Declaration",
    "DeclarationStatus",
    "Employee",
    "Establishment",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "Invitation",
    "LoginAttempt",
    "Organization",
    "Province",
    "Reach",
    "Regency",
    "ReportingPeriod",
    "Role",
    "Sector",
    "TenantScopeMissing",
    "User",
    "WorkforceFigure",
]
