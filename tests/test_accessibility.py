"""Accessibility in a real browser (Debian's chromium): axe-core scans, Dutch page language, the
zelfscan by keyboard alone, 200% zoom at 360 px, and a live refresh that can be paused.

axe-core comes from the npm package pinned in tests/a11y/package.json (`npm ci --prefix tests/a11y`);
it is injected into the page with Playwright and runs there. One `streamlit run` server serves the module.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from storage import Store
from storage.store import PROJECTOR as PROJECTOR_LINK
from tests.support import (
    ARTIFACTS,
    PHONE,
    PROJECTOR,
    ROOT,
    fresh_database_url,
    settle,
    shot,
    streamlit_server,
    wait_for_charts,
)
from tests.test_app_zelfscan import ANSWERS
from ui import figures

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
OUT = ARTIFACTS / "a11y"
BLOCKING = {"serious", "critical"}
# Violations that are inside Streamlit's own components and cannot be fixed from the app, as
# (axe rule id, CSS selector of the element as axe reports it, why). Each is dropped for exactly that
# element; the rule still runs everywhere else. Empty: every finding so far could be fixed in the app.
EXCLUDED: list[tuple[str, str, str]] = []
LAPTOP = {"width": 1280, "height": 800}

MUNICIPALITIES = ["Tiel", "Culemborg", "Buren"]
PEOPLE = [
    ("Tiel", "raadslid", 5),
    ("Tiel", "wethouder", 4),
    ("Culemborg", "raadslid", 2),
    ("Culemborg", "griffier", 3),
    ("Buren", "raadslid", 4),
    ("Buren", "ambtenaar", 1),
]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: run `npm ci --prefix tests/a11y` (missing {AXE})")
    url = fresh_database_url(tmp_path_factory.mktemp("a11y"), "a11y.db")
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server(url, log=OUT / "server.log") as (address, _proc):
        store = Store(url)
        yield {"address": address, "store": store}
        store.dispose()


@pytest.fixture(scope="module")
def pages(server, q):
    """Links to every kind of page, with data behind them (made directly in the store: quick)."""
    store: Store = server["store"]
    a = server["address"]
    _, step_token = store.create_participant(
        cooperation="GR Sociaal Domein Rivierenland", municipality="Utrecht", role="wethouder"
    )
    done, result_token = store.create_participant(
        cooperation="GR Sociaal Domein Rivierenland", municipality="Utrecht", role="wethouder"
    )
    store.save_answers(done.id, ANSWERS)
    store.finish(done.id)

    session, fac_token = store.create_session(
        "Regio Rivierenland", MUNICIPALITIES, [r.id for r in q.settings.roles], [s.id for s in q.sections], 2
    )
    for n, (municipality, role, value) in enumerate(PEOPLE):
        p, _ = store.create_participant(cooperation=session.name, municipality=municipality, role=role, session_id=session.id)
        store.save_answers(p.id, {i.id: (value + n * (k % 2)) % 6 for k, i in enumerate(q.items)})
        store.finish(p.id)
    # A session revealed early, with one person per municipality (no spread to draw yet).
    early, early_token = store.create_session("Regio Vroeg", MUNICIPALITIES[:2], ["raadslid"], [s.id for s in q.sections], 1)
    for municipality, value in zip(MUNICIPALITIES[:2], (4, 2), strict=True):
        p, _ = store.create_participant(cooperation=early.name, municipality=municipality, role="raadslid", session_id=early.id)
        store.save_answers(p.id, {i.id: value for i in q.items})
        store.finish(p.id)
    store.set_revealed(early.id, True)
    store.set_slide(early.id, "heatmap_gemeenten")  # the console previews a chart, with its table
    _, projector_token = store.create_link(session.id, PROJECTOR_LINK)
    wp, ws_token = store.create_participant(cooperation=session.name, municipality="Tiel", role="raadslid", session_id=session.id)
    store.save_answers(wp.id, {q.sections[0].items[0].id: 4}, step=1)  # a participant on step 2, midway
    return {
        "session": session,
        "start": f"{a}/",
        "zelfscan-stap": f"{a}/vragenlijst?p={step_token}",
        "zelfscan-resultaat": f"{a}/vragenlijst?p={result_token}",
        "meedoen": f"{a}/?code={session.join_code}",
        "workshop-stap": f"{a}/vragenlijst?p={ws_token}",
        "dashboard": f"{a}/dashboard?f={fac_token}",
        "dashboard-vroeg": f"{a}/dashboard?f={early_token}",
        "scherm": f"{a}/scherm?s={projector_token}",
    }


# ---------------------------------------------------------------- helpers


def run_axe(page) -> list[dict]:
    """All axe violations on the page (every impact), minus the documented exclusions."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }"""
    )
    out = []
    for v in found:
        nodes = [n for n in v["nodes"] if not any(rule == v["id"] and sel == n["target"] for rule, sel, _ in EXCLUDED)]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"]:
            lines.append(f"    {n['target']}  {n['html'][:160]}")
            lines.append(f"        {(n['summary'] or '').replace(chr(10), ' ')[:300]}")
    return "\n".join(lines) or "(none)"


