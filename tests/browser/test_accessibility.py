"""axe-core (WCAG 2.1 A and AA rules) on every page, in both languages and in its error state.

`PAGES` names, for every endpoint that answers GET with HTML, the visits that show it: who is
logged in, which URL, and how to put its form into the error state. The list of endpoints comes
from `app.url_map`, so a page added without an entry here makes `test_every_page_is_checked`
fail and say which endpoint to add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from compliance.models import Role, User
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.services.declarations import open_declaration
from compliance.services.passwords import ACCOUNT_SETUP, RESET, make_reset_token
from compliance.services.team import invite_colleague
from tests.registry.support import registry_pages_world
from tests.support import screenshots
from tests.support.axe import assert_accessible
from tests.support.browser import browser_login
from tests.support.clock import last_year
from tests.support.factories import Factory, OrgRef, UserRef
from tests.support.roster import make_employee

#: GET endpoints that are not HTML pages, and why.
NOT_PAGES = {
    "static": "stylesheets and scripts",
    "main.healthz": "JSON for the load balancer",
    "main.favicon": "redirects to the SVG icon",
    "imports.download_template": "XLSX and CSV template downloads",
    "declarations.download_receipt_pdf": "PDF receipt download",
    "declarations.download_receipt_xlsx": "XLSX receipt download",
    "imports.import_status": "JSON progress for import-progress.js",
    "inspections.download_attachment": "a case response's attached file",
    "inspections.download_letter": "a nota letter's PDF",
    "inspections.show_names": "redirects to the drill-down (its form's action)",
    "inspections.download_pack": "redirects to the drill-down; its POST asks for an export",
    "inspections.export_summary": "redirects to the summary; its POST asks for an export",
    "exports.download_export": "a prepared export's ZIP or XLSX",
    "inspections.accept": "redirects to the drill-down (its form's action)",
    "inspections.ask_correction": "redirects to the drill-down (its form's action)",
    "inspections.record_finding": "redirects to the drill-down (its form's action)",
    "inspections.escalate": "redirects to the case page (its form's action)",
    "inspections.close": "redirects to the case page (its form's action)",
}
#: Every endpoint of the `api` blueprint answers JSON (or a file), never a page; the API's
#: reference page is `api_pages.reference`, checked below.
NOT_PAGE_BLUEPRINTS = ("api.",)
INVALID_TOKEN = "not-a-valid-token"
NEW_PASSWORD = "tiga kata rahasia baru"


@dataclass(frozen=True)
class World:
    """What the pages show: an organisation, one user of each role, and e-mailed tokens."""

    org: OrgRef
    inspector: UserRef
    officer: UserRef
    admin: UserRef
    reset_token: str
    setup_token: str
    invitation_token: str
    employee_id: int = 0  # on the roster, no consent yet
    consented_employee_id: int = 0  # consent given, disability details recorded
    declaration_id: int = 0  # a draft for last year, without figures
    import_ids: tuple[int, ...] = ()  # imports: ready, with errors, running
    registry: dict[str, int] | None = None  # ULD, candidates, a request (tests/registry)
    case_id: int = 0  # an inspection case on `org` at nota pemeriksaan I
    failed_mail_id: int = 0  # a dead letter on the admin's mail page
    export_ids: tuple[int, ...] = ()  # the admin's exports: ready, being prepared, failed
    candidate_import_ids: tuple[int, ...] = ()  # the officer's files: refused, imported, checking
    webhook_ids: tuple[int, ...] = ()  # endpoints: the organisation's (with a log), the ULD's


def submit_empty(page: Page) -> None:
    """Send the page's main form as it is: required fields empty, multi-selects cleared."""
    form = page.locator("main form.form")
    # A <select multiple> is hidden behind the regency picker (static/app.js), which has a
    # remove button per chosen one: clear the list the picker keeps as the form's value.
    for listbox in form.locator("select[multiple]").all():
        listbox.evaluate("select => { for (const o of select.options) o.selected = false; }")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def submit_new_password(page: Page) -> None:
    """Send a valid new password: the error is then about the link itself."""
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#password_confirm").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()


