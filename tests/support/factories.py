"""Test data builders. They commit through the real models and return plain values,
so no ORM object outlives the app context that loaded it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.extensions import db
from compliance.models import Establishment, Organization, Province, Reach, Regency, Role, User
from compliance.models.tenancy import reach_scope
from compliance.services.passwords import hash_password

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    nib: str
    npwp: str
    hr_email: str
    establishment_ids: tuple[int, ...]


@dataclass(frozen=True)
class UserRef:
    id: int
    email: str
    role: Role
    organization_id: int | None = None


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that sees everything, committed on success."""
        with self.app.app_context(), reach_scope(db.session, Reach.for_everything()):
            yield db.session
            db.session.commit()

    def org(
        self,
        *,
        name: str | None = None,
        sector: str = "private",
        regency: str = "31.71",
        other_regencies: tuple[str, ...] = (),
    ) -> OrgRef:
        n = next(_counter)
        name = name or f"PT Contoh {n}"
        with self.session() as session:
            org = Organization(
                name=name,
                nib=f"{n:013d}",
                npwp=f"{n:015d}",
                sector=sector,
                head_office_regency_code=regency,
            )
            org.establishments.append(
                Establishment(name="Kantor pusat", regency_code=regency, is_head_office=True)
            )
            for code in other_regencies:
                org.establishments.append(Establishment(name=f"Cabang {code}", regency_code=code))
            session.add(org)
            session.flush()
            hr = User(
                email=f"hr{n}@example.com",
                name=f"HR {n}",
                role=Role.HR_MANAGER,
                organization_id=org.id,
                password_hash=hash_password(PASSWORD),
            )
            session.add(hr)
            session.flush()
            return OrgRef(
                org.id, name, org.nib, org.npwp, hr.email, tuple(e.id for e in org.establishments)
            )

    def user(
        self,
        role: Role,
        *,
        organization_id: int | None = None,
        provinces: tuple[str, ...] = (),
        regencies: tuple[str, ...] = (),
        email: str | None = None,
    ) -> UserRef:
        n = next(_counter)
        email = email or f"{role.value}{n}@example.com"
        with self.session() as session:
            user = User(
                email=email,
                name=f"{role.value} {n}",
                role=role,
                organization_id=organization_id,
                password_hash=hash_password(PASSWORD),
            )
            if provinces:
                user.provinces = list(
                    session.scalars(select(Province).where(Province.code.in_(provinces)))
                )
            if regencies:
                user.regencies = list(
                    session.scalars(select(Regency).where(Regency.code.in_(regencies)))
                )
            session.add(user)
            session.flush()
            return UserRef(user.id, email, role, organization_id)
