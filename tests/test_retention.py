"""AVG: deleting a session (begeleider), a participant's own answers, and the purge after the
retention period. Runs on SQLite and, in .ci/run's second stage, on PostgreSQL (the ``store`` fixture)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import delete, func, select, text, update

from exports import session as ex
from services import retention, workshop
from storage import SessionClosed
from storage import schema as t
from storage.store import DEFAULT_RETENTION_MONTHS, InvalidInput, add_months
from tests.test_workshop_service import build_session

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)


def _rows(store) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), to compare before and after."""
    with store.engine.connect() as c:
        return {table.name: sorted(map(tuple, c.execute(select(table)).all()), key=repr) for table in t.metadata.sorted_tables}


def _exports(store, q, session_id) -> dict[str, object]:
    data = workshop.load_session_data(store, q, store.session(session_id))
    files = {name: ex.results_csv(data, q, name) for name in ex.COUNCIL_TABLES}
    files["raw csv"] = ex.answers_csv(data, q)
    for kind, blob in (("council xlsx", ex.workbook_xlsx(data, q)), ("raw xlsx", ex.raw_workbook_xlsx(data, q))):
        wb = openpyxl.load_workbook(io.BytesIO(blob))
        files[kind] = [
            [row for row in ws.iter_rows(values_only=True) if row[0] != "Export gemaakt op"] for ws in wb.worksheets
        ]  # (the zip itself has a creation time; its cells are compared)
    return files


def _session_rows(store, session_id: int, participant_ids: set[int]) -> list[str]:
    """Rows anywhere that still belong to the session."""
    left = []
    with store.engine.connect() as c:
        for table in t.metadata.sorted_tables:
            for col in table.c:
                if col.name in ("session_id",) or (table is t.sessions and col.name == "id"):
                    n = c.execute(select(func.count()).select_from(table).where(col == session_id)).scalar()
                elif col.name == "participant_id" or (table is t.participants and col.name == "id"):
                    n = c.execute(select(func.count()).select_from(table).where(col.in_(participant_ids or {-1}))).scalar()
                else:
                    continue
                if n:
                    left.append(f"{table.name}.{col.name}: {n}")
    return left


def test_deleting_a_session_removes_every_row_of_it_and_nothing_else(store, q):
    gone, _ = build_session(store, q, name="Regio Weg")
    kept, _ = build_session(store, q, name="Regio Blijft")
    zelfscan, _ = store.create_participant(cooperation="GR Eigen", municipality="Tiel", role="raadslid")
    store.save_answers(zelfscan.id, {q.items[0].id: 4})
    with store.engine.connect() as c:
        gone_pids = set(c.execute(select(t.participants.c.id).where(t.participants.c.session_id == gone.id)).scalars())
        kept_pid = c.execute(select(t.participants.c.id).where(t.participants.c.session_id == kept.id)).scalars().first()
    for sid, pid in ((gone.id, min(gone_pids)), (kept.id, kept_pid)):  # open questions and answers too
        store.set_open_questions(sid, ["Wat eerst?"])
        store.save_open_answer(pid, 0, "Samen de begroting bespreken")
    assert gone_pids and store.count_answers(gone.id) > 0
    before = _exports(store, q, kept.id)
    rows_before = _rows(store)

    assert store.delete_session(gone.id) is True
    assert store.session(gone.id) is None
    assert _session_rows(store, gone.id, gone_pids) == []
    assert store.count_answers(gone.id) == 0
    # The other session's files are the same, byte for byte (CSV) and cell for cell (XLSX).
    after = _exports(store, q, kept.id)
    for name in before:
        assert after[name] == before[name], name
    # Nothing of the other session or of the zelfscan went: only the rows of the deleted session.
    rows_after = _rows(store)
    for table, rows in rows_before.items():
        assert set(rows_after[table]) <= set(rows), table
    assert store.answers_of(zelfscan.id) == {q.items[0].id: 4}
    assert store.open_answers_of(kept_pid) == {0: "Samen de begroting bespreken"}
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t.open_answers)).scalar() == 1
        assert c.execute(select(func.count()).select_from(t.open_questions)).scalar() == 1
    assert store.delete_session(gone.id) is False  # twice is harmless


def test_foreign_keys_cascade_on_this_database(store, q):
    """ON DELETE CASCADE really works here (SQLite needs PRAGMA foreign_keys=ON on every connection)."""
    session, _ = build_session(store, q)
    with store.engine.connect() as c:
        if store.dialect == "sqlite":
            assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with store.engine.begin() as c:
        c.execute(delete(t.sessions).where(t.sessions.c.id == session.id))  # the parent row alone
    assert _session_rows(store, session.id, set()) == []
    assert store.count_answers() == 0


def test_a_participant_deletes_their_own_answers_while_the_session_is_open(store, q):
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    me, token = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    other, _ = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    item = q.section_by_id["eerlijk"].items[0].id
    store.save_answers(me.id, {item: 5})
    store.save_answers(other.id, {item: 2})
    store.delete_participant(me.id)
    assert store.participant_by_token(token) is None and store.answers_of(me.id) == {}
    assert store.answers_of(other.id) == {item: 2}
    store.set_closed(session.id, True)
    with pytest.raises(SessionClosed, match="alleen de begeleider"):
        store.delete_participant(other.id)
    assert store.answers_of(other.id) == {item: 2}


