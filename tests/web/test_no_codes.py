"""No code reaches a user: every page, document and e-mail shows words (issue 16).

Users met `private`, `kpd`, `hr_manager`, `workforce.figures_recorded` and regency codes like
36.71 where they expected words. This test builds a full world (the accessibility test's, the
demo data, a filed and reviewed declaration), logs in as every role, reads every page each one
reaches (the accessibility visits, then every link on them, followed), downloads the documents
(receipts, the evidence pack, the summary workbook) and reads the outbox, and fails on any
known code in what a person reads:

- every audit action (`workforce.figures_recorded`) and every enum value no sentence holds
  (with an underscore: `hr_manager`, `not_obliged`), anywhere, in both languages;
- every other enum value (`private`, `kpd`, `physical`), case-sensitive (codes are lowercase,
  labels are not), where a value stands: a whole cell, line or item ("physical, sensory"), or
  after a colon, a bracket or a separator ("Sektor: private"); in Indonesian pages and e-mails,
  and as whole cells and lines in the bilingual documents. Elsewhere such a word may be English
  text not translated yet, which the catalogue's tests catch, not this one;
- the regencies' codes (36.71) anywhere, and the provinces' codes where they name the province
  ("Provinsi 36", "Banten (36)", a cell "36" beside the cell "Banten").

What a reader does not see is dropped first: tags with their attributes (a code in `value=""`
is fine), scripts, styles, comments, e-mail addresses and URLs.
"""

from __future__ import annotations

import enum
import html
import io
import re
import shutil
import subprocess
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from compliance import labels
from compliance.models import Role, User
from compliance.models.accounts import Role as RoleEnum
from compliance.models.billing import BillingAccount, SubscriptionStatus
from compliance.models.declarations import DeclarationStatus
from compliance.models.imports import ImportKind, ImportStatus
from compliance.models.inspections import CaseEventKind, CaseStage, ReviewOutcome
from compliance.models.jobs import JobRun
from compliance.models.organizations import Establishment, Sector
from compliance.models.people import ConsentGiver, ConsentMethod, VerificationState
from compliance.models.referrals import (
    NotHiredReason,
    ReferralRequest,
    ReferralStatus,
    RequestStatus,
)
from compliance.models.regions import Province
from compliance.models.registry import (
    Availability,
    Candidate,
    CandidateConsentGiver,
    CandidateStatus,
    EducationLevel,
    Hours,
    Uld,
)
from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    LegalForm,
    Status,
)
from compliance.services.declarations.roster_facts import LedgerReason
from compliance.services.declarations.status import FollowUp, Standing
from compliance.services.demo import DEMO_PASSWORD
from compliance.services.history_sentences import SENTENCES, SYSTEM_SENTENCES
from compliance.services.inspections.filters import SizeBand, StatusFilter
from compliance.services.inspections.flags import ALL_FLAGS
from compliance.services.registry.referrals import propose_candidate, send_shortlist
from compliance.services.registry.requests import RequestInput, create_request
from compliance.services.roster import ConsentStatus
from tests.browser.test_accessibility import NOT_PAGE_BLUEPRINTS, NOT_PAGES, PAGES, World
from tests.browser.test_accessibility import world as world  # the fixture
from tests.support.clock import last_year
from tests.support.declarations import fill_year, submit_year
from tests.support.factories import PASSWORD, Factory
from tests.support.mail import sent_mails
from tests.support.roster import make_employee
from tests.support.web import csrf_token, login, post_form, prepared_download

