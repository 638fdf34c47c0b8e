"""Bulk import through the services: validation report, clean import, idempotent re-import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.config import Config
from compliance.extensions import db
from compliance.models import AuditEvent, ConsentRecord, Employee, User, WorkforceFigure
from compliance.models.files import StoredFile
from compliance.models.imports import ImportJob, ImportKind, ImportStatus
from compliance.models.tenancy import Reach, reach_scope
from compliance.services import ServiceError
from compliance.services.billing import plans
from compliance.services.consent import record_consent, withdraw_consent
from compliance.services.establishments import close_establishment
from compliance.services.imports import confirm_import, run_import, start_import, validate_import
from compliance.services.imports.housekeeping import (
    expire_unconfirmed_imports,
    fail_stalled_imports,
)
from compliance.services.imports.spec import FIGURES_COLUMNS
from compliance.services.roster import disability_details, get_employee
from compliance.services.workforce import record_monthly_figures
from tests.support.clock import today
from tests.support.imports import (
    ROSTER_HEADER,
    csv_bytes,
    roster_row,
    roster_rows,
    xlsx_bytes,
)
from tests.support.roster import make_employee


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, import_max_bytes=200_000)


@contextmanager
def acting(app, user_id: int) -> Iterator[tuple[Session, User]]:
    with app.app_context():
        actor = db.session.scalar(
            select(User).where(User.id == user_id).execution_options(skip_tenant_scope=True)
        )
        with reach_scope(db.session, actor.reach()):
            yield db.session, actor
            db.session.commit()


@pytest.fixture
def org(factory):
    return factory.org(name="PT Impor", other_regencies=("35.78",))


@pytest.fixture
def hr_id(factory, org) -> int:
    with factory.session() as session:
        return session.scalar(select(User.id).where(User.email == org.hr_email))


def _import(app, hr_id, kind, data, filename="data.csv", confirm=True) -> ImportJob:
    with acting(app, hr_id) as (session, actor):
        job = start_import(session, actor, kind, filename, data)
        validate_import(session, job)
        if confirm and job.status is ImportStatus.READY:
            confirm_import(session, actor, job.id)
            run_import(session, job)
        session.expunge(job)
        return job


def _count(factory, model, **where) -> int:
    with factory.session() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def _errors(job: ImportJob) -> set[tuple[int, str, str]]:
    return {(e["row"], e["column"], e["code"]) for e in job.errors}


@pytest.mark.parametrize("maker", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
@pytest.mark.calendar  # dates judged against today
def test_clean_roster_import_then_reimport_changes_nothing(app, factory, org, hr_id, maker):
    est = org.establishment_ids[0]
    rows = [*roster_rows(3, est), roster_row("X-1", "Kantor pusat", consent=False, details=False)]
    data = maker(ROSTER_HEADER, rows)
    name = "roster.csv" if maker is csv_bytes else "roster.xlsx"
    job = _import(app, hr_id, ImportKind.ROSTER, data, name)
    assert job.status is ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (4, 0, 0)
    assert _count(factory, Employee) == 4
    assert _count(factory, ConsentRecord) == 3
    events = _count(factory, AuditEvent, action="import.roster_imported")
    assert events == 1
    with acting(app, hr_id) as (session, actor):
        employee_id = session.scalar(
            select(Employee.id).where(Employee.employee_number == "E000001")
        )
        details = disability_details(get_employee(session, actor, employee_id))
        assert details is not None
        assert details.evidence_number == "KPD-1"
        raw = session.execute(
            text("SELECT evidence_number FROM employees WHERE id = :id"), {"id": employee_id}
        ).scalar()
        # Encrypted at rest: a token, not the number. (Three random letters such as "KPD" do
        # turn up in a base64 token now and then; the whole number cannot by chance.)
        assert raw.startswith("v2:")
        assert "KPD-1" not in raw
        event = session.scalar(select(AuditEvent).where(AuditEvent.action.like("import.%")))
        assert "Pegawai" not in str(event.data)
        assert event.data["created"] == 4

    again = _import(app, hr_id, ImportKind.ROSTER, data, name)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert _count(factory, AuditEvent, action="import.roster_imported") == 1
    assert _count(factory, ConsentRecord) == 3


def _validated(app, hr_id, data: bytes) -> int:
    with acting(app, hr_id) as (session, actor):
        job = start_import(session, actor, ImportKind.ROSTER, "roster.csv", data)
        validate_import(session, job)
        assert job.status is ImportStatus.READY, job.errors
        confirm_import(session, actor, job.id)
        return job.id


def _write(app, hr_id, job_id: int) -> ImportJob:
    with acting(app, hr_id) as (session, _actor):
        job = session.get(ImportJob, job_id)
        run_import(session, job)
        session.expunge(job)
        return job


def test_a_change_between_validation_and_writing_is_caught(app, factory, org, hr_id):
    """The write checks the file again: here a colleague closes the establishment in between."""
    branch = org.establishment_ids[1]
    job_id = _validated(app, hr_id, csv_bytes(ROSTER_HEADER, roster_rows(2, branch)))
    with acting(app, hr_id) as (session, actor):
        close_establishment(session, actor, branch)
    job = _write(app, hr_id, job_id)
    assert job.status is ImportStatus.INVALID
    assert _errors(job) == {(2, "establishment", "closed_establishment")} | {
        (3, "establishment", "closed_establishment")
    }
    assert _count(factory, Employee) == 0


def test_changed_row_is_updated(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, roster_rows(2, est)))
    changed = roster_rows(2, est)
    changed[1] = roster_row("E000001", est, name="Nama Baru")
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, changed))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    with factory.session() as session:
        assert (
            session.scalar(select(Employee.name).where(Employee.employee_number == "E000001"))
            == "Nama Baru"
        )


def test_bad_rows_are_all_reported_and_nothing_is_saved(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    rows = [
        roster_row("A1", est),
        roster_row("A1", est),  # duplicate number
        roster_row("A2", "Cabang Tidak Ada"),  # unknown establishment
        roster_row("A3", est, start="2024-13-01"),  # bad date
        roster_row("A4", est, consent=False),  # disability columns without consent
        (*roster_row("A5", est)[:3], "slave", *roster_row("A5", est)[4:]),  # unknown type
        (*roster_row("A6", est)[:11], "telepathic", *roster_row("A6", est)[12:]),  # category
    ]
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, rows))
    assert job.status is ImportStatus.INVALID
    assert _errors(job) >= {
        (3, "employee_number", "duplicate_employee"),
        (4, "establishment", "unknown_establishment"),
        (5, "start_date", "bad_date"),
        (6, "consent_given_by", "consent_needed"),
        (7, "employment_type", "unknown_choice"),
        (8, "disability_categories", "unknown_category"),
    }
    assert _count(factory, Employee) == 0
    assert _count(factory, ImportJob, status=ImportStatus.INVALID) == 1


def test_wrong_and_missing_columns_are_named(app, org, hr_id):
    header = ["employee_number", "nama", "establishment", "employment_type"]
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(header, [("1", "x", "y", "z")]))
    messages = {e["code"]: e["params"] for e in job.errors}
    assert "name" in messages["missing_columns"]["columns"]
    assert "start_date" in messages["missing_columns"]["columns"]
    assert messages["unknown_columns"]["columns"] == "nama"


def test_wrong_file_type_and_oversized_file_are_refused(app, org, hr_id):
    with acting(app, hr_id) as (session, actor):
        with pytest.raises(ServiceError, match="CSV or XLSX") as error:
            start_import(session, actor, ImportKind.ROSTER, "roster.pdf", b"%PDF-1.4")
        assert error.value.field == "file"
        with pytest.raises(ServiceError, match=r"largest file accepted is 0\.2 MB"):
            start_import(session, actor, ImportKind.ROSTER, "big.csv", b"a" * 200_001)
        with pytest.raises(ServiceError, match="CSV or XLSX"):
            start_import(session, actor, ImportKind.ROSTER, "fake.xlsx", b"not a zip")


def test_withdrawn_consent_cannot_be_revived_by_an_old_file(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    data = csv_bytes(ROSTER_HEADER, roster_rows(1, est))
    _import(app, hr_id, ImportKind.ROSTER, data)
    with acting(app, hr_id) as (session, actor):
        employee_id = session.scalar(select(Employee.id))
        withdraw_consent(session, actor, employee_id)
    job = _import(app, hr_id, ImportKind.ROSTER, data)
    assert (1, "consent_date", "consent_withdrawn") in {
        (e["row"] - 1, e["column"], e["code"]) for e in job.errors
    }


FIGURE_HEADER = FIGURES_COLUMNS


def _figure(est, month, permanent="10", fixed="2", pns=""):
    values = {"permanent": permanent, "fixed_term": fixed, "pns": pns}
    return (est, month, *(values.get(c, "") for c in FIGURE_HEADER[2:]))


def test_figures_import_upserts_and_is_idempotent(app, factory, org, hr_id):
    est, branch = org.establishment_ids
    rows = [_figure(est, "2025-01"), _figure(branch, "2025-01", "7", "")]
    job = _import(app, hr_id, ImportKind.FIGURES, csv_bytes(FIGURE_HEADER, rows))
    assert job.status is ImportStatus.DONE, job.errors
    assert job.created_count == 3
    again = _import(app, hr_id, ImportKind.FIGURES, csv_bytes(FIGURE_HEADER, rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    rows[1] = _figure(branch, "2025-01", "8", "")
    third = _import(app, hr_id, ImportKind.FIGURES, xlsx_bytes(FIGURE_HEADER, rows), "f.xlsx")
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 2)
    assert _count(factory, WorkforceFigure) == 3
    assert _count(factory, AuditEvent, action="import.figures_imported") == 2
    with factory.session() as session:
        assert (
            session.scalar(
                select(WorkforceFigure.headcount).where(WorkforceFigure.establishment_id == branch)
            )
            == 8
        )


@pytest.mark.calendar  # dates judged against today
def test_figures_smaller_than_the_roster_are_reported(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    make_employee(factory, org.id, number="E-1")  # on the roster since January two years ago
    make_employee(factory, org.id, number="E-2")
    year = today().year
    rows = [
        _figure(est, f"{year - 3}-12", "0", ""),  # before they joined
        _figure(est, f"{year - 1}-01", "1", ""),
        _figure(est, f"{year - 1}-02", "1", "1"),
    ]
    job = _import(app, hr_id, ImportKind.FIGURES, csv_bytes(FIGURE_HEADER, rows))
    assert job.status is ImportStatus.INVALID
    assert _errors(job) == {(3, "", "below_roster")}
    assert job.errors[0]["params"] == {"count": 2, "total": 1}
    assert _count(factory, WorkforceFigure) == 0


@pytest.mark.calendar  # dates judged against today
def test_bad_figures_are_reported(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    future = f"{today().year + 1}-01"
    rows = [
        _figure(est, "2025-01", "-3"),
        _figure(est, "2025/02"),
        _figure(est, future),
        _figure(est, "2025-03", pns="4"),  # a private company reports no civil servants
        _figure(est, "2025-04", "ten"),
        _figure("Nowhere", "2025-05"),
        _figure(est, "2025-06"),
        _figure(est, "2025-06"),
    ]
    job = _import(app, hr_id, ImportKind.FIGURES, csv_bytes(FIGURE_HEADER, rows))
    assert _errors(job) >= {
        (2, "permanent", "negative"),
        (3, "month", "bad_month"),
        (4, "month", "future_month"),
        (5, "pns", "type_not_reported"),
        (6, "permanent", "not_a_number"),
        (7, "establishment", "unknown_establishment"),
        (9, "month", "duplicate_month"),
    }
    assert _count(factory, WorkforceFigure) == 0


def test_an_import_whose_worker_died_is_failed_and_can_be_run_again(app, factory, org, hr_id):
    """A restart mid-import leaves the job "importing"; housekeeping ends it with a message,
    and importing the same file again completes it."""
    est = org.establishment_ids[0]
    data = csv_bytes(ROSTER_HEADER, roster_rows(3, est))
    job_id = _validated(app, hr_id, data)  # confirmed: "importing", but no worker runs it
    with acting(app, hr_id) as (session, _actor):
        started = session.get(ImportJob, job_id).updated_at
    with acting(app, hr_id) as (session, _actor):
        assert fail_stalled_imports(session, started + timedelta(minutes=5)) == 0
        assert fail_stalled_imports(session, started + timedelta(minutes=16)) == 1
        assert fail_stalled_imports(session, started + timedelta(minutes=17)) == 0
    with acting(app, hr_id) as (session, _actor):
        job = session.get(ImportJob, job_id)
        assert job.status is ImportStatus.FAILED
        assert _errors(job) == {(0, "", "interrupted")}
        assert job.file_id is None  # the upload with its personal data is gone
    again = _import(app, hr_id, ImportKind.ROSTER, data)
    assert again.status is ImportStatus.DONE
    assert again.created_count == 3


def test_an_upload_nobody_confirms_is_deleted_after_a_day(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    data = csv_bytes(ROSTER_HEADER, roster_rows(3, est))
    ready = _import(app, hr_id, ImportKind.ROSTER, data, confirm=False)
    assert ready.status is ImportStatus.READY
    done = _import(app, hr_id, ImportKind.ROSTER, data)
    assert done.file_id is None  # written: its upload went at once
    with acting(app, hr_id) as (session, _actor):
        checked_at = session.get(ImportJob, ready.id).updated_at
    assert _count(factory, StoredFile) == 1
    with factory.session() as session, reach_scope(session, Reach.for_everything()):
        assert expire_unconfirmed_imports(session, checked_at + timedelta(hours=23)) == 0
        assert expire_unconfirmed_imports(session, checked_at + timedelta(hours=25)) == 1
        session.commit()
    assert _count(factory, StoredFile) == 0  # the roster file, with disability data, is gone
    with factory.session() as session:
        job = session.get(ImportJob, ready.id)
        assert (job.status, job.file_id) == (ImportStatus.DISCARDED, None)
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "import.upload_expired")
        )
        assert event is not None
        assert (event.organization_id, event.target_id) == (org.id, str(ready.id))
        assert event.data == {"kind": "roster"}  # what kind of file, nothing it held


def test_an_upload_is_kept_encrypted_in_the_database_not_on_disk(app, factory, config, org, hr_id):
    rows = [roster_row("E-9", "Kantor pusat", name="Rahasia Namanya")]
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, rows), confirm=False)
    assert not (config.instance_path / "imports").exists()
    with factory.session() as session:
        raw = session.execute(text("SELECT content FROM stored_files")).scalar()
    assert raw.startswith("v2:")
    assert "Rahasia" not in raw
    assert job.file_id is not None


def test_a_large_private_company_without_a_plan_imports_up_to_the_basic_limit(
    app, factory, org, hr_id, monkeypatch
):
    """Bulk imports over the basic limit are a paid feature for private companies of 100 or more
    workers (services/billing/plans.py); filing and the gap never are. The limit (5,000 rows)
    is lowered here so the file stays small."""
    monkeypatch.setattr(plans, "BASIC_IMPORT_ROWS", 10)
    est = org.establishment_ids[0]
    with factory.session() as session:
        hr = session.get(User, hr_id)
        record_monthly_figures(session, hr, est, date(2025, 1, 1), {"permanent": 150})
    rows = roster_rows(11, est, consent=False, details=False)
    data = csv_bytes(ROSTER_HEADER, rows)
    too_many = "imports files of up to 10 rows; this one has 11"
    with acting(app, hr_id) as (session, actor), pytest.raises(ServiceError, match=too_many):
        start_import(session, actor, ImportKind.ROSTER, "big.csv", data)
    assert _count(factory, ImportJob) == 0
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, rows[:10]))
    assert job.status is ImportStatus.DONE


def _with(row: tuple[object, ...], **cells: object) -> tuple[object, ...]:
    """`row` with some cells replaced, by column name."""
    values = list(row)
    for column, value in cells.items():
        values[ROSTER_HEADER.index(column)] = value
    return tuple(values)


@pytest.mark.calendar  # dates judged against today
def test_rules_that_tie_the_cells_of_a_row_together_are_reported(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    ok = roster_row("OK", est)
    rows = [
        _with(ok, employee_number="R2", start_date="2025-05-01", end_date="2025-04-30"),
        _with(ok, employee_number="R3", consent_method=""),
        _with(ok, employee_number="R4", consent_text_version="1999-01"),
        _with(ok, employee_number="R5", consent_date=tomorrow),
        _with(ok, employee_number="R6", consent_given_by="guardian"),
        _with(ok, employee_number="R7", evidence_type=""),
        _with(ok, employee_number="R8", evidence_date=tomorrow, evidence_expires_on=""),
        _with(ok, employee_number="R9", evidence_expires_on="2024-05-31"),
        _with(ok, employee_number="R10", disability_categories=""),
        _with(ok, employee_number="R11", name="x" * 201, evidence_type="rumour"),
        _with(ok, employee_number="R12", consent_given_by="", consent_method=""),
        roster_row("R13", est)[:4],  # a short row: the missing cells are empty
    ]
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, rows))
    assert job.status is ImportStatus.INVALID
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (2, "end_date", "end_before_start"),
        (3, "consent_given_by", "consent_incomplete"),
        (4, "consent_text_version", "unknown_consent_version"),
        (5, "consent_date", "future_date"),
        (6, "consent_guardian_name", "guardian_name_needed"),
        (7, "evidence_type", "evidence_type_needed"),
        (8, "evidence_date", "future_date"),
        (9, "evidence_expires_on", "expiry_before_evidence"),
        (10, "disability_categories", "categories_needed"),
        (11, "name", "too_long"),
        (11, "evidence_type", "unknown_evidence_type"),
        (12, "consent_given_by", "consent_incomplete"),
        (13, "start_date", "required"),
    ], "every error once, in the order of the rows and then of the columns"
    assert job.errors[9]["params"] == {"max": 200}
    assert _count(factory, Employee) == 0


def test_a_file_of_errors_keeps_the_first_ones_in_row_order_and_counts_them_all(
    app, org, hr_id, monkeypatch
):
    monkeypatch.setattr("compliance.services.imports.MAX_STORED_ERRORS", 5)
    bad = [("", "", "", "robot", "someday")] * 4  # five errors on each of four rows
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, bad))
    assert job.error_count == 20
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "employee_number"),
        (2, "name"),
        (2, "establishment"),
        (2, "employment_type"),
        (2, "start_date"),
    ]


def test_an_employee_stays_at_an_establishment_closed_since_but_no_one_joins_it(
    app, factory, org, hr_id
):
    branch = org.establishment_ids[1]
    _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, roster_rows(1, branch)))
    with acting(app, hr_id) as (session, actor):
        close_establishment(session, actor, branch)
    rows = [*roster_rows(1, branch), roster_row("NEW", branch)]
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, rows))
    assert _errors(job) == {(3, "establishment", "closed_establishment")}


@pytest.mark.parametrize("maker", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_errors_name_the_row_of_the_users_file_past_blank_rows_and_odd_cells(
    app, org, hr_id, maker
):
    """The upload is stored as CSV for the later passes: row numbers and cell text survive."""
    est = org.establishment_ids[0]
    odd = 'Dewi "Sari"; putri, ke-2'
    rows = [
        roster_row("A1", est, name=odd),
        ("",) * 4,
        (),
        roster_row("A2", est, start="2024-02-30"),
        roster_row("A3", est, name="x" * 201),
    ]
    name = "roster.csv" if maker is csv_bytes else "roster.xlsx"
    job = _import(app, hr_id, ImportKind.ROSTER, maker(ROSTER_HEADER, rows), name)
    assert job.total_rows == 3
    assert _errors(job) == {(5, "start_date", "bad_date"), (6, "name", "too_long")}
    assert job.errors[0]["params"] == {"value": "2024-02-30"}


def test_a_checked_xlsx_import_writes_the_cells_as_read(app, factory, org, hr_id):
    est = org.establishment_ids[0]
    odd = 'Dewi "Sari"; putri, ke-2'
    data = xlsx_bytes(ROSTER_HEADER, [roster_row("A1", est, name=odd)])
    job = _import(app, hr_id, ImportKind.ROSTER, data, "roster.xlsx")
    assert job.status is ImportStatus.DONE, job.errors
    with factory.session() as session:
        assert session.scalar(select(Employee.name)) == odd


@pytest.mark.calendar  # dates judged against today
def test_a_new_consent_in_a_file_without_details_does_not_bring_back_the_old_details(
    app, factory, org, hr_id
):
    """Details kept (not yet purged) from before a withdrawal must not reappear under a new
    consent given in a file that carries no disability columns."""
    est = org.establishment_ids[0]
    no_evidence = dict.fromkeys(
        ("evidence_type", "evidence_number", "evidence_date", "evidence_expires_on"), ""
    )
    first = _with(roster_row("E000000", est, name="Pegawai 0"), **no_evidence)
    _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, [first]))
    with acting(app, hr_id) as (session, actor):
        employee_id = session.scalar(select(Employee.id))
        withdraw_consent(session, actor, employee_id, now=utcnow() - timedelta(days=2))
    renewed = _with(
        roster_row("E000000", est, name="Pegawai 0", details=False),
        consent_date=today().isoformat(),
    )
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, [renewed]))
    assert job.status is ImportStatus.DONE, job.errors
    assert job.updated_count == 1
    with acting(app, hr_id) as (session, actor):
        employee = get_employee(session, actor, employee_id)
        assert employee.active_consent is not None
        assert employee.disability_categories is None
        assert employee.accommodation is None


#: 23:30 WIB on 16 November 2026, and already 01:30 on the 17th in Jayapura (WIT).
JAYAPURA_AFTER_MIDNIGHT = datetime(2026, 11, 16, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize("instant", [JAYAPURA_AFTER_MIDNIGHT], indirect=True)
def test_form_and_import_accept_the_same_consent_dates_by_the_head_office_day(app, factory):
    """Both judge "not in the future" by the date at the head office: in Jayapura the 17th has
    begun (while UTC and WIB still say the 16th), so both take it and both refuse the 18th."""
    org = factory.org(name="PT Papua", regency="91.71")
    est = org.establishment_ids[0]
    head_office_today = date(2026, 11, 17)
    with factory.session() as session:
        hr_id = session.scalar(select(User.id).where(User.email == org.hr_email))
    by_form = make_employee(factory, org.id, number="F-1")
    too_early = make_employee(factory, org.id, number="F-2")
    with acting(app, hr_id) as (session, actor):
        record_consent(
            session,
            actor,
            by_form,
            given_by="employee",
            guardian_name="",
            method="written",
            given_on=head_office_today,
        )
        with pytest.raises(ServiceError) as refused:
            record_consent(
                session,
                actor,
                too_early,
                given_by="employee",
                guardian_name="",
                method="written",
                given_on=head_office_today + timedelta(days=1),
            )
        assert refused.value.field == "given_on"
        session.rollback()

    accepted = _with(roster_row("I-1", est), consent_date=head_office_today.isoformat())
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, [accepted]))
    assert job.status is ImportStatus.DONE
    tomorrow = (head_office_today + timedelta(days=1)).isoformat()
    rejected = _with(roster_row("I-2", est), consent_date=tomorrow)
    job = _import(app, hr_id, ImportKind.ROSTER, csv_bytes(ROSTER_HEADER, [rejected]))
    assert [(e["column"], e["code"]) for e in job.errors] == [("consent_date", "future_date")]
