"""Evidence packs: what a pack holds, and verification of intact, tampered, truncated and
foreign packs."""

from __future__ import annotations

import base64
import io
import json
import time
import warnings
import zipfile
from dataclasses import replace

import pytest
from python_calamine import CalamineWorkbook

from compliance.models import AuditEvent, Role, User
from compliance.services import ServiceError
from compliance.services.inspections.evidence_pack import build_pack, verify_pack
from tests.support.clock import last_year
from tests.support.declarations import fill_year, submit_year
from tests.support.roster import make_employee


@pytest.fixture
def pack_of(app, factory):
    org = factory.org(name="PT Bukti Lengkap", regency="31.71")
    make_employee(factory, org.id, name="Sari Dewi", details=True)
    fill_year(factory, org.id, {org.establishment_ids[0]: 250})
    submit_year(factory, org.id)
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))

    def build(**options):
        with (
            app.test_request_context(headers={"Accept-Language": "en"}),
            factory.session() as session,
        ):
            actor = session.get(User, inspector.id)
            return build_pack(session, actor, org.id, last_year(), **options)

    return build


def _zip(pack_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _verify(app, data: bytes):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return verify_pack(data)


def test_pack_is_intact_and_pseudonymised(app, factory, pack_of):
    pack = pack_of()
    files = _zip(pack.data)
    assert set(files) == {"ringkasan.pdf", "bukti.xlsx", "manifest.json", "manifest.sig"}
    manifest = json.loads(files["manifest.json"])
    assert manifest["period"] == str(last_year())
    assert manifest["figures_source"] == "submitted_declaration"
    assert manifest["declarations"][0]["status"] == "submitted"
    assert manifest["rule_packs"][0]["id"].startswith("id-uu8-2016")
    assert files["ringkasan.pdf"].startswith(b"%PDF")
    book = CalamineWorkbook.from_filelike(io.BytesIO(files["bukti.xlsx"]))
    roster = book.get_sheet_by_name("Daftar pekerja (Roster)").to_python()
    assert roster[1][0].startswith("P-")
    assert "Sari Dewi" not in str(roster)
    assert _verify(app, pack.data).is_intact
    with factory.session() as session:
        event = (
            session.query(AuditEvent).filter_by(action="inspection.evidence_pack_exported").one()
        )
        assert event.data["names_included"] is False


def test_names_need_a_reason(app, pack_of):
    with pytest.raises(ServiceError) as error:
        pack_of(include_names=True, reason="")
    assert error.value.field == "reason"
    pack = pack_of(include_names=True, reason="Pemeriksaan lapangan")
    book = CalamineWorkbook.from_filelike(io.BytesIO(_zip(pack.data)["bukti.xlsx"]))
    assert "Sari Dewi" in str(book.get_sheet_by_name("Daftar pekerja (Roster)").to_python())


def test_tampered_truncated_and_foreign_packs_are_refused(app, pack_of):
    pack = pack_of()
    files = _zip(pack.data)

    changed = _rezip({**files, "bukti.xlsx": files["bukti.xlsx"] + b"x"})
    assert _verify(app, changed).problems == ("bukti.xlsx was changed after the pack was made.",)

    missing = _rezip({k: v for k, v in files.items() if k != "ringkasan.pdf"})
    assert _verify(app, missing).problems == ("ringkasan.pdf is missing from the pack.",)

    added = _rezip({**files, "extra.txt": b"hello"})
    assert "extra.txt was added" in _verify(app, added).problems[0]

    manifest = json.loads(files["manifest.json"])
    manifest["period"] = "2024"
    forged = _rezip({**files, "manifest.json": json.dumps(manifest).encode()})
    assert "changed after it was signed" in _verify(app, forged).problems[0]

    truncated = pack.data[: len(pack.data) // 2]
    assert "not a complete ZIP file" in _verify(app, truncated).problems[0]
    assert "not a complete ZIP file" in _verify(app, b"").problems[0]


def test_a_pack_from_another_key_is_named_as_such(app, config, pack_of):
    pack = pack_of()
    other = replace(config, evidence_signing_key=base64.b64encode(b"k" * 32).decode())
    from compliance import create_app

    other_app = create_app(other)
    with other_app.test_request_context(headers={"Accept-Language": "en"}):
        report = verify_pack(pack.data)
    assert "signed with a different key" in report.problems[0]


def test_year_without_figures_is_a_field_error(app, factory):
    org = factory.org()
    inspector = factory.user(Role.INSPECTOR, provinces=("31",))
    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        factory.session() as session,
        pytest.raises(ServiceError) as error,
    ):
        build_pack(session, session.get(User, inspector.id), org.id, 2015)
    assert error.value.field == "year"


def test_cli_verify_reports_intact_and_tampered(app, pack_of, tmp_path):
    pack = pack_of()
    good = tmp_path / "pack.zip"
    good.write_bytes(pack.data)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evidence", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "intact and authentic" in result.output
    bad = tmp_path / "cut.zip"
    bad.write_bytes(pack.data[:-100])
    result = runner.invoke(args=["evidence", "verify", str(bad)])
    assert result.exit_code == 1
    assert "cut short" in result.output


def test_cli_rebuild_summary(app, factory):
    factory.org()
    result = app.test_cli_runner().invoke(args=["inspections", "rebuild-summary"])
    assert result.exit_code == 0, result.output
    assert "summary of 1 organisations rebuilt" in result.output


# --- hostile packs: verification reads nothing it has not bounded (issue 14, item 2) ---------


def _zip_of(entries: dict[str, bytes], *, level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _problems(app, data: bytes) -> tuple[str, ...]:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return verify_pack(data).problems


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(app, pack_of):
    genuine = _zip(pack_of().data)
    bomb = _zip_of({**genuine, "bukti.xlsx": bytes(64 * 1024 * 1024)})  # 64 MB in ~64 KB
    assert len(bomb) < 200_000
    started = time.perf_counter()
    problems = _problems(app, bomb)
    assert problems == ("bukti.xlsx expands far more than any real file: refused.",)
    assert time.perf_counter() - started < 5  # generous: it only reads the directory


def test_a_pack_of_many_files_or_twice_the_same_name_is_refused(app):
    many = _zip_of({f"f{i}.txt": b"x" for i in range(40)})
    assert _problems(app, many) == ("This ZIP file holds too many files to be an evidence pack.",)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the attack
        archive.writestr("manifest.json", b"{}")
        archive.writestr("manifest.json", b"{}")
    assert _problems(app, buffer.getvalue()) == (
        "This ZIP file holds two files with the same name.",
    )