#: Every enum whose values a user is shown, with its label table in `compliance.labels`.
SHOWN_ENUMS: tuple[type[enum.Enum], ...] = (
    RoleEnum,
    Sector,
    LegalForm,
    EmploymentType,
    DisabilityCategory,
    EvidenceType,
    VerificationState,
    ConsentGiver,
    CandidateConsentGiver,
    ConsentMethod,
    ConsentStatus,
    Status,
    DeclarationStatus,
    LedgerReason,
    Standing,
    FollowUp,
    StatusFilter,
    SizeBand,
    ReviewOutcome,
    CaseStage,
    CaseEventKind,
    ImportKind,
    ImportStatus,
    SubscriptionStatus,
    EducationLevel,
    Hours,
    Availability,
    CandidateStatus,
    RequestStatus,
    ReferralStatus,
    NotHiredReason,
)
#: Codes that are also ordinary words of what a reader sees, and why they are not looked for.
NOT_CODES = {
    "done": "the import steps' English '(done)' until the catalogue has it; the import's "
    "status is shown by its label",
}
#: Pages and files that show codes on purpose, and why.
NOT_CHECKED = {
    "/imports/template": "the import templates list the codes a file must contain",
    "/api/v1/": "the API's reference and contract document the codes a program sends and reads",
}
#: At most this many pages per person are crawled (the first ones found: the menu's pages).
CRAWL_LIMIT = 90
#: Links of one shape that are crawled: the same path with other ids or years, or with other
#: query strings (sorting, paging, filters, a year's "previous" link followed back to 1970).
VARIANTS_PER_SHAPE = 3
SKIP_LINKS = ("/static/", "/logout", "/language", "/healthz", "/favicon", "/evidence/verify")


def _enum_codes() -> set[str]:
    codes = {str(member.value) for cls in SHOWN_ENUMS for member in cls}
    codes |= set(labels.SKILLS) | set(labels.ACCOMMODATIONS) | set(ALL_FLAGS)
    codes |= set(labels.JOB_OUTCOME_LABELS) | set(labels.BILLING_INTERVAL_LABELS)
    return {code for code in codes if code not in NOT_CODES and not code.isdigit()}


