"""Real browser (Debian's chromium via Playwright) at phone size: the zelfscan end to end."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.support import PHONE, PROJECTOR, settle, shot, streamlit_server, wait_for_charts
from tests.test_app_zelfscan import ANSWERS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "zelfscan.db"
    with streamlit_server(f"sqlite:///{db}") as (url, _proc):
        yield url


def answer_step(page, q, expected: int) -> None:
    by_text = {i.text: i for i in q.items}
    labels = {0: q.scale.dont_know.label, **{o.value: o.label for o in q.scale.options}}
    groups = page.locator('[data-testid="stRadio"]')
    page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stRadio\"]').length === {expected}")
    for n in range(expected):
        group = groups.nth(n)
        text = group.locator('[data-testid="stWidgetLabel"]').inner_text().split(". ", 1)[1].strip()
        item = by_text[text]
        group.get_by_text(labels[ANSWERS[item.id]], exact=True).click()
        settle(page)


def choose(page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox by typing, as a person with a keyboard would."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def click(page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    settle(page)


def test_zelfscan_on_a_phone_with_refresh_and_resume(server, browser, q):
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    settle(page)
    page.wait_for_function("document.documentElement.lang === 'nl'", timeout=10_000)
    shot(page, "zelfscan-start-phone")

    page.get_by_label("Naam van de samenwerking").fill("GR Browsertest")
    page.get_by_label("Naam van de samenwerking").press("Tab")
    choose(page, "Uw gemeente", "Utrecht")
    choose(page, "Uw rol", "Raadslid")
    click(page, "Start de zelfscan")
    page.wait_for_url("**/vragenlijst?p=*")
    settle(page)
    resume_link = page.url

    asked = [q.section_by_id[s] for s in q.default_section_ids]  # optional modules off
    steps = len(asked)
    half = steps // 2
    for step in range(steps):
        page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
        if step == 0:
            shot(page, "zelfscan-step-phone")
        answer_step(page, q, len(asked[step].items))
        if step == 0:
            shot(page, "zelfscan-step-answered-phone")  # each statement says '✓ Opgeslagen'
        if step == half:
            # Halfway: the answers of this step are saved as they are clicked; a refresh loses nothing.
            page.reload()
            settle(page)
            page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
            checked = page.locator('[data-testid="stRadio"] input:checked').count()
            assert checked == len(asked[step].items)
            # And the personal link, opened in a fresh browser (no cookies, no state), resumes here too.
            page.close()
            context.close()
            context = browser.new_context(viewport=PHONE, accept_downloads=True)
            page = context.new_page()
            page.goto(resume_link)
            settle(page)
            page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
        click(page, "Volgende" if step < steps - 1 else "Afronden en resultaat bekijken")

    page.get_by_text("Uw resultaat").first.wait_for()
    page.get_by_text("Advies: Uitkleden").wait_for()
    wait_for_charts(page)
    shot(page, "zelfscan-result-phone")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download mijn antwoorden en scores (CSV voor Excel)").click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Dutch Excel reads the accents right
    df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(df.columns) == ["Soort", "Onderdeel", "Code", "Omschrijving", "Antwoord", "Score", "Uitkomst", "Beantwoord"]
    scores = df[df["Soort"] == "Score onderdeel"].set_index("Code")
    # The hand-computed scores (see tests/test_app_zelfscan.py for the arithmetic).
    assert scores.loc["fundament", "Score"] == pytest.approx(4.0)
    assert scores.loc["eerlijk", "Score"] == pytest.approx(3.8)  # 3.75 rounded once, half up
    assert scores.loc["eigenaarschap", "Score"] == pytest.approx(2.0)
    assert pd.isna(scores.loc["successen", "Score"])
    assert scores.loc["ervaringen", "Score"] == pytest.approx(5.0)
    assert scores.loc["raad", "Score"] == pytest.approx(2.9)  # 20 / 7 = 2.857
    assert scores.loc["eerlijk", "Uitkomst"] == "Aandachtspunt"
    crit = df[df["Soort"] == "Stopcriterium"].set_index("Code")
    assert crit.loc["baten_uitgebleven", "Score"] == pytest.approx(4.3)  # (5 + 4 + 4) / 3 = 4.33, one decimal
    assert crit.loc["baten_uitgebleven", "Uitkomst"] == "Rood"
    assert crit.loc["uiteenlopende_ambities", "Uitkomst"] == "Oranje"
    assert df[df["Soort"] == "Advies"]["Uitkomst"].tolist() == ["Uitkleden"]
    answered = df[df["Soort"].str.startswith("Antwoord")].set_index("Code")
    assert answered.loc["eerlijk_verborgen_bedoelingen", "Soort"] == "Antwoord (omgekeerd gescoord)"
    assert answered.loc["fundament_mensen_vrijgemaakt", "Uitkomst"] == q.scale.dont_know.label

    # The same result at projector size, and the print layout.
    big = browser.new_page(viewport=PROJECTOR)
    big.goto(page.url)
    settle(big)
    big.get_by_text("Advies: Uitkleden").wait_for()
    wait_for_charts(big)
    shot(big, "zelfscan-result-1920")
    big.emulate_media(media="print")
    assert not big.get_by_role("button", name="Antwoorden aanpassen").is_visible()
    shot(big, "zelfscan-result-print")
    big.close()
    context.close()


# Answers for the two optional modules, by hand (reverse statements count 6 - answer):
EXTRA = {
    # succesfactoren: (4 + 4 + 3 + 4 + 5 + 3 + 2 + (6 - 4) + (6 - 2)) / 9 = 31 / 9 = 3.44 -> 3.4 Aandachtspunt
    "succes_brengen_halen": 4,
    "succes_toegevoegde_waarde": 4,
    "succes_tempo": 3,
    "succes_iets_voor_elkaar_over": 4,
    "succes_aantal_partners": 5,
    "succes_besluiten_voorbereid": 3,
    "succes_initiatief": 2,
    "succes_sleutelfiguren": 4,  # reverse
    "spanning_wachten_op_bijdrage": 2,  # reverse
    # vorm: (2 + 3 + 2 + 2 + (6 - 5)) / 5 = 10 / 5 = 2.0 Zorgpunt
    "vorm_zo_eenvoudig": 2,
    "vorm_gesprek_over_inhoud": 3,
    "vorm_aansluiten_bij_bestaand": 2,
    "vorm_kan_meebewegen": 2,
    "vorm_lichter_volstaat": 5,  # reverse
}


def test_zelfscan_of_a_veiligheidsregio_with_both_optional_modules(server, browser, q):
    """Set-up: legally required (veiligheidsregio) and both optional modules. Every stop statement
    that is asked gets 5 and every signal 1, so four stop criteria are red (5.0): by the rule that
    is stoppen, which in a required cooperation gives way to 'Herijken of uitkleden binnen de wet'.
    The three statements that say nothing in a required cooperation are not asked."""
    answers = dict(ANSWERS)
    answers.update(EXTRA)
    for item in q.items:
        if item.criterion:
            answers[item.id] = 5 if q.criterion_by_id[item.criterion].kind.value == "stopcriterium" else 1
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    settle(page)
    page.get_by_label("Naam van de samenwerking").fill("Veiligheidsregio Testland")
    page.get_by_label("Naam van de samenwerking").press("Tab")
    choose(page, "Uw gemeente", "Utrecht")
    choose(page, "Uw rol", "Raadslid")
    choose(page, "Is deze samenwerking wettelijk verplicht?", "Veiligheidsregio")
    page.get_by_text("Succesfactoren en spanningen", exact=True).click()
    page.get_by_text("Vorm en structuur", exact=True).click()
    click(page, "Start de zelfscan")
    page.wait_for_url("**/vragenlijst?p=*")
    settle(page)

    skipped = {i.id for i in q.items if i.skip_when_required}
    asked = [q.section_by_id[s] for s in [s.id for s in q.sections]]  # all ten sections
    steps = len(asked)
    assert steps == 10
    by_text = {i.text: i for i in q.items}
    labels = {0: q.scale.dont_know.label, **{o.value: o.label for o in q.scale.options}}
    for step, section in enumerate(asked):
        page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
        shown = [i for i in section.items if i.id not in skipped]
        page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stRadio\"]').length === {len(shown)}")
        groups = page.locator('[data-testid="stRadio"]')
        for n in range(len(shown)):
            group = groups.nth(n)
            text = group.locator('[data-testid="stWidgetLabel"]').inner_text().split(". ", 1)[1].strip()
            assert by_text[text].id not in skipped
            group.get_by_text(labels[answers[by_text[text].id]], exact=True).click()
            settle(page)
        click(page, "Volgende" if step < steps - 1 else "Afronden en resultaat bekijken")

    page.get_by_text("Uw resultaat").first.wait_for()
    page.get_by_text("Advies: Herijken of uitkleden binnen de wet").wait_for()
    page.get_by_text("Drie onderwerpen voor het gesprek").wait_for()
    wait_for_charts(page)
    shot(page, "zelfscan-veiligheidsregio-result-phone")
    assert page.get_by_text("Stoppen", exact=True).count() == 0

    with page.expect_download() as info:
        page.get_by_role("button", name="Download mijn antwoorden en scores (CSV voor Excel)").click()
    df = pd.read_csv(io.BytesIO(open(info.value.path(), "rb").read()), sep=";", decimal=",", encoding="utf-8-sig")
    scores = df[df["Soort"] == "Score onderdeel"].set_index("Code")
    assert scores.loc["succesfactoren", "Score"] == pytest.approx(3.4)
    assert scores.loc["succesfactoren", "Uitkomst"] == "Aandachtspunt"
    assert scores.loc["vorm", "Score"] == pytest.approx(2.0)
    assert scores.loc["vorm", "Uitkomst"] == "Zorgpunt"
    assert scores.loc["raad", "Score"] == pytest.approx(2.9)
    assert scores.loc["eerlijk", "Score"] == pytest.approx(3.8)
    crit = df[df["Soort"] == "Stopcriterium"].set_index("Code")
    assert "vermijdingsmotief" not in crit.index  # both its statements are skipped
    assert set(crit.loc[["geen_gedeelde_opgave", "uiteenlopende_ambities", "baten_uitgebleven", "verstoorde_relaties"], "Uitkomst"]) == {"Rood"}
    assert set(crit.loc[["geen_grip", "meerdere_kapiteins", "efficiency_niet_ingeboekt"], "Uitkomst"]) == {"Groen"}
    advice = df[df["Soort"] == "Advies"].iloc[0]
    assert (advice["Code"], advice["Uitkomst"]) == ("wettelijk_bijsturen", "Herijken of uitkleden binnen de wet")
    assert not set(df["Code"]) & skipped
    context.close()