def clear_employee_number(page: Page) -> None:
    """The employee page's forms are filled in: empty one required field and save."""
    page.locator("#employee_number").fill("")
    with page.expect_navigation():
        page.locator("main form.form").first.locator("button[type=submit]").click()


def uncheck_categories(page: Page) -> None:
    # A USWDS checkbox draws its box on the label; the input itself sits off screen.
    checked = page.locator("#categories input[type=checkbox]:checked")
    for box_id in [box.get_attribute("id") for box in checked.all()]:
        page.locator(f"label[for='{box_id}']").click()
    expect(page.locator("#categories input[type=checkbox]:checked")).to_have_count(0)
    with page.expect_navigation():
        page.locator("main form.form").nth(1).locator("button[type=submit]").click()


@dataclass(frozen=True)
class Visit:
    label: str
    path: str
    email: str | None = None  # who is logged in; None: anonymous
    status: int = 200
    make_errors: Callable[[Page], None] | None = None


def _reg(w: World, key: str) -> int:
    assert w.registry is not None
    return w.registry[key]


def _clear_name(page: Page) -> None:
    page.locator("main form.form input[name=name]").fill("")
    submit_empty(page)


REGISTRY_PAGES: dict[str, Callable[[World], list[Visit]]] = {
    "registry.list_ulds": lambda w: [
        Visit("ULD directory", "/admin/ulds", w.admin.email, make_errors=submit_empty)
    ],
    "registry.edit_uld": lambda w: [
        Visit("ULD", f"/admin/ulds/{_reg(w, 'uld_id')}", w.admin.email, make_errors=_clear_name)
    ],
    "registry.list_candidates": lambda w: [
        Visit("candidates", "/registry/candidates", w.officer.email)
    ],
    "registry.new_candidate": lambda w: [
        Visit(
            "new candidate", "/registry/candidates/new", w.officer.email, make_errors=submit_empty
        )
    ],
    "registry.show_candidate": lambda w: [
        Visit(
            "candidate",
            f"/registry/candidates/{_reg(w, 'candidate_id')}",
            w.officer.email,
            make_errors=_clear_name,
        )
    ],
    "registry.candidate_consent": lambda w: [
        Visit(
            "draft",
            f"/registry/candidates/{_reg(w, 'draft_id')}/consent",
            w.officer.email,
            make_errors=submit_empty,
        ),
        Visit(
            "recorded", f"/registry/candidates/{_reg(w, 'candidate_id')}/consent", w.officer.email
        ),
    ],
    "registry.import_candidates_page": lambda w: [
        Visit("candidate import", "/registry/import", w.officer.email, make_errors=submit_empty)
    ],
    "registry.show_candidate_import": lambda w: [
        Visit(
            "candidate file with errors",
            f"/registry/import/{w.candidate_import_ids[0]}",
            w.officer.email,
            status=422,
        ),
        Visit(
            "candidate file imported",
            f"/registry/import/{w.candidate_import_ids[1]}",
            w.officer.email,
        ),
        Visit(
            "candidate file being checked",
            f"/registry/import/{w.candidate_import_ids[2]}",
            w.officer.email,
        ),
    ],
    "registry.show_statistics": lambda w: [
        Visit("region of an officer", "/registry/statistics", w.officer.email),
        Visit("all regions", "/registry/statistics", w.admin.email),
    ],
    "registry.list_routed_requests": lambda w: [
        Visit("routed requests", "/registry/requests", w.officer.email)
    ],
    "registry.match_request": lambda w: [
        Visit("matching", f"/registry/requests/{_reg(w, 'request_id')}", w.officer.email)
    ],
    "registry.list_requests": lambda w: [Visit("referral requests", "/referrals", w.org.hr_email)],
    "registry.new_request": lambda w: [
        Visit("new referral request", "/referrals/new", w.org.hr_email, make_errors=submit_empty)
    ],
    "registry.show_request": lambda w: [
        Visit("referral request", f"/referrals/{_reg(w, 'request_id')}", w.org.hr_email)
    ],
    "registry.hire_candidate": lambda w: [
        Visit(
            "hire",
            f"/referrals/outcomes/{_reg(w, 'referral_id')}/hire",
            w.org.hr_email,
            make_errors=submit_empty,
        )
    ],
    "registry.turn_down": lambda w: [
        Visit(
            "not hired",
            f"/referrals/outcomes/{_reg(w, 'referral_id')}/not-hired",
            w.org.hr_email,
            make_errors=submit_empty,
        ),
        Visit(
            "not hired, by the officer",
            f"/referrals/outcomes/{_reg(w, 'referral_id')}/not-hired",
            w.officer.email,
            make_errors=submit_empty,
        ),
    ],
}

