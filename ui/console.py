"""Begeleidersscherm: the facilitator's controls, status, exact counts and a preview of the Presentatiescherm.

Keyboard (what a presentation clicker sends): → or PageDown next slide, ← or PageUp previous,
T shows/hides the results of the current slide, P pauses the console's own refresh.
"""

from __future__ import annotations

import streamlit as st

from questionnaire.loader import Questionnaire
from services import cooperation, presenter
from storage import Session, Store
from storage.store import PresenterView
from ui import figures, slides
from ui.text import md

PAUSED_KEY = "dash_paused"

_CSS = """
<style>
.block-container { padding-top: 1.2rem; max-width: 100% !important; }
.counts { width: 100%; border-collapse: collapse; font-size: 1.15rem; }
.counts th, .counts td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #bbb; text-align: left; }
.counts td.num, .counts th.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display:inline-block; width: 1rem; height: 1rem; border-radius: 3px; margin-right: 0.5rem; vertical-align: -0.1rem; }
.state { font-size: 1.1rem; font-weight: 700; padding: 0.2rem 0.8rem; border-radius: 999px; display: inline-block; margin: 0 0.4rem 0.3rem 0; }
.state-hidden { background: #FCE8B2; color: #5A3E00; }
.state-shown { background: #CDEBDD; color: #0B3D2E; }
.state-closed { background: #F6C9B8; color: #5A1600; }
.state-open { background: #DCE7F5; color: #0B2545; }
</style>
"""


# The keys a presentation clicker sends, handled once per browser tab: each presses the matching
# button, so a key does exactly what a click does. Streamlit's own button shortcuts (shortcut=) lost
# key presses in Chromium: three quick presses moved 0 or 2 slides instead of 3 (a click during a
# script run is merged with the run's own trigger), and they take one key per button where a clicker
# needs two (→ and PageDown). So keys are queued and clicked one run at a time. Keys typed into a
# field, with a modifier, or held down (repeat) are left alone.
_KEYS_JS = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__spiegelPacer) return;
  win.__spiegelPacer = true;
  const keys = {ArrowRight: "btn_next", PageDown: "btn_next", ArrowLeft: "btn_prev", PageUp: "btn_prev",
                t: "btn_slide_reveal", T: "btn_slide_reveal", p: "btn_pause", P: "btn_pause"};
  const queue = [];
  let busy = false;
  const running = () => { const app = doc.querySelector('[data-testid="stApp"]');
                          return !app || app.getAttribute("data-test-script-state") === "running"; };
  // One click at a time, each when no script run is in progress, and the next only after the run
  // that click started has finished: clicks on a button during a run are merged by Streamlit.
  function pump() {
    if (busy || queue.length === 0) return;
    if (running()) { win.setTimeout(pump, 40); return; }
    const button = doc.querySelector(".st-key-" + queue[0] + " button");
    if (!button) { win.setTimeout(pump, 40); return; }
    queue.shift();
    if (button.disabled) { pump(); return; }
    busy = true;
    button.click();
    const start = win.performance.now();
    let seen = false;
    (function wait() {
      const r = running();
      seen = seen || r;
      if ((seen && !r) || win.performance.now() - start > 4000) { busy = false; pump(); return; }
      win.setTimeout(wait, 25);
    })();
  }
  doc.addEventListener("keydown", function (e) {
    const which = keys[e.key];
    if (!which || e.repeat || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
    e.preventDefault();
    queue.push(which);
    pump();
  }, true);
})();
</script>
"""


def css() -> None:
    st.html(_CSS)
    st.html(_KEYS_JS, unsafe_allow_javascript=True)


def header(session: Session) -> None:
    st.title("Begeleidersscherm")
    st.markdown(f"**{md(session.name)}** · deelnamecode **{session.join_code}**")


def pause_button() -> bool:
    """Pause/resume this screen's own refresh (P). Returns whether it is paused."""
    paused = st.session_state.get(PAUSED_KEY, False)
    left, right = st.columns([1, 3], vertical_alignment="center")
    with left:
        st.button(
            "Verversen hervatten (P)" if paused else "Verversen pauzeren (P)",
            on_click=_toggle_pause,
            width="stretch",
            key="btn_pause",
        )
    with right:
        st.caption(
            ("Verversen staat op pauze." if paused else f"Ververst elke {figures.REFRESH_SECONDS} seconden.")
            + " Sneltoetsen: → of PageDown volgende dia, ← of PageUp vorige, T resultaten van deze dia tonen/verbergen,"
            " P pauze. Het presentatiescherm ververst altijd zelf."
        )
    return paused


def act(store: Store, fn, *args) -> None:
    """Run a button's action only while this page's begeleiderslink still works: a console left open
    after its link was revoked keeps its buttons until the next poll, and they must do nothing."""
    if store.session_by_facilitator_token(st.query_params.get("f")) is not None:
        fn(*args)


def _toggle_pause() -> None:
    st.session_state[PAUSED_KEY] = not st.session_state.get(PAUSED_KEY, False)


def signature(session: Session, view: PresenterView) -> tuple:
    """What the buttons and the slide list are drawn for; when it changes (here or on another
    console) the live part reruns the whole page, so every label follows within one poll."""
    return (session.closed, session.revealed, view.slide, view.reveal_all, tuple(sorted(view.overrides.items())))


