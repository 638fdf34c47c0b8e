"""Sign-up, login, logout, password change and reset, as a user goes through them."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
import time_machine
from sqlalchemy import func, select

from compliance.models import AuditEvent, Organization, User
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login, post_form, text_of

SIGNUP = {
    "organization_name": "PT Inklusi Sejahtera",
    "nib": "1234567890123",
    "npwp": "01.234.567.8-901.000",
    "sector": "private",
    "regency": "36.71",
    "name": "Siti Rahma",
    "email": "Siti@Inklusi.example.com",
    "password": "tiga kata rahasia",
    "password_confirm": "tiga kata rahasia",
}


def _counts(factory):
    with factory.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Organization, User, AuditEvent)
        )


def _mails(outbox):
    return [
        message_from_bytes(p.read_bytes(), policy=default) for p in sorted(outbox.glob("*.eml"))
    ]


def _text(message) -> str:
    """The plain-text part (the message is multipart/alternative: text, then HTML)."""
    return message.get_body(("plain",)).get_content()


def _link(message, path):
    body = _text(message)
    match = re.search(rf"https?://[^\s]+({path}[^\s]+)", body)
    assert match, body
    return match.group(1)


def _sign_up(client, outbox, data=SIGNUP):
    """Fill the form, then follow the mailed link and press its button."""
    response = post_form(client, "/signup", data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup/sent")
    (message,) = _mails(outbox)
    path = _link(message, "/signup/confirm/")
    return post_form(client, path, {})


def test_sign_up_creates_organisation_head_office_and_hr_manager(client, factory, outbox):
    before = _counts(factory)
    response = post_form(client, "/signup", SIGNUP)
    assert response.headers["Location"].endswith("/signup/sent")
    page = text_of(client.get("/signup/sent"))
    assert "We have e-mailed siti@inklusi.example.com" in page
    assert _counts(factory) == before  # nothing is registered until the link is opened

    (message,) = _mails(outbox)
    assert message["To"] == "siti@inklusi.example.com"
    path = _link(message, "/signup/confirm/")
    # Opening the link (as a mail scanner would) registers nothing: a button does.
    assert "Register the organisation" in text_of(client.get(path))
    assert _counts(factory) == before
    response = post_form(client, path, {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    page = text_of(client.get("/organization"))
    assert "PT Inklusi Sejahtera" in page
    assert "012345678901000" in page  # NPWP stored as digits
    assert "Kota Tangerang" in page
    with factory.session() as session:
        user = session.scalar(select(User).where(User.email == "siti@inklusi.example.com"))
        assert user.role.value == "hr_manager"
        assert user.password_hash.startswith("$argon2id$")
        assert [e.is_head_office for e in user.organization.establishments] == [True]
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions == ["organization.signed_up"]


def test_a_sign_up_link_works_once_and_not_after_a_day(client, factory, outbox, instant):
    post_form(client, "/signup", SIGNUP)
    (message,) = _mails(outbox)
    path = _link(message, "/signup/confirm/")
    assert _sign_up_link_answer(client, path, instant + timedelta(hours=25)) == (
        "This link has expired. Sign up again."
    )
    assert post_form(client, path, {}).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    assert _sign_up_link_answer(client, path, instant) == (
        "This link has already been used. Log in instead."
    )
    assert _sign_up_link_answer(client, path[:-3] + "xyz", instant) == "This link is not valid."


def _sign_up_link_answer(client, path, at):
    with time_machine.travel(at, tick=False):
        response = post_form(client, path, {})
    assert response.status_code == 422
    page = text_of(response)
    return next(
        text
        for text in (
            "This link has expired. Sign up again.",
            "This link has already been used. Log in instead.",
            "This link is not valid.",
        )
        if text in page
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "The NIB must be exactly 13 digits."),
        ("nib", "12345678901ab", "The NIB must be exactly 13 digits."),
        ("npwp", "1234", "The NPWP must be 15 or 16 digits."),
        ("npwp", "12345678901234567", "The NPWP must be 15 or 16 digits."),
        ("password", "short", "Use between 10 and 200 characters."),
        ("password", "1234567890", "This password is too easy to guess."),
        ("regency", "99.99", "Choose a regency or city from the list."),
        ("sector", "", "Choose a sector."),
        ("email", "not-an-email", "Enter a valid e-mail address."),
    ],
)
def test_sign_up_rejects_bad_input_and_stores_nothing(client, factory, field, value, message):
    before = _counts(factory)
    data = {**SIGNUP, field: value}
    if field == "password":
        data["password_confirm"] = value
    response = post_form(client, "/signup", data, token_from="/signup")
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    # The error is tied to its field for screen readers.
    assert f'aria-describedby="{field}-error"' in page or f"{field}-error" in page
    assert 'aria-invalid="true"' in page
    assert _counts(factory) == before


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_duplicate_organisation_is_refused(client, factory):
    existing = factory.org()
    before = _counts(factory)
    response = post_form(client, "/signup", {**SIGNUP, "nib": existing.nib})
    assert response.status_code == 422
    assert "An organisation with this NIB is already registered" in text_of(response)
    response = post_form(client, "/signup", {**SIGNUP, "npwp": existing.npwp})
    assert "An organisation with this NPWP is already registered" in text_of(response)
    assert _counts(factory) == before


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "csrf_token", page)


def test_sign_up_does_not_tell_a_visitor_which_addresses_have_an_account(client, factory, outbox):
    """Attack: try addresses on the sign-up form to learn who uses the product. A taken
    address gets the same answer as a new one; only its owner learns, by mail."""
    existing = factory.org()
    before = _counts(factory)
    taken = post_form(client, "/signup", {**SIGNUP, "email": existing.hr_email.upper()})
    taken_page = text_of(client.get("/signup/sent"))
    fresh = post_form(
        client, "/signup", {**SIGNUP, "email": "baru@inklusi.example.com"}, token_from="/signup"
    )
    fresh_page = text_of(client.get("/signup/sent"))
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    # The CSRF token carries the second it was signed in: the pages may differ by that alone.
    assert _without_tokens(taken_page.replace(existing.hr_email, "X")) == _without_tokens(
        fresh_page.replace("baru@inklusi.example.com", "X")
    )
    assert "already" not in taken_page
    assert _counts(factory)[:2] == before[:2]
    notice, link = _mails(outbox)
    assert notice["To"] == existing.hr_email
    assert "already has an account" in _text(notice)
    assert "/signup/confirm/" not in _text(notice)
    assert link["To"] == "baru@inklusi.example.com"


def test_sign_up_mails_to_one_address_are_limited(client, outbox):
    for _attempt in range(5):
        response = post_form(client, "/signup", SIGNUP, token_from="/signup")
        assert response.headers["Location"].endswith("/signup/sent")
    assert len(_mails(outbox)) == 3


def test_wrong_csrf_token_is_refused_and_nothing_is_stored(client, factory):
    before = _counts(factory)
    client.get("/signup")
    response = client.post("/signup", data={**SIGNUP, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "Nothing was saved" in text_of(response)
    assert _counts(factory) == before


def test_login_and_logout(client, factory):
    org = factory.org()
    login(client, org.hr_email.upper())
    assert client.get("/organization").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    response = client.get("/organization")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_wrong_password_says_so_without_revealing_which_part(client, factory):
    org = factory.org()
    for email in (org.hr_email, "nobody@example.com"):
        response = post_form(client, "/login", {"email": email, "password": "wrong password"})
        assert response.status_code == 200
        assert "The e-mail address or password is not correct." in text_of(response)


def test_too_many_failed_logins_are_throttled(client, factory):
    org = factory.org()
    for _ in range(5):
        post_form(client, "/login", {"email": org.hr_email, "password": "wrong password"})
    response = post_form(client, "/login", {"email": org.hr_email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in text_of(response)
    assert client.get("/organization").status_code == 302  # still not logged in


def test_password_change_ends_other_sessions(app, factory):
    org = factory.org()
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        login(c, org.hr_email)
    response = post_form(
        laptop,
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "a brand new secret",
            "password_confirm": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/organization").status_code == 200  # this session continues
    assert phone.get("/organization").status_code == 302  # the other one is logged out
    login(phone, org.hr_email, "a brand new secret")


def test_password_change_needs_the_current_password(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    response = post_form(
        client,
        "/account/password",
        {
            "current_password": "not it at all",
            "password": "a brand new secret",
            "password_confirm": "a brand new secret",
        },
    )
    assert response.status_code == 422
    assert "Your current password is not correct." in text_of(response)


def test_password_reset_by_email_link_works_once(client, factory, outbox):
    org = factory.org()
    response = post_form(client, "/password/forgot", {"email": org.hr_email})
    assert response.status_code == 302
    (mail,) = _mails(outbox)
    assert mail["To"] == org.hr_email
    path = _link(mail, "/password/reset/")
    new = {"password": "sebuah sandi baru", "password_confirm": "sebuah sandi baru"}
    assert post_form(client, path, new).status_code == 302
    login(client, org.hr_email, "sebuah sandi baru")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})
    reused = post_form(
        client, path, {"password": "yet another one!", "password_confirm": "yet another one!"}
    )
    assert reused.status_code == 422
    assert "This link has already been used." in text_of(reused)


def test_password_reset_for_unknown_address_sends_nothing(client, outbox):
    response = post_form(client, "/password/forgot", {"email": "stranger@example.com"})
    assert response.status_code == 302
    assert _mails(outbox) == []


def test_expired_reset_link_is_refused(app, client, factory, outbox, monkeypatch):
    org = factory.org()
    post_form(client, "/password/forgot", {"email": org.hr_email})
    path = _link(_mails(outbox)[0], "/password/reset/")
    import itsdangerous.timed

    later = itsdangerous.timed.time.time() + 3601
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = post_form(
        client, path, {"password": "sebuah sandi baru", "password_confirm": "sebuah sandi baru"}
    )
    assert response.status_code == 422
    assert "This link has expired." in text_of(response)


def test_tampered_reset_link_is_refused(client):
    response = post_form(
        client,
        "/password/reset/abc.def.ghi",
        {"password": "sebuah sandi baru", "password_confirm": "sebuah sandi baru"},
    )
    assert "This link is not valid." in text_of(response)


def test_session_cookie_is_http_only_and_same_site(client, factory):
    org = factory.org()
    response = login(client, org.hr_email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_private_pages_redirect_anonymous_users_to_login(client):
    for path in ("/organization", "/organization/team", "/admin/users", "/dashboard"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login?next=" in response.headers["Location"]


def test_wrong_passwords_from_elsewhere_do_not_lock_the_real_user_out(app, factory):
    """Issue 14, item 9: the lock is per (account, address)."""
    org = factory.org()
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(8):
        post_form(attacker, "/login", {"email": org.hr_email, "password": "wrong password"})
    right = {"email": org.hr_email, "password": PASSWORD}
    assert post_form(attacker, "/login", right).status_code == 429
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    login(owner, org.hr_email)


def test_the_lock_grows_with_each_failure_and_a_reset_clears_it(client, factory, outbox, instant):
    org = factory.org()
    wrong = {"email": org.hr_email, "password": "wrong password"}
    right = {"email": org.hr_email, "password": PASSWORD}
    for _ in range(5):
        post_form(client, "/login", wrong)
    assert post_form(client, "/login", right).status_code == 429  # 30 seconds
    with time_machine.travel(instant + timedelta(seconds=45)):
        assert post_form(client, "/login", wrong).status_code == 200  # may try, and fails
        assert post_form(client, "/login", right).status_code == 429  # now 60 seconds
    with time_machine.travel(instant + timedelta(seconds=90)):
        assert post_form(client, "/login", right).status_code == 429  # still locked

    post_form(client, "/password/forgot", {"email": org.hr_email})
    path = _link(_mails(outbox)[-1], "/password/reset/")
    new = {"password": "sandi baru yang kuat", "password_confirm": "sandi baru yang kuat"}
    assert post_form(client, path, new).status_code == 302
    login(client, org.hr_email, "sandi baru yang kuat")  # at once, from the same address


def test_reset_mails_to_one_address_are_throttled_and_answered_the_same(
    client, factory, outbox, instant
):
    """Issue 14, item 10: nobody floods a mailbox through the form, and the answer never
    tells whether the account exists or was throttled."""
    org = factory.org()
    answers = set()
    for _ in range(5):
        response = post_form(client, "/password/forgot", {"email": org.hr_email})
        answers.add((response.status_code, response.headers["Location"]))
    unknown = post_form(client, "/password/forgot", {"email": "stranger@example.com"})
    answers.add((unknown.status_code, unknown.headers["Location"]))
    assert answers == {(302, "/login")}
    assert len(_mails(outbox)) == 3
    with time_machine.travel(instant + timedelta(hours=1, minutes=1)):
        post_form(client, "/password/forgot", {"email": org.hr_email})
    assert len(_mails(outbox)) == 4
