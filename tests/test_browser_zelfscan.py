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

    steps = len(q.sections)
    half = steps // 2
    for step in range(steps):
        page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
        if step == 0:
            shot(page, "zelfscan-step-phone")
        answer_step(page, q, len(q.sections[step].items))
        if step == 0:
            shot(page, "zelfscan-step-answered-phone")  # each statement says '✓ Opgeslagen'
        if step == half:
            # Halfway: the answers of this step are saved as they are clicked; a refresh loses nothing.
            page.reload()
            settle(page)
            page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
            checked = page.locator('[data-testid="stRadio"] input:checked').count()
            assert checked == len(q.sections[step].items)
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
    assert scores.loc["eerlijk", "Score"] == pytest.approx(3.6)
    assert scores.loc["eigenaarschap", "Score"] == pytest.approx(2.0)
    assert pd.isna(scores.loc["successen", "Score"])
    assert scores.loc["ervaringen", "Score"] == pytest.approx(5.0)
    assert scores.loc["eerlijk", "Uitkomst"] == "Aandachtspunt"
    crit = df[df["Soort"] == "Stopcriterium"].set_index("Code")
    assert crit.loc["baten_uitgebleven", "Score"] == pytest.approx(4.33)  # (5 + 4 + 4) / 3, two decimals
    assert crit.loc["baten_uitgebleven", "Uitkomst"] == "Rood"
    assert crit.loc["uiteenlopende_ambities", "Uitkomst"] == "Oranje"
    assert df[df["Soort"] == "Advies"]["Uitkomst"].tolist() == ["Uitkleden"]
    answered = df[df["Soort"].str.startswith("Antwoord")].set_index("Code")
    assert answered.loc["eerlijk_verborgen_bedoelingen", "Soort"] == "Antwoord (omgekeerd gescoord)"
    assert answered.loc["fundament_middelen_vrijgemaakt", "Uitkomst"] == q.scale.dont_know.label

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
