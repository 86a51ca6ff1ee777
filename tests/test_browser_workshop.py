"""Real browser: a facilitator at 1920x1080 and six phones (390x844) in three municipalities."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import scoring
from storage import Store
from tests.support import (
    PHONE,
    PROJECTOR,
    fresh_database_url,
    settle,
    shot,
    streamlit_server,
    wait_for_charts,
)

pytestmark = pytest.mark.browser

MUNICIPALITIES = ["Tiel", "Culemborg", "Buren"]
# Two people per municipality (the session's anonymity minimum is set to 2), each answering every
# statement with one value; the scores and the exports are checked against the scoring module.
PEOPLE = [
    ("Tiel", "Raadslid", 5),
    ("Tiel", "Wethouder", 4),
    ("Culemborg", "Raadslid", 2),
    ("Culemborg", "Griffier", 3),
    ("Buren", "Raadslid", 4),
    ("Buren", "Ambtenaar", 4),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory.mktemp("browser"), "workshop.db")
    with streamlit_server(url) as (address, _proc):
        yield address, url


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def answer_all_on_this_step(page, label: str, expected: int) -> None:
    groups = page.locator('[data-testid="stRadio"]')
    page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stRadio\"]').length === {expected}")
    for n in range(expected):
        groups.nth(n).get_by_text(label, exact=True).click()
        settle(page)


def test_live_session_end_to_end(server, browser, q):
    address, db_url = server
    labels = {o.value: o.label for o in q.scale.options}

    # -- the facilitator creates the session
    fac = browser.new_context(viewport=PROJECTOR, accept_downloads=True).new_page()
    fac.goto(f"{address}/workshop")
    settle(fac)
    fac.get_by_label("Naam van de samenwerking").fill("Regio Rivierenland <script>alert(1)</script>")
    for m in MUNICIPALITIES:
        choose(fac, "Partnergemeenten (2 tot en met 20)", m)
    fac.get_by_label("Anonimiteitsgrens: toon groepen pas vanaf dit aantal deelnemers").fill("2")
    fac.get_by_role("button", name="Sessie aanmaken").click()
    settle(fac)
    fac.get_by_text("De sessie is aangemaakt").wait_for()
    facilitator_link = fac.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert "/dashboard?f=" in facilitator_link
    store = Store(db_url)
    session = store.session_by_facilitator_token(facilitator_link.split("f=", 1)[1])
    code = session.join_code

    fac.goto(facilitator_link)
    settle(fac)
    fac.get_by_text(code).first.wait_for()
    fac.get_by_text("Resultaten verborgen", exact=True).wait_for()
    # The name is shown as typed, never run as HTML.
    assert fac.get_by_text("Regio Rivierenland <script>alert(1)</script>").first.is_visible()
    shot(fac, "workshop-projector-empty", full=False)

    # -- six phones join by the ?code= link and answer
    asked = [q.section_by_id[s] for s in q.default_section_ids]  # the set-up form: optional modules off
    steps = len(asked)
    for n, (municipality, role, value) in enumerate(PEOPLE):
        ctx = browser.new_context(viewport=PHONE)
        phone = ctx.new_page()
        phone.goto(f"{address}/?code={code}")
        settle(phone)
        phone.get_by_role("radiogroup", name="Uw gemeente").get_by_text(municipality, exact=True).click()
        phone.get_by_role("radiogroup", name="Uw rol").get_by_text(role, exact=True).click()
        phone.get_by_role("button", name="Beginnen").click()
        phone.wait_for_url("**/vragenlijst?p=*")
        settle(phone)
        link = phone.url
        for step in range(steps):
            phone.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
            if n == 0 and step == 1:
                shot(phone, "workshop-phone-step", full=False)
            answer_all_on_this_step(phone, labels[value], len(asked[step].items))
            if n == 2 and step == 3:
                # This participant closes the tab halfway and comes back by the personal link.
                ctx.close()
                ctx = browser.new_context(viewport=PHONE)
                phone = ctx.new_page()
                phone.goto(link)
                settle(phone)
                phone.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
                # the step's radios arrive after its heading: wait for them, then check they kept the answers
                phone.wait_for_function(
                    f"document.querySelectorAll('[data-testid=\"stRadio\"]').length === {len(asked[step].items)}"
                )
                assert phone.locator('[data-testid="stRadio"] input:checked').count() == len(asked[step].items)
            phone.get_by_role("button", name="Volgende" if step < steps - 1 else "Afronden en resultaat bekijken").click()
            settle(phone)
        phone.get_by_text("Uw resultaat").first.wait_for()
        if n == 0:
            phone.get_by_text("nog niet getoond").wait_for()  # hidden until the facilitator reveals
        ctx.close()

    # -- the dashboard counted them by itself (live refresh, no manual reload)
    counts = fac.locator("table.counts")
    fac.wait_for_function(
        """(want) => { const rows = Array.from(document.querySelectorAll('table.counts tbody tr'));
                   return want.every(m => rows.some(r => {
                       const cells = Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim());
                       return cells[0] === m && cells[1] === '2' && cells[2] === '2'; })); }""",
        arg=MUNICIPALITIES,
        timeout=20_000,
    )
    row_texts = {m: counts.locator("tr", has_text=m).inner_text().split() for m in MUNICIPALITIES}
    assert all(row_texts[m][-2:] == ["2", "2"] for m in MUNICIPALITIES), row_texts
    shot(fac, "workshop-projector-hidden", full=False)

    # -- reveal (keyboard shortcut T) and look at the charts
    fac.keyboard.press("t")
    settle(fac)
    fac.get_by_text("Resultaten zichtbaar", exact=True).wait_for()
    fac.get_by_text("Scores per onderdeel en gemeente").first.wait_for()
    wait_for_charts(fac)
    shot(fac, "workshop-projector-revealed", full=False)
    shot(fac, "workshop-projector-revealed-full")
    assert store.session(session.id).revealed

    # -- exports, checked against the scoring module on the stored answers
    answers = store.answers_frame(session_id=session.id)
    parts = scoring.add_role_group(store.participants_frame(session.id), q)
    sections = scoring.score_sections(answers, q, list(store.session(session.id).sections))
    expected = scoring.aggregate_sections(sections, parts, ["municipality"], 2, q)

    fac.get_by_text("Exports voor raad en griffie").click()
    settle(fac)
    with fac.expect_download() as info:
        fac.get_by_role("button", name="Per gemeente (CSV voor Excel)").click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    per_muni = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    got = per_muni[per_muni["Soort"] == "Onderdeel"]
    assert sorted(got["Gemeente"].unique()) == sorted(MUNICIPALITIES)
    for row in expected.itertuples():
        line = got[(got["Gemeente"] == row.municipality) & (got["Code"] == row.section)].iloc[0]
        assert int(line["Deelnemers"]) == row.n == 2
        assert line["Gemiddelde"] == pytest.approx(row.mean, abs=0.005)

    with fac.expect_download() as info:
        fac.get_by_role("button", name="Resultaten voor de raad (Excel, XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert wb.sheetnames == ["Toelichting", "Per gemeente", "Per rol"]  # shareable: no row per person

    with fac.expect_download() as info:
        fac.get_by_role("button", name="Ruwe antwoorden (XLSX) – niet publiceren").click()
    wb = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert wb.sheetnames == ["Niet publiceren", "Antwoorden", "Scores per deelnemer"]
    assert wb["Antwoorden"].max_row - 1 == len(answers)

    with fac.expect_download() as info:
        fac.get_by_role("button", name="Ruwe antwoorden, lange vorm (CSV) – niet publiceren").click()
    long = pd.read_csv(info.value.path(), skiprows=1)  # the first line is the warning
    assert len(long) == len(answers) == 6 * sum(len(s.items) for s in asked)
    merged = long.merge(answers, left_on=["deelnemer", "stelling"], right_on=["participant", "item"])
    assert (merged["waarde"] == merged["value"]).all()

    with fac.expect_download() as info:
        fac.get_by_role("button", name="Scores per onderdeel en gemeente").click()
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"

    # -- close: a late phone is refused with a clear message
    fac.get_by_role("button", name="Antwoorden sluiten").click()
    settle(fac)
    late = browser.new_context(viewport=PHONE).new_page()
    late.goto(f"{address}/?code={code}")
    settle(late)
    late.get_by_text("is gesloten").wait_for()
    store.dispose()
