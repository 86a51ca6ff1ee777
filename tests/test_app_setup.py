"""AppTest: the set-up choices of issue 12 — legally required cooperation and optional modules —
in the zelfscan start form and the workshop form, stored and used for the steps and the advice."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from services import scan
from storage import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SKIPPED = {"stop_taken_zelf_doen", "stop_fusie_voorkomen", "stop_druk_van_buiten"}


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from ui import context

    monkeypatch.setattr("ui.scan.NAV_GUARD_S", 0)
    context.store.clear()
    yield url
    context.store.clear()


def _select(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def _labels(at: AppTest) -> list[str]:
    return [r.label.split(". ", 1)[1] for r in at.radio]


def test_zelfscan_default_asks_no_optional_module(app_db, q):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [c.label for c in at.checkbox] == ["Succesfactoren en spanningen", "Vorm en structuur"]
    assert not any(c.value for c in at.checkbox)
    assert _select(at, "Is deze samenwerking wettelijk verplicht?").value is None
    at.text_input[0].input("GR Test")
    _select(at, "Uw gemeente").select("Utrecht")
    _select(at, "Uw rol").select("raadslid")
    at = at.button[0].click().run()
    store = Store(app_db)
    p = store.participant_by_token(at.query_params["p"])
    assert store.participant_options(p.id) == (None, None)  # nothing chosen: no row
    assert "Stap 1 van 8" in at.get("progress")[0].proto.text


def test_zelfscan_of_a_required_cooperation_with_both_modules(app_db, q):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("Omgevingsdienst Test")
    _select(at, "Uw gemeente").select("Utrecht")
    _select(at, "Uw rol").select("griffier")
    _select(at, "Is deze samenwerking wettelijk verplicht?").select("omgevingsdienst")
    for c in at.checkbox:
        c.check()
    at = at.button[0].click().run()
    assert not at.exception
    store = Store(app_db)
    p = store.participant_by_token(at.query_params["p"])
    kind, sections = store.participant_options(p.id)
    assert kind == "omgevingsdienst"
    assert list(sections) == [s.id for s in q.sections]  # the default sections plus both modules
    assert "Stap 1 van 10" in at.get("progress")[0].proto.text
    steps = scan.steps_for(q, store, p, None)
    assert [s.id for s in steps] == [s.id for s in q.sections]
    asked = {i.id for s in steps for i in s.items}
    assert not asked & SKIPPED


def test_workshop_form_leaves_optional_modules_off_and_stores_required(app_db, q):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/workshop.py").run()
    sections = next(m for m in at.multiselect if m.label == "Onderdelen van de vragenlijst")
    assert list(sections.value) == q.default_section_ids
    at.text_input[0].input("Veiligheidsregio Test")
    next(m for m in at.multiselect if m.label.startswith("Partnergemeenten")).set_value(["Tiel", "Buren", "Culemborg"])
    _select(at, "Is deze samenwerking wettelijk verplicht?").select("veiligheidsregio")
    at = next(b for b in at.button if b.label == "Sessie aanmaken").click().run()
    assert not at.exception
    token = at.code[0].value.split("f=", 1)[1]
    store = Store(app_db)
    session = store.session_by_facilitator_token(token)
    assert list(session.sections) == q.default_section_ids
    assert store.session_required(session.id) == "veiligheidsregio"
    # a participant of this session is not asked the three statements
    p, _ = store.create_participant(cooperation="x", municipality="Tiel", role="raadslid", session_id=session.id)
    assert not {i.id for s in scan.steps_for(q, store, p, session) for i in s.items} & SKIPPED
    # and the session's advice never says stoppen: everyone agrees with every stop statement
    from services import workshop

    store.save_answers(p.id, {i.id: 5 for s in scan.steps_for(q, store, p, session) for i in s.items})
    data = workshop.load_session_data(store, q, session)
    assert data.required_kind == "veiligheidsregio"
    assert data.advice["advice"].tolist() == ["wettelijk_bijsturen"]


def test_store_options_round_trip(store):
    session, _ = store.create_session("Regio", ["Tiel", "Buren"], ["raadslid"], ["eerlijk"], 3)
    assert store.session_required(session.id) is None
    store.set_session_required(session.id, "ggd")
    store.set_session_required(session.id, "ggd")  # again: one row, no error
    assert store.session_required(session.id) == "ggd"
    store.set_session_required(session.id, None)
    assert store.session_required(session.id) is None
    p, _ = store.create_participant(cooperation="x", municipality="Tiel", role="raadslid")
    store.set_participant_options(p.id, sections=["eerlijk", "vorm"])
    assert store.participant_options(p.id) == (None, ("eerlijk", "vorm"))
    store.set_participant_options(p.id, required_kind="ggd")
    assert store.participant_options(p.id) == ("ggd", None)