PAGES: dict[str, Callable[[World], list[Visit]]] = {
    "inspections.show_dashboard": lambda w: [
        Visit("inspector dashboard", "/inspections", w.inspector.email),
        Visit("unknown filter", "/inspections?status=nope", w.inspector.email, status=400),
    ],
    "inspections.show_organization": lambda w: [
        Visit(
            "drill-down",
            f"/inspections/organizations/{w.org.id}",
            w.inspector.email,
            make_errors=submit_names_empty,
        )
    ],
    "inspections.show_history": lambda w: [
        Visit(
            "history of an organisation",
            f"/inspections/organizations/{w.org.id}/history",
            w.inspector.email,
        ),
        Visit(
            "history, dates the wrong way round",
            f"/inspections/organizations/{w.org.id}/history?date_from=2026-02-01&date_to=2026-01-01",
            w.inspector.email,
            status=422,
        ),
    ],
    "inspections.show_case": lambda w: [
        Visit(
            "case, inspector",
            f"/inspections/cases/{w.case_id}",
            w.inspector.email,
            make_errors=submit_past_deadline,
        )
    ],
    "inspections.admin_summary": lambda w: [
        Visit("national summary", "/admin/inspections", w.admin.email),
        Visit("province summary", "/admin/inspections?province=31", w.admin.email),
    ],
    "inspections.list_holidays": lambda w: [
        Visit(
            "holidays and cuti bersama",
            "/admin/inspections/holidays",
            w.admin.email,
            make_errors=submit_empty,
        )
    ],
    "inspections.verify_evidence": lambda w: [
        Visit("verify a pack", "/evidence/verify", make_errors=submit_empty)
    ],
    "inspections.verify_receipt": lambda w: [
        Visit("verify a receipt", "/receipts/verify"),
        # A GET form: its errors are a page of their own (the values stay in the address).
        Visit("verify a receipt, malformed", "/receipts/verify?number=x&sha256=y", status=422),
        Visit(
            "verify a receipt, unknown",
            f"/receipts/verify?number=KI-2026-000001-0001&sha256={'a' * 64}",
        ),
    ],
    "inspections.verify_letter": lambda w: [
        Visit("verify a letter", "/letters/verify", make_errors=submit_empty)
    ],
    "inspections.list_inspectorate_offices": lambda w: [
        Visit("inspectorate offices", "/admin/inspections/offices", w.admin.email)
    ],
    "inspections.edit_inspectorate_office": lambda w: [
        Visit(
            "inspectorate office",
            "/admin/inspections/offices/31",
            w.admin.email,
            make_errors=submit_empty,
        )
    ],
    "inspections.hr_overview": lambda w: [
        Visit("inspections, HR", "/organization/inspections", w.org.hr_email)
    ],
    "inspections.hr_case": lambda w: [
        Visit(
            "case, HR",
            f"/organization/inspections/cases/{w.case_id}",
            w.org.hr_email,
            make_errors=submit_response_empty,
        )
    ],
    "main.index": lambda w: [Visit("home", "/")],
    "main.dashboard": lambda w: [
        Visit("HR manager's home, with the set-up checklist", "/dashboard", w.org.hr_email),
        Visit("inspector's home", "/dashboard", w.inspector.email),
        Visit("registry officer's home, none in region", "/dashboard", w.officer.email),
        Visit("administrator's home", "/dashboard", w.admin.email),
    ],
    "auth.login": lambda w: [Visit("login", "/login", make_errors=submit_empty)],
    "auth.signup": lambda w: [Visit("sign-up", "/signup", make_errors=submit_empty)],
    "auth.sign_up_sent": lambda w: [Visit("sign-up mailed", "/signup/sent")],
    "auth.confirm_sign_up": lambda w: [
        Visit("sign-up link", f"/signup/confirm/{INVALID_TOKEN}", make_errors=submit_empty)
    ],
    "auth.forgot_password": lambda w: [
        Visit("forgotten password", "/password/forgot", make_errors=submit_empty)
    ],
    "auth.reset_password_form": lambda w: [
        Visit("valid link", f"/password/reset/{w.reset_token}", make_errors=submit_empty),
        Visit("invalid link", f"/password/reset/{INVALID_TOKEN}", make_errors=submit_new_password),
    ],
    "auth.set_up_account": lambda w: [
        Visit("valid link", f"/account/setup/{w.setup_token}", make_errors=submit_empty),
        Visit("invalid link", f"/account/setup/{INVALID_TOKEN}", make_errors=submit_new_password),
    ],
    "auth.change_password_form": lambda w: [
        Visit("change password", "/account/password", w.org.hr_email, make_errors=submit_empty)
    ],
    "auth.api_tokens": lambda w: [
        Visit("no token yet", "/account/tokens", w.org.hr_email, make_errors=submit_empty),
    ],
    "api_pages.reference": lambda w: [
        Visit("API reference", "/api/v1/reference"),
        Visit("API reference, logged in", "/api/v1/reference", w.org.hr_email),
    ],
    "auth.accept_invitation_form": lambda w: [
        Visit("valid invitation", f"/invitations/{w.invitation_token}", make_errors=submit_empty),
        Visit("invalid invitation", f"/invitations/{INVALID_TOKEN}", status=404),
    ],
    "organizations.show_own": lambda w: [
        Visit("own organisation", "/organization", w.org.hr_email)
    ],
    "organizations.show": lambda w: [
        Visit("organisation in region", f"/organizations/{w.org.id}", w.inspector.email)
    ],
    "organizations.team": lambda w: [
        Visit(
            "team with a pending invitation",
            "/organization/team",
            w.org.hr_email,
            make_errors=submit_empty,
        )
    ],
    "admin.list_users": lambda w: [
        Visit("users", "/admin/users", w.admin.email, make_errors=submit_empty)
    ],
    "admin.edit_user": lambda w: [
        Visit(
            "inspector", f"/admin/users/{w.inspector.id}", w.admin.email, make_errors=submit_empty
        ),
        Visit(
            "registry officer",
            f"/admin/users/{w.officer.id}",
            w.admin.email,
            make_errors=submit_empty,
        ),
    ],
    "organizations.history": lambda w: [Visit("history", "/organization/history", w.org.hr_email)],
    "organizations.list_establishments": lambda w: [
        Visit("establishments", "/establishments", w.org.hr_email)
    ],
    "organizations.new_establishment": lambda w: [
        Visit("new establishment", "/establishments/new", w.org.hr_email, make_errors=submit_empty)
    ],
    "organizations.edit_establishment": lambda w: [
        Visit(
            "edit establishment",
            f"/establishments/{w.org.establishment_ids[0]}/edit",
            w.org.hr_email,
            make_errors=submit_without_name,
        )
    ],
    "organizations.edit_figures": lambda w: [
        Visit(
            "monthly figures",
            f"/establishments/{w.org.establishment_ids[0]}/figures?month=2026-01",
            w.org.hr_email,
            make_errors=submit_blank_figures,
        )
    ],
    "organizations.edit_month_figures": lambda w: [
        Visit(
            "month grid",
            f"/establishments/figures?month={last_year()}-06",
            w.org.hr_email,
            make_errors=submit_negative_cell,
        )
    ],
    "organizations.edit_year_figures": lambda w: [
        Visit(
            "year view",
            f"/establishments/{w.org.establishment_ids[0]}/figures/{last_year()}",
            w.org.hr_email,
            make_errors=submit_negative_cell,
        )
    ],
    "exports.show_export": lambda w: [
        Visit("a prepared export", f"/exports/{w.export_ids[0]}", w.admin.email),
        Visit("an export being prepared", f"/exports/{w.export_ids[1]}", w.admin.email),
        Visit("an export that failed", f"/exports/{w.export_ids[2]}", w.admin.email),
    ],
    "admin.undelivered_mail": lambda w: [
        Visit("undelivered e-mail, one failed", "/admin/mail", w.admin.email)
    ],
    "admin.audit_trail": lambda w: [
        Visit("audit trail", "/admin/audit", w.admin.email),
        Visit(
            "audit trail, bad date",
            "/admin/audit?date_from=31-12-2026&date_to=2026-02-30",
            w.admin.email,
            status=422,
        ),
    ],
    "roster.list_employees": lambda w: [Visit("roster", "/roster", w.org.hr_email)],
    "roster.new_employee": lambda w: [
        Visit("new employee", "/roster/new", w.org.hr_email, make_errors=submit_empty)
    ],
    "roster.show_employee": lambda w: [
        Visit(
            "without consent",
            f"/roster/{w.employee_id}",
            w.org.hr_email,
            make_errors=clear_employee_number,
        ),
        Visit(
            "with consent and details",
            f"/roster/{w.consented_employee_id}",
            w.org.hr_email,
            make_errors=uncheck_categories,
        ),
    ],
    "roster.edit_consent": lambda w: [
        Visit(
            "consent form",
            f"/roster/{w.employee_id}/consent",
            w.org.hr_email,
            make_errors=submit_empty,
        ),
        Visit("recorded consent", f"/roster/{w.consented_employee_id}/consent", w.org.hr_email),
    ],
    "declarations.show_gap": lambda w: [Visit("quota gap", "/gap", w.org.hr_email)],
    "declarations.explain_gap": lambda w: [Visit("why is my gap", "/gap/why", w.org.hr_email)],
    "declarations.list_declarations": lambda w: [
        Visit("declarations", "/declarations", w.org.hr_email, make_errors=clear_year)
    ],
    "declarations.show_declaration": lambda w: [
        Visit(
            "draft without figures",
            f"/declarations/{w.declaration_id}",
            w.org.hr_email,
            make_errors=submit_declaration_draft,
        )
    ],
    "imports.list_jobs": lambda w: [
        Visit("imports", "/imports", w.org.hr_email, make_errors=submit_empty)
    ],
    "imports.show_import": lambda w: [
        Visit(f"import {label}", f"/imports/{job_id}", w.org.hr_email)
        for label, job_id in zip(("ready", "with errors", "running"), w.import_ids, strict=True)
    ],
    "billing.list_job_runs": lambda w: [Visit("jobs and billing", "/admin/jobs", w.admin.email)],
    "billing.show_billing": lambda w: [Visit("billing", "/billing/", w.org.hr_email)],
    "billing.checkout_return": lambda w: [
        Visit("back from checkout", "/billing/return", w.org.hr_email)
    ],
    **REGISTRY_PAGES,
    "webhooks.list_webhooks": lambda w: [
        Visit("webhooks of an organisation", "/webhooks", w.org.hr_email),
        Visit("webhooks of a ULD", "/webhooks", w.officer.email),
    ],
    "webhooks.new_webhook": lambda w: [
        Visit("new webhook endpoint", "/webhooks/new", w.org.hr_email, make_errors=submit_empty)
    ],
    "webhooks.show_webhook": lambda w: [
        Visit(
            "a webhook endpoint and its log",
            f"/webhooks/{w.webhook_ids[0]}",
            w.org.hr_email,
            make_errors=clear_webhook_description,
        ),
        Visit("a ULD's webhook endpoint", f"/webhooks/{w.webhook_ids[1]}", w.officer.email),
    ],
    "quota.explain": lambda w: [
        Visit("national rules", "/kuota"),
        Visit("with a regional rule", "/kuota?region=34.02"),
    ],
}