def wait_dutch(page) -> None:
    """The page language is set to Dutch by a small script after load (ui.theme)."""
    page.wait_for_function("() => document.documentElement.lang === 'nl'", timeout=10_000)


def open_page(page, url: str, ready: str) -> None:
    page.goto(url)
    settle(page)
    page.get_by_text(ready).first.wait_for()
    settle(page)
    wait_dutch(page)


def overflow(page) -> list[str]:
    """What scrolls sideways: the page's scrolling chain, and any visible box inside the main content
    (a code block with a long link, say) except data tables, which WCAG 1.4.10 lets scroll."""
    return page.evaluate(
        """() => {
            const sel = ['html', 'body', '[data-testid="stApp"]', '[data-testid="stAppViewContainer"]',
                         '[data-testid="stMain"]', '[data-testid="stMainBlockContainer"]'];
            const bad = [];
            for (const s of sel) {
                const e = document.querySelector(s);
                if (e && e.scrollWidth > e.clientWidth + 1) bad.push(`${s}: ${e.scrollWidth} > ${e.clientWidth}`);
            }
            for (const e of document.querySelectorAll('[data-testid="stMain"] *')) {
                const ox = getComputedStyle(e).overflowX;
                if (!['auto', 'scroll'].includes(ox) || e.scrollWidth <= e.clientWidth + 1 || !e.checkVisibility()) continue;
                if (e.closest('[data-testid="stTable"], [data-testid="stDataFrame"]')) continue;
                bad.push(`${e.tagName.toLowerCase()} in ${e.closest('[data-testid]').dataset.testid}: ${e.scrollWidth} > ${e.clientWidth}`);
            }
            return bad;
        }"""
    )


# ---------------------------------------------------------------- axe scans


SCANS = [
    # name, ready text
    ("start", "Start de zelfscan"),
    ("zelfscan-stap", "Stap 1 van"),
    ("zelfscan-resultaat", "Advies: Uitkleden"),
    ("meedoen", "Beginnen"),
    ("workshop-stap", "Stap 2 van"),
    ("dashboard-vroeg", "Tabel bij deze dia"),
    ("dashboard", "Alle resultaten tonen"),
    ("scherm", "Deelnamecode"),
]
WITH_CHARTS = {"zelfscan-resultaat", "dashboard-vroeg"}


