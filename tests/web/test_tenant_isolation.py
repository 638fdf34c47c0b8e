"""Walk every route in `app.url_map` as every role and try to reach another tenant's objects.

Objects outside a user's reach must answer 404 (never 403, never 200), and pages without an
object in the URL must not show another tenant's data. A route with a URL parameter this test
does not know fails the test: whoever adds it must say which tenant object it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from compliance.models import AuditEvent, Invitation, Role, User
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.services.declarations import open_declaration
from compliance.services.team import invite_colleague
from tests.registry.support import registry_world
from tests.support.clock import last_year
from tests.support.inspections import inspection_world
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login

#: URL parameters that name a tenant's object, and those that do not.
OBJECT_PARAMS = {
    "organization_id",
    "invitation_id",
    "user_id",
    "employee_id",
    "establishment_id",
    "declaration_id",
    "import_id",
    "candidate_id",
    "training_id",
    "request_id",
    "referral_id",
    "case_id",
    "attachment_id",
    "letter_id",
    "webhook_id",
    "delivery_id",
}
OTHER_PARAMS = {
    "token": "not-a-valid-token",
    "filename": "app.css",
    "uld_id": 987654,
    "year": 2025,
    "province_code": "35",
    "mail_id": 987654,  # the outbox is platform data: admins only
    # A person's own (tests/web/test_exports.py and test_registry_candidates.py try another's).
    "export_id": 987654,
    "candidate_import_id": 987654,
    "token_id": 987654,  # a person's own API token (tests/api/test_tokens.py tries another's)
    "month": "2025-06",
}


@dataclass
class World:
    mine: object
    theirs: object
    their_invitation_id: int
    my_invitation_id: int
    their_hr_id: int
    users: dict[str, object]
    their_employee_id: int = 0
    their_declaration_id: int = 0
    their_import_id: int = 0
    their_registry: dict | None = None
    their_inspection: dict | None = None
    their_webhook: dict | None = None


def _invite(factory, organization_id: int, email: str) -> int:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == organization_id))
        return invite_colleague(session, hr, email, lambda token: f"/invitations/{token}").id


def _import_job(factory, organization_id: int) -> int:
    """A checked import waiting for confirmation, so confirm/discard would act if reachable."""
    with factory.session() as session:
        job = ImportJob(
            organization_id=organization_id,
            kind=ImportKind.ROSTER,
            status=ImportStatus.READY,
            filename="rahasia.csv",
            file_format="csv",
            total_rows=1,
            errors=[],
        )
        session.add(job)
        session.flush()
        return job.id


def _webhook(factory, organization_id: int) -> dict[str, int]:
    """A webhook endpoint of `organization_id` with an undelivered event, so "send again",
    "disable" and "delete" would act if reachable."""
    from compliance.models.webhooks import DeliveryStatus, WebhookDelivery
    from compliance.services.webhooks.endpoints import EndpointInput, create_endpoint

    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == organization_id))
        endpoint, _ = create_endpoint(
            session, hr, EndpointInput("http://127.0.0.1:9/rahasia", "Rahasia", ["case.opened"])
        )
        dead = WebhookDelivery(
            endpoint_id=endpoint.id,
            event_id="evt_rahasia",
            event_type="case.opened",
            payload="{}",
            status=DeliveryStatus.DEAD,
            attempts=7,
        )
        session.add(dead)
        session.flush()
        return {"webhook_id": endpoint.id, "delivery_id": dead.id}


def _declaration(factory, organization_id: int) -> int:
    """A draft declaration of last year for `organization_id`."""
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.organization_id == organization_id))
        return open_declaration(session, hr, last_year()).id


@pytest.fixture
def world(factory) -> World:
    mine = factory.org(name="PT Milik Kami", regency="31.71")  # Jakarta Pusat, DKI Jakarta
    theirs = factory.org(name="PT Rahasia Tetangga", regency="35.78")  # Surabaya, Jawa Timur
    users = {
        "hr_manager": factory.user(Role.HR_MANAGER, organization_id=mine.id),
        "inspector": factory.user(Role.INSPECTOR, provinces=("31",)),
        "registry_officer": factory.user(Role.REGISTRY_OFFICER, regencies=("31.71",)),
    }
    with factory.session() as session:
        their_hr_id = session.scalar(select(User.id).where(User.organization_id == theirs.id))
    return World(
        their_hr_id=their_hr_id,
        mine=mine,
        theirs=theirs,
        their_invitation_id=_invite(factory, theirs.id, "calon@tetangga.example.com"),
        my_invitation_id=_invite(factory, mine.id, "calon@kami.example.com"),
        users=users,
        their_employee_id=make_employee(factory, theirs.id, details=True),
        their_declaration_id=_declaration(factory, theirs.id),
        their_import_id=_import_job(factory, theirs.id),
        their_registry=registry_world(factory, theirs.id),
        their_inspection=inspection_world(factory, theirs.id),
        their_webhook=_webhook(factory, theirs.id),
    )


def _their_object(world: World, param: str) -> int:
    return {
        "organization_id": world.theirs.id,
        "invitation_id": world.their_invitation_id,
        "user_id": world.their_hr_id,
        "employee_id": world.their_employee_id,
        "declaration_id": world.their_declaration_id,
        "import_id": world.their_import_id,
        **(world.their_registry or {}),
        **(world.their_inspection or {}),
        **(world.their_webhook or {}),
        "establishment_id": world.theirs.establishment_ids[0],
    }[param]


def _url(rule, values) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _routes(app):
    for rule in app.url_map.iter_rules():
        unknown = set(rule.arguments) - OBJECT_PARAMS - set(OTHER_PARAMS)
        assert not unknown, (
            f"{rule.endpoint} has URL parameters {unknown}: add them to OBJECT_PARAMS (with an "
            f"object of another tenant in _their_object) or OTHER_PARAMS in {__name__}"
        )
        if rule.endpoint.startswith("api."):  # cookies do not open it: walked with tokens below
            continue
        for method in sorted({"GET", "POST"} & rule.methods):
            yield rule, method


def _their_state(factory, world):
    with factory.session() as session:
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.organization_id == world.theirs.id)
        )
        invitation = session.get(Invitation, world.their_invitation_id)
        return events, invitation.revoked_at, invitation.accepted_at


@pytest.mark.parametrize("role", ["hr_manager", "inspector", "registry_officer"])
def test_no_role_reaches_another_tenants_objects(app, client, factory, world, role):
    before = _their_state(factory, world)
    login(client, world.users[role].email)
    token = csrf_token(client, "/account/password")
    checked = 0
    for rule, method in _routes(app):
        if rule.endpoint in {"auth.logout", "static"}:
            continue
        values = {p: _their_object(world, p) for p in rule.arguments & OBJECT_PARAMS}
        values.update({p: v for p, v in OTHER_PARAMS.items() if p in rule.arguments})
        url = _url(rule, values)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        where = f"{role} {method} {url} ({rule.endpoint})"
        assert response.status_code != 500, where
        if rule.arguments & OBJECT_PARAMS:
            assert response.status_code == 404, f"{where} answered {response.status_code}"
        body = response.get_data(as_text=True)
        assert world.theirs.name not in body, f"{where} shows the other tenant's name"
        assert world.theirs.nib not in body, f"{where} shows the other tenant's NIB"
        checked += 1
    assert checked >= 15
    assert _their_state(factory, world) == before, "another tenant's data changed"


def test_positive_controls_reach_their_own_objects(app, client, factory, world):
    """The 404s above are real: the same routes open for objects inside the reach."""
    login(client, world.users["inspector"].email)
    assert client.get(f"/organizations/{world.mine.id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})

    login(client, world.users["registry_officer"].email)
    assert client.get(f"/organizations/{world.mine.id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})

    login(client, world.users["hr_manager"].email)
    token = csrf_token(client, "/organization/team")
    response = client.post(
        f"/organization/team/invitations/{world.my_invitation_id}/revoke",
        data={"csrf_token": token},
    )
    assert response.status_code == 302
    with factory.session() as session:
        assert session.get(Invitation, world.my_invitation_id).revoked_at is not None


def test_inspector_within_reach_may_not_act_as_hr(app, client, factory, world):
    """An inspector can see an organisation in their province but not manage its team."""
    login(client, world.users["inspector"].email)
    token = csrf_token(client, "/account/password")
    response = client.post(
        f"/organization/team/invitations/{world.my_invitation_id}/revoke",
        data={"csrf_token": token},
    )
    assert response.status_code == 404  # HR-only pages do not exist for other roles


def test_admin_walks_every_route_without_errors(app, client, factory, world):
    admin = factory.user(Role.ADMIN)
    login(client, admin.email)
    token = csrf_token(client, "/account/password")
    for rule, method in _routes(app):
        if rule.endpoint in {"auth.logout", "static"}:
            continue
        values = {p: _their_object(world, p) for p in rule.arguments & OBJECT_PARAMS}
        values.update({p: v for p, v in OTHER_PARAMS.items() if p in rule.arguments})
        url = _url(rule, values)
        response = (
            client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        )
        assert response.status_code < 500, f"admin {method} {url}"


#: A valid body for API writes, so the request reaches the object (a refused body answers 422
#: before any object is read, which tells nothing either).
API_BODIES = {
    "api.record_figures": {"headcount": {"permanent": 1}},
    "api.submit": {},
    "api.correct": {"reason": "A branch was missing"},
    "api.change_entry_": {
        "employee_number": "E-1",
        "name": "Siti",
        "establishment_id": 1,
        "employment_type": "permanent",
        "start_date": "2023-01-02",
    },
    "api.update_candidate": {
        "name": "Calon",
        "phone": "0812",
        "regency_code": "31.71",
        "education": "senior",
        "hours": "full_time",
        "availability": "available",
    },
    "api.record_consent": {"given_by": "candidate", "method": "written", "given_on": "2025-03-01"},
    "api.propose_candidate": {"candidate_id": 1},
    "api.record_outcome": {"outcome": "not_hired", "reason": "other"},
    "api.record_review": {"outcome": "accepted"},
    "api.open_case": {"finding": "Kurang 2 orang"},
    "api.escalate": {"reason": "Tidak bisa menunggu."},
    "api.record_company_outcome": {"outcome": "interviewed"},
    "api.change_establishment": {"name": "Cabang", "regency_code": "32.73"},
}


@pytest.mark.parametrize("role", ["hr_manager", "inspector", "registry_officer"])
def test_no_token_reaches_another_tenants_objects(app, client, factory, world, role):
    """Every API route that names an object, with each role's token (one that may write):
    another tenant's object does not exist (404), or the route is not for the role (403);
    nothing of theirs shows or changes."""
    from tests.support.api import make_token

    before = _their_state(factory, world)
    token = make_token(factory, world.users[role].email)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or not rule.arguments & OBJECT_PARAMS:
            continue
        values = {p: _their_object(world, p) for p in rule.arguments & OBJECT_PARAMS}
        values.update({p: v for p, v in OTHER_PARAMS.items() if p in rule.arguments})
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} & rule.methods):
            response = client.open(
                _url(rule, values),
                method=method,
                json=API_BODIES.get(rule.endpoint) if method != "GET" else None,
                headers={"Authorization": f"Bearer {token}"},
            )
            where = f"{role} {method} {rule.rule} ({rule.endpoint})"
            assert response.status_code in (403, 404), f"{where} answered {response.status_code}"
            assert response.mimetype == "application/problem+json", where
            body = response.get_data(as_text=True)
            assert world.theirs.name not in body, where
            checked += 1
    assert checked >= 4
    assert _their_state(factory, world) == before, "another tenant's data changed"
