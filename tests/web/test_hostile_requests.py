"""Attacks on links and sessions, performed: a forged Host for a password reset, an open redirect
after login, and a cookie copied before logout (issue 14, items 3, 4 and 7)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from compliance import create_app
from compliance.blueprints.inspections.views import evidence as evidence_views
from compliance.config import Config
from compliance.models import Establishment, Role
from tests.support.declarations import fill_year, submit_year
from tests.support.factories import PASSWORD
from tests.support.mail import sent_mails
from tests.support.web import csrf_token, login, post_form, text_of

BASE_URL = "http://kuota.example.id"  # http: the test client would otherwise speak https


@pytest.fixture
def config(config: Config) -> Config:
    """Behind one reverse proxy, as the README recommends for production."""
    return replace(config, base_url=BASE_URL, proxy_count=1)


def _mails(outbox) -> list[str]:
    """Each mail's text part and HTML part: a link in either must be on BASE_URL."""
    return [m.text + "\n" + m.html for m in sent_mails(outbox)]


# --- 3. host-header poisoning ----------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"Host": "evil.example"}, {"Host": "kuota.example.id", "X-Forwarded-Host": "evil.example"}],
    ids=["host", "x-forwarded-host"],
)
def test_a_forged_host_is_refused_and_no_reset_mail_leaves(client, factory, outbox, headers):
    """The attacker asks for the victim's reset with a valid form (token and cookie of their
    own session), sent to the site with a Host of their choosing."""
    org = factory.org()
    token = csrf_token(client, "/password/forgot")
    cookie = client.get_cookie("session")
    host = headers["Host"]
    client.set_cookie("session", cookie.value, domain=host)
    response = client.post(
        "/password/forgot",
        data={"csrf_token": token, "email": org.hr_email},
        headers=headers,
        base_url=f"http://{host}",
    )
    assert response.status_code == 400
    assert _mails(outbox) == []


def test_reset_and_invitation_links_are_built_from_base_url_only(client, factory, outbox):
    org = factory.org()
    # A host the site answers to, but not the public address: links still point to BASE_URL.
    client.environ_base["HTTP_HOST"] = "localhost"
    assert post_form(client, "/password/forgot", {"email": org.hr_email}).status_code == 302
    login(client, org.hr_email)
    post_form(client, "/organization/team", {"email": "rekan@example.com", "name": "Rekan Kerja"})
    mails = _mails(outbox)
    assert len(mails) == 2
    for body in mails:
        links = re.findall(r"https?://[^\s\"<]+", body)
        assert links, body
        assert all(link.startswith(f"{BASE_URL}/") for link in links), links


