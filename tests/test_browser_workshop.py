"""Real browser: a begeleider with the Begeleidersscherm, the room's Presentatiescherm at 1920x1080 and
1280x720, and phones (390x844) in three municipalities. Every wait is for a condition, never for time."""

from __future__ import annotations

import io
import re
import threading

import openpyxl
import pandas as pd
import pytest

import scoring
from services import presenter
from storage import Store
from storage.store import PROJECTOR
from tests.support import (
    PHONE,
    fresh_database_url,
    settle,
    shot,
    streamlit_server,
)
from tests.support import (
    PROJECTOR as FULL_HD,
)
from ui import figures

pytestmark = pytest.mark.browser

HD = {"width": 1280, "height": 720}
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
LIVE_WAIT = 60_000  # ms: a condition that the live refresh brings (every 2-3 s); generous for a loaded CI machine

# Everything inside the slide that must lie inside the viewport, and the boxes that must not overlap.
_FIT = """() => {
    const vh = window.innerHeight, vw = window.innerWidth, bad = [];
    const main = document.querySelector('[data-testid="stMain"]');
    const slide = document.querySelector('.st-key-slide');
    if (!slide) return ['no slide'];
    if (document.documentElement.scrollHeight > vh) bad.push(`page scrolls: ${document.documentElement.scrollHeight} > ${vh}`);
    if (main && main.scrollHeight > vh) bad.push(`main scrolls: ${main.scrollHeight} > ${vh}`);
    if (slide.scrollHeight > slide.clientHeight + 1) bad.push(`slide overflows: ${slide.scrollHeight} > ${slide.clientHeight}`);
    const boxes = {};
    for (const e of slide.querySelectorAll('.sl-caption, .sl-corner, .sl-foot, .sl-join h1, .sl-join p, .sl-counts div, .sl-qr img, .sl-hidden p, svg.marks')) {
        if (!e.checkVisibility()) continue;
        const r = e.getBoundingClientRect();
        if (r.bottom > vh + 0.5 || r.right > vw + 0.5 || r.top < -0.5 || r.left < -0.5)
            bad.push(`${e.className.baseVal ?? e.className} outside the viewport: ${JSON.stringify(r)}`);
        boxes[e.matches('svg.marks') ? 'chart' : e.className] = r;
    }
    const meets = (a, b) => a && b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (const [a, b] of [['chart', 'sl-corner'], ['chart', 'sl-foot'], ['sl-caption', 'sl-corner']])
        if (meets(boxes[a], boxes[b])) bad.push(`${a} overlaps ${b}`);
    return bad;
}"""

_CODE_VISIBLE = """(code) => {
    const e = Array.from(document.querySelectorAll('.sl-corner-code, [data-testid="join-code"]')).find(x => x.checkVisibility());
    if (!e || e.innerText.trim() !== code) return false;
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
}"""

_CHART_DRAWN = """() => { const s = document.querySelector('.st-key-slidechart svg.marks');
    return !!s && s.getBoundingClientRect().height > 100 && s.querySelectorAll('path, text').length > 10; }"""

# What a person could operate: nothing of this may be visible on the Presentatiescherm.
_CONTROLS = """() => Array.from(document.querySelectorAll(
        'button, input, select, textarea, a[download], [role="button"], [role="checkbox"], [role="switch"], [role="slider"], [role="combobox"], [contenteditable="true"]'))
    .filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory.mktemp("browser"), "workshop.db")
    with streamlit_server(url) as (address, _proc):
        store = Store(url)
        yield address, url, store
        store.dispose()


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


def wait_slide(page, number: int, total: int) -> None:
    """The Presentatiescherm shows slide ``number`` (its footer says so)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "(want) => { const f = document.querySelector('.sl-foot'); return !!f && f.innerText.startsWith(want); }",
            arg=f"Dia {number} van {total}",
            timeout=LIVE_WAIT,
        )
    except PlaywrightTimeout:
        shown = page.evaluate("() => document.querySelector('.sl-foot')?.innerText")
        raise AssertionError(f"the projector did not reach slide {number} of {total}; it shows {shown!r}") from None


