"""Open answers: storage with moderation state, the service rules, and the phone's 'Tot slot' box (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import open_answers
from storage import InvalidInput, SessionClosed, Store
from storage.open_answers import MAX_OPEN_ANSWER

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HOSTILE = "Zie https://voorbeeld.nl :material/home: $x^2$ <b>vet</b> **sterk** [link](javascript:alert(1))"


@pytest.fixture
def workshop(store, q):
    session, _ = store.create_session("GR Test", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 3)
    people = [
        store.create_participant(cooperation="GR Test", municipality=m, role="raadslid", session_id=session.id)
        for m in ("Tiel", "Tiel", "Buren")
    ]
    return session, people


def test_answers_are_pending_until_approved_and_a_changed_text_is_moderated_again(store, q, workshop):
    session, people = workshop
    (a, _), (b, _), _ = people
    open_answers.submit(store, a.id, 0, "  Eerst de begroting  ")
    open_answers.submit(store, b.id, 0, "Wie beslist er eigenlijk?")
    assert open_answers.approved_texts(store, session.id, 0) == []
    assert open_answers.counts(store, session.id) == {"pending": 2, "approved": 0, "hidden": 0}

    assert store.set_open_answer_status(session.id, "approved", participant=a.pseudonym, position=0) == 1
    assert open_answers.approved_texts(store, session.id, 0) == ["Eerst de begroting"]
    # Saving the same text again keeps the approval; a changed text goes back to 'pending'.
    open_answers.submit(store, a.id, 0, "Eerst de begroting")
    assert open_answers.approved_texts(store, session.id, 0) == ["Eerst de begroting"]
    open_answers.submit(store, a.id, 0, "Eerst de begroting, dan de rest")
    assert open_answers.approved_texts(store, session.id, 0) == []

    assert store.set_open_answer_status(session.id, "approved", only_pending=True) == 2
    assert open_answers.approved_texts(store, session.id, 0) == ["Eerst de begroting, dan de rest", "Wie beslist er eigenlijk?"]
    store.set_open_answer_status(session.id, "hidden", participant=b.pseudonym)
    assert open_answers.approved_texts(store, session.id, 0) == ["Eerst de begroting, dan de rest"]
    # An empty answer removes it.
    open_answers.submit(store, a.id, 0, "   ")
    assert store.open_answers_of(a.id) == {}


def test_moderation_cannot_reach_another_sessions_answers(store, q, workshop):
    session, people = workshop
    other, _ = store.create_session("GR Ander", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 3)
    (a, _), _, _ = people
    open_answers.submit(store, a.id, 0, "Alleen voor deze sessie")
    assert store.set_open_answer_status(other.id, "approved") == 0
    assert store.set_open_answer_status(other.id, "approved", participant=a.pseudonym) == 0
    assert open_answers.approved_texts(store, session.id, 0) == []


def test_an_over_long_paste_is_cut_to_the_limit_with_a_message_naming_it(store, workshop):
    _, people = workshop
    (a, _), _, _ = people
    done = open_answers.submit(store, a.id, 0, "woord " * 4000)
    assert len(done.text) <= MAX_OPEN_ANSWER and done.text
    assert str(MAX_OPEN_ANSWER) in done.message
    assert store.open_answers_of(a.id)[0] == done.text
    with pytest.raises(InvalidInput):
        store.save_open_answer(a.id, 0, "x" * (MAX_OPEN_ANSWER + 1))  # the store itself refuses, too


def test_a_closed_session_refuses_open_answers(store, workshop):
    session, people = workshop
    (a, _), _, _ = people
    store.set_closed(session.id, True)
    with pytest.raises(SessionClosed):
        open_answers.submit(store, a.id, 0, "Te laat")
    assert store.open_answers_of(a.id) == {}


def test_questions_session_default_own_questions_and_zelfscan(store, q, workshop):
    session, _ = workshop
    assert open_answers.questions(store, q, session) == list(q.settings.open_questions.session_default)
    store.set_open_questions(session.id, ["Wat gaat goed?", "", "Wat moet anders?"])
    assert open_answers.questions(store, q, session) == ["Wat gaat goed?", "Wat moet anders?"]
    with pytest.raises(InvalidInput):
        store.set_open_questions(session.id, ["een", "twee", "drie"])
    assert open_answers.questions(store, q, None) == [q.settings.open_questions.zelfscan]


def test_top_words_count_each_answer_once_without_dutch_stop_words():
    texts = [
        "De begroting en de begroting",  # 'begroting' counts once for this answer
        "Begroting eerst, dan de rol van de raad",
        "De rol van de raad bij besluiten",
        "Niets",
    ]
    assert open_answers.top_words(texts) == [("begroting", 2), ("raad", 2), ("rol", 2)]
    assert open_answers.top_words(texts, min_answers=1)[:3] == [("begroting", 2), ("raad", 2), ("rol", 2)]
    assert all(w not in open_answers.stopwords() for w, _ in open_answers.top_words(texts, min_answers=1))


def test_shareable_frame_never_names_a_small_groups_municipality(store, q, workshop):
    session, people = workshop
    for n, (p, _) in enumerate(people):
        open_answers.submit(store, p.id, 0, f"Antwoord {n}")
    store.set_open_answer_status(session.id, "approved")
    frame = open_answers.shareable_frame(store, q, session, shown_municipalities={"Tiel"})
    assert list(frame.columns) == ["Vraag", "Gemeente", "Antwoord"]
    assert dict(zip(frame["Antwoord"], frame["Gemeente"], strict=True)) == {
        "Antwoord 0": "Tiel",
        "Antwoord 1": "Tiel",
        "Antwoord 2": "niet genoemd (kleine groep)",
    }
    assert "participant" not in frame.columns


def test_participant_deleted_takes_the_open_answers_along(store, workshop):
    from sqlalchemy import delete, func, select

    from storage import schema

    _, people = workshop
    (a, _), _, _ = people
    open_answers.submit(store, a.id, 0, "Weg ermee")
    with store.engine.begin() as c:
        c.execute(delete(schema.participants).where(schema.participants.c.id == a.id))
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(schema.open_answers)).scalar() == 0


# ------------------------------------------------------------------------- the phone (AppTest)


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from ui import context

    monkeypatch.setattr("ui.scan.NAV_GUARD_S", 0)
    context.store.clear()
    yield url
    context.store.clear()


def _last_step(url: str, q, *, session: bool) -> tuple[Store, int, str]:
    store = Store(url)
    sid = None
    if session:
        s, _ = store.create_session("GR Open", ["Tiel", "Buren"], ["raadslid"], [x.id for x in q.sections], 3)
        sid = s.id
    p, token = store.create_participant(cooperation="GR Open", municipality="Tiel", role="raadslid", session_id=sid)
    store.set_step(p.id, len(q.sections) - 1)
    return store, p.id, token


def _open(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["p"] = token
    at.switch_page("pages/vragenlijst.py")
    return at.run()


@pytest.mark.parametrize("session", [True, False], ids=["workshop", "zelfscan"])
def test_the_last_step_asks_the_open_question_and_stores_the_typed_text(app_env, q, session):
    store, pid, token = _last_step(app_env, q, session=session)
    at = _open(token)
    assert not at.exception
    assert any(s.value == "Tot slot" for s in at.subheader)
    expected = q.settings.open_questions.session_default[0] if session else q.settings.open_questions.zelfscan
    box = at.text_area[0]
    assert box.label.replace("\\", "") == expected
    box.input(HOSTILE).run()
    assert not at.exception
    assert store.open_answers_of(pid) == {0: HOSTILE}  # stored exactly as typed
    assert any("Opgeslagen" in c.value for c in at.caption)
    # A fresh visit (refresh) shows the stored text again.
    again = _open(token)
    assert again.text_area[0].value == HOSTILE


def test_an_over_long_paste_on_the_phone_is_cut_and_said(app_env, q):
    store, pid, token = _last_step(app_env, q, session=True)
    at = _open(token)
    at.text_area[0].input("a" * (MAX_OPEN_ANSWER + 250)).run()
    assert not at.exception
    assert len(store.open_answers_of(pid)[0]) == MAX_OPEN_ANSWER
    assert any(str(MAX_OPEN_ANSWER) in w.value for w in at.warning)
    assert at.text_area[0].value == "a" * MAX_OPEN_ANSWER


def test_a_question_typed_by_the_begeleider_is_shown_as_text(app_env, q):
    store, pid, token = _last_step(app_env, q, session=True)
    sid = store.participant(pid).session_id
    store.set_open_questions(sid, ["Wat vindt u van **dit** en :material/home: $x$?"])
    at = _open(token)
    label = at.text_area[0].label
    # Every markdown character is escaped, so Streamlit shows the question as typed; a word joiner
    # after ':' keeps Streamlit from making an icon of :material/home: (ui.text.md, issue 11).
    assert "\\*\\*dit\\*\\*" in label and "\\:\u2060material/home\\:\u2060" in label and "\\$x\\$" in label


# ------------------------------------------------------------------------- the phone (real browser)


@pytest.mark.browser
def test_typing_and_tapping_afronden_at_once_keeps_the_open_answer(tmp_path, browser, q):
    from tests.support import PHONE, settle, shot, streamlit_server

    url = f"sqlite:///{tmp_path / 'open.db'}"
    store, pid, token = _last_step(url, q, session=True)
    with streamlit_server(url) as (address, _proc):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{address}/vragenlijst?p={token}")
        settle(page)
        box = page.get_by_role("textbox", name=q.settings.open_questions.session_default[0])
        box.fill(HOSTILE)
        shot(page, "open-question-phone", full=False)
        # No blur first: the person taps the button straight from the keyboard.
        page.get_by_role("button", name="Afronden en resultaat bekijken").click()
        # Nothing else was answered, so the app first asks to confirm.
        confirm = page.get_by_role("button", name="Toch afronden en resultaat bekijken")
        confirm.wait_for()
        shot(page, "open-question-phone-confirm", full=False)
        assert store.open_answers_of(pid) == {0: HOSTILE}
        assert page.get_by_role("textbox").first.input_value() == HOSTILE
        confirm.click()
        page.get_by_text("Uw resultaat").first.wait_for()
        assert store.open_answers_of(pid) == {0: HOSTILE}
        context.close()


def test_exports_hold_open_answers_approved_for_the_raad_and_all_in_the_raw_file(store, q, workshop):
    import io

    import openpyxl

    from exports import session as session_exports
    from services.workshop import load_session_data

    session, people = workshop
    for n, (p, _) in enumerate(people):
        open_answers.submit(store, p.id, 0, f"Antwoord {n}")
    (a, _), (b, _), (c, _) = people
    store.set_open_answer_status(session.id, "approved", participant=a.pseudonym)
    store.set_open_answer_status(session.id, "approved", participant=c.pseudonym)  # Buren: 1 person, below 3
    data = load_session_data(store, q, session)

    def sheet(raw: bytes) -> list[tuple]:
        wb = openpyxl.load_workbook(io.BytesIO(raw))
        return [tuple(r) for r in wb[session_exports.OPEN_SHEET].iter_rows(values_only=True)]

    council = sheet(session_exports.council_file(data, q, "xlsx"))
    assert council[0] == ("Vraag", "Gemeente", "Antwoord")
    assert {r[2]: r[1] for r in council[1:]} == {"Antwoord 0": session_exports.NOT_NAMED, "Antwoord 2": session_exports.NOT_NAMED}
    # (No municipality of this session has numbers: Tiel has 2 and Buren 1 participant, minimum 3.)
    raw = sheet(session_exports.raw_file(data, q, "xlsx"))
    assert raw[0] == ("Vraag", "Deelnemer", "Gemeente", "Antwoord", "Status")
    assert sorted((r[3], r[4]) for r in raw[1:]) == [
        ("Antwoord 0", "goedgekeurd"),
        ("Antwoord 1", "nieuw"),
        ("Antwoord 2", "goedgekeurd"),
    ]
    assert all(r[2] == session_exports.NOT_NAMED for r in raw[1:])


def test_the_same_answer_from_several_people_is_one_line_with_a_count():
    texts = ["Kosten", "Wie beslist?", "kosten ", "Kosten", "Tempo"]
    assert open_answers.grouped(texts) == [("Kosten", 3), ("Wie beslist?", 1), ("Tempo", 1)]
