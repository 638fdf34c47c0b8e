"""Receipts of submitted declarations: what the PDF and XLSX say, who may download them, audit."""

from __future__ import annotations

import io
import re

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from compliance.models import AuditEvent, Declaration
from compliance.services.declarations import open_declaration
from compliance.services.receipts import receipt_pdf
from tests.support.clock import DEFAULT_INSTANT, last_year
from tests.support.declarations import fill_year, hr_of, submit_year
from tests.support.documents import file_and_inspect, receipt_of
from tests.support.pdf import pdf_text
from tests.support.web import login, text_of


@pytest.fixture
def filed(factory):
    """An organisation (with a name outside Latin-1) and its submitted declaration of last year."""
    org = factory.org(name="PT Sinar — Śląsk", regency="31.71", other_regencies=("35.78",))
    a, b = org.establishment_ids
    fill_year(factory, org.id, {a: 150, b: 100})
    return org, submit_year(factory, org.id)


def _declaration(factory, declaration_id: int) -> Declaration:
    with factory.session() as session:
        declaration = session.get(Declaration, declaration_id)
        session.expunge(declaration)
        return declaration


def _receipt_events(factory, declaration_id: int) -> list[dict]:
    with factory.session() as session:
        return [
            e.data
            for e in session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.action == "declaration.receipt_downloaded",
                    AuditEvent.target_id == str(declaration_id),
                )
                .order_by(AuditEvent.id)
            )
        ]


