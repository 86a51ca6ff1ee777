"""Schema migrations (Alembic, storage/migrations): a database made by the version before migrations
(commit a78d90a, stop 8, built here from that commit's own code) upgrades at start-up with every row
intact; a failed migration changes nothing; two processes starting together migrate once; and the
migrated schema is exactly storage/schema.py. On SQLite, and on PostgreSQL in .ci/run's second stage."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from storage import Store, migrate, schema
from tests.support import ROOT, fresh_database_url

OLD = "a78d90a"  # main before migrations: the tables were made by create_all
OLD_TABLES = ("sessions", "session_municipalities", "participants", "answers")

MAKE_OLD_WORKSHOP = r"""
import json, sys
from storage import Store
s = Store(sys.argv[1])
session, facilitator = s.create_session("GR Oud", ["Tiel", "Buren", "Culemborg"], ["raadslid", "wethouder"], ["fundament", "eerlijk", "stopcriteria"], 2)
tokens = []
for n, (m, r) in enumerate([("Tiel", "raadslid"), ("Tiel", "wethouder"), ("Buren", "raadslid"), ("Buren", "raadslid"), ("Culemborg", "wethouder")]):
    p, token = s.create_participant(cooperation="GR Oud", municipality=m, role=r, session_id=session.id)
    s.save_answers(p.id, {"fundament_doel_helder": 1 + n % 5, "eerlijk_belangen_benoemd": 5 - n % 5, "stop_wantrouwen": 3, "weg_uit_de_inhoud": 4}, step=1)
    if n < 3:
        s.finish(p.id)
    tokens.append(token)
z, ztoken = s.create_participant(cooperation="Zelfscan Oud", municipality="Utrecht", role="wethouder")
s.save_answers(z.id, {"fundament_doel_helder": 4})
s.set_revealed(session.id, True)
print(json.dumps({"session": session.id, "facilitator": facilitator, "tokens": tokens, "zelfscan": ztoken}))
"""


def _old_code(tmp: Path) -> Path:
    """The storage package of commit OLD, from git (the fixture is made by that code, not by hand)."""
    done = subprocess.run(["git", "archive", "--format=tar", OLD, "storage"], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, f"git archive {OLD} failed (is this a full clone?): {done.stderr.decode()[:300]}"
    target = tmp / "old"
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _make_old_database(tmp: Path, url: str) -> dict:
    old = _old_code(tmp)
    done = subprocess.run([sys.executable, "-c", MAKE_OLD_WORKSHOP, url], cwd=old, capture_output=True, text=True, env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rows(url: str) -> dict[str, list]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return {t: sorted(map(tuple, c.execute(text(f"SELECT * FROM {t}")).all()), key=repr) for t in OLD_TABLES}
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return set(inspect(c).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def url(tmp_path) -> str:
    return fresh_database_url(tmp_path, "migrate.db")


def test_migrated_schema_is_exactly_the_table_definitions(url):
    Store(url).dispose()
    assert migrate.current_revision(url) == migrate.head()
    engine = create_engine(url)
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), schema.metadata)
    engine.dispose()
    assert diff == [], f"storage/schema.py and storage/migrations differ: {diff}"


def test_a_database_of_the_version_before_migrations_upgrades_with_every_row(tmp_path, url, q):
    made = _make_old_database(tmp_path, url)
    assert migrate.current_revision(url) is None and set(OLD_TABLES) <= _tables(url)
    before = _rows(url)
    assert len(before["participants"]) == 6 and len(before["answers"]) == 21

    store = Store(url)  # the app starting: migrates
    assert migrate.current_revision(url) == migrate.head()
    assert _rows(url) == before  # every session, participant and answer as it was
    assert set(schema.metadata.tables) <= _tables(url)

    # Still viewable: the session by its facilitator link, its data and figures; a resume link.
    session = store.session_by_facilitator_token(made["facilitator"])
    assert session is not None and session.name == "GR Oud" and session.revealed
    from services import workshop

    data = workshop.load_session_data(store, q, session)
    assert len(data.participants) == 5
    assert {f.key for f in workshop.comparison_figures(data, q, size="normal")} >= {"heatmap_gemeenten", "advies_gemeenten"}
    p = store.participant_by_token(made["tokens"][0])
    assert p.finished and store.answers_of(p.id)["eerlijk_belangen_benoemd"] == 5
    z = store.participant_by_token(made["zelfscan"])
    assert z.session_id is None and store.answers_of(z.id) == {"fundament_doel_helder": 4}
    # And the new parts work on it.
    store.set_open_questions(session.id, ["Wat nu?"])
    assert store.open_questions(session.id) == ["Wat nu?"]
    # The session became round 1 of a cooperation record with its name and partners (0005); its
    # content version is unknown, so a trend will name it instead of comparing it.
    coop = store.cooperation_of_session(session.id)
    assert coop is not None and coop.name == "GR Oud" and coop.municipalities == session.municipalities
    (only,) = store.rounds(coop.id)
    assert only.session_id == session.id and only.number == 1 and only.content_hash is None
    assert only.held_at == session.created_at
    store.dispose()
    Store(url).dispose()  # a second start: nothing left to do
    assert migrate.current_revision(url) == migrate.head()


def test_a_failed_migration_stops_with_a_clear_message_and_changes_nothing(tmp_path, url):
    _make_old_database(tmp_path, url)
    engine = create_engine(url)
    with engine.begin() as c:  # somebody's own table in the way of migration 0002
        c.execute(text("CREATE TABLE open_questions (x INTEGER)"))
    engine.dispose()
    before, tables = _rows(url), _tables(url)

    with pytest.raises(migrate.MigrationError) as err:
        Store(url)
    message = str(err.value)
    assert "De database kon niet worden bijgewerkt" in message and "Er is niets veranderd" in message
    assert _tables(url) == tables  # no table added, no alembic_version written (the stamp is rolled back too)
    assert migrate.current_revision(url) is None
    assert _rows(url) == before


def test_two_processes_starting_together_migrate_once(url):
    code = "import sys; from storage import Store; Store(sys.argv[1]).dispose()"
    procs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert migrate.current_revision(url) == migrate.head()


def test_the_app_shows_the_migration_message_instead_of_a_traceback(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ui import context

    url = f"sqlite:///{tmp_path / 'broken.db'}"
    _make_old_database(tmp_path, url)
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE open_questions (x INTEGER)"))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    context.store.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["code"] = "ABCDEF"  # the join page needs the store
    at.run()
    context.store.clear()
    assert not at.exception
    assert any("De database kon niet worden bijgewerkt" in e.value for e in at.error)
