"""`GET /api/v1/me`: who the token acts as, and what it may do (a client's first check)."""

from __future__ import annotations

from spectree import Response as Answers

from compliance.blueprints.api import bp, spec
from compliance.blueprints.api.gate import current_token, token_required
from compliance.blueprints.api.schemas.common import Me


@bp.get("/me")
@token_required()
@spec.validate(resp=Answers(HTTP_200=Me), tags=["Everyone"])
def read_me() -> Me:
    """The token's owner, role and organisation, and the token's own scopes and expiry."""
    token = current_token()
    user = token.user
    return Me(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        organization_id=user.organization_id,
        token_name=token.name,
        token_scopes=list(token.scopes),  # type: ignore[arg-type]
        token_expires_at=token.expires_at,
    )
