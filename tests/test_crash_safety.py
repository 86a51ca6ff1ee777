"""Crash safety: the app process is killed (SIGKILL) while people are answering, and restarted.

Three phones answer at the same time in a real `streamlit run app.py` (Debian's chromium via
Playwright). Mid-way, with clicks still in flight, the server gets SIGKILL: no shutdown, no flush.
It is started again on the same port and the same database (a SQLite file, or PostgreSQL when
DATABASE_URL says so). Then:

a. every answer the app had acknowledged (the rerun after the click completed and the radio shows
   checked) is in the database, with its value; a click that was in flight is either stored
   whole or not at all;
b. each person resumes by their personal link /vragenlijst?p=<token> on the step where they
   were, with their earlier answers shown checked, and can finish.

A second test looks at the tab that stays open through the restart (Streamlit reconnects it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage import Store
from tests.support import (
    ARTIFACTS,
    PHONE,
    READY,
    ROOT,
    ScriptRuns,
    free_port,
    fresh_database_url,
    settle,
    wait_healthy,
)
from ui.scan import NAV_GUARD_S

pytestmark = pytest.mark.browser


class RestartableServer:
    """`streamlit run app.py` on a fixed port that can be killed hard and started again."""

    def __init__(self, database_url: str, port: int, log: Path):
        self.database_url, self.port, self.log = database_url, port, log
        self.proc: subprocess.Popen | None = None
        self.address = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "PYTHONUNBUFFERED": "1"}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "app.py",
                    "--server.port",
                    str(self.port),
                    "--server.address",
                    "127.0.0.1",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_healthy(self.port, self.proc)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish anything."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture
def database(tmp_path):
    return fresh_database_url(tmp_path, "crash.db")


@pytest.fixture
def server(database):
    port = free_port()
    srv = RestartableServer(database, port, ARTIFACTS / f"server-crash-{port}.log")
    srv.start()
    yield srv
    srv.stop()


@dataclass
class Person:
    id: int
    token: str
    plan: list  # ("answer", step, index, value) or ("next", step)
    page: object = None
    context: object = None
    step: int = 0  # the step the page showed after its last acknowledged action
    acknowledged: dict[str, int] = field(default_factory=dict)
    in_flight: tuple[str, int] | None = None


def steps_of(q) -> list:
    """The steps of a zelfscan: the default sections (optional modules off)."""
    return [q.section_by_id[s] for s in q.default_section_ids]


def _plan(q, person: int, answers: int) -> list:
    """Answer `answers` statements in order, with 'Volgende' between the steps."""
    plan, n = [], 0
    for step, section in enumerate(steps_of(q)):
        for index in range(len(section.items)):
            if n == answers:
                return plan
            value = 0 if (n + person) % 7 == 3 else 1 + (n + person) % 5  # now and then 'weet niet'
            plan.append(("answer", step, index, value))
            n += 1
        plan.append(("next", step))
    return plan


def _label(q, value: int) -> str:
    return q.scale.label(value)


def _shown_step(page) -> int:
    text = page.get_by_text(re.compile(r"^Stap \d+ van \d+")).first.inner_text()
    return int(text.split()[1]) - 1


def _checked(page) -> list[str | None]:
    return page.eval_on_selector_all(
        '[data-testid="stRadio"]',
        "gs => gs.map(g => { const i = g.querySelector('input:checked'); return i ? i.closest('label').innerText.trim() : null; })",
    )


def _do(person: Person, q, action) -> None:
    page = person.page
    if action[0] == "answer":
        _, _step, index, value = action
        page.locator('[data-testid="stRadio"]').nth(index).get_by_text(_label(q, value), exact=True).click()
    else:
        page.get_by_role("button", name="Volgende").click()


def _acknowledge(person: Person, q, action) -> None:
    """After settle: the click is acknowledged when the page shows its effect. For an answer that
    is the radio checked *and* the statement's 'Opgeslagen': the server draws it only after the
    database took the answer, in the rerun that followed the click."""
    page = person.page
    if action[0] == "answer":
        _, step, index, value = action
        item = steps_of(q)[step].items[index].id
        page.locator(f".st-key-statement_{item}").get_by_text("Opgeslagen").wait_for(timeout=15_000)
        assert _checked(page)[index] == _label(q, value)
        person.acknowledged[item] = value
    else:
        assert _shown_step(page) == action[1] + 1
        person.step = action[1] + 1


def _no_error_shown(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "database is locked" not in page.locator("body").inner_text().lower()


def test_sigkill_mid_answering_loses_no_acknowledged_answer(server, browser, q):
    store = Store(server.database_url)
    people = []
    # Three people at different points: early in step 1, in step 2, in step 3 (and a click each in flight).
    for n, answers in enumerate((3, 7, 12)):
        p, token = store.create_participant(cooperation="GR Crashtest", municipality="Utrecht", role="raadslid")
        people.append(Person(p.id, token, _plan(q, n, answers)))
    for person in people:
        person.context = browser.new_context(viewport=PHONE)
        person.page = person.context.new_page()
        person.page.goto(f"{server.address}/vragenlijst?p={person.token}")
    for person in people:
        settle(person.page)

    # -- everybody clicks at once, round after round; only then does each page settle
    rounds = max(len(p.plan) for p in people)
    for r in range(rounds):
        busy = [(p, p.plan[r]) for p in people if r < len(p.plan)]
        for person, action in busy:
            _do(person, q, action)
        for person, action in busy:
            settle(person.page)
            _acknowledge(person, q, action)

    # -- one more answer each, and SIGKILL while those are on their way
    for person in people:
        section = steps_of(q)[person.step]
        index = sum(1 for i in section.items if i.id in person.acknowledged)
        value = 1 + (index + person.id) % 5
        _do(person, q, ("answer", person.step, index, value))
        person.in_flight = (section.items[index].id, value)
    people[0].page.wait_for_timeout(60)
    server.kill()

    # (a) every acknowledged answer is stored, with its value; in-flight clicks are whole or absent
    check = Store(server.database_url)
    for person in people:
        stored = check.answers_of(person.id)
        assert {k: stored.get(k) for k in person.acknowledged} == person.acknowledged
        item, value = person.in_flight
        assert stored.get(item) in (None, value)
        assert set(stored) <= set(person.acknowledged) | {item}
        assert check.participant(person.id).step == person.step
    check.dispose()

    # -- the same app on the same port and database
    server.start()

    # (b) everybody comes back by their personal link, in a fresh browser
    for person in people:
        person.context.close()
        person.context = browser.new_context(viewport=PHONE)
        person.page = person.context.new_page()
        person.page.goto(f"{server.address}/vragenlijst?p={person.token}")
    after = Store(server.database_url)
    for person in people:
        page = person.page
        settle(page)
        page.get_by_text(f"Stap {person.step + 1} van {len(steps_of(q))}").first.wait_for()
        stored = after.answers_of(person.id)
        section = steps_of(q)[person.step]
        want = [_label(q, stored[i.id]) if i.id in stored else None for i in section.items]
        assert _checked(page) == want
        for index, item in enumerate(section.items):
            if item.id in person.acknowledged:
                assert want[index] == _label(q, person.acknowledged[item.id])
        _no_error_shown(page)

    # -- and everybody can go on and finish (all at once again)
    last_new = {}
    for person in people:
        section = steps_of(q)[person.step]
        index = len(section.items) - 1  # a new answer after the restart is stored as usual
        person.page.locator('[data-testid="stRadio"]').nth(index).get_by_text(_label(q, 4), exact=True).click()
        last_new[person.id] = section.items[index].id
    for person in people:
        settle(person.page)
        assert after.answers_of(person.id)[last_new[person.id]] == 4
    while moving := [p for p in people if p.step < len(steps_of(q)) - 1]:
        people[0].page.wait_for_timeout(int(NAV_GUARD_S * 1000) + 100)  # a look at the step (no answers)
        for person in moving:
            person.page.get_by_role("button", name="Volgende").click()
        for person in moving:
            settle(person.page)
            person.step += 1
            assert _shown_step(person.page) == person.step
    for person in people:
        person.page.get_by_role("button", name="Afronden en resultaat bekijken").click()
    for person in people:  # statements were left open: the page says which, then 'Toch afronden'
        settle(person.page)
        person.page.get_by_text("open gelaten").first.wait_for()
        person.page.get_by_role("button", name="Toch afronden en resultaat bekijken").click()
    for person in people:
        settle(person.page)
        person.page.get_by_text("Uw resultaat").first.wait_for()
        _no_error_shown(person.page)
        assert after.participant(person.id).finished
        stored = after.answers_of(person.id)
        assert {k: stored.get(k) for k in person.acknowledged} == person.acknowledged
        person.context.close()
    after.dispose()
    store.dispose()


def test_tab_left_open_through_a_restart_stores_its_next_answer(server, browser, q):
    store = Store(server.database_url)
    p, token = store.create_participant(cooperation="GR Crashtest", municipality="Utrecht", role="raadslid")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    runs = ScriptRuns(page)
    page.goto(f"{server.address}/vragenlijst?p={token}")
    settle(page)
    items = [i.id for i in steps_of(q)[0].items]
    page.locator('[data-testid="stRadio"]').nth(0).get_by_text(_label(q, 4), exact=True).click()
    settle(page)
    before = runs.finished
    server.kill()
    server.start()
    page.wait_for_selector(READY, timeout=30_000)  # Streamlit reconnects by itself
    # The reconnected page reruns once the new process has imported everything (seconds on a busy
    # machine), without showing that it runs. A tap before that run ends goes to a server session
    # that has not drawn the statement yet and is dropped by Streamlit ("fragment does not exist
    # anymore"): a known gap of a few seconds after a restart, left open (see README). Wait until
    # the new server says that run has finished (its websocket message), then tap.
    runs.wait_for_more_than(before)
    settle(page)
    assert _shown_step(page) == 0 and _checked(page)[0] == _label(q, 4)
    page.locator('[data-testid="stRadio"]').nth(1).get_by_text(_label(q, 2), exact=True).click()
    settle(page)
    assert _checked(page)[1] == _label(q, 2)  # the person sees it as answered …
    # … so it must be stored: poll the database.
    deadline = time.monotonic() + 45
    while (stored := store.answers_of(p.id)) != {items[0]: 4, items[1]: 2} and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    context.close()
    store.dispose()
    assert stored == {items[0]: 4, items[1]: 2}