def make_session(store: Store, q, munis=MUNICIPALITIES, per: int = 2, min_n: int = 2):
    session, token = store.create_session("Regio Rivierenland", list(munis), [r.id for r in q.settings.roles], [s.id for s in q.sections], min_n)
    roles = [r.id for r in q.settings.roles]
    for n, muni in enumerate(m for m in munis for _ in range(per)):
        p, _ = store.create_participant(cooperation=session.name, municipality=muni, role=roles[n % len(roles)], session_id=session.id)
        store.save_answers(p.id, {i.id: 1 + (n * 3 + k) % 5 for k, i in enumerate(q.items)})
        store.save_open_answer(p.id, 0, OPEN_ANSWERS[n % len(OPEN_ANSWERS)])
        store.finish(p.id)
    store.set_open_answer_status(session.id, "approved")  # the begeleider approved them all
    _, projector = store.create_link(session.id, PROJECTOR)
    return session, token, projector


OPEN_ANSWERS = [
    "De verdeling van de kosten tussen de gemeenten",
    "Wie in het bestuur namens onze raad spreekt",
    "Welke resultaten we de inwoners kunnen laten zien, en wanneer de raad daarover hoort",
    "Of de regeling nog past bij wat we samen willen bereiken",
]


def open_screen(browser, url: str, viewport):
    page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
    page.goto(url)
    settle(page)
    return page


def open_console(browser, url: str):
    """The Begeleidersscherm, once its keys are listened to and its first run is done."""
    page = open_screen(browser, url, FULL_HD)
    console_ready(page)
    return page


def console_ready(page) -> None:
    page.wait_for_function(
        "() => window.__spiegelPacer === true"
        " && document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state') !== 'running'",
        timeout=LIVE_WAIT,
    )


# ---------------------------------------------------------------- a whole evening, as a begeleider does it


