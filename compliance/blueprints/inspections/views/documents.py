"""Documents of record over HTTP: a nota letter's download, and the public checks of receipts
and letters (beside the evidence pack's, `evidence.verify_evidence`, with the same look and
the same limit per address)."""

from __future__ import annotations

from flask import Response, flash, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from compliance.access import public, roles
from compliance.blueprints.forms import show_service_error
from compliance.blueprints.inspections import bp
from compliance.blueprints.inspections.forms import LetterCheckForm, ReceiptCheckForm
from compliance.blueprints.inspections.views.cases import INSPECTORS
from compliance.blueprints.inspections.views.evidence import VERIFY_LIMIT
from compliance.extensions import db
from compliance.models.accounts import Role
from compliance.services import ServiceError
from compliance.services.inspections.letters import (
    VERIFY_PATH as LETTER_PATH,
)
from compliance.services.inspections.letters import (
    LetterCheck,
    check_letter,
    cleaned_number,
    get_letter,
)
from compliance.services.receipt_numbers import (
    VERIFY_PATH as RECEIPT_PATH,
)
from compliance.services.receipt_numbers import (
    ReceiptCheck,
    check_receipt,
    cleaned_query,
)
from compliance.services.throttle import allow

#: A letter is a few hundred kilobytes; anything far larger is not one.
MAX_LETTER_BYTES = 5 * 1024 * 1024


@bp.get("/inspections/letters/<int:letter_id>")
@roles(Role.HR_MANAGER, *INSPECTORS)
def download_letter(letter_id: int) -> ResponseReturnValue:
    """The letter's stored bytes, for both sides (another organisation's: not found)."""
    letter = get_letter(db.session(), letter_id)
    return Response(
        letter.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.filename}"'},
    )


def _throttled(scope: str) -> bool:
    return not allow(db.session(), scope, request.remote_addr or "unknown", **VERIFY_LIMIT)


@bp.get(RECEIPT_PATH)
@public
def verify_receipt() -> ResponseReturnValue:
    """Anyone holding a receipt checks it by its number and hash (its QR code opens this)."""
    form = ReceiptCheckForm(request.args)
    report: ReceiptCheck | None = None
    status = 200
    if "number" in request.args or "sha256" in request.args:
        number, sha256 = cleaned_query(form.number.data, form.sha256.data)
        form.number.data, form.sha256.data = number, sha256
        if _throttled("receipt_verify"):
            flash(_("Too many checks from your address. Try again in a few minutes."), "error")
            status = 429
        else:
            try:
                report = check_receipt(db.session(), number, sha256)
            except ServiceError as error:
                show_service_error(form, error)
                status = 422
    return render_template("inspections/verify_receipt.html", form=form, report=report), status


@bp.route(LETTER_PATH, methods=["GET", "POST"])
@public
def verify_letter() -> ResponseReturnValue:
    """Anyone holding a nota letter checks that its PDF is, byte for byte, the one issued."""
    form = LetterCheckForm()
    if request.method == "GET":
        form.number.data = cleaned_number(request.args.get("number"))
    report: LetterCheck | None = None
    if request.method == "POST" and _throttled("letter_verify"):
        flash(_("Too many checks from your address. Try again in a few minutes."), "error")
        return render_template("inspections/verify_letter.html", form=form, report=None), 429
    if form.validate_on_submit():
        upload = request.files.get(form.letter.name)
        data = upload.read(MAX_LETTER_BYTES + 1) if upload else b""
        if not data:
            form.letter.errors = [_("Choose the letter's PDF file.")]
        elif len(data) > MAX_LETTER_BYTES:
            form.letter.errors = [_("This file is too large to be a letter of this service.")]
        else:
            report = check_letter(db.session(), cleaned_number(form.number.data), data)
    status = 422 if form.errors else 200
    return render_template("inspections/verify_letter.html", form=form, report=report), status
