"""The facilitator's projector view: join code and QR, live counts, reveal/hide, pause, close, exports."""

from __future__ import annotations

import io
import time
from datetime import datetime

import segno
import streamlit as st

from exports import session as session_exports
from questionnaire.loader import Questionnaire
from services import workshop
from storage import Session, Store
from ui import links
from ui.text import md

REFRESH_SECONDS = 3
# While answers keep coming in, the revealed charts are rebuilt at most this often: a rebuild costs
# about 1.5 s of CPU at 400 participants, which every 3 s would take half a core from the phones.
# The counts above them still refresh every REFRESH_SECONDS.
CHART_REBUILD_SECONDS = 15
_CHARTS_KEY = "_dash_charts"  # (fingerprint, monotonic time, wall-clock label) of the charts shown

_CSS = """
<style>
.block-container { padding-top: 1.2rem; max-width: 100% !important; }
.join-code { font-size: 4.2rem; font-weight: 800; letter-spacing: 0.5rem; line-height: 1; color: #0B2545; font-family: monospace; }
.join-url { font-size: 1.6rem; color: #1A1A1A; word-break: break-all; }
.big-label { font-size: 1.3rem; color: #333; margin-bottom: 0.2rem; }
.counts { width: 100%; border-collapse: collapse; font-size: 1.45rem; }
.counts th, .counts td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #bbb; text-align: left; }
.counts td.num, .counts th.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display:inline-block; width: 1.1rem; height: 1.1rem; border-radius: 3px; margin-right: 0.5rem; vertical-align: -0.1rem; }
.state { font-size: 1.3rem; font-weight: 700; padding: 0.25rem 0.8rem; border-radius: 999px; display: inline-block; }
.state-hidden { background: #FCE8B2; color: #5A3E00; }
.state-shown { background: #CDEBDD; color: #0B3D2E; }
.state-closed { background: #F6C9B8; color: #5A1600; }
.finding { font-size: 1.45rem; font-weight: 600; margin: 0.2rem 0 0.6rem 0; }
</style>
"""


def qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=12, border=2, dark="#000000", light="#FFFFFF")
    return buf.getvalue()


def header(session: Session) -> None:
    st.html(_CSS)
    url = links.join_url(session.join_code)
    left, middle, right = st.columns([5, 2, 3], vertical_alignment="center")
    with left:
        st.markdown(f"# {md(session.name)}")
        st.html(
            "<div class='big-label'>Doe mee op uw telefoon: scan de QR-code of ga naar</div>"
            f"<div class='join-url'>{_esc(url)}</div>"
            "<div class='big-label' style='margin-top:0.6rem'>Deelnamecode</div>"
            f"<div class='join-code' aria-label='Deelnamecode'>{_esc(session.join_code)}</div>"
        )
    with middle:
        st.image(qr_png(url), caption="Scan om mee te doen", alt=f"QR-code met de link om mee te doen: {url}", width=260)
    with right:
        state = (
            ("state-closed", "Gesloten: antwoorden kan niet meer")
            if session.closed
            else ("state-shown", "Resultaten zichtbaar")
            if session.revealed
            else ("state-hidden", "Resultaten verborgen")
        )
        st.html(f"<span class='state {state[0]}'>{state[1]}</span>")


def _esc(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)


def controls(store: Store, session: Session) -> None:
    """Reveal/hide, pause/resume and close/reopen. Keyboard: T = tonen/verbergen, P = pauze."""
    paused = st.session_state.get("dash_paused", False)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        if session.revealed:
            st.button("Resultaten verbergen (T)", on_click=store.set_revealed, args=(session.id, False), shortcut="t", width="stretch", key="btn_hide")
        else:
            st.button("Resultaten tonen (T)", type="primary", on_click=store.set_revealed, args=(session.id, True), shortcut="t", width="stretch", key="btn_reveal")
    with c2:
        st.button(
            "Verversen hervatten (P)" if paused else "Verversen pauzeren (P)",
            on_click=_toggle_pause,
            shortcut="p",
            width="stretch",
            key="btn_pause",
        )
    with c3:
        if session.closed:
            st.button("Sessie heropenen", on_click=store.set_closed, args=(session.id, False), width="stretch", key="btn_reopen")
        else:
            st.button("Antwoorden sluiten", on_click=store.set_closed, args=(session.id, True), width="stretch", key="btn_close")
    with c4:
        st.caption(
            ("Verversen staat op pauze." if paused else f"Ververst elke {REFRESH_SECONDS} seconden.")
            + " Sneltoetsen: T tonen/verbergen, P pauze."
        )


def _toggle_pause() -> None:
    st.session_state["dash_paused"] = not st.session_state.get("dash_paused", False)