def submit_blank_figures(page: Page) -> None:
    """The figures page has a month picker and the figures form: save the figures left blank."""
    with page.expect_navigation():
        page.locator("main form.form").last.locator("button[type=submit]").click()


def submit_negative_cell(page: Page) -> None:
    """A figures grid: a negative number in the first cell, the rest of its row left empty."""
    page.locator("main input[inputmode=numeric]").first.fill("-1")
    with page.expect_navigation():
        page.locator("main button[value=save]").click()


def submit_without_name(page: Page) -> None:
    """A pre-filled form: empty its name field so the save fails."""
    page.locator("main form.form input[name=name]").fill("")
    submit_empty(page)


def clear_year(page: Page) -> None:
    page.locator("#year").fill("")
    submit_empty(page)


def submit_declaration_draft(page: Page) -> None:
    """Submitting a draft without figures fails, naming the missing months."""
    with page.expect_navigation():
        page.locator("main form.form button[value=submit]").click()


def _import_jobs(factory: Factory, org: OrgRef) -> tuple[int, ...]:
    """Imports in the three states that show different pages: ready, invalid, running."""
    error = {"row": 3, "column": "start_date", "code": "bad_date", "params": {"value": "31/12"}}
    states = [
        (ImportStatus.READY, [], 0),
        (ImportStatus.INVALID, [error], 1),
        (ImportStatus.IMPORTING, [], 0),
    ]
    with factory.session() as session:
        jobs = [
            ImportJob(
                organization_id=org.id,
                kind=ImportKind.ROSTER,
                status=status,
                filename="roster.xlsx",
                file_format="xlsx",
                total_rows=120,
                processed_rows=40,
                errors=errors,
                error_count=count,
            )
            for status, errors, count in states
        ]
        session.add_all(jobs)
        session.flush()
        return tuple(job.id for job in jobs)


