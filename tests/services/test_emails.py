"""Every e-mail the app sends: text and HTML parts from templates, in each recipient's saved
language (two HR managers of one company in two languages get one message each), with one link
to the page that needs action built on BASE_URL whatever Host the request claimed, and words
rather than codes (issue 16, item 13)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.config import Config
from compliance.extensions import db
from compliance.jobs.reminders import remind_deadlines, remind_expiring_evidence
from compliance.jobs.runner import RunCounts
from compliance.models import Employee, Role, User
from compliance.models.mail import OutgoingMail
from compliance.models.referrals import ReferralRequest
from compliance.models.types import key_ring
from compliance.services import emails
from compliance.services.inspections.cases import escalate_case, open_case
from compliance.services.inspections.review import request_correction
from compliance.services.registry import notify
from compliance.services.registry.requests import RequestInput, create_request
from tests.registry.support import make_officer, make_uld
from tests.support.clock import today
from tests.support.declarations import fill_year, submit_year
from tests.support.mail import SentMail, read_mail, sent_mails
from tests.support.roster import make_employee
from tests.support.web import login, post_form

BASE_URL = "http://kuota.example.id"
#: Hosts the site answers to that are not its public address, and a forwarded host no proxy set.
HOSTILE = {"HTTP_HOST": "127.0.0.1:5000", "HTTP_X_FORWARDED_HOST": "evil.example"}
#: A word made of codes ("nota_1", "hr_manager", "past_due"): an enum value, not a word.
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
URL = re.compile(r"https?://\S+")
NOTA_2_ID = "Nota pemeriksaan II: pengawas ketenagakerjaan meningkatkan tahap penanganan temuan"


@pytest.fixture
def config(config: Config) -> Config:
    """The product's default language (Indonesian), unlike other service tests, and a public
    address the test client's host is not."""
    extra = {k: v for k, v in config.extra.items() if k != "BABEL_DEFAULT_LOCALE"}
    return replace(config, base_url=BASE_URL, extra=extra)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.heading = ""
        self.links: list[str] = []
        self.forbidden: list[str] = []
        self.words: list[str] = []
        self._tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "a":
            self.links.append(values.get("href") or "")
        if tag in {"script", "img", "link", "iframe", "form"}:
            self.forbidden.append(tag)
        if tag not in {"meta", "br", "hr"}:
            self._tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._tags:
            while self._tags.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "h1" in self._tags:
            self.heading += data
        if "title" not in self._tags:
            self.words.append(data)


def check(mail: SentMail, *, lang: str, link: str | None) -> _Page:
    """Both parts, text first; HTML that parses, in `lang`, headed by the subject; the one
    action link (or none) on BASE_URL in both parts; no codes."""
    assert mail.body.get_content_type() == "multipart/alternative"
    assert mail.parts == ["text/plain", "text/html"]
    assert mail.language == lang
    page = _Page()
    page.feed(mail.html)
    page.close()
    assert page.lang == lang
    assert " ".join(page.heading.split()) == mail.subject
    assert page.forbidden == []
    assert all(href.startswith(f"{BASE_URL}/") for href in page.links), page.links
    assert all(url.startswith(f"{BASE_URL}/") for url in URL.findall(mail.text))
    if link is None:
        assert page.links == []
        assert not URL.search(mail.text)
    else:
        assert link in page.links, page.links
        assert link in mail.text.split()
    for words in (URL.sub("", mail.text), URL.sub("", " ".join(page.words))):
        assert not CODE.search(words), CODE.findall(words)
    assert "Kuota Inklusi" in mail.text.rsplit("---", 1)[-1]  # the footer: who and why
    return page


def drain(outbox) -> list[SentMail]:
    """The mail sent so far, emptied from the outbox so the next step's stands alone."""
    mails = sent_mails(outbox)
    for path in outbox.glob("*.eml"):
        path.unlink()
    return mails


