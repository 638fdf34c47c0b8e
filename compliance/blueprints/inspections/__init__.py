"""Labour inspectors: provincial dashboard, declaration review, cases and evidence packs."""

from flask import Blueprint

bp = Blueprint("inspections", __name__)

# Importing the view modules registers their routes on `bp`.
import compliance.blueprints.inspections.admin  # noqa: E402
import compliance.blueprints.inspections.cases  # noqa: E402
import compliance.blueprints.inspections.evidence  # noqa: E402
import compliance.blueprints.inspections.holidays  # noqa: E402
import compliance.blueprints.inspections.organizations  # noqa: E402
import compliance.blueprints.inspections.routes  # noqa: E402, F401
