"""Concurrency and idempotence: many writers at once, two tabs, double taps and dropped connections.

The storage tests run on SQLite and, when DATABASE_URL points at PostgreSQL (as in .ci/run), on
PostgreSQL too. The browser tests drive a real `streamlit run` in Debian's chromium at phone size.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, func, select

from storage import Store, schema
from tests.support import PHONE, POSTGRES_ONLY, READY, drop_everything, fresh_database_url, postgres_url, settle, streamlit_server
from ui.scan import NAV_GUARD_S

THREADS = 16


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    """The same tests on a SQLite file and on PostgreSQL (the latter only when DATABASE_URL says so)."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'concurrency.db'}")
    else:
        url = postgres_url()
        if not url:
            pytest.skip(POSTGRES_ONLY)
        s = Store(url)
        drop_everything(s.engine)
        s.dispose()
        s = Store(url)
    yield s
    s.dispose()


def _rows(store: Store) -> list[tuple[int, str]]:
    with store.engine.connect() as c:
        return [tuple(r) for r in c.execute(select(schema.answers.c.participant_id, schema.answers.c.item))]


def _run_threads(target, n: int = THREADS) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def run(k: int) -> None:
        try:
            start.wait()
            target(k)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion in the test
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    return errors


def test_many_threads_overlapping_upserts_one_row_per_item(any_store):
    """16 threads write overlapping participants and items, several items per transaction and in
    random order (as phones and double submits would): no error escapes, one row per
    (participant, item), and each row holds a value somebody wrote for it."""
    store = any_store
    seen: list[str] = []  # every database error, also the ones the Store retried away
    event.listen(store.engine, "handle_error", lambda ctx: seen.append(str(ctx.original_exception).splitlines()[0]))
    people = [store.create_participant(cooperation="GR", municipality="A", role="raadslid")[0] for _ in range(4)]
    items = [f"i{n:02d}" for n in range(12)]
    written: dict[tuple[int, str], set[int]] = {}
    lock = threading.Lock()

    def writer(k: int) -> None:
        rnd = random.Random(k)
        for round_ in range(15):
            p = people[(k + round_) % len(people)]
            chosen = rnd.sample(items, rnd.randint(1, 5))
            values = {item: rnd.randint(0, 5) for item in chosen}
            with lock:
                for item, v in values.items():
                    written.setdefault((p.id, item), set()).add(v)
            store.save_answers(p.id, values, step=rnd.randint(0, 6))

    errors = _run_threads(writer)
    assert errors == [], errors[:3]
    # Answer rows are locked in one order, so PostgreSQL finds no deadlocks and SQLite's busy
    # timeout absorbs the waiting: not even a retried error.
    assert seen == [], seen[:3]
    rows = _rows(store)
    assert len(rows) == len(set(rows)) == len(written)
    for p in people:
        for item, v in store.answers_of(p.id).items():
            assert v in written[(p.id, item)]


def test_many_threads_same_item_last_write_wins(any_store):
    """All threads hammer the same answer; afterwards a final write is what is stored."""
    store = any_store
    p, _ = store.create_participant(cooperation="GR", municipality="A", role="raadslid")

    def writer(k: int) -> None:
        for n in range(10):
            store.save_answers(p.id, {"same": 1 + (k + n) % 5, f"own{k}": n % 5}, step=n % 7)

    errors = _run_threads(writer)
    assert errors == [], errors[:3]
    store.save_answers(p.id, {"same": 3})
    answers = store.answers_of(p.id)
    assert answers["same"] == 3
    assert len(answers) == 1 + THREADS
    assert store.count_answers() == 1 + THREADS


def test_many_threads_joining_and_finishing(any_store):
    """Joining a session, answering and finishing at once: unique pseudonyms, every finish lands."""
    store = any_store
    s, _ = store.create_session("Regio", ["A", "B", "C"], ["raadslid"], ["eerlijk"], 3)
    joined: list[int] = []

    def person(k: int) -> None:
        p, _ = store.create_participant(cooperation=s.name, municipality="ABC"[k % 3], role="raadslid", session_id=s.id)
        joined.append(p.id)
        store.save_answers(p.id, {"x": 1 + k % 5, "y": 2}, step=1)
        store.save_answers(p.id, {"x": 1 + k % 5})  # a double submit
        store.finish(p.id)
        store.finish(p.id)  # and a double tap on 'Afronden'

    errors = _run_threads(person)
    assert errors == [], errors[:3]
    assert len(set(joined)) == THREADS
    counts = store.session_counts(s.id)
    assert counts["joined"].sum() == THREADS and counts["finished"].sum() == THREADS
    assert store.count_answers(s.id) == 2 * THREADS
    assert store.participants_frame(s.id)["participant"].is_unique