# --- 4. open redirect after login ------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "next=//evil.example",
        "next=/%09/evil.example",  # a tab: browsers drop it and read //evil.example
        "next=/%0a/evil.example",  # a newline: was a 500 after a successful login
        "next=/%0d%0a/evil.example",
        "next=/%5cevil.example",  # a backslash: browsers read it as a slash
        "next=/%5c%5cevil.example",
        "next=https://evil.example/",
        "next=/%20/evil.example",
    ],
)
def test_next_after_login_never_leaves_the_site(client, factory, query):
    org = factory.org()
    token = csrf_token(client, "/login")
    response = client.post(
        f"/login?{query}",
        data={"csrf_token": token, "email": org.hr_email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser makes of it: tabs and newlines dropped, backslashes read as slashes.
    seen = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
    assert not urlsplit(seen).netloc, location
    assert not seen.startswith("//"), location
    assert location == "/dashboard"


def test_a_plain_next_path_is_kept(client, factory):
    org = factory.org()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/roster",
        data={
            "csrf_token": token,
            "email": org.hr_email,
            "password": "correct horse battery staple",
        },
    )
    assert response.headers["Location"] == "/roster"


# --- 7. logout ends the session server-side ---------------------------------------------------


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, client, factory):
    org = factory.org()
    login(client, org.hr_email)
    stolen = client.get_cookie("session")
    assert stolen is not None
    client.post("/logout", data={"csrf_token": csrf_token(client, "/organization")})

    thief = app.test_client()
    thief.set_cookie("session", stolen.value, domain=stolen.domain)
    response = thief.get("/roster")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_admin_signs_a_user_out_on_every_device(app, client, factory):
    org = factory.org()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, org.hr_email)
    login(laptop, org.hr_email)
    admin = factory.user(Role.ADMIN)
    login(client, admin.email)
    with factory.session() as session:
        from compliance.models import User

        user_id = session.query(User.id).filter_by(email=org.hr_email).scalar()
    page = f"/admin/users/{user_id}"
    assert "Sign out on every device" in text_of(
        client.get(page, headers={"Accept-Language": "en"})
    )
    response = client.post(f"{page}/end-sessions", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    for device in (phone, laptop):
        assert device.get("/roster").status_code == 302


# --- 8. error pages never touch tenant data -------------------------------------------------


def test_a_stale_form_of_a_logged_in_hr_manager_is_a_page_not_a_bare_500(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    response = client.post("/establishments/new", data={"csrf_token": "from-another-tab"})
    assert response.status_code == 400
    page = text_of(response)
    assert "<h1>Formulir sudah kedaluwarsa</h1>" in page  # the whole page, in Indonesian
    assert 'href="/establishments"' in page  # with the HR manager's menu


def test_an_upload_over_the_request_limit_is_a_page_not_a_bare_500(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    # The body as raw bytes: the test client would otherwise spool it to a temporary file.
    response = client.post(
        "/imports",
        input_stream=io.BytesIO(b"x" * (limit + 1)),
        content_length=limit + 1,
        content_type="multipart/form-data; boundary=attack",
    )
    assert response.status_code == 413
    assert "<h1>" in text_of(response)


# --- 12. small ones: ids beyond the database's integer, downloads never cached ----------------


@pytest.mark.parametrize("path", ["/roster/{}", "/declarations/{}", "/establishments/{}/figures"])
def test_an_id_beyond_the_databases_integer_is_not_found(client, factory, path):
    org = factory.org()
    login(client, org.hr_email)
    assert client.get(path.format("9" * 20)).status_code == 404
    assert client.get(path.format(2**31)).status_code == 404


def test_downloads_with_personal_data_are_never_stored_by_a_cache(client, factory):
    org = factory.org()
    fill_year(factory, org.id, {org.establishment_ids[0]: 120})
    declaration_id = submit_year(factory, org.id)
    login(client, org.hr_email)
    for suffix in ("pdf", "xlsx"):
        response = client.get(f"/declarations/{declaration_id}/receipt.{suffix}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/roster").headers["Cache-Control"] == "no-store"


def test_the_language_switch_never_redirects_off_the_site(client):
    token = csrf_token(client, "/")
    for target in ("/\t/evil.example", "/\\evil.example", "//evil.example"):
        response = client.post(
            "/language", data={"csrf_token": token, "lang": "en", "next": target}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target


def test_healthz_fails_when_the_database_has_lost_its_tables(config, tmp_path):
    """SQLite opens a new, empty file where the database was: "SELECT 1" would still say ok."""
    emptied = replace(config, database_url=f"sqlite:///{tmp_path}/empty.sqlite3")
    response = create_app(emptied).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_a_file_over_the_limit_is_refused_with_its_real_size(client, factory, config):
    org = factory.org()
    login(client, org.hr_email)
    size = config.import_max_bytes + 10 * 1_048_576
    fields = {
        "csrf_token": csrf_token(client, "/imports"),
        "kind": "roster",
        "file": FileStorage(io.BytesIO(b"a" * size), filename="roster.csv"),
    }
    boundary, body = encode_multipart(fields)  # in memory: the client would spool it to a file
    response = client.post(
        "/imports",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert f"{size / 1_048_576:.1f} MB" in text_of(response)


def test_a_utf16_csv_gets_told_how_to_save_it(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    data = "employee_number,name\nE-1,Sari\n".encode("utf-16")
    response = client.post(
        "/imports",
        data={
            "csrf_token": csrf_token(client, "/imports"),
            "kind": "roster",
            "file": (io.BytesIO(data), "roster.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "UTF-16" in text_of(response)
    assert "CSV UTF-8" in text_of(response)


def test_checking_packs_is_rate_limited_per_address(app, client, monkeypatch):
    """Issue 14, item 2: anyone may upload a pack to check, but not without end."""
    monkeypatch.setitem(evidence_views.VERIFY_LIMIT, "limit", 3)
    token = csrf_token(client, "/evidence/verify")
    statuses = [
        client.post(
            "/evidence/verify",
            data={"csrf_token": token, "pack": (io.BytesIO(b"not a zip"), "pack.zip")},
            content_type="multipart/form-data",
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    token = csrf_token(other, "/evidence/verify")
    response = other.post(
        "/evidence/verify",
        data={"csrf_token": token, "pack": (io.BytesIO(b"not a zip"), "pack.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200  # another address is not held up


@pytest.mark.parametrize("where", ["value", "name"])
def test_a_nul_character_in_a_form_is_refused_and_nothing_is_saved(client, factory, where):
    # PostgreSQL cannot store NUL in text: every text field used to be a 500 there.
    org = factory.org(name="PT Tanpa Nol")
    establishment_id = org.establishment_ids[0]
    login(client, org.hr_email)
    path = f"/establishments/{establishment_id}/edit"
    fields = {"name": "Kantor pusat", "regency_code": "31.71", "address": "Jl. Aman No. 1"}
    if where == "value":
        fields["address"] = "Jl. Nol\x00 No. 1"
    else:
        fields["address\x00"] = "x"
    response = post_form(client, path, fields)
    assert response.status_code == 400
    assert "tidak dapat disimpan (karakter NUL). Tidak ada yang disimpan." in text_of(response)
    with factory.session() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment.address is None  # as it was


def test_a_nul_character_in_a_query_is_refused(client, factory):
    org = factory.org()
    login(client, org.hr_email)
    response = client.get("/roster", query_string={"q": "Rina\x00"})
    assert response.status_code == 400
    assert "NUL" in text_of(response)
    assert client.get("/roster", query_string={"q": "Rina"}).status_code == 200
