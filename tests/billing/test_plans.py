"""What a plan unlocks, as the HR manager meets it: the establishment limit and the billing page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from compliance.clock import utcnow
from compliance.models import Organization, Role
from compliance.models.billing import BillingAccount, SubscriptionStatus
from compliance.services import ServiceError
from compliance.services.billing.plans import (
    BASIC_IMPORT_ROWS,
    Feature,
    allows,
    check_import_limit,
    plan_for_headcount,
    workforce,
)
from compliance.services.dates import previous_month
from compliance.services.declarations.gap import gap_overview
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import today
from tests.support.declarations import fill_recent, hr_of
from tests.support.localstripe_helpers import set_headcount
from tests.support.web import login, post_form, text_of

BRANCH = {"regency_code": "32.73", "address": "", "wlkp_number": "", "wlkp_registered_on": ""}


def _add_branch(client, name: str):
    return post_form(client, "/establishments/new", {"name": name, **BRANCH})


def _org_with_branches(factory, *, sector="private", workers=250):
    org = factory.org(sector=sector, regency="31.71", other_regencies=("31.72", "31.73"))
    set_headcount(factory, org.id, workers)
    return org


def _allows(factory, org_id, feature, now=None) -> bool:
    with factory.session() as session:
        return allows(session, session.get(Organization, org_id), feature, now)


def _subscribe(factory, org_id, status, failed_days_ago=None):
    with factory.session() as session:
        failed_at = None if failed_days_ago is None else utcnow() - timedelta(days=failed_days_ago)
        session.add(
            BillingAccount(
                organization_id=org_id, plan="medium", status=status, payment_failed_at=failed_at
            )
        )


@pytest.mark.parametrize(
    ("workers", "plan"),
    [(None, None), (0, None), (99, None), (100, "medium"), (1999, "large"), (2000, "enterprise")],
)
def test_headcount_bands(workers, plan):
    found = plan_for_headcount(workers)
    assert (found.key if found else None) == plan


def test_a_large_private_company_without_a_plan_keeps_three_establishments(client, factory):
    org = _org_with_branches(factory)
    login(client, org.hr_email)
    response = _add_branch(client, "Cabang Bandung")
    assert response.status_code == 422
    page = text_of(response)
    assert "The Basic plan includes up to 3 open establishments." in page
    assert "Subscribe to the Medium plan on the Billing page for more." in page


@pytest.mark.parametrize(("sector", "workers"), [("regional_government", 5000), ("private", 80)])
def test_public_bodies_and_small_organisations_are_never_limited(client, factory, sector, workers):
    org = _org_with_branches(factory, sector=sector, workers=workers)
    login(client, org.hr_email)
    assert _add_branch(client, "Cabang Bandung").status_code == 302
    for feature in Feature:
        assert _allows(factory, org.id, feature)


def test_an_active_subscription_unlocks_paid_features(client, factory):
    org = _org_with_branches(factory)
    _subscribe(factory, org.id, SubscriptionStatus.ACTIVE)
    login(client, org.hr_email)
    assert _add_branch(client, "Cabang Bandung").status_code == 302


def test_a_failed_payment_keeps_features_open_for_the_grace_period_only(factory):
    inside = _org_with_branches(factory)
    _subscribe(factory, inside.id, SubscriptionStatus.PAST_DUE, failed_days_ago=3)
    after = _org_with_branches(factory)
    _subscribe(factory, after.id, SubscriptionStatus.PAST_DUE, failed_days_ago=30)
    assert _allows(factory, inside.id, Feature.LARGE_IMPORTS)
    assert not _allows(factory, after.id, Feature.LARGE_IMPORTS)


def test_legal_duties_stay_open_without_a_plan(client, factory):
    org = _org_with_branches(factory)
    _subscribe(factory, org.id, SubscriptionStatus.CANCELED)
    login(client, org.hr_email)
    for path in ("/gap", "/declarations"):
        assert client.get(path, follow_redirects=True).status_code == 200, path


def test_the_billing_page_shows_the_plan_for_the_headcount(client, factory):
    org = _org_with_branches(factory, workers=250)
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    assert "Plans" in page
    assert "Pay monthly" in page
    assert "Pay yearly" in page
    assert "Not for your headcount" in page  # the other bands


def test_the_billing_page_offers_only_features_that_exist(client, factory):
    org = _org_with_branches(factory, workers=250)
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    assert "None: the basic service (up to 3 open establishments" in page
    assert "Webhooks go to 1 endpoint." in page
    # The API is offered on every plan, and it exists: the page links its reference.
    assert "The JSON API comes with every plan" in page
    assert client.get("/api/v1/reference").status_code == 200


def test_the_plan_is_sized_by_the_workforce_the_quota_counts(client, factory):
    """513 people on the books, of whom 61 are outsourced or interns: the quota counts 452,
    and so does the plan."""
    org = factory.org()
    head_office = org.establishment_ids[0]
    fill_recent(factory, org.id, {head_office: 1})
    month = previous_month(today())
    mix = {"permanent": 400, "fixed_term": 52, "outsourced": 45, "intern": 16}
    with factory.session() as session:
        record_monthly_figures(session, hr_of(session, org.id), head_office, month, mix)
    with factory.session() as session:
        gap = gap_overview(session, hr_of(session, org.id), today=today())
        assert gap.latest_month == month
        assert gap.latest.denominator == 452
        found = workforce(session, session.get(Organization, org.id))
    assert (found.month, found.workers) == (month, 452)
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    named = f"{month:%B %Y}"
    assert f"Plan sized by 452 workers — the workforce the quota counts ({named})." in page
    assert "513" not in page


def test_the_billing_page_tells_a_public_body_it_is_free(client, factory):
    org = factory.org(sector="central_government")
    login(client, org.hr_email)
    page = text_of(client.get("/billing/"))
    assert "never pay" in page
    assert "Pay monthly" not in page


def test_checkout_for_an_unknown_plan_is_refused(client, factory):
    org = _org_with_branches(factory)
    login(client, org.hr_email)
    response = post_form(
        client,
        "/billing/checkout",
        {"plan": "platinum", "interval": "month"},
        token_from="/billing/",
    )
    assert response.status_code == 422
    assert "Unknown plan." in text_of(response)


def test_checkout_says_when_stripe_cannot_be_reached(client, factory):
    org = _org_with_branches(factory)
    login(client, org.hr_email)
    response = post_form(
        client, "/billing/checkout", {"plan": "medium", "interval": "year"}, token_from="/billing/"
    )
    assert response.status_code == 422
    assert "The payment service could not be reached. Nothing was charged" in text_of(response)
    with factory.session() as session:
        assert session.scalar(select(BillingAccount)) is None  # rolled back


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.REGISTRY_OFFICER, Role.ADMIN])
def test_only_hr_managers_see_billing(client, factory, role):
    user = factory.user(role, provinces=("31",) if role is Role.INSPECTOR else ())
    login(client, user.email)
    assert client.get("/billing/").status_code == 404


def test_large_imports_need_a_plan_beyond_the_basic_service(factory):
    org = _org_with_branches(factory, workers=600)
    with factory.session() as session, force_locale("en"):
        check_import_limit(session, org.id, BASIC_IMPORT_ROWS)  # at the limit: fine
        with pytest.raises(ServiceError) as refused:
            check_import_limit(session, org.id, BASIC_IMPORT_ROWS + 1)
    assert "The Basic plan imports files of up to 5,000 rows; this one has 5,001." in str(
        refused.value
    )
    assert "Subscribe to the Large plan" in str(refused.value)
    _subscribe(factory, org.id, SubscriptionStatus.ACTIVE)
    with factory.session() as session:
        check_import_limit(session, org.id, 100_000)
