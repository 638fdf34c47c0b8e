"""The reference list of provinces and regencies/cities, as loaded by set-up."""

from sqlalchemy import func, select

from compliance.models import Province, Regency
from compliance.services.regions import load_regions


def test_all_provinces_and_regencies_are_loaded(factory):
    with factory.session() as session:
        assert session.scalar(select(func.count()).select_from(Province)) == 38
        assert session.scalar(select(func.count()).select_from(Regency)) == 514


def test_known_kemendagri_codes(factory):
    with factory.session() as session:
        assert session.get(Province, "31").name == "Daerah Khusus Ibukota Jakarta"
        assert session.get(Province, "96").name == "Papua Barat Daya"
        bantul = session.get(Regency, "34.02")
        assert (bantul.name, bantul.province.name) == (
            "Kabupaten Bantul",
            "Daerah Istimewa Yogyakarta",
        )
        assert session.get(Regency, "36.71").name == "Kota Tangerang"
        assert session.get(Regency, "96.71").province_code == "96"


def test_every_regency_code_starts_with_its_province_code(factory):
    with factory.session() as session:
        mismatched = [
            r.code
            for r in session.scalars(select(Regency))
            if not r.code.startswith(r.province_code + ".")
        ]
    assert mismatched == []


def test_loading_again_changes_nothing(factory):
    with factory.session() as session:
        report = load_regions(session)
    assert (report.provinces_added, report.regencies_added, report.names_updated) == (0, 0, 0)
