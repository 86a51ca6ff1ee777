"""AppTests for the workshop: set-up and sessiekaart, joining by code, the Begeleidersscherm (slides, reveal,
pause, close, links) and the read-only Presentatiescherm."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import presenter
from storage import Store
from storage.store import FACILITATOR, PROJECTOR
from ui import figures, slides

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from ui import context

    monkeypatch.setattr("ui.scan.NAV_GUARD_S", 0)  # AppTest clicks faster than anybody reads

    context.store.clear()
    yield url
    context.store.clear()


def _page(path: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(path)
    return at.run()


def _all_text(at) -> str:
    parts = []
    for kind in ("markdown", "title", "caption", "error", "info", "success", "html", "code"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    return "\n".join(parts)


def _html(at) -> str:
    return "\n".join(str(getattr(h, "value", "")) for h in at.get("html"))


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_set_up_a_session_shows_both_links_code_and_the_session_card(app_db):
    at = _page("pages/workshop.py")
    assert not at.exception
    at.text_input[0].input("Regio Rivierenland")
    at.multiselect[0].set_value(["Tiel", "Culemborg", "Buren"])
    at.button[0].click().run()
    assert not at.exception
    success = at.success[0].value
    code = success.rsplit("**", 2)[-2]
    link, projector_link = at.code[0].value, at.code[1].value
    assert "/dashboard?f=" in link and "/scherm?s=" in projector_link
    token, projector_token = link.split("f=", 1)[1], projector_link.split("s=", 1)[1]
    assert len(token) >= 43 and len(projector_token) >= 43  # 32 random bytes

    store = Store(app_db)
    session = store.session_by_facilitator_token(token)
    assert session.join_code == code
    assert session.municipalities == ("Tiel", "Culemborg", "Buren")
    assert session.min_group_size == 3 and not session.revealed and not session.closed
    assert store.session_by_projector_token(projector_token).id == session.id
    assert store.session_by_facilitator_token(projector_token) is None

    card = next(d for d in at.get("download_button") if "Sessiekaart" in d.proto.label)
    assert card.proto.label.startswith("Sessiekaart downloaden")  # its content: the browser test downloads it


def test_set_up_validation_in_dutch(app_db):
    at = _page("pages/workshop.py")
    at.multiselect[0].set_value(["Tiel"])
    at.button[0].click().run()
    message = at.error[0].value
    assert "Vul de naam van de samenwerking in." in message
    assert "Kies 2 tot en met 20 partnergemeenten." in message


def test_console_needs_a_facilitator_token(app_db):
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    _, projector = store.create_link(session.id, PROJECTOR)
    for params in ({}, {"f": "fout"}, {"f": "x" * 43}, {"f": session.join_code}, {"f": projector}):
        at = _page("pages/dashboard.py", **params)
        assert not at.exception
        assert at.title[0].value == "Geen toegang"
        assert not at.button  # no controls without the token


def test_projector_needs_a_projector_token(app_db):
    store = Store(app_db)
    session, fac = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    for params in ({}, {"s": "fout"}, {"s": fac}, {"s": session.join_code}, {"f": fac}):
        at = _page("pages/scherm.py", **params)
        assert not at.exception
        assert at.title[0].value == "Geen toegang"
        assert session.join_code not in _all_text(at)


def _session_with_answers(store, q, munis=("Tiel", "Buren", "Culemborg"), per=2):
    session, token = store.create_session("Regio", list(munis), ["raadslid"], [s.id for s in q.sections], 2)
    for n, muni in enumerate(m for m in munis for _ in range(per)):
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        store.save_answers(p.id, {i.id: 1 + (n + k) % 5 for k, i in enumerate(q.items)})
        store.finish(p.id)
    return session, token


def test_projector_renders_only_what_the_room_sees(app_db, q):
    store = Store(app_db)
    session, _ = _session_with_answers(store, q)
    _, projector = store.create_link(session.id, PROJECTOR)
    at = _page("pages/scherm.py", s=projector)
    assert not at.exception
    # No control of any kind: no buttons, downloads, inputs, links to other pages.
    for kind in (
        "button",
        "download_button",
        "text_input",
        "number_input",
        "checkbox",
        "toggle",
        "radio",
        "selectbox",
        "multiselect",
        "slider",
        "page_link",
        "link_button",
    ):
        assert not at.get(kind), kind
    html = _html(at)
    assert session.join_code in html and "Dia 1 van" in html and "Aangemeld: 6" in html

    deck = presenter.slides(session, q)
    store.set_slide(session.id, deck[1].key)  # the console moved on; results still hidden
    at.run()
    html = _html(at)
    assert slides.HIDDEN_TEXT in html and session.join_code in html  # the code stays in the corner
    assert not at.get("vega_lite_chart") and "Grootste verschil" not in html

    store.set_slide_revealed(session.id, deck[1].key, True)
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1 and slides.HIDDEN_TEXT not in _html(at)
    assert not at.get("button") and not at.get("download_button")


def test_projector_stops_when_its_link_is_revoked(app_db, q):
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    link, projector = store.create_link(session.id, PROJECTOR)
    at = _page("pages/scherm.py", s=projector)
    assert session.join_code in _html(at)
    store.revoke_link(session.id, link.id)
    at.run()  # the next poll
    assert "Geen toegang" in _all_text(at) and session.join_code not in _html(at)


def test_console_steps_reveals_pauses_and_closes(app_db, q):
    store = Store(app_db)
    session, token = _session_with_answers(store, q)
    deck = presenter.slides(session, q)
    at = _page("pages/dashboard.py", f=token)
    assert not at.exception
    assert at.title[0].value == "Begeleidersscherm"
    assert "Dia 1 van" in _html(at)
    assert _button(at, "Resultaten van deze dia tonen (T)").disabled  # nothing to show on the join slide

    _button(at, "Volgende dia →").click().run()
    assert store.presenter_view(session.id).slide == deck[1].key
    assert slides.HIDDEN_TEXT in _html(at)  # the preview shows what the room sees: hidden results
    _button(at, "Volgende dia →").click().run()
    assert store.presenter_view(session.id).slide == deck[2].key
    _button(at, "← Vorige dia").click().run()
    _button(at, "← Vorige dia").click().run()
    _button(at, "← Vorige dia").click().run()  # stops at the first slide
    assert store.presenter_view(session.id).slide == deck[0].key

    _button(at, f"3. {deck[2].title} · verborgen").click().run()  # jump from the slide list
    assert store.presenter_view(session.id).slide == deck[2].key
    _button(at, "Resultaten van deze dia tonen (T)").click().run()
    view = store.presenter_view(session.id)
    assert view.revealed(deck[2].key) and not view.revealed(deck[1].key)
    assert at.get("vega_lite_chart")  # the preview draws the chart
    _button(at, "Resultaten van deze dia verbergen (T)").click().run()
    assert not store.presenter_view(session.id).revealed(deck[2].key)

    _button(at, "Alle resultaten tonen").click().run()
    assert store.session(session.id).revealed
    assert all(store.presenter_view(session.id).revealed(s.key) for s in deck[1:])
    _button(at, "Alle resultaten verbergen").click().run()
    assert not store.session(session.id).revealed

    next(b for b in at.button if b.label.startswith("Verversen pauzeren")).click().run()
    assert at.session_state["dash_paused"] is True
    assert any(b.label.startswith("Verversen hervatten") for b in at.button)

    _button(at, "Antwoorden sluiten").click().run()
    assert store.session(session.id).closed
    join = _page("pages/start.py", code=session.join_code)
    assert "gesloten" in join.warning[0].value
    _button(at, "Sessie heropenen").click().run()
    assert not store.session(session.id).closed


def test_console_makes_and_revokes_links(app_db, q):
    store = Store(app_db)
    session, token = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    at = _page("pages/dashboard.py", f=token)
    _button(at, "Begeleiderslink voor een collega maken").click().run()
    colleague = next(c.value for c in at.code if "/dashboard?f=" in c.value).split("f=", 1)[1]
    assert store.session_by_facilitator_token(colleague).id == session.id
    _button(at, "Nieuwe presentatielink maken").click().run()
    projector = next(c.value for c in at.code if "/scherm?s=" in c.value).split("s=", 1)[1]
    assert store.session_by_projector_token(projector).id == session.id
    assert [link.kind for link in store.links(session.id)] == [FACILITATOR, FACILITATOR, PROJECTOR]

    own = store.link_by_token(token)
    assert f"revoke_{own.id}" not in [b.key for b in at.button]  # one cannot lock oneself out
    other = store.link_by_token(colleague)
    next(b for b in at.button if b.key == f"revoke_{other.id}").click().run()
    assert store.session_by_facilitator_token(colleague) is None
    revoked = _page("pages/dashboard.py", f=colleague)
    assert revoked.title[0].value == "Geen toegang" and not revoked.button
    next(b for b in at.button if b.key == f"revoke_{store.link_by_token(projector).id}").click().run()
    assert _page("pages/scherm.py", s=projector).title[0].value == "Geen toegang"

    # A console that is open when its own link is revoked (by a colleague): its buttons do nothing,
    # and at its next poll the whole page says "Geen toegang".
    _, third = store.create_link(session.id, FACILITATOR)
    store.revoke_link(session.id, own.id)
    _button(at, "Alle resultaten tonen").click().run()
    assert not store.session(session.id).revealed
    assert store.session_by_facilitator_token(third) is not None  # and it revoked nothing either
    assert at.title[0].value == "Geen toegang"
    assert not at.button and not at.get("download_button")


def test_console_counts_are_exact(app_db, q):
    """The console's live part, called as its fragment does (AppTest does not run timers)."""
    store = Store(app_db)
    session, token = store.create_session("Regio", ["Tiel", "Buren", "Culemborg"], ["raadslid"], [s.id for s in q.sections], 3)
    for muni, finish in [("Tiel", True), ("Tiel", False), ("Buren", True)]:
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        if finish:
            store.finish(p.id)

    def script(db_url, session_id):
        from questionnaire.loader import load_questionnaire
        from storage import Store
        from ui import console

        store = Store(db_url)
        console.live(store, load_questionnaire(), store.session(session_id))

    at = AppTest.from_function(script, args=(app_db, session.id), default_timeout=60).run()
    assert not at.exception
    table = next(h.value for h in at.get("html") if "Aangemeld</th>" in getattr(h, "value", ""))
    assert ">Tiel</td><td class='num'>2</td><td class='num'>1</td>" in table.replace("\n", "")
    assert ">Buren</td><td class='num'>1</td><td class='num'>1</td>" in table
    assert ">Culemborg</td><td class='num'>0</td><td class='num'>0</td>" in table
    # The room sees small counts as "minder dan 3" (the session's minimum), the console the exact ones.
    preview = _html(at)
    # The room's total adds up the shown counts only (here none): it cannot give a small count back.
    assert "minder dan 3" in preview and "Aangemeld: 0" in preview