def test_sqlite_writer_waits_for_a_held_lock(tmp_path):
    """Another process holds the write lock for a while (a long write, a backup): the Store waits
    (busy timeout, then retries) instead of letting 'database is locked' reach a participant."""
    path = tmp_path / "locked.db"
    store = Store(f"sqlite:///{path}")
    p, _ = store.create_participant(cooperation="GR", municipality="A", role="raadslid")
    other = sqlite3.connect(path, isolation_level=None, timeout=1, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # takes the write lock
    other.execute("UPDATE participants SET step = 6")
    released = threading.Event()

    def release() -> None:
        time.sleep(1.5)
        other.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    t0 = time.monotonic()
    store.save_answers(p.id, {"x": 4}, step=2)
    assert released.is_set() and time.monotonic() - t0 >= 1.0  # it really waited for the lock
    assert store.answers_of(p.id) == {"x": 4} and store.participant(p.id).step == 2
    other.close()
    store.dispose()


def test_retry_gives_up_only_on_other_errors(tmp_path):
    """The retry covers 'database is locked' / busy and deadlocks, nothing else, and has a deadline."""
    from sqlalchemy.exc import OperationalError

    store = Store(f"sqlite:///{tmp_path / 'retry.db'}")
    calls = {"n": 0}

    def flaky():
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
        return "ok"

    assert store._retry(flaky) == "ok" and calls["n"] == 3

    def broken():
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: x"))

    with pytest.raises(OperationalError):
        store._retry(broken)

    # A lock that never goes away reaches the caller after the deadline, not after 8 busy timeouts.
    store.RETRY_DEADLINE = 0.0
    calls["n"] = 0
    with pytest.raises(OperationalError, match="locked"):
        store._retry(flaky)
    assert calls["n"] == 1
    store.dispose()


# ----------------------------------------------------------------------------------------- browser

# Lets a test cut the page's websocket as a dropped mobile connection would.
TRACK_SOCKETS = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  function Tracked(...args) { const s = new Native(...args); window.__sockets.push(s); return s; }
  Tracked.prototype = Native.prototype;
  Object.assign(Tracked, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Tracked;
})()"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory.mktemp("concurrency"), "app.db")
    with streamlit_server(url) as (address, _proc):
        store = Store(url)
        yield address, store
        store.dispose()


def _new_person(store: Store) -> tuple[int, str]:
    p, token = store.create_participant(cooperation="GR Gelijktijdig", municipality="Utrecht", role="raadslid")
    return p.id, token


def _open(context, address: str, token: str):
    page = context.new_page()
    page.goto(f"{address}/vragenlijst?p={token}")
    settle(page)
    return page