def _code_pattern(codes: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


ENUM_CODES = _enum_codes()
ACTIONS = set(labels.ACTION_LABELS)
#: Codes no sentence holds (an underscore or a dot): looked for everywhere, in any language.
UNMISTAKABLE = _code_pattern({c for c in ENUM_CODES if "_" in c} | ACTIONS)
_WORDS = "|".join(re.escape(c) for c in sorted(ENUM_CODES, key=len, reverse=True))
#: A one-word code ("private", "kpd") is looked for where a value goes, in Indonesian text
#: and in the documents: a whole cell or line ("physical, sensory"), or after a colon, a
#: bracket or a separator ("Sektor: private"). Elsewhere it may be an English word of a message
#: not translated yet, which is the catalogue's business, not a code.
WORD_ALONE = re.compile(rf"^(?:{_WORDS})(?:\s*[,/]\s*(?:{_WORDS}))*$")
WORD_IN_SLOT = re.compile(rf"(?:^|[:(·|])\s*((?:{_WORDS}))\s*(?=$|[),;·|])")
HIDDEN = re.compile(r"<!--.*?-->|<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
PROVINCE_WORD = re.compile(r"\b(?:[Pp]rovin(?:ce|si))\s+(\d{2})\b")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+")


@dataclass
class Findings:
    """Every code found, by where: the test reports them all at once."""

    found: dict[str, set[str]] = field(default_factory=dict)
    seen: int = 0

    def add(self, where: str, codes: Iterable[str]) -> None:
        codes = set(codes)
        if codes:
            self.found.setdefault(where, set()).update(codes)

    def report(self) -> str:
        return "\n".join(f"{where}: {sorted(codes)}" for where, codes in sorted(self.found.items()))


def html_chunks(page: str) -> list[str]:
    """The page's text a reader sees, one piece per text node."""
    page = HIDDEN.sub(" ", page)
    pieces = (html.unescape(piece) for piece in TAG.split(page))
    return [" ".join(p.split()) for p in pieces if p.strip()]


@dataclass(frozen=True)
class Regions:
    """The world's regencies (their codes are unmistakable: "36.71") and provinces (a code
    like "36" is also a number, so it counts only beside its province's name)."""

    regencies: frozenset[str]
    provinces: dict[str, str]

    def in_text(self, text: str) -> list[re.Match[str]]:
        codes = "|".join(re.escape(code) for code in self.regencies)
        return list(re.finditer(rf"(?<![\d.])(?:{codes})(?![\d])", text))

    def beside_names(self, chunks: list[str]) -> set[str]:
        """A province code in its own cell next to the name, after it in brackets, or after
        the word itself ("Provinsi 31")."""
        found = {
            f"{m.group(1)!r} in {chunk!r}"
            for chunk in chunks
            for m in PROVINCE_WORD.finditer(chunk)
            if m.group(1) in self.provinces
        }
        for index, chunk in enumerate(chunks):
            for code, name in self.provinces.items():
                neighbours = chunks[max(0, index - 1) : index] + chunks[index + 1 : index + 2]
                if chunk == code and name in neighbours:
                    found.add(f"{code!r} beside {name!r}")
                if f"{name} ({code})" in chunk:
                    found.add(f"{code!r} in {chunk!r}")
        return found


def _quoted(text: str, match: re.Match[str], group: int = 0) -> str:
    """A code with the words around it, so a report says where to look."""
    around = " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())
    return f"{match.group(group)!r} in “…{around}…”"


def scan(chunks: Iterable[str], regions: Regions, *, words: bool, slots: bool = True) -> set[str]:
    """The codes in a reader's text, given as its pieces (text nodes, lines, cells); one-word
    codes too when `words` (Indonesian text, documents), and in a value's place when `slots`
    (not in the bilingual documents, whose English in brackets reads "(Filed: shortfall)")."""
    pieces = [ADDRESSES.sub(" ", raw).strip() for raw in chunks]
    found = regions.beside_names(pieces)
    for chunk in pieces:
        found |= {_quoted(chunk, m) for m in UNMISTAKABLE.finditer(chunk)}
        found |= {_quoted(chunk, m) for m in regions.in_text(chunk)}
        if words:
            if WORD_ALONE.match(chunk):
                found.add(f"{chunk!r} alone")
            if slots:
                found |= {_quoted(chunk, m, 1) for m in WORD_IN_SLOT.finditer(chunk)}
    return found


def pdf_lines(data: bytes) -> list[str]:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (Debian's poppler-utils) reads the PDFs' text: install it"
    done = subprocess.run([tool, "-q", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode().splitlines()


def xlsx_cells(data: bytes) -> list[str]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [
        str(cell)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
    ]


# --- the world ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    role: Role
    starts: tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    world: World
    filed_org_id: int
    filed_declaration_id: int
    people: tuple[Person, ...]
    regions: Regions


def _file_and_review(client: FlaskClient, factory: Factory, world: World) -> tuple[int, int]:
    """A second organisation in the inspector's province files last year; the inspector asks
    for a correction (an e-mail), then records a finding (a case and its e-mail)."""
    org = factory.org(name="PT Berkas Lengkap", regency="31.71", other_regencies=("31.73",))
    a, b = org.establishment_ids
    with factory.session() as session:
        # The factory names a branch after its regency's code ("Cabang 31.73").
        branch = session.get(Establishment, b)
        assert branch is not None
        branch.name = "Gudang Grogol"
    make_employee(factory, org.id, number="B-1", name="Rudi Hartono", details=True)
    make_employee(factory, org.id, number="B-2", name="Wati Lestari", consent=True)
    fill_year(factory, org.id, {a: 150, b: 100})
    declaration_id = submit_year(factory, org.id)
    login(client, world.inspector.email)
    post_form(
        client,
        f"/inspections/declarations/{declaration_id}/correction",
        {"message": "Periksa angka bulan Maret."},
        token_from=f"/inspections/organizations/{org.id}",
    )
    return org.id, declaration_id


def _send_mails(client: FlaskClient, factory: Factory, world: World, filed_hr: str) -> None:
    """E-mails of every kind the scene can cause, written once the staff have their names:
    an invitation, a password reset, a shortlist to the company, a request to the ULD."""
    login(client, world.org.hr_email)
    post_form(client, "/organization/team", {"email": "kolega.baru@example.com"})
    post_form(client, "/password/forgot", {"email": filed_hr})
    registry = world.registry or {}
    with factory.session() as session:
        officer = session.get(User, world.officer.id)
        hr = session.scalar(select(User).where(User.email == world.org.hr_email))
        assert officer is not None
        assert hr is not None
        propose_candidate(session, officer, registry["request_id"], registry["spare_id"])
        send_shortlist(session, officer, registry["request_id"])
        request = session.get(ReferralRequest, registry["request_id"])
        assert request is not None
        data = RequestInput(
            request.establishment_id, "Operator data", "Entri data", "part_time", "senior", 1,
            skill_codes=["data_entry"], accommodations_offered=["flexible_hours"],
        )  # fmt: skip
        create_request(session, hr, data)


def _regions(factory: Factory) -> Regions:
    with factory.session() as session:
        regencies = set(session.scalars(select(Establishment.regency_code)))
        regencies |= set(session.scalars(select(Candidate.regency_code)))
        regencies |= {c for c in session.scalars(select(Uld.regency_code)) if c}
        provinces = {code.split(".")[0] for code in regencies}
        query = select(Province.code, Province.name).where(Province.code.in_(provinces))
        names = {row.code: row.name for row in session.execute(query)}
    return Regions(frozenset(regencies), names)


#: The factory names staff after their role's code ("inspector 2"); people have names.
STAFF_NAMES = {"inspector": "Siti Rahma", "officer": "Budi Santoso", "admin": "Dewi Lestari"}


@pytest.fixture
def scene(app: Flask, client: FlaskClient, factory: Factory, world: World, outbox: Path) -> Scene:
    with factory.session() as session:
        for attribute, name in STAFF_NAMES.items():
            user = session.get(User, getattr(world, attribute).id)
            assert user is not None
            user.name = name
    # The world's own mails went out before the staff had names ("Hello registry_officer 3").
    for sent in outbox.glob("*.eml"):
        sent.unlink()
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    filed_org_id, declaration_id = _file_and_review(client, factory, world)
    with factory.session() as session:
        filed_hr = session.scalar(select(User.email).where(User.organization_id == filed_org_id))
    assert filed_hr is not None
    _send_mails(client, factory, world, filed_hr)
    with factory.session() as session:
        # What the admin's operations page lists: a subscription in trouble, a job run.
        session.add(
            BillingAccount(
                organization_id=filed_org_id,
                plan="medium",
                interval="month",
                status=SubscriptionStatus.PAST_DUE,
            )
        )
        session.add(JobRun(job="reminders", outcome="partial", processed=3, failed=1))
    hr_pages = ("/dashboard", "/organization/history", "/declarations", "/roster", "/gap")
    people = (
        Person(world.org.hr_email, PASSWORD, Role.HR_MANAGER, hr_pages),
        Person(filed_hr, PASSWORD, Role.HR_MANAGER, (*hr_pages, f"/declarations/{declaration_id}")),
        Person(world.inspector.email, PASSWORD, Role.INSPECTOR, ("/dashboard", "/inspections")),
        Person(world.officer.email, PASSWORD, Role.REGISTRY_OFFICER, ("/dashboard",)),
        Person(world.admin.email, PASSWORD, Role.ADMIN, ("/dashboard", "/admin/audit")),
        Person("hr@maju-bersama.demo", DEMO_PASSWORD, Role.HR_MANAGER, hr_pages),
        Person("hr@pemkot-tangerang.demo", DEMO_PASSWORD, Role.HR_MANAGER, hr_pages),
        Person("inspektur@disnaker.demo", DEMO_PASSWORD, Role.INSPECTOR, ("/inspections",)),
        Person("petugas@uld-tangerang.demo", DEMO_PASSWORD, Role.REGISTRY_OFFICER, ("/dashboard",)),
    )
    return Scene(world, filed_org_id, declaration_id, people, _regions(factory))


# --- reading ------------------------------------------------------------------------------------


def _links(page: str) -> Iterator[str]:
    for href in re.findall(r'href="([^"#]+)', page):
        target = html.unescape(href)
        parts = urlsplit(target)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_LINKS):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _checked(path: str) -> bool:
    return not any(path.startswith(prefix) for prefix in NOT_CHECKED)


def read_file(where: str, name: str, data: bytes, scene: Scene, findings: Findings) -> None:
    """A document (bilingual whatever the reader's language): its lines or cells."""
    if name.endswith(".pdf"):
        findings.add(where, scan(pdf_lines(data), scene.regions, words=True, slots=False))
    elif name.endswith(".xlsx"):
        findings.add(where, scan(xlsx_cells(data), scene.regions, words=True, slots=False))


def read_response(
    where: str, response: object, indonesian: bool, scene: Scene, findings: Findings
) -> str | None:
    """Scan one response by its type; the HTML back, for its links."""
    mimetype = getattr(response, "mimetype", "")
    data: bytes = getattr(response, "data", b"")
    findings.seen += 1
    if mimetype == "text/html":
        page = data.decode()
        findings.add(where, scan(html_chunks(page), scene.regions, words=indonesian))
        return page
    if mimetype == "application/pdf":
        read_file(where, ".pdf", data, scene, findings)
    elif mimetype.endswith("spreadsheetml.sheet"):
        read_file(where, ".xlsx", data, scene, findings)
    return None


def crawl(
    client: FlaskClient, person: Person, starts: Iterable[str], scene: Scene, findings: Findings
) -> set[str]:
    """Every page reachable from `starts` by links, up to `CRAWL_LIMIT`; the paths read."""
    queue, seen = deque(starts), set(starts)
    variants: dict[str, int] = {}
    read: set[str] = set()
    while queue and len(read) < CRAWL_LIMIT:
        target = queue.popleft()
        if not _checked(target):
            continue
        response = client.get(target)
        read.add(target)
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers["Location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        assert response.status_code < 500, f"{target} as {person.email}: {response.status_code}"
        page = read_response(f"{person.role.value} {target}", response, True, scene, findings)
        for link in _links(page or ""):
            shape = re.sub(r"\d+", "N", link.split("?")[0]) + ("?" if "?" in link else "")
            if link in seen or variants.get(shape, 0) >= VARIANTS_PER_SHAPE:
                continue
            variants[shape] = variants.get(shape, 0) + 1
            seen.add(link)
            queue.append(link)
    return read


def _client(app: Flask, language: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _download_pack_and_summary(app: Flask, scene: Scene, findings: Findings) -> None:
    """The evidence pack's summary PDF and workbook, and the admin's summary workbook."""
    client = _client(app, "id")
    login(client, scene.world.inspector.email)
    page = f"/inspections/organizations/{scene.filed_org_id}"
    response = client.post(
        f"{page}/evidence-pack",
        data={
            "csrf_token": csrf_token(client, page),
            "pack-year": str(last_year()),
            "pack-include_names": "y",
            "pack-reason": "Pemeriksaan berkala",
        },
    )
    response = prepared_download(client, response)
    assert response.status_code == 200, response.status_code
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        for name in archive.namelist():
            read_file(f"pack {name}", name, archive.read(name), scene, findings)
    admin = _client(app, "id")
    login(admin, scene.world.admin.email)
    for province in ("", "31"):
        query = f"?province={province}" if province else ""
        response = admin.post(
            f"/admin/inspections/export{query}",
            data={"csrf_token": csrf_token(admin, f"/admin/inspections{query}")},
        )
        response = prepared_download(admin, response)
        assert response.status_code == 200, response.status_code
        where = f"summary workbook {province or 'national'}"
        read_file(where, ".xlsx", response.data, scene, findings)


def _visits_by_person(scene: Scene) -> dict[str, list[str]]:
    """The accessibility test's visits (every page of the app) grouped by who makes them."""
    visits: dict[str, list[str]] = {}
    for make in PAGES.values():
        for visit in make(scene.world):
            if visit.status == 200:
                visits.setdefault(visit.email or "", []).append(visit.path)
    return visits


# --- the tests ----------------------------------------------------------------------------------


def test_no_code_reaches_a_user(app: Flask, scene: Scene, outbox) -> None:
    findings = Findings()
    visits = _visits_by_person(scene)
    for language in ("id", "en"):  # the public pages, nobody logged in
        for path in filter(_checked, visits.get("", [])):
            where = f"visitor {path} ({language})"
            response = _client(app, language).get(path)
            read_response(where, response, language == "id", scene, findings)
    for person in scene.people:
        client = _client(app, "id")
        login(client, person.email, person.password)
        crawl(client, person, [*visits.get(person.email, []), *person.starts], scene, findings)
        english = _client(app, "en")
        login(english, person.email, person.password)
        for path in visits.get(person.email, []):
            if _checked(path):
                where = f"{person.role.value} {path} (en)"
                read_response(where, english.get(path), False, scene, findings)
    for path in (
        f"/declarations/{scene.filed_declaration_id}/receipt.{s}" for s in ("pdf", "xlsx")
    ):
        client = _client(app, "id")
        login(client, scene.people[1].email)
        read_response(f"receipt {path}", client.get(path), False, scene, findings)
    _download_pack_and_summary(app, scene, findings)
    mails = sent_mails(outbox)
    assert mails, "the scene sends e-mails (invitation, correction request, password reset)"
    for mail in mails:
        chunks = [mail.subject, *mail.text.splitlines(), *html_chunks(mail.html)]
        words = mail.language != "en"
        findings.add(
            f"mail '{mail.subject}' to {mail.to}", scan(chunks, scene.regions, words=words)
        )
    assert findings.seen > 200, f"only {findings.seen} pages and files were read"
    assert not findings.found, "Codes shown to users:\n" + findings.report()


def test_every_page_is_visited(app: Flask) -> None:
    """The visits come from the accessibility test's PAGES, which `test_every_page_is_checked`
    keeps complete; this says so here too, for a page added to neither."""
    rules = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith(NOT_PAGE_BLUEPRINTS)
    }
    assert not rules - PAGES.keys(), f"pages nobody visits: {sorted(rules - PAGES.keys())}"


def test_every_code_has_words() -> None:
    missing = [
        f"{cls.__name__}.{member.name}"
        for cls in SHOWN_ENUMS
        for member in cls
        if member not in labels.KINDS[labels.KIND_OF_ENUM[cls.__name__]]
    ]
    assert not missing, f"codes without a label in compliance.labels: {missing}"


def test_every_audit_action_has_a_label_and_a_sentence() -> None:
    """Each action the code records (literal or built from an enum) is known to the labels and
    worded by one sentence."""
    source = "\n".join(p.read_text() for p in _python_files())
    literal = set(re.findall(r'^\s+"([a-z_]+\.[a-z_0-9]+)",?$', source, re.M))
    literal = {a for a in literal if a.split(".")[0] in labels.AREA_OF_PREFIX}
    literal |= set(re.findall(r'(?:record_event|_audit)\(\s*\w+,\s*\w+,\s*"([a-z_.]+)"', source))
    built = (
        {f"import.{kind.value}_imported" for kind in ImportKind}
        | {f"inspection.case_{stage.value}" for stage in CaseStage if stage is not CaseStage.NOTA_1}
        | {f"inspection.declaration_{outcome.value}" for outcome in ReviewOutcome}
        | {"user.password_reset", "user.account_setup"}
    )
    unknown = sorted((literal | built) - ACTIONS)
    assert not unknown, f"audit actions without a label: {unknown}"
    unworded = sorted(ACTIONS - SENTENCES.keys() - SYSTEM_SENTENCES.keys())
    assert not unworded, f"audit actions without a sentence: {unworded}"


def _python_files() -> list[Path]:
    root = Path(labels.__file__).parents[1]  # compliance/
    return [p for p in root.rglob("*.py") if "quota" not in p.parts]
