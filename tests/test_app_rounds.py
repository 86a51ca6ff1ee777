"""AppTests for the evaluation cycle: the cooperation record at set-up, the next round from the
Begeleidersscherm, and a cooperation's zelfscan link."""

from __future__ import annotations

from datetime import date

from services import cooperation
from storage import Store
from tests.support import app_page


def _by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def _text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "code"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    return "\n".join(parts)


def _fill_set_up(at, moments: str):
    at.text_input[0].input("GR Sociaal Domein Rivierenland")
    at.multiselect[0].set_value(["Tiel", "Culemborg", "Buren"])
    _by_label(at.selectbox, "Vorm van de samenwerking").set_value("gr_bedrijfsvoeringsorganisatie")
    _by_label(at.selectbox, "Domein").set_value("sociaal_domein")
    _by_label(at.text_input, "Evaluatiemomenten uit de regeling (mag leeg blijven)").input(moments)


def test_set_up_records_the_cooperation_and_a_bad_date_creates_nothing(app_db):
    at = app_page("pages/workshop.py")
    _fill_set_up(at, "1 juni 2027, 31-2-2028")
    at.button[0].click().run()
    assert not at.exception
    assert any("‘31-2-2028’ bestaat niet als datum" in e.value for e in at.error)
    store = Store(app_db)
    with store.engine.connect() as c:
        from sqlalchemy import func, select

        from storage import schema

        assert c.execute(select(func.count()).select_from(schema.sessions)).scalar() == 0
        assert c.execute(select(func.count()).select_from(schema.cooperations)).scalar() == 0

    _by_label(at.text_input, "Evaluatiemomenten uit de regeling (mag leeg blijven)").input("1 juni 2027; 01-06-2031")
    at.button[0].click().run()
    assert not at.exception and at.success
    token = at.code[0].value.split("f=", 1)[1]
    session = store.session_by_facilitator_token(token)
    coop = store.cooperation_of_session(session.id)
    assert coop.name == "GR Sociaal Domein Rivierenland" and coop.municipalities == ("Tiel", "Culemborg", "Buren")
    assert (coop.form, coop.domain) == ("gr_bedrijfsvoeringsorganisatie", "sociaal_domein")
    assert coop.evaluation_moments == (date(2027, 6, 1), date(2031, 6, 1))
    assert [r.session_id for r in store.rounds(coop.id)] == [session.id]


def test_the_next_round_is_one_click_on_the_begeleidersscherm(app_db, q):
    store = Store(app_db)
    first, token = cooperation.start_first_round(
        store,
        q,
        name="GR Afval",
        municipalities=["Tiel", "Buren"],
        form="gr_openbaar_lichaam",
        domain="afval",
        required_kind=None,
        evaluation_moments=[date(2027, 1, 1)],
        setup=cooperation.RoundSetup(["raadslid", "griffier"], ["fundament", "eerlijk"], 4, 6, ["Wat moet beter?"]),
    )
    at = app_page("pages/dashboard.py", f=token)
    assert not at.exception
    assert "Ronde 1 (" in _text(at) and "Vorm: Gemeenschappelijke regeling: openbaar lichaam" in _text(at)
    next(b for b in at.button if b.label == "Ronde 2 aanmaken").click().run()
    assert not at.exception
    assert any("De sessie is aangemaakt" in s.value for s in at.success)
    new_token = at.code[0].value.split("f=", 1)[1]
    second = store.session_by_facilitator_token(new_token)
    assert second is not None and second.id != first.id
    assert second.municipalities == ("Tiel", "Buren") and second.sections == ("fundament", "eerlijk")
    assert second.roles == ("raadslid", "griffier") and second.min_group_size == 4 and second.retention_months == 6
    assert store.open_questions(second.id) == ["Wat moet beter?"]
    assert [r.session_id for r in store.rounds(store.cooperation_of_session(first.id).id)] == [first.id, second.id]
    # Its own Begeleidersscherm says it is round 2 of 2.
    at2 = app_page("pages/dashboard.py", f=new_token)
    assert not at2.exception
    assert any("ronde 2 van 2" in e.label for e in at2.expander)


def test_a_cooperations_zelfscan_link_fills_in_its_name_and_partners(app_db, q):
    store = Store(app_db)
    first, _ = cooperation.start_first_round(
        store,
        q,
        name="Omgevingsdienst Rivierenland",
        municipalities=["Tiel", "Buren", "Culemborg"],
        form="gr_openbaar_lichaam",
        domain="omgeving_milieu",
        required_kind="omgevingsdienst",
        evaluation_moments=[],
        setup=cooperation.RoundSetup(["raadslid"], ["fundament"], 3, 12, []),
    )
    coop = store.cooperation_of_session(first.id)
    at = app_page("pages/start.py", samenwerking=coop.scan_key)
    assert not at.exception
    assert "Samenwerking: **Omgevingsdienst Rivierenland**" in _text(at)
    muni = _by_label(at.selectbox, "Uw gemeente")
    assert list(muni.options) == ["Tiel", "Buren", "Culemborg"]
    muni.set_value("Buren")
    _by_label(at.selectbox, "Uw rol").set_value("wethouder")
    next(b for b in at.button if b.label == "Start de zelfscan").click().run()
    assert not at.exception
    with store.engine.connect() as c:
        from sqlalchemy import select

        from storage import schema

        (row,) = c.execute(select(schema.scan_records)).all()
        p = c.execute(select(schema.participants).where(schema.participants.c.id == row.participant_id)).first()
    assert row.cooperation_id == coop.id and row.content_hash
    assert p.cooperation == "Omgevingsdienst Rivierenland" and p.municipality == "Buren" and p.session_id is None
    assert store.participant_options(row.participant_id)[0] == "omgevingsdienst"  # legally required, from the record


def test_an_unknown_zelfscan_link_says_so_and_the_zelfscan_still_works(app_db):
    at = app_page("pages/start.py", samenwerking="bestaat-niet")
    assert not at.exception
    assert any("hoort bij geen bekende samenwerking" in w.value for w in at.warning)
    assert _by_label(at.text_input, "Naam van de samenwerking") is not None