def _no_error_shown(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text().lower()
    assert "database is locked" not in text and "operationalerror" not in text and "traceback" not in text


def _radio(page, n: int):
    return page.locator('[data-testid="stRadio"]').nth(n)


def _checked_label(page, n: int) -> str | None:
    return _radio(page, n).evaluate(
        "g => { const i = g.querySelector('input:checked'); return i ? i.closest('label').innerText.trim() : null; }"
    )


def _double_tap(locator, gap_ms: int = 0) -> None:
    """Two taps on the same spot, `gap_ms` apart (as a hasty thumb does)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    locator.page.mouse.click(x, y)
    if gap_ms:
        locator.page.wait_for_timeout(gap_ms)
    locator.page.mouse.click(x, y)


def _item_rows(store: Store, participant_id: int) -> list[tuple[str, int]]:
    with store.engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                select(schema.answers.c.item, func.count())
                .where(schema.answers.c.participant_id == participant_id)
                .group_by(schema.answers.c.item)
            )
        ]


@pytest.mark.browser
def test_two_tabs_same_person_last_write_wins(server, browser, q):
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    a, b = _open(ctx, address, token), _open(ctx, address, token)
    items = [i.id for i in q.sections[0].items]

    def tap(page, n: int, label: str) -> None:
        page.bring_to_front()  # the person switches tabs (a background tab barely renders)
        _radio(page, n).get_by_text(label, exact=True).click()

    def done(page) -> None:
        page.bring_to_front()
        settle(page)

    tap(a, 0, "Eens")  # different items in the two tabs
    tap(b, 1, "Oneens")
    done(a)
    done(b)
    tap(a, 2, "Helemaal eens")  # the same item, A first …
    done(a)
    tap(b, 2, "Neutraal")  # … then B: B wins
    done(b)
    tap(a, 3, "Eens")  # the same item at the same moment
    tap(b, 3, "Eens")
    done(a)
    done(b)

    answers = store.answers_of(pid)
    assert answers == {items[0]: 4, items[1]: 2, items[2]: 3, items[3]: 4}
    assert all(count == 1 for _, count in _item_rows(store, pid))
    for page in (a, b):
        _no_error_shown(page)
    # A fresh look at the link shows what is stored (last write wins).
    c = _open(browser.new_context(viewport=PHONE), address, token)
    assert [_checked_label(c, n) for n in range(4)] == ["Eens", "Oneens", "Neutraal", "Eens"]
    _no_error_shown(c)
    c.context.close()
    ctx.close()


@pytest.mark.browser
def test_double_tap_on_an_answer_stores_it_once(server, browser, q):
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    page = _open(ctx, address, token)
    first = q.sections[0].items[0].id
    option = _radio(page, 0).get_by_text("Eens", exact=True)
    option.dblclick()
    settle(page)
    _double_tap(_radio(page, 1).get_by_text("Oneens", exact=True))  # two taps without waiting in between
    settle(page)
    assert store.answers_of(pid) == {first: 4, q.sections[0].items[1].id: 2}
    assert all(count == 1 for _, count in _item_rows(store, pid))
    assert [_checked_label(page, n) for n in range(2)] == ["Eens", "Oneens"]
    assert store.participant(pid).step == 0
    _no_error_shown(page)
    ctx.close()


def _shown_step(page) -> int:
    page.get_by_text("Stap ").first.wait_for()
    return int(page.get_by_text("Stap ").first.inner_text().split()[1]) - 1


@pytest.mark.browser
def test_double_submit_on_next_never_breaks(server, browser, q):
    """Quick taps on 'Volgende': no error, no duplicate answers, and the page and the database
    agree on the step (so the personal link resumes where the person sees themselves)."""
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    page = _open(ctx, address, token)
    _radio(page, 0).get_by_text("Neutraal", exact=True).click()
    settle(page)

    page.get_by_role("button", name="Volgende").dblclick()  # a real double click: one step
    settle(page)
    assert _shown_step(page) == store.participant(pid).step == 1

    # A press within NAV_GUARD_S of the last move is the tail of a double tap and is ignored, so the
    # person first looks at the new step, then taps twice: exactly one step further.
    page.wait_for_timeout(int(NAV_GUARD_S * 1000) + 200)
    _double_tap(page.get_by_role("button", name="Volgende"))
    settle(page)
    step = store.participant(pid).step
    assert step == 2 and _shown_step(page) == step
    assert store.answers_of(pid) == {q.sections[0].items[0].id: 3}
    assert all(count == 1 for _, count in _item_rows(store, pid))
    _no_error_shown(page)
    fresh = _open(browser.new_context(viewport=PHONE), address, token)
    assert _shown_step(fresh) == step
    fresh.context.close()
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "gap_ms",
    [0, 300],
    ids=["fast", "slow"],
)
def test_double_tap_on_next_moves_exactly_one_step(server, browser, gap_ms):
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    page = _open(ctx, address, token)
    _double_tap(page.get_by_role("button", name="Volgende"), gap_ms)
    settle(page)
    step = store.participant(pid).step
    ctx.close()
    assert step == 1


@pytest.mark.browser
def test_offline_mid_step_then_back_stores_the_answer_once(server, browser, q):
    """The phone goes offline, the person taps an answer, the network comes back: the answer
    arrives once and the page shows it."""
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    page = _open(ctx, address, token)
    item = q.sections[0].items[0].id
    ctx.set_offline(True)
    _radio(page, 0).get_by_text("Oneens", exact=True).click()
    page.wait_for_timeout(800)
    ctx.set_offline(False)
    settle(page)
    deadline = time.time() + 15
    while store.answers_of(pid) != {item: 2} and time.time() < deadline:
        page.wait_for_timeout(200)
    assert store.answers_of(pid) == {item: 2}
    assert _item_rows(store, pid) == [(item, 1)]
    assert _checked_label(page, 0) == "Oneens"
    _no_error_shown(page)
    ctx.close()


@pytest.mark.browser
def test_dropped_connection_reconnects_and_a_retry_is_stored_once(server, browser, q):
    """The websocket really drops while offline (as on a phone that loses its network). Streamlit
    reconnects once the network is back; the answer given before the drop is still shown, and the
    person's retry of the answer they were giving is stored exactly once."""
    address, store = server
    pid, token = _new_person(store)
    ctx = browser.new_context(viewport=PHONE)
    ctx.add_init_script(TRACK_SOCKETS)
    page = _open(ctx, address, token)
    items = [i.id for i in q.sections[0].items]
    _radio(page, 0).get_by_text("Eens", exact=True).click()
    settle(page)

    ctx.set_offline(True)
    page.evaluate("window.__sockets.forEach(s => s.close())")
    page.wait_for_function("document.querySelector('[data-testid=\"stApp\"]').dataset.testConnectionState !== 'CONNECTED'")
    try:  # the tap while disconnected (Streamlit shows no widgets then, so it usually cannot land)
        _radio(page, 1).get_by_text("Helemaal oneens", exact=True).click(timeout=1000)
    except Exception:  # noqa: BLE001 - nothing to tap is fine
        pass
    page.wait_for_timeout(500)
    ctx.set_offline(False)
    page.wait_for_selector(READY, timeout=30_000)
    settle(page)
    assert _checked_label(page, 0) == "Eens"  # the answer from before the drop, from the database
    if _checked_label(page, 1) != "Helemaal oneens":
        _radio(page, 1).get_by_text("Helemaal oneens", exact=True).click()  # the retry
        settle(page)
    assert store.answers_of(pid) == {items[0]: 4, items[1]: 1}
    assert sorted(_item_rows(store, pid)) == sorted([(items[0], 1), (items[1], 1)])
    _no_error_shown(page)
    ctx.close()
