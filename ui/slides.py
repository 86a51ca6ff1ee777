"""One slide as the room sees it (Presentatiescherm) and as the console previews it; nothing here changes state.

A slide lives in a keyed container that is a CSS size container: everything inside is sized in
``cqh`` (percent of the slide's height), so the same slide fits a 1920×1080 and a 1280×720 projector
without scrolling, and shrinks into the console's 16:9 preview box. While the session is open the
deelnamecode and a small QR stay in the top right corner of every slide.
"""

from __future__ import annotations

import html

import segno
import streamlit as st

import findings
from formatting import fmt_clock
from questionnaire.loader import Questionnaire
from services import open_answers, presenter, workshop
from storage import Session, Store
from ui import figures, links

HIDDEN_TEXT = "Resultaten nog verborgen"

# Streamlit dims elements that a rerun has not redrawn yet (data-stale, an opacity transition):
# on a polling screen that is a flicker every few seconds. Kill it, and any other transition.
NO_DIMMING_CSS = """
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; filter: none !important; }
[data-testid="stElementContainer"], [data-testid="stVerticalBlock"], [data-testid="stVegaLiteChart"] { transition: none !important; }
"""

_SLIDE_CSS = """
.st-key-slide, .st-key-preview { container-type: size; position: relative; overflow: hidden; gap: 0 !important;
  background: #FFFFFF; color: #1A1A1A; }
.st-key-preview { width: 100%; aspect-ratio: 16 / 9; border: 2px solid #555; border-radius: 6px; }
.st-key-slide .stElementContainer, .st-key-preview .stElementContainer { margin: 0 !important; }
/* corner and footer are placed against the slide, not against their own element container */
.st-key-slide [data-testid="stElementContainer"], .st-key-preview [data-testid="stElementContainer"] { position: static !important; }
/* a chart's own toolbar (show data, download, copy spec): nothing to click on a slide */
.st-key-slide [data-testid="stElementToolbar"], .st-key-preview [data-testid="stElementToolbar"] { display: none !important; }
.sl-head { height: 18cqh; box-sizing: border-box; padding: 2.2cqh 40cqh 0 3cqw; }
.sl-kicker { font-size: 2.3cqh; color: #333; margin: 0 0 0.6cqh 0; line-height: 1.2; }
.sl-caption { font-size: 2.9cqh; font-weight: 600; line-height: 1.25; margin: 0; }
.sl-corner { position: absolute; top: 1.8cqh; right: 1.6cqw; display: flex; gap: 1.4cqh; align-items: center;
  background: #FFFFFF; border: 0.2cqh solid #0B2545; border-radius: 1cqh; padding: 1cqh 1.4cqh; z-index: 5; }
.sl-corner img { height: 12cqh; width: 12cqh; display: block; }
.sl-corner .sl-corner-label { font-size: 2.3cqh; color: #333; line-height: 1.2; }
.sl-corner .sl-corner-code { font-size: 4.6cqh; font-weight: 800; letter-spacing: 0.4cqh; font-family: monospace; color: #0B2545; line-height: 1.1; }
.sl-corner.closed { border-color: #7A2000; }
.sl-foot { position: absolute; left: 3cqw; right: 3cqw; bottom: 1.2cqh; font-size: 2.3cqh; color: #333;
  display: flex; justify-content: space-between; gap: 2cqw; line-height: 1.2; white-space: nowrap; overflow: hidden; }
.sl-chart { height: 76cqh; }
.st-key-slidechart { height: 76cqh; padding: 0 3cqw; box-sizing: border-box; display: flex; align-items: flex-start; justify-content: center; overflow: hidden; }
.st-key-slidechart [data-testid="stVegaLiteChart"] { display: flex; justify-content: center; }
/* Vega draws an SVG with a viewBox: full width, height from its aspect ratio, capped to the slide (then centred). */
.st-key-slidechart svg.marks { width: 100% !important; height: auto !important; max-height: 75cqh !important; }
.st-key-slidechart canvas { max-height: 75cqh !important; max-width: 100% !important; width: auto !important; height: auto !important; }
.sl-hidden { height: 70cqh; display: flex; flex-direction: column; align-items: center; justify-content: center; text-align: center; gap: 2cqh; }
.sl-hidden .sl-hidden-title { font-size: 5cqh; font-weight: 700; margin: 0; }
.sl-hidden .sl-hidden-state { font-size: 4cqh; font-weight: 700; background: #FCE8B2; color: #5A3E00; padding: 1.2cqh 3cqh; border-radius: 999px; }
.sl-hidden .sl-hidden-note { font-size: 2.8cqh; color: #333; }
.sl-join { height: 100cqh; box-sizing: border-box; padding: 4cqh 4cqw 7cqh 4cqw; display: grid;
  grid-template-columns: 1fr auto; grid-template-rows: auto 1fr; gap: 2cqh 4cqw; }
.sl-join h1 { font-size: 5.6cqh !important; line-height: 1.15; margin: 0 !important; padding: 0 !important; grid-column: 1 / 3; }
.sl-join .sl-how { font-size: 3.4cqh; line-height: 1.3; margin: 0 0 1cqh 0; }
.sl-join .sl-url { font-size: 3.6cqh; font-weight: 700; word-break: break-all; margin: 0 0 3cqh 0; color: #0B2545; }
.sl-join .sl-code-label { font-size: 3cqh; margin: 0; }
.sl-join .sl-code { font-size: 13cqh; font-weight: 800; letter-spacing: 1.2cqh; line-height: 1; font-family: monospace; color: #0B2545; margin: 0 0 3cqh 0; }
.sl-join .sl-qr img { height: 46cqh; width: 46cqh; display: block; }
.sl-join .sl-qr p { font-size: 2.6cqh; text-align: center; margin: 1cqh 0 0 0; }
.sl-counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(26cqh, 1fr)); gap: 0.8cqh 2cqw; font-size: 2.6cqh; }
.sl-counts div { display: flex; justify-content: space-between; gap: 1cqw; border-bottom: 0.15cqh solid #999; padding: 0.3cqh 0; }
.sl-counts .num { font-variant-numeric: tabular-nums; font-weight: 700; white-space: nowrap; }
.sl-total { font-size: 3cqh; font-weight: 700; margin: 0 0 1cqh 0; }
.sl-note { font-weight: 400; font-size: 2.4cqh; }
.sl-closed { font-size: 4cqh; font-weight: 700; color: #5A1600; background: #F6C9B8; padding: 1cqh 2cqh; border-radius: 1cqh; display: inline-block; }
.sl-text { height: 72cqh; box-sizing: border-box; padding: 0 4cqw; overflow: hidden; }
.sl-q { font-size: 3.4cqh !important; font-weight: 700; margin: 0 0 1.2cqh 0 !important; padding: 0 !important; line-height: 1.2; }
.sl-answers { columns: 2; column-gap: 4cqw; margin: 0 0 2cqh 0; padding: 0; list-style: none; font-size: 2.8cqh; line-height: 1.3; }
.sl-answers li { break-inside: avoid; margin: 0 0 1.1cqh 0; padding-left: 1.2cqh; border-left: 0.5cqh solid #0B5394; overflow: hidden;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
.sl-more { font-size: 2.6cqh; color: #333; margin: 0 0 2cqh 0; }
.sl-topics { font-size: 3.4cqh; line-height: 1.3; padding-left: 5cqh; margin: 0; }
.sl-topics li { margin: 0 0 3cqh 0; }
.sl-tip { display: block; font-size: 2.8cqh; color: #333; margin-top: 0.6cqh; }
.sl-swatch { display: inline-block; width: 2cqh; height: 2cqh; border-radius: 0.3cqh; margin-right: 0.8cqh; vertical-align: -0.2cqh; }
"""