def test_live_session_end_to_end(server, browser, q):
    address, db_url, store = server
    labels = {o.value: o.label for o in q.scale.options}

    # -- the begeleider creates the session and keeps the sessiekaart
    fac = open_screen(browser, f"{address}/workshop", FULL_HD)
    fac.get_by_label("Naam van de samenwerking").fill("Regio Rivierenland <script>alert(1)</script>")
    for m in MUNICIPALITIES:
        choose(fac, "Partnergemeenten (2 tot en met 20)", m)
    fac.get_by_label("Anonimiteitsgrens: toon groepen pas vanaf dit aantal deelnemers").fill("2")
    fac.get_by_role("button", name="Sessie aanmaken").click()
    fac.get_by_text("De sessie is aangemaakt").wait_for()
    settle(fac)
    with fac.expect_download() as info:
        fac.get_by_role("button", name=re.compile("Sessiekaart downloaden")).click()
    card = open(info.value.path(), encoding="utf-8").read()
    shot(fac, "workshop-created", full=False)
    facilitator_link = re.search(r'href="([^"]*/dashboard\?f=[^"]+)"', card).group(1)
    projector_link = re.search(r'href="([^"]*/scherm\?s=[^"]+)"', card).group(1)
    assert facilitator_link == fac.locator('[data-testid="stCode"]').first.inner_text().strip()
    session = store.session_by_facilitator_token(facilitator_link.split("f=", 1)[1])
    code = session.join_code
    assert code in card and "<svg" in card and "&lt;script&gt;" in card

    room = open_screen(browser, projector_link, FULL_HD)
    room.wait_for_function(_CODE_VISIBLE, arg=code, timeout=LIVE_WAIT)
    fac.goto(facilitator_link)
    settle(fac)
    fac.get_by_role("heading", name="Begeleidersscherm").wait_for()
    console_ready(fac)
    # The name is shown as typed, never run as HTML.
    assert fac.get_by_text("Regio Rivierenland <script>alert(1)</script>").first.is_visible()
    deck = presenter.slides(session, q)

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
            phone.get_by_text("nog niet getoond").wait_for()  # hidden until the begeleider reveals
        ctx.close()

    # -- both screens counted them by themselves (live refresh, no reload)
    fac.wait_for_function(
        """(want) => { const rows = Array.from(document.querySelectorAll('table.counts tbody tr'));
                   return want.every(m => rows.some(r => {
                       const cells = Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim());
                       return cells[0] === m && cells[1] === '2' && cells[2] === '2'; })); }""",
        arg=MUNICIPALITIES,
        timeout=LIVE_WAIT,
    )
    room.get_by_text("Aangemeld: 6 · klaar: 6").wait_for(timeout=LIVE_WAIT)

    # -- step to the first figure with the keyboard (→) and show its results (T)
    fac.keyboard.press("ArrowRight")
    wait_slide(room, 2, len(deck))
    room.get_by_text("Resultaten nog verborgen").wait_for()
    fac.get_by_text("Resultaten van deze dia verborgen").wait_for(timeout=LIVE_WAIT)
    fac.keyboard.press("t")
    room.wait_for_function(_CHART_DRAWN, timeout=LIVE_WAIT)
    assert store.presenter_view(session.id).revealed(deck[1].key)
    assert store.session(session.id).revealed
    room.wait_for_function(_CODE_VISIBLE, arg=code, timeout=LIVE_WAIT)
    shot(room, "workshop-projector-revealed", full=False)
    fac.wait_for_function("() => !!document.querySelector('.st-key-preview svg.marks')", timeout=LIVE_WAIT)
    shot(fac, "workshop-console-revealed", full=False)

    # -- exports on the console, checked against the scoring module on the stored answers
    answers = store.answers_frame(session_id=session.id)
    parts = scoring.add_role_group(store.participants_frame(session.id), q)
    sections = scoring.score_sections(answers, q, list(store.session(session.id).sections))
    expected = scoring.aggregate_sections(sections, parts, ["municipality"], 2, q)

    fac.get_by_text("Exports voor raad en griffie").click()
    per_muni_button = fac.get_by_role("button", name="Per gemeente (CSV voor Excel)")
    per_muni_button.wait_for()
    with fac.expect_download() as info:
        per_muni_button.click()
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
    # shareable: no row per person; the three topics for the conversation in the same words as the slide
    assert wb.sheetnames == ["Toelichting", "Per gemeente", "Per rol", "Gespreksonderwerpen"]

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

    # -- close: the room's corner says so, and a late phone is refused with a clear message
    fac.get_by_role("button", name="Antwoorden sluiten").click()
    room.get_by_text("Meedoen is gesloten").wait_for(timeout=LIVE_WAIT)
    late = browser.new_context(viewport=PHONE).new_page()
    late.goto(f"{address}/?code={code}")
    settle(late)
    late.get_by_text("is gesloten").wait_for()
    for page in (fac, room, late):
        page.context.close()


# ---------------------------------------------------------------- every slide fits, and the clicker paces it