def _age(store, session_id: int, *, created: datetime, closed: datetime | None) -> None:
    with store.engine.begin() as c:
        c.execute(
            update(t.sessions)
            .where(t.sessions.c.id == session_id)
            .values(created_at=created, closed_at=closed, closed=closed is not None)
        )


def test_the_purge_deletes_exactly_the_expired_sessions(store, q):
    made = {}
    plan = {  # name: (retention months, created, closed)
        "closed 13 months ago": (12, add_months(NOW, -14), add_months(NOW, -13)),
        "closed 11 months ago": (12, add_months(NOW, -12), add_months(NOW, -11)),
        "closed 2 months ago, 1 month": (1, add_months(NOW, -3), add_months(NOW, -2)),
        "never closed, 25 months old, 24": (24, add_months(NOW, -25), None),
        "never closed, 5 months old": (12, add_months(NOW, -5), None),
        "closed exactly 12 months ago": (12, add_months(NOW, -13), add_months(NOW, -12)),
    }
    for name, (months, created, closed) in plan.items():
        session, _ = build_session(store, q, name=name[:40], people=[("X", "Berkdal", "raadslid", [4] * 5, 3)])
        store.set_retention(session.id, months)
        _age(store, session.id, created=created, closed=closed)
        made[name] = session.id
    old_scan, _ = store.create_participant(cooperation="GR", municipality="Tiel", role="raadslid")
    new_scan, _ = store.create_participant(cooperation="GR", municipality="Tiel", role="raadslid")
    with store.engine.begin() as c:
        c.execute(update(t.participants).where(t.participants.c.id == old_scan.id).values(updated_at=add_months(NOW, -13)))
        c.execute(update(t.participants).where(t.participants.c.id == new_scan.id).values(updated_at=add_months(NOW, -1)))
    expired = {
        "closed 13 months ago",
        "closed 2 months ago, 1 month",
        "never closed, 25 months old, 24",
        "closed exactly 12 months ago",
    }
    assert set(store.expired_sessions(NOW)) == {made[n] for n in expired}

    assert store.purge_expired(NOW) == (len(expired), 1)
    for name, sid in made.items():
        assert (store.session(sid) is None) == (name in expired), name
    assert store.participant(old_scan.id) is None and store.participant(new_scan.id) is not None
    assert store.purge_expired(NOW) == (0, 0)  # nothing left to do


def test_retention_is_chosen_at_set_up_and_can_be_changed(store):
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    assert session.retention_months == DEFAULT_RETENTION_MONTHS == 12
    assert session.delete_after == add_months(session.created_at, 12)
    short, _ = store.create_session("Regio kort", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3, retention_months=3)
    assert store.session(short.id).retention_months == 3
    store.set_retention(short.id, 24)
    store.set_closed(short.id, True)
    closed = store.session(short.id)
    assert closed.retention_months == 24 and closed.delete_after == add_months(closed.closed_at, 24)
    with pytest.raises(InvalidInput, match="bewaartermijn"):
        store.set_retention(short.id, 0)
    with pytest.raises(InvalidInput, match="bewaartermijn"):
        store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3, retention_months=600)


def test_add_months_keeps_the_day_or_takes_the_last_one():
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 12) == datetime(2027, 11, 30, tzinfo=UTC)
    assert add_months(datetime(2026, 3, 15, tzinfo=UTC), -15) == datetime(2024, 12, 15, tzinfo=UTC)


def test_the_purge_thread_runs_at_start_and_logs_counts_only(store, q, caplog):
    session, _ = build_session(store, q, name="Regio Geheim", people=[("X", "Berkdal", "raadslid", [4] * 5, 3)])
    _age(store, session.id, created=datetime(2020, 1, 1, tzinfo=UTC), closed=datetime(2020, 1, 2, tzinfo=UTC))
    caplog.set_level("INFO", logger="samenwerkingsspiegel.retention")
    earlier = retention._threads.pop(store.url, None)  # one an app page started on this database
    if earlier is not None:
        earlier.stop.set()
    thread = retention.start_daily_purge(store, interval=3600)
    try:
        assert retention.start_daily_purge(store) is thread  # one per database
        deadline = datetime.now(UTC).timestamp() + 30
        while store.session(session.id) is not None and datetime.now(UTC).timestamp() < deadline:
            thread.join(0.05)  # waits for the condition (the session gone), not a fixed time
        assert store.session(session.id) is None
    finally:
        thread.stop.set()
        thread.join(10)
    assert "1 sessie(s)" in caplog.text and "Regio Geheim" not in caplog.text


def test_a_phone_whose_session_was_deleted_gets_a_message_not_an_error(store, q):
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    p, _ = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    store.delete_session(session.id)
    with pytest.raises(SessionClosed, match="verwijderd"):  # the step page shows SessionClosed as a warning
        store.save_answers(p.id, {q.section_by_id["eerlijk"].items[0].id: 4})
    assert store.count_answers() == 0
