"""The shared vocabularies of the registry: skills and workplace accommodations.

Candidates and vacancies pick from the same codes, so matching compares codes, never free
text. Codes are stable (they are stored and used in imports); labels are translated.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from compliance.models.referrals import NotHiredReason, ReferralStatus
from compliance.models.registry import Availability, EducationLevel, Hours
from compliance.quota.model import DisabilityCategory

SKILLS = {
    "admin": _l("Office administration"),
    "data_entry": _l("Data entry"),
    "customer_service": _l("Customer service"),
    "call_centre": _l("Call centre"),
    "accounting": _l("Bookkeeping and accounting"),
    "it_support": _l("IT support"),
    "programming": _l("Programming"),
    "graphic_design": _l("Graphic design"),
    "sewing": _l("Sewing and tailoring"),
    "handicraft": _l("Handicraft"),
    "cooking": _l("Cooking and food preparation"),
    "cleaning": _l("Cleaning and housekeeping"),
    "packing": _l("Packing and warehouse"),
    "assembly": _l("Assembly and production line"),
    "massage": _l("Massage therapy"),
    "retail": _l("Retail and cashier"),
    "driving": _l("Driving"),
    "gardening": _l("Gardening and agriculture"),
    "sign_language": _l("Indonesian Sign Language (BISINDO)"),
    "translation": _l("Writing and translation"),
}

ACCOMMODATIONS = {
    "step_free_access": _l("Step-free access and accessible toilet"),
    "screen_reader": _l("Screen reader or magnifier on the work computer"),
    "sign_language_interpreter": _l("Sign language interpreter for meetings"),
    "written_instructions": _l("Written or visual instructions"),
    "flexible_hours": _l("Flexible working hours"),
    "quiet_space": _l("Quiet workspace"),
    "job_coach": _l("Job coach or buddy during the first months"),
    "adapted_tools": _l("Adapted tools or workstation"),
    "accessible_transport": _l("Accessible transport or transport allowance"),
}

EDUCATION_LABELS = {
    EducationLevel.NONE: _l("No formal schooling"),
    EducationLevel.PRIMARY: _l("Primary school (SD)"),
    EducationLevel.JUNIOR: _l("Junior secondary (SMP)"),
    EducationLevel.SENIOR: _l("Senior secondary (SMA/SMK/SLB)"),
    EducationLevel.DIPLOMA: _l("Diploma (D1-D4)"),
    EducationLevel.BACHELOR: _l("Bachelor (S1)"),
    EducationLevel.POSTGRADUATE: _l("Postgraduate (S2/S3)"),
}
HOURS_LABELS = {
    Hours.FULL_TIME: _l("Full time"),
    Hours.PART_TIME: _l("Part time"),
    Hours.EITHER: _l("Full or part time"),
}
AVAILABILITY_LABELS = {
    Availability.AVAILABLE: _l("Available now"),
    Availability.IN_TRAINING: _l("In training"),
    Availability.NOT_AVAILABLE: _l("Not available"),
}
REFERRAL_STATUS_LABELS = {
    ReferralStatus.PROPOSED: _l("Proposed"),
    ReferralStatus.INTRODUCED: _l("Introduced"),
    ReferralStatus.INTERVIEWED: _l("Interviewed"),
    ReferralStatus.HIRED: _l("Hired"),
    ReferralStatus.NOT_HIRED: _l("Not hired"),
    ReferralStatus.WITHDRAWN: _l("Withdrawn"),
}
NOT_HIRED_LABELS = {
    NotHiredReason.SKILLS: _l("Skills did not match"),
    NotHiredReason.EXPERIENCE: _l("Not enough experience"),
    NotHiredReason.ACCOMMODATION: _l("Needed accommodation not possible"),
    NotHiredReason.ACCESSIBILITY: _l("Workplace not accessible"),
    NotHiredReason.TRANSPORT: _l("Travel to work not possible"),
    NotHiredReason.PAY_OR_HOURS: _l("Pay or hours did not suit"),
    NotHiredReason.CANDIDATE_DECLINED: _l("The candidate declined"),
    NotHiredReason.POSITION_FILLED: _l("The position was filled"),
    NotHiredReason.OTHER: _l("Other reason"),
}

_CATEGORY_BITS = {c.value: 1 << i for i, c in enumerate(DisabilityCategory)}


def category_mask(categories: Iterable[str]) -> int:
    """The plain bit mask of categories, stored only when the consent allows sharing them."""
    mask = 0
    for code in categories:
        mask |= _CATEGORY_BITS.get(code, 0)
    return mask


def unknown_codes(codes: Iterable[str], vocabulary: dict[str, object]) -> list[str]:
    return sorted(set(codes) - vocabulary.keys())
