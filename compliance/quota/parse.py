"""Reading the JSON input documents (a snapshot or a period) into model values.

The schema is documented in this package's README. Parsing is strict: JSON numbers with a
fraction become `Decimal` (never float) and are refused where a whole number is needed, unknown
keys are refused, and every error is an `InputError` naming the field by its JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from compliance.quota.model import DisabledEmployee, Period, Snapshot
from compliance.quota.vocab import (
    DisabilityCategory,
    EmploymentType,
    EvidenceType,
    InputError,
    LegalForm,
    Sector,
    check_count,
)

E = TypeVar("E", Sector, EmploymentType, DisabilityCategory, EvidenceType, LegalForm)

SNAPSHOT_KEYS = {
    "as_of", "sector", "region", "jurisdiction", "legal_form", "headcount",
    "disabled_employees", "toggles", "attributes",
}  # fmt: skip
# Keys a period may set once for all its snapshots; a snapshot's own value wins.
INHERITED_KEYS = {"sector", "region", "jurisdiction", "legal_form", "toggles", "attributes"}
PERIOD_KEYS = {"label", "snapshots"} | INHERITED_KEYS
EMPLOYEE_KEYS = {"categories", "evidence", "employment_type", "is_verified", "weekly_hours", "ref"}


def _reject_constant(name: str) -> Any:
    raise InputError("json", f"{name} is not a number JSON input may use")


def load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            "json", f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None


def parse_document(text: str) -> Snapshot | Period:
    """A JSON text holding a snapshot, or a period (an object with a `snapshots` list)."""
    data = load_json(text)
    if not isinstance(data, dict):
        raise InputError("json", "the document must be a JSON object")
    if "snapshots" in data:
        return parse_period(data)
    return parse_snapshot(data)


def _object(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where or "json", "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        prefix = f"{where}." if where else ""
        raise InputError(
            f"{prefix}{unknown[0]}", f"unknown field (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _show(value: Any) -> str:
    return str(value) if isinstance(value, Decimal) else json.dumps(value, default=str)


def _enum(value: Any, enum_type: type[E], where: str) -> E:
    if not isinstance(value, str):
        raise InputError(where, f"must be a string, got {_show(value)}")
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise InputError(where, f"unknown value {value!r} (allowed: {allowed})") from None


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise InputError(where, f"must be a date string YYYY-MM-DD, got {_show(value)}")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(where, f"must be a date YYYY-MM-DD, got {value!r}") from None


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(where, f"must be true or false, got {_show(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(where, f"must be a list, got {_show(value)}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(where, f"must be a string, got {_show(value)}")
    return value


def _headcount(value: Any, where: str) -> dict[EmploymentType, int | None]:
    if not isinstance(value, dict):
        raise InputError(where, "must be an object of employment type → count")
    counts: dict[EmploymentType, int | None] = {}
    for key, count in value.items():
        kind = _enum(key, EmploymentType, f"{where}.{key}")
        if isinstance(count, Decimal):
            raise InputError(f"{where}.{key}", f"must be a whole number, got {count}")
        counts[kind] = None if count is None else check_count(count, f"{where}.{key}")
    return counts


def _employee(value: Any, where: str) -> DisabledEmployee:
    data = _object(value, where, EMPLOYEE_KEYS)
    for key in ("categories", "evidence", "employment_type"):
        if key not in data:
            raise InputError(f"{where}.{key}", "is required")
    categories = _list(data["categories"], f"{where}.categories")
    hours = data.get("weekly_hours")
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | Decimal)):
        raise InputError(f"{where}.weekly_hours", f"must be a number, got {_show(hours)}")
    try:
        return DisabledEmployee(
            categories=frozenset(
                _enum(item, DisabilityCategory, f"{where}.categories[{index}]")
                for index, item in enumerate(categories)
            ),
            evidence=_enum(data["evidence"], EvidenceType, f"{where}.evidence"),
            employment_type=_enum(
                data["employment_type"], EmploymentType, f"{where}.employment_type"
            ),
            is_verified=_bool(data.get("is_verified", False), f"{where}.is_verified"),
            weekly_hours=None if hours is None else Decimal(hours),
            ref=None if data.get("ref") is None else _string(data["ref"], f"{where}.ref"),
        )
    except InputError as error:
        if error.field.startswith(where):
            raise
        raise error.within(where) from None


def parse_snapshot(
    value: Any, where: str = "", defaults: Mapping[str, Any] | None = None
) -> Snapshot:
    data = dict(defaults or {})
    data.update(_object(value, where, SNAPSHOT_KEYS))
    prefix = f"{where}." if where else ""
    for key in ("as_of", "sector", "headcount"):
        if key not in data:
            raise InputError(f"{prefix}{key}", "is required")
    toggles = data.get("toggles") or {}
    if not isinstance(toggles, dict):
        raise InputError(f"{prefix}toggles", "must be an object of setting → true/false")
    employees = _list(data.get("disabled_employees", []), f"{prefix}disabled_employees")
    legal_form = data.get("legal_form")
    region = data.get("region")
    try:
        return Snapshot(
            as_of=_date(data["as_of"], f"{prefix}as_of"),
            sector=_enum(data["sector"], Sector, f"{prefix}sector"),
            headcount=_headcount(data["headcount"], f"{prefix}headcount"),
            disabled_employees=tuple(
                _employee(item, f"{prefix}disabled_employees[{index}]")
                for index, item in enumerate(employees)
            ),
            region=None if region is None else _string(region, f"{prefix}region"),
            jurisdiction=_string(data.get("jurisdiction", "ID"), f"{prefix}jurisdiction"),
            legal_form=None
            if legal_form is None
            else _enum(legal_form, LegalForm, f"{prefix}legal_form"),
            toggles={
                str(key): _bool(flag, f"{prefix}toggles.{key}") for key, flag in toggles.items()
            },
            attributes=frozenset(
                _string(item, f"{prefix}attributes[{index}]")
                for index, item in enumerate(
                    _list(data.get("attributes", []), f"{prefix}attributes")
                )
            ),
        )
    except InputError as error:
        # Errors raised by the model name the field without the document path: add it.
        if where and not error.field.startswith(where):
            raise error.within(where) from None
        raise


def parse_period(value: Any) -> Period:
    data = _object(value, "", PERIOD_KEYS)
    snapshots = _list(data.get("snapshots"), "snapshots")
    defaults = {key: data[key] for key in INHERITED_KEYS if key in data}
    label = data.get("label")
    return Period(
        snapshots=tuple(
            parse_snapshot(item, f"snapshots[{index}]", defaults)
            for index, item in enumerate(snapshots)
        ),
        label=None if label is None else _string(label, "label"),
    )
