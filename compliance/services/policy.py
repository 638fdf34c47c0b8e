"""Who may change an organisation's data: one rule, used by every HR feature.

Reading is already limited by the tenant scope; these checks decide who may *act* on data that
is within reach (an inspector can see an organisation in their province but cannot edit it).
"""

from __future__ import annotations

from compliance.models.accounts import Role, User
from compliance.services import PermissionDenied


def can_manage_organization(actor: User, organization_id: int) -> bool:
    """Only the organisation's own HR managers manage its team, establishments, roster, filings."""
    return actor.role is Role.HR_MANAGER and actor.organization_id == organization_id


def own_organization_id(actor: User, refusal: str) -> int:
    """The actor's organisation, or `PermissionDenied(refusal)` if they may not manage it."""
    if actor.organization_id is None or not can_manage_organization(actor, actor.organization_id):
        raise PermissionDenied(refusal)
    return actor.organization_id