def at(*parts: int) -> datetime:
    """An instant as the application stores it: naive UTC."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def to(mails: list[SentMail], address: str) -> SentMail:
    [mail] = [m for m in mails if m.to == address]
    return mail


def set_locale(factory, email: str, locale: str | None) -> None:
    """Save `locale` for the account, and give it a person's name (the factory's names are made
    of role codes, which the no-codes check would rightly catch in a greeting)."""
    with factory.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        user.locale = locale
        user.name = f"Dewi {user.id}"


def second_hr(factory, org, locale: str) -> str:
    """Another HR manager of `org`, reading `locale`."""
    ref = factory.user(Role.HR_MANAGER, organization_id=org.id)
    set_locale(factory, ref.email, locale)
    return ref.email


# --- sign-up, invitations, password reset, staff accounts: through the pages ------------------


SIGNUP = {
    "organization_name": "PT Surat Inklusi",
    "nib": "9234567890123",
    "npwp": "91.234.567.8-901.000",
    "sector": "private",
    "regency": "36.71",
    "name": "Siti Rahma",
    "email": "siti@surat.example.com",
    "password": "tiga kata rahasia",
    "password_confirm": "tiga kata rahasia",
}


def test_sign_up_mails_follow_the_form_or_the_saved_language(client, factory, outbox):
    existing = factory.org()
    set_locale(factory, existing.hr_email, "id")
    client.environ_base.update(HOSTILE, HTTP_ACCEPT_LANGUAGE="en")
    assert post_form(client, "/signup", SIGNUP).status_code == 302
    assert post_form(client, "/signup", {**SIGNUP, "email": existing.hr_email}).status_code == 302
    mails = sent_mails(outbox)

    fresh = to(mails, SIGNUP["email"])  # no account: the language the form was filled in
    assert fresh.subject == "Finish registering PT Surat Inklusi"
    [link] = [u for u in URL.findall(fresh.text) if "/signup/confirm/" in u]
    check(fresh, lang="en", link=link)
    assert "Hello Siti Rahma," in fresh.text

    taken = to(mails, existing.hr_email)  # an account holder: their saved language
    assert taken.subject == "Seseorang mencoba mendaftar dengan alamat Anda"
    page = check(taken, lang="id", link=f"{BASE_URL}/login")
    assert f"{BASE_URL}/password/forgot" in page.links
    assert "/signup/confirm/" not in taken.text


def test_invitations_and_password_resets_link_to_base_url_in_the_right_language(
    client, factory, outbox
):
    org = factory.org(name="PT Undangan")
    colleague = factory.org()
    set_locale(factory, colleague.hr_email, "en")
    client.environ_base.update(HOSTILE)  # Indonesian: no Accept-Language
    login(client, org.hr_email)
    post_form(client, "/organization/team", {"email": "rekan@example.com"})
    post_form(client, "/organization/team", {"email": colleague.hr_email})
    client.post("/logout", data={"csrf_token": ""})
    mails = sent_mails(outbox)

    invitation = to(mails, "rekan@example.com")  # no account: the inviter's language
    with factory.session() as session:
        inviter = session.scalar(select(User.name).where(User.email == org.hr_email))
    assert invitation.subject == f"{inviter} mengundang Anda ke Kuota Inklusi"
    [link] = [u for u in URL.findall(invitation.text) if "/invitations/" in u]
    check(invitation, lang="id", link=link)

    notice = to(mails, colleague.hr_email)  # has an account elsewhere: no link, their language
    assert notice.subject.endswith("invites you to Kuota Inklusi")
    check(notice, lang="en", link=None)
    assert "cannot be accepted" in notice.text


def test_a_password_reset_is_in_the_saved_language(app, factory, outbox):
    english, indonesian = factory.org(), factory.org()
    set_locale(factory, english.hr_email, "en")
    set_locale(factory, indonesian.hr_email, "id")
    for org in (english, indonesian):
        client = app.test_client()
        client.environ_base.update(HOSTILE, HTTP_ACCEPT_LANGUAGE="en")
        assert post_form(client, "/password/forgot", {"email": org.hr_email}).status_code == 302
    mails = sent_mails(outbox)
    for address, lang, subject in (
        (english.hr_email, "en", "Reset your Kuota Inklusi password"),
        (indonesian.hr_email, "id", "Atur ulang kata sandi Kuota Inklusi Anda"),
    ):
        mail = to(mails, address)
        assert mail.subject == subject
        [link] = [u for u in URL.findall(mail.text) if "/password/reset/" in u]
        check(mail, lang=lang, link=link)


def test_a_new_staff_account_is_told_in_the_administrators_language(client, factory, outbox):
    admin = factory.user(Role.ADMIN)
    client.environ_base.update(HOSTILE, HTTP_ACCEPT_LANGUAGE="en")
    login(client, admin.email)
    fields = {"name": "Inspektur", "email": "insp@example.com", "role": "inspector"}
    assert post_form(client, "/admin/users", {**fields, "provinces": ["91"]}).status_code == 302
    [mail] = sent_mails(outbox)
    assert mail.subject == "Your Kuota Inklusi account"
    assert "Hello Inspektur," in mail.text
    [link] = [u for u in URL.findall(mail.text) if "/account/setup/" in u]
    check(mail, lang="en", link=link)
    assert "inspector" not in mail.text.lower().replace("inspektur", "")


# --- jobs: deadline and evidence reminders --------------------------------------------------


def test_deadline_reminders_go_to_each_hr_manager_in_their_language(app, factory, outbox):
    org = factory.org(name="PT Dua Bahasa", regency="91.71")  # Jayapura: WIT
    english = second_hr(factory, org, "en")
    year = today().year
    with app.app_context():
        remind_deadlines(db.session(), at(year + 1, 1, 2, 1, 0), RunCounts())
        db.session.commit()
    mails = sent_mails(outbox)
    assert len(mails) == 2  # one message per reader, not one in the job's language
    id_mail, en_mail = to(mails, org.hr_email), to(mails, english)
    link = f"{BASE_URL}/declarations"
    check(id_mail, lang="id", link=link)
    check(en_mail, lang="en", link=link)
    assert id_mail.subject == f"Laporan kuota tahun {year} jatuh tempo pada 31 Januari {year + 1}"
    assert en_mail.subject == f"The quota declaration for {year} is due on January 31, {year + 1}"
    assert "HR manager of PT Dua Bahasa" in en_mail.text  # why they got it


def test_evidence_reminders_show_dates_as_the_pages_do(app, factory, outbox):
    org = factory.org()
    english = second_hr(factory, org, "en")
    soon = make_employee(factory, org.id, number="E-SOON", details=True)
    with factory.session() as session:
        session.get(Employee, soon).evidence_expires_on = date(2026, 12, 15)
    with app.app_context():
        remind_expiring_evidence(db.session(), at(2026, 11, 23, 1, 30), RunCounts())
        db.session.commit()
    mails = sent_mails(outbox)
    id_mail, en_mail = to(mails, org.hr_email), to(mails, english)
    check(id_mail, lang="id", link=f"{BASE_URL}/roster")
    check(en_mail, lang="en", link=f"{BASE_URL}/roster")
    assert "E-SOON" in id_mail.text
    assert "15 Des 2026" in id_mail.text
    assert "15 Dec 2026" in en_mail.text
    assert id_mail.subject == "Bukti disabilitas yang perlu diperbarui"


def test_a_failed_payment_names_the_grace_end_with_its_time_and_zone(app, factory, outbox):
    org = factory.org(regency="51.71")  # Denpasar: WITA
    english = second_hr(factory, org, "en")
    with app.app_context():
        ends = at(2026, 12, 1, 4, 0)  # stored UTC: 12.00 WITA
        emails.send_to_hr_managers(
            db.session(),
            org.id,
            "payment_failed",
            ends_at=ends,
            action_url=emails.site_url("billing.show_billing"),
        )
        db.session.commit()
    mails = sent_mails(outbox)
    check(to(mails, org.hr_email), lang="id", link=f"{BASE_URL}/billing/")
    en_mail = to(mails, english)
    check(en_mail, lang="en", link=f"{BASE_URL}/billing/")
    assert "1 Dec 2026, 12:00 WITA" in en_mail.text
    assert "1 Des 2026, 12.00 WITA" in to(mails, org.hr_email).text


# --- inspections: correction request and case steps ------------------------------------------


@pytest.fixture
def filed(factory):
    org = factory.org(name="PT Diperiksa", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 300})
    declaration_id = submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    set_locale(factory, inspector.email, "en")  # the sender's language is nobody's concern
    return org, declaration_id, inspector


def test_inspection_mails_link_to_the_declaration_and_the_case(app, factory, filed, outbox):
    org, declaration_id, inspector = filed
    english = second_hr(factory, org, "en")
    with factory.session() as session:
        actor = session.get(User, inspector.id)
        request_correction(session, actor, declaration_id, "Pekerja harian <belum> dilaporkan")
    mails = drain(outbox)
    link = f"{BASE_URL}/declarations/{declaration_id}"
    id_mail = to(mails, org.hr_email)
    check(id_mail, lang="id", link=link)
    check(to(mails, english), lang="en", link=link)
    assert "Pekerja harian <belum> dilaporkan" in id_mail.text
    assert "Pekerja harian &lt;belum&gt; dilaporkan" in id_mail.html  # escaped in HTML

    with factory.session() as session:
        actor = session.get(User, inspector.id)
        case = open_case(session, actor, declaration_id, "Kurang 3 orang")
        case_id = case.id
        escalate_case(session, actor, case_id, None, reason="Menolak bekerja sama")
    case_mails = drain(outbox)
    assert len(case_mails) == 4  # two steps, two readers
    link = f"{BASE_URL}/organization/inspections/cases/{case_id}"
    for mail in case_mails:
        check(mail, lang="id" if mail.to == org.hr_email else "en", link=link)
        assert "Kurang 3 orang" in mail.text
        (letter,) = mail.attachments.values()  # the nota the step issued, as PDF
        assert letter.startswith(b"%PDF-")
    assert sorted(m.subject for m in case_mails if m.to == english) == [
        "Nota pemeriksaan I: a labour inspector recorded a finding",
        "Nota pemeriksaan II: a labour inspector escalated the finding",
    ]
    assert sorted(m.subject for m in case_mails if m.to == org.hr_email) == [
        "Nota pemeriksaan I: pengawas ketenagakerjaan mencatat temuan",
        NOTA_2_ID,
    ]


# --- the referral loop -------------------------------------------------------------------------


@pytest.fixture
def referral(factory):
    """A request from a company with two HR managers (id, en) to a ULD with an English-reading
    officer and an office address."""
    org = factory.org(name="PT Rujukan", regency="36.71")
    english_hr = second_hr(factory, org, "en")
    uld_id = make_uld(factory, "36", "36.71", name="ULD Kota Tangerang")
    officer = make_officer(factory, ("36.71",), uld_id)
    set_locale(factory, officer.email, "en")
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        data = RequestInput(org.establishment_ids[0], "Kasir", "Melayani", "either", "none", 2)
        request_id = create_request(session, hr, data).id
    return org, english_hr, officer, request_id


def test_referral_mails_link_each_side_to_its_page_of_the_request(app, factory, referral, outbox):
    org, english_hr, officer, request_id = referral
    new = drain(outbox)  # create_request told the ULD
    uld_link = f"{BASE_URL}/registry/requests/{request_id}"
    officer_mail, office_mail = to(new, officer.email), to(new, "uld@example.com")
    check(officer_mail, lang="en", link=uld_link)
    check(office_mail, lang="id", link=uld_link)  # no account: the default
    assert officer_mail.subject == "New referral request: Kasir"
    assert "2 positions" in officer_mail.text
    assert "ULD Kota Tangerang" in officer_mail.text

    with factory.session() as session:
        request = session.get(ReferralRequest, request_id)
        notify.tell_company(session, request, "shortlist_sent", count=1)
        notify.tell_company(session, request, "candidate_introduced")
        notify.tell_uld(session, request, "referral_outcome", is_hired=False)
        notify.tell_uld(session, request, "referral_outcome", is_hired=True)
        notify.tell_candidate(session, "calon@example.com", request)
    mails = drain(outbox)
    company_link = f"{BASE_URL}/referrals/{request_id}"
    for mail in mails:
        if mail.to in (org.hr_email, english_hr):
            check(mail, lang="en" if mail.to == english_hr else "id", link=company_link)
        elif mail.to == "calon@example.com":
            check(mail, lang="id", link=None)  # no account: nothing to open
            assert "PT Rujukan" in mail.text
        else:
            check(mail, lang="en" if mail.to == officer.email else "id", link=uld_link)
    english = sorted(m.subject for m in mails if m.to in (english_hr, officer.email))
    assert english == [
        "A candidate agreed to meet you: Kasir",
        "A candidate was hired: Kasir",
        "Candidates proposed for Kasir",
        "Outcome of a referral: Kasir",
    ]
    assert (
        "1 candidate for Kasir"
        in to([m for m in mails if m.subject.startswith("Candidates")], english_hr).text
    )


def test_one_message_per_address_even_when_listed_twice(app, outbox):
    """A ULD officer may also read the ULD's office address: one message, not two."""
    with app.app_context():
        recipient = emails.for_address("uld@example.com")
        facts = {"title": "Kasir", "uld": "ULD", "is_hired": True, "action_url": BASE_URL + "/"}
        assert emails.send(db.session(), "referral_outcome", [recipient, recipient], **facts) == 1
        db.session.commit()
    assert len(sent_mails(outbox)) == 1


