"""AppTests for the workshop: set-up, joining by code, reveal/hide, pause and close."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from storage import Store
from ui import dashboard

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


def test_set_up_a_session_shows_link_and_code_once(app_db):
    at = _page("pages/workshop.py")
    assert not at.exception
    at.text_input[0].input("Regio Rivierenland")
    at.multiselect[0].set_value(["Tiel", "Culemborg", "Buren"])
    at.button[0].click().run()
    assert not at.exception
    success = at.success[0].value
    code = success.rsplit("**", 2)[-2]
    link = at.code[0].value
    assert "/dashboard?f=" in link
    token = link.split("f=", 1)[1]
    assert len(token) >= 43  # 32 random bytes: at least 128 bits as asked, 256 in fact

    store = Store(app_db)
    session = store.session_by_facilitator_token(token)
    assert session.join_code == code
    assert session.municipalities == ("Tiel", "Culemborg", "Buren")
    assert session.min_group_size == 3 and not session.revealed and not session.closed


def test_set_up_validation_in_dutch(app_db):
    at = _page("pages/workshop.py")
    at.multiselect[0].set_value(["Tiel"])
    at.button[0].click().run()
    message = at.error[0].value
    assert "Vul de naam van de samenwerking in." in message
    assert "Kies 2 tot en met 20 partnergemeenten." in message


def test_dashboard_needs_the_facilitator_token(app_db):
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    for params in ({}, {"f": "fout"}, {"f": "x" * 43}, {"f": session.join_code}):
        at = _page("pages/dashboard.py", **params)
        assert not at.exception
        assert at.title[0].value == "Geen toegang"
        assert not at.button  # no controls without the token


def test_reveal_hide_pause_and_close(app_db, q):
    store = Store(app_db)
    session, token = store.create_session("Regio", ["Tiel", "Buren", "Culemborg"], ["raadslid"], [s.id for s in q.sections], 3)
    at = _page("pages/dashboard.py", f=token)
    assert not at.exception
    assert any("Resultaten verborgen" in h.value for h in at.get("html") if hasattr(h, "value"))
    assert any("nog verborgen" in i.value for i in at.info)

    next(b for b in at.button if b.label.startswith("Resultaten tonen")).click().run()
    assert store.session(session.id).revealed
    assert not any("nog verborgen" in i.value for i in at.info)
    next(b for b in at.button if b.label.startswith("Resultaten verbergen")).click().run()
    assert not store.session(session.id).revealed

    next(b for b in at.button if b.label.startswith("Verversen pauzeren")).click().run()
    assert at.session_state["dash_paused"] is True
    assert any(b.label.startswith("Verversen hervatten") for b in at.button)

    next(b for b in at.button if b.label == "Antwoorden sluiten").click().run()
    assert store.session(session.id).closed
    join = _page("pages/start.py", code=session.join_code)
    assert "gesloten" in join.warning[0].value
    next(b for b in at.button if b.label == "Sessie heropenen").click().run()
    assert not store.session(session.id).closed


def test_live_panel_counts_per_municipality(app_db, q):
    """The fragment's function, called directly (AppTest does not run timers)."""
    store = Store(app_db)
    session, token = store.create_session("Regio", ["Tiel", "Buren", "Culemborg"], ["raadslid"], [s.id for s in q.sections], 3)
    for muni, finish in [("Tiel", True), ("Tiel", False), ("Buren", True)]:
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        if finish:
            store.finish(p.id)

    def script(db_url, session_id):
        from questionnaire.loader import load_questionnaire
        from storage import Store
        from ui import dashboard

        dashboard.live_panel(Store(db_url), load_questionnaire(), session_id)

    at = AppTest.from_function(script, args=(app_db, session.id), default_timeout=60).run()
    assert not at.exception
    table = next(h.value for h in at.get("html") if "Aangemeld" in getattr(h, "value", ""))
    assert "<td>" in table
    # The room sees counts below the minimum (3) as "minder dan 3"; the total adds up shown counts only.
    assert ">Tiel</td><td class='num'>minder dan 3</td><td class='num'>minder dan 3</td>" in table.replace("\n", "")
    assert ">Buren</td><td class='num'>minder dan 3</td><td class='num'>minder dan 3</td>" in table
    assert ">Culemborg</td><td class='num'>0</td><td class='num'>0</td>" in table
    assert "<b>Totaal</b></td><td class='num'><b>0</b>" in table
    assert any("het totaal telt alleen de getoonde aantallen" in c.value for c in at.caption)


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


def test_refresh_interval_is_a_few_seconds():
    assert 1 <= dashboard.REFRESH_SECONDS <= 10


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
    monkeypatch.setattr("ui.dashboard.time.monotonic", lambda: clock[0])
    store = Store(app_db)
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], [s.id for s in q.sections], 1)
    store.set_revealed(session.id, True)

    def person(muni: str, value: int) -> None:
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        store.save_answers(p.id, {i.id: value for i in q.items})
        store.finish(p.id)

    def script(session_id):
        from ui import context, dashboard

        dashboard.live_panel(context.store(), context.questionnaire(), session_id)  # as the page does

    person("Tiel", 4)
    at = AppTest.from_function(script, args=(session.id,), default_timeout=60).run()
    assert not at.exception
    before = [d.value.to_csv() for d in at.dataframe]
    person("Buren", 2)
    clock[0] += dashboard.REFRESH_SECONDS  # the next poll: counts new, charts as they were
    at.run()
    counts = next(h.value for h in at.get("html") if "Aangemeld" in getattr(h, "value", ""))
    assert ">Buren</td><td class='num'>1</td>" in counts
    assert [d.value.to_csv() for d in at.dataframe] == before
    clock[0] += dashboard.CHART_REBUILD_SECONDS  # later: the charts include Buren
    at.run()
    after = [d.value.to_csv() for d in at.dataframe]
    assert after != before and any("Buren" in t for t in after)
