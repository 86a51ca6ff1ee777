"""Dates and times as people in the Netherlands read them: Europe/Amsterdam, 02-12-2026 14:05.

The database keeps UTC; every date or time shown on a screen or written in an export for people
goes through here, so the dashboard, the result page and the exports say the same time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")  # the tzdata package (requirements.txt) supplies it everywhere


def now() -> datetime:
    """The current time in Dutch local time (aware)."""
    return datetime.now(LOCAL_TZ)


def local(value: datetime) -> datetime:
    """``value`` in Dutch local time; a naive datetime is taken as UTC (how the database keeps it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


class _Now:
    """Marks "no value given": format the current time."""


NOW = _Now()


def fmt_date(value: datetime | None | _Now = NOW, missing: str = "") -> str:
    """02-12-2026 (now when ``value`` is left out; ``missing`` for None)."""
    return _fmt(value, "%d-%m-%Y", missing)


def fmt_datetime(value: datetime | None | _Now = NOW, missing: str = "") -> str:
    """02-12-2026 14:05."""
    return _fmt(value, "%d-%m-%Y %H:%M", missing)


def fmt_clock(value: datetime | None | _Now = NOW, *, seconds: bool = False, missing: str = "") -> str:
    """14:05 (or 14:05:09 with ``seconds``)."""
    return _fmt(value, "%H:%M:%S" if seconds else "%H:%M", missing)


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip


def fmt_written(value: datetime | None | _Now = NOW, missing: str = "") -> str:
    """2 december 2026, 14:05: the date written out, for text that is read (an image's stamp)."""
    if value is None:
        return missing
    moment = now() if isinstance(value, _Now) else local(value)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def file_stamp(value: datetime | _Now = NOW) -> str:
    """20261202-1405, for file names that sort by time."""
    return _fmt(value, "%Y%m%d-%H%M", "")


def _fmt(value: datetime | None | _Now, pattern: str, missing: str) -> str:
    if value is None:
        return missing
    return (now() if isinstance(value, _Now) else local(value)).strftime(pattern)


def fmt_day(value: datetime | date | None, missing: str = "") -> str:
    """2 december 2026: a day written out (a round, an evaluation moment)."""
    if value is None:
        return missing
    day = local(value).date() if isinstance(value, datetime) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


_NUMERIC_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WRITTEN_DAY = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")


class NotADate(ValueError):
    """The text is not a date; ``str(err)`` says so in Dutch."""


def parse_day(text: str) -> date:
    """A day as Dutch people write it: 1-6-2027, 01/06/2027, 1.6.2027, 1 juni 2027, or 2027-06-01.

    Raises NotADate with a Dutch message otherwise (also for 31-2-2027)."""
    raw = " ".join(str(text).strip().lower().split())
    m = _NUMERIC_DAY.match(raw)
    if m:
        d, mo, y = (int(x) for x in m.groups())
    elif m := _ISO_DAY.match(raw):
        y, mo, d = (int(x) for x in m.groups())
    elif (m := _WRITTEN_DAY.match(raw)) and (m.group(2) in MONTHS or m.group(2)[:3] in _SHORT_MONTHS):
        d, y = int(m.group(1)), int(m.group(3))
        name = m.group(2)
        mo = MONTHS.index(name) + 1 if name in MONTHS else _SHORT_MONTHS.index(name[:3]) + 1
    else:
        raise NotADate(f"‘{str(text).strip()}’ is geen datum; schrijf bijvoorbeeld 1-6-2027.")
    try:
        return date(y, mo, d)
    except ValueError:
        raise NotADate(f"‘{str(text).strip()}’ bestaat niet als datum.") from None


_SHORT_MONTHS = tuple(m[:3] for m in MONTHS)
