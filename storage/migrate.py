"""Bring a database to the current schema at start-up, through the Alembic versions in storage/migrations.

- A new, empty database gets every version from the baseline up.
- A database made by the app before migrations existed (the four first tables, no alembic_version)
  is stamped at the baseline ("0001") and upgraded from there: every row stays.
- Everything happens in one transaction under a lock (SQLite: BEGIN EXCLUSIVE; PostgreSQL: an
  advisory lock), so two processes starting together do not both migrate, and a failed step
  changes nothing (both databases roll DDL back). It then stops with MigrationError, in Dutch.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text

BASELINE = "0001"
SCRIPTS = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 51_627_330  # any fixed number: PostgreSQL's advisory lock for "migrating the spiegel schema"


class MigrationError(Exception):
    """The database could not be brought up to date; nothing was changed."""


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def _migration_engine(url: str):
    """An engine of its own for migrating: on SQLite with transactional DDL and an exclusive lock
    (pysqlite would otherwise commit before each CREATE TABLE)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we say BEGIN ourselves
            dbapi_conn.execute("PRAGMA busy_timeout=60000")

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN EXCLUSIVE")

        return engine
    return create_engine(url)


def current_revision(url: str) -> str | None:
    engine = _migration_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, target: str = "head") -> None:
    """Migrate the database at ``url`` to ``target``; raises MigrationError (nothing changed) on failure."""
    engine = _migration_engine(url)
    step = "begin"
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            cfg = config()
            cfg.attributes["connection"] = conn
            tables = set(inspect(conn).get_table_names())
            current = MigrationContext.configure(conn).get_current_revision()
            if current is None and "sessions" in tables:
                step = "stamp"
                command.stamp(cfg, BASELINE)  # made by the version before migrations: its schema is the baseline
            step = "upgrade"
            command.upgrade(cfg, target)
    except Exception as e:  # noqa: BLE001 - any failure: one clear message, the transaction is rolled back
        raise MigrationError(
            "De database kon niet worden bijgewerkt naar de nieuwe versie van de app "
            f"({step}: {type(e).__name__}: {str(e).splitlines()[0][:300]}). Er is niets veranderd: de gegevens "
            "staan er nog zoals ze waren. Start de vorige versie van de app, of vraag de beheerder dit bericht te bekijken."
        ) from e
    finally:
        engine.dispose()