def test_the_outbox_file_is_the_message_as_stored(app, outbox):
    """Delivery hands over the bytes built when the message was queued, not a re-parsed copy."""
    with app.app_context():
        recipient = emails.for_address("uld@example.com")
        facts = {"title": "Kasir", "uld": "ULD", "is_hired": True, "action_url": BASE_URL + "/"}
        emails.send(db.session(), "referral_outcome", [recipient], **facts)
        stored = key_ring().decrypt(db.session.scalars(select(OutgoingMail.message)).one())
        db.session.commit()
    [path] = outbox.glob("*.eml")
    assert path.read_bytes() == stored
    assert path.name.endswith("_at_kuota-inklusi.local.eml")  # named by its Message-ID


#: Every template with the facts its callers give it; the variants the tests above do not send.
EVERY = {
    "password_reset": {"minutes": 60},
    "account_setup": {},
    "signup_confirm": {"organization": "PT A"},
    "signup_taken": {"organization": "PT A", "reset_url": f"{BASE_URL}/password/forgot"},
    "invitation": {"inviter": "Dewi", "organization": "PT A", "days": 1},
    "invitation_taken": {"inviter": "Dewi", "organization": "PT A"},
    "deadline_reminder": {"organization": "PT A", "year": 2025, "due": date(2026, 1, 31)},
    "evidence_expiry": {"organization": "PT A", "expiring": [("E-1", date(2026, 12, 1))]},
    "payment_failed": {"organization": "PT A", "ends_at": None},
    "correction_requested": {"organization": "PT A", "number": 2, "period": "2025", "message": "x"},
    "case_update": {"organization": "PT A", "finding": "x", "deadline_on": None},
    "referral_request_new": {"uld": "ULD", "title": "Kasir", "positions": 1},
    "shortlist_sent": {"organization": "PT A", "title": "Kasir", "count": 2},
    "candidate_introduced": {"organization": "PT A", "title": "Kasir"},
    "referral_outcome": {"uld": "ULD", "title": "Kasir", "is_hired": False},
    "candidate_introduction": {"company": "PT A", "title": "Kasir", "uld": "ULD"},
}
NO_LINK = {"invitation_taken", "candidate_introduction"}


def test_every_template_is_listed_here(app):
    folder = Path(app.root_path) / "templates" / "email"
    names = {p.stem for p in folder.glob("[!_]*.txt")}
    assert names == set(EVERY)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    ("template", "extra"),
    [
        *((name, {}) for name in EVERY),
        ("deadline_reminder", {"is_overdue": True}),
        ("payment_failed", {"ends_at": at(2026, 12, 1, 4, 0)}),
        *(("case_update", {"event": e}) for e in ("opened", "nota_2", "referred", "closed")),
        ("case_update", {"event": "reminder", "deadline_on": date(2026, 12, 1)}),
        ("referral_outcome", {"is_hired": True}),
    ],
)
def test_every_template_renders_both_parts_in_either_language(app, template, extra, lang):
    link = None if template in NO_LINK else f"{BASE_URL}/somewhere"
    with app.app_context():
        mail = emails.render(
            template,
            emails.Recipient("a@example.com", lang, name="Dewi"),
            **{**EVERY[template], **extra, "action_url": link or ""},
        )
        message = app.extensions["kuota_mailer"].build(mail)
    check(read_mail(bytes(message)), lang=lang, link=link)
