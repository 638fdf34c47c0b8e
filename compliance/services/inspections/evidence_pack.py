"""The evidence pack: one signed ZIP per organisation and period, and its verification.

The ZIP holds `ringkasan.pdf`, `bukti.xlsx`, the period's nota letters as issued (`nota/*.pdf`),
`manifest.json` (the SHA-256 of every other file, the rule pack and declaration versions, the
generation time, the signing key's id) and `manifest.sig` (the server's Ed25519 signature of
the manifest's exact bytes). Verifying checks the signature with the server's own key, then
every file's hash, and names the first thing that is wrong: not a ZIP (or cut short), a file
missing or added, a file changed, the manifest changed, or a pack signed by a different key.
Every export is an audit event.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from compliance.clock import utcnow
from compliance.models.accounts import User
from compliance.services import ServiceError
from compliance.services.audit import record_event
from compliance.services.inspections.organization import (
    check_inspector,
    checked_reason,
    named_establishments,
)
from compliance.services.inspections.pack_content import gather
from compliance.services.inspections.pack_files import summary_pdf, workbook
from compliance.services.inspections.signing import canonical, is_valid, key_id, private_key, sign

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_PACK_BYTES = 60 * 1024 * 1024
#: What a pack can hold when verified: a handful of files, the manifest and signature small,
#: nothing expanding past what a pack of a very large organisation needs, nor like a zip bomb.
MAX_PACK_ENTRIES = 16
MAX_PACK_FILE_BYTES = 256 * 1024 * 1024
MAX_PACK_RATIO = 200
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_SIGNATURE_BYTES = 4096


@dataclass(frozen=True)
class Pack:
    filename: str
    data: bytes
    manifest: dict[str, object]


def build_pack(
    session: Session,
    actor: User,
    organization_id: int,
    year: int,
    *,
    include_names: bool = False,
    reason: str | None = None,
    now: datetime | None = None,
) -> Pack:
    check_inspector(actor)
    now = (now or utcnow()).replace(microsecond=0)
    cleaned = checked_reason(reason) if include_names else None
    named = named_establishments(session, actor, organization_id) if include_names else set()
    content = gather(session, organization_id, year, named=named, now=now)
    files = {"ringkasan.pdf": summary_pdf(content), "bukti.xlsx": workbook(content)}
    files.update({letter.path: letter.content for letter in content.letters})
    key = private_key()
    manifest: dict[str, object] = {
        "format": FORMAT,
        "organization": {
            "id": content.organization.id,
            "name": content.organization.name,
            "nib": content.organization.nib,
            "npwp": content.organization.npwp,
        },
        "period": str(content.year),
        "generated_at": f"{now.isoformat()}Z",
        "figures_source": "submitted_declaration" if content.is_filed else "current_data",
        "names_included": include_names,
        "rule_packs": content.data.get("packs", []),
        "declarations": list(content.declarations),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "key_id": key_id(key.public_key()),
    }
    manifest_bytes = canonical(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, sign(manifest_bytes, key))
    record_event(
        session,
        actor,
        "inspection.evidence_pack_exported",
        content.organization,
        organization_id=content.organization.id,
        data={
            "period": str(content.year),
            "names_included": include_names,
            **({"reason": cleaned} if cleaned else {}),
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        },
    )
    filename = f"paket-bukti-{content.organization.nib}-{content.year}.zip"
    return Pack(filename, buffer.getvalue(), manifest)


@dataclass(frozen=True)
class Verification:
    problems: tuple[str, ...]
    manifest: dict[str, object] | None = None

    @property
    def is_intact(self) -> bool:
        return not self.problems


def _check_signature(manifest_bytes: bytes, signature: str) -> list[str]:
    public = private_key().public_key()
    if is_valid(manifest_bytes, signature, public):
        return []
    try:
        claimed = json.loads(manifest_bytes).get("key_id")
    except (ValueError, AttributeError):
        claimed = None
    if claimed is not None and claimed != key_id(public):
        return [
            _("The pack was signed with a different key (%(key)s), not this server's.", key=claimed)
        ]
    return [_("The manifest was changed after it was signed, or the signature is not valid.")]


class _Refused(Exception):
    """The upload is not something a pack could be; its message says why."""


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, never more than `limit`: zipfile stops at the declared size (checked
    against `limit` before reading) and the CRC catches an entry that claims less than it holds."""
    if info.file_size > limit:
        raise _Refused(_("%(name)s is too large for an evidence pack.", name=info.filename))
    with archive.open(info) as entry:
        return entry.read()


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    """The entry's hash, read a megabyte at a time (the entry's size is checked beforehand)."""
    digest = hashlib.sha256()
    with archive.open(info) as entry:
        while chunk := entry.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's entries, refused before anything is decompressed when they could not be a
    pack: too many, repeated names, too large, or compressed like a zip bomb."""
    infos = archive.infolist()
    if len(infos) > MAX_PACK_ENTRIES:
        raise _Refused(_("This ZIP file holds too many files to be an evidence pack."))
    entries = {info.filename: info for info in infos}
    if len(entries) != len(infos):
        raise _Refused(_("This ZIP file holds two files with the same name."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PACK_FILE_BYTES or total > MAX_PACK_FILE_BYTES:
            raise _Refused(_("%(name)s is too large for an evidence pack.", name=info.filename))
        if info.file_size > 1 << 20 and ratio > MAX_PACK_RATIO:
            raise _Refused(
                _("%(name)s expands far more than any real file: refused.", name=info.filename)
            )
    return entries


def verify_pack(data: bytes) -> Verification:
    """Check a pack's signature and every file's hash; an empty `problems` means intact.

    Anyone may upload a file here, so nothing is decompressed before the archive's directory
    has been checked, and nothing but the small manifest and signature before the signature
    holds; the listed files are then hashed as streams (issue 14: a zip bomb was a 500).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = _entries(archive)
        missing = [n for n in (MANIFEST, SIGNATURE) if n not in entries]
        if missing:
            return Verification((_("The pack has no %(name)s.", name=", ".join(missing)),))
        manifest_bytes = _read_bounded(archive, entries[MANIFEST], MAX_MANIFEST_BYTES)
        signature = _read_bounded(archive, entries[SIGNATURE], MAX_SIGNATURE_BYTES)
        problems = _check_signature(manifest_bytes, signature.decode(errors="replace"))
        if problems:
            return Verification(tuple(problems))
        manifest = json.loads(manifest_bytes)
        listed: dict[str, str] = manifest.get("files", {})
        for name, digest in sorted(listed.items()):
            if name not in entries:
                problems.append(_("%(name)s is missing from the pack.", name=name))
            elif _sha256(archive, entries[name]) != digest:
                problems.append(_("%(name)s was changed after the pack was made.", name=name))
    except _Refused as refused:
        return Verification((str(refused),))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return Verification((_("This is not a complete ZIP file: it is damaged or cut short."),))
    except (KeyError, NotImplementedError):
        return Verification((_("The ZIP file is damaged."),))
    for name in sorted(set(entries) - set(listed) - {MANIFEST, SIGNATURE}):
        problems.append(_("%(name)s was added to the pack after it was made.", name=name))
    return Verification(tuple(problems), manifest)


def checked_upload(data: bytes) -> bytes:
    if not data:
        raise ServiceError(_("Choose a ZIP file."), field="pack")
    if len(data) > MAX_PACK_BYTES:
        raise ServiceError(_("The file is too large to be an evidence pack."), field="pack")
    return data