def test_xlsx_receipt_carries_version_packs_and_hash(client, factory, filed):
    org, declaration_id = filed
    declaration = _declaration(factory, declaration_id)
    login(client, org.hr_email)
    response = client.get(f"/declarations/{declaration_id}/receipt.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="tanda-terima-deklarasi-{last_year()}-v1.xlsx"'
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names == [
        "Ringkasan (Summary)",
        "Per bulan (By month)",
        "Per tempat kerja (By site)",
    ]
    rows = [row[:2] for row in book.get_sheet_by_index(0).to_python() if len(row) > 1 and row[1]]
    summary = dict(rows)
    assert summary["Versi (Version)"] == "1"
    assert summary["SHA-256 data (SHA-256 of the data)"] == declaration.input_sha256
    assert summary["Nama organisasi (Organisation name)"] == "PT Sinar — Śląsk"
    assert summary["NIB (Business identification number)"] == org.nib
    packs = [value for label, value in rows if label == "Paket aturan (Rule pack)"]
    assert [p.split(" [")[0] for p in packs] == ["UU 8/2016", "PP 43/1998"]  # the law
    found = [re.search(r"\[(.+?)\]", p) for p in packs]  # and the pack, to find it
    assert [m[1] if m else None for m in found] == [p["id"] for p in declaration.data["packs"]]
    assert "berlaku sejak 15 April 2016" in packs[0]
    assert "in force from 15 April 2016" in packs[0]
    # Whole people, in words: 3 each month (issue 15, item 4), and whose obligation it is.
    required = declaration.data["entity"]["required"]
    assert (
        summary["Wajib dipekerjakan (Required)"]
        == f"{required} orang per bulan ({required} each month)"
    )
    assert summary["Dihitung (Counted)"].startswith("rata-rata ")
    assert "Badan hukum" in summary["Kewajiban siapa (Whose obligation)"]
    months = book.get_sheet_by_index(1).to_python()
    assert [row[0] for row in months[1:]] == [f"{last_year()}-{m:02d}" for m in range(1, 13)]
    sites = book.get_sheet_by_index(2).to_python()
    assert len(sites) == 1 + len(declaration.data["establishments"])
    assert _receipt_events(factory, declaration_id) == [
        {"format": "xlsx", "period": str(last_year()), "version": 1}
    ]


def test_pdf_receipt_carries_the_hash(client, factory, filed):
    org, declaration_id = filed
    declaration = _declaration(factory, declaration_id)
    login(client, org.hr_email)
    response = client.get(f"/declarations/{declaration_id}/receipt.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].endswith(f'-{last_year()}-v1.pdf"')
    assert client.get(f"/declarations/{declaration_id}/receipt.pdf").data == response.data
    with factory.session() as session:
        assert receipt_pdf(session.get(Declaration, declaration_id)) == response.data
    text = pdf_text(response.data)
    assert declaration.input_sha256 in text
    assert "PT Sinar — Śląsk" in text  # outside Latin-1, drawn exactly (issue 17)
    assert declaration.data["packs"][0]["id"] in text
    assert declaration.receipt_number in text
    assert (
        _receipt_events(factory, declaration_id)
        == [{"format": "pdf", "period": str(last_year()), "version": 1}] * 2
    )


def test_submitted_page_links_the_receipts(client, factory, filed):
    org, declaration_id = filed
    login(client, org.hr_email)
    page = client.get(f"/declarations/{declaration_id}").get_data(as_text=True)
    assert f"/declarations/{declaration_id}/receipt.pdf" in page
    assert f"/declarations/{declaration_id}/receipt.xlsx" in page


def test_a_draft_has_no_receipt(client, factory):
    org = factory.org()
    with factory.session() as session:
        draft_id = open_declaration(session, hr_of(session, org.id), last_year()).id
    login(client, org.hr_email)
    assert "receipt.pdf" not in client.get(f"/declarations/{draft_id}").get_data(as_text=True)
    for suffix in ("pdf", "xlsx"):
        assert client.get(f"/declarations/{draft_id}/receipt.{suffix}").status_code == 404
    assert _receipt_events(factory, draft_id) == []


def test_another_tenants_receipt_is_not_found(client, factory, filed):
    _org, declaration_id = filed
    other = factory.org()
    login(client, other.hr_email)
    for suffix in ("pdf", "xlsx"):
        assert client.get(f"/declarations/{declaration_id}/receipt.{suffix}").status_code == 404
    assert _receipt_events(factory, declaration_id) == []


@pytest.mark.parametrize(
    ("regency", "wall_clock"),
    [("31.71", "10:00 WIB"), ("51.71", "11:00 WITA"), ("91.71", "12:00 WIT")],
)
def test_receipt_gives_the_submission_time_at_the_head_office_with_its_zone(
    client, factory, regency, wall_clock
):
    """Submitted at 03:00 UTC (the frozen instant): Jakarta, Denpasar and Jayapura each read
    their own wall clock, named, never a bare UTC time."""
    assert DEFAULT_INSTANT.hour == 3
    org = factory.org(regency=regency)
    fill_year(factory, org.id, {org.establishment_ids[0]: 120})
    declaration_id = submit_year(factory, org.id)
    login(client, org.hr_email)
    response = client.get(f"/declarations/{declaration_id}/receipt.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    summary = dict(row[:2] for row in book.get_sheet_by_index(0).to_python() if len(row) > 1)
    submitted = summary["Disampaikan pada (Submitted at)"]
    assert submitted == f"{DEFAULT_INSTANT:%Y-%m-%d} {wall_clock}"


def test_the_declaration_page_shows_the_submission_in_the_readers_zone_by_name(client, factory):
    """An HR manager in Jayapura reads 12:00 WIT for a submission at 03:00 UTC."""
    org = factory.org(regency="91.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 120})
    declaration_id = submit_year(factory, org.id)
    login(client, org.hr_email)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/declarations/{declaration_id}").get_data(as_text=True)
    assert "Submitted, 16 Nov 2026, 12:00 WIT</dd>" in page


# --- provenance: the number, the link and the public check (issue 17) --------------------------


def _number(factory, declaration_id: int) -> str:
    return _declaration(factory, declaration_id).receipt_number


def test_receipts_are_numbered_per_organisation_and_year(factory):
    year = DEFAULT_INSTANT.year  # submitted now, at the head office (WIB)
    first = file_and_inspect(factory, "PT Nomor Satu", escalate=False)
    other = file_and_inspect(factory, "PT Nomor Dua", escalate=False)
    assert _number(factory, first.first_id) == f"KI-{year}-{first.org.id:06d}-0001"
    assert _number(factory, first.declaration_id) == f"KI-{year}-{first.org.id:06d}-0002"
    assert _number(factory, other.first_id) == f"KI-{year}-{other.org.id:06d}-0001"
    with factory.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "declaration.submitted")
        ).all()
        numbers = {e.data["receipt_number"] for e in events}
    assert _number(factory, first.declaration_id) in numbers


def test_the_receipt_links_to_its_check_from_base_url_and_the_check_confirms_it(
    client, factory, filed
):
    _org, declaration_id = filed
    declaration = _declaration(factory, declaration_id)
    number, digest = declaration.receipt_number, declaration.input_sha256
    link = f"http://127.0.0.1:5000/receipts/verify?number={number}&sha256={digest}"
    # The link wraps over two lines beside its label: joined, it is whole.
    assert link in "".join(pdf_text(receipt_of(factory, declaration_id)).split())
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/receipts/verify?number={number}&sha256={digest.upper()}")
    assert page.status_code == 200
    words = text_of(page)
    assert "Genuine receipt" in words
    assert "PT Sinar — Śląsk" in words
    assert "10:00 WIB" in words  # the time at the head office, as the receipt prints it


@pytest.mark.parametrize(
    ("query", "status", "answer"),
    [
        ("number=KI-2026-999999-0001&sha256=" + "a" * 64, 200, "No receipt with this number"),
        ("number=nomor&sha256=" + "a" * 64, 422, "Enter the receipt number as printed"),
        ("number=KI-2026-000001-0001&sha256=xyz", 422, "Enter the SHA-256 as printed"),
        ("number=" + "K" * 10_000 + "&sha256=" + "b" * 10_000, 422, "receipt number"),
        ("number=&sha256=", 422, "Enter the receipt number as printed"),
    ],
    ids=["unknown", "malformed-number", "malformed-hash", "10-kb", "empty"],
)
def test_a_bad_check_gets_a_clear_answer(client, query, status, answer):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(f"/receipts/verify?{query}")
    assert response.status_code == status
    assert answer in text_of(response)


def test_a_wrong_hash_is_refused_without_showing_the_receipt(client, factory, filed):
    _org, declaration_id = filed
    number = _number(factory, declaration_id)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(f"/receipts/verify?number={number}&sha256={'0' * 64}")
    words = text_of(response)
    assert "its SHA-256 is different" in words
    assert "Śląsk" not in words


def test_checks_are_limited_per_address(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    query = f"/receipts/verify?number=KI-2026-000001-0001&sha256={'a' * 64}"
    statuses = [client.get(query).status_code for _ in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    assert client.get("/receipts/verify").status_code == 200  # the empty form is not counted