@pytest.mark.parametrize("viewport", [PHONE, PROJECTOR], ids=["390x844", "1920x1080"])
def test_axe_finds_no_serious_or_critical_violations(server, browser, pages, viewport):
    store: Store = server["store"]
    session = pages["session"]
    store.set_revealed(session.id, False)
    ctx = browser.new_context(viewport=viewport)
    page = ctx.new_page()
    report: dict[str, list] = {}
    size = f"{viewport['width']}x{viewport['height']}"
    try:
        for name, ready in SCANS:
            open_page(page, pages[name], ready)
            if name in WITH_CHARTS:
                wait_for_charts(page)
            report[name] = run_axe(page)
            shot(page, f"a11y/{name}-{size}", full=name not in {"dashboard", "dashboard-vroeg", "scherm"})

        # The console once more, with the results revealed and a figure slide on (chart, table behind it).
        open_page(page, pages["dashboard"], "Alle resultaten tonen")
        page.get_by_role("button", name="Alle resultaten tonen").click()
        page.get_by_role("button", name="Volgende dia →").click()
        page.get_by_text("Tabel bij deze dia").first.wait_for(timeout=20_000)
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
        wait_for_charts(page)
        settle(page)
        wait_dutch(page)
        report["dashboard-zichtbaar"] = run_axe(page)
        shot(page, f"a11y/dashboard-zichtbaar-{size}", full=False)
        # And the Presentatiescherm showing that chart to the room.
        open_page(page, pages["scherm"], "Deelnamecode")
        page.locator(".st-key-slidechart svg.marks").first.wait_for(timeout=20_000)
        report["scherm-zichtbaar"] = run_axe(page)
        shot(page, f"a11y/scherm-zichtbaar-{size}", full=False)
    finally:
        store.set_revealed(session.id, False)
        store.set_slide(session.id, "meedoen")
        ctx.close()

    (OUT / f"axe-{size}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    everything = "\n".join(f"== {name} ({size})\n{describe(v)}" for name, v in report.items())
    print(everything)
    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in report.items()}
    assert not any(blocking.values()), f"serious/critical axe violations at {size}; all violations:\n{everything}"


# ---------------------------------------------------------------- keyboard only


_ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return {tag: 'BODY', label: '', type: '', checked: false, role: '', group: -1};
    const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].innerText : '') || e.innerText || '';
    const radio = e.closest('[data-testid="stRadio"]');
    const groups = Array.from(document.querySelectorAll('[data-testid="stRadio"]'));
    return {tag: e.tagName, label: label.trim().slice(0, 80), type: e.type || '', checked: !!e.checked,
            role: e.getAttribute('role') || '', group: radio ? groups.indexOf(radio) : -1};
}"""


def tab_to(page, want, what: str, *, back: bool = False, limit: int = 40) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is the one wanted; fail if it never is."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        active = page.evaluate(_ACTIVE)
        if want(active):
            return active
        seen.append(f"{active['tag']}:{active['label'][:30]}")
    raise AssertionError(f"{what} cannot be reached with {'Shift+' if back else ''}Tab; focus went: {' > '.join(seen)}")


# The keys that answer one statement, from an unanswered group with the first option focused:
# Space checks it, ArrowDown moves to and checks the next one, ArrowUp wraps round to the last.
KEYS = [("Space", 1), ("ArrowDown", 2), ("ArrowUp", 0)]


def _chosen(page) -> None:
    """Wait until the select box's list has closed: the highlighted option is chosen (a loaded machine lags)."""
    page.get_by_role("listbox").wait_for(state="hidden")


def _choose_by_typing(page, label: str, option: str) -> None:
    """In the focused select box ``label``: type ``option``, wait until the list has *highlighted* it
    (react-aria marks it data-focused), press Enter and wait until the box holds it. On a loaded machine
    an Enter before the filter caught up chose nothing ('Kies uw rol.' in a clean CI run)."""
    page.keyboard.type(option)
    page.locator('[role="option"][data-focused="true"]').filter(has_text=option).first.wait_for()
    page.keyboard.press("Enter")
    _chosen(page)
    box = page.get_by_role("combobox", name=label)
    page.wait_for_function("([el, want]) => el.value === want", arg=[box.element_handle(), option])