def _candidate_imports(factory: Factory, officer_id: int) -> tuple[int, ...]:
    """The three states of an officer's candidate file."""
    from compliance.models.candidate_imports import CandidateImport, CandidateImportStatus

    error = {
        "row": 2,
        "column": "education",
        "code": "unknown_choice",
        "params": {"value": "kuliah", "allowed": "primary, junior, senior, college"},
    }
    with factory.session() as session:
        uploads = [
            CandidateImport(
                requested_by_id=officer_id,
                filename="kandidat.csv",
                status=status,
                rows=rows,
                created=created,
                error_count=len(errors),
                errors=errors,
            )
            for status, rows, created, errors in [
                (CandidateImportStatus.REFUSED, 1, 0, [error]),
                (CandidateImportStatus.IMPORTED, 3, 3, []),
                (CandidateImportStatus.CHECKING, 0, 0, []),
            ]
        ]
        session.add_all(uploads)
        session.flush()
        return tuple(upload.id for upload in uploads)


def _exports(factory: Factory, admin_id: int) -> tuple[int, ...]:
    """The three states an export's page shows."""
    from compliance.clock import utcnow
    from compliance.models.exports import Export, ExportKind, ExportStatus
    from compliance.models.types import key_ring

    later = utcnow() + timedelta(days=1)
    with factory.session() as session:
        exports = [
            Export(
                kind=ExportKind.COMPLIANCE_SUMMARY,
                status=status,
                requested_by_id=admin_id,
                parameters={"province": None},
                filename="ringkasan-kuota-nasional.xlsx" if content else "",
                mimetype="application/zip",
                content=key_ring().encrypt(b"PK") if content else None,
                error=error,
                expires_at=later,
            )
            for status, content, error in [
                (ExportStatus.READY, True, None),
                (ExportStatus.PREPARING, False, None),
                (ExportStatus.FAILED, False, "Tahun laporan belum dimulai."),
            ]
        ]
        session.add_all(exports)
        session.flush()
        return tuple(export.id for export in exports)