@pytest.mark.parametrize("viewport", [FULL_HD, HD], ids=["1920x1080", "1280x720"])
def test_every_slide_fits_and_the_keyboard_paces_it(server, browser, q, viewport):
    address, _, store = server
    munis = ["Tiel", "Culemborg", "Buren", "West Betuwe", "Maasdriel", "Zaltbommel", "Neder-Betuwe", "West Maas en Waal"]
    session, token, projector = make_session(store, q, munis=munis, per=3, min_n=3)
    deck = presenter.slides(session, q)
    size = f"{viewport['width']}x{viewport['height']}"
    console = open_console(browser, f"{address}/dashboard?f={token}")
    room = open_screen(browser, f"{address}/scherm?s={projector}", viewport)
    wait_slide(room, 1, len(deck))

    # A figure slide before its results are shown: the state is clear, the data is not there.
    console.keyboard.press("PageDown")
    wait_slide(room, 2, len(deck))
    room.get_by_text("Resultaten nog verborgen").wait_for()
    assert room.locator(".st-key-slidechart").count() == 0 and room.locator(".sl-caption").count() == 0
    assert room.evaluate(_FIT) == []
    shot(room, f"slide-02-verborgen-{size}", full=False)
    console.keyboard.press("PageUp")
    wait_slide(room, 1, len(deck))

    console.get_by_role("button", name="Alle resultaten tonen").click()
    settle(console)
    for n, slide in enumerate(deck, start=1):
        if n > 1:
            console.keyboard.press("ArrowRight" if n % 2 else "PageDown")
            wait_slide(room, n, len(deck))
        if slide.key in presenter.TEXT_SLIDES:
            room.locator(".sl-text").wait_for(timeout=LIVE_WAIT)  # open answers, the three topics
        elif slide.has_results:
            room.wait_for_function(_CHART_DRAWN, timeout=LIVE_WAIT)
        room.wait_for_function(_CODE_VISIBLE, arg=session.join_code, timeout=LIVE_WAIT)
        assert room.evaluate(_FIT) == [], slide.key
        if viewport == FULL_HD:
            smallest = room.evaluate(
                "() => Math.min(...Array.from(document.querySelectorAll('.sl-caption, .sl-foot, .sl-counts, .sl-how, .sl-corner-label'))"
                ".filter(e => e.checkVisibility()).map(e => parseFloat(getComputedStyle(e).fontSize)))"
            )
            assert smallest >= 24, (slide.key, smallest)
        shot(room, f"slide-{n:02d}-{slide.key}-{size}", full=False)
    console.keyboard.press("ArrowRight")  # at the last slide: stays there
    assert store.presenter_view(session.id).slide == deck[-1].key
    if viewport == FULL_HD:
        shot(console, "console-1920x1080", full=False)

    for n in range(len(deck) - 1, 0, -1):  # and all the way back
        console.keyboard.press("ArrowLeft" if n % 2 else "PageUp")
        wait_slide(room, n, len(deck))
    assert store.presenter_view(session.id).slide == presenter.JOIN
    console.context.close()
    room.context.close()


# ---------------------------------------------------------------- a leaked presentatielink gives no power


def test_the_projector_link_can_change_nothing_and_the_facilitator_link_can(server, browser, q):
    address, _, store = server
    session, token, projector = make_session(store, q)
    deck = presenter.slides(session, q)
    room = open_screen(browser, f"{address}/scherm?s={projector}", FULL_HD)
    wait_slide(room, 1, len(deck))
    before = (store.presenter_view(session.id), store.session(session.id))

    def try_everything() -> None:
        assert room.evaluate(_CONTROLS) == []
        assert room.locator("a[download], [data-testid='stDownloadButton']").count() == 0
        for key in ("ArrowRight", "PageDown", "t", "p", "Enter", "Space", "ArrowLeft", "PageUp"):
            room.keyboard.press(key)
        room.mouse.click(960, 540)

    try_everything()
    # Wait until the projector has polled after the keys: a new participant shows in its count.
    p, _ = store.create_participant(cooperation=session.name, municipality="Tiel", role="raadslid", session_id=session.id)
    room.get_by_text("Aangemeld: 7").wait_for(timeout=LIVE_WAIT)
    after = (store.presenter_view(session.id), store.session(session.id))
    assert after == before, "the projector page changed the session"

    # Also on a revealed figure slide (the chart has no toolbar: no data view, no download).
    store.set_slide(session.id, deck[1].key)
    store.set_slide_revealed(session.id, deck[1].key, True)
    room.wait_for_function(_CHART_DRAWN, timeout=LIVE_WAIT)
    room.mouse.move(960, 600)  # hovering a chart shows Streamlit's toolbar, if it is there
    before = (store.presenter_view(session.id), store.session(session.id))
    try_everything()
    store.save_answers(p.id, {q.items[0].id: 3})
    store.finish(p.id)
    room.get_by_text(re.compile("Grootste verschil|dus vergelijken")).first.wait_for(timeout=LIVE_WAIT)
    assert (store.presenter_view(session.id), store.session(session.id)) == before
    assert room.evaluate(_CONTROLS) == []

    # The begeleiderslink can: step, hide, close.
    console = open_console(browser, f"{address}/dashboard?f={token}")
    console.keyboard.press("ArrowRight")
    wait_slide(room, 3, len(deck))
    room.get_by_text("Resultaten nog verborgen").wait_for(timeout=LIVE_WAIT)
    console.get_by_role("button", name="Alle resultaten tonen").click()
    room.wait_for_function(_CHART_DRAWN, timeout=LIVE_WAIT)
    console.get_by_role("button", name="Alle resultaten verbergen").click()
    room.get_by_text("Resultaten nog verborgen").wait_for(timeout=LIVE_WAIT)
    console.get_by_role("button", name="Antwoorden sluiten").click()
    room.get_by_text("Meedoen is gesloten").wait_for(timeout=LIVE_WAIT)
    assert store.session(session.id).closed and not store.session(session.id).revealed

    # Revoking the presentatielink from the console: the open projector stops at its next poll.
    console.get_by_text("Links: presentatielink").click()
    link = store.link_by_token(projector)
    console.locator(f".st-key-revoke_{link.id} button").click()
    room.get_by_text("Geen toegang").wait_for(timeout=LIVE_WAIT)
    assert session.join_code not in room.locator('[data-testid="stMain"]').inner_text()
    console.context.close()
    room.context.close()