def board(store: Store, q: Questionnaire, session: Session, view: PresenterView) -> None:
    """Status and buttons. Drawn by the page itself, not by the polling fragment: a click on a button
    inside a fragment with a timer was lost now and then (the timer's run replaced the click's)."""
    deck = presenter.slides(session, q)
    index = presenter.current_index(deck, view)
    status(session, deck[index], view, index, len(deck))
    controls(store, q, session, deck[index], view)


def live(store: Store, q: Questionnaire, session: Session) -> None:
    """What follows the database by itself: the preview of the Presentatiescherm and the counts."""
    view = store.presenter_view(session.id)
    deck = presenter.slides(session, q)
    slide = deck[presenter.current_index(deck, view)]
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("**Nu op het presentatiescherm**")
        with st.container(key="preview"):
            slides.render(store, q, session)
        if presenter.shows_results(slide, view):
            fig = figures.current(store, q, session.id, slide.key)[0].get(slide.key)
            if fig is not None:
                with st.expander("Tabel bij deze dia"):
                    st.dataframe(fig.table, hide_index=True, width="stretch")
    with right:
        counts(store, session)
        st.caption(f"Bijgewerkt om {slides.now_label()}")


def status(session: Session, slide: presenter.Slide, view: PresenterView, index: int, total: int) -> None:
    pills = [
        ("state-closed", "Gesloten: antwoorden kan niet meer") if session.closed else ("state-open", "Open: deelnemers kunnen antwoorden"),
        ("state-open", f"Dia {index + 1} van {total}: {slide.title}"),
    ]
    if slide.has_results:
        pills.append(
            ("state-shown", "Resultaten van deze dia zichtbaar")
            if view.revealed(slide.key)
            else ("state-hidden", "Resultaten van deze dia verborgen")
        )
    st.html("".join(f"<span class='state {c}'>{slides.esc(t)}</span>" for c, t in pills))


def controls(store: Store, q: Questionnaire, session: Session, slide: presenter.Slide, view: PresenterView) -> None:
    sid = session.id
    c1, c2, c3, c4, c5 = st.columns(5)
    with c1:
        st.button("← Vorige dia", on_click=act, args=(store, presenter.step, store, q, sid, -1), width="stretch", key="btn_prev")
    with c2:
        st.button("Volgende dia →", on_click=act, args=(store, presenter.step, store, q, sid, 1), type="primary", width="stretch", key="btn_next")
    with c3:
        shown = view.revealed(slide.key)
        st.button(
            "Resultaten van deze dia verbergen (T)" if shown else "Resultaten van deze dia tonen (T)",
            on_click=act,
            args=(store, presenter.toggle_current, store, q, sid),
            disabled=not slide.has_results,
            width="stretch",
            key="btn_slide_reveal",
        )
    with c4:
        all_shown = view.reveal_all and not any(v is False for v in view.overrides.values())
        if all_shown:
            st.button("Alle resultaten verbergen", on_click=act, args=(store, store.set_revealed, sid, False), width="stretch", key="btn_hide")
        else:
            st.button("Alle resultaten tonen", on_click=act, args=(store, store.set_revealed, sid, True), width="stretch", key="btn_reveal")
    with c5:
        if session.closed:
            st.button(
                "Sessie heropenen", on_click=act, args=(store, cooperation.set_closed, store, q, sid, False), width="stretch", key="btn_reopen"
            )
        else:
            st.button(
                "Antwoorden sluiten", on_click=act, args=(store, cooperation.set_closed, store, q, sid, True), width="stretch", key="btn_close"
            )


def counts(store: Store, session: Session) -> None:
    """Exact numbers per municipality (the projector rounds small ones away)."""
    from charts.style import municipality_colours

    table = store.session_counts(session.id)
    colours = municipality_colours(list(session.municipalities))
    rows = "".join(
        f"<tr><td><span class='swatch' style='background:{colours.get(r.municipality, '#999')}'></span>{slides.esc(r.municipality)}</td>"
        f"<td class='num'>{r.joined}</td><td class='num'>{r.finished}</td></tr>"
        for r in table.itertuples()
    )
    total_j, total_f = int(table["joined"].sum()), int(table["finished"].sum())
    st.html(
        "<table class='counts' aria-label='Deelnemers per gemeente'><thead><tr><th>Gemeente</th>"
        "<th class='num'>Aangemeld</th><th class='num'>Klaar</th></tr></thead><tbody>"
        f"{rows}<tr><td><b>Totaal</b></td><td class='num'><b>{total_j}</b></td><td class='num'><b>{total_f}</b></td></tr>"
        "</tbody></table>"
    )


def slide_list(store: Store, q: Questionnaire, session: Session, view: PresenterView) -> None:
    deck = presenter.slides(session, q)
    index = presenter.current_index(deck, view)
    st.markdown("**Alle dia's** (klik om ernaartoe te gaan)")
    for n, s in enumerate(deck):
        if n % 3 == 0:  # a row of three at a time: on a narrow screen the columns stack in slide order
            cols = st.columns(3)
        state = "" if not s.has_results else (" · zichtbaar" if view.revealed(s.key) else " · verborgen")
        with cols[n % 3]:
            st.button(
                f"{n + 1}. {s.title}{state}",
                on_click=act,
                args=(store, store.set_slide, session.id, s.key),
                type="primary" if n == index else "secondary",
                width="stretch",
                key=f"goto_{s.key}",
            )
