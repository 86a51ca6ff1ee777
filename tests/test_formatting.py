"""Dates and times for people are Dutch local time in Dutch format, whatever the server's clock says."""

from __future__ import annotations

from datetime import UTC, datetime

from formatting import LOCAL_TZ, file_stamp, fmt_clock, fmt_date, fmt_datetime, fmt_written, local, now


def test_winter_and_summer_time():
    assert fmt_datetime(datetime(2026, 12, 2, 13, 5, tzinfo=UTC)) == "02-12-2026 14:05"  # CET, UTC+1
    assert fmt_datetime(datetime(2026, 6, 2, 13, 5, tzinfo=UTC)) == "02-06-2026 15:05"  # CEST, UTC+2


def test_a_late_evening_answer_has_the_local_date():
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # half past midnight in Amsterdam
    assert fmt_date(late) == "02-12-2026"
    assert fmt_clock(late, seconds=True) == "00:30:00"
    assert file_stamp(late) == "20261202-0030"


def test_naive_times_are_utc_as_the_database_keeps_them():
    assert local(datetime(2026, 12, 2, 13, 5)).hour == 14
    assert fmt_clock(datetime(2026, 12, 2, 13, 5)) == "14:05"


def test_missing_and_now():
    assert fmt_date(None) == ""
    assert fmt_datetime(None, missing="–") == "–"
    assert now().tzinfo is LOCAL_TZ
    assert fmt_date() == datetime.now(LOCAL_TZ).strftime("%d-%m-%Y")


def test_the_written_date_for_an_image_stamp():
    assert fmt_written(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "29 maart 2026, 03:30"  # the night summer time starts
    assert fmt_written(None) == ""
