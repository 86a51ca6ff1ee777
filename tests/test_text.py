"""Text is text: every string a person typed is shown as typed, never as a link, an icon, an emoji,
a formula or HTML (ui.text.md), on every page that shows it; an over-long paste is refused with a
message that names the limit, never silently emptied."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from storage import Store
from tests.support import ARTIFACTS, PHONE, PROJECTOR, ROOT, app_page, fresh_database_url, settle, streamlit_server
from ui.text import JOINER, md

APP = str(ROOT / "app.py")

# Each of these became markup before issue 11 (checked in Chromium): a live link, an icon, a formula.
TEXT_NAMES = [
    "http://evil.example/x",
    "www.evil.example",
    "mail me@evil.example",
    ":material/home: thuis",
    ":smile: :+1: :rocket:",
    "$x^2$ en $$y$$",
    "<b>vet</b> <a href=x>a</a>",
    "[klik](https://evil.example)",
]


def _unescape(source: str) -> str:
    """What Markdown shows for md()'s output: escapes resolved, word joiners invisible."""
    return re.sub(r"\\(.)", r"\1", source).replace(JOINER, "")


@pytest.mark.parametrize("name", TEXT_NAMES)
def test_md_breaks_every_markup_pattern_and_reads_the_same(name):
    out = md(name)
    assert _unescape(out) == name
    assert "://" not in out and not re.search(r"(?i)www\.", out)
    assert not re.search(r"\w@", out)  # an e-mail autolink needs a word character right before '@'
    assert not re.search(r":[A-Za-z0-9_+/-]+:", out.replace("\\", ""))  # :material/...: and :shortcode:
    assert not re.search(r"(?<!\\)[$<>\[\]()]", out)


# ---------------------------------------------------------------- AppTest: the Markdown source


def _page(path: str, **params) -> AppTest:
    return app_page(path, **params)


def _sources(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "header", "markdown", "caption", "warning", "error"):
        out += [str(e.value) for e in at.get(kind)]
    for w in [*at.radio, *at.text_input]:
        out.append(w.label)
    for r in at.radio:
        out += [str(o) for o in r.options]
    return out


def _assert_escaped(at: AppTest, name: str, where: str) -> None:
    sources = _sources(at)
    assert any(md(name) in s for s in sources), f"{where}: {md(name)!r} not in {sources[:8]}"
    raw_markup = [s for s in sources if name in s]  # the name unescaped anywhere would be live markup
    assert not raw_markup, f"{where}: unescaped in {raw_markup[:3]}"


@pytest.mark.parametrize("name", TEXT_NAMES)
def test_every_page_renders_the_name_escaped(app_db, q, name):
    store = Store(app_db)
    # The zelfscan cooperation on the step page and the result page.
    _, step_token = store.create_participant(cooperation=name, municipality="Utrecht", role="raadslid")
    done, done_token = store.create_participant(cooperation=name, municipality=name[:90], role="raadslid")
    store.save_answers(done.id, {i.id: 3 for i in q.items})
    store.finish(done.id)
    _assert_escaped(_page("pages/vragenlijst.py", p=step_token), name, "stap")
    _assert_escaped(_page("pages/vragenlijst.py", p=done_token), name, "resultaat")
    # A session's name and municipality: join page (title, radios), console (title, delete label),
    # the closed session's message.
    session, fac = store.create_session(name, [name[:90], "Tiel"], ["raadslid"], [s.id for s in q.sections], 1)
    join = _page("pages/start.py", code=session.join_code)
    _assert_escaped(join, name, "meedoen")
    assert md(name[:90]) in join.radio[0].options
    _assert_escaped(_page("pages/dashboard.py", f=fac), name, "begeleidersscherm")
    store.set_closed(session.id, True)
    _assert_escaped(_page("pages/start.py", code=session.join_code), name, "gesloten")


# ---------------------------------------------------------------- real browser


_MARKUP = """(hosts) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const bad = [];
  for (const a of main.querySelectorAll('a[href]')) {
    const h = a.getAttribute('href') || '';
    if (hosts.some(x => h.includes(x)) || h.startsWith('mailto:') || h === 'x') bad.push('link ' + h);
  }
  for (const e of main.querySelectorAll('[data-testid="stMarkdownContainer"] [role="img"], .katex, math, [data-testid="stMarkdownContainer"] b'))
    bad.push('markup ' + e.outerHTML.slice(0, 80));
  for (const e of main.querySelectorAll('[data-testid="stMarkdownContainer"] img')) bad.push('img');
  return bad;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("text")
    url = fresh_database_url(directory, "text.db")
    log = ARTIFACTS / "text" / "server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with streamlit_server(url, log=log) as (address, _proc):
        store = Store(url)
        yield {"address": address, "store": store}
        store.dispose()


@pytest.mark.browser
def test_no_link_icon_or_formula_appears_in_a_real_browser(server, browser, q):
    store: Store = server["store"]
    address = server["address"]
    page = browser.new_page(viewport=PHONE)

    def check(url: str, texts: list[str], what: str, viewport=PHONE) -> None:
        page.set_viewport_size(viewport)
        page.goto(url)
        settle(page)
        page.wait_for_function(
            "(texts) => { const t = document.querySelector('[data-testid=\"stMain\"]').innerText.replaceAll('\\u2060', '');"
            " return texts.every(x => t.includes(x)); }",
            arg=texts,
            timeout=15_000,
        )
        assert page.evaluate(_MARKUP, ["evil.example"]) == [], what
        page.screenshot(path=str(ARTIFACTS / "text" / f"{what}.png"))

    for n, name in enumerate(TEXT_NAMES):
        _, token = store.create_participant(cooperation=name, municipality="Utrecht", role="raadslid")
        check(f"{address}/vragenlijst?p={token}", [name], f"stap-{n}")
        done, done_token = store.create_participant(cooperation=name, municipality="Tiel", role="raadslid")
        store.save_answers(done.id, {i.id: 3 for i in q.items})
        store.finish(done.id)
        check(f"{address}/vragenlijst?p={done_token}", [name], f"resultaat-{n}")
    half = len(TEXT_NAMES) // 2
    for part, names in enumerate((TEXT_NAMES[:half], TEXT_NAMES[half:])):
        title = " ".join(names)[:120]
        session, fac = store.create_session(title, names, ["raadslid"], [s.id for s in q.sections], 1)
        check(f"{address}/?code={session.join_code}", [title, *names], f"meedoen-{part}")
        check(f"{address}/dashboard?f={fac}", [title, *names], f"begeleidersscherm-{part}", PROJECTOR)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/workshop"])
def test_a_20000_character_paste_is_refused_with_the_limit_never_emptied(server, browser, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(server["address"] + path)
    settle(page)
    box = page.get_by_role("textbox", name="Naam van de samenwerking")
    box.click()
    pasted = "Samenwerking " * 1540  # 20,020 characters
    page.keyboard.insert_text(pasted)
    page.wait_for_function("(n) => document.activeElement && document.activeElement.value.length === n", arg=len(pasted))
    button = "Start de zelfscan" if path == "/" else "Sessie aanmaken"
    page.get_by_role("button", name=button).click()
    page.get_by_text("te lang: hooguit 120 tekens, u gaf er 20.019").wait_for(timeout=15_000)  # stripped: 20,019
    assert len(box.input_value()) == len(pasted)  # the text is still there, to shorten
    page.screenshot(path=str(ARTIFACTS / "text" / f"te-lang{path.replace('/', '-')}.png"))
    page.close()