def test_the_zelfscan_can_be_done_with_the_keyboard_alone(server, browser, q):
    store: Store = server["store"]
    page = browser.new_page(viewport=LAPTOP)
    page.goto(server["address"])
    settle(page)
    page.get_by_role("textbox", name="Naam van de samenwerking").wait_for()
    wait_dutch(page)

    # -- start form: name, municipality (searchable: type + Enter), role, submit with Enter
    tab_to(page, lambda a: a["label"] == "Naam van de samenwerking", "the name field")
    page.keyboard.type("GR Toetsenbord")
    page.wait_for_function("() => document.activeElement && document.activeElement.value === 'GR Toetsenbord'")
    tab_to(page, lambda a: a["role"] == "combobox" and a["label"] == "Uw gemeente", "the municipality box")
    _choose_by_typing(page, "Uw gemeente", "Utrecht")  # the choice is made before the next key
    tab_to(page, lambda a: a["role"] == "combobox" and a["label"] == "Uw rol", "the role box")
    _choose_by_typing(page, "Uw rol", "Wethouder")
    tab_to(page, lambda a: a["tag"] == "BUTTON" and a["label"] == "Start de zelfscan", "the start button")
    page.keyboard.press("Enter")
    # The page switch, or else the message the form gave (so a failure says why).
    page.wait_for_function(
        "() => location.pathname.endsWith('/vragenlijst') || !!document.querySelector('[data-testid=\"stAlertContentError\"]')",
        timeout=60_000,
    )
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors
    page.wait_for_url("**/vragenlijst?p=*")
    token = page.url.split("p=", 1)[1]
    participant = store.participant_by_token(token)
    assert (participant.cooperation, participant.municipality, participant.role) == ("GR Toetsenbord", "Utrecht", "wethouder")

    # -- every step: Tab into each radio group and answer with arrow keys / Space
    expected: dict[str, int] = {}
    asked = [q.section_by_id[s] for s in q.default_section_ids]  # a zelfscan: optional modules off
    steps = len(asked)
    n = 0
    for step, section in enumerate(asked):
        page.get_by_text(f"Stap {step + 1} van {steps}").wait_for()
        page.wait_for_function(f"document.querySelectorAll('[data-testid=\"stRadio\"]').length === {len(section.items)}")
        settle(page)
        for g, item in enumerate(section.items):
            active = tab_to(
                page, lambda a, g=g: a["type"] == "radio" and a["group"] == g, f"statement {g + 1} of step {step + 1}"
            )
            assert not active["checked"]
            key, value = KEYS[n % len(KEYS)]
            page.keyboard.press(key)
            settle(page)
            expected[item.id] = value
            n += 1
        if step == 0:
            # Shift+Tab goes back to the previous statement; ArrowRight changes that answer.
            previous = len(section.items) - 2
            tab_to(page, lambda a, g=previous: a["type"] == "radio" and a["group"] == g, "the previous statement", back=True)
            page.keyboard.press("ArrowRight")
            settle(page)
            before = KEYS[(n - 2) % len(KEYS)][1]
            options = [*q.scale.values, q.scale.dont_know.code]
            expected[section.items[-2].id] = options[(options.index(before) + 1) % len(options)]
            shot(page, "a11y/keyboard-step-1", full=False)
        last = step == steps - 1
        button = "fronden en resultaat bekijken" if last else "Volgende"  # (Toch) afronden ...
        tab_to(page, lambda a, b=button: a["tag"] == "BUTTON" and b in a["label"], f"the button {button!r}")
        page.keyboard.press("Enter" if last else "Space")
        settle(page)

    page.get_by_text("Uw resultaat").first.wait_for()
    settle(page)
    shot(page, "a11y/keyboard-result", full=False)
    participant = store.participant_by_token(token)
    assert participant.finished
    assert store.answers_of(participant.id) == expected
    page.close()


# ---------------------------------------------------------------- 200% zoom at 360 px


