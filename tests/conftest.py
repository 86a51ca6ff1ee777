"""Shared fixtures: a real database (SQLite file, or PostgreSQL when DATABASE_URL says so)."""

from __future__ import annotations

import pytest

from questionnaire.loader import load_questionnaire
from storage import Store
from tests.support import CHROMIUM, CHROMIUM_ARGS, fresh_database_url


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh database: an empty PostgreSQL schema when DATABASE_URL points at one, else a new SQLite file."""
    return fresh_database_url(tmp_path, "test.db")


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def q():
    return load_questionnaire()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A fresh SQLite file as the app's DATABASE_URL for AppTests, with the app's cached store cleared."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from ui import context

    context.store.clear()
    yield url
    context.store.clear()


@pytest.fixture
def changed_q(tmp_path):
    """The content with one statement of 'Eerlijk' reworded: a new content version (for trends across versions)."""
    import shutil

    from questionnaire.loader import CONTENT_DIR, load_questionnaire

    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    path = target / "modules" / "10_principes.yaml"
    text = path.read_text(encoding="utf-8")
    old = "De gemeenten in deze samenwerking zeggen open wat zij er zelf mee willen bereiken."
    assert old in text
    path.write_text(text.replace(old, "Elke gemeente zegt open wat zij met deze samenwerking wil bereiken."), encoding="utf-8")
    return load_questionnaire(target)