@pytest.mark.parametrize("raw", ["abc", "0OIL12", "<script>", "K7MX3P9Q"])
def test_malformed_or_unknown_code_gets_a_dutch_message(app_db, raw):
    at = _page("pages/start.py", code=raw)
    assert not at.exception
    assert at.error and ("geen geldige deelnamecode" in at.error[0].value or "Er is geen sessie" in at.error[0].value)


def test_join_by_code_link(app_db, q):
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid", "wethouder"], ["eerlijk", "stopcriteria"], 3)
    at = _page("pages/start.py", code=session.join_code.lower())
    assert at.title[0].value == "Regio"
    at.radio[0].set_value("Buren")
    at.radio[1].set_value("wethouder")
    at.button[0].click().run()
    assert not at.exception
    assert "Stap 1 van 2" in at.get("progress")[0].proto.text  # only the session's sections are asked
    parts = store.participants_frame(session.id)
    assert parts[["municipality", "role"]].values.tolist() == [["Buren", "wethouder"]]


def test_refresh_intervals_are_a_few_seconds():
    assert 1 <= figures.REFRESH_SECONDS <= 10
    assert 1 <= figures.PROJECTOR_SECONDS <= 3


def test_answer_after_the_session_closed_is_refused_and_not_shown_as_given(app_db, q):
    """The facilitator closes while a participant is on a step: the next tap is refused with the
    Dutch message, the page redraws with the answers disabled and shows what is stored."""
    store = Store(app_db)
    session, _ = store.create_session("GR Test", ["Tiel", "Buren"], ["raadslid"], [q.sections[0].id], 3)
    p, token = store.create_participant(cooperation="GR Test", municipality="Tiel", role="raadslid", session_id=session.id)
    first, second = q.sections[0].items[:2]
    at = _page("pages/vragenlijst.py", p=token)
    at.radio[0].set_value(4)
    at.run()
    store.set_closed(session.id, True)
    at.radio[1].set_value(2)
    at.run()
    assert not at.exception
    assert store.answers_of(p.id) == {first.id: 4}
    assert any("gesloten" in w.value for w in at.warning)
    assert [r.value for r in at.radio[:2]] == [4, None]
    assert all(r.disabled for r in at.radio)
    assert second.id not in store.answers_of(p.id)


