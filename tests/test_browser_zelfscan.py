"""Real browser (Debian's chromium via Playwright) at phone size: the zelfscan end to end."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from services.scan import scan_sections
from storage import Store
from tests.support import PHONE, PROJECTOR, settle, shot, streamlit_server, wait_for_charts
from tests.test_app_zelfscan import ANSWERS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('browser') / 'zelfscan.db'}"


@pytest.fixture(scope="module")
def server(database):
    with streamlit_server(database) as (url, _proc):
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
    _in_viewport(page, '[data-testid="stMain"] h1')  # the result opens at its title, not at the bottom
    page.get_by_text("Advies: Uitkleden").wait_for()
    wait_for_charts(page)
    _no_english(page)  # also the charts' toolbar ("Show data", "Download as PNG", "Fullscreen")
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

    # 'Uw eigen beeld' as a PDF (made on request, then downloaded), with the same rounded scores.
    page.get_by_role("button", name="Maak een PDF van mijn resultaat").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download mijn resultaat (PDF)").click()
    import pypdf

    pdf = pypdf.PdfReader(info.value.path())
    assert 1 <= len(pdf.pages) <= 2
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Uw eigen beeld" in text and "Eerlijk 3,8 Aandachtspunt" in text and "Advies: Uitkleden" in text

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


def _in_viewport(page, selector: str) -> None:
    """Wait until the element is wholly inside the visible part of the screen."""
    page.wait_for_function(
        """(sel) => { const e = document.querySelector(sel); if (!e) return false;
             const r = e.getBoundingClientRect();
             return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        arg=selector,
        timeout=10_000,
    )


def _count_is(page, text: str) -> None:
    page.wait_for_function("(t) => document.querySelector('.step-progress-count')?.textContent === t", arg=text, timeout=10_000)


def test_phone_step_opens_at_its_heading_and_counts_answers(server, database, browser, q):
    store = Store(database)
    _, token = store.create_participant(cooperation="GR Telefoon", municipality="Utrecht", role="raadslid")
    store.dispose()
    first, second = len(q.sections[0].items), len(q.sections[1].items)
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/vragenlijst?p={token}")
    settle(page)
    page.get_by_text(f"Stap 1 van {len(scan_sections(q))}").wait_for()
    _count_is(page, f"0 van {first} beantwoord")

    # Three quick taps, no waiting in between: the count follows every one (the statements are
    # redrawn on their own, so a count written by the server would still say 0 or 1 here).
    groups = page.locator('[data-testid="stRadio"]')
    for n in range(3):
        groups.nth(n).get_by_text("Eens", exact=True).click()
    _count_is(page, f"3 van {first} beantwoord")
    settle(page)

    # At the bottom of the step the progress is still in sight (sticky under the header).
    page.get_by_role("button", name="Volgende").scroll_into_view_if_needed()
    _in_viewport(page, ".step-progress-count")
    _in_viewport(page, '[data-testid="stProgress"]')
    shot(page, "phone-step1-bottom", full=False)

    page.get_by_role("button", name="Volgende").click()
    settle(page)
    page.get_by_text(f"Stap 2 van {len(scan_sections(q))}").wait_for()
    # The new step opens at its heading, which has the focus (a screen reader reads it first).
    _in_viewport(page, "h2#stap-2")
    page.wait_for_function("() => document.activeElement?.id === 'stap-2'", timeout=10_000)
    assert page.locator("h2#stap-2").inner_text().startswith(q.sections[1].title)
    _count_is(page, f"0 van {second} beantwoord")
    shot(page, "phone-step2-top", full=False)
    groups.nth(0).get_by_text("Oneens", exact=True).click()
    _count_is(page, f"1 van {second} beantwoord")
    settle(page)

    page.get_by_role("button", name="Vorige").scroll_into_view_if_needed()
    page.get_by_role("button", name="Vorige").click()
    settle(page)
    page.get_by_text(f"Stap 1 van {len(scan_sections(q))}").wait_for()
    _in_viewport(page, "h2#stap-1")
    _count_is(page, f"3 van {first} beantwoord")
    page.close()


# Streamlit's own English words that a person meets on these pages (seen, or read by a screen reader).
ENGLISH = [
    "Press Enter to",
    "No results",
    "options available",
    "option available",
    "Help for",
    "Clear value",
    "Clear all",
    "Skip to main content",
    "Link to heading",
    "Selected values",
    "Remove ",
    "Increment",
    "Decrement",
    "You can only select",
    "Show data",
    "Download as PNG",
    "Fullscreen",
]
_WORDS = """() => { const out = [];
  for (const el of document.querySelectorAll('[aria-label], [title]'))
    for (const a of ['aria-label', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) if (!w.currentNode.parentElement.closest('script, style, noscript')) out.push(w.currentNode.nodeValue);
  return out; }"""


def _no_english(page) -> None:
    page.wait_for_function(f"(english) => !({_WORDS})().some(t => english.some(e => t.includes(e)))", arg=ENGLISH, timeout=10_000)


def test_search_finds_common_names_and_streamlit_speaks_dutch(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server)
    settle(page)
    name = page.get_by_label("Naam van de samenwerking")
    name.fill("GR Haaglanden")  # typing in a form field shows Streamlit's "Press Enter to ..." hint
    page.get_by_text("Druk op Enter om te versturen").wait_for()
    page.get_by_role("button", name="Uitleg bij Uw gemeente").wait_for()  # was "Help for Uw gemeente"

    page.get_by_role("combobox", name="Uw gemeente").click()
    page.keyboard.type("Den Haag")
    page.get_by_role("option", name="'s-Gravenhage (Den Haag)").wait_for()
    _no_english(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Weesp")
    page.get_by_role("option", name="Amsterdam (Weesp)").wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.type("Gemeente die niet bestaat")
    page.get_by_text("Geen resultaten").wait_for()  # was "No results"
    _no_english(page)
    shot(page, "phone-start-search", full=False)
    page.keyboard.press("Escape")

    page.get_by_role("tab", name="Meedoen met code").click()
    page.get_by_role("textbox", name="Deelnamecode").fill("K7MX")
    _no_english(page)

    page.goto(f"{server}/workshop")
    settle(page)
    page.get_by_role("combobox").first.click()
    page.keyboard.type("Den Bosch")
    page.get_by_role("option", name="'s-Hertogenbosch (Den Bosch)").click()
    settle(page)
    _no_english(page)
    page.close()


def test_the_open_question_hint_is_dutch(server, database, browser, q):
    store = Store(database)
    p, token = store.create_participant(cooperation="GR Open vraag", municipality="Utrecht", role="raadslid")
    store.set_step(p.id, len(scan_sections(q)) - 1)  # the last step, with 'Tot slot'
    store.dispose()
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/vragenlijst?p={token}")
    settle(page)
    page.get_by_text("Tot slot").wait_for()
    page.get_by_placeholder("Typ hier uw antwoord…").first.click()
    page.keyboard.type("Eerst de begroting")  # a text area says how to apply the text
    page.get_by_text(re.compile(r"^Druk op (Ctrl|⌘)\+Enter om te bevestigen$")).wait_for()
    _no_english(page)
    page.close()
