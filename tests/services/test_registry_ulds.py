"""The ULD directory: routing a request to the regency's ULD, else the province's, else none."""

from __future__ import annotations

import pytest

from compliance.models import Role, User
from compliance.services import PermissionDenied, ServiceError
from compliance.services.registry.ulds import UldInput, route, save_uld
from tests.registry.support import make_uld


def test_route_prefers_the_regency_then_the_province_then_none(app, factory):
    city = make_uld(factory, "36", "36.71")
    province = make_uld(factory, "31", None)
    with factory.session() as session:
        assert route(session, "36.71").uld.id == city
        assert route(session, "36.03").uld is None  # Banten has no provincial ULD here
        assert route(session, "31.71").uld.id == province  # Jakarta Pusat: the province's
        assert route(session, "35.78").uld is None


def test_only_admins_manage_the_directory_and_regions_stay_unique(app, factory):
    admin = factory.user(Role.ADMIN)
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("36.71",))
    with factory.session() as session:
        data = UldInput(name="ULD Kota Tangerang", province_code="36", regency_code="36.71")
        with pytest.raises(PermissionDenied):
            save_uld(session, session.get(User, officer.id), data)
        save_uld(session, session.get(User, admin.id), data)
        with pytest.raises(ServiceError, match="already has a ULD"):
            save_uld(session, session.get(User, admin.id), data)
        wrong = UldInput(name="ULD", province_code="31", regency_code="36.71")
        with pytest.raises(ServiceError, match="of the chosen province"):
            save_uld(session, session.get(User, admin.id), wrong)
