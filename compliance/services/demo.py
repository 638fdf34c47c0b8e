"""Demo data for a first look: one organisation per sector and one account per role.

Idempotent: running it again changes nothing and prints the same logins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.models.accounts import Role, User
from compliance.models.organizations import Establishment, Organization, Sector
from compliance.models.regions import Province, Regency
from compliance.services.audit import record_event
from compliance.services.demo_workforce import load_demo_workforce
from compliance.services.passwords import hash_password
from compliance.services.registry.demo import load_registry_demo

DEMO_PASSWORD = "kuota-demo-2026"  # noqa: S105 - printed for the person trying the demo

#: (name, NIB, NPWP, sector, head office, other establishments, HR e-mail)
ORGANIZATIONS = [
    (
        "Kementerian Contoh Ketenagakerjaan",
        "9120000000001",
        "010000000000001",
        Sector.CENTRAL_GOVERNMENT,
        "31.71",
        [],
        "hr@kementerian.demo",
    ),
    (
        "Pemerintah Kota Tangerang (demo)",
        "9120000000002",
        "010000000000002",
        Sector.REGIONAL_GOVERNMENT,
        "36.71",
        [],
        "hr@pemkot-tangerang.demo",
    ),
    (
        "PT Sarana Negara Demo (Persero)",
        "9120000000003",
        "010000000000003",
        Sector.SOE,
        "32.73",
        ["35.78"],
        "hr@sarana-negara.demo",
    ),
    (
        "PD Bantul Sejahtera (demo)",
        "9120000000004",
        "010000000000004",
        Sector.REGIONAL_SOE,
        "34.02",
        [],
        "hr@bantul-sejahtera.demo",
    ),
    (
        "PT Maju Bersama Demo",
        "9120000000005",
        "0100000000000005",
        Sector.PRIVATE,
        "32.75",
        ["36.03"],
        "hr@maju-bersama.demo",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    detail: str


def _user(session: Session, email: str, name: str, role: Role, **extra: object) -> User:
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email, name=name, role=role, password_hash=hash_password(DEMO_PASSWORD), **extra
        )
        session.add(user)
        session.flush()
        record_event(
            session,
            None,
            "demo.user_created",
            user,
            organization_id=user.organization_id,
            data={"role": role.value},
        )
    return user


def load_demo_data(session: Session) -> list[DemoLogin]:
    """Create what is missing; the caller runs this under an everything-reach and commits."""
    logins: list[DemoLogin] = []
    for name, nib, npwp, sector, head, others, email in ORGANIZATIONS:
        organization = session.scalar(select(Organization).where(Organization.nib == nib))
        if organization is None:
            organization = Organization(
                name=name, nib=nib, npwp=npwp, sector=sector, head_office_regency_code=head
            )
            organization.establishments.append(
                Establishment(name="Kantor pusat", regency_code=head, is_head_office=True)
            )
            for code in others:
                organization.establishments.append(
                    Establishment(
                        name=f"Cabang {session.get(Regency, code).name}",  # type: ignore[union-attr]
                        regency_code=code,
                    )
                )
            session.add(organization)
            session.flush()
            record_event(
                session,
                None,
                "demo.organization_created",
                organization,
                organization_id=organization.id,
            )
        hr = _user(session, email, f"HR {name}", Role.HR_MANAGER, organization_id=organization.id)
        load_demo_workforce(session, hr, organization)
        logins.append(DemoLogin(email, Role.HR_MANAGER, f"{name} ({sector.value})"))

    inspector = _user(session, "inspektur@disnaker.demo", "Inspektur Demo", Role.INSPECTOR)
    if not inspector.provinces:
        inspector.provinces = list(
            session.scalars(select(Province).where(Province.code.in_(["31", "32"])))
        )
    logins.append(DemoLogin(inspector.email, Role.INSPECTOR, "DKI Jakarta, Jawa Barat"))

    officer = _user(
        session, "petugas@uld-tangerang.demo", "Petugas ULD Demo", Role.REGISTRY_OFFICER
    )
    if not officer.regencies:
        officer.regencies = list(
            session.scalars(select(Regency).where(Regency.code.in_(["36.71", "36.03"])))
        )
    logins.append(
        DemoLogin(officer.email, Role.REGISTRY_OFFICER, "Kota Tangerang, Kabupaten Tangerang")
    )

    load_registry_demo(session)

    admin = _user(session, "admin@kuota-inklusi.demo", "Admin Demo", Role.ADMIN)
    logins.append(DemoLogin(admin.email, Role.ADMIN, "platform administrator"))
    session.flush()
    return logins
