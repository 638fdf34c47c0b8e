"""Nota pemeriksaan I and II as letters (issue 17): issued with the case step, numbered per
office and year, stored with their SHA-256 on the timeline, downloadable by both sides only,
e-mailed about, carried by the evidence pack, and checked by anyone; a changed byte is caught."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import select

from compliance.models import Role, User
from compliance.models.letters import CaseLetter, LetterChangedError, LetterKind
from compliance.services.inspections.evidence_pack import verify_pack
from compliance.services.inspections.letters import check_letter
from tests.support.clock import last_year
from tests.support.declarations import fill_year, submit_year
from tests.support.documents import file_and_inspect, letters_of, pack_files
from tests.support.pdf import pdf_text
from tests.support.web import csrf_token, login, text_of


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _post(client, path, data, token_from):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data})


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})


def test_a_finding_and_an_escalation_issue_letters_both_sides_download(client, factory, outbox):
    org = factory.org(name="PT Surat Resmi", regency="31.71")
    fill_year(factory, org.id, {org.establishment_ids[0]: 300})
    declaration_id = submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    page = f"/inspections/organizations/{org.id}"
    response = _post(
        client,
        f"/inspections/declarations/{declaration_id}/finding",
        {"finding": "Belum mempekerjakan penyandang disabilitas"},
        page,
    )
    assert response.status_code == 302
    case_path = response.location
    case_id = int(case_path.rsplit("/", 1)[1])
    response = _post(
        client,
        f"/inspections/cases/{case_id}/escalate",
        {"escalate-reason": "Perusahaan menolak", "confirmed": "yes"},
        case_path,
    )
    assert response.status_code == 302
    letters = letters_of(factory, case_id)
    first, second = letters[LetterKind.NOTA_1], letters[LetterKind.NOTA_2]
    year = first.year
    assert first.number == f"0001/NP-I/WASNAKER-31/{first.number.split('/')[3]}/{year}"
    assert second.number.startswith("0002/NP-II/WASNAKER-31/")
    for letter in (first, second):
        assert hashlib.sha256(letter.content).hexdigest() == letter.sha256

    timeline = client.get(case_path).get_data(as_text=True)
    assert first.sha256 in timeline
    assert f"/inspections/letters/{second.id}" in timeline
    inspector_copy = client.get(f"/inspections/letters/{first.id}")
    assert inspector_copy.mimetype == "application/pdf"
    assert inspector_copy.data == first.content

    text = " ".join(pdf_text(second.content).split())  # lines joined: wrapped words meet
    assert "NOTA PEMERIKSAAN II" in text
    assert f"Nomor {first.number}" in text  # nota II names the nota I it follows
    assert "PT Surat Resmi" in text
    assert "Pasal 53 ayat (2)" in text
    assert "hari kerja" in text

    messages = [message_from_bytes(p.read_bytes(), policy=default) for p in outbox.glob("*.eml")]
    mails = [m.get_body(("plain",)).get_content() for m in messages]
    assert any(first.number in m and first.sha256 in m for m in mails)
    assert any(second.number in m for m in mails)
    # Each letter travels with its message, byte for byte: the PDF the company files.
    attached = {
        part.get_filename(): part.get_content()
        for message in messages
        for part in message.iter_attachments()
    }
    assert set(attached) == {first.filename, second.filename}
    for letter in (first, second):
        assert hashlib.sha256(attached[letter.filename]).hexdigest() == letter.sha256

    _logout(client)
    login(client, org.hr_email)
    hr_page = client.get(f"/organization/inspections/cases/{case_id}").get_data(as_text=True)
    assert f"/inspections/letters/{first.id}" in hr_page
    assert client.get(f"/inspections/letters/{first.id}").data == first.content

    _logout(client)
    other = factory.org()
    login(client, other.hr_email)
    assert client.get(f"/inspections/letters/{first.id}").status_code == 404


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.split()) for page in pdf_text(data).split("\f")]


def test_a_letter_reads_as_a_letter_words_not_codes_signed_with_name_and_nip(factory):
    filed = file_and_inspect(
        factory,
        "PT Surat Bernama",
        inspector_name="Wayan Sudarsana",
        escalate=False,
        inspector_nip="198501012010011001",
    )
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    pages = _pages(letter.content)
    text = " ".join(pages)
    year = last_year()
    assert f"Periode laporan: {year} (Januari s.d. Desember {year})" in text
    assert re.search(r"disampaikan \d{1,2} [A-Z][a-z]+ \d{4} pukul \d\d\.\d\d WIB", text), text
    assert "UU 8/2016" in text
    assert "bukan bunyi undang-undang" in text  # the product's reading is labelled as such
    assert "id-uu8-2016" not in text
    assert not re.search(r"\b\d{4}-\d{2}\b", text), "an ISO date or month in the letter"
    # The closing sentence, the signature and the NIP on one page.
    signed = [page for page in pages if "Demikian nota pemeriksaan" in page]
    assert len(signed) == 1
    assert "Wayan Sudarsana" in signed[0]
    assert "NIP. 19850101 201001 1 001" in signed[0]


def test_a_letter_of_an_inspector_without_nip_has_no_empty_nip_line(factory):
    filed = file_and_inspect(factory, "PT Belum Bernomor", escalate=False)
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    assert "NIP" not in pdf_text(letter.content)  # neither "NIP." nor "NIP. " with nothing


def test_an_inspector_of_another_province_cannot_download(client, factory):
    filed = file_and_inspect(factory, "PT Jauh", escalate=False)
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    stranger = factory.user(Role.INSPECTOR, provinces=("91",))
    login(client, stranger.email)
    assert client.get(f"/inspections/letters/{letter.id}").status_code == 404


def test_the_office_the_admin_keeps_heads_the_letters(client, factory):
    admin = factory.user(Role.ADMIN)
    login(client, admin.email)
    path = "/admin/inspections/offices/31"
    fields = {
        "name": "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta",
        "unit": "Bidang Pengawasan Ketenagakerjaan",
        "address": "Jl. Prapatan No. 52, Jakarta Pusat",
        "phone": "(021) 3822727",
        "email": "",
        "city": "Jakarta",
        "letter_code": "bad code!",
    }
    response = _post(client, path, fields, path)
    assert response.status_code == 422
    assert "Use letters, digits, dots and hyphens only" in text_of(response)
    response = _post(client, path, {**fields, "letter_code": "Disnakertrans-DKI"}, path)
    assert response.status_code == 302
    listing = text_of(client.get("/admin/inspections/offices"))
    assert "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta" in listing
    assert client.get("/admin/inspections/offices/99").status_code == 404

    filed = file_and_inspect(factory, "PT Berkop", escalate=False)
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    assert "/NP-I/Disnakertrans-DKI/" in letter.number
    text = " ".join(pdf_text(letter.content).split())
    assert "DINAS TENAGA KERJA, TRANSMIGRASI DAN ENERGI PROVINSI DKI JAKARTA" in text
    assert "Jl. Prapatan No. 52, Jakarta Pusat" in text
    assert "Jakarta, " in text

    _logout(client)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    login(client, inspector.email)
    assert client.get(path).status_code == 404


def test_the_public_check_finds_a_genuine_letter_and_catches_a_changed_byte(client, factory):
    filed = file_and_inspect(factory, "PT Diperiksa Publik", escalate=False)
    letter = letters_of(factory, filed.case_id)[LetterKind.NOTA_1]
    path = "/letters/verify"
    assert letter.number in pdf_text(letter.content)

    def check(data: bytes, number: str = ""):
        return client.post(
            path,
            data={
                "csrf_token": csrf_token(client, path),
                "number": number,
                "letter": (io.BytesIO(data), "nota.pdf"),
            },
        )

    genuine = check(letter.content, letter.number)
    assert genuine.status_code == 200
    assert "Genuine letter, unchanged" in text_of(genuine)
    assert "PT Diperiksa Publik" in text_of(genuine)

    tampered = bytearray(letter.content)
    tampered[len(tampered) // 2] ^= 0x01
    changed = check(bytes(tampered), letter.number)
    assert "this file is not it: its content was changed" in text_of(changed)
    assert "PT Diperiksa Publik" not in text_of(changed)
    assert "not a letter issued by this service" in text_of(check(b"%PDF-1.7 other"))
    assert check(b"", "").status_code == 422  # no file chosen: told at the field
    # The QR code's link opens the page with the number filled in.
    page = client.get(f"{path}?number={letter.number}&x={'a' * 10_000}")
    assert page.status_code == 200
    assert letter.number in page.get_data(as_text=True)


def test_the_evidence_pack_carries_the_letters_and_catches_a_changed_one(app, factory):
    filed = file_and_inspect(factory, "PT Paket Surat")
    letters = letters_of(factory, filed.case_id)
    files = pack_files(factory, filed)
    carried = {name: data for name, data in files.items() if name.startswith("nota/")}
    assert sorted(carried.values()) == sorted(letter.content for letter in letters.values())
    summary = pdf_text(files["ringkasan.pdf"])
    for letter in letters.values():
        assert letter.number in summary
        assert letter.sha256 in summary
    name = next(iter(carried))
    files[name] = files[name].replace(b"%PDF", b"%PDF ", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        report = verify_pack(buffer.getvalue())
    assert report.problems == (f"{name} was changed after the pack was made.",)


def test_an_issued_letter_never_changes(factory):
    filed = file_and_inspect(factory, "PT Tetap", escalate=False)
    with factory.session() as session:
        letter = session.scalar(select(CaseLetter).where(CaseLetter.case_id == filed.case_id))
        letter.content = b"%PDF-1.7 forged"
        with pytest.raises(LetterChangedError):
            session.flush()
        session.rollback()
    with factory.session() as session:
        letter = session.scalar(select(CaseLetter).where(CaseLetter.case_id == filed.case_id))
        assert check_letter(session, letter.number, b"%PDF-1.7 forged").problem is not None
        assert session.get(User, filed.inspector.id) is not None
    assert last_year()  # the case was about last year's filing