def test_usable_at_200_percent_zoom_on_a_360_px_wide_screen(server, browser, q):
    """Browser zoom at 200% on a 720-px-wide window gives the page a 360 CSS-px wide layout viewport
    drawn with 2 device pixels per CSS pixel: exactly a 360x740 viewport with device_scale_factor=2.
    (CSS `zoom` on <body> would not do the same: media queries and Streamlit's own width measurements
    would still see 720 px.) WCAG 1.4.10 asks for no sideways scrolling at such a width."""
    store: Store = server["store"]
    _, token = store.create_participant(
        cooperation="Gemeenschappelijke Regeling Sociaal Domein Rivierenland en Omstreken",
        municipality="Súdwest-Fryslân",
        role="raadslid",
    )
    done, done_token = store.create_participant(
        cooperation="Gemeenschappelijke Regeling Sociaal Domein Rivierenland en Omstreken",
        municipality="Súdwest-Fryslân",
        role="raadslid",
    )
    store.save_answers(done.id, ANSWERS)
    store.finish(done.id)

    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = ctx.new_page()
    assert page.evaluate("() => [window.innerWidth, window.devicePixelRatio]") == [360, 2]

    open_page(page, f"{server['address']}/vragenlijst?p={token}", "Stap 1 van")
    page.get_by_text("Later verder? Bewaar uw persoonlijke link").click()  # the long personal link
    page.locator('[data-testid="stCode"]').first.wait_for()
    assert overflow(page) == []
    shot(page, "a11y/zoom200-step")
    volgende = page.get_by_role("button", name="Volgende")
    volgende.scroll_into_view_if_needed()
    assert volgende.is_visible() and volgende.is_enabled()
    box = volgende.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] >= 44, box
    volgende.click(trial=True)  # actionable: visible, stable, not covered by anything
    volgende.click()
    settle(page)
    page.get_by_text("Stap 2 van").wait_for()
    assert overflow(page) == []

    open_page(page, f"{server['address']}/vragenlijst?p={done_token}", "Advies: Uitkleden")
    wait_for_charts(page)
    page.get_by_text("Uw persoonlijke link").click()
    page.locator('[data-testid="stCode"]').first.wait_for()
    assert overflow(page) == []
    shot(page, "a11y/zoom200-result")

    open_page(page, server["address"], "Start de zelfscan")
    assert overflow(page) == []
    ctx.close()


# ---------------------------------------------------------------- live refresh can be paused


def _updated_at(page) -> str:
    text = page.get_by_text(re.compile(r"Bijgewerkt om \d\d:\d\d:\d\d")).first.inner_text()
    return re.search(r"\d\d:\d\d:\d\d", text).group(0)


def _changes_within(page, seconds: float) -> bool:
    start = _updated_at(page)
    deadline = time.time() + seconds
    while time.time() < deadline:
        page.wait_for_timeout(250)
        if _updated_at(page) != start:
            return True
    return False


def test_the_live_refresh_can_be_paused_and_resumed(server, browser, pages):
    page = browser.new_page(viewport=PROJECTOR)
    open_page(page, pages["dashboard"], "Bijgewerkt om")
    window = 2 * figures.REFRESH_SECONDS + 1.5
    assert _changes_within(page, window), "the dashboard does not refresh by itself"

    page.get_by_role("button", name="Verversen pauzeren (P)").click()
    settle(page)
    page.get_by_role("button", name="Verversen hervatten (P)").wait_for()
    page.get_by_text("Verversen staat op pauze.").wait_for()
    assert not _changes_within(page, window), "the time still changes while paused"

    page.get_by_role("button", name="Verversen hervatten (P)").click()
    settle(page)
    page.get_by_role("button", name="Verversen pauzeren (P)").wait_for()
    assert _changes_within(page, window), "the refresh does not come back after resuming"
    page.close()


def test_axe_is_the_pinned_version():
    pinned = json.loads((ROOT / "tests" / "a11y" / "package.json").read_text())["dependencies"]["axe-core"]
    installed = json.loads(Path(AXE.parent / "package.json").read_text())["version"]
    assert installed == pinned
