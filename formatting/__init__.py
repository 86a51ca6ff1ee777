"""How the app writes dates and times for people: Dutch local time (Europe/Amsterdam), Dutch format."""

from formatting.dutch_time import (
    LOCAL_TZ,
    NOW,
    NotADate,
    file_stamp,
    fmt_clock,
    fmt_date,
    fmt_datetime,
    fmt_day,
    fmt_written,
    local,
    now,
    parse_day,
)

__all__ = [
    "LOCAL_TZ",
    "NOW",
    "NotADate",
    "fmt_clock",
    "fmt_date",
    "fmt_datetime",
    "fmt_day",
    "fmt_written",
    "file_stamp",
    "local",
    "now",
    "parse_day",
]