PROJECTOR_PAGE_CSS = """
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0 !important; max-width: none !important; }
.st-key-slide { position: fixed; inset: 0; width: 100vw; height: 100vh; }
"""


def css(*, projector: bool) -> None:
    st.html("<style>" + NO_DIMMING_CSS + _SLIDE_CSS + (PROJECTOR_PAGE_CSS if projector else "") + "</style>")


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def qr_svg_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=10, border=2, dark="#000000", light="#FFFFFF")


def render(store: Store, q: Questionnaire, session: Session) -> None:
    """Draw the slide the Presentatiescherm shows now (read from the database) into the current container."""
    view = store.presenter_view(session.id)
    deck = presenter.slides(session, q)
    index = presenter.current_index(deck, view)
    slide = deck[index]
    footer = f"Dia {index + 1} van {len(deck)}"
    if slide.key == presenter.JOIN:
        _join_slide(store, session)
        _footer(session, footer)
        return
    _corner(session)
    if not presenter.shows_results(slide, view):
        _hidden_slide(slide)
        _footer(session, footer)
        return
    if slide.key == presenter.OPEN:
        _open_slide(store, q, session)
        _footer(session, footer)
        return
    if slide.key == presenter.TOPICS:
        _topics_slide(figures.topics(store, q, session.id))
        _footer(session, footer)
        return
    figs, at = figures.current(store, q, session.id, slide.key)
    fig = figs.get(slide.key)
    st.html(f"<div class='sl-head'><p class='sl-caption'>{esc(fig.caption) if fig else ''}</p></div>")
    if fig is not None:
        with st.container(key="slidechart"):
            st.altair_chart(fig.chart, width="stretch")
    _footer(session, f"{footer} · stand van {at}")


def _corner(session: Session) -> None:
    if session.closed:
        st.html(
            "<div class='sl-corner closed' aria-label='Sessie gesloten'><div class='sl-corner-label'>Meedoen is gesloten</div></div>"
        )
        return
    url = links.join_url(session.join_code)
    st.html(
        "<div class='sl-corner' data-testid='join-corner'>"
        f"<img src='{qr_svg_uri(url)}' alt='QR-code om mee te doen: {esc(url)}'>"
        "<div><div class='sl-corner-label'>Deelnamecode</div>"
        f"<div class='sl-corner-code' aria-label='Deelnamecode'>{esc(session.join_code)}</div></div></div>"
    )


