"""Shared fixtures: a real database (SQLite file, or PostgreSQL when DATABASE_URL says so)."""

from __future__ import annotations

import os

import pytest

from questionnaire.loader import load_questionnaire
from storage import Store, schema


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh database: an empty PostgreSQL schema when DATABASE_URL points at one, else a new SQLite file."""
    pg = _postgres_url()
    if pg:
        store = Store(pg)
        schema.metadata.drop_all(store.engine)
        store.dispose()
        return pg
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def q():
    return load_questionnaire()