def test_revealed_charts_follow_new_answers_at_most_every_few_seconds(app_db, q, monkeypatch):
    """Counts refresh every poll; the charts (about a second of CPU each time) are rebuilt at most
    every CHART_REBUILD_SECONDS while answers come in, and then show the new answers."""
    clock = [5000.0]
    monkeypatch.setattr("ui.figures.time.monotonic", lambda: clock[0])
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 1)
    _, projector = store.create_link(session.id, PROJECTOR)
    store.set_revealed(session.id, True)
    store.set_slide(session.id, "heatmap_gemeenten")

    def person(muni: str, value: int) -> None:
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        store.save_answers(p.id, {i.id: value for i in q.items})
        store.finish(p.id)

    def caption(at) -> str:
        return next(h.value for h in at.get("html") if "sl-caption" in getattr(h, "value", ""))

    person("Tiel", 4)
    at = _page("pages/scherm.py", s=projector)
    assert not at.exception
    before = caption(at)
    assert "Buren" not in before
    person("Buren", 2)
    clock[0] += figures.PROJECTOR_SECONDS  # the next poll: the chart as it was
    at.run()
    assert caption(at) == before
    clock[0] += figures.CHART_REBUILD_SECONDS  # later: the chart includes Buren
    at.run()
    assert "Buren" in caption(at)


