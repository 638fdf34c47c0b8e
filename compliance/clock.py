"""The one clock: what "now" and "today" are, for every service, job, form, model and page.

Nothing else in the package asks the operating system or the database for the time
(`tests/test_clock_rule.py` enforces it), so a test or a job can pin one instant and every
number, status and deadline is judged against it.

Indonesia has three time zones (Keppres 41/1987), and one rule decides which one counts:

- **Stored instants are UTC**, naive, as both databases keep them (`utcnow`); the audit hash
  depends on that.
- **An organisation's months, deadlines and "today" are those of its head-office zone**: WIB,
  WITA or WIT, from the province of its head office (`zone_of_region`, `today_in`). A company in
  Jayapura starts January two hours before one in Jakarta, and its December is complete then.
  A registry candidate's dates belong to the zone of their ULD's region, the same way.
- **A person's screen shows instants in their own zone, with its name** ("14:05 WIB"): an HR
  manager's is their organisation's, an inspector's or officer's is that of the first region
  they cover, an administrator's is WIB (`local_time`, `zone_label`).

Where no organisation or region is concerned (a national summary), the zone is WIB, where most
employers are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Zone:
    """One of Indonesia's time zones: its legal name (shown to people) and its IANA zone."""

    name: str
    tz: ZoneInfo

    def __str__(self) -> str:
        return self.name


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))  # UTC+7: Sumatra, Java, West and Central Kalimantan
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))  # UTC+8: Bali, Nusa Tenggara, Kalimantan, Sulawesi
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))  # UTC+9: Maluku and Papua
ZONES = {zone.name: zone for zone in (WIB, WITA, WIT)}

#: Provinces (Kemendagri codes) outside WIB; every other province is in WIB.
_PROVINCE_ZONES = {
    **dict.fromkeys(("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"), WITA),
    **dict.fromkeys(("81", "82", "91", "92", "93", "94", "95", "96"), WIT),
}


def zone_of_region(code: str | None) -> Zone:
    """The zone of a province ("91") or of a regency/city in it ("91.71"); WIB when unknown."""
    return _PROVINCE_ZONES.get((code or "")[:2], WIB)


def now() -> datetime:
    """This instant, aware, in UTC: the only place the package reads the system clock."""
    return datetime.now(UTC)


def utcnow() -> datetime:
    """This instant as stored: naive UTC (both databases keep it the same way)."""
    return now().replace(tzinfo=None)


def as_utc(instant: datetime) -> datetime:
    """A stored (naive UTC) or aware instant, made aware in UTC."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def local_time(instant: datetime, zone: Zone = WIB) -> datetime:
    """A stored (naive UTC) or aware instant, as the wall-clock time of `zone`."""
    return as_utc(instant).astimezone(zone.tz)


def local_date(instant: datetime, zone: Zone = WIB) -> date:
    """The calendar date an instant falls on in `zone` (a job's `now` as a business date)."""
    return local_time(instant, zone).date()


def today_in(zone: Zone = WIB, *, at: datetime | None = None) -> date:
    """Today's date in `zone` (at `at` when given, else now)."""
    return local_date(at if at is not None else now(), zone)


def zone_label(instant: datetime, zone: Zone = WIB) -> str:
    """An unambiguous wall-clock time for documents and e-mails: "2026-12-03 14:05 WIB"."""
    return f"{local_time(instant, zone):%Y-%m-%d %H:%M} {zone.name}"


def local_dates(instant: datetime) -> tuple[date, date]:
    """The earliest and latest dates `instant` falls on across Indonesia's zones (the same
    date but for the hours around midnight): a job that judges each organisation by its own
    date covers every organisation between the two (WIB is the earliest, WIT the latest)."""
    dates = [local_date(instant, zone) for zone in ZONES.values()]
    return min(dates), max(dates)
