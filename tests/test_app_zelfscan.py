"""AppTest: the zelfscan from the start page to the result, with a known answer set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from storage import Participant, Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")

# The known answer set (0 = weet niet). Expected results, computed by hand from the README rules
# (scores rounded once, half up, to one decimal; the band comes from the rounded score):
ANSWERS = {
    # fundament: (5 + 4 + 3 + (6 - 2)) / 4 answered = 16 / 4 = 4.0 -> Sterk (the 0 does not count)
    "fundament_doel_bekend": 5,
    "fundament_urgentie_eigen": 4,
    "fundament_mensen_vrijgemaakt": 0,
    "fundament_geld_beschikbaar": 3,
    "fundament_ambitie_op_papier": 2,  # reverse
    # eerlijk: (4 + 4 + 3 + (6 - 2)) / 4 = 15 / 4 = 3.75 -> 3.8 -> Aandachtspunt
    "eerlijk_belangen_benoemd": 4,
    "eerlijk_verschillen_besproken": 4,
    "eerlijk_overeenkomsten_helder": 3,
    "eerlijk_verborgen_bedoelingen": 2,  # reverse
    # eigenaarschap: (2 + 2 + (6 - 5) + 3 + 2) / 5 = 10 / 5 = 2.0 -> Zorgpunt
    "eigenaarschap_samen_ingericht": 2,
    "eigenaarschap_resultaten_samen": 2,
    "eigenaarschap_doelen_opgelegd": 5,  # reverse
    "eigenaarschap_elkaar_aanspreken": 3,
    "eigenaarschap_eigen_verantwoordelijkheid": 2,
    # successen: 1 of 5 answered (< half) -> no score
    "successen_resultaat_bekend": 0,
    "successen_samen_gevierd": 0,
    "successen_medewerkers_gewaardeerd": 0,
    "successen_bestuurders_vertellen": 4,
    "successen_aandacht_voor_fouten": 0,
    # ervaringen: (5 + 5 + 5 + 5 + (6 - 1)) / 5 = 5.0 -> Sterk
    "ervaringen_voortgang_gedeeld": 5,
    "ervaringen_afwijking_op_tijd": 5,
    "ervaringen_informeel_overleg": 5,
    "ervaringen_relatie_besproken": 5,
    "ervaringen_problemen_te_laat": 1,  # reverse
    # raad: (3 + 2 + 3 + 4 + 4 + 2 + (6 - 4)) / 7 = 20 / 7 = 2.857 -> 2.9 -> Zorgpunt
    "raad_doelen_bekend": 3,
    "raad_kosten_bekend": 2,
    "raad_informatie_op_tijd": 3,
    "raad_zienswijze_telt": 4,
    "raad_vertegenwoordiger_bekend": 4,
    "raad_evaluatie_afgesproken": 2,
    "raad_achteraf_gehoord": 4,  # reverse
    # stop criteria (agreeing = warning present):
    "stop_ambitie_verdwenen": 1,  # geen_gedeelde_opgave (1 + 2 + 2) / 3 = 1.67 -> 1.7 groen
    "stop_elk_eigen_opgave": 2,
    "stop_taken_zelf_doen": 2,
    "stop_fusie_voorkomen": 2,  # vermijdingsmotief (2 + 2) / 2 = 2.0 groen
    "stop_druk_van_buiten": 2,
    "stop_ambities_uiteen": 4,  # uiteenlopende_ambities (4 + 3) / 2 = 3.5 oranje
    "stop_anders_na_verkiezingen": 3,
    "stop_beloofd_resultaat_uitgebleven": 5,  # baten_uitgebleven (5 + 4 + 4) / 3 = 4.33 -> 4.3 rood
    "stop_projecten_niet_van_grond": 4,
    "stop_overleg_kost_meer": 4,
    "stop_wantrouwen": 1,  # verstoorde_relaties 1.0 groen
    "stop_conflict_bestuurders": 1,
    "signaal_weinig_bijsturen": 2,  # geen_grip 2.0 groen (signal)
    "signaal_onduidelijk_wie_beslist": 2,
    "signaal_bestuurders_andere_kant": 3,  # meerdere_kapiteins 3.0 oranje (signal)
    "signaal_rollen_onduidelijk": 3,
    "signaal_besparing_niet_in_cijfers": 2,  # efficiency_niet_ingeboekt 1.5 groen (signal)
    "signaal_kosten_hoger": 1,
}
# Advice: 1 stop criterion red (baten_uitgebleven), 1 criterion and 1 signal orange. Rule 1 (>= 3 stop
# criteria red) no; rule 2 (geen_gedeelde_opgave red) no; rule 3 (baten_uitgebleven red) yes -> Uitkleden.
# Top three: the red stop criterion, then the weakest sections: eigenaarschap (2.0), raad (2.9).


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from ui import context

    monkeypatch.setattr("ui.scan.NAV_GUARD_S", 0)  # AppTest clicks faster than anybody reads

    context.store.clear()
    yield url
    context.store.clear()


def _start(at: AppTest) -> AppTest:
    at.text_input[0].input("GR Sociaal Domein Test")
    at.selectbox[0].select("Utrecht")
    at.selectbox[1].select("wethouder")
    return at.button[0].click().run()


def _answer_step(at: AppTest, q) -> None:
    by_text = {i.text: i.id for i in q.items}
    for radio in at.radio:
        text = radio.label.split(". ", 1)[1]
        radio.set_value(ANSWERS[by_text[text]])
    at.run()


def _click(at: AppTest, prefix: str) -> AppTest:
    button = next(b for b in at.button if b.label.startswith(prefix))
    return button.click().run()


def test_zelfscan_start_to_result_with_known_answers(app_env, q):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Samenwerkingsspiegel"
    at = _start(at)
    assert not at.exception
    token = at.query_params["p"]

    steps = len(q.default_section_ids)  # the optional modules are off unless chosen
    assert steps == 8
    for step in range(steps):
        assert f"Stap {step + 1} van {steps}" in at.get("progress")[0].proto.text
        _answer_step(at, q)
        _click(at, "Volgende" if step < steps - 1 else "Afronden")
        assert not at.exception

    assert at.title[0].value == "Uw resultaat"
    table = at.table[0].value
    scores = dict(zip(table.index, table["Score"], strict=True))
    bands = dict(zip(table.index, table["Band"], strict=True))
    assert scores["Gedeelde ambitie en urgentie"] == "4,0" and bands["Gedeelde ambitie en urgentie"] == "Sterk"
    assert scores["Eerlijk"] == "3,8" and bands["Eerlijk"] == "Aandachtspunt"
    assert scores["Eigenaarschap"] == "2,0" and bands["Eigenaarschap"] == "Zorgpunt"
    assert scores["Successen erkennen en vieren"] == "–" and bands["Successen erkennen en vieren"] == "Geen score"
    assert scores["Ervaringen delen"] == "5,0" and bands["Ervaringen delen"] == "Sterk"
    assert scores["De rol van de raad"] == "2,9" and bands["De rol van de raad"] == "Zorgpunt"

    advice = next(m.value for m in at.markdown if m.value.startswith("### Advies"))
    assert "Advies: Uitkleden" in advice
    assert "Beloofde" in advice or "beloofde" in advice.lower()
    # Tips for the weakest principles below 'sterk': eigenaarschap (2.0) first, then eerlijk (3.8).
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:2] == ["Eigenaarschap (2,0)", "Eerlijk (3,8)"]
    # The top three for the conversation, each with its tip.
    assert "Drie onderwerpen voor het gesprek" in [h.value for h in at.header]
    top = next(m.value for m in at.markdown if m.value.startswith("1. "))
    lines = [line for line in top.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert "Beloofde opbrengst blijft uit" in lines[0] and "4,3" in lines[0]
    assert "Eigenaarschap" in lines[1] and "2,0" in lines[1]
    assert "De rol van de raad" in lines[2] and "2,9" in lines[2]
    assert top.count("*Tip:*") == 3

    # Everything was saved: the stored answers equal the known set.
    store = Store(app_env)
    p = store.participant_by_token(token)
    assert p.finished and store.answers_of(p.id) == ANSWERS


def test_resume_link_returns_to_the_step_and_keeps_answers(app_env, q):
    at = _start(AppTest.from_file(APP, default_timeout=60).run())
    token = at.query_params["p"]
    _answer_step(at, q)
    _click(at, "Volgende")
    _click(at, "Volgende")  # now on step 3, nothing answered there yet

    again = AppTest.from_file(APP, default_timeout=60)  # a new browser session: a refresh or another day
    again.query_params["p"] = token
    again.switch_page("pages/vragenlijst.py").run()
    assert not again.exception
    assert "Stap 3 van" in again.get("progress")[0].proto.text
    _click(again, "Vorige")
    _click(again, "Vorige")
    first = q.sections[0]
    shown = {r.label.split(". ", 1)[1]: r.value for r in again.radio}
    assert shown == {i.text: ANSWERS[i.id] for i in first.items}


def test_unknown_resume_link_gets_a_dutch_message(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["p"] = "dit-is-geen-geldige-link-1234567890"
    at.switch_page("pages/vragenlijst.py").run()
    assert not at.exception
    assert at.title[0].value == "Link niet herkend"
    assert "niet geldig" in at.error[0].value


def test_start_form_says_what_is_missing(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button[0].click().run()
    assert "Vul de naam van de samenwerking in." in at.error[0].value
    assert "Kies uw gemeente." in at.error[0].value


def test_broken_content_stops_with_one_clear_message(app_env, tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "questionnaire" / "content", content)
    path = content / "modules" / "10_principes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][1]["items"][2]["text"] = ""
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SPIEGEL_CONTENT_DIR", str(content))
    from ui import context

    context._questionnaire.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        context._questionnaire.clear()
    assert not at.exception
    message = at.error[0].value
    assert "10_principes.yaml" in message and "eerlijk_overeenkomsten_helder" in message
    assert "\n" not in message


def test_finishing_with_open_statements_shows_no_score_and_no_advice(app_env, q):
    """Skipping whole steps is allowed; the result says what could not be scored instead of failing."""
    at = _start(AppTest.from_file(APP, default_timeout=60).run())
    first = q.sections[0]
    radios = {r.label.split(". ", 1)[1]: r for r in at.radio}
    radios[first.items[0].text].set_value(4)  # one answer only
    at.run()
    for _ in range(len(q.default_section_ids) - 1):
        _click(at, "Volgende")
    assert not any("open gelaten" in w.value for w in at.warning)  # said when it matters: at 'Afronden'
    _click(at, "Afronden")
    assert at.query_params["p"] and not at.get("table")  # not finished yet: first what is open
    warning = next(w.value for w in at.warning if "open gelaten" in w.value)
    asked = sum(len(q.section_by_id[s].items) for s in q.default_section_ids)
    assert f"nog {asked - 1} stelling(en) open" in warning and q.sections[0].title in warning
    _click(at, "Toch afronden")
    assert not at.exception
    table = at.table[0].value
    assert set(table["Band"]) == {"Geen score"}
    assert any("Te weinig stopcriteria" in i.value for i in at.info)
    html_tables = [h.value for h in at.get("html") if "Criterium" in getattr(h, "value", "")]
    assert html_tables and "Geen score" in html_tables[0]


def _saved_marks(at: AppTest) -> int:
    return sum(1 for c in at.caption if c.value == "✓ Opgeslagen")


def test_each_answer_is_stored_at_once_and_says_so(app_env, q):
    """A tap stores the answer straight away (before any 'Volgende') and the statement says
    'Opgeslagen'; an open statement does not."""
    at = _start(AppTest.from_file(APP, default_timeout=60).run())
    p = Store(app_env).participant_by_token(at.query_params["p"])
    first, second = q.sections[0].items[:2]
    assert _saved_marks(at) == 0
    radios = {r.label.split(". ", 1)[1]: r for r in at.radio}
    radios[first.text].set_value(4)
    at.run()
    assert Store(app_env).answers_of(p.id) == {first.id: 4}
    assert _saved_marks(at) == 1
    radios = {r.label.split(". ", 1)[1]: r for r in at.radio}
    radios[first.text].set_value(q.scale.dont_know.code)  # changing it overwrites, no second row
    radios[second.text].set_value(1)
    at.run()
    assert Store(app_env).answers_of(p.id) == {first.id: q.scale.dont_know.code, second.id: 1}
    assert _saved_marks(at) == 2


def _on_step_two_with_a_clock(app_env, monkeypatch) -> tuple[AppTest, Participant, list[float]]:
    """Started and moved to step 2 with the double-tap guard on and a clock the test turns."""
    monkeypatch.setattr("ui.scan.NAV_GUARD_S", 0.6)
    clock = [1000.0]
    monkeypatch.setattr("ui.scan.time.monotonic", lambda: clock[0])
    at = _start(AppTest.from_file(APP, default_timeout=60).run())
    p = Store(app_env).participant_by_token(at.query_params["p"])
    _click(at, "Volgende")
    return at, p, clock


def test_a_second_tap_on_volgende_right_after_the_first_is_a_double_tap(app_env, q, monkeypatch):
    at, p, clock = _on_step_two_with_a_clock(app_env, monkeypatch)
    assert Store(app_env).participant(p.id).step == 1
    clock[0] += 0.3  # the second tap of a double tap lands on the next step's 'Volgende'
    _click(at, "Volgende")
    assert Store(app_env).participant(p.id).step == 1
    assert "Stap 2 van" in at.get("progress")[0].proto.text
    clock[0] += 2.0  # read the step, then on
    _click(at, "Volgende")
    assert Store(app_env).participant(p.id).step == 2
    assert "Stap 3 van" in at.get("progress")[0].proto.text


def test_volgende_right_after_answering_on_the_new_step_is_meant(app_env, q, monkeypatch):
    """The double-tap guard only holds while nothing was answered on the new step."""
    at, p, clock = _on_step_two_with_a_clock(app_env, monkeypatch)
    clock[0] += 0.2  # a fast (automated) answer, then Volgende at once
    at.radio[0].set_value(3)
    at.run()
    _click(at, "Volgende")
    assert Store(app_env).participant(p.id).step == 2


def test_municipality_is_shown_with_its_common_name_and_stored_by_its_official_name(app_env):
    at = AppTest.from_file(APP, default_timeout=30).run()
    box = at.selectbox[0]
    assert "'s-Gravenhage (Den Haag)" in box.options  # what the browser's search filters on
    at.text_input[0].input("GR Haaglanden")
    box.select("'s-Gravenhage")
    at.selectbox[1].select("raadslid")
    at = at.button[0].click().run()
    p = Store(app_env).participant_by_token(at.query_params["p"])
    assert p.municipality == "'s-Gravenhage"
