"""Quota declarations and the explained gap (issue 5, items 5 and 6).

`computation` runs the engine over the figures and the roster, `roster_facts` says who counts
in which month, `filing` is the declaration lifecycle, `gap` the HR manager's live overview,
`people` restates a period in whole people, `overlays` applies regional rules where the
establishments lie, and `status` is the status of record of each period.
"""

from compliance.services.declarations.computation import Computation, compute
from compliance.services.declarations.filing import (
    correct_declaration,
    get_declaration,
    missing_figures,
    open_declaration,
    recompute_declaration,
    save_declaration,
    submit_declaration,
)
from compliance.services.declarations.gap import GapOverview, gap_overview
from compliance.services.declarations.roster_facts import LedgerReason

__all__ = [
    "Computation",
    "GapOverview",
    "LedgerReason",
    "compute",
    "correct_declaration",
    "gap_overview",
    "get_declaration",
    "missing_figures",
    "open_declaration",
    "recompute_declaration",
    "save_declaration",
    "submit_declaration",
]