def live_panel(store: Store, q: Questionnaire, session_id: int) -> None:
    """Everything that refreshes by itself: counts and (when revealed) the comparison charts."""
    session = store.session(session_id)
    attendance = workshop.publishable_attendance(store, session)  # the room: "minder dan N" below the minimum
    counts = attendance.rows
    from charts.style import municipality_colours

    colours = municipality_colours(list(session.municipalities))
    rows = "".join(
        f"<tr><td><span class='swatch' style='background:{colours.get(r.municipality, '#999')}'></span>{_esc(r.municipality)}</td>"
        f"<td class='num'>{_esc(r.joined)}</td><td class='num'>{_esc(r.finished)}</td></tr>"
        for r in counts.itertuples()
    )
    total_j, total_f = attendance.total_joined, attendance.total_finished
    st.html(
        "<table class='counts' aria-label='Deelnemers per gemeente'><thead><tr><th>Gemeente</th>"
        "<th class='num'>Aangemeld</th><th class='num'>Klaar</th></tr></thead><tbody>"
        f"{rows}<tr><td><b>Totaal</b></td><td class='num'><b>{total_j}</b></td><td class='num'><b>{total_f}</b></td></tr>"
        "</tbody></table>"
    )
    st.caption(f"Bijgewerkt om {datetime.now():%H:%M:%S}. {attendance.note}".strip())
    if not session.revealed:
        st.info(
            "De resultaten zijn nog verborgen, zodat vroege antwoorden latere niet sturen. "
            "Druk op ‘Resultaten tonen’ als iedereen klaar is."
        )
        return
    fingerprint = store.session_fingerprint(session_id)
    shown = st.session_state.get(_CHARTS_KEY)
    now = time.monotonic()
    if shown and shown[0] != fingerprint and now - shown[1] < CHART_REBUILD_SECONDS:
        fingerprint = shown[0]  # new answers: the charts follow within CHART_REBUILD_SECONDS
    elif not shown or shown[0] != fingerprint:
        shown = (fingerprint, now, f"{datetime.now():%H:%M:%S}")
        st.session_state[_CHARTS_KEY] = shown
    figures = _figures(store, q, session_id, fingerprint, "projector")
    st.caption(f"Grafieken: stand van {shown[2]} (bij nieuwe antwoorden hooguit elke {CHART_REBUILD_SECONDS} seconden bijgewerkt).")
    for fig in figures:
        st.html(f"<p class='finding'>{_esc(fig.caption)}</p>")
        st.altair_chart(_accessible(fig), width="stretch")
        with st.expander("Tabel bij deze grafiek"):
            st.dataframe(fig.table, hide_index=True, width="stretch")


def _accessible(fig: workshop.Figure):
    """Screen readers get the chart as one graphic named by its title (the finding is the text just
    above it) and the numbers from the table under it, instead of Vega's mark-by-mark labels: Vega
    gives an empty layer (no spread or no small group to draw yet) an image role without a name
    (axe svg-img-alt, serious)."""
    return fig.chart.configure_mark(aria=False).properties(description=fig.title)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={Store: id, Questionnaire: id})
def _figures(store: Store, q: Questionnaire, session_id: int, fingerprint: tuple, size: str) -> list[workshop.Figure]:
    """Charts of a session, rebuilt only when its answers change (building them takes about a second)."""
    session = store.session(session_id)
    return workshop.comparison_figures(workshop.load_session_data(store, q, session), q, size=size)


def exports_panel(store: Store, q: Questionnaire, session: Session) -> None:
    """Downloads; each file is built when it is clicked, from the answers as they are at that moment."""

    def fresh() -> workshop.SessionData:
        return workshop.load_session_data(store, q, store.session(session.id))

    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    base = f"samenwerkingsspiegel-{session.join_code}-{stamp}"
    common = {"width": "stretch", "on_click": "ignore"}
    st.markdown("#### Resultaten voor de raad")
    st.markdown(
        "Mag gedeeld worden: alleen cijfers per groep, geen rij per deelnemer. Groepen kleiner dan "
        f"{session.min_group_size} staan er niet in en zijn ook niet terug te rekenen (zie de Toelichting)."
    )
    cols = st.columns(len(session_exports.COUNCIL_FILES))
    for n, (name, kind) in enumerate(session_exports.COUNCIL_FILES.items()):
        with cols[n]:
            st.download_button(
                kind.label,
                lambda name=name: session_exports.council_file(fresh(), q, name),
                file_name=f"{base}-{kind.suffix}",
                mime=kind.mime,
                key=f"dl_council_{n}",
                **common,
            )
    if session.revealed:
        st.markdown("**Grafieken als afbeelding (PNG), voor een raadsvoorstel**")
        cols = st.columns(3)
        for n, (key, title) in enumerate(workshop.FIGURE_TITLES.items()):
            with cols[n % 3]:
                st.download_button(
                    title,
                    lambda key=key: session_exports.chart_png(_figure(fresh(), q, key).chart),
                    file_name=f"{base}-{key}.png",
                    mime="image/png",
                    key=f"dl_png_{key}",
                    **common,
                )
    else:
        st.caption("De grafieken zijn als afbeelding te downloaden zodra de resultaten zichtbaar zijn.")
    st.markdown("#### Ruwe antwoorden – niet publiceren")
    st.warning(session_exports.RAW_WARNING, icon=":material/warning:")
    cols = st.columns(len(session_exports.RAW_FILES))
    for n, (name, kind) in enumerate(session_exports.RAW_FILES.items()):
        with cols[n]:
            st.download_button(
                kind.label,
                lambda name=name: session_exports.raw_file(fresh(), q, name),
                file_name=f"{base}-{kind.suffix}",
                mime=kind.mime,
                key=f"dl_raw_{n}",
                help="Niet publiceren: losse antwoorden per deelnemer.",
                **common,
            )


def _figure(data: workshop.SessionData, q: Questionnaire, key: str) -> workshop.Figure:
    return next(f for f in workshop.comparison_figures(data, q, size="normal") if f.key == key)