# ---------------------------------------------------------------- live without flicker


_SAMPLE = """async ({seconds, every}) => {
    const out = {samples: 0, dimmed: [], blank: [], staleSeen: 0, stamps: new Set()};
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
        out.samples += 1;
        const t = Math.round(performance.now());
        for (const e of document.querySelectorAll('[data-testid="stApp"] *')) {
            if (!(e instanceof HTMLElement) || !e.checkVisibility()) continue;
            const o = parseFloat(getComputedStyle(e).opacity);
            if (o < 1) { out.dimmed.push(`${t}: ${e.tagName}.${e.className.toString().slice(0, 60)} ${o}`); break; }
        }
        const svg = document.querySelector('.st-key-slidechart svg.marks');
        if (!svg || svg.getBoundingClientRect().height < 100 || svg.querySelectorAll('path, text').length < 10)
            out.blank.push(t);
        if (document.querySelector('[data-stale="true"]')) out.staleSeen += 1;
        const foot = document.querySelector('.sl-foot');
        if (foot) out.stamps.add(foot.innerText);
        await new Promise(r => setTimeout(r, every));
    }
    out.stamps = Array.from(out.stamps);
    out.dimmed = out.dimmed.slice(0, 20);
    return out;
}"""


def test_no_dimming_and_no_blank_chart_while_answers_arrive(server, browser, q):
    address, _, store = server
    session, _, projector = make_session(store, q)
    store.set_revealed(session.id, True)
    store.set_slide(session.id, "heatmap_gemeenten")
    room = open_screen(browser, f"{address}/scherm?s={projector}", FULL_HD)
    room.wait_for_function(_CHART_DRAWN, timeout=LIVE_WAIT)

    seconds = 30
    stop = threading.Event()
    written = [0]

    def answers_arrive() -> None:  # people keep answering, straight into the store
        n = 0
        while not stop.is_set():
            p, _ = store.create_participant(
                cooperation=session.name, municipality=MUNICIPALITIES[n % 3], role="raadslid", session_id=session.id
            )
            store.save_answers(p.id, {i.id: 1 + (n + k) % 5 for k, i in enumerate(q.items)})
            written[0] += 1
            n += 1
            stop.wait(0.5)  # pacing of the simulated room, not a wait in the test

    writer = threading.Thread(target=answers_arrive, daemon=True)
    writer.start()
    try:
        result = room.evaluate(_SAMPLE, {"seconds": seconds, "every": 200})
    finally:
        stop.set()
        writer.join(10)
    print(f"samples {result['samples']}, answers written {written[0]}, stale seen {result['staleSeen']}, stamps {result['stamps']}")
    assert result["samples"] >= seconds * 2  # sampled all along (every 200 ms plus the time a sample takes)
    assert result["dimmed"] == [], result["dimmed"]
    assert result["blank"] == [], f"blank chart at {result['blank'][:10]}"
    # The chart did follow the answers (rebuilt at most every CHART_REBUILD_SECONDS): a new "stand van".
    assert len(result["stamps"]) >= seconds // figures.CHART_REBUILD_SECONDS, result["stamps"]
    room.context.close()