# ---------------------------------------------------------------- open answers: moderated before the room sees them

HOSTILE_OPEN = "Zie https://x.nl <b>vet</b> :material/home: $x$ **nu**"


def test_open_answers_reach_the_screen_only_after_approval_and_as_text(app_db, q):
    from services import open_answers

    store = Store(app_db)
    session, token = store.create_session("GR Open", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 2)
    _, projector = store.create_link(session.id, PROJECTOR)
    people = [
        store.create_participant(cooperation="GR Open", municipality=m, role="raadslid", session_id=session.id)[0]
        for m in ("Tiel", "Tiel", "Buren")
    ]
    open_answers.submit(store, people[0].id, 0, HOSTILE_OPEN)
    open_answers.submit(store, people[1].id, 0, "Eerst de begroting")
    store.set_slide(session.id, presenter.OPEN)
    store.set_slide_revealed(session.id, presenter.OPEN, True)

    room = _page("pages/scherm.py", s=projector)
    assert not room.exception
    shown = _html(room)
    assert "Eerst de begroting" not in shown and "x.nl" not in shown  # nothing before approval
    assert "Nog geen goedgekeurde antwoorden" in shown

    console = _page("pages/dashboard.py", f=token)
    assert not console.exception
    assert any("Open antwoorden" in m.value and "2 nieuw" in m.value for m in console.markdown)
    texts = [t.value for t in console.get("text")]
    assert HOSTILE_OPEN in texts  # st.text: the begeleider reads it as typed, never as markdown
    next(b for b in console.button if b.key == f"open_ok_{people[1].pseudonym}_0").click().run()
    assert not console.exception

    room = _page("pages/scherm.py", s=projector)
    shown = _html(room)
    assert "Eerst de begroting" in shown and "x.nl" not in shown  # only the approved one
    _button(console, "Alle nieuwe goedkeuren (1)").click().run()
    room = _page("pages/scherm.py", s=projector)
    shown = _html(room)
    assert "&lt;b&gt;vet&lt;/b&gt;" in shown and "<b>vet</b>" not in shown  # text, not HTML


def test_the_last_slide_names_the_three_topics(app_db, q):
    from tests.test_workshop_service import build_session

    store = Store(app_db)
    session, _ = build_session(store, q)
    _, projector = store.create_link(session.id, PROJECTOR)
    deck = presenter.slides(session, q)
    assert deck[-1].key == presenter.TOPICS
    store.set_slide(session.id, presenter.TOPICS)
    room = _page("pages/scherm.py", s=projector)
    assert slides.HIDDEN_TEXT in _html(room)  # hidden until shown, like every result
    store.set_slide_revealed(session.id, presenter.TOPICS, True)
    room = _page("pages/scherm.py", s=projector)
    shown = _html(room)
    assert "Drie onderwerpen voor het gesprek" in shown
    import findings
    from services import workshop

    for topic in workshop.conversation_topics(workshop.load_session_data(store, q, session), q):
        title, _ = findings.topic_parts(topic)
        assert f"<b>{title}</b>" in shown and topic.tip in shown