MAX_OPEN_ON_SLIDE = 12  # answers per slide that stay legible at 2.8 % of the screen height


def _open_slide(store: Store, q: Questionnaire, session: Session) -> None:
    """The approved open answers, per question, as a readable list (two columns, each at most two lines),
    and the words named most often. Nothing that the begeleider did not approve."""
    parts, every = [], []
    asked = open_answers.questions(store, q, session)
    per_question = max(1, MAX_OPEN_ON_SLIDE // max(1, len(asked)))
    for position, question in enumerate(asked):
        texts = open_answers.approved_texts(store, session.id, position)
        every += texts
        answers = open_answers.grouped(texts)  # the same answer from six people is one line "(6×)"
        items = "".join(f"<li>{esc(t)}{f' <b>({n}×)</b>' if n > 1 else ''}</li>" for t, n in answers[:per_question])
        rest = len(answers) - per_question
        more = f"<p class='sl-more'>en nog {rest} andere antwoorden (in de rapportage)</p>" if rest > 0 else ""
        body = (
            f"<ul class='sl-answers'>{items}</ul>{more}" if texts else "<p class='sl-more'>Nog geen goedgekeurde antwoorden.</p>"
        )
        parts.append(f"<h2 class='sl-q'>{esc(question)}</h2>{body}")
    words = open_answers.top_words(every, n=6)
    named = ", ".join(f"{esc(w)} ({n})" for w, n in words)
    head = f"<p class='sl-caption'>Meest genoemd: {named}</p>" if named else "<p class='sl-caption'>Open antwoorden</p>"
    st.html(f"<div class='sl-head'>{head}</div><div class='sl-text'>{''.join(parts)}</div>")


def _topics_slide(topics: list) -> None:
    """The three topics most worth the raad's time, each with its tip (findings.topic_parts: the same words
    as on the result page and in the report)."""
    if not topics:
        st.html(
            "<div class='sl-head'></div><div class='sl-text'><p class='sl-more'>Nog te weinig antwoorden om onderwerpen te kiezen.</p></div>"
        )
        return
    items = []
    for t in topics:
        title, rest = findings.topic_parts(t)
        tip = f"<span class='sl-tip'>Tip: {esc(t.tip)}</span>" if t.tip else ""
        items.append(f"<li><b>{esc(title)}</b>{esc(rest)}{tip}</li>")
    st.html(
        "<div class='sl-head'><p class='sl-caption'>Drie onderwerpen voor het gesprek</p></div>"
        f"<div class='sl-text'><ol class='sl-topics'>{''.join(items)}</ol></div>"
    )


def _hidden_slide(slide: presenter.Slide) -> None:
    st.html(
        "<div class='sl-head'></div><div class='sl-hidden'>"
        f"<p class='sl-hidden-title'>{esc(slide.title)}</p>"
        f"<p class='sl-hidden-state'>{HIDDEN_TEXT}</p>"
        "<p class='sl-hidden-note'>De begeleider toont ze als iedereen klaar is.</p></div>"
    )


def _join_slide(store: Store, session: Session) -> None:
    from charts.style import municipality_colours

    url = links.join_url(session.join_code)
    # The room's counts: 'minder dan N' below the minimum, totals over the shown counts only.
    attendance = workshop.publishable_attendance(store, session)
    colours = municipality_colours(list(session.municipalities))
    cells = "".join(
        f"<div role='listitem'><span><span class='sl-swatch' style='background:{colours.get(r.municipality, '#999')}'></span>"
        f"{esc(r.municipality)}</span><span class='num'>{esc(r.joined)}</span></div>"
        for r in attendance.rows.itertuples()
    )
    joined, finished = attendance.total_joined, attendance.total_finished
    if session.closed:
        how = "<p class='sl-closed'>De sessie is gesloten: meedoen kan niet meer.</p>"
    else:
        how = (
            "<p class='sl-how'>Doe mee op uw telefoon: scan de QR-code of ga naar</p>"
            f"<p class='sl-url'>{esc(url)}</p>"
            "<p class='sl-code-label'>Deelnamecode</p>"
            f"<p class='sl-code' data-testid='join-code' aria-label='Deelnamecode'>{esc(session.join_code)}</p>"
        )
    qr = (
        ""
        if session.closed
        else f"<div class='sl-qr'><img src='{qr_svg_uri(url)}' alt='QR-code met de link om mee te doen: {esc(url)}'><p>Scan om mee te doen</p></div>"
    )
    st.html(
        f"<div class='sl-join'><h1>{esc(session.name)}</h1>"
        f"<div>{how}<p class='sl-total'>Aangemeld: {joined} · klaar: {finished}"
        + (" <span class='sl-note'>(getoonde aantallen)</span>" if attendance.note else "")
        + "</p>"
        f"<div class='sl-counts' role='list' aria-label='Aangemeld per gemeente'>{cells}</div></div>{qr}</div>"
    )


def _footer(session: Session, left: str) -> None:
    st.html(f"<div class='sl-foot'><span>{esc(left)}</span><span>{esc(session.name)}</span></div>")


def now_label() -> str:
    return fmt_clock(seconds=True)  # Dutch time, as the exports say
