"""Words for the status of record (`services.declarations.status`), the same on every page.

Registered as template globals (`web.register_blueprints`), so the HR home, the declarations
list, the inspector's ranking and drill-down and the admin summary say it alike; the
`_status.html` macro prints it with its period, due date and the days left or late.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RECORD_LABELS = {
    "filed_compliant": _l("Filed: compliant"),
    "filed_shortfall": _l("Filed: shortfall"),
    "filed_no_obligation": _l("Filed: no obligation"),
    "filed_insufficient_data": _l("Filed: insufficient data"),
    "open": _l("Open: not due yet"),
    "overdue": _l("Overdue: not filed"),
    "not_obliged": _l("Not obliged"),
}
FOLLOW_UP_LABELS = {
    "accepted": _l("Accepted by the inspector"),
    "correction_requested": _l("Correction requested by the inspector"),
    "in_case": _l("In an inspection case"),
    "case_closed": _l("Inspection case closed"),
}
