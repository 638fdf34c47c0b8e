"""The status of record as the API writes it, for every route that shows a period (an HR
manager's own periods, an inspector's file of an organisation): one conversion, so the two
can never word the same period differently."""

from __future__ import annotations

from typing import Any

from compliance.blueprints.api.schemas.hr import ResultOut
from compliance.services.declarations.status import PeriodStatus


def period_fields(status: PeriodStatus) -> dict[str, Any]:
    return {
        "year": status.year,
        "due_on": status.due_on,
        "standing": status.standing.value,
        "days_left": status.days_left,
        "months_complete": status.months_complete,
        "months_total": status.months_total,
        "result": ResultOut(
            status=status.result.status,  # type: ignore[arg-type]
            required=status.result.required,
            counted=status.result.counted,
            gap=status.result.gap,
        ),
        "declaration_id": status.declaration_id,
        "submitted_on": status.submitted_on,
        "follow_up": status.follow_up.value if status.follow_up else None,
    }
