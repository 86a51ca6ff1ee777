"""Pages (AppTest): the privacy page and its footer link, retention at set-up and in the console,
deleting a session (typing its name) and one's own answers, the two kinds of export on the console."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from exports import session as ex
from storage import Store
from tests.support import ROOT, app_page

APP = str(ROOT / "app.py")


def _page(path: str, **params) -> AppTest:
    return app_page(path, **params)


def _footer_links(at: AppTest) -> list[str]:
    return [e.proto.page for e in at.get("page_link") if "privacy" in e.proto.page]


def _answer_all(store, q, pid, value=4):
    store.save_answers(pid, {i.id: value for i in q.items})


def test_the_privacy_page_says_what_is_kept_who_sees_what_how_long_and_how_to_delete(app_db):
    at = _page("pages/privacy.py")
    assert not at.exception
    assert at.title[0].value == "Privacy"
    assert [h.value for h in at.header] == ["Wat we bewaren", "Wie ziet wat", "Hoe lang we het bewaren", "Laten verwijderen"]
    text = "\n".join(m.value for m in at.markdown)
    for needed in (
        "geen IP-adressen",
        "cookies",
        "12 maanden na het sluiten",
        "Mijn antwoorden verwijderen",
        "begeleider",
        "zaal",
    ):
        assert needed in text, needed


def test_every_page_links_to_the_privacy_page_in_its_footer(app_db, q):
    store = Store(app_db)
    session, fac = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 3)
    p, token = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    done, done_token = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    _answer_all(store, q, done.id)
    store.finish(done.id)
    for path, params in [
        ("pages/start.py", {}),
        ("pages/workshop.py", {}),
        ("pages/vragenlijst.py", {"p": token}),
        ("pages/vragenlijst.py", {"p": done_token}),
        ("pages/dashboard.py", {"f": fac}),
        ("pages/privacy.py", {}),
    ]:
        at = _page(path, **params)
        assert not at.exception, path
        assert _footer_links(at), path


def test_retention_is_chosen_at_set_up(app_db):
    at = _page("pages/workshop.py")
    at.text_input[0].set_value("Regio Bewaar")
    at.multiselect[0].set_value(["Tiel", "Buren"])
    box = next(s for s in at.selectbox if s.label.startswith("Bewaartermijn"))
    assert box.value == 12
    box.set_value(6)
    at.button[0].click().run()
    assert not at.exception
    store = Store(app_db)
    with store.engine.connect() as c:
        from sqlalchemy import select

        from storage import schema as t

        sid = c.execute(select(t.sessions.c.id).where(t.sessions.c.name == "Regio Bewaar")).scalar()
    assert store.session(sid).retention_months == 6


def test_the_begeleider_deletes_a_session_only_with_its_name(app_db, q):
    store = Store(app_db)
    session, fac = store.create_session("Regio Weg", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 3)
    p, _ = store.create_participant(cooperation="Regio Weg", municipality="Tiel", role="raadslid", session_id=session.id)
    _answer_all(store, q, p.id)
    at = _page("pages/dashboard.py", f=fac)
    assert not at.exception
    name_box = next(t for t in at.text_input if t.label.startswith("Typ ter bevestiging"))
    name_box.set_value("Regio")
    next(b for b in at.button if b.label == "Sessie definitief verwijderen").click().run()
    assert any("De naam klopt niet" in e.value for e in at.error)
    assert store.session(session.id) is not None
    name_box = next(t for t in at.text_input if t.label.startswith("Typ ter bevestiging"))
    name_box.set_value("Regio Weg")
    next(b for b in at.button if b.label == "Sessie definitief verwijderen").click().run()
    assert not at.exception
    assert store.session(session.id) is None and store.count_answers() == 0
    assert any("zijn verwijderd" in s.value for s in at.success)


def test_a_participant_deletes_their_own_answers_through_their_link(app_db, q):
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 3)
    p, token = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    _answer_all(store, q, p.id)
    store.finish(p.id)
    at = _page("pages/vragenlijst.py", p=token)
    button = next(b for b in at.button if b.label == "Verwijderen")
    assert button.disabled
    next(c for c in at.checkbox if c.label == "Ja, verwijder mijn antwoorden").check().run()
    next(b for b in at.button if b.label == "Verwijderen").click().run()
    assert not at.exception
    assert any("Uw antwoorden zijn verwijderd" in s.value for s in at.success)
    assert store.participant_by_token(token) is None and store.count_answers() == 0
    # Once the session is closed, the page says to ask the begeleider.
    other, other_token = store.create_participant(
        cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id
    )
    store.set_closed(session.id, True)
    at = _page("pages/vragenlijst.py", p=other_token)
    assert not [b for b in at.button if b.label == "Verwijderen"]
    assert any("vraag het dan de begeleider" in i.value for i in at.info)


def test_the_raw_file_is_offered_only_on_the_console(app_db, q):
    store = Store(app_db)
    session, fac = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 1)
    p, token = store.create_participant(cooperation="Regio", municipality="Tiel", role="raadslid", session_id=session.id)
    _answer_all(store, q, p.id)
    store.finish(p.id)
    store.set_revealed(session.id, True)
    raw_labels = {k.label for k in ex.RAW_FILES.values()}
    council_labels = {k.label for k in ex.COUNCIL_FILES.values()}
    console = _page("pages/dashboard.py", f=fac)
    labels = {d.proto.label for d in console.get("download_button")}
    assert raw_labels <= labels and council_labels <= labels
    assert any("NIET PUBLICEREN" in w.value for w in console.warning)  # the warning next to the raw buttons
    for path, params in [("pages/vragenlijst.py", {"p": token}), ("pages/start.py", {}), ("pages/workshop.py", {})]:
        at = _page(path, **params)
        offered = {d.proto.label for d in at.get("download_button")}
        assert not offered & raw_labels, path