def _failed_mail(factory: Factory) -> int:
    """A dead letter, so the admin's mail page shows its table and button."""
    from compliance.models.mail import MailStatus, OutgoingMail

    with factory.session() as session:
        mail = OutgoingMail(
            status=MailStatus.FAILED,
            recipient="hr@contoh.example.com",
            subject="Pengingat batas waktu laporan",
            message="not-read-by-the-page",
            attempts=6,
            last_error="451 4.3.0 Mail server temporarily rejected message",
        )
        session.add(mail)
        session.flush()
        return mail.id


def clear_webhook_description(page: Page) -> None:
    page.locator("#description").fill("")
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()


def _webhooks(factory: Factory, org: OrgRef, officer: UserRef) -> tuple[int, ...]:
    """An endpoint of `org` with a delivered, a waiting and a dead event, and one of the
    officer's ULD (`registry_pages_world` made the officer a member)."""
    from compliance.clock import utcnow
    from compliance.models.webhooks import DeliveryStatus, WebhookDelivery
    from compliance.services.webhooks.endpoints import EndpointInput, create_endpoint

    ids = []
    with factory.session() as session:
        for email, events in (
            (org.hr_email, ["declaration.submitted", "case.opened"]),
            (officer.email, ["referral_request.received"]),
        ):
            actor = session.scalar(select(User).where(User.email == email))
            data = EndpointInput("http://127.0.0.1:9/kuota", "SAP HR", events)
            ids.append(create_endpoint(session, actor, data)[0].id)
        now = utcnow()
        session.add_all(
            WebhookDelivery(
                endpoint_id=ids[0],
                event_id=f"evt_{n:024x}",
                event_type="declaration.submitted",
                payload="{}",
                status=status,
                attempts=attempts,
                response_status=answer,
                last_error=error,
                next_attempt_at=now + timedelta(minutes=2) if status == "pending" else None,
            )
            for n, (status, attempts, answer, error) in enumerate(
                [
                    (DeliveryStatus.DELIVERED, 1, 200, None),
                    (DeliveryStatus.PENDING, 2, 503, "HTTP 503: busy"),
                    (DeliveryStatus.DEAD, 7, None, "connection timed out"),
                ]
            )
        )
    return tuple(ids)


