"""Tests that only mean something on PostgreSQL. .ci/run starts a throwaway cluster and runs them
with DATABASE_URL=postgresql+psycopg://…; without such a URL they are skipped."""

from __future__ import annotations

import os
import threading
from datetime import UTC, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import inspect, text

from storage import Store, schema
from storage.store import database_url
from tests.support import POSTGRES_ONLY, drop_everything, postgres_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> str:
    url = postgres_url()
    if not url:
        pytest.skip(POSTGRES_ONLY)
    return url


@pytest.fixture
def empty_pg(pg_url) -> str:
    """The database without any of our tables."""
    s = Store(pg_url)
    drop_everything(s.engine)
    s.dispose()
    return pg_url


def _bare(url: str, scheme: str) -> str:
    return scheme + "://" + url.split("://", 1)[1]


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_database_url_uses_psycopg_3_for_any_postgres_spelling(empty_pg, monkeypatch, scheme):
    """The README's DATABASE_URL=postgresql://… (and Heroku-style postgres://) work with the psycopg 3
    we ship: a bare URL would make SQLAlchemy look for psycopg2, which is not installed."""
    monkeypatch.setenv("DATABASE_URL", "  " + _bare(empty_pg, scheme) + "\n")
    url = database_url()
    assert url.startswith("postgresql+psycopg://")
    assert url.split("://", 1)[1] == empty_pg.split("://", 1)[1]
    s = Store()  # from the environment, as the app does
    assert s.dialect == "postgresql" and s.engine.driver == "psycopg"
    with s.engine.connect() as c:
        assert c.execute(text("select 1")).scalar() == 1
    s.dispose()


def test_tables_are_created_on_start_in_an_empty_database(empty_pg):
    s = Store(empty_pg)
    assert set(inspect(s.engine).get_table_names()) >= {"sessions", "session_municipalities", "participants", "answers"}
    p, token = s.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    s.save_answers(p.id, {"x": 3}, step=1)
    s.dispose()
    again = Store(empty_pg)  # a second start on existing tables changes nothing
    assert again.participant_by_token(token).step == 1
    assert again.answers_of(p.id) == {"x": 3}
    again.dispose()


def test_tables_are_created_in_a_brand_new_database(pg_url):
    """A database that was just created (CREATE DATABASE) gets its tables on the first start."""
    admin = Store(pg_url)
    name = f"spiegel_new_{os.getpid()}_{threading.get_ident() % 10_000}"
    try:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # noqa: BLE001 - a user without CREATEDB: the test above covers the case
        admin.dispose()
        pytest.skip(f"cannot create a database here: {type(e).__name__}")
    new_url = admin.engine.url.set(database=name).render_as_string(hide_password=False)
    try:
        s = Store(new_url)
        # Every table of storage/schema.py, made by the migrations, and Alembic's version table.
        assert set(inspect(s.engine).get_table_names()) == {*schema.metadata.tables, "alembic_version"}
        sess, _ = s.create_session("Regio", ["A", "B"], ["raadslid"], ["eerlijk"], 3)
        assert s.session(sess.id).municipalities == ("A", "B")
        s.dispose()
    finally:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upsert_takes_the_conflict_path(empty_pg):
    s = Store(empty_pg)
    p, _ = s.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    s.save_answers(p.id, {"a": 1, "b": 2}, step=0)
    with s.engine.connect() as c:
        xmin_before = c.execute(text("select xmin::text from answers where item = 'a'")).scalar()
    s.save_answers(p.id, {"a": 5, "c": 0}, step=1)  # 'a' conflicts and is updated, 'c' is new
    s.save_answers(p.id, {"a": 5})  # the same again: still one row
    assert s.answers_of(p.id) == {"a": 5, "b": 2, "c": 0}
    with s.engine.connect() as c:
        rows = c.execute(text("select item, count(*) from answers where participant_id = :p group by item"), {"p": p.id}).all()
        xmin_after = c.execute(text("select xmin::text from answers where item = 'a'")).scalar()
        pk = c.execute(
            text("select count(*) from pg_indexes where tablename = 'answers' and indexdef like '%(participant_id, item)%'")
        ).scalar()
    assert dict(rows) == {"a": 1, "b": 1, "c": 1}
    assert xmin_after != xmin_before  # the row was updated in place by ON CONFLICT DO UPDATE
    assert pk == 1  # the primary key the upsert relies on
    s.dispose()


def test_concurrent_upserts_of_one_row(empty_pg):
    """Two connections insert the same new (participant, item) at the same moment: PostgreSQL's
    ON CONFLICT turns the loser into an update instead of a unique violation."""
    s = Store(empty_pg)
    p, _ = s.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    errors = []
    barrier = threading.Barrier(8)

    def write(v: int) -> None:
        try:
            barrier.wait()
            for n in range(20):
                s.save_answers(p.id, {f"k{n}": v, "shared": v})
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=write, args=(1 + k % 5,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert s.count_answers() == 21
    s.dispose()


def test_timestamps_come_back_timezone_aware_utc(empty_pg):
    """Whatever the server's or the connection's time zone: datetimes are aware and in UTC."""
    sep = "&" if "?" in empty_pg else "?"
    amsterdam = f"{empty_pg}{sep}options={quote('-c TimeZone=Europe/Amsterdam')}"
    s = Store(amsterdam)
    with s.engine.connect() as c:
        assert c.execute(text("show timezone")).scalar() == "Europe/Amsterdam"
    sess, _ = s.create_session("Regio", ["A", "B"], ["raadslid"], ["eerlijk"], 3)
    p, _ = s.create_participant(cooperation="GR", municipality="A", role="raadslid", session_id=sess.id)
    s.save_answers(p.id, {"x": 4})
    s.finish(p.id)
    p = s.participant(p.id)
    for dt in (s.session(sess.id).created_at, p.created_at, p.finished_at):
        assert dt.tzinfo is not None and dt.utcoffset() == timedelta(0)
        assert dt.tzinfo == UTC
    assert p.finished_at >= p.created_at
    answers = s.answers_frame(session_id=sess.id)
    assert str(answers["answered_at"].dt.tz) == "UTC"
    parts = s.participants_frame(sess.id)
    assert str(parts["joined_at"].dt.tz) == "UTC" and str(parts["finished_at"].dt.tz) == "UTC"
    assert parts["joined_at"].iloc[0].to_pydatetime() == p.created_at
    with s.engine.connect() as c:
        kind = c.execute(
            text("select data_type from information_schema.columns where table_name = 'answers' and column_name = 'answered_at'")
        ).scalar()
    assert kind == "timestamp with time zone"
    s.dispose()
