"""A strict reader over one parsed TOML table, for rule-pack validation.

Each getter checks a type and records the key as used; `finish()` then rejects unknown keys, so a
misspelt parameter in a pack file fails loudly at load time instead of silently meaning "default".
Errors name the pack file and the dotted path of the key.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from compliance.quota.citation import Source
from compliance.quota.pack import Text
from compliance.quota.vocab import QuotaError

E = TypeVar("E")


class PackError(QuotaError):
    """A rule pack file is malformed or inconsistent."""

    def __init__(self, pack: str, field: str, message: str) -> None:
        self.pack = pack
        self.field = field
        self.message = message
        super().__init__(f"{pack}: {field}: {message}" if field else f"{pack}: {message}")


class Table:
    def __init__(self, data: dict[str, Any], path: str, pack: str) -> None:
        self.data = data
        self.path = path
        self.pack = pack
        self._used: set[str] = set()

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> PackError:
        return PackError(self.pack, self._where(key) if key else self.path, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, required: bool) -> Any:
        self._used.add(key)
        if key not in self.data:
            if required:
                raise self.error(key, "is required")
            return None
        return self.data[key]

    def string(self, key: str, required: bool = True) -> str | None:
        value = self._get(key, required)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.error(key, "must be a non-empty string")
        return value

    def req_string(self, key: str) -> str:
        value = self.string(key, required=True)
        assert value is not None  # required=True guarantees it
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def day(self, key: str, required: bool = True) -> date | None:
        value = self._get(key, required)
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise self.error(key, "must be a TOML date such as 2016-04-15")
        return value

    def decimal(self, key: str, required: bool = True) -> Decimal | None:
        # The loader parses TOML floats as Decimal, so 0.02 arrives exact.
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error(key, "must be a number")
        number = Decimal(value)
        if not number.is_finite() or number < 0:
            raise self.error(key, "must be a finite, non-negative number")
        return number

    def integer(self, key: str, default: int) -> int:
        value = self._get(key, required=False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, "must be a non-negative integer")
        return value

    def strings(self, key: str, required: bool = False) -> list[str] | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(key, "must be a list of strings")
        return value

    def choice(self, key: str, enum_type: type[E], required: bool = True) -> E | None:
        value = self._get(key, required)
        if value is None:
            return None
        return self.coerce(key, value, enum_type)

    def choices(self, key: str, enum_type: type[E]) -> frozenset[E] | None:
        values = self.strings(key)
        if values is None:
            return None
        return frozenset(self.coerce(key, value, enum_type) for value in values)

    def coerce(self, key: str, value: object, enum_type: type[E]) -> E:
        try:
            return enum_type(value)  # type: ignore[call-arg]
        except ValueError:
            allowed = ", ".join(str(member) for member in enum_type)  # type: ignore[attr-defined]
            raise self.error(key, f"unknown value {value!r} (allowed: {allowed})") from None

    def table(self, key: str, required: bool = True) -> Table | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(key, "must be a table")
        return Table(value, self._where(key), self.pack)

    def tables(self, key: str) -> list[Table]:
        """An array of tables (`[[key]]`); absent means empty."""
        value = self._get(key, required=False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(key, "must be an array of tables")
        return [Table(item, f"{self._where(key)}[{i}]", self.pack) for i, item in enumerate(value)]

    def subtables(self) -> list[tuple[str, Table]]:
        """Every key of this table, each holding a table (`[rates.private]` ...)."""
        result = []
        for key in self.data:
            table = self.table(key)
            assert table is not None  # required=True guarantees it
            result.append((key, table))
        return result

    def req_table(self, key: str) -> Table:
        table = self.table(key)
        assert table is not None  # required by default
        return table

    def text(self, prefix: str, required: bool = True) -> Text | None:
        """A bilingual text stored as `<prefix>_id` and `<prefix>_en`."""
        text_id = self.string(f"{prefix}_id", required)
        text_en = self.string(f"{prefix}_en", required)
        if text_id is None and text_en is None:
            return None
        if text_id is None or text_en is None:
            raise self.error(prefix, f"needs both {prefix}_id and {prefix}_en")
        return Text(text_id, text_en)

    def req_text(self, prefix: str) -> Text:
        text = self.text(prefix)
        assert text is not None  # required=True guarantees it
        return text

    def source(self, sources: dict[str, Source], key: str = "source") -> Source:
        """The named source a parameter rests on; every parameter must name one."""
        name = self.req_string(key)
        if name not in sources:
            raise self.error(key, f"refers to unknown source {name!r} (define it under [sources])")
        return sources[name]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self._used)
        if unknown:
            raise self.error("", f"unknown key(s): {', '.join(unknown)}")