def _inspection_case(factory: Factory, org: OrgRef) -> int:
    from tests.support.inspections import make_case

    return make_case(factory, org.id)


def submit_names_empty(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form[action$='/names'] button[type=submit]").click()


def submit_past_deadline(page: Page) -> None:
    page.locator("#escalate-deadline_on").fill("2020-01-01")
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").first.click()


def submit_response_empty(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").first.click()


def _draft(factory: Factory, org: OrgRef) -> int:
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        return open_declaration(session, hr, last_year()).id


@pytest.fixture
def world(factory: Factory) -> World:
    org = factory.org(name="PT Aksesibel Nusantara", regency="31.71")
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    officer = factory.user(Role.REGISTRY_OFFICER, regencies=("36.71",))
    admin = factory.user(Role.ADMIN)
    invitation_links: list[str] = []
    with factory.session() as session:
        hr = session.scalar(select(User).where(User.email == org.hr_email))
        assert hr is not None
        reset_token = make_reset_token(hr, RESET)
        setup_token = make_reset_token(session.get(User, inspector.id), ACCOUNT_SETUP)
        invite_colleague(session, hr, "rekan@example.com", invitation_links.append)
    return World(
        org,
        inspector,
        officer,
        admin,
        reset_token,
        setup_token,
        invitation_links[0],
        employee_id=make_employee(factory, org.id, number="E-1"),
        consented_employee_id=make_employee(factory, org.id, number="E-2", details=True),
        declaration_id=_draft(factory, org),
        import_ids=_import_jobs(factory, org),
        registry=registry_pages_world(factory, org.id, officer),
        webhook_ids=_webhooks(factory, org, officer),
        case_id=_inspection_case(factory, org),
        failed_mail_id=_failed_mail(factory),
        export_ids=_exports(factory, admin.id),
        candidate_import_ids=_candidate_imports(factory, officer.id),
    )


def test_every_page_is_checked(app: Flask) -> None:
    rules = {
        rule.endpoint: rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith(NOT_PAGE_BLUEPRINTS)
    }
    missing = [f"{endpoint} ({rules[endpoint]})" for endpoint in sorted(rules.keys() - PAGES)]
    assert not missing, (
        "These endpoints answer GET but have no accessibility check. Add each to PAGES in "
        "tests/browser/test_accessibility.py (or, if it is not an HTML page, to NOT_PAGES): "
        + ", ".join(missing)
    )
    assert not PAGES.keys() - rules.keys(), "PAGES names endpoints that no longer exist"


def choose_language(page: Page, code: str) -> None:
    """Use the header's language switch, which posts and comes back to the same page."""
    if page.locator("html").get_attribute("lang") != code:
        with page.expect_navigation():
            page.locator(f"header button[name=lang][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _path(url: str) -> str:
    """Path and query string, without the fragment."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _check(page: Page, app: Flask, endpoint: str, visit: Visit, *, first: bool) -> None:
    """Check one visit; the first visit of a page is photographed too (support/screenshots)."""
    assert app.url_map.bind("localhost").match(urlsplit(visit.path).path)[0] == endpoint
    page.context.clear_cookies()
    if visit.email is not None:
        browser_login(page, visit.email)
    response = page.goto(visit.path)
    assert response is not None
    assert response.status == visit.status, f"{visit.path} answered {response.status}"
    assert response.headers["content-type"].startswith("text/html")
    assert _path(page.url) == visit.path, f"{visit.path} sent the browser to {page.url}"
    where = f"{endpoint}: {visit.label}"

    choose_language(page, "id")  # a logged-in user may have saved English last time
    assert_accessible(page, f"{where}, Indonesian")
    if first:
        screenshots.take(page, f"{endpoint}-id")
    if visit.make_errors:
        visit.make_errors(page)
        expect(page.locator(".error-summary")).to_be_visible()
        assert_accessible(page, f"{where}, Indonesian, with errors")

    choose_language(page, "en")
    assert _path(page.url) == visit.path
    assert_accessible(page, f"{where}, English")
    if first:
        screenshots.take(page, f"{endpoint}-en")


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_page_has_no_axe_violations(page: Page, app: Flask, world: World, endpoint: str) -> None:
    for number, visit in enumerate(PAGES[endpoint](world)):
        _check(page, app, endpoint, visit, first=number == 0)


@pytest.mark.parametrize("language", ["id", "en"])
def test_error_pages_have_no_axe_violations(page: Page, language: str) -> None:
    page.goto("/")
    choose_language(page, language)
    response = page.goto("/no-such-page")
    assert response is not None
    assert response.status == 404
    assert_accessible(page, f"404 page, {language}")

    # A form sent with a stale security token gets the "form expired" page.
    page.goto("/login")
    page.locator("main form input[name=csrf_token]").evaluate("input => input.value = 'stale'")
    with page.expect_navigation() as navigation:
        page.locator("main form.form button[type=submit]").click()
    assert navigation.value is not None
    assert navigation.value.status == 400
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"expired form page, {language}")
