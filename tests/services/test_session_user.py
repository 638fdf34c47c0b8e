"""The logged-in user is read in one statement (issue 19, item 1): every page needs the user's
reach and zone (the organisation, an inspector's provinces or an officer's regencies) and an HR
manager's pages the billing account (the payment banner), so none of them may cost a query of
its own on every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from compliance.extensions import db
from compliance.models import Role, User
from compliance.models.billing import BillingAccount
from compliance.services.accounts import load_user_for_session


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _load(app, user_id: int) -> tuple[object, list[str]]:
    with app.app_context():
        token = db.session.scalar(
            select(User.session_token)
            .where(User.id == user_id)
            .execution_options(skip_tenant_scope=True)
        )
        db.session.expunge_all()
        with _statements() as seen:
            user = load_user_for_session(db.session(), f"{user_id}:{token}")
            assert user is not None
            # What the access gate, the menu and the banner read of the user.
            facts = (
                user.reach(),
                user.zone,
                user.organization.billing_account if user.organization else None,
            )
        return facts, seen


def test_an_hr_manager_comes_with_the_organisation_and_billing_account_in_one_query(app, factory):
    org = factory.org()
    with factory.session() as session:
        session.add(BillingAccount(organization_id=org.id, plan="large"))
        hr_id = session.scalar(select(User.id).where(User.email == org.hr_email))
    (reach, zone, account), seen = _load(app, hr_id)
    assert len(seen) == 1, seen
    assert reach.organization_id == org.id
    assert zone.name == "WIB"
    assert isinstance(account, BillingAccount)
    assert account.organization_id == org.id


def test_staff_come_with_their_provinces_or_regencies_in_one_query(app, factory):
    inspector = factory.user(Role.INSPECTOR, provinces=("51", "52"))
    (reach, zone, account), seen = _load(app, inspector.id)
    assert len(seen) == 1, seen
    assert reach.province_codes == {"51", "52"}
    assert zone.name == "WITA"
    assert account is None
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("36.71", "36.72"))
    (reach, _zone, _account), seen = _load(app, officer.id)
    assert len(seen) == 1, seen
    assert reach.regency_codes == {"36.71", "36.72"}


def test_a_wrong_session_token_loads_nobody(app, factory):
    admin = factory.user(Role.ADMIN)
    with app.app_context():
        assert load_user_for_session(db.session(), f"{admin.id}:not-the-token") is None
        assert load_user_for_session(db.session(), "x:y") is None
